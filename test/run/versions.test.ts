/** run.json's versions: read from each package's own package.json, whatever its `exports` allow. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageVersions, versionOf } from '../../harness/run/versions.ts';

const installed = (name: string): string =>
  (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

describe('packageVersions', () => {
  it.each(['vega', 'vega-lite', 'openai', 'ollama', '@huggingface/inference'])('records the installed version of %s', (name) => {
    expect(packageVersions()[name]).toBe(installed(name));
  });

  it('says "not installed" for a package that is not there', () => {
    expect(versionOf('no-such-package-scaling-bench')).toBe('not installed');
  });
});
