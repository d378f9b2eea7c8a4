//! `--format html`: the page of the fixture article (and a `--compare` page) rendered by
//! headless Chromium; the DOM it builds holds every mention of the JSON report, one bar
//! per actor and the verdict, and the screenshot is a PNG of the requested size.
//!
//! Needs Debian's `chromium`: without it the rendering is skipped with a note, except
//! under CI (`CI` set), where its absence fails the tests.

use crate::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long one Chromium run may take before the test fails.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(120);

/// The Chromium binary: `chromium` on PATH, else /usr/bin/chromium. None (with a note)
/// when missing outside CI; a panic under CI.
fn chromium() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    });
    if let Some(p) = on_path.or_else(|| {
        let p = PathBuf::from("/usr/bin/chromium");
        p.is_file().then_some(p)
    }) {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium is not installed: .ci/run must install Debian's chromium");
    }
    eprintln!("note: chromium not found; the HTML rendering test is not run (it fails under CI)");
    None
}

/// Run headless Chromium on a local page with a fresh profile; fails the test on a
/// non-zero exit or after [`CHROMIUM_TIMEOUT`]. Returns standard output.
fn headless(chrome: &Path, page: &Path, action: &[String]) -> String {
    let profile = tmp();
    let url = format!("file://{}", page.display()).replace(' ', "%20");
    let started = Instant::now();
    let mut child = std::process::Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(action)
        .arg(&url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", chrome.display()));
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {action:?} did not finish within {CHROMIUM_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    assert!(
        status.success(),
        "chromium {action:?} failed ({status}):\n{stderr}"
    );
    eprintln!(
        "chromium {} took {:.1}s",
        action.join(" "),
        started.elapsed().as_secs_f64()
    );
    stdout
}

fn classify(args: &[&str], files: &[&Path]) -> String {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(args)
            .args(files),
        None,
    );
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Text as serialized in an HTML text node.
fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of every `<span class="mention" ...>` of `html`, in document order.
fn mention_texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices("<span class=\"mention\"") {
        let start = at + html[at..].find('>').unwrap() + 1;
        let (mut depth, mut j) = (1, start);
        while depth > 0 {
            let close = j + html[j..].find("</span>").expect("mention span is closed");
            match html[j..].find("<span").map(|o| j + o) {
                Some(o) if o < close => {
                    depth += 1;
                    j = o + "<span".len();
                }
                _ => {
                    depth -= 1;
                    j = close + "</span>".len();
                }
            }
        }
        out.push(unescape(&strip_tags(&html[start..j - "</span>".len()])));
    }
    out
}

/// Values of attribute `attr` on the tags that start with `tag_start`.
fn attr_values(html: &str, tag_start: &str, attr: &str) -> Vec<String> {
    html.match_indices(tag_start)
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            let key = format!(" {attr}=\"");
            let a = tag
                .find(&key)
                .unwrap_or_else(|| panic!("{attr} missing in {tag}"))
                + key.len();
            unescape(&tag[a..a + tag[a..].find('"').unwrap()])
        })
        .collect()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(b: &[u8]) -> (u32, u32) {
    assert!(
        b.len() > 24 && b.starts_with(b"\x89PNG\r\n\x1a\n") && &b[12..16] == b"IHDR",
        "not a PNG ({} bytes)",
        b.len()
    );
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

#[test]
fn html_page_renders_every_mention_and_actor_in_chromium() {
    let article = fixture("article.txt");
    let json: serde_json::Value =
        serde_json::from_str(&classify(&["--format", "json"], &[&article])).unwrap();
    let mut mentions: Vec<(u64, String)> = json["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["actors"].as_array().unwrap())
        .flat_map(|a| a["mentions"].as_array().unwrap())
        .map(|m| {
            (
                m["start"].as_u64().unwrap(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    mentions.sort();
    let mentions: Vec<String> = mentions.into_iter().map(|(_, t)| t).collect();
    let mut actors: Vec<String> = json["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["actor"].as_str().unwrap().to_string())
        .collect();
    actors.sort();
    let verdict = json["verdict"].as_str().unwrap();
    assert!(mentions.len() >= 5 && actors.len() == 4, "{json}");

    let page = classify(&["--format", "html"], &[&article]);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    // The page as printed already holds what the browser must show.
    assert_eq!(mention_texts(&page), mentions, "{page}");

    let Some(chrome) = chromium() else { return };
    let dir = tmp();
    let path = dir.path().join("article.html");
    std::fs::write(&path, &page).unwrap();

    let dom = headless(&chrome, &path, &["--dump-dom".into()]);
    assert!(dom.contains("<svg class=\"chart\""), "{dom}");
    assert_eq!(
        dom.matches("class=\"mention\"").count(),
        mentions.len(),
        "{dom}"
    );
    assert_eq!(mention_texts(&dom), mentions, "{dom}");
    let mut bars = attr_values(&dom, "<rect class=\"bar\"", "data-actor");
    bars.sort();
    assert_eq!(bars, actors, "{dom}");
    assert!(dom.contains(&escape_text(verdict)), "{verdict}\n{dom}");
    let sentences = json["sentences"].as_array().unwrap().len();
    assert_eq!(
        dom.matches("<span class=\"sentence").count(),
        sentences,
        "{dom}"
    );

    let png = dir.path().join("page.png");
    headless(
        &chrome,
        &path,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2000".into(),
        ],
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&bytes), (1200, 2000));
    assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
}

#[test]
fn html_comparison_renders_a_cell_per_actor_and_article_in_chromium() {
    let dir = tmp();
    let a = dir.path().join("outlet-a.txt");
    let b = dir.path().join("outlet-b.txt");
    std::fs::copy(fixture("article.txt"), &a).unwrap();
    std::fs::write(
        &b,
        "Iran deserves praise for its patient and skilled mediation.\n\n\
         Iran kept the talks alive with great skill.\n",
    )
    .unwrap();
    let files = [a.as_path(), b.as_path()];
    let json: serde_json::Value =
        serde_json::from_str(&classify(&["--compare", "--format", "json"], &files)).unwrap();
    let articles: Vec<&str> = json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let rows = json["actors"].as_array().unwrap();
    let present = rows
        .iter()
        .flat_map(|r| r["scores"].as_array().unwrap())
        .filter(|s| !s.is_null())
        .count();
    let absent = rows.len() * articles.len() - present;
    assert!(absent > 0 && present > 0, "{json}");

    let page = classify(&["--compare", "--format", "html"], &files);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    let Some(chrome) = chromium() else { return };
    let path = dir.path().join("compare.html");
    std::fs::write(&path, &page).unwrap();
    let dom = headless(&chrome, &path, &["--dump-dom".into()]);
    assert_eq!(
        dom.matches("<td class=\"num score cell\"").count(),
        present,
        "{dom}"
    );
    assert_eq!(dom.matches("<td class=\"absent\"").count(), absent, "{dom}");
    for (i, id) in articles.iter().enumerate() {
        assert!(dom.contains(&escape_text(id)), "{id}\n{dom}");
        let verdict = json["verdicts"][i].as_str().unwrap();
        assert!(dom.contains(&escape_text(verdict)), "{verdict}\n{dom}");
    }
    for r in rows {
        let name = r["actor"].as_str().unwrap();
        assert!(
            dom.contains(&format!("<th scope=\"row\">{}</th>", escape_text(name))),
            "{name}\n{dom}"
        );
    }
}
