//! Per-actor summaries of an article's sentence-level stances.

use super::report::{ActorSummary, Driver, SentenceActor, SentenceReport, TOP_SENTENCES};
use crate::model::labels::LabelSet;
use std::collections::BTreeMap;

/// One actor's sentences in an article.
struct Acc<'a> {
    mentions: usize,
    items: Vec<(&'a SentenceReport, &'a SentenceActor)>,
}

/// Aggregate sentence-level stances into per-actor summaries, most mentioned first.
pub fn summarize(sentences: &[SentenceReport], labels: Option<&LabelSet>) -> Vec<ActorSummary> {
    let Some(labels) = labels else {
        return Vec::new();
    };
    let mut acc: BTreeMap<&str, Acc> = BTreeMap::new();
    for s in sentences {
        for a in &s.actors {
            let e = acc.entry(a.actor.as_str()).or_insert(Acc {
                mentions: 0,
                items: Vec::new(),
            });
            e.mentions += a.mentions.len();
            e.items.push((s, a));
        }
    }
    let mut out: Vec<ActorSummary> = acc
        .into_iter()
        .map(|(name, a)| summary(name, &a, labels, sentences.len()))
        .collect();
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.actor.cmp(&b.actor)));
    out
}

/// The summary of one actor: the confidence-weighted mean of its sentence scores and
/// probabilities, the label they favour, and the sentences that drive the score.
fn summary(name: &str, a: &Acc, labels: &LabelSet, n_sentences: usize) -> ActorSummary {
    let wsum: f32 = a.items.iter().map(|(_, x)| x.confidence).sum();
    let score = a
        .items
        .iter()
        .map(|(_, x)| x.confidence * x.score)
        .sum::<f32>()
        / wsum;
    let probabilities: BTreeMap<String, f32> = labels
        .names
        .iter()
        .map(|l| {
            let p = a
                .items
                .iter()
                .map(|(_, x)| x.confidence * x.probabilities[l])
                .sum::<f32>()
                / wsum;
            (l.clone(), p)
        })
        .collect();
    let label = probabilities
        .iter()
        .fold(None::<(&String, f32)>, |best, (l, &p)| match best {
            Some((_, bp)) if bp >= p => best,
            _ => Some((l, p)),
        })
        .map(|(l, _)| l.clone())
        .unwrap_or_default();
    let (strongest_for, strongest_against) = strongest(a);
    ActorSummary {
        actor: name.to_string(),
        kind: a.items[0].1.kind.clone(),
        mentions: a.mentions,
        sentences: a.items.len(),
        score,
        label,
        probabilities,
        share: a.items.len() as f32 / n_sentences.max(1) as f32,
        strongest_for,
        strongest_against,
        top_sentences: top_sentences(a, score),
    }
}

fn driver(s: &SentenceReport, score: f32) -> Driver {
    Driver {
        sentence: s.index,
        score,
        text: s.text.clone(),
    }
}

/// The sentences that drive an actor's article score (`score`): those that lean its way,
/// by confidence-weighted score in that direction (by strength when it is 0).
fn top_sentences(a: &Acc, score: f32) -> Vec<Driver> {
    let dir = if score > 0.0 {
        1.0
    } else if score < 0.0 {
        -1.0
    } else {
        0.0
    };
    let mut drivers: Vec<(f32, &SentenceReport, f32)> = a
        .items
        .iter()
        .map(|(s, x)| {
            let key = if dir == 0.0 {
                x.score.abs()
            } else {
                dir * x.score
            };
            (key * x.confidence, *s, x.score)
        })
        .collect();
    drivers.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.index.cmp(&q.1.index)));
    drivers
        .into_iter()
        .filter(|(_, _, sc)| dir == 0.0 || sc * dir > 0.0)
        .take(TOP_SENTENCES)
        .map(|(_, s, score)| driver(s, score))
        .collect()
}

/// The actor's most favourable sentence (score above 0.1) and least favourable (below
/// -0.1).
fn strongest(a: &Acc) -> (Option<Driver>, Option<Driver>) {
    let mut by_score: Vec<(&SentenceReport, f32)> =
        a.items.iter().map(|(s, x)| (*s, x.score)).collect();
    by_score.sort_by(|p, q| q.1.total_cmp(&p.1).then(p.0.index.cmp(&q.0.index)));
    let strongest_for = by_score
        .first()
        .filter(|(_, sc)| *sc > 0.1)
        .map(|(s, sc)| driver(s, *sc));
    let strongest_against = by_score
        .iter()
        .rev()
        .find(|(_, sc)| *sc < -0.1)
        .map(|(s, sc)| driver(s, *sc));
    (strongest_for, strongest_against)
}
