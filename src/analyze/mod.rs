//! Classification of articles: sentences -> actor mentions -> features -> class
//! probabilities -> per-sentence scores -> per-article actor summary.

pub mod compare;

use crate::error::Result;
use crate::features::Extractor;
use crate::model::loaded::LOADED_WORD_THRESHOLD;
use crate::model::sentence::{SentenceScorer, Target};
use crate::model::Model;
use crate::text::actors::{Matcher, Mention};
use crate::text::segment::{self, Sentence};
use rayon::prelude::*;
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

pub use crate::model::sentence::{explain, Contribution, Explanation};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias_explanation: Option<Explanation>,
    /// Words the model's loaded-word detector (when it has one) gives a probability of
    /// at least [`LOADED_WORD_THRESHOLD`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub loaded_words: Vec<LoadedWordOut>,
    pub actors: Vec<SentenceActor>,
}

/// A word the loaded-word detector flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadedWordOut {
    /// Character offsets in the article.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub probability: f32,
}

/// A sentence that drives an actor's article score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// Index of the sentence in the report's `sentences`.
    pub sentence: usize,
    pub score: f32,
    /// The sentence's text, for the table and HTML reports. Not in JSON, which has each
    /// sentence's text once, under `sentences` (repeating it per actor made the JSON Lines
    /// output of the throughput benchmark's input twice as large: 31.8 MB against 16.1).
    #[serde(skip_serializing)]
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
    /// Share of the article's sentences that mention the actor.
    pub share: f32,
    /// Up to three sentences that move the score most in its direction (sentences on
    /// the other side of zero are not listed).
    pub top_sentences: Vec<Driver>,
    /// The most favorable and the most unfavorable sentence about the actor, when a
    /// sentence leans that way (score above +0.1 / below -0.1).
    pub strongest_for: Option<Driver>,
    pub strongest_against: Option<Driver>,
}

/// The analysis of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleReport {
    pub id: String,
    /// The article's text (not serialized: offsets point into it).
    #[serde(skip)]
    pub text: String,
    /// Sentences with a bias probability of at least 0.5 (with a bias head).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loaded_sentences: Option<usize>,
    /// `loaded_sentences` over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loaded_share: Option<f32>,
    /// Most favored minus least favored actor's score, over the actors that count for
    /// the verdict (mentioned in at least [`VERDICT_MIN_SENTENCES`] sentences).
    pub spread: Option<f32>,
    /// One line a reader understands (see [`verdict`]).
    pub verdict: String,
    pub sentences: Vec<SentenceReport>,
    /// Actors ordered by number of mentions (most first), then name.
    pub actors: Vec<ActorSummary>,
}

/// An actor counts for the verdict when mentioned in at least this many sentences.
pub const VERDICT_MIN_SENTENCES: usize = 2;
/// An actor's score at or beyond +/- this is "for" / "against" it.
pub const LEAN_THRESHOLD: f32 = 0.25;
/// A spread (most favored minus least favored) at or above this is one-sided; so is a
/// single counted actor with a score beyond the lean threshold.
pub const ONE_SIDED_SPREAD: f32 = 0.5;
/// A sentence with a bias probability at or above this uses loaded language.
pub const LOADED_THRESHOLD: f32 = 0.5;

