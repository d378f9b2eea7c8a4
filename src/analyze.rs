//! Classification of articles: sentences -> actor mentions -> features -> class
//! probabilities -> per-sentence scores -> per-article actor summary.

use crate::actors::{Matcher, Mention};
use crate::error::Result;
use crate::features::Extractor;
use crate::model::Model;
use crate::segment::{self, Sentence};
use serde::Serialize;
use std::collections::BTreeMap;

/// Number of driving sentences listed per actor.
pub const TOP_SENTENCES: usize = 3;

/// A mention in the output: character offsets in the article and the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionOut {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Stance toward one actor in one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceActor {
    pub actor: String,
    pub mentions: Vec<MentionOut>,
    pub label: String,
    /// In [-1, 1]: sum of p(label) x polarity(label).
    pub score: f32,
    /// Probability of the predicted label.
    pub confidence: f32,
    pub probabilities: BTreeMap<String, f32>,
}

/// One sentence of the article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceReport {
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Probability that the sentence uses loaded / biased language (bias head).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias: Option<f32>,
    pub actors: Vec<SentenceActor>,
}

/// A sentence that drives an actor's article score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    pub sentence: usize,
    pub score: f32,
    pub text: String,
}

/// Per-article stance toward one actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    pub actor: String,
    pub mentions: usize,
    pub sentences: usize,
    /// Confidence-weighted mean of the sentence scores, in [-1, 1].
    pub score: f32,
    /// Label with the highest confidence-weighted mean probability.
    pub label: String,
    pub probabilities: BTreeMap<String, f32>,
    /// Sentences that move the score most in its direction.
    pub top_sentences: Vec<Driver>,
}

/// The analysis of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleReport {
    pub id: String,
    pub sentences: Vec<SentenceReport>,
    /// Actors ordered by number of mentions (most first), then name.
    pub actors: Vec<ActorSummary>,
}

/// A loaded model ready to classify; cheap to share across threads.
pub struct Analyzer {
    pub model: Model,
    matcher: Matcher,
    extractor: Extractor,
}

impl Analyzer {
    pub fn new(model: Model) -> Result<Self> {
        let matcher = Matcher::new(&model.lexicon)?;
        let extractor = model.extractor();
        Ok(Analyzer {
            model,
            matcher,
            extractor,
        })
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// Analyze one sentence of `article`.
    pub fn sentence(&self, article: &str, index: usize, s: &Sentence) -> Result<SentenceReport> {
        let text = s.text(article);
        let mentions = self.matcher.find(text);
        let bias = match &self.model.bias {
            Some(h) => {
                let row = self
                    .extractor
                    .row(&crate::train::bias_example(text).input())?;
                let p = h.classifier.proba_row(&row.indices, &row.values);
                Some(h.labels.score(&p))
            }
            None => None,
        };
        let mut actors = Vec::new();
        if let Some(head) = &self.model.stance {
            let mut by_actor: BTreeMap<usize, Vec<&Mention>> = BTreeMap::new();
            for m in &mentions {
                by_actor.entry(m.actor).or_default().push(m);
            }
            // Order actors by first mention.
            let mut order: Vec<(usize, Vec<&Mention>)> = by_actor.into_iter().collect();
            order.sort_by_key(|(_, ms)| ms[0].start);
            for (actor, ms) in order {
                let target: Vec<(usize, usize)> = ms.iter().map(|m| (m.start, m.end)).collect();
                let other: Vec<(usize, usize)> = mentions
                    .iter()
                    .filter(|m| m.actor != actor)
                    .map(|m| (m.start, m.end))
                    .collect();
                let name = self.matcher.actor_name(actor);
                let key = name.to_lowercase();
                let input = crate::features::Input {
                    text,
                    target_spans: &target,
                    other_spans: &other,
                    target_key: Some(&key),
                };
                let row = self.extractor.row(&input)?;
                let p = head.classifier.proba_row(&row.indices, &row.values);
                let best = crate::classifier::argmax(&p);
                actors.push(SentenceActor {
                    actor: name.to_string(),
                    mentions: ms
                        .iter()
                        .map(|m| MentionOut {
                            start: s.start + m.start,
                            end: s.start + m.end,
                            text: text[m.start_byte..m.end_byte].to_string(),
                        })
                        .collect(),
                    label: head.labels.names[best].clone(),
                    score: head.labels.score(&p),
                    confidence: p[best],
                    probabilities: head.labels.names.iter().cloned().zip(p).collect(),
                });
            }
        }
        Ok(SentenceReport {
            index,
            start: s.start,
            end: s.end,
            text: text.to_string(),
            bias,
            actors,
        })
    }

    /// Analyze a whole article.
    pub fn article(&self, id: &str, text: &str) -> Result<ArticleReport> {
        let sentences = segment::sentences(text)
            .iter()
            .enumerate()
            .map(|(i, s)| self.sentence(text, i, s))
            .collect::<Result<Vec<_>>>()?;
        let actors = summarize(&sentences, self.model.stance.as_ref().map(|h| &h.labels));
        Ok(ArticleReport {
            id: id.to_string(),
            sentences,
            actors,
        })
    }
}

/// Aggregate sentence-level stances into per-actor summaries.
pub fn summarize(
    sentences: &[SentenceReport],
    labels: Option<&crate::labels::LabelSet>,
) -> Vec<ActorSummary> {
    let Some(labels) = labels else {
        return Vec::new();
    };
    struct Acc<'a> {
        mentions: usize,
        items: Vec<(&'a SentenceReport, &'a SentenceActor)>,
    }
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
        .map(|(name, a)| {
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
            ActorSummary {
                actor: name.to_string(),
                mentions: a.mentions,
                sentences: a.items.len(),
                score,
                label,
                probabilities,
                top_sentences: drivers
                    .into_iter()
                    .take(TOP_SENTENCES)
                    .map(|(_, s, score)| Driver {
                        sentence: s.index,
                        score,
                        text: s.text.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.actor.cmp(&b.actor)));
    out
}
