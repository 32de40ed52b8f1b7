/**
 * A fake judge: an OpenAI-compatible chat server on 127.0.0.1 (the OpenAI fake's wire format: `n`
 * choices, seeds, usage, faults) whose every reply is a verdict on the candidate in the prompt,
 * right with a set accuracy. Whether a candidate is correct is read from the prompt (`truthOf`;
 * default: `truth=correct` in it); whether the judge is honest on one reply is a seeded coin of
 * (prompt, seed, choice), so the same request always gets the same verdict. Every verdict is
 * recorded in `decisions`, so tests know the expected scores without parsing replies. Replies vary
 * their phrasing ("Verdict: Yes", "**Verdict:** no", "\boxed{Yes}", "The solution is incorrect.")
 * to exercise verdict parsing. A prompt holding "Solution A:" and "Solution B:" is a pairwise
 * comparison: the judge answers "Better: A" or "Better: B", preferring the correct solution with the
 * same accuracy, and records it in `comparisons`.
 */
import { hashSeed } from '../../harness/core/random.ts';
import type { FakeServer, FakeServerOptions } from './fake-http.ts';
import { startFakeOpenAI } from './fake-openai.ts';

/** Options of the fake judge. */
export interface FakeJudgeOptions extends Omit<FakeServerOptions, 'respond' | 'ignoreSeed'> {
  /** P(verdict right), the same for correct and wrong candidates. Default 0.8. */
  accuracy?: number;
  /** Seed of the judge's coins. Default 0. */
  seed?: number;
  /** Whether the candidate in a prompt is correct. Default: the prompt contains `truth=correct`. */
  truthOf?: (prompt: string) => boolean;
  /** Answer with no verdict at all on every reply whose coin falls below this share. Default 0. */
  abstainRate?: number;
  /** Samples per request the server honours (`n`); more are capped. Default: all asked for. */
  maxN?: number;
}

/** One verdict the fake judge gave. */
export interface FakeJudgeDecision {
  /** The prompt (messages joined by newlines). */
  prompt: string;
  /** The request's seed. */
  seed: number | undefined;
  /** Choice index within the request. */
  choice: number;
  /** What the candidate really is. */
  truth: boolean;
  /** What the judge said: true = correct, false = wrong, null = no verdict. */
  said: boolean | null;
}

/** One pairwise comparison the fake judge made (prompts with "Solution A:" and "Solution B:"). */
export interface FakeJudgeComparison {
  /** The prompt. */
  prompt: string;
  /** Whether solution A is correct. */
  truthA: boolean;
  /** Whether solution B is correct. */
  truthB: boolean;
  /** The solution it preferred. */
  chose: 'A' | 'B';
}

/** A running fake judge. */
export interface FakeJudge extends FakeServer {
  /** Every verdict given, in order. */
  decisions: FakeJudgeDecision[];
  /** Every pairwise comparison, in order. */
  comparisons: FakeJudgeComparison[];
}

const phrasings: ReadonlyArray<(saysCorrect: boolean) => string> = [
  (saysCorrect) => `I checked each step of the solution.\nVerdict: ${saysCorrect ? 'Yes' : 'No'}`,
  (saysCorrect) => `The arithmetic was verified.\n**Verdict:** ${saysCorrect ? 'yes' : 'no'}`,
  (saysCorrect) => `Checking the final answer against the problem: \\boxed{${saysCorrect ? 'Yes' : 'No'}}`,
  (saysCorrect) => `After checking the reasoning, the solution is ${saysCorrect ? 'correct' : 'incorrect'}.`,
];

/** Starts the fake judge. */
export async function startFakeJudge(options: FakeJudgeOptions = {}): Promise<FakeJudge> {
  const accuracy = options.accuracy ?? 0.8;
  const judgeSeed = options.seed ?? 0;
  const truthOf = options.truthOf ?? ((prompt: string) => prompt.includes('truth=correct'));
  const abstainRate = options.abstainRate ?? 0;
  const decisions: FakeJudgeDecision[] = [];
  const comparisons: FakeJudgeComparison[] = [];
  const server = await startFakeOpenAI({
    ...options,
    respond: (input) => {
      const sectionA = /Solution A:([\s\S]*?)Solution B:/.exec(input.prompt)?.[1];
      const sectionB = /Solution B:([\s\S]*)$/.exec(input.prompt)?.[1];
      if (sectionA !== undefined && sectionB !== undefined) {
        // A comparison: prefer the correct solution (A when both or neither are), honest with the set accuracy.
        const truthA = truthOf(sectionA);
        const truthB = truthOf(sectionB);
        const honest = hashSeed('fake-judge-pair', judgeSeed, input.prompt, input.seed ?? 0) / 4294967296 < accuracy;
        const right: 'A' | 'B' = truthB && !truthA ? 'B' : 'A';
        const chose: 'A' | 'B' = honest ? right : right === 'A' ? 'B' : 'A';
        comparisons.push({ prompt: input.prompt, truthA, truthB, chose });
        return { text: `Both were checked step by step.\nBetter: ${chose}` };
      }
      const coin = hashSeed('fake-judge', judgeSeed, input.prompt, input.seed ?? 0, input.choice) / 4294967296;
      const phrase = hashSeed('phrase', input.seed ?? 0, input.choice) % phrasings.length;
      const truth = truthOf(input.prompt);
      const abstain = hashSeed('abstain', judgeSeed, input.prompt, input.seed ?? 0, input.choice) / 4294967296 < abstainRate;
      if (abstain) {
        decisions.push({ prompt: input.prompt, seed: input.seed, choice: input.choice, truth, said: null });
        return { text: 'I am not able to decide this one.' };
      }
      const saysCorrect = coin < accuracy ? truth : !truth;
      decisions.push({ prompt: input.prompt, seed: input.seed, choice: input.choice, truth, said: saysCorrect });
      return { text: (phrasings[phrase] ?? phrasings[0])?.(saysCorrect) ?? '' };
    },
  });
  return { ...server, decisions, comparisons };
}
