/**
 * Checks a GGUF file before the engine loads it, so each way it can be wrong is a coded error
 * with the path and what to do: missing, not GGUF, an architecture the engine does not know.
 */
import { open } from 'node:fs/promises';
import { ProviderError } from '../../core/errors.ts';
import { engineVersion, type EngineModule } from './engine-module.ts';

const ggufMagic = 'GGUF';

function fileError(code: string, message: string, hint: string, cause?: unknown): ProviderError {
  return new ProviderError(code, message, { hint, retryable: false, ...(cause === undefined ? {} : { cause }) });
}

/** Reads the first bytes of `path`; throws MODEL_FILE_NOT_FOUND or MODEL_NOT_GGUF. */
export async function checkGgufMagic(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError('MODEL_FILE_NOT_FOUND', `model file ${path} does not exist or cannot be read`, 'Check `modelPath` (relative paths start at the working folder), or use a Hub reference `hf:<owner>/<repo>/<file>.gguf`.', error);
  }
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4 || head.toString('latin1') !== ggufMagic) {
      throw fileError('MODEL_NOT_GGUF', `model file ${path} is not a GGUF file (it does not start with "GGUF")`, 'The llama-cpp provider loads GGUF files only: pick a .gguf file from the model repo (or convert with llama.cpp\'s convert_hf_to_gguf.py).');
    }
  } finally {
    await handle.close();
  }
}

/** The architecture in a GGUF's metadata; throws MODEL_UNSUPPORTED_ARCHITECTURE when the engine does not know it. */
export async function checkArchitecture(path: string, engine: EngineModule): Promise<string> {
  let architecture: string | undefined;
  try {
    const info = await engine.readGgufFileInfo(path, { readTensorInfo: false, logWarnings: false });
    architecture = info.metadata.general?.architecture;
  } catch (error) {
    throw fileError('MODEL_NOT_GGUF', `model file ${path} is not a readable GGUF file`, 'The file may be truncated or corrupt: download it again (`scaling-bench models pull <ref>` resumes).', error);
  }
  const known = new Set(Object.values(engine.GgufArchitectureType));
  if (architecture === undefined || !known.has(architecture)) {
    throw fileError(
      'MODEL_UNSUPPORTED_ARCHITECTURE',
      `model file ${path} has architecture "${architecture ?? '(none)'}", which node-llama-cpp ${engineVersion} does not support`,
      'Use a model of a supported architecture (llama, qwen2, qwen3, mistral, gemma, phi3, …), or serve this one with a server that supports it (provider openai).',
    );
  }
  return architecture;
}

/** Maps an engine load failure to a coded error: too large for memory, or a load failure with the path. */
export function loadFailure(path: string, error: unknown, engine: EngineModule): ProviderError {
  if (error instanceof engine.InsufficientMemoryError || (error instanceof Error && /memory|alloc/i.test(error.message))) {
    return fileError('MODEL_TOO_LARGE', `model file ${path} does not fit in the memory available (${error instanceof Error ? error.message : String(error)})`, 'Use a smaller quantization (e.g. Q4_K_M), lower `contextSize` or `parallel`, or set `gpuLayers` lower to keep layers in RAM.', error);
  }
  return fileError('MODEL_LOAD_FAILED', `the engine could not load ${path}: ${error instanceof Error ? error.message : String(error)}`, 'Check that the file is a complete GGUF (download it again: pulls resume) and that its architecture and quantization are supported by node-llama-cpp ' + engineVersion + '.', error);
}
