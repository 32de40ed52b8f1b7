/**
 * From a model's completion to the program the sandbox runs: fenced-block extraction (chat
 * models), stop sequences (completion models), whole-function detection, and the test harness
 * of each dataset (HumanEval: prompt + completion + test + `check(entry_point)`; MBPP: setup +
 * code + asserts).
 */
import type { CodeTask } from '../../core/types.ts';

/**
 * Stop sequences of the Codex paper (Chen et al. 2021) for HumanEval completions: a line at
 * column 0 that starts a class, a def, a comment, an `if` or a `print` ends the function body.
 * CodeT and human-eval's samples use the same list.
 */
export const humanEvalStopSequences: readonly string[] = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'];

/**
 * Cut points for whole programs (MBPP answers, whole functions from chat models): the MBPP
 * prompt's `[DONE]` marker, a `__main__` block, and top-level prints or asserts the model added
 * as its own tests (which may be wrong, and are not the dataset's tests).
 */
export const programStopSequences: readonly string[] = ['[DONE]', '\nif __name__', '\nprint(', '\nassert '];

/** How a completion was turned into code. */
export type CompletionMode = 'body' | 'function' | 'program';

/** The program to run, and how it was built. */
export interface BuiltProgram {
  /** Full Python source: code under test followed by the tests. */
  program: string;
  /** The code taken from the completion, after extraction and truncation. */
  code: string;
  /**
   * `body`: the completion continues the HumanEval prompt (the function body). `function`: it
   * holds the whole function (so the prompt is kept only for its imports and helpers).
   * `program`: a whole MBPP-style program.
   */
  mode: CompletionMode;
}

/** Options of buildProgram. */
export interface BuildProgramOptions {
  /** Stop sequences for HumanEval-style body completions. Default humanEvalStopSequences. */
  stopSequences?: readonly string[];
}

/** Text before the first of `stops` (the whole text when none occurs). */
export function truncateAtStopSequences(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    if (stop === '') continue;
    const index = text.indexOf(stop);
    if (index >= 0 && index < end) end = index;
  }
  return text.slice(0, end);
}

const fencePattern = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)(?:\n[ \t]*```|$)/g;
const pythonLanguages = new Set(['', 'python', 'py', 'python3', 'py3']);

/**
 * The Python code inside a Markdown fenced block, or null when the text has none. With several
 * blocks, the first that defines `entryPoint` wins, else the first Python block. An unclosed
 * fence (a cut-off answer) runs to the end of the text.
 */
export function extractCodeBlock(text: string, entryPoint?: string): string | null {
  const blocks: string[] = [];
  for (const match of text.matchAll(fencePattern)) {
    const language = (match[1] ?? '').toLowerCase();
    if (pythonLanguages.has(language)) blocks.push(match[2] ?? '');
  }
  if (blocks.length === 0) return null;
  if (entryPoint) {
    const defining = blocks.find((block) => definesFunction(block, entryPoint));
    if (defining !== undefined) return defining;
  }
  return blocks[0] ?? null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `code` defines function `name` at top level (`def name(` or `async def name(` at column 0). */
export function definesFunction(code: string, name: string): boolean {
  return new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(name)}[ \\t]*\\(`, 'm').test(code);
}

function firstCodeLine(code: string): string | undefined {
  return code.split('\n').find((line) => line.trim() !== '');
}

function indent(code: string): string {
  return code
    .split('\n')
    .map((line) => (line.trim() === '' ? line : `    ${line}`))
    .join('\n');
}

function stripMbppMarkers(text: string): string {
  const begin = text.indexOf('[BEGIN]');
  return begin >= 0 ? text.slice(begin + '[BEGIN]'.length) : text;
}

/**
 * Builds the program for a completion. HumanEval-style tasks (non-empty `prompt`): a completion
 * whose code starts indented continues the prompt and is cut at the stop sequences (`body`); one
 * that defines the entry point at top level is a whole function, run after the prompt so the
 * prompt's imports and helpers stay defined (`function`). MBPP-style tasks (empty `prompt`): the
 * code is the whole program (`program`).
 */
export function buildProgram(task: CodeTask, completion: string, options: BuildProgramOptions = {}): BuiltProgram {
  const fenced = extractCodeBlock(completion, task.entryPoint);
  if (task.prompt === '') {
    const source = fenced ?? stripMbppMarkers(completion);
    const code = truncateAtStopSequences(source, programStopSequences).replace(/\s+$/, '');
    const setup = task.setup ? `${task.setup}\n` : '';
    return { program: `${setup}${code}\n\n${task.test}\n`, code, mode: 'program' };
  }
  const tests = `${task.test}\n\ncheck(${task.entryPoint})\n`;
  const source = fenced ?? completion;
  const first = firstCodeLine(source);
  const indented = first !== undefined && /^[ \t]/.test(first);
  if (!indented && definesFunction(source, task.entryPoint)) {
    const code = truncateAtStopSequences(source, programStopSequences).replace(/\s+$/, '');
    return { program: `${task.prompt}\n${code}\n\n${tests}`, code, mode: 'function' };
  }
  const stops = options.stopSequences ?? humanEvalStopSequences;
  // A chat model may answer with a bare body at column 0; it still belongs inside the function.
  const body = truncateAtStopSequences(indented || first === undefined ? source : indent(source), stops);
  return { program: `${task.prompt}${body}\n${tests}`, code: body, mode: 'body' };
}
