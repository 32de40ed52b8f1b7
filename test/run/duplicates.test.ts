import { describe, expect, it } from 'vitest';
import { createDuplicateDetector } from '../../harness/run/duplicates.ts';

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
});
