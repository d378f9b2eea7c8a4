//! Several articles side by side: each actor's score in each article.

use super::ArticleReport;
use serde::Serialize;

/// Several articles side by side: actors x articles (for outlets covering one event).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Article ids, in input order.
    pub articles: Vec<String>,
    /// Verdict line of each article, in the same order.
    pub verdicts: Vec<String>,
    /// One row per actor named in any article, by total mentions (most first).
    pub actors: Vec<ComparedActor>,
}

/// One actor's score in each compared article (`None` where it is not mentioned).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedActor {
    /// The actor's canonical name.
    pub actor: String,
    /// Its score in each article, in the order of the reports.
    pub scores: Vec<Option<f32>>,
    /// Its mentions in each article.
    pub mentions: Vec<usize>,
}

impl Comparison {
    /// The comparison of `reports`: every actor any of them names, with its summary in each.
    pub fn new(reports: &[ArticleReport]) -> Comparison {
        let mut rows: std::collections::BTreeMap<&str, ComparedActor> = Default::default();
        for (i, r) in reports.iter().enumerate() {
            for a in &r.actors {
                let row = rows
                    .entry(a.actor.as_str())
                    .or_insert_with(|| ComparedActor {
                        actor: a.actor.clone(),
                        scores: vec![None; reports.len()],
                        mentions: vec![0; reports.len()],
                    });
                row.scores[i] = Some(a.score);
                row.mentions[i] = a.mentions;
            }
        }
        let mut actors: Vec<ComparedActor> = rows.into_values().collect();
        actors.sort_by(|a, b| {
            let (ma, mb) = (
                a.mentions.iter().sum::<usize>(),
                b.mentions.iter().sum::<usize>(),
            );
            mb.cmp(&ma).then(a.actor.cmp(&b.actor))
        });
        Comparison {
            articles: reports.iter().map(|r| r.id.clone()).collect(),
            verdicts: reports.iter().map(|r| r.verdict.clone()).collect(),
            actors,
        }
    }
}
