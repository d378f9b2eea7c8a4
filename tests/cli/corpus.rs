//! Checks of the project's own corpus (data/corpus): schema, offsets, balance, size,
//! and that it is not template-generated (near-duplicate rate below 1%).

use crate::*;
use stance::{read_csv, Row};
use std::collections::{BTreeMap, BTreeSet};

fn load(split: &str) -> Vec<(Row, BTreeMap<String, String>)> {
    let path = root().join(format!("data/corpus/{split}.csv"));
    let bytes = std::fs::read(&path).unwrap();
    // Schema, offsets reproducing the mention, labels present: read_csv checks them all.
    let loaded = read_csv(
        &bytes[..],
        &path.display().to_string(),
        &Default::default(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.skipped.is_empty());
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let h = r.headers().unwrap().clone();
    let extra: Vec<BTreeMap<String, String>> = r
        .records()
        .map(|rec| {
            h.iter()
                .zip(rec.unwrap().iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    loaded.rows.into_iter().zip(extra).collect()
}

fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn corpus_schema_size_balance_and_coverage() {
    let train = load("train");
    let dev = load("dev");
    let all: Vec<&(Row, BTreeMap<String, String>)> = train.iter().chain(dev.iter()).collect();
    assert!(all.len() >= 4000, "{} rows", all.len());
    for (row, extra) in &all {
        assert!(
            row.span.is_some() && row.actor.is_some(),
            "line {}",
            row.line
        );
        assert!(["favor", "against", "neutral"].contains(&row.stance.as_deref().unwrap()));
        assert!(["biased", "unbiased"].contains(&row.bias.as_deref().unwrap()));
        assert!(!extra["topic"].is_empty() && !extra["register"].is_empty());
        assert!(!row.id.as_deref().unwrap().is_empty());
    }
    // Label balance: every stance between 25% and 42% of rows; bias 35%-65% of sentences.
    let mut stance: BTreeMap<&str, usize> = BTreeMap::new();
    for (r, _) in &all {
        *stance.entry(r.stance.as_deref().unwrap()).or_default() += 1;
    }
    for (l, n) in &stance {
        let share = *n as f64 / all.len() as f64;
        assert!((0.25..=0.42).contains(&share), "{l}: {share}");
    }
    let mut sentences: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for (r, _) in &all {
        let e = sentences
            .entry(r.text.as_str())
            .or_insert((0, r.bias.as_deref().unwrap()));
        e.0 += 1;
        assert_eq!(
            e.1,
            r.bias.as_deref().unwrap(),
            "bias differs within a sentence: {}",
            r.text
        );
    }
    let biased =
        sentences.values().filter(|(_, b)| *b == "biased").count() as f64 / sentences.len() as f64;
    assert!((0.35..=0.65).contains(&biased), "{biased}");
    // At least 25% of sentences name two or more actors.
    let multi = sentences.values().filter(|(n, _)| *n >= 2).count() as f64 / sentences.len() as f64;
    assert!(multi >= 0.25, "{multi}");
    let actors: BTreeSet<&str> = all
        .iter()
        .map(|(r, _)| r.actor.as_deref().unwrap())
        .collect();
    assert!(actors.len() >= 100, "{} actors", actors.len());
    let topics: BTreeSet<&str> = all.iter().map(|(_, e)| e["topic"].as_str()).collect();
    assert!(topics.len() >= 15, "{topics:?}");
    // Dev never shares a sentence with train.
    let train_text: BTreeSet<&str> = train.iter().map(|(r, _)| r.text.as_str()).collect();
    assert!(dev
        .iter()
        .all(|(r, _)| !train_text.contains(r.text.as_str())));
    assert!(
        dev.len() * 100 >= all.len() * 10,
        "dev has {} rows",
        dev.len()
    );
}

#[test]
fn corpus_has_under_one_percent_near_duplicates() {
    let all: Vec<String> = load("train")
        .into_iter()
        .chain(load("dev"))
        .map(|(r, _)| r.text)
        .collect();
    let uniq: BTreeSet<&str> = all.iter().map(String::as_str).collect();
    let sets: Vec<BTreeSet<String>> = uniq.iter().map(|s| words(s)).collect();
    let mut near = vec![false; sets.len()];
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            let inter = sets[i].intersection(&sets[j]).count();
            let union = sets[i].len() + sets[j].len() - inter;
            if union > 0 && inter as f64 / union as f64 > 0.6 {
                near[i] = true;
                near[j] = true;
            }
        }
    }
    let rate = near.iter().filter(|&&x| x).count() as f64 / sets.len() as f64;
    assert!(rate < 0.01, "near-duplicate sentence rate {rate}");
}

/// Every sentence carries its loaded words: biased ones the words marked in
/// `data/corpus/marks/` (each occurring in the sentence), unbiased ones none; all rows of
/// a sentence the same list; most biased sentences have at least one.
#[test]
fn corpus_marks_the_loaded_words_of_biased_sentences() {
    let mut lists: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut biased, mut marked, mut words) = (0, 0, 0);
    for (row, _) in load("train").iter().chain(load("dev").iter()) {
        let marks = row
            .loaded_words
            .clone()
            .unwrap_or_else(|| panic!("line {}: no loaded_words", row.line));
        if let Some(prev) = lists.get(&row.text) {
            assert_eq!(
                prev, &marks,
                "line {}: marks differ within a sentence",
                row.line
            );
            continue;
        }
        if row.bias.as_deref() == Some("unbiased") {
            assert!(marks.is_empty(), "line {}: unbiased with marks", row.line);
        } else {
            biased += 1;
            marked += usize::from(!marks.is_empty());
            words += marks.len();
        }
        let text = row.text.to_lowercase();
        for m in &marks {
            let m = m.to_lowercase();
            let whole = text.match_indices(&m).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + m.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            });
            assert!(whole, "line {}: {m:?} not in {:?}", row.line, row.text);
        }
        lists.insert(row.text.clone(), marks);
    }
    assert!(biased >= 2000, "{biased} biased sentences");
    assert!(marked * 100 >= biased * 95, "{marked} of {biased} marked");
    assert!(words >= 2 * biased, "{words} words in {biased} sentences");
}
