/**
 * The one contract every provider implements. A provider maps a request to its server's wire
 * format and back; it never reads the environment, retries, throttles, caches or prints: the
 * scheduler owns that.
 */
import type { FinishReason, Usage } from '../core/types.ts';

/** A chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What to send: chat messages, or a raw completion prompt (already templated). */
export type PromptInput = { kind: 'chat'; messages: ChatMessage[] } | { kind: 'text'; text: string };

/** The gold answer and its format, given to simulated providers only. */
export interface SimulationReference {
  /** Dataset id (seeds the simulated solve rates together with the problem id). */
  dataset: string;
  /** Gold final answer. */
  answer: string;
  /** How a correct sample states the answer: `\\boxed{}` (math), `#### n` (gsm8k), or code. */
  style: 'boxed' | 'gsm8k' | 'code';
  /** Code problems: a reference solution (the completion that passes). */
  canonicalSolution?: string;
  /**
   * Difficulty quantile of the problem within the run's problem set, in (0, 1): stratified so that
   * the simulated solve rates of a set follow the profile's Beta distribution closely even for a
   * few hundred problems. Absent: drawn from a hash of the problem id.
   */
  difficulty?: number;
}

/** One generation request: `seeds.length` samples of the same prompt. */
export interface GenerateRequest {
  /** The prompt. */
  prompt: PromptInput;
  /** One seed per requested sample; the number of samples is `seeds.length`. */
  seeds: number[];
  /** Sampling temperature. */
  temperature: number;
  /** Nucleus sampling, when set. */
  topP?: number;
  /** Completion token limit (answer and thinking together unless the provider separates them). */
  maxTokens: number;
  /** Thinking-token budget; 0 = no thinking. */
  thinkingBudget: number;
  /** Stop sequences. */
  stop?: string[];
  /** Base URL of the endpoint chosen by the scheduler (providers with endpoints). */
  endpoint: string;
  /** Problem id, for simulated providers and logs. */
  problemId: string;
  /** What a simulated model needs to write plausible samples; real providers ignore it. */
  simulationReference?: SimulationReference;
  /** Cancels the call; passed on to fetch and to every wait. */
  signal: AbortSignal;
}

/** One generated sample. */
export interface Completion {
  /** Answer text (thinking excluded). */
  text: string;
  /** Thinking text, when the backend separates it. */
  thinking?: string;
  /** Token usage of this sample (promptTokens = the request's prompt). */
  usage: Usage;
  /** Why generation stopped. */
  finishReason: FinishReason;
  /** Thinking-budget bookkeeping. */
  thinkingBudget?: { requested: number; strategy: string; hit: boolean; forcedAnswer?: boolean; waits?: number };
}

/** What a request produced. */
export interface GenerateResult {
  /** Exactly one completion per seed, in order. */
  completions: Completion[];
  /** Model name the server reported. */
  modelName?: string;
  /** Wall-clock time of the call, milliseconds. */
  latencyMs: number;
}

/** A source of samples. */
export interface Provider {
  /** Provider kind (`sim`, `ollama`, `openai`, `huggingface`, ...). */
  readonly kind: string;
  /** Largest number of samples one request may ask for (1 when the server has no `n`). */
  readonly maxSamplesPerRequest: number;
  /** True for simulated models: reports label them as simulations. */
  readonly simulated: boolean;
  /** Generates `request.seeds.length` samples. Throws ProviderError on failure. */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Optional pre-flight check (model exists, server reachable); throws a non-retryable ProviderError with a hint. */
  check?(endpoint: string, signal: AbortSignal): Promise<void>;
  /** Optional: frees what the provider holds (an embedded engine and its model). A run calls it once, when it ends. */
  close?(): Promise<void>;
}
