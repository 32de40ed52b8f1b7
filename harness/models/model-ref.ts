/**
 * Model references of the embedded engine: a local GGUF path, or a Hub file
 * `hf:<owner>/<repo>/<path/to/file>.gguf` with an optional `@<revision>` (default `main`).
 */
import { ConfigError } from '../core/errors.ts';

/** A GGUF file on the Hugging Face Hub. */
export interface HubModelRef {
  /** Model repo, `owner/name`. */
  repo: string;
  /** Path of the file inside the repo. */
  path: string;
  /** Branch, tag or commit (default `main`). */
  revision: string;
}

const hubPrefix = 'hf:';

/** True when `ref` names a Hub file rather than a local path. */
export function isHubModelRef(ref: string): boolean {
  return ref.startsWith(hubPrefix);
}

/** Parses `hf:<owner>/<repo>/<file>.gguf[@revision]`; throws MODEL_REF_INVALID with the expected shape. */
export function parseHubModelRef(ref: string): HubModelRef {
  const body = ref.slice(hubPrefix.length);
  const at = body.lastIndexOf('@');
  const [location, revision] = at > 0 ? [body.slice(0, at), body.slice(at + 1)] : [body, 'main'];
  const parts = location.split('/');
  if (!isHubModelRef(ref) || parts.length < 3 || parts.some((part) => part === '' || part === '..') || !location.toLowerCase().endsWith('.gguf') || revision === '') {
    throw new ConfigError('MODEL_REF_INVALID', `model reference "${ref}" is not hf:<owner>/<repo>/<file>.gguf`, {
      hint: 'Write e.g. hf:bartowski/Qwen2.5-Math-1.5B-Instruct-GGUF/Qwen2.5-Math-1.5B-Instruct-Q4_K_M.gguf (append @<revision> to pin one), or a local path to a .gguf file.',
    });
  }
  return { repo: `${parts[0]}/${parts[1]}`, path: parts.slice(2).join('/'), revision };
}
