import { describe, expect, it } from 'vitest';
import { flopsOfTokenRange, flopsPerToken, sampleFlops } from '../../harness/metrics/flops.ts';

const llama8b = { params: 8.03e9, layers: 32, dModel: 4096 };

function loopFlops(architecture: { params: number; layers?: number; dModel?: number }, first: number, count: number): number {
  let total = 0;
  for (let position = first; position < first + count; position += 1) total += flopsPerToken(architecture, position);
  return total;
}

describe('flopsPerToken', () => {
  it('is 2·(params + 2·layers·d_model·context)', () => {
    expect(flopsPerToken(llama8b, 0)).toBe(2 * 8.03e9);
    expect(flopsPerToken(llama8b, 1000)).toBe(2 * (8.03e9 + 2 * 32 * 4096 * 1000));
  });

  it('leaves out the context term without layers and d_model', () => {
    expect(flopsPerToken({ params: 7e9 }, 5000)).toBe(1.4e10);
  });

  it('rejects a non-positive parameter count', () => {
    expect(() => flopsPerToken({ params: 0 }, 1)).toThrowError(expect.objectContaining({ code: 'METRIC_INVALID_ARGUMENT' }) as Error);
  });
});

describe('flopsOfTokenRange closed form', () => {
  it.each([
    [0, 0],
    [0, 1],
    [0, 517],
    [517, 1],
    [517, 1024],
    [3000, 32_768],
  ])('first position %i, %i tokens, equals the loop', (first, count) => {
    const expected = loopFlops(llama8b, first, count);
    expect(Math.abs(flopsOfTokenRange(llama8b, first, count) - expected)).toBeLessThanOrEqual(expected * 1e-12);
    expect(Math.abs(flopsOfTokenRange({ params: 1e9 }, first, count) - loopFlops({ params: 1e9 }, first, count))).toBeLessThanOrEqual(
      count * 2e9 * 1e-12,
    );
  });
});

describe('sampleFlops', () => {
  it('counts the prompt prefill once and each completion token at its growing context', () => {
    const expected = loopFlops(llama8b, 0, 200) + loopFlops(llama8b, 200, 800);
    expect(sampleFlops(llama8b, { promptTokens: 200, completionTokens: 800 })).toBeCloseTo(expected, -3);
  });

  it('shares an n-batched request prompt among its samples', () => {
    const prefill = loopFlops(llama8b, 0, 200);
    const decode = loopFlops(llama8b, 200, 800);
    const single = sampleFlops(llama8b, { promptTokens: 200, completionTokens: 800, requestSamples: 1 });
    const batched = sampleFlops(llama8b, { promptTokens: 200, completionTokens: 800, requestSamples: 8 });
    expect(single - batched).toBeCloseTo(prefill - prefill / 8, -3);
    expect(batched).toBeCloseTo(prefill / 8 + decode, -3);
  });
});
