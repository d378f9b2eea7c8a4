#!/usr/bin/env bash
# Train the shipped named-entity tagger (models/tagger.ner) on the GMB extract's training
# split; the dev split is only scored (the figures printed at the end), never trained on.
# Deterministic: the same command on the same sources gives a byte-identical file.
# Needs the shared data next to the repository (../shared/data/ner-gmb/{train,dev}.csv).
# Usage: bash models/train-tagger.sh [OUTPUT]   (default: models/tagger.ner)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/tagger.ner}"
data="${NER_GMB_DIR:-../shared/data/ner-gmb}"
cargo run --release --quiet --features internals --example ner_gmb -- \
    "$data/train.csv" "$data/dev.csv" --clusters data/resources/glove-clusters.tsv -o "$out"
