//! Integration tests: both binaries run on small fixtures written for the project, the
//! project's corpus and example articles, and (where present) the shared datasets.

mod articles;
mod classify;
mod corpus;
mod errors;
mod hostile;
mod html;
mod layers;
mod shared_data;
mod train;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub fn train_bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stance-train"));
    c.arg("--quiet");
    c
}

pub fn classify_bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stance-classify"));
    c.env_remove("STANCE_MODEL");
    c
}

/// Run a command, returning its output; stdin is empty unless given.
pub fn run(cmd: &mut Command, stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary starts");
    {
        let mut i = child.stdin.take().unwrap();
        if let Some(b) = stdin {
            // A program may stop reading early (e.g. at an input limit) and exit.
            if let Err(e) = i.write_all(b) {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
            }
        }
    }
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An explanation's intercept + listed contributions + the rest: its logit, if the
/// contributions add up.
pub fn explanation_total(e: &serde_json::Value) -> f64 {
    let listed: f64 = e["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["contribution"].as_f64().unwrap())
        .sum();
    e["intercept"].as_f64().unwrap() + listed + e["rest"].as_f64().unwrap()
}

/// `stance-classify --eval` of `model` on a labeled CSV, as JSON metrics.
pub fn eval_json(model: &Path, csv: &Path) -> serde_json::Value {
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(model)
            .arg("--eval")
            .arg(csv)
            .args(["--format", "json"]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// A fresh temporary directory.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Run the fixture model on JSON Lines from standard input, JSON Lines out.
pub fn classify_jsonl(input: &[u8]) -> std::process::Output {
    run(
        classify_bin()
            .arg("-m")
            .arg(fixture_model())
            .args(["--format", "jsonl", "-"]),
        Some(input),
    )
}

/// Train a model on the fixture with extra `flags`, to `model`.
pub fn train_fixture_with(model: &Path, flags: &[&str]) {
    let o = run(
        train_bin()
            .arg(fixture("train.csv"))
            .arg("-o")
            .arg(model)
            .args(flags),
        None,
    );
    assert!(o.status.success(), "{flags:?}: {}", stderr(&o));
}

/// A model trained once on the fixture (shared by tests; read-only).
pub fn fixture_model() -> &'static Path {
    static MODEL: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &MODEL
        .get_or_init(|| {
            let dir = tmp();
            let path = dir.path().join("fixture.stance");
            let o = run(
                train_bin()
                    .arg(fixture("train.csv"))
                    .arg("-o")
                    .arg(&path)
                    .args(["--c", "100"]),
                None,
            );
            assert!(
                o.status.success(),
                "training the fixture failed: {}",
                stderr(&o)
            );
            (dir, path)
        })
        .1
}

/// `../shared/data`, which CI provides. Outside CI its absence skips (returns None)
/// with a message; under CI it fails the test.
pub fn shared_data() -> Option<PathBuf> {
    let p = root().join("../shared/data");
    if p.join("newsmtsc/train.csv").is_file() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared/data is missing under CI: the shared-data tests cannot run");
    }
    eprintln!("note: ../shared/data not found; shared-data test not run (it fails under CI)");
    None
}
