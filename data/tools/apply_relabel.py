#!/usr/bin/env python3
"""Apply a relabelling log to the part files.

Reads a log (default data/corpus/relabel-2026-12.csv; columns part, line, text,
target, actor, field, old, new, rule, reason), finds each row in
data/corpus/parts/<part>.csv by (text, target) and sets `field` (stance or bias) from
`old` to `new`. A bias change is applied to every row of the sentence (bias is a
sentence label). Rows already at `new` are left as they are, so the script can be
re-run; a row whose current value is neither `old` nor `new`, or that cannot be
found, is an error and nothing is written. `line` (the row's line in the part file
when the log was written) is informative only. The part files are rewritten with
Python's csv module (same header, same row order); the text never changes, so no
sentence changes split.

After a bias change, the part's marks file (data/corpus/marks/<part>.csv) must be
updated by hand: assemble.py requires every biased sentence to be marked once and
rejects marks of unbiased sentences.

    python3 data/tools/apply_relabel.py [LOG]
    python3 data/tools/assemble.py
"""
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "corpus" / "parts"


def main():
    log_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus" / "relabel-2026-12.csv"
    with log_path.open(newline="", encoding="utf-8") as f:
        log = list(csv.DictReader(f))
    errors, changed, already = [], Counter(), 0
    files = {}
    for n, e in enumerate(log, start=2):
        part = files.get(e["part"])
        if part is None:
            path = PARTS / f"{e['part']}.csv"
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                part = files[e["part"]] = (path, reader.fieldnames, list(reader))
        _, _, rows = part
        field = e["field"]
        if field not in ("stance", "bias"):
            errors.append(f"{log_path.name}:{n}: field must be stance or bias")
            continue
        hit = [r for r in rows if r["text"] == e["text"] and r["target"] == e["target"]]
        if len(hit) != 1:
            errors.append(f"{log_path.name}:{n}: {len(hit)} rows match {e['target']!r} in {e['text'][:50]!r}")
            continue
        targets = [r for r in rows if r["text"] == e["text"]] if field == "bias" else hit
        for r in targets:
            if r[field] == e["new"]:
                already += 1
            elif r[field] == e["old"]:
                r[field] = e["new"]
                changed[(e["part"], field)] += 1
            else:
                errors.append(f"{log_path.name}:{n}: {field} is {r[field]!r}, log says {e['old']!r}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    for path, fields, rows in files.values():
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
    for (p, field), k in sorted(changed.items()):
        print(f"{p}: {k} {field} labels changed")
    print(f"{sum(changed.values())} changed, {already} already at the new value")


if __name__ == "__main__":
    main()
