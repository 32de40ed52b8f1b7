/** The format readers by name. */
import { ConfigError } from '../../core/errors.ts';
import { IMPORT_FORMATS, type FormatReader, type ImportFormatName } from '../types.ts';
import { codetFormat } from './codet.ts';
import { jsonlFormat } from './jsonl.ts';
import { lmEvalFormat } from './lm-eval.ts';
import { monkeyBusinessFormat } from './monkey-business.ts';
import { qwenMathFormat } from './qwen-math.ts';

const READERS: Record<ImportFormatName, FormatReader> = {
  'monkey-business': monkeyBusinessFormat,
  'lm-eval': lmEvalFormat,
  jsonl: jsonlFormat,
  codet: codetFormat,
  'qwen-math': qwenMathFormat,
};

/** True when `name` is one of IMPORT_FORMATS. */
export function isImportFormat(name: string): name is ImportFormatName {
  return (IMPORT_FORMATS as readonly string[]).includes(name);
}

/** The reader of a format; a ConfigError listing the valid names for an unknown one. */
export function formatReader(name: string): FormatReader {
  if (!isImportFormat(name)) {
    throw new ConfigError('IMPORT_FORMAT_INVALID', `unknown import format '${name}' (valid: ${IMPORT_FORMATS.join(', ')})`, {
      hint: 'Pass one of the listed formats to --format, or omit it to detect the format from the source.',
    });
  }
  return READERS[name];
}
