/**
 * The verifiers `--regrade` uses by default: the project's verifier registry
 * (harness/verifiers/registry.ts: the math verifier with style `math` or `gsm8k`, the code verifier
 * for `code`, exact match otherwise). The registry is loaded on first use, so importing recorded
 * verdicts (no `--regrade`) never loads the verifiers or their Python pool.
 */
import { HarnessError } from '../core/errors.ts';
import type { VerifierKind } from '../core/types.ts';
import type { Verifier } from '../verifiers/types.ts';

/** Builds (or returns) the verifier for a kind of problem. */
export type VerifierFactory = (kind: VerifierKind) => Verifier | Promise<Verifier>;

const REGISTRY = '../verifiers/registry.ts';

/** The project's verifier for a kind (`createVerifier(kind)` of harness/verifiers/registry.ts), loaded lazily. */
export async function createDefaultVerifier(kind: VerifierKind): Promise<Verifier> {
  let loaded: unknown;
  try {
    // A relative specifier (not a file URL), so the compiled build (dist/) loads its own registry.js.
    loaded = await import(REGISTRY);
  } catch (error) {
    throw new HarnessError('VERIFIER_UNAVAILABLE', `cannot load the verifiers (${REGISTRY}) to regrade ${kind} samples`, {
      hint: 'Import without --regrade to keep the recorded verdicts.',
      cause: error,
    });
  }
  const factory = typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>).createVerifier : undefined;
  if (typeof factory !== 'function') {
    throw new HarnessError('VERIFIER_UNAVAILABLE', `${REGISTRY} does not export createVerifier`, { hint: 'Import without --regrade to keep the recorded verdicts.' });
  }
  const verifier: unknown = factory(kind);
  if (typeof verifier !== 'object' || verifier === null || typeof (verifier as { verify?: unknown }).verify !== 'function') {
    throw new HarnessError('VERIFIER_UNAVAILABLE', `createVerifier('${kind}') did not return a verifier`, { hint: 'Import without --regrade to keep the recorded verdicts.' });
  }
  return verifier as Verifier;
}
