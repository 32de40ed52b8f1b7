import { describe, expect, it } from 'vitest';
import { createRandom, drawWithoutReplacement } from '../../harness/core/random.ts';

describe('drawWithoutReplacement', () => {
  const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

  it.each([0, 1, 3, 8])('draws %i distinct items of the list', (count) => {
    const drawn = drawWithoutReplacement([...items], count, createRandom(5));
    expect(drawn).toHaveLength(count);
    expect(new Set(drawn).size).toBe(count);
    for (const item of drawn) expect(items).toContain(item);
  });

  it('is the same draw for the same seed, and moves the drawn items to the front', () => {
    const first = [...items];
    const drawn = drawWithoutReplacement(first, 4, createRandom(9));
    expect(drawWithoutReplacement([...items], 4, createRandom(9))).toEqual(drawn);
    expect(first.slice(0, 4)).toEqual(drawn);
    expect([...first].sort()).toEqual(items);
  });
});
