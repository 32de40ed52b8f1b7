import { describe, expect, it } from 'vitest';
import { createDuplicateDetector } from '../../harness/run/duplicates.ts';
import { createRecentDuplicateDetector } from '../../harness/run/recent-duplicates.ts';

const long = (tag: string): string => `A full worked answer number ${tag}, long enough to count as evidence: \\boxed{${tag}}`;

describe('createRecentDuplicateDetector', () => {
  it('counts what the full detector counts when repeats fall within the window (a server ignoring seeds)', () => {
    const recent = createRecentDuplicateDetector({ window: 8 });
    const full = createDuplicateDetector();
    for (let index = 0; index < 100; index += 1) {
      for (const problem of ['p1', 'p2']) {
        // p1: every text the same (seed ignored); p2: a pair every 10 indices.
        const text = problem === 'p1' ? long('same') : long(String(index - (index % 10 === 1 ? 1 : 0)));
        recent.add('c', problem, index, text);
        full.add('c', problem, index, text);
      }
    }
    expect(recent.report()).toEqual(full.report());
    expect(recent.report().duplicates).toBe(99 + 10);
  });

  it('does not count a repeat further apart than the window (report counts it), and counts one just inside', () => {
    const recent = createRecentDuplicateDetector({ window: 4 });
    recent.add('c', 'p', 0, long('x'));
    for (let index = 1; index <= 4; index += 1) recent.add('c', 'p', index, long(`other ${index}`));
    recent.add('c', 'p', 5, long('x'));
    expect(recent.report().duplicates).toBe(0);
    recent.add('c', 'p', 6, long('other 3'));
    expect(recent.report()).toEqual({ duplicates: 1, groups: [{ cell: 'c', problem: 'p', indices: [3, 6] }] });
  });

  it('ignores short answers and the same index added twice', () => {
    const recent = createRecentDuplicateDetector();
    recent.add('c', 'p', 0, '42');
    recent.add('c', 'p', 1, '42');
    recent.add('c', 'p', 2, long('y'));
    recent.add('c', 'p', 2, long('y'));
    expect(recent.report().duplicates).toBe(0);
  });
});
