#!/usr/bin/env bash
# Alternating A/B timing of two builds of the binaries, for changes that must not slow
# stance down: classification of the throughput input (the unique NewsMTSC dev sentences
# in JSON Lines articles of 20, as benches/speed.py builds it, repeated REPS times) on 1
# and 2 threads, and training on NewsMTSC's train split with the defaults. The builds
# run in turn (A B A B ...), so that drift of the machine hits both alike; prints every
# run's wall seconds and each side's median.
# Usage: bash benches/ab.sh A_DIR B_DIR [RUNS=5] [REPS=26]  (26: the 20,072 sentences of
# benches/speed.py's throughput input)
#   A_DIR, B_DIR: folders holding stance-classify and stance-train of each build.
#   A_FLAGS, B_FLAGS (environment, optional): extra stance-classify flags of each side, e.g.
#   A_FLAGS=--actors-only with A_DIR = B_DIR times discovery against the lexicon alone.
#   AB_WHAT (environment, optional): which timings, of classify1 classify2 train (all).
set -euo pipefail
cd "$(dirname "$0")/.."
a=${1:?usage: bash benches/ab.sh A_DIR B_DIR [RUNS] [REPS]}
b=${2:?usage: bash benches/ab.sh A_DIR B_DIR [RUNS] [REPS]}
runs=${3:-5}
reps=${4:-26}
data=../shared/data/newsmtsc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benches/ab_common.sh
. benches/ab_common.sh
for what in ${AB_WHAT:-classify1 classify2 train}; do
  declare -a ta=() tb=()
  for ((i = 0; i < runs; i++)); do
    for side in a b; do
      dir=${!side}
      if [ "$side" = a ]; then flags=${A_FLAGS:-}; else flags=${B_FLAGS:-}; fi
      case $what in
        classify1) s=$(secs "$dir/stance-classify" $flags --format jsonl --threads 1 - <"$tmp/in.jsonl") ;;
        classify2) s=$(secs "$dir/stance-classify" $flags --format jsonl --threads 2 - <"$tmp/in.jsonl") ;;
        train) s=$(secs "$dir/stance-train" --quiet "$data/train.csv" -o "$tmp/m-$side.stance") ;;
      esac
      if [ "$side" = a ]; then ta+=("$s"); else tb+=("$s"); fi
    done
  done
  echo "$what: A ${ta[*]} | B ${tb[*]} | median A $(median "${ta[@]}") B $(median "${tb[@]}")"
done
