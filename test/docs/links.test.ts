/**
 * Every relative link and #anchor in every README.md of the project resolves: the file exists,
 * and the heading exists (GitHub-style slugs). Files under reports/ are made by `npm start`
 * (git-ignored), so only their folder's place in the layout is checked, not their presence.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** README.md files of the project (node_modules, reports and dot folders left out). */
function readmes(folder = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    if (entry === 'node_modules' || entry === 'reports' || entry === 'test-output' || entry.startsWith('.')) continue;
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...readmes(path));
    else if (entry === 'README.md') found.push(path);
  }
  return found.sort();
}

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to -. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replaceAll(' ', '-');
}

/** The anchors of a markdown file's headings, with GitHub's -1, -2 suffixes for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = githubSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Markdown link targets outside code fences and inline code. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(match[1] ?? '');
  }
  return targets;
}

/** Why a link does not resolve, or undefined when it does. */
function brokenReason(file: string, target: string): string | undefined {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return undefined;
  const [pathPart = '', anchor] = target.split('#');
  const destination = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
  if (!destination.startsWith(root)) return 'points outside the project';
  if (relative(root, destination).startsWith('reports')) return undefined;
  if (!existsSync(destination)) return 'no such file';
  if (anchor === undefined || anchor === '') return undefined;
  if (!destination.endsWith('.md')) return 'anchor on a file that is not markdown';
  return anchors(readFileSync(destination, 'utf8')).has(anchor) ? undefined : `no heading with anchor #${anchor}`;
}

describe('README links', () => {
  it('finds the top README and the folder READMEs', () => {
    expect(readmes()).toContain(join(root, 'README.md'));
    expect(readmes().length).toBeGreaterThan(5);
  });

  it.each(readmes().map((file) => [relative(root, file), file]))('every relative link and #anchor in %s resolves', (_name, file) => {
    const markdown = readFileSync(file, 'utf8');
    const broken = linkTargets(markdown)
      .map((target) => ({ target, reason: brokenReason(file, target) }))
      .filter((link) => link.reason !== undefined)
      .map((link) => `${link.target}: ${link.reason}`);
    expect(broken).toEqual([]);
  });

  it.each([
    ['Config reference', 'config-reference'],
    ['The `sim` provider: a simulation, not a model', 'the-sim-provider-a-simulation-not-a-model'],
    ['Math answers: extraction, equivalence, answer classes', 'math-answers-extraction-equivalence-answer-classes'],
    ['coverage@k (pass@k)', 'coveragek-passk'],
    ['OpenAI-compatible servers (vLLM, SGLang)', 'openai-compatible-servers-vllm-sglang'],
    ['Which computer-algebra library: @cortex-js/compute-engine 0.27', 'which-computer-algebra-library-cortex-jscompute-engine-027'],
  ])('slugs %s as GitHub does', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it('catches a broken anchor and a missing file', () => {
    const top = join(root, 'README.md');
    expect(brokenReason(top, '#no-such-heading')).toBe('no heading with anchor #no-such-heading');
    expect(brokenReason(top, 'harness/nowhere/README.md')).toBe('no such file');
  });
});
