//! Hostile inputs (issue 20): each case fails the old code and passes now. Bad inputs
//! exit 2 with a message naming the file (and line), never panic, never hang.

use crate::*;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn classify_json(args: &[&std::ffi::OsStr], stdin: Option<&[u8]>) -> (Output, Duration) {
    let t0 = Instant::now();
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--format", "json"])
            .args(args),
        stdin,
    );
    (o, t0.elapsed())
}

fn assert_error(o: &Output, want: &[&str]) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    for w in want {
        assert!(e.contains(w), "want {w:?} in {e}");
    }
    assert!(!e.contains("panicked"), "{e}");
}

/// Case 1: text without sentence punctuation that names actors many times is split into
/// bounded sentences and classified in time linear in its size (1 MB took 20 s before;
/// 2 MB did not finish in a minute).
#[test]
fn long_unpunctuated_text_is_split_and_classified_in_linear_time() {
    let dir = tmp();
    let path = dir.path().join("x.txt");
    let reps = 50_000;
    let text = "Iran praised Oman and the United States ".repeat(reps);
    std::fs::write(&path, &text).unwrap();
    // Read whole (not in sections: that is the next test), to time the segmentation.
    let (o, took) = classify_json(
        &["--section-kb".as_ref(), "0".as_ref(), path.as_os_str()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let sentences = v["sentences"].as_array().unwrap();
    assert!(sentences.len() > 500, "{}", sentences.len());
    let chars: Vec<char> = text.chars().collect();
    let mut mentions = 0;
    for s in sentences {
        let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(end - start <= 3000, "{start}..{end}");
        let at: String = chars[start as usize..end as usize].iter().collect();
        assert_eq!(at, s["text"].as_str().unwrap());
        for a in s["actors"].as_array().unwrap() {
            mentions += a["mentions"].as_array().unwrap().len();
        }
    }
    // Pieces end at whitespace: no mention is cut.
    assert_eq!(mentions, 3 * reps);
    assert!(took < Duration::from_secs(60), "{took:?}");
}

/// Case 2: `--actors` with 100,000 actors loads in linear time (over a minute before).
#[test]
fn a_hundred_thousand_actors_load_quickly() {
    let dir = tmp();
    let toml = dir.path().join("actors.toml");
    let mut s = String::new();
    for i in 0..100_000 {
        s.push_str(&format!(
            "[[actor]]\nname = \"Firm {i}\"\nkind = \"company\"\naliases = [\"Firm{i} Holdings\"]\n"
        ));
    }
    // One alias moves from a built-in actor to a listed one.
    s.push_str("[[actor]]\nname = \"Persia\"\naliases = [\"Tehran\"]\n");
    std::fs::write(&toml, s).unwrap();
    let art = dir.path().join("a.txt");
    std::fs::write(&art, "Firm77777 Holdings praised Tehran.").unwrap();
    let (o, took) = classify_json(
        &["--actors".as_ref(), toml.as_os_str(), art.as_os_str()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["actor"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Firm 77777", "Persia"]);
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// An article longer than `--section-kb` (here 1.8 MB, against the default 512 KB) is reported in sections, said on standard error, each under its own
/// id, with every mention of the whole found once: the memory of one report stays
/// bounded by the section size.
#[test]
fn an_over_long_article_is_reported_in_sections() {
    let dir = tmp();
    let path = dir.path().join("x.txt");
    let reps = 50_000;
    // One-word names: a cut at whitespace (of a section or of an over-long sentence)
    // never splits one.
    let text = "Iran praised Oman and blamed Israel ".repeat(reps);
    std::fs::write(&path, &text).unwrap();
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--format", "jsonl"])
            .arg(&path),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("x.txt: longer than 512 KB: reported in sections") && e.lines().count() == 1,
        "{e}"
    );
    let name = path.display().to_string();
    let mut mentions = 0;
    let out = stdout(&o);
    let reports: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        reports.len(),
        4,
        "1,800,000 bytes in sections of at most 524,288"
    );
    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r["id"], format!("{name} (section {})", i + 1));
        for s in r["sentences"].as_array().unwrap() {
            // Offsets count from the section's start (ASCII text: characters are bytes).
            assert!(s["end"].as_u64().unwrap() <= 512 << 10);
            for a in s["actors"].as_array().unwrap() {
                mentions += a["mentions"].as_array().unwrap().len();
            }
        }
    }
    // Sections end at whitespace: no mention is cut or lost.
    assert_eq!(mentions, 3 * reps);
}

/// `stance-classify` has mimalloc commit memory as it is used (a constructor sets the
/// option before the allocator starts; set in `main` it would come too late), and the
/// environment still overrides it.
#[test]
fn the_allocator_commits_memory_on_demand() {
    let o = run(
        classify_bin().arg("--version").env("MIMALLOC_VERBOSE", "1"),
        None,
    );
    assert!(
        stderr(&o).contains("option 'arena_eager_commit': 0"),
        "{}",
        stderr(&o)
    );
    let o = run(
        classify_bin()
            .arg("--version")
            .env("MIMALLOC_VERBOSE", "1")
            .env("MIMALLOC_ARENA_EAGER_COMMIT", "1"),
        None,
    );
    assert!(
        stderr(&o).contains("option 'arena_eager_commit': 1"),
        "{}",
        stderr(&o)
    );
}

/// Case 3: a huge `--max-article-mb` ("unlimited") reads the article instead of wrapping
/// the limit to zero and reading every article as empty.
#[test]
fn an_unlimited_article_size_still_reads_the_article() {
    for mb in ["18446744073709551615", "17592186044416"] {
        let (o, _) = classify_json(
            &[
                "--max-article-mb".as_ref(),
                mb.as_ref(),
                fixture("article.txt").as_os_str(),
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert!(!v["sentences"].as_array().unwrap().is_empty(), "{mb}");
        assert!(!v["actors"].as_array().unwrap().is_empty(), "{mb}");
    }
}

/// Case 4: the model is never written over the training or the --eval file (nor through
/// a link to one); and case 9: the output path and the --eval file are checked before
/// training (here the training file is invalid, so training would fail first).
#[test]
fn the_model_does_not_replace_an_input_and_is_checked_before_training() {
    let dir = tmp();
    let data = dir.path().join("data.csv");
    let ev = dir.path().join("ev.csv");
    let train = std::fs::read(fixture("train.csv")).unwrap();
    std::fs::write(&data, &train).unwrap();
    std::fs::copy(fixture("dev.csv"), &ev).unwrap();
    let link = dir.path().join("link.stance");
    std::os::unix::fs::symlink(&data, &link).unwrap();
    for (out, eval) in [(&data, None), (&ev, Some(&ev)), (&link, None)] {
        let mut cmd = train_bin();
        cmd.arg(&data).arg("-o").arg(out);
        if let Some(e) = eval {
            cmd.arg("--eval").arg(e);
        }
        let o = run(&mut cmd, None);
        assert_error(&o, &["is the input file", "give another output path"]);
    }
    assert_eq!(std::fs::read(&data).unwrap(), train);
    assert_eq!(
        std::fs::read(&ev).unwrap(),
        std::fs::read(fixture("dev.csv")).unwrap()
    );
    // Checked before training: an invalid training file is not even read.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "text,target,stance\nx,,favor\n").unwrap();
    let o = run(
        train_bin()
            .arg(&bad)
            .arg("-o")
            .arg(dir.path().join("no/such/dir/m.stance")),
        None,
    );
    assert_error(&o, &["no/such/dir/m.stance", "cannot write in"]);
    let o = run(
        train_bin()
            .arg(&bad)
            .arg("-o")
            .arg(dir.path().join("m.stance"))
            .arg("--eval")
            .arg(dir.path().join("missing.csv")),
        None,
    );
    assert_error(&o, &["missing.csv"]);
    assert!(!stderr(&o).contains("bad.csv"), "{}", stderr(&o));
    let o = run(
        train_bin()
            .arg(&bad)
            .arg("-o")
            .arg(dir.path())
            .arg("--eval")
            .arg(&ev),
        None,
    );
    assert_error(&o, &["is a directory"]);
}

/// Case 5: `--format csv` (and `--compare --format csv`) into a closed pipe is success.
#[test]
fn csv_into_a_closed_pipe_is_success() {
    let dir = tmp();
    let text = std::fs::read_to_string(fixture("article.txt")).unwrap();
    let mut files = Vec::new();
    for i in 0..300 {
        let p = dir.path().join(format!("a{i:03}.txt"));
        std::fs::write(&p, &text).unwrap();
        files.push(p);
    }
    for compare in [false, true] {
        let mut cmd = classify_bin();
        cmd.arg("-m")
            .arg(fixture_model())
            .args(["--format", "csv", "-s"])
            .args(&files)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if compare {
            cmd.arg("--compare");
        }
        let mut child = cmd.spawn().unwrap();
        {
            use std::io::Read;
            let mut first = [0u8; 8];
            child
                .stdout
                .as_mut()
                .unwrap()
                .read_exact(&mut first)
                .unwrap();
        }
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "compare {compare}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    }
}

/// Case 6: a label with no polarity names the file, the line, the head and its flag,
/// and `--skip-invalid` skips the row; under `--eval`, a label the model does not know
/// is reported as such (with the class it means, for a built-in label).
#[test]
fn unknown_labels_name_the_file_line_and_flag() {
    let dir = tmp();
    let csv = dir.path().join("in.csv");
    let good = std::fs::read_to_string(fixture("train.csv")).unwrap();
    let n = good.lines().count() as u64;
    std::fs::write(&csv, format!("{good}x1,Oman is meh,Oman,meh,0,4,biased\n")).unwrap();
    let model = dir.path().join("m.stance");
    let o = run(train_bin().arg(&csv).arg("-o").arg(&model), None);
    assert_error(
        &o,
        &[&format!(
            "in.csv: line {}: stance label \"meh\" has no polarity: give one with \
             --label-score meh=1|0|-1",
            n + 1
        )],
    );
    let o = run(
        train_bin()
            .arg(&csv)
            .arg("-o")
            .arg(&model)
            .arg("--skip-invalid"),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("line {}: stance label", n + 1)));
    // The same with --stream.
    let o = run(
        train_bin().arg(&csv).arg("-o").arg(&model).arg("--stream"),
        None,
    );
    assert_error(
        &o,
        &[&format!("in.csv: line {}: stance label \"meh\"", n + 1)],
    );
    // BASIL-style bias labels need --bias-label-score.
    std::fs::write(
        &csv,
        format!("{good}x1,Oman is great,Oman,favor,0,4,lexical\n"),
    )
    .unwrap();
    let o = run(train_bin().arg(&csv).arg("-o").arg(&model), None);
    assert_error(
        &o,
        &[&format!(
            "in.csv: line {}: bias label \"lexical\" has no polarity: give one with \
             --bias-label-score lexical=1|0",
            n + 1
        )],
    );
    let o = run(
        train_bin()
            .arg(&csv)
            .arg("-o")
            .arg(&model)
            .args(["--bias-label-score", "lexical=1"]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // --eval: "pro" is +1, which the fixture model calls "favor".
    let ev = dir.path().join("ev.csv");
    std::fs::write(
        &ev,
        "text,target,stance\nOman was praised.,Oman,pro\nIran was blamed.,Iran,against\n",
    )
    .unwrap();
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--eval")
            .arg(&ev),
        None,
    );
    assert_error(
        &o,
        &[
            "ev.csv: line 2: stance label \"pro\" is not one of the model's classes",
            "\"pro\" means +1, as the model's \"favor\" does",
        ],
    );
    assert!(!stderr(&o).contains("--label-score"), "{}", stderr(&o));
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .arg("--eval")
            .arg(&ev)
            .arg("--skip-invalid"),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("skipped"), "{}", stderr(&o));
    // Also at the end of training, for the --eval file.
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(&model)
            .arg("--eval")
            .arg(&ev),
        None,
    );
    assert_error(&o, &["ev.csv: line 2: stance label \"pro\" is not one"]);
}

/// Case 7: `--threads` is bounded (100,000 threads ran for minutes before).
#[test]
fn threads_are_bounded() {
    for n in ["0", "100000"] {
        let t0 = Instant::now();
        let o = run(
            train_bin()
                .arg(fixture("train.csv"))
                .arg("-o")
                .arg(tmp().path().join("m.stance"))
                .args(["--threads", n]),
            None,
        );
        assert_error(&o, &[&format!("--threads {n}: give 1 to")]);
        assert!(t0.elapsed() < Duration::from_secs(10));
        let (o, _) = classify_json(
            &[
                "--threads".as_ref(),
                n.as_ref(),
                fixture("article.txt").as_os_str(),
            ],
            None,
        );
        assert_error(&o, &[&format!("--threads {n}: give 1 to")]);
    }
}

/// Case 8: an interrupt while the model is being written removes the temporary file.
#[test]
fn an_interrupted_model_write_leaves_no_temporary_file() {
    let dir = tmp();
    let mut child = train_bin()
        .arg(fixture("train.csv"))
        .arg("-o")
        .arg(dir.path().join("m.stance"))
        .env("STANCE_TEST_WRITE_PAUSE_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let listing = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let t0 = Instant::now();
    while !listing().iter().any(|n| n.starts_with(".tmp")) {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "no temporary file: {:?}",
            listing()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let k = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(k.success());
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(listing().is_empty(), "{:?}", listing());
}

/// Case 10: control bytes of a binary header are escaped in the message.
#[test]
fn control_bytes_of_a_header_are_escaped() {
    let dir = tmp();
    let p = dir.path().join("bin.csv");
    std::fs::write(&p, b"\x1b[2J\x07head\x1b]0;x\x07,other\n1,2\n").unwrap();
    let o = run(
        train_bin()
            .arg(&p)
            .arg("-o")
            .arg(dir.path().join("m.stance")),
        None,
    );
    assert_error(
        &o,
        &[
            "bin.csv",
            "missing required column \"text\"",
            "\\u{1b}[2J\\u{7}head",
        ],
    );
    assert!(
        !o.stderr.iter().any(|&b| b < 0x20 && b != b'\n'),
        "{}",
        stderr(&o)
    );
}

/// Case 11: inputs that were accepted silently are errors, or treated consistently.
#[test]
fn silently_accepted_inputs_are_reported() {
    let dir = tmp();
    // An unknown actor kind.
    let toml = dir.path().join("a.toml");
    std::fs::write(
        &toml,
        "[[actor]]\nname = \"X\"\nkind = \"planet\"\naliases = [\"Xland\"]\n",
    )
    .unwrap();
    let (o, _) = classify_json(
        &[
            "--actors".as_ref(),
            toml.as_os_str(),
            fixture("article.txt").as_os_str(),
        ],
        None,
    );
    assert_error(&o, &["a.toml", "unknown kind \"planet\"", "company"]);
    // A dangling symbolic link and a FIFO in an article directory.
    let arts = dir.path().join("arts");
    std::fs::create_dir(&arts).unwrap();
    std::fs::copy(fixture("article.txt"), arts.join("a.txt")).unwrap();
    std::os::unix::fs::symlink(arts.join("gone.txt"), arts.join("b.txt")).unwrap();
    let (o, _) = classify_json(&[arts.as_os_str()], None);
    assert_error(&o, &["b.txt", "symbolic link to a missing file"]);
    std::fs::remove_file(arts.join("b.txt")).unwrap();
    let fifo = arts.join("c.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (o, took) = classify_json(&[arts.as_os_str()], None);
    assert_error(&o, &["c.txt", "not a regular file"]);
    assert!(took < Duration::from_secs(30));
    // A duplicate `text` column; a duplicate JSON key; duplicate JSON Lines ids.
    let csv = dir.path().join("dup.csv");
    std::fs::write(
        &csv,
        "text,target,stance,text\nOman won,Oman,favor,Iran lost\n",
    )
    .unwrap();
    let o = run(
        train_bin()
            .arg(&csv)
            .arg("-o")
            .arg(dir.path().join("m.stance")),
        None,
    );
    assert_error(
        &o,
        &["dup.csv", "column \"text\" appears 2 times", "columns 1, 4"],
    );
    let (o, _) = classify_json(
        &["-".as_ref()],
        Some(b"{\"id\":\"a\",\"text\":\"Oman won.\"}\n{\"id\":\"b\",\"text\":\"x\",\"text\":\"Iran lost.\"}\n"),
    );
    assert_error(&o, &["-: line 2", "the key \"text\" appears twice"]);
    let (o, _) = classify_json(
        &["-".as_ref()],
        Some(b"{\"id\":\"a\",\"text\":\"Oman won.\"}\n{\"id\":\"a\",\"text\":\"Iran lost.\"}\n"),
    );
    assert_error(&o, &["-: line 2", "id \"a\" was already used on line 1"]);
    // Empty standard input is an empty article, as an empty file is.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    for format in ["table", "json", "csv"] {
        let from_file = run(
            classify_bin()
                .arg("-m")
                .arg(fixture_model())
                .args(["--format", format])
                .arg(&empty),
            None,
        );
        let from_stdin = run(
            classify_bin()
                .arg("-m")
                .arg(fixture_model())
                .args(["--format", format, "-"]),
            Some(b""),
        );
        assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
        assert!(!stdout(&from_stdin).is_empty(), "{format}");
        assert_eq!(
            stdout(&from_file).replace(&empty.display().to_string(), "-"),
            stdout(&from_stdin),
            "{format}"
        );
    }
}

/// Case 12: JSON offsets count Unicode code points (so an emoji is one, where
/// JavaScript's UTF-16 strings count two), and the README says so.
#[test]
fn offsets_count_code_points_and_the_readme_says_so() {
    let text = "\u{1F600}\u{1F600} Iran praised Oman.";
    let (o, _) = classify_json(&["-".as_ref()], Some(text.as_bytes()));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let s = &v["sentences"][0];
    let m = &s["actors"][0]["mentions"][0];
    let (a, b) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!((a, b), (3, 7));
    assert_eq!(chars[a..b].iter().collect::<String>(), "Iran");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains("Offsets count Unicode code points") && readme.contains("UTF-16"),
        "README.md must say what the offsets count"
    );
}
