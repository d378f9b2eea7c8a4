#!/usr/bin/env python3
"""Draw the fixed random sample of corpus sentences used by the 2026-12 audit.

The sample is SIZE distinct sentences drawn with random.Random(SEED) from the
distinct `text` values of data/corpus/parts/*.csv in file and row order (the part
files, not train/dev, so that the draw does not depend on the split). Each sentence
comes with all of its rows.

    python3 data/tools/audit_sample.py            # print the sample (part, text, rows)
    python3 data/tools/audit_sample.py --tally    # tally the judgments in
                                                  # data/corpus/audit/sample-2026-12.csv

The judgments file has one row per sampled (sentence, target): part, text, target,
actor, stance, bias (as they were when the sample was judged), real_event (same
value on every row of a sentence: `real` when the sentence retells a recognisable real
event with its real details or figures, so that a reader could take it as a report of
that event; `echo` when a recognisable real event is retold with changed names or
figures, or with one real figure reused; `situation` when it refers to a real,
well-known policy or state of affairs without retelling one event; `no` otherwise),
real_event_note (which event), rule_break (empty, or the GUIDELINES.md section whose
rule the row's label breaks) and note. Standard library only.
"""
import argparse
import csv
import random
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261207
SIZE = 60
JUDGED = ROOT / "corpus" / "audit" / "sample-2026-12.csv"


def sample():
    rows = []
    for part in sorted((ROOT / "corpus" / "parts").glob("*.csv")):
        with part.open(newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                r["part"] = part.stem
                rows.append(r)
    order = list(dict.fromkeys(r["text"] for r in rows))
    picked = random.Random(SEED).sample(order, SIZE)
    return [(t, [r for r in rows if r["text"] == t]) for t in picked]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tally", action="store_true")
    args = ap.parse_args()
    if not args.tally:
        for n, (t, rs) in enumerate(sample(), 1):
            print(f"{n}. [{rs[0]['part']}, {rs[0]['register']}, {rs[0]['bias']}] {t}")
            for r in rs:
                print(f"     {r['target']} -> {r['actor']}: {r['stance']}")
        return
    with JUDGED.open(newline="", encoding="utf-8") as f:
        judged = list(csv.DictReader(f))
    sents = {}
    for r in judged:
        sents.setdefault(r["text"], r["real_event"])
    c = Counter(sents.values())
    n = len(sents)
    print(f"sentences judged: {n}")
    for k in ["real", "echo", "situation", "no"]:
        print(f"  real_event={k}: {c[k]} ({100 * c[k] / n:.1f}%)")
    broken = [r for r in judged if r["rule_break"]]
    print(f"rows judged: {len(judged)}; rows whose label breaks a written rule: {len(broken)} "
          f"({100 * len(broken) / len(judged):.1f}%), in "
          f"{len({r['text'] for r in broken})} of {n} sentences")
    for k, v in sorted(Counter(r["rule_break"] for r in broken).items()):
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
