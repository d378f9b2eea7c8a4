#!/usr/bin/env bash
# Train the shipped default model from the project's own corpus (data/corpus/train.csv)
# pooled with NewsMTSC's train split (../shared/data/newsmtsc/train.csv, read at run time,
# never copied into the repository). The dev splits are only scored, never trained on.
# Deterministic: the same command on
# the same sources gives a byte-identical file (tests/cli/train.rs checks it).
# Usage: bash models/train-default.sh [OUTPUT]   (default: models/default.stance)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/default.stance}"
# shellcheck disable=SC2046
cargo run --release --quiet --bin stance-train -- $(cat models/default.args) -o "$out" --quiet