/// The article verdict and the figures behind it.
///
/// `one-sided: against United States (-0.71), for Oman (+0.48); 9 of 19 sentences use
/// loaded language` when the spread is at least [`ONE_SIDED_SPREAD`] (or one counted actor
/// leans beyond [`LEAN_THRESHOLD`]); `balanced: ...` otherwise, naming the actors that
/// still lean. Actors count when mentioned in [`VERDICT_MIN_SENTENCES`] sentences or more.
pub fn verdict(
    actors: &[ActorSummary],
    sentences: &[SentenceReport],
) -> (String, Option<f32>, Option<usize>) {
    let counted: Vec<&ActorSummary> = actors
        .iter()
        .filter(|a| a.sentences >= VERDICT_MIN_SENTENCES)
        .collect();
    let spread = if counted.is_empty() {
        None
    } else {
        let hi = counted
            .iter()
            .map(|a| a.score)
            .fold(f32::NEG_INFINITY, f32::max);
        let lo = counted
            .iter()
            .map(|a| a.score)
            .fold(f32::INFINITY, f32::min);
        Some(hi - lo)
    };
    let mut against: Vec<&&ActorSummary> = counted
        .iter()
        .filter(|a| a.score <= -LEAN_THRESHOLD)
        .collect();
    let mut favor: Vec<&&ActorSummary> = counted
        .iter()
        .filter(|a| a.score >= LEAN_THRESHOLD)
        .collect();
    against.sort_by(|a, b| a.score.total_cmp(&b.score));
    favor.sort_by(|a, b| b.score.total_cmp(&a.score));
    let one_sided = spread.is_some_and(|s| s >= ONE_SIDED_SPREAD)
        || (counted.len() == 1 && counted[0].score.abs() >= LEAN_THRESHOLD);
    let list = |v: &[&&ActorSummary]| {
        v.iter()
            .take(3)
            .map(|a| format!("{} ({:+.2})", a.actor, a.score))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !against.is_empty() {
        parts.push(format!("against {}", list(&against)));
    }
    if !favor.is_empty() {
        parts.push(format!("for {}", list(&favor)));
    }
    let mut line = if counted.is_empty() {
        "no actor is mentioned in two or more sentences".to_string()
    } else if one_sided {
        format!("one-sided: {}", parts.join(", "))
    } else if parts.is_empty() {
        format!("balanced: no actor scores beyond ±{LEAN_THRESHOLD:.2}")
    } else {
        format!(
            "balanced overall (spread {:.2}): {}",
            spread.unwrap_or(0.0),
            parts.join(", ")
        )
    };
    let biased: Vec<f32> = sentences.iter().filter_map(|s| s.bias).collect();
    let loaded = if biased.is_empty() {
        None
    } else {
        let n = biased.iter().filter(|&&p| p >= LOADED_THRESHOLD).count();
        line.push_str(&format!(
            "; {n} of {} sentences use loaded language",
            sentences.len()
        ));
        Some(n)
    };
    (line, spread, loaded)
}

/// A loaded model ready to classify; cheap to share across threads.
pub struct Analyzer {
    matcher: Matcher,
    scorer: SentenceScorer,
}

impl Analyzer {
    pub fn new(model: Model) -> Result<Self> {
        let matcher = Matcher::new(&model.lexicon)?;
        Ok(Analyzer {
            matcher,
            scorer: SentenceScorer::new(model),
        })
    }

    /// List the `top` strongest features of every score (0: no explanations).
    pub fn with_explanations(mut self, top: usize) -> Self {
        self.scorer = self.scorer.with_explanations(top);
        self
    }

    /// The model that scores.
    pub fn model(&self) -> &Model {
        self.scorer.model()
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn extractor(&self) -> &Extractor {
        self.scorer.extractor()
    }

    /// Analyze one sentence of `article`.
    pub fn sentence(&self, article: &str, index: usize, s: &Sentence) -> Result<SentenceReport> {
        let text = s.text(article);
        let mentions = self.matcher.find(text);
        let mention_spans: Vec<(usize, usize)> =
            mentions.iter().map(|m| (m.start, m.end)).collect();
        // The actors in order of first mention, each with its mentions' spans, the
        // other actors' spans and its key.
        let mut by_actor: BTreeMap<usize, Vec<&Mention>> = BTreeMap::new();
        for m in &mentions {
            by_actor.entry(m.actor).or_default().push(m);
        }
        let mut order: Vec<(usize, Vec<&Mention>)> = by_actor.into_iter().collect();
        order.sort_by_key(|(_, ms)| ms[0].start);
        type Spans = Vec<(usize, usize)>;
        let spans: Vec<(Spans, Spans, String)> = order
            .iter()
            .map(|(actor, ms)| {
                let target = ms.iter().map(|m| (m.start, m.end)).collect();
                let other = mentions
                    .iter()
                    .filter(|m| m.actor != *actor)
                    .map(|m| (m.start, m.end))
                    .collect();
                (
                    target,
                    other,
                    self.matcher.actor_name(*actor).to_lowercase(),
                )
            })
            .collect();
        let targets: Vec<Target> = spans
            .iter()
            .map(|(t, o, k)| Target {
                spans: t,
                others: o,
                key: Some(k),
            })
            .collect();
        let scores = self
            .scorer
            .score(text, &mention_spans, &targets, true, s.start)?;
        let loaded_words = loaded_words(text, s.start, &scores.tokens, &scores.loaded);
        let (bias, bias_explanation) = match (&self.model().bias, scores.bias) {
            (Some(h), Some(b)) => (Some(h.labels.score(&b.probabilities)), b.explanation),
            _ => (None, None),
        };
        let mut actors = Vec::new();
        if let Some(head) = &self.model().stance {
            for ((actor, ms), score) in order.iter().zip(scores.stance) {
                let p = score.probabilities;
                let best = crate::linear::classifier::argmax(&p);
                actors.push(SentenceActor {
                    actor: self.matcher.actor_name(*actor).to_string(),
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
                    explanation: score.explanation,
                });
            }
        }
        Ok(SentenceReport {
            index,
            start: s.start,
            end: s.end,
            text: text.to_string(),
            bias,
            bias_explanation,
            loaded_words,
            actors,
        })
    }

    /// Analyze a whole article.
    pub fn article(&self, id: &str, text: &str) -> Result<ArticleReport> {
        self.article_owned(id, text.to_string())
    }

    /// [`Analyzer::article`] of a text the report then holds (not copied: a large
    /// article is held once).
    pub fn article_owned(&self, id: &str, text: String) -> Result<ArticleReport> {
        // Sentences are independent: score them on all cores, keeping their order.
        let sentences = segment::sentences(&text)
            .par_iter()
            .enumerate()
            .map(|(i, s)| self.sentence(&text, i, s))
            .collect::<Result<Vec<_>>>()?;
        let actors = summarize(&sentences, self.model().stance.as_ref().map(|h| &h.labels));
        let (verdict, spread, loaded_sentences) = verdict(&actors, &sentences);
        let n = sentences.len().max(1) as f32;
        Ok(ArticleReport {
            id: id.to_string(),
            text,
            loaded_sentences,
            loaded_share: loaded_sentences.map(|l| l as f32 / n),
            spread,
            verdict,
            sentences,
            actors,
        })
    }
}

/// The words of a sentence that the loaded-word detector flags, with offsets in the
/// article (`offset`: the sentence's start).
fn loaded_words(
    text: &str,
    offset: usize,
    tokens: &[crate::text::tokenize::Token],
    probs: &[Option<f32>],
) -> Vec<LoadedWordOut> {
    probs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = (*p)?;
            (p >= LOADED_WORD_THRESHOLD).then(|| {
                let t = &tokens[i];
                LoadedWordOut {
                    start: offset + t.start,
                    end: offset + t.end,
                    text: text.chars().skip(t.start).take(t.end - t.start).collect(),
                    probability: p,
                }
            })
        })
        .collect()
}

