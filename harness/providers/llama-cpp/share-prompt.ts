/**
 * Evaluates a prompt once for all the samples of a request: on one sequence, then copies that
 * sequence's state (its KV cells and tokens) to the others. node-llama-cpp 3.21.1 has no binding for
 * llama.cpp's `llama_memory_seq_cp`; the one way it moves a sequence's state to another sequence is
 * `saveStateToFile` / `loadStateFromFile` (llama_state_seq_save_file / _load_file), so the copy goes
 * through a file in a private scratch folder, deleted with its folder as soon as the copies are
 * loaded (a run exits without closing its providers, so nothing may be left for `dispose`). Each
 * sequence still holds its own copy of the cells (memory is per sequence); what is saved is the
 * prompt's evaluation, once instead of once per sample.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineSequence, EngineToken } from './engine-module.ts';
import { reusePrefix } from './sample-on-sequence.ts';

/** Copies sequence states through files, each in a scratch folder of its own removed after the copy. */
export interface PromptStateStore {
  /** Evaluates `tokens` (all but the last) on one sequence and gives every other sequence the same state. */
  share(sequences: EngineSequence[], tokens: EngineToken[]): Promise<PromptShareOutcome>;
  /** Removes the scratch folders of copies still under way (the engine is closing). */
  dispose(): Promise<void>;
}

/** What a share did (for tests and benchmarks). */
export interface PromptShareOutcome {
  /** Prompt tokens evaluated on the source sequence. */
  evaluatedTokens: number;
  /** Sequences given the source's state by a copy. */
  copies: number;
}

/**
 * A store whose scratch folders are made under `scratchRoot` (the system's temporary folder, passed
 * in); before the first, the folders of dead processes are removed.
 */
export function createPromptStateStore(scratchRoot: string): PromptStateStore {
  let staleRemoved: Promise<void> | undefined;
  const live = new Set<string>();
  return {
    async share(sequences, tokens) {
      // The last prompt token is left out: each sample evaluates it again, for its first logits.
      const held = tokens.slice(0, -1);
      // The source is the sequence that already holds the most of the prompt.
      const shared = (sequence: EngineSequence): number => sequence.compareContextTokens(held).firstDifferentIndex;
      const source = sequences.reduce<EngineSequence | undefined>((best, sequence) => (best === undefined || shared(sequence) > shared(best) ? sequence : best), undefined);
      if (source === undefined || held.length === 0) return { evaluatedTokens: 0, copies: 0 };
      const others = sequences.filter((sequence) => sequence !== source);
      const kept = await reusePrefix(source, held, held.length);
      if (kept < held.length) await source.evaluateWithoutGeneratingNewTokens(held.slice(kept));
      const lacking = others.filter((sequence) => shared(sequence) < held.length);
      if (lacking.length === 0) return { evaluatedTokens: held.length - kept, copies: 0 };
      staleRemoved ??= removeStaleFolders(scratchRoot);
      await staleRemoved;
      const folder = await mkdtemp(join(scratchRoot, `${FOLDER_PREFIX}${process.pid}-`));
      live.add(folder);
      try {
        const path = join(folder, 'prompt.state');
        await source.saveStateToFile(path);
        // The file comes from this very context a moment ago, which is the risk the flag asks about.
        for (const sequence of lacking) await sequence.loadStateFromFile(path, { acceptRisk: true });
      } finally {
        live.delete(folder);
        await rm(folder, { recursive: true, force: true });
      }
      return { evaluatedTokens: held.length - kept, copies: lacking.length };
    },
    async dispose() {
      const folders = [...live];
      live.clear();
      await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
    },
  };
}

/** Scratch folders are named `scaling-bench-llama-<pid>-<random>`: the pid tells whose they are. */
const FOLDER_PREFIX = 'scaling-bench-llama-';

/**
 * Removes scratch folders left by engines whose process is gone (a process killed with SIGKILL
 * cannot remove its own), so crashes do not pile state files up in the temporary folder.
 */
export async function removeStaleFolders(scratchRoot: string): Promise<void> {
  const names = await readdir(scratchRoot).catch(() => [] as string[]);
  for (const name of names) {
    const match = new RegExp(`^${FOLDER_PREFIX}(\\d+)-`).exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    await rm(join(scratchRoot, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
