#!/usr/bin/env bash
# Writes every user-visible output of the release binaries into one folder, so that two
# builds can be compared byte for byte (`diff -r A B`): the example articles in every
# format (table, JSON, JSON Lines, CSV, HTML; with --sentences and --explain), the
# benchmark's throughput input (the unique NewsMTSC dev sentences in articles of 20, as
# benches/speed.py builds it) as JSON Lines and CSV, `--eval` on the shared dev splits and
# the corpus, `--compare`, and `--describe`.
# Usage: bash benches/outputs.sh OUT_DIR   (builds the release binaries first)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bash benches/outputs.sh OUT_DIR}
mkdir -p "$out"
cargo build --release --bin stance-train --bin stance-classify >&2
c=target/release/stance-classify
data=../shared/data
for f in data/articles/*.txt; do
  b=$(basename "$f" .txt)
  "$c" "$f" >"$out/$b.table"
  "$c" -s "$f" >"$out/$b.s.table"
  "$c" --explain 5 -s "$f" >"$out/$b.explain.table"
  "$c" --format json --explain 5 -s "$f" >"$out/$b.json"
  "$c" --format csv -s "$f" >"$out/$b.s.csv"
  "$c" --format csv "$f" >"$out/$b.csv"
  "$c" --format html --explain 5 -s "$f" >"$out/$b.html"
done
"$c" --compare data/articles/0[1-4]*.txt >"$out/compare.table"
"$c" --compare --format html data/articles/0[1-4]*.txt >"$out/compare.html"
"$c" --describe >"$out/describe.txt"
"$c" --describe --format json >"$out/describe.json"
"$c" --eval data/corpus/dev.csv >"$out/eval-corpus.txt" 2>&1
if [ -d "$data" ]; then
  python3 - "$data/newsmtsc/dev.csv" >"$out/throughput.jsonl" <<'EOF'
import csv, json, sys
seen, sents = set(), []
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f):
        if row["text"] not in seen:
            seen.add(row["text"]); sents.append(row["text"])
for i in range(0, len(sents), 20):
    text = " ".join(sents[i:i + 20])
    print(json.dumps({"id": f"a{i // 20}", "text": text}, ensure_ascii=False))
EOF
  "$c" --format jsonl - <"$out/throughput.jsonl" >"$out/throughput.out.jsonl"
  "$c" --format csv -s - <"$out/throughput.jsonl" >"$out/throughput.out.csv"
  "$c" --format jsonl --explain 3 -s - <"$out/throughput.jsonl" >"$out/throughput.explain.jsonl"
  rm "$out/throughput.jsonl"
  "$c" --eval "$data/newsmtsc/dev.csv" >"$out/eval-newsmtsc.txt" 2>&1
  "$c" --eval "$data/babe/dev.csv" >"$out/eval-babe.txt" 2>&1
fi
ls "$out" | wc -l
