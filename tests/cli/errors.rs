use crate::*;

fn train_on(csv: &[u8], extra: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tmp();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, csv).unwrap();
    let o = run(
        train_bin()
            .arg(&path)
            .arg("-o")
            .arg(dir.path().join("m.stance"))
            .args(extra),
        None,
    );
    (o, dir)
}

const GOOD: &str =
    "text,target,stance\nOman skilled praise,Oman,favor\nIran reckless blame,Iran,against\n";

#[test]
fn malformed_rows_name_file_and_line_and_exit_2() {
    let csv = format!("{GOOD}too,many,fields,here\nOman,Oman,favor\n");
    let (o, dir) = train_on(csv.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("in.csv: line 4: has 4 fields, the header has 3"),
        "{e}"
    );
    assert!(!dir.path().join("m.stance").exists());
    // With --skip-invalid the row is skipped and reported, not silently dropped.
    let (o, dir) = train_on(csv.as_bytes(), &["--skip-invalid"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("skipped") && e.contains("line 4"), "{e}");
    assert!(e.contains("skipped 1 invalid rows of 4"), "{e}");
    assert!(dir.path().join("m.stance").exists());
}

#[test]
fn bad_offsets_encoding_empty_and_unknown_labels() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"text,target,stance,mention_start,mention_end\nIran x,Iran,favor,1,5\n".to_vec(),
            "line 2: mention offsets 1..5 cover \"ran \", but the target is \"Iran\"",
        ),
        (
            [GOOD.as_bytes(), b"Caf\xe9 Oman,Oman,favor\n"].concat(),
            "line 4: column \"text\" is not valid UTF-8",
        ),
        (Vec::new(), "empty file"),
        (b"text,target,stance\n".to_vec(), "no data rows"),
        (
            b"text,stance\nx,favor\n".to_vec(),
            "missing required column \"target\"",
        ),
        (
            format!("{GOOD}Oman meh,Oman,meh\n").into_bytes(),
            "label \"meh\" has no polarity",
        ),
        (
            b"text,target,stance\nOman,,favor\n".to_vec(),
            "line 2: stance \"favor\" given but the target is empty",
        ),
        (
            b"text,target,stance\n\"open quote,Oman,favor\n".to_vec(),
            "line 2: has 1 fields, the header has 3",
        ),
    ];
    for (csv, want) in cases {
        let (o, _d) = train_on(&csv, &[]);
        assert_eq!(o.status.code(), Some(2), "{want}");
        assert!(
            stderr(&o).contains(want),
            "want {want:?}, got {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn corrupt_foreign_and_truncated_models_are_refused() {
    let dir = tmp();
    let good = std::fs::read(fixture_model()).unwrap();
    let mut corrupt = good.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x55;
    let mut newer = good.clone();
    newer[8] = 99;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("corrupt.stance", corrupt, "checksum mismatch"),
        (
            "foreign.stance",
            b"id,text\n1,hello\n".to_vec(),
            "not a stance model file",
        ),
        (
            "truncated.stance",
            good[..good.len() - 100].to_vec(),
            "truncated",
        ),
        ("newer.stance", newer, "format version 99"),
        ("empty.stance", Vec::new(), "not a stance model file"),
    ];
    for (name, bytes, want) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = run(
            classify_bin().arg("-m").arg(&p).arg(fixture("article.txt")),
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{name}");
        let e = stderr(&o);
        assert!(e.contains(name) && e.contains(want), "{name}: {e}");
    }
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(dir.path().join("missing.stance"))
            .arg(fixture("article.txt")),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.stance"));
}

#[test]
fn bad_article_inputs_name_the_file_and_line() {
    let dir = tmp();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Oman talks.\nCaf\xe9 in Muscat.\n").unwrap();
    let o = run(
        classify_bin().arg("-m").arg(fixture_model()).arg(&latin1),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("latin1.txt") && e.contains("line 2: not valid UTF-8"),
        "{e}"
    );

    let o = classify_jsonl(b"{\"id\":\"a\",\"text\":\"Oman talks.\"}\n{\"id\":\"b\"}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("-: line 2: missing string field \"text\""),
        "{}",
        stderr(&o)
    );
    // The first, valid line was still answered.
    assert_eq!(stdout(&o).lines().count(), 1);

    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg(dir.path().join("nope.txt")),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.txt"));
}

#[test]
fn articles_over_the_size_limit_are_refused_not_read_whole() {
    // 1.5 MB of text against a 1 MB limit: as a file, on standard input, and as one
    // JSON Lines record after a small one (which is still answered).
    let big = "Oman hosted the talks in Muscat. ".repeat(48_000);
    assert!(big.len() > 3 << 19);
    let dir = tmp();
    let file = dir.path().join("huge.txt");
    std::fs::write(&file, &big).unwrap();
    let limited = || {
        let mut c = classify_bin();
        c.arg("-m")
            .arg(fixture_model())
            .args(["--max-article-mb", "1"]);
        c
    };
    let o = run(limited().arg(&file), None);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("huge.txt")
            && e.contains("1 MB article limit")
            && e.contains("raise --max-article-mb"),
        "{e}"
    );
    // The reason is printed once, not repeated by the error chain.
    assert_eq!(e.matches("article limit").count(), 1, "{e}");

    let o = run(limited().arg("-"), Some(big.as_bytes()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("1 MB article limit"), "{}", stderr(&o));

    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "small", "text": "Oman hosted the talks."}),
        serde_json::json!({"id": "big", "text": big})
    );
    let o = run(
        limited().args(["--format", "jsonl", "-"]),
        Some(jsonl.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("-: line 2 is larger than the 1 MB article limit"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 1);

    // Under the default limit (64 MB) the same article is classified.
    let o = run(
        classify_bin().arg("-m").arg(fixture_model()).arg(&file),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_failed_training_leaves_an_existing_model_untouched() {
    let dir = tmp();
    let out = dir.path().join("m.stance");
    std::fs::write(&out, b"previous model bytes").unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "text,target,stance\nOman,Oman,meh\n").unwrap();
    let o = run(train_bin().arg(&bad).arg("-o").arg(&out), None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&out).unwrap(), b"previous model bytes");
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(dir.path().join("no/such/dir/m.stance")),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no/such/dir/m.stance"),
        "{}",
        stderr(&o)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_training_file_too_large_for_memory_is_refused_before_reading() {
    // A sparse file twice as large as in-memory training could handle (about 100 bytes
    // of memory per CSV byte): refused from its size alone, with the way out named.
    let info = std::fs::read_to_string("/proc/meminfo").unwrap();
    let avail_kb: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    let dir = tmp();
    let path = dir.path().join("huge.csv");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(avail_kb * 1024 / 100 * 2).unwrap();
    drop(f);
    let model = dir.path().join("m.stance");
    let o = run(train_bin().arg(&path).arg("-o").arg(&model), None);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("huge.csv") && e.contains("--stream") && e.contains("GB available"),
        "{e}"
    );
    assert!(!model.exists());
}
