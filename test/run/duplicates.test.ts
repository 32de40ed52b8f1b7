import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createDuplicateDetector, textHash43 } from '../../harness/run/duplicates.ts';

const long = (label: string): string => `The sample works the problem through and answers ${label} in the end.`;

describe('createDuplicateDetector', () => {
  it.each([
    ['identical long texts of one problem', [['c', 'p', 0, long('A')], ['c', 'p', 1, long('A')]], [false, true]],
    ['same text in another problem', [['c', 'p', 0, long('A')], ['c', 'q', 1, long('A')]], [false, false]],
    ['same text in another cell', [['c', 'p', 0, long('A')], ['d', 'p', 0, long('A')]], [false, false]],
    ['different texts', [['c', 'p', 0, long('A')], ['c', 'p', 1, long('B')]], [false, false]],
    ['whitespace around the text ignored', [['c', 'p', 0, long('A')], ['c', 'p', 1, `  ${long('A')}\n`]], [false, true]],
    ['short answers repeat legitimately', [['c', 'p', 0, '\\boxed{42}'], ['c', 'p', 1, '\\boxed{42}']], [false, false]],
    ['the same index again (resume) is not a duplicate', [['c', 'p', 0, long('A')], ['c', 'p', 0, long('A')]], [false, false]],
  ] as const)('%s', (_name, samples, expected) => {
    const detector = createDuplicateDetector();
    for (const [cell, problem, index, text] of samples) detector.add(cell, problem, index, text);
    expect(detector.report().duplicates).toBe(expected.filter(Boolean).length);
  });

  it('reports groups with sorted indices and counts m − 1 per group of m', () => {
    const detector = createDuplicateDetector();
    detector.add('c', 'p', 3, long('A'));
    detector.add('c', 'p', 1, long('A'));
    detector.add('c', 'p', 2, long('B'));
    detector.add('c', 'p', 0, long('A'));
    detector.add('c', 'q', 5, long('B'));
    detector.add('c', 'q', 6, long('B'));
    expect(detector.report()).toEqual({
      duplicates: 3,
      groups: [
        { cell: 'c', problem: 'p', indices: [0, 1, 3] },
        { cell: 'c', problem: 'q', indices: [5, 6] },
      ],
    });
  });

  it('ignores indices it cannot pack (a hostile index costs nothing)', () => {
    const detector = createDuplicateDetector();
    detector.add('c', 'p', 0, long('A'));
    detector.add('c', 'p', 4_000_000_000, long('A'));
    expect(detector.report().duplicates).toBe(0);
  });

  it('counts short texts when minLength allows', () => {
    const detector = createDuplicateDetector({ minLength: 1 });
    detector.add('c', 'p', 0, '42');
    detector.add('c', 'p', 1, '42');
    expect(detector.report().duplicates).toBe(1);
  });

  it('packs hash and index without loss: the largest index, groups of three, many texts (slots as 32-bit words)', () => {
    const detector = createDuplicateDetector();
    for (let index = 0; index < 500; index += 1) detector.add('c', 'p', index, long(`text ${index}`));
    detector.add('c', 'p', 2_097_151, long('text 7'));
    detector.add('c', 'p', 1000, long('text 7'));
    detector.add('c', 'p', 2_097_152, long('text 9')); // past the packed index: not tracked
    detector.add('c', 'p', 600, long('text 499'));
    expect(detector.report()).toEqual({
      duplicates: 3,
      groups: [
        { cell: 'c', problem: 'p', indices: [7, 1000, 2_097_151] },
        { cell: 'c', problem: 'p', indices: [499, 600] },
      ],
    });
  });
});

describe('textHash43', () => {
  it('is the first 43 bits of the SHA-256 of the text', () => {
    for (const text of ['', 'a', long('A'), 'ünïcode ∑ text \\boxed{1}', 'x'.repeat(5000)]) {
      expect(textHash43(text)).toBe(Number(createHash('sha256').update(text).digest().readBigUInt64BE(0) >> 21n));
    }
  });
});
