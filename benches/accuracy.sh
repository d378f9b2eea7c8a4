#!/usr/bin/env bash
# Accuracy benchmark: stance vs scikit-learn and fastText on ../shared/data, one table.
# Usage: bash benches/accuracy.sh [--cv K] [--autotune SECONDS] [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin stance-train
bash benches/setup_peers.sh >&2
exec benches/.venv/bin/python benches/accuracy.py "$@"
