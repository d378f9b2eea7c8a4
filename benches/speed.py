#!/usr/bin/env python3
"""Speed and memory benchmark: stance vs scikit-learn and fastText, measured in one run.

Run through benches/speed.sh (builds the release binaries and the peers' virtualenv):

    bash benches/speed.sh [--quick]

Sections (each printed as a Markdown table as soon as it is measured):
  1. Training on newsmtsc/train.csv: wall seconds, peak RSS and dev macro-F1 of
     `stance-train` (default settings) and of the peers from benches/peers.py
     (sklearn-svc, fasttext-char, fasttext-bigram), with peer/stance ratios.
  2. Classification throughput: the unique newsmtsc dev sentences, concatenated in
     groups of 20 into JSONL articles, through `stance-classify --format jsonl -`
     with --threads 1 and 2 (sentences/s), against the peers' batch predict on every
     (sentence, target) row of the same sentences (rows/s, and those sentences/s).
  3. Memory while streaming ~1 GB (50 MB with --quick) of generated JSONL articles
     (dev sentences repeated) through a pipe into `stance-classify --format jsonl -`:
     peak RSS, RSS over the stream, output lines == input lines.
  4. Scaling: training (in memory and with --stream) and classification time at 10k,
     100k and 1M rows (no 1M with --quick); larger inputs reuse the real newsmtsc train
     sentences. A >100k-row training run is projected from the 10k/100k slope (and not
     run) when that projection exceeds --max-train-minutes, or when its projected peak
     RSS exceeds 80% of MemAvailable.
  5. Pathological inputs (linear-time guard): seconds per MB of classification, with
     the shipped model, of one 50 MB line without punctuation, 100,000 mentions in one
     paragraph and 1 MB of one repeated alias, against ordinary news (the dev sentences
     in JSON Lines articles); fails when one takes over 3x the news time per MB or over
     200 MB of peak RSS. Runs alone with `--sections 5` (no peers, no training).

Timing and peak RSS of the Rust binaries come from `/usr/bin/time -f "%e %M"` when it
exists (else wall clock + os.wait4 rusage of that one child). The peers run, one at a
time, in a fresh child interpreter (`speed.py --peer-child NAME`) that imports
benches/peers.py, so their RSS is their own. Generated inputs live in a temporary
directory (or a pipe) and are deleted; nothing is written into the repository.
"""

import argparse
import csv
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True  # importing peers.py must not leave __pycache__ behind

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ROOT / "benches"
DATA = (ROOT / ".." / "shared" / "data").resolve()
TRAIN_CSV = DATA / "newsmtsc" / "train.csv"
DEV_CSV = DATA / "newsmtsc" / "dev.csv"
TRAIN_BIN = Path(os.environ.get("STANCE_TRAIN_BIN", ROOT / "target" / "release" / "stance-train"))
CLASSIFY_BIN = Path(os.environ.get("STANCE_CLASSIFY_BIN",
                                   ROOT / "target" / "release" / "stance-classify"))
GNU_TIME = "/usr/bin/time"
PEERS = ["sklearn-svc", "fasttext-char", "fasttext-bigram"]
ARTICLE_SENTENCES = 20
SEED = 42

FAILURES = []


