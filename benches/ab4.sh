#!/usr/bin/env bash
# Four-way alternating variant of benches/ab.sh (the same throughput input and wall-clock
# timing, classification only): two builds, each lexicon-only (--actors-only) and with
# discovery, in turn (base-lex base-disc new-lex new-disc ...), so that one run gives the
# discovery / lexicon-only ratio of both builds under the same machine drift. Prints every
# run's wall seconds and each side's median, on 1 and 2 threads.
# Usage: bash benches/ab4.sh BASE_DIR NEW_DIR [RUNS=7] [REPS=26]
#   BASE_DIR, NEW_DIR: folders holding stance-classify of each build.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bash benches/ab4.sh BASE_DIR NEW_DIR [RUNS] [REPS]}
new=${2:?usage: bash benches/ab4.sh BASE_DIR NEW_DIR [RUNS] [REPS]}
runs=${3:-7}
reps=${4:-26}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benches/ab_common.sh
. benches/ab_common.sh
for th in 1 2; do
  declare -A t=()
  for ((i = 0; i < runs; i++)); do
    for side in base-lex base-disc new-lex new-disc; do
      case $side in base-*) dir=$base ;; *) dir=$new ;; esac
      case $side in *-lex) flags=--actors-only ;; *) flags= ;; esac
      s=$(secs "$dir/stance-classify" $flags --format jsonl --threads $th - <"$tmp/in.jsonl")
      t[$side]+="$s "
    done
  done
  for side in base-lex base-disc new-lex new-disc; do
    echo "classify$th $side: ${t[$side]}| median $(median ${t[$side]})"
  done
  unset t
done
