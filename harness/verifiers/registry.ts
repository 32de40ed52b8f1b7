/** One verifier per checker kind, created on first use. */
import type { VerifierKind } from '../core/types.ts';
import { createCodeVerifier } from './code/code-verifier.ts';
import { createStdioVerifier } from './code/stdio-verifier.ts';
import { createExactVerifier } from './exact-verifier.ts';
import { createMathVerifier } from './math/math-verifier.ts';
import type { Verifier } from './types.ts';

/** Creates the verifier for a checker kind. */
export function createVerifier(kind: VerifierKind): Verifier {
  switch (kind) {
    case 'math':
      return createMathVerifier({ style: 'math' });
    case 'gsm8k':
      return createMathVerifier({ style: 'gsm8k' });
    case 'code':
      return createCodeVerifier();
    case 'stdio':
      return createStdioVerifier();
    case 'exact':
    case 'multiple-choice':
      return createExactVerifier();
  }
}

/** A cache of verifiers by kind, closed together. */
export interface VerifierSet {
  /** The verifier of a kind (created once). */
  get(kind: VerifierKind): Verifier;
  /** Closes every verifier created (worker pools). */
  close(): Promise<void>;
}

/** Creates a verifier cache; `factory` defaults to createVerifier. */
export function createVerifierSet(factory: (kind: VerifierKind) => Verifier = createVerifier): VerifierSet {
  const verifiers = new Map<VerifierKind, Verifier>();
  return {
    get(kind) {
      let verifier = verifiers.get(kind);
      if (!verifier) {
        verifier = factory(kind);
        verifiers.set(kind, verifier);
      }
      return verifier;
    },
    async close() {
      await Promise.all([...verifiers.values()].map((verifier) => verifier.close?.()));
      verifiers.clear();
    },
  };
}
