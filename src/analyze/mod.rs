//! Classification of articles: sentences -> actor mentions -> the sentence scorer ->
//! per-sentence scores -> per-article actor summary and verdict.

pub mod compare;
mod report;
mod summary;
mod verdict;

pub use crate::model::sentence::{Contribution, Explanation};
pub use report::{
    ActorSummary, ArticleReport, ClassProbabilities, Driver, LoadedWordOut, MentionOut,
    SentenceActor, SentenceReport,
};
pub use summary::summarize;
pub use verdict::{
    verdict, LEAN_THRESHOLD, LOADED_THRESHOLD, ONE_SIDED_SPREAD, VERDICT_MIN_SENTENCES,
};

use crate::error::Result;
use crate::features::Extractor;
use crate::model::loaded::LOADED_WORD_THRESHOLD;
use crate::model::sentence::{SentenceScorer, Target};
use crate::model::Model;
use crate::text::actors::{is_own_name, Matcher};
pub use crate::text::coref::MentionKind;
use crate::text::discover::{discover, for_discovery, FoundMention};
use crate::text::ner::NerTagger;
use crate::text::segment::{self, Sentence};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A loaded model ready to classify; cheap to share across threads.
pub struct Analyzer {
    matcher: Matcher,
    scorer: SentenceScorer,
    /// Finds actors in the text beside the lexicon's (see [`crate::text::discover`]);
    /// `None`: the lexicon's actors only.
    tagger: Option<NerTagger>,
    /// Actors with fewer mentions in an article are left out of its report.
    min_mentions: usize,
    /// The stance head's class names, shared by every sentence's [`ClassProbabilities`].
    classes: std::sync::Arc<[String]>,
}

impl Analyzer {
    /// An analyzer of the model's lexicon actors (see [`Analyzer::with_discovery`]).
    pub fn new(model: Model) -> Result<Self> {
        let matcher = Matcher::new(&model.lexicon)?;
        let classes = model
            .stance
            .as_ref()
            .map_or_else(Default::default, |h| h.labels.names.as_slice().into());
        Ok(Analyzer {
            matcher,
            classes,
            scorer: SentenceScorer::owning(model),
            tagger: None,
            min_mentions: 1,
        })
    }

    /// Also find the people, organizations and places the text names, with `tagger`,
    /// and group each actor's mentions (names, surnames, titles, pronouns).
    pub fn with_discovery(mut self, tagger: NerTagger) -> Self {
        self.tagger = Some(for_discovery(tagger));
        self
    }

    /// Leave out of an article's report the actors it mentions fewer than `n` times.
    pub fn with_min_mentions(mut self, n: usize) -> Self {
        self.min_mentions = n;
        self
    }

    /// List the `top` strongest features of every score (0: no explanations).
    pub fn with_explanations(mut self, top: usize) -> Self {
        self.scorer = self.scorer.with_explanations(top);
        self
    }

    /// The model that scores, without its own copy of the heads' dense weights and of
    /// the IDF: the analyzer's scorer holds them, and its scores and explanations read
    /// them there. Crate-private, so that no caller can score with the emptied heads.
    pub(crate) fn model(&self) -> &Model {
        self.scorer.model()
    }

    /// The stance head's class names, in the order of its probabilities (empty when the
    /// model has no stance head): the columns printers give each actor.
    pub fn stance_labels(&self) -> &[String] {
        self.model()
            .stance
            .as_ref()
            .map_or(&[], |h| h.labels.names.as_slice())
    }

    /// The actor matcher built from the model's lexicon.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The tagger that finds actors, when discovery is on.
    pub fn tagger(&self) -> Option<&NerTagger> {
        self.tagger.as_ref()
    }

    /// The model's feature extractor (its tokenizer, feature settings and IDF).
    pub fn extractor(&self) -> &Extractor {
        self.scorer.extractor()
    }

    /// Analyze one sentence of `article` toward the lexicon's actors.
    pub(crate) fn sentence(&self, article: &str, index: usize, s: &Sentence) -> Result<SentenceReport> {
        let text = s.text(article);
        let mentions: Vec<FoundMention> = self
            .matcher
            .find(text)
            .iter()
            .map(|m| FoundMention {
                actor: m.actor,
                start: m.start,
                end: m.end,
                start_byte: m.start_byte,
                end_byte: m.end_byte,
                kind: if is_own_name(
                    &text[m.start_byte..m.end_byte],
                    self.matcher.actor_name(m.actor),
                ) {
                    MentionKind::Name
                } else {
                    MentionKind::Alias
                },
            })
            .collect();
        let actor = |i: usize| (self.matcher.actor_name(i), self.matcher.actor_kind(i));
        self.score_sentence(article, index, s, &mentions, &actor)
    }

