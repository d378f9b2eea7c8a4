#!/usr/bin/env bash
# Speed and memory benchmark: stance vs scikit-learn and fastText on ../shared/data,
# measured in one run (training time/RSS/dev macro-F1, classification throughput,
# streaming memory, scaling to 10k/100k/1M rows, pathological inputs). Prints Markdown
# tables as it goes.
# Usage: bash benches/speed.sh [--quick] [speed.py options, see --help]
#        bash benches/speed.sh --sections 5   (pathological inputs only: no peers needed)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin stance-train --bin stance-classify >&2
if [[ " $* " == *" --sections 5 "* ]]; then
  exec python3 benches/speed.py "$@"
fi
bash benches/setup_peers.sh >&2
exec benches/.venv/bin/python benches/speed.py "$@"
