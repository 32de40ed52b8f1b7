/**
 * The `sim` provider: a seeded, deterministic SIMULATED model for offline demos, tests and
 * benchmarks of the harness itself. It calls no model. Each problem gets a latent solve rate
 * drawn from the profile's Beta distribution; a correct sample states the gold answer, a wrong
 * one a distractor from a small per-problem set with skewed weights (so majority vote plateaus
 * below coverage, as for real models). Temperature tempers both (sim-temperature.ts): lower
 * temperature, less diversity. Same profile, problem, seed and temperature: same sample.
 */
import { sleepWithSignal } from '../../core/abort.ts';
import { ProviderError } from '../../core/errors.ts';
import { createRandom, hashSeed, randomInt, randomNormal, type Random } from '../../core/random.ts';
import { betaQuantile } from './beta-quantile.ts';
import type { ModelConfig } from '../../config/model-schema.ts';
import type { Completion, GenerateRequest, GenerateResult, Provider, PromptInput, SimulationReference } from '../types.ts';
import { findSimProfile, type SimProfile } from './sim-profiles.ts';
import { temperCumulative, temperSolveRate } from './sim-temperature.ts';

type SimModelConfig = Extract<ModelConfig, { provider: 'sim' }>;

/** Latent traits of one problem under one profile, at the reference temperature. */
interface ProblemTraits {
  solveRate: number;
  distractors: string[];
  /** Cumulative weights of the distractors (last = 1). */
  cumulative: number[];
  /** `cumulative` tempered, per temperature (filled on first use). */
  temperedCumulative: Map<number, number[]>;
}

/** Creates the simulated provider for a `provider: sim` model entry. */
export function createSimProvider(model: SimModelConfig, deps: { sleep?: (ms: number, signal: AbortSignal) => Promise<void> } = {}): Provider {
  const profile = findSimProfile(model.profile);
  const traitsCache = new Map<string, ProblemTraits>();
  const latencyMs = model.latencyMs ?? 0;
  const sleep = deps.sleep ?? sleepWithSignal;

  const traitsFor = (reference: SimulationReference, problemId: string): ProblemTraits => {
    const key = `${reference.dataset}\u0000${problemId}`;
    let traits = traitsCache.get(key);
    if (!traits) {
      traits = problemTraits(profile, reference, problemId);
      traitsCache.set(key, traits);
    }
    return traits;
  };

  return {
    kind: 'sim',
    maxSamplesPerRequest: 64,
    simulated: true,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const started = performance.now();
      const reference = request.simulationReference;
      if (!reference) {
        throw new ProviderError('SIM_NO_REFERENCE', `sim model '${model.id}' got a request without the problem's reference answer`, {
          retryable: false,
          hint: 'The sim provider only runs inside scaling-bench runs, which pass each problem’s gold answer.',
        });
      }
      if (latencyMs > 0) await sleep(latencyMs, request.signal);
      // Simulated work is synchronous: give the event loop a turn once per request, so Ctrl-C and
      // SIGTERM are handled within one request rather than after the whole run.
      else await new Promise<void>((resolve) => setImmediate(resolve));
      request.signal.throwIfAborted();
      const traits = traitsFor(reference, request.problemId);
      const promptTokens = promptTokenCount(request.prompt);
      const completions = request.seeds.map((seed) => simulateSample(profile, reference, request, traits, seed, promptTokens));
      return { completions, modelName: `sim:${profile.id}`, latencyMs: performance.now() - started };
    },
  };
}

function problemTraits(profile: SimProfile, reference: SimulationReference, problemId: string): ProblemTraits {
  // Difficulty is a property of the problem, shared by every profile (common random numbers): a
  // problem hard for the 8B simulation is hard for the 70B one too, as with real models, and
  // comparisons between profiles are far less noisy than with independent draws.
  const difficulty = reference.difficulty ?? createRandom(hashSeed('sim-difficulty', reference.dataset, problemId)).next();
  const solveRate = betaQuantile(1 - Math.min(Math.max(difficulty, 1e-9), 1 - 1e-9), profile.alpha, profile.beta);
  const random = createRandom(hashSeed('sim-problem', profile.id, reference.dataset, problemId));
  const distractors = distractorsFor(reference.answer, random);
  // Skewed weights: the most popular wrong answer takes about `topDistractorShare` of the wrong mass.
  const top = Math.min(0.95, Math.max(0.2, profile.topDistractorShare + 0.15 * randomNormal(random)));
  const weights = [top];
  let rest = 1 - top;
  for (let i = 1; i < distractors.length; i += 1) {
    const share = i === distractors.length - 1 ? rest : rest * (0.5 + 0.2 * random.next());
    weights.push(share);
    rest -= share;
  }
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) {
    sum += weight;
    cumulative.push(sum);
  }
  cumulative[cumulative.length - 1] = 1;
  return { solveRate, distractors, cumulative, temperedCumulative: new Map() };
}

