//! The library's data flows one way: each stage of `src/` may use the stages below it and
//! never one above it or beside it (README, "Architecture"). Checked on the source: every
//! `crate::STAGE` path outside comments and test modules.

use crate::root;
use std::path::Path;

/// Stages from the bottom up; stages of equal rank must not use each other.
const STAGES: &[(&str, u8)] = &[
    ("error", 0),
    ("sys", 0),
    ("text", 1),
    ("linear", 1),
    ("io", 1),
    ("features", 2),
    ("model", 3),
    ("train", 4),
    ("analyze", 4),
    ("output", 5),
];

fn rank(stage: &str) -> Option<u8> {
    STAGES.iter().find(|(s, _)| *s == stage).map(|&(_, r)| r)
}

/// The source without comments and without `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let text = text.split("\n#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segment after each `crate::`, including every item of `use crate::{..}`.
fn used_stages(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // A use group: split its top level on commas.
            let (mut depth, mut item, mut end) = (0usize, String::new(), group.len());
            for (j, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = j;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(item.trim().split("::").next().unwrap_or("").to_string());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(ch);
            }
            out.push(item.trim().split("::").next().unwrap_or("").to_string());
            rest = &group[end..];
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out.into_iter()
        .map(|s| match s.as_str() {
            "Error" | "Result" => "error".to_string(),
            _ => s,
        })
        .filter(|s| rank(s).is_some())
        .collect()
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            visit(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

#[test]
fn stages_use_only_the_stages_below_them() {
    let src = root().join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel.iter().next().unwrap().to_string_lossy().to_string();
        let stage = first.trim_end_matches(".rs");
        if stage == "bin" || stage == "lib" {
            continue;
        }
        let own = rank(stage).unwrap_or_else(|| panic!("{}: not a known stage", rel.display()));
        checked += 1;
        for used in used_stages(&code(&std::fs::read_to_string(f).unwrap())) {
            if used != stage && rank(&used).unwrap() >= own {
                wrong.push(format!("{} ({stage}) uses {used}", rel.display()));
            }
        }
    }
    assert!(checked >= 20, "only {checked} files checked");
    assert!(
        wrong.is_empty(),
        "imports against the flow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_upward_uses() {
    // The checker itself: a printer-level path inside `model` code is caught, in a plain
    // path, a use group and a nested group; comments and test modules are not code.
    let src = "use crate::{features::Extractor, output::{html, report}};\n\
               // crate::train in a comment\n\
               fn f() { crate::analyze::verdict(); }\n\
               #[cfg(test)]\nmod tests { use crate::train; }";
    let used = used_stages(&code(src));
    assert_eq!(used, ["features", "output", "analyze"]);
}
