/**
 * Reading a judge's reply: did it call the candidate correct? Judges write their verdict in many
 * ways ("Verdict: Yes", "**Answer:** incorrect", "\boxed{No}", "Score: 8/10", "the solution is not
 * correct"); this finds the last stated verdict and returns it as a vote in [0, 1].
 */

const positive = new Set(['yes', 'correct', 'right', 'true', 'valid']);
const negative = new Set(['no', 'incorrect', 'wrong', 'false', 'invalid', 'not correct', 'not right']);

function voteOfWord(word: string): number | null {
  const normalized = word.toLowerCase().replace(/\s+/g, ' ');
  if (positive.has(normalized)) return 1;
  if (negative.has(normalized)) return 0;
  return null;
}

function lastMatch(text: string, pattern: RegExp): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (const match of text.matchAll(pattern)) last = match;
  return last;
}

const verdictWords = 'not\\s+correct|not\\s+right|incorrect|invalid|correct|wrong|right|valid|yes|no|true|false';

/** "Verdict: Yes", "Final answer - **incorrect**", "Judgement = no". */
const labelledPattern = new RegExp(
  `(?:verdict|judg(?:e)?ment|final\\s+answer|answer|conclusion|decision|assessment)\\s*(?:is)?\\s*[:：=\\-]?\\s*[*_\`"'\\[(]*\\s*(${verdictWords})\\b`,
  'gi',
);
/** \boxed{Yes}, \boxed{\text{incorrect}}. */
const boxedPattern = new RegExp(`\\\\boxed\\{\\s*(?:\\\\text\\{)?\\s*(${verdictWords})\\s*\\}?\\s*\\}`, 'gi');
/** "Score: 8/10", "Probability: 0.85", "confidence: 90%". */
const numericPattern = /(?:score|probability|confidence|rating|p\(correct\))\s*(?:is)?\s*[:：=]?\s*[*_`]*\s*(\d+(?:\.\d+)?)\s*(?:(\/)\s*(\d+(?:\.\d+)?)|(%))?/gi;
/** Any verdict word (the last one in the reply's closing part wins). */
const loosePattern = new RegExp(`\\b(${verdictWords})\\b`, 'gi');

/** Characters at the end of a reply searched for a loose verdict word. */
const looseTailCharacters = 300;

/**
 * The vote a judge's reply casts: 1 (correct), 0 (wrong), a fraction for a numeric verdict
 * (`8/10` → 0.8, `85%` → 0.85, `0.85` → 0.85, `8` alone → 0.8 on a ten-point scale), or null when
 * no verdict can be read. Precedence: a labelled verdict ("Verdict: …", the last one), then a
 * boxed one, then a labelled number, then the last verdict word among the reply's final 300
 * characters.
 */
export function parseJudgeVerdict(reply: string): number | null {
  const labelled = lastMatch(reply, labelledPattern);
  if (labelled?.[1] !== undefined) return voteOfWord(labelled[1]);
  const boxed = lastMatch(reply, boxedPattern);
  if (boxed?.[1] !== undefined) return voteOfWord(boxed[1]);
  const numeric = lastMatch(reply, numericPattern);
  if (numeric?.[1] !== undefined) {
    const value = Number(numeric[1]);
    let vote: number;
    if (numeric[2] !== undefined && numeric[3] !== undefined) vote = value / Number(numeric[3]);
    else if (numeric[4] !== undefined) vote = value / 100;
    else if (value <= 1) vote = value;
    else if (value <= 10) vote = value / 10;
    else vote = value / 100;
    return Number.isFinite(vote) ? Math.min(1, Math.max(0, vote)) : null;
  }
  const loose = lastMatch(reply.slice(-looseTailCharacters), loosePattern);
  if (loose?.[1] !== undefined) return voteOfWord(loose[1]);
  return null;
}
