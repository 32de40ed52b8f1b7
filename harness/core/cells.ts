/** Cell ids: one cell per model × dataset × thinking budget × temperature. */

/** The id of a cell, e.g. `llama3-8b/math500/think0/t0.6`. Stable: it keys samples.jsonl. */
export function cellId(model: string, dataset: string, thinkingBudget: number, temperature: number): string {
  return `${model}/${dataset}/think${thinkingBudget}/t${temperature}`;
}
