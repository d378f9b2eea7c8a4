# Shared by benches/ab.sh and benches/ab4.sh (sourced, not run): the throughput input
# (the unique NewsMTSC dev sentences in JSON Lines articles of 20, repeated $reps
# times) written to "$tmp/in.jsonl", and the timing helpers.
# Needs: $reps, $tmp; run from the repository root.
python3 - ../shared/data/newsmtsc/dev.csv "$reps" >"$tmp/in.jsonl" <<'PY'
import csv, json, sys
seen, sents = set(), []
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f):
        if row["text"] not in seen:
            seen.add(row["text"]); sents.append(row["text"])
n = 0
for r in range(int(sys.argv[2])):
    for i in range(0, len(sents), 20):
        print(json.dumps({"id": f"a{n}", "text": " ".join(sents[i:i + 20])}, ensure_ascii=False))
        n += 1
PY
secs() { # command... -> wall seconds
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.3f}')"
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
