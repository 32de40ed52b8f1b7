import { requireSameLength } from './metrics-error.ts';

/** The samples of one problem grouped into answer classes (the voting units of majority@k). */
export interface AnswerClasses {
  /** Distinct answer keys, in order of first appearance. */
  keys: string[];
  /** Samples per class, same order as `keys`. */
  sizes: number[];
  /** Correct samples per class, same order. */
  correctCounts: number[];
  /**
   * Value of each class when it wins a vote: the fraction of its samples that are correct (1 or 0
   * when a class is all right or all wrong, which is the usual case).
   */
  values: number[];
  /** Samples with no extractable answer (key null): they take up draws but never vote. */
  noAnswer: number;
  /** Class index per sample, -1 for a sample with no answer. */
  classOfSample: Int32Array;
}

/**
 * Groups samples by answer key. Keys are compared as given: the verifier has already mapped
 * equivalent answers (`1/2`, `0.5`) to one key.
 */
export function answerClasses(answerKeys: ReadonlyArray<string | null>, correct: ReadonlyArray<boolean>): AnswerClasses {
  requireSameLength(['answerKeys', 'correct'], [answerKeys, correct]);
  const indexOfKey = new Map<string, number>();
  const keys: string[] = [];
  const sizes: number[] = [];
  const correctCounts: number[] = [];
  const classOfSample = new Int32Array(answerKeys.length);
  let noAnswer = 0;
  answerKeys.forEach((key, sample) => {
    if (key === null) {
      noAnswer += 1;
      classOfSample[sample] = -1;
      return;
    }
    let index = indexOfKey.get(key);
    if (index === undefined) {
      index = keys.length;
      indexOfKey.set(key, index);
      keys.push(key);
      sizes.push(0);
      correctCounts.push(0);
    }
    sizes[index] = (sizes[index] ?? 0) + 1;
    if (correct[sample] === true) correctCounts[index] = (correctCounts[index] ?? 0) + 1;
    classOfSample[sample] = index;
  });
  const values = sizes.map((size, index) => (correctCounts[index] ?? 0) / size);
  return { keys, sizes, correctCounts, values, noAnswer, classOfSample };
}
