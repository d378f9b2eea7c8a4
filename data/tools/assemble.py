#!/usr/bin/env python3
"""Assemble the project's corpus from the hand-written part files.

Reads data/corpus/parts/*.csv (columns text,target,actor,stance,bias,topic,register),
locates each target (first whole-word occurrence; offsets are Python str indices, i.e.
Unicode scalar values, end exclusive), gives every row an id, splits the sentences into
train and dev (a sentence goes to dev when a seeded SHA-256 hash of its text falls in the
lowest 15%, so adding parts never moves an existing sentence; all rows of a sentence are
in the same split) and writes data/corpus/train.csv and
data/corpus/dev.csv. Deterministic: the same parts give byte-identical files.

Loaded words: data/corpus/marks/<part>.csv (columns text,loaded_words) holds, for every
sentence of that part labeled `biased`, the words its annotator marked as loaded
(`;`-separated, data/GUIDELINES.md section 9). They become the `loaded_words` column:
the marks of a biased sentence (`[]` when it has none), `[]` for an unbiased one (no
loaded word in the author's voice, by the definition of the label). Every biased sentence
must be covered exactly once, and every marked word must occur in it as a whole word.

Usage: python3 data/tools/assemble.py
"""
import csv
import hashlib
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "corpus" / "parts"
OUT = ROOT / "corpus"
DEV_SHARE = 0.15
SEED = "stance-corpus-2026"
MARKS = ROOT / "corpus" / "marks"
FIELDS = ["id", "text", "target", "actor", "stance", "mention_start", "mention_end",
          "bias", "loaded_words", "topic", "register", "split"]


def locate(text, target):
    for m in re.finditer(re.escape(target), text):
        s, e = m.start(), m.end()
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        if (not target[0].isalnum() or not before.isalnum()) and (
                not target[-1].isalnum() or not after.isalnum()):
            return s, e
    return None


def whole_word(word, text):
    return re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.IGNORECASE)


def read_marks(part, rows, errors):
    """The marks of a part's biased sentences: {text: [word, ...]}."""
    biased = {r["text"] for r in rows if r["bias"].strip() == "biased"}
    path = MARKS / part.name
    if not path.exists():
        errors.append(f"{path.relative_to(ROOT.parent)}: missing (the part has {len(biased)} biased sentences)")
        return {}
    marks = {}
    with path.open(newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        if r.fieldnames != ["text", "loaded_words"]:
            errors.append(f"{path.name}: header must be text,loaded_words")
            return {}
        for i, row in enumerate(r, start=2):
            text, field = row["text"], row["loaded_words"].strip()
            where = f"{path.name}:{i}"
            if text not in biased:
                errors.append(f"{where}: not a biased sentence of {part.name}: {text[:60]!r}")
                continue
            if text in marks:
                errors.append(f"{where}: sentence marked twice")
            words = [w.strip() for w in field.split(";")] if field else []
            for w in words:
                if not w or " " in w:
                    errors.append(f"{where}: bad item {w!r} (single words, separated by ;)")
                elif not whole_word(w, text):
                    errors.append(f"{where}: {w!r} does not occur in the sentence as a whole word")
            marks[text] = words
    for text in sorted(biased - marks.keys()):
        errors.append(f"{path.name}: biased sentence without marks: {text[:60]!r}")
    return marks


def main():
    rows = []
    errors = []
    for part in sorted(PARTS.glob("*.csv")):
        with part.open(newline="", encoding="utf-8") as f:
            part_rows = list(csv.DictReader(f))
        marks = read_marks(part, part_rows, errors)
        for i, row in enumerate(part_rows, start=2):
            span = locate(row["text"], row["target"])
            if span is None:
                errors.append(f"{part.name}:{i}: target {row['target']!r} not found as a whole word")
                continue
            row = {k: (v or "").strip() if k != "text" else v for k, v in row.items()}
            row["mention_start"], row["mention_end"] = span
            row["part"] = part.stem
            if row["bias"] == "biased":
                row["loaded_words"] = ";".join(marks.get(row["text"], [])) or "[]"
            elif row["bias"] == "unbiased":
                row["loaded_words"] = "[]"
            rows.append(row)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    # Group rows by sentence, in order of first appearance.
    groups = defaultdict(list)
    order = []
    for row in rows:
        key = row["text"]
        if key not in groups:
            order.append(key)
        groups[key].append(row)
    def is_dev(text):
        h = hashlib.sha256((SEED + "\n" + text).encode("utf-8")).digest()
        return int.from_bytes(h[:8], "big") % 10000 < DEV_SHARE * 10000

    dev = {key for key in order if is_dev(key)}
    out = {"train": [], "dev": []}
    for n, key in enumerate(order):
        split = "dev" if key in dev else "train"
        for j, row in enumerate(groups[key]):
            rec = {k: row.get(k, "") for k in FIELDS}
            rec["id"] = f"stance-{n:05d}-{j}"
            rec["split"] = split
            out[split].append(rec)
    for split, recs in out.items():
        path = OUT / f"{split}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(recs)
        print(f"{path.relative_to(ROOT.parent)}: {len(recs)} rows, "
              f"{len({r['text'] for r in recs})} sentences")


if __name__ == "__main__":
    main()
