#!/usr/bin/env bash
# scripts/slurm/submit.sh: submit a neasim run or comparison as a job array of N shards followed
# by a merge job that starts only when every shard has succeeded (sbatch --dependency=afterok).
#
#   scripts/slurm/submit.sh N OUT COMMAND SCENARIO [OPTIONS...]
#   e.g. scripts/slurm/submit.sh 8 results/baseline run scenarios/baseline --runs 1000000
#
# The parts and the jobs' logs go to OUT.parts/ (kept: remove them once OUT is there). Prints the
# two job ids, "ARRAY MERGE". NEASIM names the binary (default: neasim on PATH; give an absolute
# path); NEASIM_SBATCH_OPTS adds sbatch options to both jobs (e.g. "--partition=short
# --time=01:00:00"); NEASIM_SHARD_CPUS sets each shard's --cpus-per-task (its threads; default 1);
# NEASIM_MERGE_OPTS adds options to the merge (e.g. "--xlsx": results.xlsx beside the tables).
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "usage: $0 N OUT COMMAND SCENARIO [OPTIONS...]" >&2
    exit 64
fi
n=$1 out=$2
shift 2
case "$n" in ''|*[!0-9]*|0) echo "$0: N must be a whole number from 1, got '$n'" >&2; exit 64 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
parts=$(realpath -m "$out.parts")
mkdir -p "$parts"
# shellcheck disable=SC2086 # NEASIM_SBATCH_OPTS is a list of options
array=$(sbatch --parsable ${NEASIM_SBATCH_OPTS:-} --array="1-$n" \
    --cpus-per-task="${NEASIM_SHARD_CPUS:-1}" --output="$parts/shard-%a.log" \
    "$here/shard.sbatch" "$parts" "$@")
array=${array%%;*} # "ID;CLUSTER" on a federated cluster
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${NEASIM_SBATCH_OPTS:-} --dependency="afterok:$array" \
    --kill-on-invalid-dep=yes --output="$parts/merge.log" \
    "$here/merge.sbatch" "$parts" "$(realpath -m "$out")")
echo "${array} ${merge%%;*}"