/** Plausible wrong answers for a gold answer, never equal to it. */
function distractorsFor(gold: string, random: Random): string[] {
  const count = 3 + randomInt(random, 3);
  const trimmed = gold.trim();
  const candidates: string[] = [];
  if (/^-?\d+$/.test(trimmed)) {
    const value = Number.parseInt(trimmed, 10);
    for (const delta of [1, -1, 2, 10, -2, 5, 3]) candidates.push(String(value + delta));
    candidates.push(String(value * 2), String(-value));
  } else if (/^-?\d*\.\d+$/.test(trimmed)) {
    const value = Number.parseFloat(trimmed);
    for (const delta of [0.5, -0.5, 1, -1, 2, 0.25]) candidates.push(String(Math.round((value + delta) * 1e6) / 1e6));
  } else {
    const base = trimmed === '' ? 'x' : trimmed;
    candidates.push(`${base}+1`, `2\\left(${base}\\right)`, `${base}-1`, `\\frac{${base}}{2}`, String(2 + randomInt(random, 20)), `-\\left(${base}\\right)`);
  }
  const unique = [...new Set(candidates.filter((candidate) => candidate !== trimmed && candidate !== '-0'))];
  // Seeded shuffle so that the most popular wrong answer differs from problem to problem.
  for (let i = unique.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, i + 1);
    [unique[i], unique[j]] = [unique[j] as string, unique[i] as string];
  }
  return unique.slice(0, count);
}

function simulateSample(
  profile: SimProfile,
  reference: SimulationReference,
  request: GenerateRequest,
  traits: ProblemTraits,
  seed: number,
  promptTokens: number,
): Completion {
  // Temperature 0 is greedy: every sample is the same (and right only when the tempered rate is 1).
  const temperature = request.temperature;
  const effectiveSeed = temperature === 0 ? 0 : seed;
  const random = createRandom(hashSeed('sim-sample', profile.id, reference.dataset, request.problemId, effectiveSeed, request.thinkingBudget));
  const budget = request.thinkingBudget;
  const solveRate = temperSolveRate(1 - Math.pow(1 - traits.solveRate, 1 + profile.thinkingGain * Math.log1p(budget / 256)), temperature);
  let cumulative = traits.temperedCumulative.get(temperature);
  if (!cumulative) {
    cumulative = temperCumulative(traits.cumulative, temperature);
    traits.temperedCumulative.set(temperature, cumulative);
  }

  let thinkingTokens = 0;
  let hit = false;
  if (budget > 0) {
    const wanted = Math.round(budget * Math.exp(0.5 * randomNormal(random)) * 0.8);
    hit = wanted >= budget;
    thinkingTokens = Math.max(1, Math.min(budget, wanted));
  }
  const answerTokens = Math.max(8, Math.round(profile.meanCompletionTokens * Math.exp(0.35 * randomNormal(random) - 0.06)));
  const capped = Math.min(answerTokens, request.maxTokens);
  const truncated = answerTokens > request.maxTokens;

  // Correctness is drawn first so that P(correct) is exactly the calibrated solve rate; the
  // no-answer rate applies to the wrong samples only.
  const correct = !truncated && random.next() < solveRate;
  const noAnswer = truncated || (!correct && random.next() < profile.noAnswerRate);
  let stated: string | null = null;
  if (correct) stated = equivalentForm(reference.answer, random);
  else if (!noAnswer) {
    const u = random.next();
    const index = cumulative.findIndex((bound) => u < bound);
    stated = traits.distractors[index < 0 ? traits.distractors.length - 1 : index] ?? null;
  }

  // Sampled texts differ even when their answers agree (as real samples at temperature > 0 do).
  const working = Array.from({ length: 4 }, () => 2 + randomInt(random, 997)).join(', ');
  const text = sampleText(reference, stated, correct, profile, working);
  const completion: Completion = {
    text,
    usage: { promptTokens, completionTokens: capped + thinkingTokens, thinkingTokens },
    finishReason: truncated ? 'length' : 'stop',
  };
  if (budget > 0) {
    completion.thinking = `[simulated thinking: ${thinkingTokens} tokens]`;
    completion.thinkingBudget = { requested: budget, strategy: 'simulated', hit };
  }
  return completion;
}

/** A correct answer, sometimes written in an equivalent form (as real models do). */
function equivalentForm(answer: string, random: Random): string {
  if (answer.includes('\\frac') && random.next() < 0.2) return answer.replaceAll('\\frac', '\\dfrac');
  return answer;
}

function sampleText(reference: SimulationReference, stated: string | null, correct: boolean, profile: SimProfile, working: string): string {
  if (reference.style === 'code') {
    if (stated === null) return '';
    if (correct && reference.canonicalSolution !== undefined) return reference.canonicalSolution;
    return '    raise NotImplementedError("simulated wrong sample")\n';
  }
  const intro = `Simulated solution (sim profile ${profile.id}; not a real model). Intermediate values: ${working}.`;
  if (stated === null) return `${intro} Let us work through the problem step by step, but the reasoning trails off before a final answer`;
  if (reference.style === 'gsm8k') return `${intro} Working through the quantities step by step gives the total.\n#### ${stated}`;
  return `${intro} Working through the problem step by step, we find the result.\nThe final answer is $\\boxed{${stated}}$.`;
}

/** Simulated tokenizer: about four characters per token. */
function promptTokenCount(prompt: PromptInput): number {
  const characters = prompt.kind === 'text' ? prompt.text.length : prompt.messages.reduce((sum, message) => sum + message.content.length + 4, 0);
  return Math.max(1, Math.ceil(characters / 4));
}
