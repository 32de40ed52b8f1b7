/**
 * A light answer extractor for recorded samples that come without an extracted answer
 * (monkey_business stores only texts and `is_corrects`), so that majority vote has answer classes
 * without a full regrade. `--regrade` replaces these with the math verifier's canonical keys.
 */

function lastBoxed(text: string): string | null {
  const start = text.lastIndexOf('\\boxed');
  if (start < 0) return null;
  const open = text.indexOf('{', start);
  if (open < 0) return null;
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (character === '{') depth += 1;
    else if (character === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, index);
    }
  }
  return null;
}

/**
 * The final answer a recorded sample states: the last `\boxed{...}`, else the text after the last
 * "final answer is" (Minerva / Large Language Monkeys prompts) or `####` (GSM8K), up to the end of
 * its sentence. Null when none is found.
 */
export function extractRecordedAnswer(text: string): string | null {
  const boxed = lastBoxed(text);
  if (boxed !== null) return boxed.trim();
  // Most texts spell it in lower case; lower-case the whole text only when they do not.
  let marker = text.lastIndexOf('final answer is');
  if (marker < 0) marker = text.toLowerCase().lastIndexOf('final answer is');
  const hashes = text.lastIndexOf('####');
  let rest: string | undefined;
  if (marker >= 0) rest = text.slice(marker + 'final answer is'.length);
  else if (hashes >= 0) rest = text.slice(hashes + 4);
  if (rest === undefined) return null;
  const line = rest.split('\n')[0] ?? '';
  // Cut at the sentence end, but keep decimals like 3.5: a period followed by a space or the end.
  const sentence = line.replace(/\.(\s|$).*$/, '').replace(/I hope it is correct$/i, '');
  const answer = sentence.trim().replace(/^\$+|\$+$/g, '').trim();
  return answer === '' ? null : answer;
}

/** Voting key for a recorded answer: whitespace removed, `\left`/`\right` and a trailing period dropped. */
export function recordedAnswerKey(answer: string | null): string | null {
  if (answer === null) return null;
  const key = answer.replace(/\\left|\\right/g, '').replace(/\s+/g, '').replace(/\.$/, '');
  return key === '' ? null : key;
}
