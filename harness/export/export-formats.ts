/** The file formats of `scaling-bench export` (its own module, so the CLI lists them without loading the writers). */
export const EXPORT_FORMATS = ['parquet', 'csv'] as const;
/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
