//! What an analysis reports: per sentence, per actor, per article.

use crate::model::sentence::Explanation;
use crate::text::coref::MentionKind;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Number of driving sentences listed per actor.
pub const TOP_SENTENCES: usize = 3;

/// A mention in the output: character offsets in the article and the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionOut {
    /// Character offset of the mention's start in the article.
    pub start: usize,
    /// Character offset of the mention's end in the article (exclusive).
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// How the mention refers to the actor: `name`, `short`, `title`, `pronoun` or
    /// `alias`.
    pub kind: MentionKind,
}

/// Stance toward one actor in one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceActor {
    /// The actor's canonical name.
    pub actor: String,
    /// The actor's kind (in the article summary, not repeated per sentence).
    #[serde(skip)]
    pub kind: String,
    /// The actor's mentions in the sentence.
    pub mentions: Vec<MentionOut>,
    /// The stance class with the highest probability.
    pub label: String,
    /// In [-1, 1]: sum of p(label) x polarity(label).
    pub score: f32,
    /// Probability of the predicted label.
    pub confidence: f32,
    /// The probability of every stance class.
    pub probabilities: ClassProbabilities,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The features that pushed the score most (when explanations are asked for). Boxed:
    /// a report holds one `SentenceActor` per sentence and actor, and without
    /// explanations the box keeps each 80 bytes smaller.
    pub explanation: Option<Box<Explanation>>,
}

/// The probability of each class, by class name, in name order (as a `BTreeMap` would
/// hold them, and serialized as the same map).
///
/// A report has one per sentence and actor — over half a million for a 50 MB article —
/// so the class names are shared by all of them and each holds only its probabilities:
/// about 40 bytes where a map of three named entries took about 400.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassProbabilities {
    /// The class names, sorted.
    names: Arc<[String]>,
    /// The probability of each of `names`.
    values: Vec<f32>,
}

impl ClassProbabilities {
    /// The probabilities `values` of the classes `names` (a head's [`LabelSet`] names:
    /// sorted and distinct, so in map order).
    ///
    /// [`LabelSet`]: crate::model::labels::LabelSet
    pub fn new(names: Arc<[String]>, values: Vec<f32>) -> ClassProbabilities {
        debug_assert!(names.windows(2).all(|w| w[0] < w[1]));
        debug_assert_eq!(names.len(), values.len());
        ClassProbabilities { names, values }
    }

    /// The class names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.names.iter()
    }

    /// The classes and their probabilities, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &f32)> {
        self.names.iter().zip(&self.values)
    }

    /// The probability of class `name`, if the head has it.
    pub fn get(&self, name: &str) -> Option<f32> {
        let i = self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()?;
        Some(self.values[i])
    }
}

impl<'a> IntoIterator for &'a ClassProbabilities {
    type Item = (&'a String, &'a f32);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, String>, std::slice::Iter<'a, f32>>;

    fn into_iter(self) -> Self::IntoIter {
        self.names.iter().zip(&self.values)
    }
}

impl std::ops::Index<&str> for ClassProbabilities {
    type Output = f32;

    /// The probability of class `name`; panics when the head has no such class, as a
    /// map's index does.
    fn index(&self, name: &str) -> &f32 {
        match self.names.binary_search_by(|n| n.as_str().cmp(name)) {
            Ok(i) => &self.values[i],
            Err(_) => panic!("no class {name:?}"),
        }
    }
}

impl std::ops::Index<&String> for ClassProbabilities {
    type Output = f32;

    fn index(&self, name: &String) -> &f32 {
        &self[name.as_str()]
    }
}

impl Serialize for ClassProbabilities {
    /// A map of class name to probability, as `BTreeMap<String, f32>` gives it.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.values.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One sentence of the article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceReport {
    /// The sentence's index in the article (from 0).
    pub index: usize,
    /// Character offset of the sentence's start in the article.
    pub start: usize,
    /// Character offset of the sentence's end in the article (exclusive).
    pub end: usize,
    /// The sentence as written (shared with the [`Driver`]s that quote it).
    pub text: Arc<str>,
    /// Probability that the sentence uses loaded / biased language (bias head).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The features that pushed the bias probability most (when explanations are asked for).
    pub bias_explanation: Option<Explanation>,
    /// Words the model's loaded-word detector (when it has one) gives a probability of
    /// at least [`crate::model::loaded::LOADED_WORD_THRESHOLD`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub loaded_words: Vec<LoadedWordOut>,
    /// The actors the sentence mentions, each with its stance.
    pub actors: Vec<SentenceActor>,
}

/// A word the loaded-word detector flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadedWordOut {
    /// Character offsets in the article.
    pub start: usize,
    /// Character offset of the word's end in the article (exclusive).
    pub end: usize,
    /// The word as written.
    pub text: String,
    /// The detector's probability that the word is loaded.
    pub probability: f32,
}

/// A sentence that drives an actor's article score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// Index of the sentence in the report's `sentences`.
    pub sentence: usize,
    /// The actor's stance score in that sentence, in -1..=1.
    pub score: f32,
    /// The sentence's text, for the table and HTML reports. Not in JSON, which has each
    /// sentence's text once, under `sentences` (repeating it per actor made the JSON Lines
    /// output of the throughput benchmark's input twice as large: 31.8 MB against 16.1).
    /// The sentence's own text, shared, not a copy: an actor has up to five drivers and
    /// a pathological "sentence" is 3,000 characters.
    #[serde(skip_serializing)]
    pub text: Arc<str>,
}

/// Per-article stance toward one actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    /// The actor's canonical name.
    pub actor: String,
    /// `person`, `organization`, `company`, `party`, `place`, or the lexicon's kind
    /// (`state`, `bloc`, `institution` ...); empty for a training target.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The actor's mentions in the article (pronouns and titles included).
    pub mentions: usize,
    /// The sentences that mention the actor.
    pub sentences: usize,
    /// Confidence-weighted mean of the sentence scores, in [-1, 1].
    pub score: f32,
    /// Label with the highest confidence-weighted mean probability.
    pub label: String,
    /// The mean probability of every stance class over those sentences.
    pub probabilities: BTreeMap<String, f32>,
    /// Share of the article's sentences that mention the actor.
    pub share: f32,
    /// Up to three sentences that move the score most in its direction (sentences on
    /// the other side of zero are not listed).
    pub top_sentences: Vec<Driver>,
    /// The most favorable and the most unfavorable sentence about the actor, when a
    /// sentence leans that way (score above +0.1 / below -0.1).
    pub strongest_for: Option<Driver>,
    /// The sentence most against the actor, when one leans against it.
    pub strongest_against: Option<Driver>,
}

/// The analysis of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleReport {
    /// The article's id (its file name, or the `id` of its JSON Lines record).
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
    /// the verdict (mentioned in at least [`crate::analyze::VERDICT_MIN_SENTENCES`] sentences).
    pub spread: Option<f32>,
    /// One line a reader understands: `one-sided: ...` when the spread is at least
    /// [`crate::analyze::ONE_SIDED_SPREAD`] (or one counted actor leans beyond
    /// [`crate::analyze::LEAN_THRESHOLD`]), `balanced: ...` otherwise, with the share of
    /// sentences that use loaded language.
    pub verdict: String,
    /// Every sentence of the article, in order.
    pub sentences: Vec<SentenceReport>,
    /// Actors ordered by number of mentions (most first), then name.
    pub actors: Vec<ActorSummary>,
}
