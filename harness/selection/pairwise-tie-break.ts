/**
 * Pairwise tie-break for a judge's scores. A judge with a few votes per candidate gives many
 * candidates the same score (all 1.0, say); best-of-k then picks among them at random. Here the
 * judge compares the tied candidates among each problem's `top` highest-scored ones two at a time
 * ("which of A and B is correct?"), and each compared candidate's score is raised by a fraction of
 * its win rate, small enough never to pass a higher score. The result is written to scores.jsonl
 * as a new scorer (`<base>+pairwise`) whose usage includes the comparison tokens, so best-of-k with
 * the tie-break is charged for them. Candidates with the same answer are never compared (their pick
 * gives the same answer either way). Resumable per problem.
 */
import { join } from 'node:path';
import { HarnessError, InterruptedError, ProviderError } from '../core/errors.ts';
import { hashSeed } from '../core/random.ts';
import type { Provider } from '../providers/types.ts';
import { withRetry, type RetryDependencies, type RetryPolicy } from '../run/retry.ts';
import { problemKey } from '../store/problems-file.ts';
import { readManifest } from '../store/run-manifest.ts';
import { readSampleLog, SAMPLES_FILE } from '../store/sample-log.ts';
import { openScoreLog, readScoreLog, SCORES_FILE, type ScoreRecord } from './score-log.ts';
import { readRunQuestions } from './score-run.ts';

/** The default comparison prompt: `{question}`, `{solutionA}` and `{solutionB}` are filled in. */
export const DEFAULT_PAIRWISE_PROMPT = [
  'Two proposed solutions to the same problem reach different final answers.',
  '',
  'Problem:',
  '{question}',
  '',
  'Solution A:',
  '{solutionA}',
  '',
  'Solution B:',
  '{solutionB}',
  '',
  'Check both. Which one reaches the correct final answer?',
  'End with exactly one line: "Better: A" or "Better: B".',
].join('\n');

