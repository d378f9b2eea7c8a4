#!/usr/bin/env python3
"""NER recall on the example articles: how many of the names their discovery gold lists
(data/articles/*.gold.toml, mentions of kind name, short or alias that start with a
capital letter) the built-in tagger finds as a span of the right type.

    python3 benches/ner_articles.py      (builds and runs `cargo run --example tag`)

Leading title words are dropped from gold and predicted spans alike ("Governor Teresa
Alvarado" -> "Teresa Alvarado"), as discovery does before using a name. Gold kinds map to
tagger types: person -> PERSON; state, place -> GPE_OR_LOC; organization, company, party
-> ORG. Only recall is measured: the gold lists the mentions of the actors a reader would
name, not every name, so a predicted span outside it is not an error of the tagger.
"""
import glob
import os
import subprocess
import tomllib
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPE = {"person": "PERSON", "state": "GPE_OR_LOC", "place": "GPE_OR_LOC",
        "organization": "ORG", "company": "ORG", "party": "ORG"}
TITLES = {"president", "senator", "sen.", "rep.", "representative", "governor", "gov.",
          "mr.", "ms.", "mrs.", "dr.", "prime", "minister", "chancellor", "secretary",
          "mayor", "judge", "justice", "general", "gen.", "king", "queen", "prince",
          "speaker", "leader", "chief", "executive", "ceo", "home", "foreign", "sheriff",
          "councillor", "commissioner", "ambassador", "envoy", "director", "chairman",
          "chairwoman", "deputy", "vice", "attorney", "state", "majority", "minority"}


def strip_title(text, start):
    """Drop leading title words (lowercased match) from a span's text."""
    words = text.split(" ")
    k = 0
    while k < len(words) - 1 and words[k].lower() in TITLES:
        k += 1
    cut = sum(len(w) + 1 for w in words[:k])
    return text[cut:], start + cut


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "data/articles/*.gold.toml")))
    texts = [open(f.replace(".gold.toml", ".txt"), encoding="utf-8").read() for f in files]
    lines = [line for t in texts for line in t.split("\n")]
    out = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--example", "tag"],
        cwd=ROOT, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    # (mention kinds, type) -> counts; "name+short" leaves out aliases (demonyms such as
    # "Russian", metonyms such as "Kremlin"), which GMB's scheme types by the word, not
    # by the actor (a demonym is OTHER), and which the lexicon, not the tagger, resolves.
    found, typed, total = Counter(), Counter(), Counter()
    misses = []
    k = 0
    for f, text in zip(files, texts):
        predicted = set()
        at = 0
        for line in text.split("\n"):
            cursor = 0
            for item in filter(None, out[k].split(" [")):
                item = item.lstrip("[")
                span, kind = item.rsplit("]", 1)
                i = line.find(span, cursor)
                if i >= 0:
                    cursor = i + len(span)
                    s_text, s = strip_title(span, at + i)
                    predicted.add((s, s + len(s_text), kind))
            k += 1
            at += len(line) + 1
        spans = {(s, e) for s, e, _ in predicted}
        gold = tomllib.load(open(f, "rb"))
        for actor in gold.get("actor", []):
            want = TYPE.get(actor.get("kind", ""))
            if want is None:
                continue
            for m in actor.get("mentions", []):
                if m["kind"] not in ("name", "short", "alias") or not m["text"][:1].isupper():
                    continue
                g_text, g = strip_title(m["text"], m["at"])
                sets = ["all"] + (["name+short"] if m["kind"] != "alias" else [])
                for which in sets:
                    total[which, want] += 1
                if (g, g + len(g_text)) in spans:
                    for which in sets:
                        found[which, want] += 1
                    if (g, g + len(g_text), want) in predicted:
                        for which in sets:
                            typed[which, want] += 1
                    else:
                        misses.append(f"{os.path.basename(f)}: {g_text!r} typed otherwise")
                else:
                    misses.append(f"{os.path.basename(f)}: {g_text!r} ({want}) not a span")
    print(f"{len(files)} articles; gold names (mentions of kind name, short, alias), titles dropped")
    for which in ("name+short", "all"):
        print(f"\n{which}:")
        print(f"{'type':<12} {'gold':>5} {'span found':>11} {'right type':>11}")
        for t in ("PERSON", "ORG", "GPE_OR_LOC"):
            n = total[which, t]
            print(f"{t:<12} {n:>5} {found[which, t] / n:>11.4f} {typed[which, t] / n:>11.4f}")
        n = sum(v for (w, _), v in total.items() if w == which)
        f = sum(v for (w, _), v in found.items() if w == which)
        r = sum(v for (w, _), v in typed.items() if w == which)
        print(f"{'all':<12} {n:>5} {f / n:>11.4f} {r / n:>11.4f}")
    if os.environ.get("VERBOSE"):
        print("\n".join(misses))


if __name__ == "__main__":
    main()
