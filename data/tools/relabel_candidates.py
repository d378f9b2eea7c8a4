#!/usr/bin/env python3
"""List rows that may break GUIDELINES.md's rules on routine acts and sources.

A candidate is a row labeled favor or against whose actor mention is the subject of
a routine-act verb (section 2, rule 4 and the neutral row of its table: meets,
visits, announces, signs, schedules, hosts, votes, files, adopts, ...) or of a
speech verb (section 5.1: says, said, told, stated, argued, warned, ...), or the
source of an "according to" or of a quotation ('"...," X said' / 'said X').
"Subject" is approximated by position: the verb follows the mention directly, or
after a possessive and up to three words ("Iran's foreign ministry said", "the
Kremlin on Monday announced"), or after a comma-delimited apposition of up to eight
words. The list is a reading list, not a verdict: every candidate is read in full and
relabeled only when it clearly breaks a written rule (see
data/corpus/relabel-2026-12.csv).

    python3 data/tools/relabel_candidates.py [--kind routine|speech] [--csv]

Standard library only.
"""
import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ROUTINE = """met meets meet visited visits visit announced announces announce signed signs sign
scheduled schedules held holds hosted hosts host convened convenes voted votes adopted adopts
filed files proposed proposes submitted submits launched launches unveiled unveils published
publishes opened opens appointed appoints nominated nominates introduced introduces imposed
imposes approved approves agreed agrees attended attends travelled traveled travels arrived
arrives invited invites called calls requested requests released releases issued issues
presented presents tabled tables extended extends renewed renews set sets""".split()
SPEECH = """said says say told tells stated states argued argues insisted insists claimed claims
warned warns noted notes added adds reported reports confirmed confirms urged urges
acknowledged acknowledges declared declares explained explains wrote writes maintained
maintains contended contends countered counters responded responds replied replies
denied denies estimated estimates predicted predicts described describes
reiterated reiterates stressed stresses emphasised emphasized""".split()
WORD = r"[\w'’.-]+"
ADV = r"(?:\s+(?:on|last|this|late|early|in)\s+\w+|\s+\w+ly)?"


def rx_after(verbs):
    v = "|".join(sorted(verbs, key=len, reverse=True))
    return re.compile(
        r"^(?:['’]s?(?:\s+" + WORD + r"){0,3}?|(?:\s+" + WORD + r"){0,2}?|,[^,]{1,60},)"
        + ADV + r"\s+(?:has\s+|had\s+|have\s+|would\s+|will\s+)?(?:" + v + r")\b", re.I)


AFTER = {"routine": rx_after(ROUTINE), "speech": rx_after(SPEECH)}
SAID_BEFORE = re.compile(r"(?:said|says|told|according to|wrote|added)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,3}$", re.I)
QUOTE_BEFORE = re.compile(r"[\"”'’],?\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,3}$")


def locate(text, target):
    for m in re.finditer(re.escape(target), text):
        s, e = m.start(), m.end()
        if (s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum()):
            return s, e
    return None


def candidates():
    for part in sorted((ROOT / "corpus" / "parts").glob("*.csv")):
        with part.open(newline="", encoding="utf-8") as f:
            for i, r in enumerate(csv.DictReader(f), start=2):
                if r["stance"] not in ("favor", "against"):
                    continue
                span = locate(r["text"], r["target"])
                if not span:
                    continue
                before, after = r["text"][:span[0]], r["text"][span[1]:]
                kinds = [k for k, rx in AFTER.items() if rx.match(after)]
                if "speech" not in kinds and (SAID_BEFORE.search(before) or
                                              (QUOTE_BEFORE.search(before) and re.search(r"\b(?:said|says)\b", after[:40]))):
                    kinds.append("speech")
                for k in kinds:
                    yield k, part.stem, i, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["routine", "speech"])
    ap.add_argument("--csv", action="store_true")
    args = ap.parse_args()
    rows = [c for c in candidates() if not args.kind or c[0] == args.kind]
    if args.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["kind", "part", "line", "text", "target", "actor", "stance", "bias", "register"])
        for k, p, i, r in rows:
            w.writerow([k, p, i, r["text"], r["target"], r["actor"], r["stance"], r["bias"], r["register"]])
        return
    for k, p, i, r in rows:
        print(f"[{k}] {p}:{i} [{r['register']}, {r['bias']}] {r['target']} -> {r['stance']}\n    {r['text']}")
    by = {}
    for k, p, i, r in rows:
        by[(k, r["stance"])] = by.get((k, r["stance"]), 0) + 1
    print(f"\n{len(rows)} candidates ({len({(p, i) for _, p, i, _ in rows})} rows): "
          + ", ".join(f"{k} {s} {n}" for (k, s), n in sorted(by.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
