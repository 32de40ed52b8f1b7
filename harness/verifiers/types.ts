/** The verifier interface: judges a sample's text against a problem. */
import type { Problem, Verdict } from '../core/types.ts';

/** Checks samples of one kind (math, code, exact match). */
export interface Verifier {
  /** Verifier kind, e.g. `math`. */
  readonly kind: string;
  /** Judges one sample. May be async (code execution). */
  verify(problem: Problem, text: string, signal?: AbortSignal): Promise<Verdict>;
  /** Releases workers (code execution pools). */
  close?(): Promise<void>;
}
