/**
 * String-level normalisation of a final answer, before any parsing: wrappers, spacing, `\dfrac`,
 * units, degrees, percent, currency, thousands separators. Pure and fast: the verdict cache is
 * keyed on its output.
 */
import { braceArguments, unwrapCommands } from './latex-text.ts';

const textCommands = ['text', 'textbf', 'textit', 'textrm', 'textnormal', 'textsf', 'texttt', 'mbox', 'hbox', 'emph', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathnormal', 'boldsymbol', 'bm', 'operatorname'];
const boxCommands = ['boxed', 'fbox', 'framebox'];

/** Words that are units, currencies or labels of a number, dropped after a numeric answer. */
const unitWords = new Set([
  'units', 'unit', 'square', 'sq', 'cubic', 'cm', 'mm', 'km', 'm', 'meter', 'meters', 'metre', 'metres', 'centimeter', 'centimeters',
  'millimeters', 'kilometers', 'inch', 'inches', 'in', 'ft', 'foot', 'feet', 'yard', 'yards', 'yd', 'mile', 'miles', 'mi', 'mph', 'kg', 'g',
  'gram', 'grams', 'kilograms', 'pound', 'pounds', 'lb', 'lbs', 'ounce', 'ounces', 'oz', 'liter', 'liters', 'litre', 'litres', 'ml', 'l',
  'gallon', 'gallons', 'cup', 'cups', 'second', 'seconds', 'sec', 's', 'minute', 'minutes', 'min', 'mins', 'hour', 'hours', 'hr', 'hrs', 'h', 'day',
  'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'yr', 'yrs', 'degree', 'degrees', 'deg', 'dollar', 'dollars', 'cent', 'cents', 'yuan',
  'euro', 'euros', 'percent', 'percentage', 'pct', 'points', 'point', 'people', 'students', 'ways', 'times', 'per', 'each', 'apples', 'eggs',
  'items', 'pieces', 'books', 'marbles', 'cookies', 'sheep', 'dogs', 'cats', 'bags', 'boxes', 'pages', 'tickets', 'cars', 'trees',
  'numbers', 'integers', 'digits', 'sides', 'edges', 'vertices', 'faces', 'squares', 'triangles', 'games', 'rounds',
]);

/** Function names that may follow a space in a real expression and are never units. */
const mathWords = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'log', 'ln', 'exp', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'det', 'gcd', 'lcm', 'mod', 'max', 'min', 'and', 'or']);

function replaceUnicode(text: string): string {
  return text
    .replace(/[\u2212\u2013\u2014]/g, '-')
    .replace(/\u00d7/g, '\\times ')
    .replace(/[\u00b7\u22c5]/g, '\\cdot ')
    .replace(/\u2264/g, '\\leq ')
    .replace(/\u2265/g, '\\geq ')
    .replace(/\u2260/g, '\\neq ')
    .replace(/\u221e/g, '\\infty ')
    .replace(/\u03c0/g, '\\pi ')
    .replace(/\u00b0/g, '^\\circ')
    .replace(/\u00b2/g, '^2')
    .replace(/\u00b3/g, '^3')
    .replace(/\u221a/g, '\\sqrt')
    .replace(/[\u20ac\u00a3\u00a5]/g, '')
    .replace(/[\u00a0\u2009\u202f]/g, ' ');
}

/** Drops unit words (and `^2`/`^3` after them) that trail a numeric answer: `15 cm^2` → `15`. */
export function stripTrailingUnits(text: string): string {
  let result = text;
  for (let guard = 0; guard < 6; guard += 1) {
    const match = /(\s|\d|\})([A-Za-z]+)\.?\s*(?:\^\s*\{?[23]\}?)?\s*$/.exec(result);
    if (!match) break;
    const separator = match[1] ?? '';
    const word = (match[2] ?? '').toLowerCase();
    const head = (separator === ' ' ? result.slice(0, match.index) : result.slice(0, match.index + 1)).trimEnd();
    if (head === '' || mathWords.has(word) || !/[\d}]|\\pi|\\infty/.test(head)) break;
    // A letter glued to a number is a variable (`2x`); only known unit words are dropped there.
    const spaced = separator === ' ';
    if (!(unitWords.has(word) && (spaced || word.length >= 2)) && !(spaced && word.length >= 3)) break;
    result = head;
  }
  return result;
}

