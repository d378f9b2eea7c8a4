use crate::*;

fn article() -> String {
    std::fs::read_to_string(fixture("article.txt")).unwrap()
}

fn json_report(extra: &[&str]) -> serde_json::Value {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--format", "json"])
            .args(extra)
            .arg(fixture("article.txt")),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn table_shows_each_actor_with_the_sign_a_reader_expects() {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg(fixture("article.txt")),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // Oman, Iran, the United States, and Mr. Smith, whom discovery finds.
    assert!(out.contains("5 sentences, 4 actors"), "{out}");
    let score = |name: &str| -> f32 {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{out}"));
        line[name.len()..]
            .split_whitespace()
            .nth(2)
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(score("Oman") > 0.3, "{out}");
    assert!(score("Iran") < -0.3, "{out}");
    assert!(
        score("Oman") > score("United States") && score("United States") > score("Iran"),
        "{out}"
    );
}

#[test]
fn json_offsets_point_at_the_mentions_and_sentences() {
    let v = json_report(&[]);
    let text: Vec<char> = article().chars().collect();
    let slice = |s: usize, e: usize| -> String { text[s..e].iter().collect() };
    let sentences = v["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 5);
    let mut mentions = Vec::new();
    for s in sentences {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(slice(a, b), s["text"].as_str().unwrap());
        for act in s["actors"].as_array().unwrap() {
            let p: f64 = act["probabilities"]
                .as_object()
                .unwrap()
                .values()
                .map(|x| x.as_f64().unwrap())
                .sum();
            assert!((p - 1.0).abs() < 1e-3);
            let score = act["score"].as_f64().unwrap();
            assert!((-1.0..=1.0).contains(&score));
            for m in act["mentions"].as_array().unwrap() {
                let (ms, me) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(slice(ms, me), m["text"].as_str().unwrap());
                mentions.push((
                    act["actor"].as_str().unwrap().to_string(),
                    m["text"].as_str().unwrap().to_string(),
                    m["kind"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    // "Mr. Smith ... on Jan. 5" stays one sentence; "U.S." and "Tehran" resolve, and
    // discovery finds Mr. Smith (a name); "Jan. 5" is a date, not an actor, and "Talks
    // resume in Muscat" names a place, not Oman's government.
    assert!(sentences[4]["text"]
        .as_str()
        .unwrap()
        .starts_with("Mr. Smith, the U.S. negotiator"));
    for (actor, text, kind) in [
        ("United States", "U.S.", "alias"),
        ("Iran", "Tehran", "alias"),
        ("Smith", "Mr. Smith", "name"),
        ("Oman", "Oman", "name"),
        ("Oman", "its", "pronoun"),
    ] {
        assert!(
            mentions.contains(&(actor.to_string(), text.to_string(), kind.to_string())),
            "{mentions:?}"
        );
    }
    assert!(
        mentions
            .iter()
            .all(|(_, t, _)| t != "Muscat" && t != "Jan. 5"),
        "{mentions:?}"
    );
    // With the lexicon only (--actors-only), "Muscat" is Oman, as every alias is.
    let only = json_report(&["--actors-only"]);
    let muscat = only["sentences"][0]["actors"][0]["mentions"][0].clone();
    assert_eq!(muscat["text"], "Muscat", "{only}");
    assert_eq!(only["sentences"][0]["actors"][0]["actor"], "Oman");
    let actors = v["actors"].as_array().unwrap();
    let kind = |name: &str| {
        actors
            .iter()
            .find(|a| a["actor"] == name)
            .map(|a| a["kind"].clone())
    };
    assert_eq!(kind("Smith"), Some("person".into()), "{v}");
    assert_eq!(kind("Oman"), Some("state".into()), "{v}");
    let oman = actors
        .iter()
        .find(|a| a["actor"] == "Oman")
        .expect("Oman is an actor");
    assert_eq!(oman["mentions"], 3, "Oman, its, Oman");
    // The sentences that drive an actor's score are referred to by index (their text is
    // under `sentences` only), and each of them mentions the actor.
    let top = oman["top_sentences"].as_array().unwrap();
    assert!(!top.is_empty());
    let strongest = [&oman["strongest_for"], &oman["strongest_against"]];
    for d in top
        .iter()
        .chain(strongest.into_iter().filter(|d| !d.is_null()))
    {
        assert!(d.get("text").is_none(), "{d}");
        let s = &sentences[d["sentence"].as_u64().unwrap() as usize];
        let named = s["actors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["actor"] == "Oman");
        assert!(named, "{s}");
    }
}

#[test]
fn jsonl_on_stdin_gives_one_line_per_input_line() {
    let text = article();
    let mut input = String::new();
    for i in 0..7 {
        let doc = serde_json::json!({"id": format!("doc{i}"), "text": if i % 2 == 0 { text.as_str() } else { "No actor here." }});
        input.push_str(&doc.to_string());
        input.push('\n');
    }
    let o = classify_jsonl(input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7);
    for (i, l) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["id"], format!("doc{i}"));
        assert_eq!(v["actors"].as_array().unwrap().is_empty(), i % 2 == 1);
    }
}

#[test]
fn csv_and_sentence_rows() {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--format", "csv", "--sentences"])
            .arg(fixture("article.txt")),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let h = r.headers().unwrap().clone();
    assert_eq!(
        h.iter().take(6).collect::<Vec<_>>(),
        ["id", "sentence", "start", "end", "bias", "actor"]
    );
    assert!(h.iter().any(|c| c == "p_favor"));
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    // The headline without actors (its "in Muscat" is a place), Oman, Iran, U.S., and
    // the last sentence's four actors (Mr. Smith found in the text).
    assert_eq!(recs.len(), 8);
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--sentences"])
            .arg(fixture("article.txt")),
        None,
    );
    let out = stdout(&o);
    assert!(
        out.contains("Iran was condemned for reckless threats"),
        "{out}"
    );
}

#[test]
fn directories_and_user_actors() {
    let dir = tmp();
    std::fs::copy(fixture("article.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Acme Corp was praised for skilled and generous work.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.md"),
        "ignored: not an article extension",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("acme.toml"),
        "[[actor]]\nname = \"Acme\"\nkind = \"company\"\naliases = [\"Acme Corp\", \"Acme\"]\n",
    )
    .unwrap();
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--format", "jsonl", "--actors"])
            .arg(dir.path().join("acme.toml"))
            .arg(dir.path()),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["id"].as_str().unwrap().ends_with("a.txt"));
    assert_eq!(lines[1]["actors"][0]["actor"], "Acme");
    assert!(lines[1]["actors"][0]["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn eval_prints_metrics_as_text_and_json() {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--eval")
            .arg(fixture("dev.csv"))
            .args(["--format", "json"]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["accuracy"], 1.0);
    assert_eq!(v["confusion"]["favor"]["favor"], 1);
    assert!(v["bias"]["macro_f1"].as_f64().is_some());
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--eval")
            .arg(fixture("dev.csv")),
        None,
    );
    assert!(stdout(&o).contains("stance on") && stdout(&o).contains("bias on"));
}

#[test]
fn eval_reads_renamed_columns() {
    let dir = tmp();
    let renamed = dir.path().join("renamed.csv");
    let dev = std::fs::read_to_string(fixture("dev.csv")).unwrap();
    let (head, body) = dev.split_once('\n').unwrap();
    assert_eq!(head, "id,text,target,stance,mention_start,mention_end,bias");
    std::fs::write(
        &renamed,
        format!("id,sentence,entity,label,from,to,slant\n{body}"),
    )
    .unwrap();
    let eval = |csv: &std::path::Path, extra: &[&str]| {
        run(
            classify_bin()
                .arg("-m")
                .arg(fixture_model())
                .arg("--eval")
                .arg(csv)
                .args(["--format", "json"])
                .args(extra),
            None,
        )
    };
    let plain = eval(&fixture("dev.csv"), &[]);
    let spec = "text=sentence,target=entity,stance=label,mention_start=from,mention_end=to";
    let o = eval(&renamed, &["--column", spec, "--column", "bias=slant"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&plain));
    // Without the overrides the renamed file has no text column.
    let o = eval(&renamed, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("renamed.csv"), "{}", stderr(&o));
    let o = eval(&renamed, &["--column", "txt=sentence"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown field \"txt\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn broken_pipe_is_not_an_error() {
    let text = article();
    let mut input = String::new();
    for i in 0..400 {
        input.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        input.push('\n');
    }
    let mut child = classify_bin()
        .arg("-m")
        .arg(fixture_model())
        .args(["--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    });
    {
        use std::io::Read;
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
    }
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

/// `--explain`: for every score, intercept + listed contributions + the rest equals the
/// logit, and the logit is log(p(favor) / p(against)) of the reported probabilities.
#[test]
fn explanations_add_up_to_the_logit() {
    let v = json_report(&["--explain", "5"]);
    let text: Vec<char> = article().chars().collect();
    let mut checked = 0;
    for s in v["sentences"].as_array().unwrap() {
        let mut exps: Vec<(&serde_json::Value, Option<f64>)> = Vec::new();
        for a in s["actors"].as_array().unwrap() {
            let p = &a["probabilities"];
            let (f, g) = (p["favor"].as_f64().unwrap(), p["against"].as_f64().unwrap());
            // JSON rounds probabilities to 4 decimals: compare only where that is precise.
            let from_probs = (f > 0.02 && g > 0.02).then(|| (f / g).ln());
            exps.push((&a["explanation"], from_probs));
        }
        exps.push((&s["bias_explanation"], None));
        for (e, from_probs) in exps {
            let total = explanation_total(e);
            let logit = e["logit"].as_f64().unwrap();
            assert!((total - logit).abs() < 2e-3, "{total} vs {logit}: {e}");
            if let Some(l) = from_probs {
                // Probabilities are rounded to 4 decimals in JSON.
                assert!((l - logit).abs() < 0.02, "{l} vs {logit}");
            }
            assert!(e["features"].as_array().unwrap().len() <= 5);
            for f in e["features"].as_array().unwrap() {
                for span in f["spans"].as_array().unwrap() {
                    let (a, b) = (
                        span[0].as_u64().unwrap() as usize,
                        span[1].as_u64().unwrap() as usize,
                    );
                    assert!(a < b && b <= text.len());
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 7 + 5);
    // Readable names: the fixture's "praised" appears as a word feature for Oman.
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--sentences", "--explain", "20"])
            .arg(fixture("article.txt")),
        None,
    );
    let out = stdout(&o);
    assert!(
        out.contains("why? favor vs against logit")
            && out.contains("loaded? biased vs unbiased logit"),
        "{out}"
    );
    assert!(out.contains("w|"), "{out}");
}

#[test]
fn compare_lists_actors_by_article_in_every_format() {
    let dir = tmp();
    let b = dir.path().join("b.txt");
    std::fs::write(
        &b,
        "Iran was praised for skilled and generous diplomacy. Iran deserves credit.",
    )
    .unwrap();
    let go = |fmt: &str| {
        let o = run(
            classify_bin()
                .arg("-m")
                .arg(fixture_model())
                .args(["--compare", "--format", fmt])
                .arg(fixture("article.txt"))
                .arg(&b),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let v: serde_json::Value = serde_json::from_str(&go("json")).unwrap();
    assert_eq!(v["articles"].as_array().unwrap().len(), 2);
    let iran = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["actor"] == "Iran")
        .unwrap();
    assert!(
        iran["scores"][0].as_f64().unwrap() < 0.0 && iran["scores"][1].as_f64().unwrap() > 0.0,
        "{iran}"
    );
    let oman = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["actor"] == "Oman")
        .unwrap();
    assert!(oman["scores"][1].is_null());
    let csv = go("csv");
    assert!(csv.lines().next().unwrap().starts_with("actor,"));
    assert_eq!(
        csv.lines().count(),
        1 + v["actors"].as_array().unwrap().len()
    );
    assert_eq!(
        go("jsonl").lines().count(),
        v["actors"].as_array().unwrap().len()
    );
    let table = go("table");
    assert!(
        table.contains("[1]") && table.contains("[2]") && table.contains("Iran"),
        "{table}"
    );
    // --compare needs two articles.
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--compare")
            .arg(&b),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_blank_jsonl_line_still_gets_its_output_line() {
    let input = "{\"id\":\"a\",\"text\":\"Oman was praised.\"}\n\n{\"id\":\"c\",\"text\":\"Iran was blamed.\"}\n";
    let o = classify_jsonl(input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "-:2", "c"]);
}

/// Empty JSON Lines input (`--input-format jsonl`: no line) gives no output line; in
/// auto-detection, empty standard input is an empty article, as an empty file is (see
/// `hostile::silently_accepted_inputs_are_reported`).
#[test]
fn empty_jsonl_stdin_gives_no_output_line() {
    let o = run(
        classify_bin().arg("-m").arg(fixture_model()).args([
            "--format",
            "jsonl",
            "--input-format",
            "jsonl",
            "-",
        ]),
        Some(b""),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let o = classify_jsonl(b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
}

/// `--describe` reports what a model file holds: the settings it was trained with (here
/// non-default ones), its heads' classes and stored scores, in text and JSON; it takes
/// no articles and no CSV or HTML format.
#[test]
fn describe_reports_the_training_settings_and_scores() {
    let dir = tmp();
    let model = dir.path().join("m.stance");
    let dev = fixture("dev.csv");
    let flags = [
        "--c",
        "3",
        "--lexicon-weight",
        "0.5",
        "--no-cues",
        "--window",
        "2",
        "--global-weight",
        "0.3",
    ];
    train_fixture_with(
        &model,
        &[&["--eval", dev.to_str().unwrap()][..], &flags].concat(),
    );
    let o = run(classify_bin().arg("-m").arg(&model).arg("--describe"), None);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for want in [
        "VADER lexicon (weight 0.5)",
        "no cue words",
        "window 2,",
        "global weight 0.3,",
        "stance head: 3 classes against (-1), favor (+1), neutral (0); 28 training rows; C 3,",
        "bias head: 2 classes biased (+1), unbiased (0); 26 training rows; C 3,",
        "loaded-word detector: none",
    ] {
        assert!(text.contains(want), "missing {want:?}:\n{text}");
    }
    assert!(
        text.contains(&format!("model: {}", model.display())),
        "{text}"
    );
    // The built-in tagger of discovery, with the scores stored in it.
    assert!(
        text.contains("tagger: built-in (models/tagger.ner) (")
            && text.contains("  exact-span F1 on ")
            && text.contains(", micro 0."),
        "{text}"
    );
    // The stored dev scores are the ones --eval computes on the same file.
    let ev = eval_json(&model, &fixture("dev.csv"));
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(&model)
            .args(["--describe", "--format", "json"]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["features"]["lexicon_weight"], 0.5);
    assert_eq!(v["features"]["window"], 2);
    // An f32 setting reads as written, not as 0.30000001192092896.
    assert_eq!(v["features"]["global_weight"], 0.3);
    assert_eq!(
        v["features"]["families"].as_array().unwrap().len(),
        2,
        "{v}"
    );
    assert_eq!(v["tagger"]["scores"].as_array().unwrap().len(), 5, "{v}");
    assert!(v["tagger"]["scored_sentences"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(v["stance"]["c"], 3.0);
    assert_eq!(v["stance"]["train_rows"], 28);
    assert_eq!(v["stance"]["eval"]["macro_f1"], ev["macro_f1"]);
    assert_eq!(v["bias"]["eval"]["macro_f1"], ev["bias"]["macro_f1"]);
    assert_eq!(
        v["bytes"].as_u64().unwrap(),
        std::fs::metadata(&model).unwrap().len()
    );
    for bad in [
        &["--format", "csv"][..],
        &["x.txt"][..],
        &["--eval", "x.csv"][..],
    ] {
        let o = run(
            classify_bin()
                .arg("-m")
                .arg(&model)
                .arg("--describe")
                .args(bad),
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&o).contains("describe"), "{bad:?}: {}", stderr(&o));
    }
}

/// Discovery's flags: `--min-mentions` leaves rare actors out of the report, a tagger
/// file that is not one is an error naming it, and `--actors-only` excludes `--tagger`.
#[test]
fn discovery_flags() {
    let actors = |extra: &[&str]| -> Vec<String> {
        json_report(extra)["actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["actor"].as_str().unwrap().to_string())
            .collect()
    };
    let all = actors(&[]);
    assert!(all.contains(&"Smith".to_string()), "{all:?}");
    let frequent = actors(&["--min-mentions", "2"]);
    assert!(!frequent.contains(&"Smith".to_string()), "{frequent:?}");
    assert!(frequent.contains(&"Oman".to_string()), "{frequent:?}");
    assert!(!actors(&["--actors-only"]).contains(&"Smith".to_string()));

    let dir = tmp();
    let bad = dir.path().join("bad.ner");
    std::fs::write(&bad, b"not a tagger").unwrap();
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--tagger")
            .arg(&bad)
            .arg(fixture("article.txt")),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.ner"), "{}", stderr(&o));
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--actors-only", "--tagger"])
            .arg(&bad)
            .arg(fixture("article.txt")),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Pronouns resolved to an actor are marked for the reader: in the table's sentence
/// rows ("via ...") and in the HTML page (a data-kind attribute, dashed).
#[test]
fn resolved_pronouns_are_marked() {
    let dir = tmp();
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Senator Jane Moss praised Oman for its patience. She said Iran was reckless.\n",
    )
    .unwrap();
    let out = |format: &str| {
        let o = run(
            classify_bin()
                .arg("-m")
                .arg(fixture_model())
                .args(["--sentences", "--format", format])
                .arg(&article),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let table = out("table");
    assert!(table.contains("via \"She\" (pronoun)"), "{table}");
    let html = out("html");
    assert!(html.contains("data-kind=\"pronoun\""), "{html}");
    assert!(html.contains("title=\"She (pronoun) = Jane Moss"), "{html}");
}
