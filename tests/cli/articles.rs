//! The shipped default model on the project's example articles. For every article's
//! actors marked `clear = true`, an attacked actor should score below zero and below
//! every praised one, and a praised actor above zero. The default model does not get all
//! of them right yet (models/README.md lists the misses); this test fails when fewer
//! than 85% of the clear actors are right, and prints every miss.

use crate::*;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Gold {
    #[serde(rename = "actor")]
    actors: Vec<GoldActor>,
}

#[derive(serde::Deserialize)]
struct GoldActor {
    name: String,
    stance: String,
    clear: bool,
}

#[test]
fn default_model_gets_the_clear_cases_of_the_example_articles_right() {
    let dir = root().join("data/articles");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for gold_path in files
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gold.toml"))
    {
        let gold: Gold = toml::from_str(&std::fs::read_to_string(gold_path).unwrap()).unwrap();
        let article = gold_path.to_string_lossy().replace(".gold.toml", ".txt");
        // The default model is found without --model when run from the repository root.
        let o = run(
            classify_bin()
                .current_dir(root())
                .args(["--format", "json", "--actors", "data/articles/actors.toml"])
                .arg(&article),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let scores: BTreeMap<String, f64> = v["actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["actor"].as_str().unwrap().to_string(),
                    a["score"].as_f64().unwrap(),
                )
            })
            .collect();
        let clear: Vec<&GoldActor> = gold.actors.iter().filter(|a| a.clear).collect();
        for a in &clear {
            checked += 1;
            let Some(&s) = scores.get(&a.name) else {
                failures.push(format!("{article}: clear actor {} not found", a.name));
                continue;
            };
            let mut problems = Vec::new();
            match a.stance.as_str() {
                "against" => {
                    if s >= 0.0 {
                        problems.push(format!("attacked but scores {s:+.2}"));
                    }
                    for b in clear.iter().filter(|b| b.stance == "favor") {
                        if let Some(&t) = scores.get(&b.name) {
                            if s >= t {
                                problems.push(format!(
                                    "{s:+.2} not below praised {} ({t:+.2})",
                                    b.name
                                ));
                            }
                        }
                    }
                }
                "favor" if s <= 0.0 => problems.push(format!("praised but scores {s:+.2}")),
                _ => {}
            }
            if !problems.is_empty() {
                failures.push(format!("{article}: {}: {}", a.name, problems.join("; ")));
            }
        }
    }
    assert!(checked >= 40, "only {checked} clear actors checked");
    let right = checked - failures.len();
    eprintln!(
        "{right} of {checked} clear actors right; misses:\n{}",
        failures.join("\n")
    );
    assert!(
        right as f64 >= 0.85 * checked as f64,
        "{right} of {checked} clear actors right (need 85%):\n{}",
        failures.join("\n")
    );
}
