#!/usr/bin/env python3
"""How much of a model's stance evidence sits on the corpus's stock opinion phrases.

The project's corpus over-uses a few opinion phrases that real news rarely uses
("deserve*", "quietly", "credit"; data/README.md). This script classifies the distinct
sentences of a labeled CSV with `stance-classify --explain` (every feature listed) and
reports, for the stance logits (favor vs against) of the actors found:

  - the share of all |contribution| (features, not the intercept) on features with a
    span of at most three words that touches a stock word (n-grams, cue and window
    words; not the averaged word vectors of a whole block, to which a stock word adds
    one word of many), over all sentences and over the sentences that contain one;
  - how often the stock-word features alone decide the sign of the logit (removing them
    would flip favor/against) in the sentences that contain one.

Usage: python3 benches/stock_phrases.py [--model M] [--bin DIR] [CSV ...]
(default: data/corpus/dev.csv and ../shared/data/newsmtsc/dev.csv; the real-news file is
read at run time, never stored)."""
import argparse, csv, json, os, re, subprocess, sys

STOCK = re.compile(r"\b(deserv\w*|quietly|credit\w*)\b", re.I)


def sentences(path):
    seen = []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            t = r["text"]
            if t not in seen:
                seen.append(t)
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--bin", default="target/release")
    ap.add_argument("csv", nargs="*", default=["data/corpus/dev.csv", "../shared/data/newsmtsc/dev.csv"])
    a = ap.parse_args()
    for path in a.csv:
        if not os.path.exists(path):
            print(f"{path}: missing, skipped", file=sys.stderr)
            continue
        sents = sentences(path)
        lines = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(sents))
        cmd = [os.path.join(a.bin, "stance-classify"), "--format", "jsonl", "--explain", "100000", "-"]
        if a.model:
            cmd[1:1] = ["-m", a.model]
        out = subprocess.run(cmd, input=lines.encode(), capture_output=True, check=True).stdout
        tot_all = stock_all = 0.0
        tot_in = stock_in = 0.0
        pairs_in = flips = 0
        n_stock_sents = 0
        for line in out.decode().splitlines():
            d = json.loads(line)
            for s in d["sentences"]:
                text = s["text"]
                spans = [(m.start() + s["start"], m.end() + s["start"]) for m in STOCK.finditer(text)]
                n_stock_sents += bool(spans)
                for act in s.get("actors", []):
                    e = act.get("explanation")
                    if not e:
                        continue
                    on = off = 0.0
                    signed_on = 0.0
                    for f in e["features"]:
                        c = f["contribution"]
                        short = [(a0, a1) for (a0, a1) in f["spans"]
                                 if len(text[a0 - s["start"]:a1 - s["start"]].split()) <= 3]
                        touch = any(a0 < e1 and e0 < a1 for (a0, a1) in short for (e0, e1) in spans)
                        if touch:
                            on += abs(c)
                            signed_on += c
                        else:
                            off += abs(c)
                    tot_all += on + off
                    stock_all += on
                    if spans:
                        pairs_in += 1
                        tot_in += on + off
                        stock_in += on
                        logit = e["logit"]
                        if (logit > 0) != (logit - signed_on > 0):
                            flips += 1
        print(f"{path}: {len(sents)} sentences, {n_stock_sents} with a stock word")
        print(f"  share of stance evidence on stock words: all sentences {stock_all / max(tot_all, 1e-12):.4f}; "
              f"sentences with one {stock_in / max(tot_in, 1e-12):.4f} ({pairs_in} actor-sentence pairs)")
        print(f"  pairs whose favor/against sign the stock-word features decide: {flips} of {pairs_in}"
              f" ({flips / max(pairs_in, 1):.4f})")


if __name__ == "__main__":
    main()
