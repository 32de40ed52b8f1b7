/** Versions recorded in run.json: scaling-bench, Node and the libraries that shape results. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The installed version of `name`, read from its package.json in the folders Node would search.
 * Not `require.resolve('<name>/package.json')`: packages whose `exports` do not list
 * ./package.json (vega, vega-lite, openai) refuse it and would read as not installed.
 */
export function versionOf(name: string): string {
  for (const folder of require.resolve.paths(name) ?? []) {
    const path = join(folder, name, 'package.json');
    if (!existsSync(path)) continue;
    try {
      return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      return 'unknown';
    }
  }
  return 'not installed';
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
