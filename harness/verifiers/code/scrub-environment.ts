/** Which environment variables may reach the Python sandbox. */

/** Variables the worker processes keep (everything else is dropped): locale, paths, the interpreter's own. */
export const allowedEnvironmentNames: readonly string[] = [
  'PATH',
  'HOME',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'PYENV_ROOT',
  'PYENV_VERSION',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'SYSTEMROOT',
];

const secretNames = new Set(['HF_TOKEN', 'OPENAI_API_KEY', 'HUGGING_FACE_HUB_TOKEN', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY']);
const secretPattern = /(^|_)(KEY|KEYS|TOKEN|TOKENS|SECRET|SECRETS|PASSWORD|PASSWD|PASS|CREDENTIAL|CREDENTIALS|AUTH|COOKIE|SESSION)(_|$)/i;

/** True when a variable name looks like it holds a secret (`HF_TOKEN`, `OPENAI_API_KEY`, any `*_KEY`, `*_TOKEN`, `*_SECRET`...). */
export function isSecretName(name: string): boolean {
  return secretNames.has(name.toUpperCase()) || secretPattern.test(name);
}

/**
 * The environment for a sandbox worker: only `allowed` names (default allowedEnvironmentNames)
 * with a value, and never one that looks like a secret, even when allowed.
 */
export function scrubEnvironment(
  environment: Record<string, string | undefined>,
  allowed: readonly string[] = allowedEnvironmentNames,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of allowed) {
    const value = environment[name];
    if (value !== undefined && !isSecretName(name)) kept[name] = value;
  }
  return kept;
}

/** Extra variables a caller gives programs, with secret-looking names removed. */
export function withoutSecrets(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !isSecretName(name)));
}