/// Aggregate sentence-level stances into per-actor summaries.
pub fn summarize(
    sentences: &[SentenceReport],
    labels: Option<&crate::model::labels::LabelSet>,
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
            let driver = |s: &SentenceReport, score: f32| Driver {
                sentence: s.index,
                score,
                text: s.text.clone(),
            };
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
            ActorSummary {
                actor: name.to_string(),
                mentions: a.mentions,
                sentences: a.items.len(),
                score,
                label,
                probabilities,
                share: a.items.len() as f32 / sentences.len().max(1) as f32,
                strongest_for,
                strongest_against,
                top_sentences: drivers
                    .into_iter()
                    .filter(|(_, _, sc)| dir == 0.0 || sc * dir > 0.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str, score: f32, sentences: usize) -> ActorSummary {
        ActorSummary {
            actor: name.into(),
            mentions: sentences,
            sentences,
            score,
            label: String::new(),
            probabilities: BTreeMap::new(),
            share: 0.0,
            top_sentences: Vec::new(),
            strongest_for: None,
            strongest_against: None,
        }
    }

    fn sentence(bias: Option<f32>) -> SentenceReport {
        SentenceReport {
            loaded_words: Vec::new(),
            index: 0,
            start: 0,
            end: 0,
            text: String::new(),
            bias,
            bias_explanation: None,
            actors: Vec::new(),
        }
    }

    #[test]
    fn verdict_thresholds() {
        let loaded: Vec<SentenceReport> = [0.9, 0.5, 0.49, 0.1]
            .iter()
            .map(|&b| sentence(Some(b)))
            .collect();
        // Spread 0.71 + 0.48 >= 0.5: one-sided; 2 of 4 sentences at >= 0.5 are loaded.
        let (v, spread, n) = verdict(
            &[
                actor("United States", -0.71, 5),
                actor("Oman", 0.48, 3),
                actor("Iran", 0.1, 4),
            ],
            &loaded,
        );
        assert_eq!(
            v,
            "one-sided: against United States (-0.71), for Oman (+0.48); 2 of 4 sentences use loaded language"
        );
        assert!((spread.unwrap() - 1.19).abs() < 1e-6);
        assert_eq!(n, Some(2));
        // Spread just under 0.5 is balanced; leaning actors are still named.
        let (v, _, _) = verdict(
            &[actor("A", -0.25, 2), actor("B", 0.24, 2)],
            &[sentence(None)],
        );
        assert_eq!(v, "balanced overall (spread 0.49): against A (-0.25)");
        // Actors in fewer than two sentences do not count.
        let (v, spread, _) = verdict(&[actor("A", -0.9, 1), actor("B", 0.9, 1)], &[]);
        assert_eq!(v, "no actor is mentioned in two or more sentences");
        assert_eq!(spread, None);
        // A single counted actor beyond the lean threshold makes the piece one-sided.
        let (v, _, _) = verdict(&[actor("A", 0.3, 2)], &[]);
        assert_eq!(v, "one-sided: for A (+0.30)");
        let (v, _, _) = verdict(&[actor("A", 0.2, 2)], &[]);
        assert_eq!(v, "balanced: no actor scores beyond ±0.25");
    }
}