def log(msg):
    print(f"[speed {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def out(text=""):
    print(text, flush=True)


class BenchError(RuntimeError):
    pass


# ---------------------------------------------------------------- running + measuring

def have_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        p = subprocess.run([GNU_TIME, "-f", "%e %M", "true"], capture_output=True, text=True)
        return p.returncode == 0 and len(p.stderr.split()) == 2
    except OSError:
        return False


USE_GNU_TIME = have_gnu_time()
MEASURER = '`/usr/bin/time -f "%e %M"`' if USE_GNU_TIME else "os.wait4 rusage (no /usr/bin/time)"


def child_pid_of(pid):
    """First child of pid (the measured program under /usr/bin/time), or None."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def rss_mb_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def run_measured(cmd, stdin_path=None, feeder=None, keep_stdout=False, sample=None,
                 label=None):
    """Run cmd; return dict(seconds, rss_mb, stdout|stdout_lines, samples).

    stdin_path: file for stdin; feeder: callable(write) generating stdin on the fly;
    keep_stdout: return stdout text, else only count its lines; sample: callable()
    -> progress value, to record (progress, RSS MB) every 0.25 s while running.
    Raises BenchError with the program's stderr when it exits non-zero.
    """
    label = label or Path(cmd[0]).name
    with tempfile.TemporaryDirectory(prefix="speed-run-") as td:
        tfile = os.path.join(td, "time")
        efile = os.path.join(td, "stderr")
        full = [GNU_TIME, "-f", "%e %M", "-o", tfile] + cmd if USE_GNU_TIME else cmd
        stdin = subprocess.DEVNULL
        fin = None
        if stdin_path is not None:
            fin = open(stdin_path, "rb")
            stdin = fin
        elif feeder is not None:
            stdin = subprocess.PIPE
        with open(efile, "wb") as ferr:
            t0 = time.perf_counter()
            proc = subprocess.Popen(full, stdin=stdin, stdout=subprocess.PIPE, stderr=ferr)
            result = {"stdout_lines": 0}
            chunks = []
            feed_err = []

            def reader():
                n = 0
                for block in iter(lambda: proc.stdout.read(1 << 16), b""):
                    n += block.count(b"\n")
                    if keep_stdout:
                        chunks.append(block)
                result["stdout_lines"] = n

            def writer():
                try:
                    feeder(proc.stdin.write)
                except BrokenPipeError:
                    feed_err.append("stdin closed early (broken pipe)")
                except Exception as e:  # noqa: BLE001
                    feed_err.append(repr(e))
                finally:
                    try:
                        proc.stdin.close()
                    except BrokenPipeError:
                        pass

            threads = [threading.Thread(target=reader, daemon=True)]
            if feeder is not None:
                threads.append(threading.Thread(target=writer, daemon=True))
            for t in threads:
                t.start()
            samples = []
            if sample is not None:
                target = None
                while proc.poll() is None:
                    if target is None:
                        target = child_pid_of(proc.pid) if USE_GNU_TIME else proc.pid
                    if target is not None:
                        r = rss_mb_of(target)
                        if r is not None:
                            samples.append((sample(), r))
                    time.sleep(0.25)
            if USE_GNU_TIME:
                rc = proc.wait()
                ru = None
            else:
                _, status, ru = os.wait4(proc.pid, 0)
                rc = os.waitstatus_to_exitcode(status)
                proc.returncode = rc
            wall = time.perf_counter() - t0
            for t in threads:
                t.join()
        if fin is not None:
            fin.close()
        err = Path(efile).read_text(errors="replace")
        if USE_GNU_TIME:
            lines = [ln for ln in Path(tfile).read_text().splitlines() if ln.strip()] \
                if os.path.exists(tfile) else []
            # /usr/bin/time writes "Command exited with non-zero status N" first on failure
            try:
                secs, kb = lines[-1].split()
                result["seconds"], result["rss_mb"] = float(secs), int(kb) / 1024.0
            except (IndexError, ValueError):
                result["seconds"], result["rss_mb"] = wall, None
        else:
            result["seconds"] = wall
            result["rss_mb"] = ru.ru_maxrss / 1024.0  # KiB on Linux
    if rc != 0 or feed_err:
        msg = f"{label} failed (exit {rc}): {' '.join(map(str, cmd))}"
        if feed_err:
            msg += f"\n  input feeder: {feed_err[0]}"
        tail = err.strip()[-4000:]
        raise BenchError(msg + ("\n--- stderr (tail) ---\n" + tail if tail else "\n(no stderr)"))
    result["stderr"] = err
    result["samples"] = samples
    if keep_stdout:
        result["stdout"] = b"".join(chunks).decode("utf-8", errors="replace")
    return result


# ---------------------------------------------------------------- data

def read_csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        r = csv.DictReader(f)
        return r.fieldnames, list(r)


def unique_texts(rows):
    seen, outl = set(), []
    for row in rows:
        t = row["text"]
        if t not in seen:
            seen.add(t)
            outl.append(t)
    return outl


def article_texts(sentences, n_sentences=None):
    """Concatenate sentences (cycled to n_sentences) in groups of ARTICLE_SENTENCES."""
    n = len(sentences) if n_sentences is None else n_sentences
    arts = []
    for i in range(0, n, ARTICLE_SENTENCES):
        k = min(ARTICLE_SENTENCES, n - i)
        arts.append(" ".join(sentences[(i + j) % len(sentences)] for j in range(k)))
    return arts


def jsonl_line(doc_id, text):
    return (json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n").encode("utf-8")


def sentence_feeder(sentences, n_sentences, prefix):
    """Feeder writing n_sentences (sentences cycled) as JSONL articles of 20 sentences."""
    # The pattern of articles repeats every lcm(len, 20) sentences: pre-encode one period.
    period = len(sentences) * ARTICLE_SENTENCES // math.gcd(len(sentences), ARTICLE_SENTENCES)
    bodies = [json.dumps(t, ensure_ascii=False).encode("utf-8")
              for t in article_texts(sentences, min(period, n_sentences))]

    def feed(write):
        n_full, rest = divmod(n_sentences, ARTICLE_SENTENCES)
        buf, size = [], 0
        for i in range(n_full):
            buf.append(b'{"id":"%s%d","text":%s}\n' % (prefix.encode(), i, bodies[i % len(bodies)]))
            size += len(buf[-1])
            if size > (1 << 20):
                write(b"".join(buf))
                buf, size = [], 0
        if rest:
            tail = " ".join(sentences[(n_full * ARTICLE_SENTENCES + j) % len(sentences)]
                            for j in range(rest))
            buf.append(jsonl_line(f"{prefix}{n_full}", tail))
        if buf:
            write(b"".join(buf))
    return feed, math.ceil(n_sentences / ARTICLE_SENTENCES)


# ---------------------------------------------------------------- formatting

def table(head, rows):
    out("| " + " | ".join(head) + " |")
    out("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
    for r in rows:
        out("| " + " | ".join(str(c) for c in r) + " |")
    out()


def f(v, spec=".2f"):
    return "-" if v is None else format(v, spec)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fail(section, e):
    FAILURES.append(section)
    out(f"**{section}: FAILED** — see stderr.\n")
    print(f"speed.py: {section} failed:\n{e}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- peer child process

def peer_child(args):
    """In a fresh interpreter: train one peer, score dev, time batch predict on bulk rows."""
    sys.path.insert(0, str(BENCHES))
    import peers  # benches/peers.py
    peers.set_fasttext_threads(args.fasttext_threads)
    train_x, train_y = peers.load_rows(str(TRAIN_CSV), "stance")
    dev_x, dev_y = peers.load_rows(str(DEV_CSV), "stance")
    peer = peers.make_peer(args.peer_child, SEED)
    t0 = time.perf_counter()
    peer.train(train_x, train_y)
    train_s = time.perf_counter() - t0
    pred = peer.predict(dev_x)
    _, macro_f1, _, _ = peers.score(dev_y, pred, "stance")
    rss_train = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    bulk = dev_x * args.reps
    t0 = time.perf_counter()
    peer.predict(bulk)
    bulk_s = time.perf_counter() - t0
    print(json.dumps({
        "peer": args.peer_child, "library": peer.library, "threads": peer.threads,
        "n_train": len(train_x), "n_dev": len(dev_x), "train_seconds": train_s,
        "macro_f1": macro_f1, "rss_train_mb": rss_train,
        "bulk_rows": len(bulk), "bulk_seconds": bulk_s,
        "rss_end_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }), flush=True)


def run_peer(name, reps, ft_threads):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--peer-child", name,
           "--reps", str(reps), "--fasttext-threads", str(ft_threads)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise BenchError(f"peer {name} failed (exit {p.returncode})\n--- stderr (tail) ---\n"
                         + p.stderr.strip()[-4000:])
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError) as e:
        raise BenchError(f"peer {name}: unreadable output ({e}):\n{p.stdout[-2000:]}\n"
                         f"--- stderr ---\n{p.stderr[-2000:]}")


# ---------------------------------------------------------------- sections

def section_training(tmp, reps, ft_threads):
    """1. Training: stance + peers. Returns (model path, peer results)."""
    out("## 1. Training on newsmtsc/train.csv (dev macro-F1 on newsmtsc/dev.csv)\n")
    model = os.path.join(tmp, "newsmtsc.stance")
    log("training stance (default settings)")
    r = run_measured([str(TRAIN_BIN), str(TRAIN_CSV), "-o", model, "--eval", str(DEV_CSV),
                      "--format", "json", "--quiet"], keep_stdout=True, label="stance-train")
    try:
        m = json.loads(r["stdout"])
        st_f1 = m["macro_f1"]
    except (ValueError, KeyError) as e:
        raise BenchError(f"stance-train --format json: no macro_f1 ({e}):\n{r['stdout'][:2000]}")
    stance = {"seconds": r["seconds"], "rss_mb": r["rss_mb"], "macro_f1": st_f1}
    peer_res = {}
    for name in PEERS:
        log(f"training peer {name} (and its batch predict over {reps} x dev rows)")
        try:
            peer_res[name] = run_peer(name, reps, ft_threads)
        except BenchError as e:
            fail(f"peer {name}", e)
    rows = [["stance (`stance-train`, defaults)", f(stance["seconds"], ".1f"),
             f(stance["rss_mb"], ".0f"), f(100 * st_f1), "1.00", "1.00"]]
    for name in PEERS:
        p = peer_res.get(name)
        if p is None:
            rows.append([name, "failed", "-", "-", "-", "-"])
            continue
        rows.append([f"{name} ({p['library']})", f(p["train_seconds"], ".1f"),
                     f(p["rss_train_mb"], ".0f"), f(100 * p["macro_f1"]),
                     f(ratio(p["train_seconds"], stance["seconds"])),
                     f(ratio(p["rss_train_mb"], stance["rss_mb"]))])
    table(["system", "train wall s", "peak RSS MB", "dev macro-F1 %", "peer s / stance s",
           "peer RSS / stance RSS"], rows)
    n_train = next(iter(peer_res.values()))["n_train"] if peer_res else "?"
    out(f"stance: whole `stance-train train.csv -o M --eval dev.csv --format json` process "
        f"(CSV read, features, fit, dev scoring, model write), all cores; wall and peak RSS "
        f"from {MEASURER}. "
        f"Peers ({n_train} training rows, input text as in benches/peers.py): train seconds = "
        f"`Pipeline.fit` / fastText training-file write + `train_supervised` (fastText "
        f"threads {ft_threads}; scikit-learn single-threaded), peak RSS = the peer's own child "
        f"interpreter after training and dev scoring (interpreter + imports + data + model).\n")
    return model, stance, peer_res


def section_throughput(tmp, model, dev_sentences, reps, peer_res):
    out("## 2. Classification throughput (whole articles in, per-actor scores out)\n")
    arts = article_texts(dev_sentences) * reps
    n_sent = len(dev_sentences) * reps
    path = os.path.join(tmp, "articles.jsonl")
    with open(path, "wb") as fh:
        for i, a in enumerate(arts):
            fh.write(jsonl_line(f"a{i}", a))
    one = os.path.join(tmp, "one.jsonl")
    with open(one, "wb") as fh:
        fh.write(jsonl_line("a0", arts[0]))
    log("stance-classify startup (one article)")
    startup = run_measured([str(CLASSIFY_BIN), "-m", model, "--format", "jsonl", "--threads", "1",
                            "-"], stdin_path=one, label="stance-classify")["seconds"]
    res = {}
    for t in (1, 2):
        log(f"stance-classify --threads {t}: {len(arts)} articles, {n_sent} sentences")
        r = run_measured([str(CLASSIFY_BIN), "-m", model, "--format", "jsonl", "--threads", str(t),
                          "-"], stdin_path=path, label="stance-classify")
        if r["stdout_lines"] != len(arts):
            raise BenchError(f"stance-classify --threads {t}: {r['stdout_lines']} output lines "
                             f"for {len(arts)} input lines")
        res[t] = r
    s1 = n_sent / res[1]["seconds"]
    s2 = n_sent / res[2]["seconds"]
    rows = []
    for t in (1, 2):
        r = res[t]
        sps = n_sent / r["seconds"]
        net = r["seconds"] - startup
        rows.append([f"stance `--threads {t}`", "sentences", n_sent, f(r["seconds"]),
                     f(sps, ",.0f"), f(n_sent / net if net > 0 else None, ",.0f"),
                     f(r["rss_mb"], ".0f"), f(ratio(sps, s1)), f(ratio(sps, s2)),
                     f(sps, ",.0f"), f(ratio(s2, sps))])
    for name in PEERS:
        p = peer_res.get(name)
        if p is None:
            rows.append([name, "failed"] + ["-"] * 9)
            continue
        rps = p["bulk_rows"] / p["bulk_seconds"]
        # The peer's batch covers the same sentences as stance's input (every row of the
        # unique dev sentences, repeated as often): its rate in those sentences.
        peer_sps = n_sent / p["bulk_seconds"]
        what = "`Pipeline.predict`" if name.startswith("sklearn") else "`predict(list)`"
        rows.append([f"{name} {what}", "rows", p["bulk_rows"], f(p["bulk_seconds"]),
                     f(rps, ",.0f"), f(rps, ",.0f"), f(p["rss_end_mb"], ".0f"),
                     f(ratio(s1, rps)), f(ratio(s2, rps)), f(peer_sps, ",.0f"),
                     f(ratio(s2, peer_sps))])
    table(["system", "unit", "count", "wall s", "per s", "per s excl. startup", "peak RSS MB",
           "stance 1 thread ÷ this", "stance 2 threads ÷ this", "same sentences per s",
           "stance 2 threads ÷ this, per sentence"], rows)
    n_rows = p["bulk_rows"] // reps if peer_res else None
    out(f"Input: the {len(dev_sentences)} unique newsmtsc dev sentences joined in groups of "
        f"{ARTICLE_SENTENCES} into {len(arts) // reps} JSONL articles, the whole set repeated "
        f"{reps}x ({len(arts)} articles, {n_sent} sentences, "
        f"{os.path.getsize(path) / 1e6:.1f} MB), fed as a file on stdin to "
        f"`stance-classify -m MODEL --format jsonl --threads N -` (MODEL from section 1); "
        f"sentences counted as input sentences; output lines checked = input lines. stance "
        f"wall includes model load (startup, one-article run: {startup:.2f} s; the "
        f"'excl. startup' column subtracts it). Peers: one batch call over the same sentences "
        f"as every (sentence, target) dev row ({n_rows} rows per pass x {reps}; "
        f"{(n_rows or 0) / len(dev_sentences):.2f} rows per sentence), model in memory, input "
        f"normalisation inside the timing; 'peak RSS' is the peer process's after the batch. "
        f"Ratios > 1: stance faster. 'stance N threads ÷ this': stance sentences/s ÷ peer "
        f"rows/s (the stricter ratio: a peer row is one (sentence, target) pair). 'same "
        f"sentences per s': the {n_sent} sentences of the input ÷ wall s, the peer's batch "
        f"covering exactly those sentences; its ratio compares the time each system takes "
        f"for them.\n")


def section_stream(model, dev_sentences, target_mb):
    out(f"## 3. Memory while streaming {target_mb:,} MB of articles through a pipe\n")
    one_period = sum(len(jsonl_line("s0000000", a))
                     for a in article_texts(dev_sentences))
    n_sent = int(target_mb * 1e6 / one_period * len(dev_sentences))
    feed, n_lines = sentence_feeder(dev_sentences, n_sent, "s")
    fed = {"bytes": 0}

    def counting_feed(write):
        def w(b):
            write(b)
            fed["bytes"] += len(b)
        feed(w)

    log(f"streaming ~{target_mb} MB ({n_lines} articles, {n_sent} sentences) into stance-classify")
    r = run_measured([str(CLASSIFY_BIN), "-m", model, "--format", "jsonl", "-"],
                     feeder=counting_feed, sample=lambda: fed["bytes"], label="stance-classify")
    total = fed["bytes"]
    ok = r["stdout_lines"] == n_lines
    # RSS over the stream: the sample nearest to each fraction of the input consumed.
    curve = []
    samples = r["samples"]
    for frac in (0.05, 0.25, 0.5, 0.75, 1.0):
        cands = [s for s in samples if s[0] >= frac * total * 0.999]
        pick = cands[0] if cands else (samples[-1] if samples else None)
        curve.append(f"{pick[1]:.0f}" if pick else "-")
    table(["input MB", "articles (lines)", "sentences", "wall s", "sentences/s", "peak RSS MB",
           "RSS MB at 5% / 25% / 50% / 75% / 100% of input", "output lines", "lines equal"],
          [[f(total / 1e6, ",.1f"), n_lines, n_sent, f(r["seconds"], ".1f"),
            f(n_sent / r["seconds"], ",.0f"), f(r["rss_mb"], ".0f"), " / ".join(curve),
            r["stdout_lines"], "yes" if ok else "**NO**"]])
    out(f"Input generated on the fly into the pipe (not written to disk) by repeating the "
        f"{len(dev_sentences)} unique newsmtsc dev sentences in JSONL articles of "
        f"{ARTICLE_SENTENCES} sentences (unique ids); `stance-classify -m MODEL --format jsonl -` "
        f"with default threads, output counted and discarded. RSS over the stream sampled from "
        f"/proc every 0.25 s against bytes written to the pipe.\n")
    if not ok:
        raise BenchError(f"streaming: {r['stdout_lines']} output lines for {n_lines} input lines")


PATHOLOGICAL_RATIO = 3.0
PATHOLOGICAL_RSS_MB = 200.0
DEFAULT_MODEL = ROOT / "models" / "default.stance"


def section_pathological(tmp, dev_sentences, news_mb=8.0, line_mb=50.0):
    """Linear-time guard: classification seconds per MB of pathological inputs against
    ordinary news, with the shipped model, one plain-text article per input."""
    out("## 5. Pathological inputs: time per MB against ordinary news\n")
    model = str(DEFAULT_MODEL)
    strip = str.maketrans({c: " " for c in ".!?;:\"'()[]{}\u201c\u201d\u2018\u2019"})
    inputs = []

    def write(name, text, what):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        inputs.append((name, path, len(text.encode("utf-8")), what))

    # Ordinary news: the unique dev sentences in articles of 20, as JSON Lines, repeated
    # to about news_mb of text.
    per_pass = sum(len(s.encode("utf-8")) + 1 for s in dev_sentences)
    n_sent = int(news_mb * 1e6 / per_pass * len(dev_sentences))
    news = os.path.join(tmp, "news.jsonl")
    text_bytes = 0
    with open(news, "wb") as fh:
        for i, t in enumerate(article_texts(dev_sentences, n_sent)):
            fh.write(jsonl_line(f"n{i}", t))
            text_bytes += len(t.encode("utf-8"))
    inputs.append(("news.jsonl", news, text_bytes,
                   f"{n_sent:,} newsmtsc dev sentences (unique ones, repeated) in JSON Lines "
                   f"articles of {ARTICLE_SENTENCES}"))
    # One line without sentence punctuation: the dev sentences, punctuation removed.
    unpunct = " ".join(" ".join(s.translate(strip).split()) for s in dev_sentences)
    reps = math.ceil(line_mb * 1e6 / (len(unpunct.encode("utf-8")) + 1))
    write("line.txt", " ".join([unpunct] * reps) + "\n",
          f"one {line_mb:.0f} MB line: the dev sentences without punctuation, repeated")
    # 100,000 mentions in one paragraph (three actors, no punctuation).
    write("mentions.txt", "Iran praised Oman and the United States " * 33_334,
          "100,002 mentions of three actors in one paragraph without punctuation")
    # 1 MB of one alias repeated.
    write("alias.txt", "Iran " * 200_000, "1 MB of one alias (\"Iran \" x 200,000)")
    measured = []
    for name, path, size, what in inputs:
        log(f"classifying {name} ({size / 1e6:.1f} MB)")
        r = run_measured([str(CLASSIFY_BIN), "-m", model, path], label="stance-classify")
        measured.append((name, what, size, r["seconds"], r["rss_mb"]))
    base = measured[0][3] / (measured[0][2] / 1e6)
    rows, bad = [], []
    for name, what, size, secs, rss in measured:
        per_mb = secs / (size / 1e6)
        x = per_mb / base if base else None
        rows.append([name, what, f(size / 1e6, ".1f"), f(secs, ".2f"), f(per_mb, ".3f"),
                     f(rss, ".0f"), f(x, ".2f")])
        if name != "news.jsonl":
            if x is None or x > PATHOLOGICAL_RATIO:
                bad.append(f"{name}: {f(x)}x the time per MB of news")
            if rss is not None and rss > PATHOLOGICAL_RSS_MB:
                bad.append(f"{name}: {rss:.0f} MB peak RSS")
    table(["input", "what", "MB", "wall s", "s per MB", "peak RSS MB", "÷ news per MB"], rows)
    out(f"`stance-classify -m models/default.stance FILE` (table output), default threads. "
        f"Guard: each pathological input within {PATHOLOGICAL_RATIO:.0f}x the news time per MB "
        f"and under {PATHOLOGICAL_RSS_MB:.0f} MB peak RSS.\n")
    if bad:
        raise BenchError("pathological inputs: " + "; ".join(bad))


def write_scaled_csv(path, fields, rows, n):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for i in range(n):
            row = rows[i % len(rows)]
            k = i // len(rows)
            if k and "id" in row:
                row = dict(row, id=f"{row['id']}-r{k}")
            w.writerow(row)


def section_scaling(tmp, model, sizes, max_train_s):
    out("## 4. Scaling with input size\n")
    fields, rows = read_csv_rows(TRAIN_CSV)
    rows = [r for r in rows if (r.get("stance") or "").strip()]
    train_sentences = unique_texts(rows)
    res, notes = {}, []

    def projection(n, key):
        """Linear projection of res[*][key] to n rows from the 10k and 100k points."""
        a, b = res.get(10_000, {}).get(key), res.get(100_000, {}).get(key)
        if n <= 100_000 or a is None or b is None:
            return None
        return b + (b - a) / 90_000 * (n - 100_000)

    for n in sizes:
        entry = {}
        res[n] = entry
        path = os.path.join(tmp, f"train-{n}.csv")
        write_scaled_csv(path, fields, rows, n)
        try:
            for mode, extra in (("mem", []), ("stream", ["--stream"])):
                t_p, rss_p = projection(n, f"{mode}_s"), projection(n, f"{mode}_rss")
                avail = mem_available_mb()
                why = None
                if rss_p is not None and avail is not None and rss_p > 0.8 * avail:
                    why = f"projected peak RSS {rss_p:,.0f} MB > 80% of {avail:,.0f} MB available"
                elif t_p is not None and t_p > max_train_s:
                    why = f"projected {t_p:,.0f} s > {max_train_s:,.0f} s"
                if why:
                    log(f"{mode} training on {n} rows: {why}; not run")
                    entry[f"{mode}_proj"] = (t_p, rss_p)
                    notes.append(f"{n:,}-row {'in-memory' if mode == 'mem' else 'streaming'} "
                                 f"training not run: {why}; its figures are projected linearly "
                                 f"from the 10k and 100k measurements.")
                    continue
                log(f"{mode} training on {n} rows")
                try:
                    r = run_measured([str(TRAIN_BIN), path, "-o",
                                      os.path.join(tmp, f"m{n}.stance"), "--quiet"] + extra,
                                     label="stance-train")
                    entry[f"{mode}_s"], entry[f"{mode}_rss"] = r["seconds"], r["rss_mb"]
                except BenchError as e:
                    fail(f"scaling: {mode} training on {n} rows", e)
        finally:
            os.remove(path)
        feed, n_lines = sentence_feeder(train_sentences, n, "x")
        log(f"classifying {n} sentences ({n_lines} articles)")
        try:
            r = run_measured([str(CLASSIFY_BIN), "-m", model, "--format", "jsonl", "-"],
                             feeder=feed, label="stance-classify")
            if r["stdout_lines"] != n_lines:
                raise BenchError(f"{r['stdout_lines']} output lines for {n_lines} input lines")
            entry["cls_s"], entry["cls_rss"] = r["seconds"], r["rss_mb"]
        except BenchError as e:
            fail(f"scaling: classifying {n} sentences", e)

    def train_cells(e, mode):
        if f"{mode}_proj" in e:
            t, m = e[f"{mode}_proj"]
            return [f"~{t:,.0f} (projected)" if t is not None else "-",
                    f"~{m:,.0f} (projected)" if m is not None else "-"]
        return [f(e.get(f"{mode}_s"), ",.1f"), f(e.get(f"{mode}_rss"), ",.0f")]

    out_rows = []
    for n in sizes:
        e = res[n]
        cl = e.get("cls_s")
        out_rows.append([f"{n:,}"] + train_cells(e, "mem") + train_cells(e, "stream")
                        + [f(cl, ",.1f"), f(n / cl if cl else None, ",.0f"),
                           f(e.get("cls_rss"), ",.0f")])
    table(["rows / sentences", "train wall s", "train peak RSS MB", "--stream train wall s",
           "--stream peak RSS MB", "classify wall s", "classify sentences/s",
           "classify peak RSS MB"], out_rows)
    out(f"Training inputs: the {len(rows)} labelled newsmtsc train rows repeated in order (ids "
        f"suffixed) to N rows — so beyond {len(rows)} rows the data are real sentences reused, "
        f"not new text; `stance-train FILE -o M --quiet [--stream]`, defaults, all cores. "
        f"Classification: the {len(train_sentences)} unique newsmtsc train sentences cycled to "
        f"N sentences, {ARTICLE_SENTENCES} per JSONL article, piped into `stance-classify -m "
        f"MODEL --format jsonl -` (MODEL from section 1, default threads); output lines "
        f"checked. A training run at >100k rows is skipped (and projected linearly from the "
        f"10k→100k slope) when that projection exceeds {max_train_s / 60:.0f} min or 80% of "
        f"the available memory." + "".join(" " + x for x in notes) + "\n")


def mem_available_mb():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def machine_line(t_start):
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"Machine: nproc {nproc}, CPU {cpu}, RAM {mem}, {platform.system()} "
            f"{platform.release()}; load average at end {load}; benchmark wall "
            f"{(time.time() - t_start) / 60:.1f} min.")


def git_desc():
    try:
        h = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True).stdout
        return h + (" + uncommitted changes" if dirty.strip() else "")
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="50 MB stream instead of ~1 GB; scaling at 10k and 100k rows only")
    ap.add_argument("--stream-mb", type=int, default=None,
                    help="size of the streamed input (default 1024, 50 with --quick)")
    ap.add_argument("--throughput-sentences", type=int, default=None,
                    help="sentences for section 2, rounded up to whole passes over dev "
                         "(default 20000, 10000 with --quick)")
    ap.add_argument("--max-train-minutes", type=float, default=20.0,
                    help="project (do not run) >100k-row training beyond this (default 20)")
    ap.add_argument("--fasttext-threads", type=int, default=2)
    ap.add_argument("--sections", default="1,2,3,4,5", help="which sections to run (default all)")
    ap.add_argument("--peer-child", choices=PEERS, help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer_child:
        peer_child(args)
        return
    t_start = time.time()
    sections = {s.strip() for s in args.sections.split(",")}
    stream_mb = args.stream_mb or (50 if args.quick else 1024)
    n_thr = args.throughput_sentences or (10_000 if args.quick else 20_000)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    for p in (TRAIN_BIN, CLASSIFY_BIN, TRAIN_CSV, DEV_CSV, DEFAULT_MODEL):
        if not p.exists():
            sys.exit(f"speed.py: missing {p} (run through benches/speed.sh)")
    _, dev_rows = read_csv_rows(DEV_CSV)
    dev_sentences = unique_texts(dev_rows)
    reps = math.ceil(n_thr / len(dev_sentences))

    out(f"# stance speed benchmark{' (--quick)' if args.quick else ''}\n")
    rel = lambda p: p.relative_to(ROOT) if p.is_relative_to(ROOT) else p  # noqa: E731
    built = lambda p: time.strftime('%H:%M', time.localtime(p.stat().st_mtime))  # noqa: E731
    out(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; repo {git_desc()}; binaries "
        f"{rel(TRAIN_BIN)} (built {built(TRAIN_BIN)}) and {rel(CLASSIFY_BIN)} (built "
        f"{built(CLASSIFY_BIN)}), copied at start so a rebuild mid-run does not mix builds; data "
        f"{DATA}; load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"measurer: {MEASURER}.\n")

    with tempfile.TemporaryDirectory(prefix="stance-speed-") as tmp:
        # Snapshot the binaries: a rebuild during the run (e.g. a model format change)
        # must not mix two builds in one set of figures.
        for name in ("TRAIN_BIN", "CLASSIFY_BIN"):
            src = globals()[name]
            dst = Path(tmp) / "bin" / src.name
            dst.parent.mkdir(exist_ok=True)
            shutil.copy2(src, dst)
            globals()[name] = dst
        model, peer_res = None, {}
        if sections & {"1", "2", "3", "4"}:
            try:
                if "1" in sections or "2" in sections:
                    model, _, peer_res = section_training(tmp, reps, args.fasttext_threads)
                else:  # later sections still need a model trained in this run
                    model = os.path.join(tmp, "newsmtsc.stance")
                    run_measured([str(TRAIN_BIN), str(TRAIN_CSV), "-o", model, "--quiet"],
                                 label="stance-train")
            except BenchError as e:
                fail("1. training", e)
                model = None
        if model is None:
            out("No model was trained; sections 2-4 skipped.")
        else:
            if "2" in sections:
                try:
                    section_throughput(tmp, model, dev_sentences, reps, peer_res)
                except BenchError as e:
                    fail("2. throughput", e)
            if "3" in sections:
                try:
                    section_stream(model, dev_sentences, stream_mb)
                except BenchError as e:
                    fail("3. streaming", e)
            if "4" in sections:
                try:
                    section_scaling(tmp, model, sizes, args.max_train_minutes * 60)
                except BenchError as e:
                    fail("4. scaling", e)
        if "5" in sections:
            try:
                section_pathological(tmp, dev_sentences)
            except BenchError as e:
                fail("5. pathological inputs", e)
    out(machine_line(t_start))
    if FAILURES:
        out(f"\nFAILED parts: {', '.join(FAILURES)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
