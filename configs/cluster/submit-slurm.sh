#!/usr/bin/env bash
# Submits a sweep as a SLURM array of N shard tasks and a merge job that runs when all succeed.
#   configs/cluster/submit-slurm.sh configs/my-sweep.yaml 8 reports/my-sweep
set -euo pipefail
config="${1:?usage: submit-slurm.sh <config.yaml> <shards> <run-dir>}"
shards="${2:?number of shards}"
run_dir="${3:?run directory, reports/<name>}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p logs
array_job=$(sbatch --parsable --array="0-$((shards - 1))" "$here/shards.sbatch" "$config")
sbatch --dependency="afterok:${array_job}" "$here/merge.sbatch" "$run_dir"
