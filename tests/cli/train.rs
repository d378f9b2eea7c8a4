use crate::*;

#[test]
fn training_prints_metrics_and_writes_a_loadable_model() {
    let dir = tmp();
    let model = dir.path().join("m.stance");
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(&model)
            .args(["--c", "100", "--eval"])
            .arg(fixture("dev.csv")),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // All four dev rows are clear-cut; the fixture model gets them right.
    assert!(
        out.contains("rows 4  accuracy 1.0000  macro-F1 1.0000  F_avg 1.0000"),
        "{out}"
    );
    assert!(
        out.contains("confusion (rows = gold, columns = predicted)"),
        "{out}"
    );
    assert!(stderr(&o).contains("28 rows read"), "{}", stderr(&o));
    assert!(std::fs::read(&model).unwrap().starts_with(b"STANCEMD"));
}

#[test]
fn same_data_and_seed_give_a_byte_identical_model_on_any_thread_count() {
    let dir = tmp();
    let a = dir.path().join("a.stance");
    let b = dir.path().join("b.stance");
    for (path, threads) in [(&a, "1"), (&b, "2")] {
        let o = run(
            train_bin()
                .arg(fixture("train.csv"))
                .arg("-o")
                .arg(path)
                .args(["--threads", threads]),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // Train file names are stored in the model; both runs use the same one.
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn cross_validation_and_json_metrics() {
    let dir = tmp();
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(dir.path().join("m.stance"))
            .args(["--cv", "2", "--format", "json", "--eval"])
            .arg(fixture("dev.csv")),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in [
        "accuracy",
        "macro_f1",
        "f_avg",
        "per_class",
        "confusion",
        "bias",
        "cv",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["per_class"]["against"]["support"], 2);
    assert_eq!(v["cv"]["stance"].as_array().unwrap().len(), 2);
    assert_eq!(v["bias"]["per_class"]["biased"]["support"], 2);
}

#[test]
fn stdin_training_and_label_score_overrides() {
    let dir = tmp();
    let csv = "text,target,stance\n\
               Oman skilled praise,Oman,good\nIran reckless blame,Iran,bad\n\
               Oman praise again,Oman,good\nIran blame again,Iran,bad\n";
    let o = run(
        train_bin()
            .args(["-", "-o"])
            .arg(dir.path().join("m.stance"))
            .args(["--label-score", "good=1,bad=-1"]),
        Some(csv.as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        train_bin()
            .args(["-", "-o"])
            .arg(dir.path().join("n.stance")),
        Some(csv.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        // The first row with such a label, by file and line.
        stderr(&o).contains("-: line 2: stance label \"good\" has no polarity"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("n.stance").exists());
}

/// The committed default model is what `models/train-default.sh` produces, byte for byte.
#[test]
fn shipped_default_model_is_reproducible_from_the_corpus() {
    let dir = tmp();
    let out = dir.path().join("default.stance");
    let args = std::fs::read_to_string(root().join("models/default.args")).unwrap();
    let o = run(
        train_bin()
            .current_dir(root())
            .args(args.split_whitespace())
            .arg("-o")
            .arg(&out),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = std::fs::read(&out).unwrap();
    let shipped = std::fs::read(root().join("models/default.stance")).unwrap();
    assert!(
        shipped.len() < 20 << 20,
        "default model is {} bytes",
        shipped.len()
    );
    assert!(
        fresh == shipped,
        "models/default.stance is stale: retrain it with `bash models/train-default.sh`"
    );
}

/// With one chunk holding every row, streaming training shuffles the rows exactly as the
/// in-memory trainer does, so both models give the same scores; with small chunks it
/// still trains a working model from several passes.
#[test]
fn streaming_training_matches_in_memory_training_with_one_chunk() {
    let dir = tmp();
    let data = root().join("data/corpus/dev.csv");
    let article = root().join("data/articles/01-muscat-talks-oped.txt");
    // Streaming cannot fit the loaded-word detector: every run leaves the marks out.
    let no_marks = ["--column", "loaded_words=NONE"];
    let mut outputs = Vec::new();
    for (name, extra) in [
        ("mem", vec![]),
        ("one-chunk", vec!["--stream", "--chunk-rows", "100000"]),
        ("chunks", vec!["--stream", "--chunk-rows", "100"]),
    ] {
        let model = dir.path().join(format!("{name}.stance"));
        let o = run(
            train_bin()
                .arg(&data)
                .arg("-o")
                .arg(&model)
                .args(no_marks)
                .args(&extra),
            None,
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        if !extra.is_empty() {
            assert!(
                stderr(&o).contains("rows of") && stderr(&o).contains("in 7 passes"),
                "{}",
                stderr(&o)
            );
        }
        let o = run(
            classify_bin()
                .arg("-m")
                .arg(&model)
                .args(["--format", "jsonl"])
                .arg(&article),
            None,
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        outputs.push(stdout(&o));
    }
    assert_eq!(outputs[0], outputs[1]);
    // Other chunking, other order: a different model, scoring the same actors.
    assert_ne!(outputs[0], outputs[2]);
    let actors = |s: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["actor"].as_str().unwrap().to_string())
            .collect()
    };
    let mut a = actors(&outputs[0]);
    let mut c = actors(&outputs[2]);
    a.sort();
    c.sort();
    assert_eq!(a, c);
}

#[test]
fn streaming_training_refuses_what_it_cannot_do_and_names_bad_rows() {
    let dir = tmp();
    let model = dir.path().join("m.stance");
    for (args, message) in [
        (vec!["--cv", "2"], "--stream does not support --cv"),
        (vec!["--solver", "lbfgs"], "needs the SGD solver"),
    ] {
        let o = run(
            train_bin()
                .arg(fixture("train.csv"))
                .arg("-o")
                .arg(&model)
                .arg("--stream")
                .args(&args),
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
    }
    let o = run(
        train_bin().args(["-", "-o"]).arg(&model).arg("--stream"),
        Some(b"text,target,stance\nOman mediates,Oman,favor\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--stream needs a file"),
        "{}",
        stderr(&o)
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "text,target,stance\nOman mediates,Oman,favor\nIran stalls,Iran\n",
    )
    .unwrap();
    let o = run(
        train_bin().arg(&bad).arg("-o").arg(&model).arg("--stream"),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.csv") && stderr(&o).contains("line 3"),
        "{}",
        stderr(&o)
    );
    assert!(!model.exists());
}

/// Every feature `model` lists for `text` (`--explain 500`, JSON).
fn explained(model: &std::path::Path, text: &[u8]) -> String {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(model)
            .args(["--explain", "500", "--format", "json", "-"]),
        Some(text),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// Left/right-context features are off by default and `--context` adds them (the model
/// stores the setting, so classification builds them again).
#[test]
fn context_features_are_opt_in() {
    let dir = tmp();
    for (flags, want) in [(&[][..], false), (&["--context"][..], true)] {
        let model = dir.path().join("m.stance");
        train_fixture_with(&model, flags);
        let out = explained(
            &model,
            b"Officials said Oman will host the talks next week.",
        );
        // Window features are there either way; context ones only with the flag.
        assert!(out.contains("\"nr|"), "{flags:?}: {out}");
        let context = out.contains("\"l|") || out.contains("\"r|");
        assert_eq!(context, want, "{flags:?}: {out}");
    }
}

/// Optional feature families are stored with the model (as typed fields of format
/// version 5, or 6 with a family of outside resources such as the word vectors; cue
/// words, token hashing and the word vectors are on by default) and used again when it
/// is loaded.
#[test]
fn feature_extras_are_stored_with_the_model() {
    let dir = tmp();
    for (flags, version, cues) in [
        (&[][..], 6, true),
        (&["--no-cues"][..], 6, false),
        (&["--no-vectors"][..], 5, true),
    ] {
        let model = dir.path().join("m.stance");
        train_fixture_with(&model, flags);
        let bytes = std::fs::read(&model).unwrap();
        assert_eq!(
            u32::from_le_bytes(bytes[8..12].try_into().unwrap()),
            version,
            "{flags:?}"
        );
        let out = explained(&model, b"Officials said Oman will host the talks.");
        assert_eq!(out.contains("b|report"), cues, "{flags:?}");
    }
}

/// `--lexicon-weight` is stored with the model (a typed field of format version 5;
/// `score`'s tests check it is read back, `--describe` shows it): with weight 0 the
/// VADER features of a classified sentence contribute nothing, with the default (0.25)
/// or 1 they do; a negative weight is refused.
#[test]
fn lexicon_weight_is_stored_and_applied() {
    let dir = tmp();
    let text = b"Officials praised Oman for its great patience.";
    for (flags, stored, contributes) in [
        (&[][..], 0.25, true),
        (&["--lexicon-weight", "1"][..], 1.0, true),
        (&["--lexicon-weight", "0"][..], 0.0, false),
    ] {
        let model = dir.path().join("m.stance");
        train_fixture_with(&model, flags);
        let o = run(
            classify_bin()
                .arg("-m")
                .arg(&model)
                .args(["--describe", "--format", "json"]),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(
            d["features"]["lexicon_weight"].as_f64(),
            Some(stored),
            "{flags:?}: {d}"
        );
        let v: serde_json::Value = serde_json::from_str(&explained(&model, text)).unwrap();
        let feats = v["sentences"][0]["actors"][0]["explanation"]["features"]
            .as_array()
            .unwrap()
            .clone();
        let lex: Vec<f64> = feats
            .iter()
            .filter(|f| f["feature"].as_str().unwrap().starts_with("x|"))
            .map(|f| f["contribution"].as_f64().unwrap())
            .collect();
        assert_eq!(
            lex.iter().any(|c| *c != 0.0),
            contributes,
            "{flags:?}: {lex:?}"
        );
    }
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(dir.path().join("bad.stance"))
            .arg("--lexicon-weight=-1"),
        None,
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("lexicon weight"), "{}", stderr(&o));
}

/// Sentences written for this test, with the words an annotator would mark as loaded.
const MARKED_CSV: &str = "text,bias,loaded_words\n\
Critics slammed the reckless budget as a disgrace.,biased,\"['slammed', 'reckless', 'disgrace']\"\n\
The ministry published the budget on Monday.,unbiased,[]\n\
The senator ranted about a shameful betrayal of voters.,biased,\"['ranted', 'shameful', 'betrayal']\"\n\
The committee will meet again next week.,unbiased,[]\n\
Officials slammed the scheme as reckless and corrupt.,biased,\"['slammed', 'reckless', 'corrupt']\"\n\
The agency released its annual figures in a statement.,unbiased,[]\n\
A disgraceful and reckless gamble by the cabinet.,biased,\"['disgraceful', 'reckless']\"\n\
The court will hear the case in March.,unbiased,[]\n\
The mayor ranted against the corrupt elite.,biased,\"['ranted', 'corrupt', 'elite']\"\n\
The report lists the figures for each region.,unbiased,[]\n\
Voters slammed a shameful cover-up.,biased,\"['slammed', 'shameful', 'cover-up']\"\n\
The talks resumed in Geneva on Tuesday.,unbiased,[]\n\
The plan is a betrayal and a disgrace.,biased,\"['betrayal', 'disgrace', 'outrageous']\"\n\
The minister answered questions from reporters.,unbiased,[]\n";

/// A `loaded_words` column trains a word-level detector whose probabilities feed the
/// bias head: the model says which words are loaded, explanations name them and still
/// add up, a mark missing from its sentence is reported with its line, and `--stream`
/// refuses the column.
#[test]
fn marked_loaded_words_train_a_detector_for_the_bias_head() {
    let dir = tmp();
    let csv = dir.path().join("marked.csv");
    std::fs::write(&csv, MARKED_CSV).unwrap();
    let model = dir.path().join("m.stance");
    let o = run(train_bin().arg(&csv).arg("-o").arg(&model), None);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // 20 marked tokens: "cover-up" is two words, "outrageous" is not in its sentence.
    assert!(
        err.contains(
            "loaded-word detector: 106 words of the annotated sentences, 20 of them marked"
        ),
        "{err}"
    );
    assert!(
        err.contains("marked.csv: line 14: marked word \"outrageous\" does not occur"),
        "{err}"
    );
    let bytes = std::fs::read(&model).unwrap();
    // The detector is stored with the typed metadata of format version 5 (6: with the
    // word vectors, on by default).
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 6);

    let text = b"Critics slammed the reckless plan. The ministry met on Monday.";
    let fast: serde_json::Value = serde_json::from_str(&stdout(&run(
        classify_bin()
            .arg("-m")
            .arg(&model)
            .args(["--format", "json", "-"]),
        Some(text),
    )))
    .unwrap();
    let slow: serde_json::Value = serde_json::from_str(&explained(&model, text)).unwrap();
    let (fs, ss) = (&fast["sentences"], &slow["sentences"]);
    let flagged: Vec<(&str, f64)> = fs[0]["loaded_words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["text"].as_str().unwrap(),
                w["probability"].as_f64().unwrap(),
            )
        })
        .collect();
    // The marked words lead; unmarked ones are below them or not listed at all.
    let p = |w: &str| flagged.iter().find(|x| x.0 == w).map_or(0.0, |x| x.1);
    let (slammed, reckless) = (p("slammed"), p("reckless"));
    assert!(slammed > 0.5 && reckless > 0.5, "{fs}");
    for (w, q) in &flagged {
        assert!(
            ["slammed", "reckless"].contains(w) || *q < slammed.min(reckless),
            "{fs}"
        );
    }
    assert!(p("Critics") == 0.0 && p("the") == 0.0, "{fs}");
    assert!(fs[1].get("loaded_words").is_none(), "{fs}");
    // The table lists the article's most loaded words, most probable first, and with
    // --sentences each sentence's own, with the probabilities of the JSON.
    let table = stdout(&run(
        classify_bin().arg("-m").arg(&model).args(["-s", "-"]),
        Some(text),
    ));
    let mut by_p = flagged.clone();
    by_p.sort_by(|a, b| b.1.total_cmp(&a.1));
    let listed: Vec<String> = by_p.iter().map(|(w, q)| format!("{w} {q:.2}")).collect();
    assert!(
        table.contains(&format!("most loaded words: {}\n", listed.join(", "))),
        "{table}"
    );
    let in_order: Vec<String> = flagged.iter().map(|(w, q)| format!("{w} {q:.2}")).collect();
    assert!(
        table.contains(&format!("loaded words: {}\n", in_order.join(", "))),
        "{table}"
    );
    assert_eq!(table.matches("  loaded words: ").count(), 1, "{table}");
    // The per-sentence CSV has them as word:probability;..., with a row for every
    // sentence even without actors (this model has no stance head).
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(&model)
            .args(["--format", "csv", "-s", "-"]),
        Some(text),
    );
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "loaded_words");
    let col = col.unwrap();
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(recs.len(), 2, "{}", stdout(&o));
    let listed: Vec<String> = flagged.iter().map(|(w, q)| format!("{w}:{q:.4}")).collect();
    assert_eq!(&recs[0][col], listed.join(";"));
    assert_eq!(&recs[1][col], "");
    assert_eq!(
        &recs[1][4],
        format!("{:.4}", fs[1]["bias"].as_f64().unwrap())
    );
    for i in 0..2 {
        let (a, b) = (
            fs[i]["bias"].as_f64().unwrap(),
            ss[i]["bias"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 2e-4, "{a} vs {b}");
        let e = &ss[i]["bias_explanation"];
        assert!(
            (explanation_total(e) - e["logit"].as_f64().unwrap()).abs() < 2e-3,
            "{e}"
        );
    }
    assert!(fs[0]["bias"].as_f64() > fs[1]["bias"].as_f64(), "{fs}");
    // The detector's features name the words they count and point at them.
    let features = ss[0]["bias_explanation"]["features"].as_array().unwrap();
    let top = if reckless > slammed {
        ("reckless", [20, 28])
    } else {
        ("slammed", [8, 15])
    };
    let highest = features
        .iter()
        .find(|f| {
            f["feature"]
                .as_str()
                .unwrap()
                .starts_with("loaded words: highest probability (")
        })
        .unwrap_or_else(|| panic!("{}", ss[0]));
    assert!(
        highest["feature"].as_str().unwrap().contains(top.0),
        "{highest}"
    );
    assert_eq!(highest["spans"], serde_json::json!([top.1]));

    // --eval on marked rows says how well the detector finds the marked words.
    let v = eval_json(&model, &csv);
    let w = &v["loaded_words"];
    assert_eq!(
        (w["sentences"].as_u64(), w["marked"].as_u64()),
        (Some(14), Some(20)),
        "{w}"
    );
    assert_eq!(w["threshold"].as_f64(), Some(0.2));
    let (both, listed) = (w["both"].as_f64().unwrap(), w["listed"].as_f64().unwrap());
    assert!(both > 10.0 && both <= listed, "{w}");
    assert!(
        (w["precision"].as_f64().unwrap() - both / listed).abs() < 1e-9,
        "{w}"
    );
    assert!(
        (w["recall"].as_f64().unwrap() - both / 20.0).abs() < 1e-9,
        "{w}"
    );
    assert!(v["bias"]["n"] == 14, "{v}");

    let o = run(
        train_bin().arg(&csv).arg("-o").arg(&model).arg("--stream"),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("marked.csv: line 2")
            && stderr(&o).contains("does not train the loaded-word detector"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn autotune_prints_flags_that_train_the_same_model_without_it() {
    let dir = tmp();
    let tuned = dir.path().join("tuned.stance");
    // A starting C far too small, so that the search has something to change.
    let start = ["--c", "0.01", "--hash-bits", "16"];
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(&tuned)
            .args(start)
            .args(["--autotune", "--autotune-folds", "3", "--format", "json"]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let at = &v["autotune"];
    assert_eq!(at["complete"], true, "{at}");
    let trials = at["trials"].as_array().unwrap();
    assert!(trials.len() > 10, "{at}");
    assert_eq!(trials[0]["tried"], "start");
    assert!(at["best_score"].as_f64().unwrap() > at["start_score"].as_f64().unwrap());
    // Every trial is printed as it ends.
    assert_eq!(
        stderr(&o).matches("stance-train: autotune ").count(),
        trials.len(),
        "{}",
        stderr(&o)
    );
    let flags: Vec<String> = at["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    assert!(flags.iter().any(|f| f.starts_with("--c ")), "{flags:?}");
    // The starting flags with the printed ones in place.
    let mut args: Vec<String> = start.iter().map(|s| s.to_string()).collect();
    for f in &flags {
        let parts: Vec<&str> = match f.strip_prefix("(without ") {
            Some(rest) => vec![rest.trim_end_matches(')')],
            None => f.split_whitespace().collect(),
        };
        if let Some(i) = args.iter().position(|a| a == parts[0]) {
            let with_value = i + 1 < args.len() && !args[i + 1].starts_with("--");
            args.drain(i..if with_value { i + 2 } else { i + 1 });
        }
        if !f.starts_with('(') {
            args.extend(parts.iter().map(|s| s.to_string()));
        }
    }
    let plain = dir.path().join("plain.stance");
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(&plain)
            .args(&args),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&tuned).unwrap(),
        std::fs::read(&plain).unwrap(),
        "flags {flags:?}, args {args:?}"
    );
}

#[test]
fn autotune_refuses_streaming_and_bad_settings() {
    let dir = tmp();
    for (extra, message) in [
        (&["--stream"][..], "--stream does not support --autotune"),
        (&["--autotune-budget", "0"][..], "--autotune-budget must be"),
        (&["--autotune-folds", "1"][..], "at least 2 folds"),
    ] {
        let o = run(
            train_bin()
                .arg(fixture("train.csv"))
                .arg("-o")
                .arg(dir.path().join("m.stance"))
                .arg("--autotune")
                .args(extra),
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&o).contains(message), "{extra:?}: {}", stderr(&o));
        assert!(!dir.path().join("m.stance").exists());
    }
}

#[test]
fn cv_group_keeps_each_group_in_one_fold() {
    let dir = tmp();
    let csv = std::fs::read_to_string(fixture("train.csv")).unwrap();
    let mut lines = csv.lines();
    let mut grouped = format!("{},source\n", lines.next().unwrap());
    let body: Vec<&str> = lines.collect();
    // Three sources: the first ten rows, the next ten, the rest.
    for (i, l) in body.iter().enumerate() {
        grouped.push_str(&format!("{l},src-{}\n", (i / 10).min(2)));
    }
    let path = dir.path().join("grouped.csv");
    std::fs::write(&path, &grouped).unwrap();
    let train = |extra: &[&str]| {
        run(
            train_bin()
                .arg(&path)
                .arg("-o")
                .arg(dir.path().join("m.stance"))
                .args(extra),
            None,
        )
    };
    // The sorted row counts of the stance folds.
    let fold_sizes = |extra: &[&str]| -> Vec<u64> {
        let o = train(&[&["--cv", "3", "--format", "json"], extra].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let mut sizes: Vec<u64> = v["cv"]["stance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["n"].as_u64().unwrap())
            .collect();
        sizes.sort_unstable();
        sizes
    };
    // Every stance row has a target in the fixture: each fold holds one whole source.
    assert_eq!(fold_sizes(&["--cv-group", "source"]), [8, 10, 10]);
    // Without the grouping the 28 sentences are dealt one by one: 10, 9 and 9.
    assert_eq!(fold_sizes(&[]), [9, 9, 10]);
    // Errors: no such column, an empty value (with its line), no --cv or --autotune.
    let o = train(&["--cv", "3", "--cv-group", "outlet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"outlet\" named by --cv-group"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&path, grouped.replacen(",src-0\n", ",\n", 1)).unwrap();
    let o = train(&["--cv", "3", "--cv-group", "source"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2") && stderr(&o).contains("empty \"source\""),
        "{}",
        stderr(&o)
    );
    let o = train(&["--cv-group", "source"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give one of them"), "{}", stderr(&o));
}

/// A model file of format version 3 (the lexicon weight and the feature families as text
/// names, the cross-validation summary as a line; written by the build before version
/// 5, `--hash-bits 10 --cv 2` on the training fixture) loads, scores the article as that
/// build did, and is described as it was. The article is scored with `--actors-only`
/// (that build had no discovery), and the `kind` of mentions and actors, which it did not
/// print, is left out of the comparison.
#[test]
fn an_old_format_model_loads_and_scores_the_same() {
    let root = env!("CARGO_MANIFEST_DIR");
    let old = "tests/fixtures/old-v3.stance";
    fn without_kinds(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(o) => {
                o.remove("kind");
                o.values_mut().for_each(without_kinds);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(without_kinds),
            _ => {}
        }
    }
    let o = run(
        classify_bin().current_dir(root).args(["-m", old]).args([
            "--actors-only",
            "--format",
            "json",
            "-s",
            "tests/fixtures/article.txt",
        ]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(got["actors"][0]["kind"], "state", "kinds are printed now");
    without_kinds(&mut got);
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(root).join("tests/fixtures/old-v3.article.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(got, want);
    for (args, expected) in [
        (&["--describe"][..], "tests/fixtures/old-v3.describe.txt"),
        (
            &["--describe", "--format", "json"][..],
            "tests/fixtures/old-v3.describe.json",
        ),
    ] {
        let o = run(
            classify_bin()
                .current_dir(root)
                .args(["-m", old])
                .args(args),
            None,
        );
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let want = std::fs::read_to_string(std::path::Path::new(root).join(expected)).unwrap();
        // The description of the model is the old build's; the tagger's, which the old
        // build did not print, follows it.
        let got = stdout(&o);
        let got = if args.contains(&"json") {
            let mut v: serde_json::Value = serde_json::from_str(&got).unwrap();
            let tagger = v.as_object_mut().unwrap().remove("tagger");
            assert!(tagger.is_some(), "{got}");
            serde_json::to_string_pretty(&v).unwrap() + "\n"
        } else {
            let at = got.find("tagger: built-in").expect("a tagger line");
            got[..at].to_string()
        };
        assert_eq!(got, want, "{args:?}");
    }
}

/// A model's JSON report of two sentences about two actors.
fn classify_two_sentences(model: &std::path::Path) -> String {
    let text = b"Oman deserves praise for its mediation. Critics accused Kenya of delays.";
    stdout(&run(
        classify_bin()
            .arg("-m")
            .arg(model)
            .args(["--format", "json", "-"]),
        Some(text),
    ))
}

/// The training fixture split in two files (each with the header) in `dir`: their
/// paths and the number of rows.
fn fixture_halves(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, usize) {
    let whole = std::fs::read_to_string(fixture("train.csv")).unwrap();
    let mut lines = whole.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let (first, second) = rows.split_at(rows.len() / 2);
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    std::fs::write(&a, format!("{header}\n{}\n", first.join("\n"))).unwrap();
    std::fs::write(&b, format!("{header}\n{}\n", second.join("\n"))).unwrap();
    (a, b, rows.len())
}

#[test]
fn several_training_files_are_pooled_in_order() {
    let dir = tmp();
    let (a, b, n_rows) = fixture_halves(dir.path());
    let (pooled, one) = (
        dir.path().join("pooled.stance"),
        dir.path().join("one.stance"),
    );
    let o = run(train_bin().arg(&a).arg(&b).arg("-o").arg(&pooled), None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "{} rows read from {} + {}",
            n_rows,
            a.display(),
            b.display()
        )),
        "{}",
        stderr(&o)
    );
    let o = run(
        train_bin().arg(fixture("train.csv")).arg("-o").arg(&one),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The same rows in the same order: the same model but for its provenance.
    let classify = classify_two_sentences;
    assert_eq!(classify(&pooled), classify(&one));
    let describe = stdout(&run(
        classify_bin().arg("-m").arg(&pooled).arg("--describe"),
        None,
    ));
    assert!(
        describe.contains(&format!(
            "training file: {} + {} (xxh3 ",
            a.display(),
            b.display()
        )),
        "{describe}"
    );

    // A marked word missing from its sentence is reported with its own file and line.
    let marked = dir.path().join("marked.csv");
    std::fs::write(&marked, MARKED_CSV).unwrap();
    let o = run(
        train_bin()
            .arg(&a)
            .arg(&marked)
            .arg("-o")
            .arg(dir.path().join("m.stance")),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "stance-train: {}: line 14: marked word \"outrageous\" does not occur",
            marked.display()
        )),
        "{}",
        stderr(&o)
    );

    // The same file twice, and several files with --stream, are refused.
    let o = run(train_bin().arg(&a).arg(&a).arg("-o").arg(&one), None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is given twice as a training file"),
        "{}",
        stderr(&o)
    );
    let o = run(
        train_bin()
            .arg(&a)
            .arg(&b)
            .arg("--stream")
            .arg("-o")
            .arg(&one),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--stream trains on one file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn file_weights_shift_rows_between_pooled_files_and_are_checked() {
    let dir = tmp();
    let (a, b, _) = fixture_halves(dir.path());
    let train = |weights: Option<&str>, name: &str| {
        let m = dir.path().join(name);
        let mut cmd = train_bin();
        cmd.arg(&a).arg(&b).arg("-o").arg(&m);
        if let Some(w) = weights {
            cmd.args(["--file-weights", w]);
        }
        let o = run(&mut cmd, None);
        assert!(o.status.success(), "{}", stderr(&o));
        m
    };
    let classify = classify_two_sentences;
    let plain = classify(&train(None, "plain.stance"));
    // Equal weights are scaled to mean 1: the same model as no weights.
    let equal = train(Some("2,2"), "equal.stance");
    assert_eq!(classify(&equal), plain);
    // Unequal weights move the scores, and the provenance says so.
    let skewed = train(Some("1,5"), "skewed.stance");
    assert_ne!(classify(&skewed), plain);
    let describe = stdout(&run(
        classify_bin().arg("-m").arg(&skewed).arg("--describe"),
        None,
    ));
    assert!(describe.contains("(file weights 1, 5)"), "{describe}");

    // One positive weight per file, and none with --stream.
    for (flags, want) in [
        (
            vec!["--file-weights", "1"],
            "gives 1 weights for 2 training files",
        ),
        (vec!["--file-weights", "1,0"], "0 is not a positive number"),
        (
            vec!["--file-weights", "1,inf"],
            "inf is not a positive number",
        ),
    ] {
        let o = run(
            train_bin()
                .arg(&a)
                .arg(&b)
                .args(&flags)
                .arg("-o")
                .arg(dir.path().join("x.stance")),
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{flags:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{flags:?}: {}", stderr(&o));
    }
    let o = run(
        train_bin()
            .arg(&a)
            .args(["--stream", "--file-weights", "1", "-o"])
            .arg(dir.path().join("x.stance")),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--stream trains on one file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn eval_rows_without_offsets_are_located_by_discovery_and_counted() {
    let dir = tmp();
    let csv = dir.path().join("nooff.csv");
    std::fs::write(
        &csv,
        "text,target,stance\n\
         Critics accused Oman of stalling the talks.,Oman,against\n\
         Senator Dana Whitlock praised the deal and said she would back it.,Dana Whitlock,favor\n\
         We must act on climate change now,climate change,favor\n",
    )
    .unwrap();
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--eval")
            .arg(&csv),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "nooff.csv: 2 of 3 stance rows without offsets had their target found in the \
             text by discovery (66.7%); the others are topic stances"
        ),
        "{}",
        stderr(&o)
    );
    let v = eval_json(fixture_model(), &csv);
    assert_eq!(
        v["targets_without_offsets"],
        serde_json::json!({"rows": 3, "found_by_discovery": 2})
    );
    // Rows with offsets say nothing of it.
    let v = eval_json(fixture_model(), &fixture("dev.csv"));
    assert!(v.get("targets_without_offsets").is_none(), "{v}");
}
