/** Shared data shapes of the pipeline. `core` imports nothing from the other stages. */

/** Which checker judges a dataset's samples. */
export type VerifierKind = 'math' | 'gsm8k' | 'code' | 'stdio' | 'exact' | 'multiple-choice';

/** Test material for a code problem (HumanEval / MBPP style). */
export interface CodeTask {
  /** Code the completion continues (HumanEval: signature and docstring); '' for chat-style tasks. */
  prompt: string;
  /** Python test code: defines `check(candidate)` (HumanEval) or plain asserts (MBPP). */
  test: string;
  /** Function under test (HumanEval `entry_point`, MBPP: the function name the asserts call). */
  entryPoint: string;
  /** Extra setup code run before the tests (MBPP `test_setup_code`). */
  setup?: string;
  /** Reference solution, for checking the dataset itself. */
  canonicalSolution?: string;
  /**
   * Tests shown in the prompt, when they differ from `test` (MBPP+: the three original asserts are
   * shown, the extended test script is run). Default: `test`.
   */
  shownTests?: string;
}

/** One stdin/stdout test of a competitive-programming problem (CodeContests style). */
export interface StdioTest {
  /** Bytes written to the program's stdin. */
  input: string;
  /** Expected stdout, compared token by token (whitespace-separated, floats within a tolerance). */
  output: string;
  /** Where the test comes from: `public`, `private` or `generated` (CodeContests' splits). */
  source?: 'public' | 'private' | 'generated';
}

/** Test material for a stdin/stdout problem: a whole program reads stdin and prints to stdout. */
export interface StdioTask {
  /**
   * Tests run in order; judging stops at the first failing one. When `testsFile` is set, this holds
   * only the public tests (small enough to show or keep in memory) and the full list is in the file.
   */
  tests: StdioTest[];
  /**
   * A JSON Lines file of every test (`{"input", "output", "source"}` per line, public first), read
   * one test at a time by the verifier: CodeContests' generated tests run to hundreds of MB, so
   * they are kept on disk, not in memory.
   */
  testsFile?: string;
  /** Number of tests in `testsFile` (or `tests` when there is no file). */
  testCount?: number;
  /** The problem's own time limit per test in milliseconds (CodeContests `time_limit`), before scaling. */
  timeLimitMs?: number;
  /** Memory limit in bytes (CodeContests `memory_limit_bytes`), when the problem states one. */
  memoryLimitBytes?: number;
  /** Reference solutions in Python, for checking the dataset itself. */
  solutions?: string[];
}

/** One problem of a dataset. */
export interface Problem {
  /** Stable id within its dataset (e.g. `test/algebra/1.json`, `HumanEval/0`). */
  id: string;
  /** The question as the dataset states it (no template applied). */
  question: string;
  /** Gold final answer as the dataset defines it (MATH: last `\boxed{}` of the solution). '' for code. */
  answer: string;
  /** The dataset's reference solution, when it has one. */
  solution?: string;
  /** Code problems: prompt, tests and entry point. */
  code?: CodeTask;
  /** stdin/stdout problems (verifier `stdio`): tests and limits. */
  stdio?: StdioTask;
  /** Free-form labels (subject, level, ...), shown in reports. */
  tags?: Record<string, string | number>;
}

/** Token usage of one sample. */
export interface Usage {
  /** Prompt tokens of the request that produced the sample (shared by all samples of an n-batched request). */
  promptTokens: number;
  /** Generated tokens, thinking included. */
  completionTokens: number;
  /** Of the completion tokens, how many were thinking (0 when none). */
  thinkingTokens: number;
  /** True when counts are a tokenizer estimate rather than the server's own. */
  estimated?: boolean;
}

/** Why generation stopped. `length` = cut off by the token limit. */
export type FinishReason = 'stop' | 'length' | 'error' | 'unknown';

/** The outcome of checking one sample. */
export interface Verdict {
  /** True when the sample is judged correct. */
  correct: boolean;
  /** Extracted final answer (math), or null when none could be extracted. */
  answer: string | null;
  /** Canonical key of the answer for voting: equivalent answers share a key. null = no answer. */
  answerKey: string | null;
  /** Why: e.g. `equal`, `not-equal`, `no-answer`, `passed`, `failed: AssertionError`, `timeout`. */
  reason: string;
}

/** One stored sample: a line of samples.jsonl. */
export interface SampleRecord {
  /** Record schema version. */
  v: 1;
  /** Cell id (model × dataset × thinking budget × temperature). */
  cell: string;
  /** Problem id within the dataset. */
  problem: string;
  /** Sample index within the problem, 0-based: the sample's seed is `baseSeed + index`. */
  index: number;
  /** Seed sent with the request. */
  seed: number;
  /** `ok`: the model answered; `error`: the call failed after its retries (excluded from metrics). */
  status: 'ok' | 'error';
  /** The answer text (thinking excluded). */
  text?: string;
  /** Thinking text, when the backend separates it. */
  thinking?: string;
  /** Token usage. */
  usage?: Usage;
  /** Why generation stopped. */
  finishReason?: FinishReason;
  /** Wall-clock time of the request that produced the sample, in milliseconds. */
  latencyMs?: number;
  /** Model name the server reported. */
  modelName?: string;
  /** Endpoint (base URL, no credentials) that served the sample. */
  endpoint?: string;
  /** Samples that came from one request (n-batching) share a request id: their prompt was prefilled once. */
  requestId?: string;
  /** Number of samples the request produced (n-batching); 1 when absent. */
  requestSamples?: number;
  /** Verdict, when the sample has been checked. */
  verdict?: Verdict;
  /** Thinking-budget bookkeeping (sequential scaling). */
  thinkingBudget?: { requested: number; strategy: string; hit: boolean; forcedAnswer?: boolean; waits?: number };
  /** Error details for `status: 'error'`. */
  error?: { code: string; message: string; status?: number; attempts: number };
  /** ISO time the record was written. */
  time?: string;
}
