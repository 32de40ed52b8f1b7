/** Prompt templates per checker kind, with optional seeded few-shot examples. */
import { hashSeed } from '../core/random.ts';
import type { Problem, VerifierKind } from '../core/types.ts';
import type { ChatMessage, PromptInput } from '../providers/types.ts';
import { codePrompt } from './code-datasets.ts';
import { drawFewShot } from './math-datasets.ts';

/** Default instruction per checker kind; `{question}` is replaced by the problem. */
export const defaultTemplates: Record<VerifierKind, string> = {
  math: 'Solve the following math problem step by step. Put your final answer within \\boxed{}.\n\n{question}',
  gsm8k: 'Solve the following problem step by step. End with a line of the form "#### <number>".\n\n{question}',
  code: '{question}',
  // Large Language Monkeys' CodeContests prompt, zero-shot (their script can prepend solved training problems).
  stdio:
    'Q: Write python code to solve the following coding problem that obeys the constraints and passes the example test cases. ' +
    'The output code needs to read from and write to standard IO. Please wrap your code answer using ```:\n{question}\nA:',
  exact: '{question}\n\nAnswer with the final answer only, after "The answer is".',
  'multiple-choice': '{question}\n\nAnswer with the letter of the correct option, after "The answer is".',
};

/** Options of buildPrompt. */
export interface PromptOptions {
  /** Checker kind of the dataset. */
  verifier: VerifierKind;
  /** `chat` for chat APIs, `text` for raw completion APIs. */
  style: 'chat' | 'text';
  /** Template with `{question}`; default per kind. */
  template?: string;
  /** Number of few-shot examples (default 0). */
  fewShot?: number;
  /** Pool the examples are drawn from. */
  pool?: readonly Problem[];
  /** Run seed (examples are drawn per problem with it). */
  seed?: number;
}

function worked(problem: Problem, verifier: VerifierKind): string {
  if (problem.solution) return problem.solution;
  return verifier === 'gsm8k' ? `#### ${problem.answer}` : `The final answer is $\\boxed{${problem.answer}}$.`;
}

/** The prompt for one problem. */
export function buildPrompt(problem: Problem, options: PromptOptions): PromptInput {
  if (options.verifier === 'code' && problem.code) {
    const text = codePrompt(problem, options.style === 'chat' ? 'chat' : 'completion');
    return options.style === 'chat' ? { kind: 'chat', messages: [{ role: 'user', content: text }] } : { kind: 'text', text };
  }
  const template = options.template ?? defaultTemplates[options.verifier];
  const fill = (question: string): string => template.replaceAll('{question}', question);
  const examples =
    options.fewShot && options.pool ? drawFewShot(options.pool, options.fewShot, hashSeed(options.seed ?? 0, problem.id), problem.id) : [];
  if (options.style === 'text') {
    const shots = examples.map((example) => `Problem:\n${example.question}\n\nSolution:\n${worked(example, options.verifier)}\n\n`).join('');
    return { kind: 'text', text: `${shots}Problem:\n${fill(problem.question)}\n\nSolution:\n` };
  }
  const messages: ChatMessage[] = [];
  for (const example of examples) {
    messages.push({ role: 'user', content: fill(example.question) }, { role: 'assistant', content: worked(example, options.verifier) });
  }
  messages.push({ role: 'user', content: fill(problem.question) });
  return { kind: 'chat', messages };
}
