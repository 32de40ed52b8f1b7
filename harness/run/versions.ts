/** Versions recorded in run.json: scaling-bench, Node and the libraries that shape results. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  try {
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Versions of scaling-bench, node and key dependencies. */
export function packageVersions(): Record<string, string> {
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    'scaling-bench': own.version,
    node: process.versions.node,
    vega: versionOf('vega'),
    'vega-lite': versionOf('vega-lite'),
    openai: versionOf('openai'),
    ollama: versionOf('ollama'),
    '@huggingface/inference': versionOf('@huggingface/inference'),
  };
}