    /// Score one sentence toward the actors of its `mentions` (`actor` gives an actor's
    /// name and kind).
    fn score_sentence<'a>(
        &self,
        article: &str,
        index: usize,
        s: &Sentence,
        mentions: &[FoundMention],
        actor: &dyn Fn(usize) -> (&'a str, &'a str),
    ) -> Result<SentenceReport> {
        let text = s.text(article);
        let mention_spans: Vec<(usize, usize)> =
            mentions.iter().map(|m| (m.start, m.end)).collect();
        // The actors in order of first mention, each with its mentions' spans, the
        // other actors' spans and its key.
        let mut by_actor: BTreeMap<usize, Vec<&FoundMention>> = BTreeMap::new();
        for m in mentions {
            by_actor.entry(m.actor).or_default().push(m);
        }
        let mut order: Vec<(usize, Vec<&FoundMention>)> = by_actor.into_iter().collect();
        order.sort_by_key(|(_, ms)| ms[0].start);
        type Spans = Vec<(usize, usize)>;
        let spans: Vec<(Spans, Spans, String)> = order
            .iter()
            .map(|(a, ms)| {
                let target = ms.iter().map(|m| (m.start, m.end)).collect();
                let other = mentions
                    .iter()
                    .filter(|m| m.actor != *a)
                    .map(|m| (m.start, m.end))
                    .collect();
                (target, other, actor(*a).0.to_lowercase())
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
        let mut actors = Vec::with_capacity(order.len());
        if let Some(head) = &self.model().stance {
            for ((a, ms), score) in order.iter().zip(scores.stance) {
                let p = score.probabilities;
                let best = crate::linear::classifier::argmax(&p);
                let (name, kind) = actor(*a);
                actors.push(SentenceActor {
                    actor: name.to_string(),
                    kind: kind.to_string(),
                    mentions: ms
                        .iter()
                        .map(|m| MentionOut {
                            start: s.start + m.start,
                            end: s.start + m.end,
                            text: text[m.start_byte..m.end_byte].to_string(),
                            kind: m.kind,
                        })
                        .collect(),
                    label: head.labels.names[best].clone(),
                    score: head.labels.score(&p),
                    confidence: p[best],
                    probabilities: ClassProbabilities::new(self.classes.clone(), p),
                    explanation: score.explanation.map(Box::new),
                });
            }
        }
        Ok(SentenceReport {
            index,
            start: s.start,
            end: s.end,
            text: text.into(),
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
        let segments = segment::sentences(&text);
        // Sentences are independent once their actors are known: score them on all
        // cores, keeping their order.
        let mut sentences = match &self.tagger {
            None => segments
                .par_iter()
                .enumerate()
                .map(|(i, s)| self.sentence(&text, i, s))
                .collect::<Result<Vec<_>>>()?,
            Some(tagger) => {
                let found = discover(&text, &segments, tagger, &self.matcher);
                let actor = |i: usize| {
                    let a = &found.actors[i];
                    (a.name.as_str(), a.kind.as_str())
                };
                segments
                    .par_iter()
                    .zip(&found.sentences)
                    .enumerate()
                    .map(|(i, (s, ms))| self.score_sentence(&text, i, s, ms, &actor))
                    .collect::<Result<Vec<_>>>()?
            }
        };
        if self.min_mentions > 1 {
            drop_rare_actors(&mut sentences, self.min_mentions);
        }
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

/// Remove from the sentences the actors mentioned fewer than `min` times in all.
fn drop_rare_actors(sentences: &mut [SentenceReport], min: usize) {
    let mut count: std::collections::HashMap<String, usize> = Default::default();
    for s in sentences.iter() {
        for a in &s.actors {
            *count.entry(a.actor.clone()).or_default() += a.mentions.len();
        }
    }
    for s in sentences.iter_mut() {
        s.actors.retain(|a| count[&a.actor] >= min);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str, score: f32, sentences: usize) -> ActorSummary {
        ActorSummary {
            actor: name.into(),
            kind: String::new(),
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
            text: "".into(),
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
