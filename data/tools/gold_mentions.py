#!/usr/bin/env python3
"""Write the discovery gold (kind + mentions) of an example article from a compact spec.

The spec is data/tools/discovery/NN.py, defining ACTORS: a list of dicts
  {"name": ..., "kind": ..., "stance": ..., "clear": ..., "m": [mention specs]}
(stance/clear may be omitted for actors already in the gold file: their values are kept).
A mention spec is "K:text", "K:text@ctx" or "K:text!ctx" with K one of
n (name), s (short), t (title), p (pronoun), a (alias):
  "n:Iran"          every whole-word, case-sensitive occurrence of "Iran" in the file
  "p:it@It hosted"  the occurrence(s) of "It" inside every occurrence of the context
  "a:Moscow!talks in Moscow"  every occurrence except those inside the context
Several specs of one actor are separated by "|"-free list items; "!" exclusions apply to the
preceding "all" spec only. Offsets are Python str indices (code points) into the whole .txt.
The header of the gold file (register, summary, one_sided) is kept verbatim.

Usage: python3 data/tools/gold_mentions.py NN [--show]
"""
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ART = ROOT / "articles"
KINDS = {"n": "name", "s": "short", "t": "title", "p": "pronoun", "a": "alias"}


def word_hits(text, s, lo=0, hi=None):
    hi = len(text) if hi is None else hi
    pat = re.compile(r"(?<![\w])" + re.escape(s) + r"(?![\w])")
    return [m.start() for m in pat.finditer(text, lo, hi)]


def ctx_spans(text, ctx):
    out, i = [], text.find(ctx)
    while i >= 0:
        out.append((i, i + len(ctx)))
        i = text.find(ctx, i + 1)
    return out


def resolve(text, spec, where):
    k, rest = spec.split(":", 1)
    kind = KINDS[k]
    if "@" in rest:
        s, ctx = rest.split("@", 1)
        spans = ctx_spans(text, ctx)
        if not spans:
            sys.exit(f"{where}: context not found: {ctx!r}")
        hits = []
        for a, b in spans:
            h = word_hits(text, s, a, b)
            if not h:
                sys.exit(f"{where}: {s!r} not in context {ctx!r}")
            hits += h
        return [(h, s, kind) for h in hits]
    parts = rest.split("!")
    s, excl = parts[0], parts[1:]
    hits = word_hits(text, s)
    bad = []
    for ctx in excl:
        spans = ctx_spans(text, ctx)
        if not spans:
            sys.exit(f"{where}: exclusion context not found: {ctx!r}")
        bad += spans
    hits = [h for h in hits if not any(a <= h < b for a, b in bad)]
    if not hits:
        sys.exit(f"{where}: no occurrence of {s!r}")
    return [(h, s, kind) for h in hits]


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    nn = sys.argv[1]
    show = "--show" in sys.argv
    txt = next(ART.glob(f"{nn}-*.txt"))
    gold = txt.with_name(txt.name.replace(".txt", ".gold.toml"))
    text = txt.read_text(encoding="utf-8")
    old = gold.read_text(encoding="utf-8") if gold.exists() else ""
    header = old.split("[[actor]]")[0].rstrip() + "\n" if old else ""
    if not header.strip():
        spec_header = getattr(load_spec(nn), "HEADER", None)
        header = spec_header.strip() + "\n"
    existing = {a["name"]: a for a in tomllib.loads(old).get("actor", [])} if old else {}
    spec = load_spec(nn)
    names = [a["name"] for a in spec.ACTORS]
    missing = [n for n in existing if n not in names]
    if missing:
        sys.exit(f"{nn}: existing actors missing from spec: {missing}")
    used = {}
    out = [header]
    for a in spec.ACTORS:
        e = existing.get(a["name"], {})
        stance = e.get("stance", a.get("stance"))
        clear = e.get("clear", a.get("clear"))
        if stance is None or clear is None:
            sys.exit(f"{nn}: {a['name']}: new actor needs stance and clear")
        ms = []
        for sp in a["m"]:
            ms += resolve(text, sp, f"{nn}: {a['name']}")
        ms = sorted(set(ms))
        for at, s, kind in ms:
            for p in range(at, at + len(s)):
                if p in used:
                    sys.exit(f"{nn}: {a['name']}: {s!r}@{at} overlaps {used[p]}")
                used[p] = f"{a['name']}:{s!r}@{at}"
        out.append("\n[[actor]]\n")
        out.append(f"name = {q(a['name'])}\nkind = {q(a['kind'])}\n")
        out.append(f"stance = {q(stance)}\nclear = {'true' if clear else 'false'}\n")
        out.append("mentions = [\n")
        for at, s, kind in ms:
            out.append(f"  {{ at = {at}, text = {q(s)}, kind = {q(kind)} }},\n")
        out.append("]\n")
        if show:
            print(f"== {a['name']} ({a['kind']}, {stance}, clear={clear}): {len(ms)}")
            for at, s, kind in ms:
                c = text[max(0, at - 30):at + len(s) + 30].replace("\n", " ")
                print(f"   {at:5} {kind:8} {s!r:24} ...{c}...")
    gold.write_text("".join(out), encoding="utf-8")


def load_spec(nn):
    import importlib.util
    p = Path(__file__).resolve().parent / "discovery" / f"{nn}.py"
    sp = importlib.util.spec_from_file_location(f"spec{nn}", p)
    m = importlib.util.module_from_spec(sp)
    sp.loader.exec_module(m)
    return m


if __name__ == "__main__":
    main()
