/** What `merge` and `report` print after merging the shards of a run folder. */
import type { ShardMergeSummary } from '../import/merge-shards.ts';
import type { CliStreams } from './progress.ts';

/** One line on stdout; missing shards, dropped records and short problems on stderr. */
export function printMergeSummary(streams: CliStreams, summary: ShardMergeSummary): void {
  streams.stdout.write(`merged ${summary.found.length} of ${summary.shards} shards into ${summary.runDir}: ${summary.written} records written of ${summary.read} read\n`);
  if (summary.missingShards.length > 0) streams.stderr.write(`missing shards: ${summary.missingShards.join(', ')}\n`);
  for (const [reason, count] of Object.entries(summary.dropped)) streams.stderr.write(`dropped ${count} records: ${reason}\n`);
  if (summary.incompleteCount > 0) {
    const listed = summary.incomplete.map((entry) => `${entry.cell} ${entry.problem} (${entry.samples} of ${summary.samples}, shard ${entry.shard})`).join('; ');
    streams.stderr.write(`${summary.incompleteCount} problems short of samples: ${listed}${summary.incompleteCount > summary.incomplete.length ? '; …' : ''}\n`);
  }
}