// Keywords in any case; the choice itself must be a capital A or B ("a number" is no choice).
const labelledChoice = /(?:better|winner|choice|verdict|answer|correct\s+(?:one|solution)|preferred)\s*(?:is)?\s*[:：=-]?\s*[*_`"'[(]*\s*(?:solution\s+)?([ab])\b/gi;
const boxedChoice = /\\boxed\{\s*(?:\\text\{)?\s*(?:solution\s+)?([ab])\s*\}?\s*\}/gi;
const statedChoice = /\bsolution\s+([ab])\s+(?:is|was)\s+(?:correct|better|right)\b/gi;

/** Which solution a comparison reply prefers ("Better: A", `\boxed{B}`, "Solution A is correct"), or null. */
export function parsePairwiseVerdict(reply: string): 'A' | 'B' | null {
  for (const pattern of [labelledChoice, boxedChoice, statedChoice]) {
    let last: string | undefined;
    for (const match of reply.matchAll(pattern)) {
      if (match[1] === 'A' || match[1] === 'B') last = match[1];
    }
    if (last === 'A' || last === 'B') return last;
  }
  return null;
}

/** Options of pairwiseTieBreak. */
export interface PairwiseTieBreakOptions {
  /** Scorer id whose tied scores are broken (a judge's). */
  baseScorer: string;
  /** The model that compares. */
  provider: Provider;
  /** Its endpoint ('' for providers without one). */
  endpoint: string;
  /** Highest-scored candidates per problem considered. Default 4. */
  top?: number;
  /** Comparison prompt with `{question}`, `{solutionA}`, `{solutionB}`. Default DEFAULT_PAIRWISE_PROMPT. */
  prompt?: string;
  /** Temperature of the comparisons. Default 0. */
  temperature?: number;
  /** Token limit of one comparison reply. Default 512. */
  maxTokens?: number;
  /** Seed of the comparisons (request seeds and the A/B order). Default 0. */
  seed?: number;
  /** Scorer id written. Default `<baseScorer>+pairwise`. */
  id?: string;
  /** Only these cells (default all). */
  cells?: ReadonlyArray<string>;
  /** Problems compared at once. */
  concurrency: number;
  /** Stops the work: finished problems are kept, then InterruptedError is thrown. */
  signal: AbortSignal;
  /** Retries of a failed comparison (default one attempt). */
  retry?: RetryPolicy;
  /** Sleep and jitter for withRetry. */
  retryDependencies?: RetryDependencies;
  /** Current time for record timestamps. */
  now?: () => Date;
}

/** What pairwiseTieBreak did. */
export interface PairwiseTieBreakSummary {
  /** Problems written in this session. */
  problems: number;
  /** Problems skipped because they were written before. */
  skipped: number;
  /** Problems left out after a failed comparison (done again on the next run). */
  failed: number;
  /** Comparisons made. */
  comparisons: number;
  /** Prompt tokens the comparisons read. */
  promptTokens: number;
  /** Tokens the comparisons generated. */
  completionTokens: number;
}

interface ProblemWork {
  cell: string;
  problem: string;
  base: Map<number, ScoreRecord>;
  top: number[];
  texts: Map<number, { text: string; answerKey: string | null }>;
}

const defaultRetryPolicy: RetryPolicy = { attempts: 1, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 300_000 };

/**
 * Breaks ties of a judge's scores by pairwise comparison among each problem's top candidates and
 * writes the result as a new scorer to scores.jsonl (every scored sample of the problem, compared
 * or not).
 */
export async function pairwiseTieBreak(runDir: string, options: PairwiseTieBreakOptions): Promise<PairwiseTieBreakSummary> {
  const manifest = readManifest(runDir);
  const id = options.id ?? `${options.baseScorer}+pairwise`;
  const top = Math.max(2, options.top ?? 4);
  const seed = options.seed ?? 0;
  const now = options.now ?? (() => new Date());
  const wantedCells = options.cells === undefined ? undefined : new Set(options.cells);
  const scoresPath = join(runDir, SCORES_FILE);
  const work = new Map<string, ProblemWork>();
  const done = new Set<string>();
  for await (const record of readScoreLog(scoresPath)) {
    if (wantedCells !== undefined && !wantedCells.has(record.cell)) continue;
    const key = `${record.cell}\u0000${record.problem}`;
    if (record.scorer === id) done.add(key);
    if (record.scorer !== options.baseScorer || record.status !== 'ok') continue;
    let entry = work.get(key);
    if (!entry) work.set(key, (entry = { cell: record.cell, problem: record.problem, base: new Map(), top: [], texts: new Map() }));
    if (!entry.base.has(record.index)) entry.base.set(record.index, record);
  }
  const summary: PairwiseTieBreakSummary = { problems: 0, skipped: 0, failed: 0, comparisons: 0, promptTokens: 0, completionTokens: 0 };
  for (const [key, entry] of work) {
    if (done.has(key)) {
      summary.skipped += 1;
      work.delete(key);
      continue;
    }
    entry.top = [...entry.base.entries()]
      .sort(([leftIndex, left], [rightIndex, right]) => (right.score ?? 0) - (left.score ?? 0) || leftIndex - rightIndex)
      .slice(0, top)
      .map(([index]) => index);
  }
  for await (const record of readSampleLog(join(runDir, SAMPLES_FILE))) {
    if (record.status !== 'ok') continue;
    const entry = work.get(`${record.cell}\u0000${record.problem}`);
    if (entry === undefined || !entry.top.includes(record.index) || entry.texts.has(record.index)) continue;
    entry.texts.set(record.index, { text: record.text ?? '', answerKey: record.verdict?.answerKey ?? null });
  }
  const questions = readRunQuestions(runDir);
  const datasetOf = new Map(manifest.cells.map((cell) => [cell.id, cell.dataset]));
  const log = openScoreLog(scoresPath);
  let fatal: unknown;

  async function compare(entry: ProblemWork, first: number, second: number): Promise<{ winner: number | null; promptTokens: number; completionTokens: number }> {
    const swap = (hashSeed('pairwise-order', seed, entry.cell, entry.problem, first, second) & 1) === 1;
    const [a, b] = swap ? [second, first] : [first, second];
    const question = questions.get(problemKey(datasetOf.get(entry.cell) ?? '', entry.problem)) ?? '';
    const content = (options.prompt ?? DEFAULT_PAIRWISE_PROMPT).replace(/\{(question|solutionA|solutionB)\}/g, (_, name: string) =>
      name === 'question' ? question : (entry.texts.get(name === 'solutionA' ? a : b)?.text ?? ''),
    );
    const result = await withRetry(
      (attemptSignal) =>
        options.provider.generate({
          prompt: { kind: 'chat', messages: [{ role: 'user', content }] },
          seeds: [hashSeed('pairwise', seed, entry.cell, entry.problem, first, second) % 0x7fff0000],
          temperature: options.temperature ?? 0,
          maxTokens: options.maxTokens ?? 512,
          thinkingBudget: 0,
          endpoint: options.endpoint,
          problemId: entry.problem,
          signal: attemptSignal,
        }),
      options.retry ?? defaultRetryPolicy,
      options.retryDependencies ?? {},
      options.signal,
    );
    const completion = result.completions[0];
    const choice = parsePairwiseVerdict(completion?.text ?? '');
    return {
      winner: choice === null ? null : choice === 'A' ? a : b,
      promptTokens: completion?.usage.promptTokens ?? 0,
      completionTokens: completion?.usage.completionTokens ?? 0,
    };
  }

  async function breakTies(entry: ProblemWork): Promise<void> {
    const wins = new Map<number, number>();
    const played = new Map<number, number>();
    const spent = new Map<number, { promptTokens: number; completionTokens: number }>();
    const scoreOf = (index: number): number => entry.base.get(index)?.score ?? 0;
    try {
      for (let left = 0; left < entry.top.length; left += 1) {
        for (let right = left + 1; right < entry.top.length; right += 1) {
          const first = entry.top[left] ?? 0;
          const second = entry.top[right] ?? 0;
          if (scoreOf(first) !== scoreOf(second)) continue;
          const firstKey = entry.texts.get(first)?.answerKey ?? null;
          if (firstKey !== null && firstKey === (entry.texts.get(second)?.answerKey ?? null)) continue;
          const outcome = await compare(entry, first, second);
          summary.comparisons += 1;
          summary.promptTokens += outcome.promptTokens;
          summary.completionTokens += outcome.completionTokens;
          for (const index of [first, second]) {
            played.set(index, (played.get(index) ?? 0) + 1);
            // A reply with no choice counts as a draw.
            const won = outcome.winner === null ? 0.5 : outcome.winner === index ? 1 : 0;
            wins.set(index, (wins.get(index) ?? 0) + won);
            const share = spent.get(index) ?? { promptTokens: 0, completionTokens: 0 };
            share.promptTokens += outcome.promptTokens / 2;
            share.completionTokens += outcome.completionTokens / 2;
            spent.set(index, share);
          }
        }
      }
    } catch (error) {
      if (options.signal.aborted) return;
      if (error instanceof ProviderError) {
        summary.failed += 1;
        return;
      }
      fatal ??= error;
      return;
    }
    // Half the smallest gap between distinct scores: a raised score never passes a higher one.
    const distinct = [...new Set([...entry.base.values()].map((record) => record.score ?? 0))].sort((left, right) => left - right);
    let gap = Number.POSITIVE_INFINITY;
    for (let position = 1; position < distinct.length; position += 1) gap = Math.min(gap, (distinct[position] ?? 0) - (distinct[position - 1] ?? 0));
    const raise = Number.isFinite(gap) ? gap / 2 : 0.5;
    for (const [index, base] of [...entry.base.entries()].sort(([left], [right]) => left - right)) {
      const games = played.get(index) ?? 0;
      const share = spent.get(index);
      const usage = base.usage === undefined && share === undefined
        ? undefined
        : {
            promptTokens: (base.usage?.promptTokens ?? 0) + (share?.promptTokens ?? 0),
            completionTokens: (base.usage?.completionTokens ?? 0) + (share?.completionTokens ?? 0),
            ...(base.usage?.estimated === true ? { estimated: true } : {}),
          };
      const record: ScoreRecord = {
        v: 1,
        cell: base.cell,
        problem: base.problem,
        index,
        scorer: id,
        kind: base.kind,
        simulated: base.simulated || options.provider.simulated,
        status: 'ok',
        score: (base.score ?? 0) + (games === 0 ? 0 : (raise * (wins.get(index) ?? 0)) / games),
        scale: base.scale ?? 'probability',
        ...(base.votes === undefined ? {} : { votes: base.votes }),
        ...(usage === undefined ? {} : { usage }),
        time: now().toISOString(),
      };
      log.append(record);
    }
    summary.problems += 1;
  }

  const inFlight = new Set<Promise<void>>();
  try {
    for (const entry of work.values()) {
      if (options.signal.aborted || fatal !== undefined) break;
      const task: Promise<void> = breakTies(entry).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= Math.max(1, options.concurrency)) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
    log.close();
  }
  if (fatal !== undefined) throw fatal;
  if (options.signal.aborted) throw new InterruptedError(`interrupted: ${summary.problems} problems tie-broken this session in ${runDir}`);
  if (work.size > 0 && summary.problems === 0 && summary.failed > 0) {
    throw new HarnessError('PAIRWISE_FAILED', `every pairwise comparison failed (${summary.failed} problems)`, {
      hint: 'Check that the judge model is reachable; problems left out are compared on the next run.',
    });
  }
  return summary;
}
