import { describe, expect, it } from 'vitest';
import * as scalingBench from '../harness/index.ts';

describe('package root (the library API)', () => {
  it('exports the functions researchers call from notebooks and scripts', () => {
    for (const name of ['passAtK', 'majorityAtK', 'extractAnswer', 'mathEquivalent', 'runPython', 'runExperiment', 'loadConfig', 'reportRun', 'importSamples', 'bestOfKAtK', 'fitScalingLaw', 'forceBudget']) {
      expect(typeof (scalingBench as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('computes the headline metrics', () => {
    expect(scalingBench.passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(scalingBench.passAtK(10, 3, 10)).toBe(1);
    expect(scalingBench.majorityAtK(['a', 'a', 'b'], [true, true, false], 3)).toBe(1);
    expect(scalingBench.extractAnswer('so the answer is $\\boxed{\\frac{1}{2}}$.').answer).toBe('\\frac{1}{2}');
    expect(scalingBench.mathEquivalent('\\frac12', '0.5')).toBe(true);
    expect(scalingBench.mathEquivalent('\\frac12', '0.25')).toBe(false);
  });
});