/**
 * Normalises an answer string: removes `$`, `\(`, `\[`, `\boxed{}`, `\left`/`\right`, spacing
 * commands, `\text{}` wrappers (keeping the words), degrees, percent signs, currency, thousands
 * separators, trailing units and punctuation; rewrites `\dfrac`/`\tfrac` to `\frac`, `\frac12`
 * to `\frac{1}{2}`, relation spellings to `\leq`/`\geq`/`\neq`.
 */
export function normalizeAnswer(answer: string): string {
  let text = replaceUnicode(answer).replace(/\s+/g, ' ');
  if (!text.includes('\\begin')) text = text.replace(/(?<!\\)\\\\(?=[a-zA-Z])/g, '\\');
  text = text.replace(/\\(?:boxed|fbox)\s+([^\s{}$\\]+)/g, '$1');
  text = unwrapCommands(text, boxCommands);
  text = text.replace(/\\(?:text|mbox)\s*\{\s*(and|or)\s*\}/g, ' $1 ');
  text = unwrapCommands(text, textCommands, ' ', ' ');
  text = text
    .replace(/\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits)(?![a-zA-Z])/g, '')
    .replace(/\\(?:left|right)\s*\./g, '')
    .replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![a-zA-Z])/g, '')
    .replace(/\\[dtc]frac(?![a-zA-Z])/g, '\\frac')
    .replace(/\\[dt]binom(?![a-zA-Z])/g, '\\binom')
    .replace(/(\d)\s*,\\!\s*(?=\d{3}(?!\d))/g, '$1')
    .replace(/(\d)\s*\{\s*,\s*\}\s*(?=\d{3}(?!\d))/g, '$1')
    .replace(/(?<!\\)\\!/g, '')
    .replace(/\\(?:qquad|quad)/g, ' ')
    .replace(/(?<!\\)\\[,;: ]/g, ' ')
    .replace(/~/g, ' ')
    .replace(/\^\s*\{\s*\\circ\s*\}/g, '')
    .replace(/\^\s*\\circ/g, '')
    .replace(/\\(?:circ|degree)(?![a-zA-Z])/g, '')
    .replace(/\\%/g, '')
    .replace(/%/g, '')
    .replace(/\\\$/g, '')
    .replace(/\$/g, '')
    .replace(/\\\(|\\\)|\\\[|\\\]/g, ' ')
    .replace(/"/g, '')
    .replace(/\\(?:lt)(?![a-zA-Z])/g, '<')
    .replace(/\\(?:gt)(?![a-zA-Z])/g, '>')
    .replace(/\\(?:leqslant|leq|le)(?![a-zA-Z])/g, '\\leq ')
    .replace(/\\(?:geqslant|geq|ge)(?![a-zA-Z])/g, '\\geq ')
    .replace(/\\(?:neq|ne)(?![a-zA-Z])/g, '\\neq ')
    .replace(/<=|=</g, '\\leq ')
    .replace(/>=|=>/g, '\\geq ')
    .replace(/!=/g, '\\neq ')
    .replace(/\\(?:dots|ldots|cdots)(?![a-zA-Z])/g, '\\ldots');
  text = text
    .replace(/(^|[^\d.])\.(\d)/g, '$10.$2')
    .replace(/(\d)\.0+(?![\d])/g, '$1')
    .replace(/(\d\.\d*?[1-9])0+(?![\d])/g, '$1');
  text = braceArguments(text);
  text = text.replace(/\s+/g, ' ').trim();
  text = text.replace(/^(?:is|are|be|=|:)\s+/i, '').replace(/^:\s*/, '');
  text = text.replace(/[\s.,;:!]+$/g, '').replace(/^[\s,;:]+/, '');
  text = stripTrailingUnits(text);
  text = text.replace(/^([+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?)$/, (whole) => whole.replace(/ /g, ''));
  return text.replace(/[\s.,;:!]+$/g, '').trim();
}
