//! Training: labeled rows -> examples -> features -> classifier heads -> model.
//!
//! The stance head learns from rows with a stance label; each row's target mention (or
//! every mention of its actor, when the target is a known actor) is masked as the
//! target, other actors' mentions as "other". A row without a mention span whose target
//! discovery finds in its text (see [`discovered_target_spans`]) is located at those
//! mentions; the other rows without a span are topic stances (the whole text, with
//! target-conjoined features). The bias head learns from the distinct (sentence, bias
//! label) pairs.

pub mod autotune;
pub mod checks;
pub mod staged;
pub mod stream;

use std::sync::Arc;
use crate::error::{Error, Result};
use crate::features::{Extractor, FeatureConfig, Input, RawRow, SparseRow};
use crate::io::data::{Dataset, Row, RowPlace};
use crate::linear::classifier::{argmax, LogisticRegression, LogisticRegressionParams};
use crate::linear::sparse::CsrMatrix;
use crate::model::labels::{default_bias_polarity, default_stance_polarity, LabelSet};
use crate::model::loaded::{add_to_row, LoadedWords, MarkedSentence, LOADED_WORD_THRESHOLD};
use crate::model::metrics::Metrics;
use crate::model::metrics::WordMetrics;
use crate::model::sentence::{SentenceScorer, Target};
use crate::model::Head;
use crate::model::{FittedHead, Model, TrainingInfo};
use crate::text::actors::{AliasIndex, Lexicon, Matcher};
use crate::text::calendar::DAY_AND_MONTH_NAMES;
use crate::text::discover::{builtin_tagger, discover, for_discovery};
use crate::text::ner::NerTagger;
use crate::text::segment;
use crate::text::tokenize::TokenPipeline;
use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use ndarray::Array1;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// An example ready for feature extraction (owned form of `features::Input`).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub target_spans: Vec<(usize, usize)>,
    pub other_spans: Vec<(usize, usize)>,
    pub target_key: Option<String>,
}

impl Example {
    pub fn input(&self) -> Input<'_> {
        Input {
            text: &self.text,
            target_spans: &self.target_spans,
            other_spans: &self.other_spans,
            target_key: self.target_key.as_deref(),
        }
    }
}

/// Everything `train` needs besides the rows.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Feature settings (n-grams, window, feature families, hash space).
    pub features: FeatureConfig,
    /// Hyperparameters of the stance head.
    pub params: LogisticRegressionParams,
    /// Hyperparameters of the bias head.
    pub bias_params: LogisticRegressionParams,
    /// Polarity overrides for stance labels (`favor` = 1 and the like are built in).
    pub stance_scores: BTreeMap<String, f32>,
    /// Loadedness overrides for bias labels (`biased` = 1, `unbiased` = 0 are built in).
    pub bias_scores: BTreeMap<String, f32>,
    /// Seed of everything random (fold assignment, SGD row order).
    pub seed: u64,
    /// Base lexicon (built-in plus user file).
    pub lexicon: Lexicon,
    /// Located targets seen at least this often (with a capitalized first letter) become
    /// actors of the model's lexicon; 0 disables.
    pub min_target_count: usize,
    /// Sample weight of the rows of each pooled training file, by the file's name as
    /// given ([`Dataset::pool`]); unnamed files weigh 1. Each head's weights are scaled
    /// to mean 1, so that `C` keeps its strength. Empty: every row weighs the same.
    pub file_weights: BTreeMap<String, f64>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            features: FeatureConfig::default(),
            params: LogisticRegressionParams::default(),
            bias_params: LogisticRegressionParams::default(),
            stance_scores: BTreeMap::new(),
            bias_scores: BTreeMap::new(),
            seed: 42,
            lexicon: Lexicon::builtin(),
            min_target_count: 2,
            file_weights: BTreeMap::new(),
        }
    }
}

impl TrainConfig {
    /// Fit a model to a dataset: the stance head on the rows with a stance label, the
    /// bias head on the sentences with a bias label (whichever the data has), IDF on
    /// both heads' rows, and the lexicon grown by the located targets (see
    /// [`TrainConfig::min_target_count`]). The model records the dataset's name and
    /// fingerprint and these settings.
    pub fn fit(&self, data: &Dataset) -> Result<Model> {
        let info = TrainingInfo {
            train_file: data.name.clone(),
            train_fingerprint: data.fingerprint.clone(),
            eval_file: None,
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: self.seed,
            params: self.params.clone(),
            bias_params: self.bias_params.clone(),
            skipped: data
                .skipped
                .iter()
                .map(|s| format!("{}: {}", s.line, s.reason))
                .collect(),
        };
        self.prepare(data)?.featurize(self, &|_| {})?.fit(info)
    }
}

/// Add located training targets to the lexicon: alias = the mention as written, actor =
/// the row's `actor` column, or the alias's existing owner, or the mention itself.
pub fn lexicon_with_targets(base: &Lexicon, rows: &[Row], min_count: usize) -> Lexicon {
    let mut counts = TargetCounts::default();
    count_targets(base, rows, &mut counts);
    lexicon_from_counts(base, &counts, min_count)
}

/// Occurrences of each (actor, alias) among located training targets.
pub type TargetCounts = BTreeMap<(String, String), usize>;

/// Add the located targets of `rows` to `counts` (see [`lexicon_with_targets`]).
pub fn count_targets(base: &Lexicon, rows: &[Row], counts: &mut TargetCounts) {
    let index = base.index();
    for r in rows {
        if r.span.is_none() || r.stance.is_none() {
            continue;
        }
        let t = r.target.trim();
        if !names_an_actor(t) {
            continue;
        }
        // "President Trump" and "Trump" are one actor: a title before a name is dropped
        // from the actor's name (the alias keeps it).
        let actor = canonical_actor(r, &index).unwrap_or_else(|| {
            let name = without_title(t);
            index.owner_of(name).unwrap_or(name).to_string()
        });
        *counts.entry((actor, t.to_string())).or_default() += 1;
    }
}

/// Whether a training target can become an actor of the model: it starts with a capital
/// letter and is not a pronoun or a common noun phrase led by a determiner or pronoun
/// ("He", "They", "The president", "His administration": in another article they name
/// someone else), nor a day or month name ("May" excepted: also a surname). "The White House" and "Her Majesty's
/// Government" can.
pub fn names_an_actor(target: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "him",
        "her",
        "his",
        "hers",
        "its",
        "their",
        "theirs",
        "them",
        "our",
        "ours",
        "us",
        "me",
        "my",
        "mine",
        "your",
        "yours",
        "who",
        "whom",
        "whose",
        "himself",
        "herself",
        "itself",
        "themselves",
        "ourselves",
        "myself",
        "yourself",
        "some",
        "many",
        "most",
        "all",
        "both",
        "each",
        "every",
        "other",
        "others",
        "one",
        "someone",
        "everyone",
        "nobody",
        "anyone",
    ];
    if target.chars().count() < 2 || !target.starts_with(char::is_uppercase) {
        return false;
    }
    let mut words = target.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let first = first
        .strip_suffix("'s")
        .or_else(|| first.strip_suffix("’s"))
        .unwrap_or(&first);
    // "US" or "IT" in capitals is an abbreviation, not a pronoun.
    let all_caps = target.split_whitespace().next().is_some_and(|w| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    }) && first.chars().filter(|c| c.is_alphabetic()).count() > 1;
    let led_by_function_word =
        !all_caps && (FUNCTION_WORDS.contains(&first) || DAY_AND_MONTH_NAMES.contains(&first));
    !led_by_function_word || words.any(|w| w.starts_with(char::is_uppercase))
}

/// A name without a leading title or honorific ("President Trump" -> "Trump", "Sen. Ted
/// Cruz" -> "Ted Cruz"); the name itself when it has none or nothing capitalized follows.
pub fn without_title(name: &str) -> &str {
    const TITLES: &[&str] = &[
        "Former President",
        "Vice President",
        "President",
        "Prime Minister",
        "Deputy Prime Minister",
        "Foreign Minister",
        "Minister",
        "Chancellor",
        "Secretary of State",
        "Secretary",
        "Attorney General",
        "Speaker",
        "Senator",
        "Sen.",
        "Representative",
        "Rep.",
        "Governor",
        "Gov.",
        "Mayor",
        "Judge",
        "Justice",
        "Chief Justice",
        "General",
        "Gen.",
        "Mr.",
        "Mrs.",
        "Ms.",
        "Dr.",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "Ambassador",
        "Commissioner",
    ];
    let mut best = name;
    for t in TITLES {
        if let Some(rest) = name.strip_prefix(t).and_then(|r| r.strip_prefix(' ')) {
            let rest = rest.trim_start();
            if rest.starts_with(char::is_uppercase) && rest.len() < best.len() {
                best = rest;
            }
        }
    }
    best
}

/// The base lexicon plus the targets counted at least `min_count` times (0: none).
pub fn lexicon_from_counts(base: &Lexicon, counts: &TargetCounts, min_count: usize) -> Lexicon {
    let mut lex = base.clone();
    if min_count == 0 {
        return lex;
    }
    lex.add_aliases(
        counts
            .iter()
            .filter(|(_, &n)| n >= min_count)
            .map(|((actor, alias), _)| (actor.as_str(), "target", alias.as_str())),
    );
    lex
}

/// The row's actor under its lexicon name: the `actor` column resolved through the
/// aliases ("WHO" -> "World Health Organization"), else the owner of the target.
pub fn canonical_actor(row: &Row, index: &AliasIndex) -> Option<String> {
    match &row.actor {
        Some(a) => Some(index.owner_of(a).unwrap_or(a).to_string()),
        None => index.owner_of(&row.target).map(str::to_string),
    }
}

/// The shipped NER tagger, loaded once for training and evaluation and set up as
/// articles' discovery runs it.
fn shared_tagger() -> Result<&'static NerTagger> {
    static TAGGER: OnceLock<std::result::Result<NerTagger, String>> = OnceLock::new();
    TAGGER
        .get_or_init(|| {
            builtin_tagger()
                .map(for_discovery)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::Training(format!("the built-in NER tagger: {e}")))
}

/// Lowercase words of a name (runs of letters and digits).
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `short` occurs in `long` as a run of whole words, one of them at least three
/// letters long ("Clinton" in "Hillary Clinton"; not "of" in "Bank of England").
fn is_word_run(short: &[String], long: &[String]) -> bool {
    !short.is_empty()
        && short.iter().any(|w| w.chars().count() >= 3)
        && long.windows(short.len()).any(|w| w == short)
}

/// For a stance row without offsets: the character spans of its target's mentions that
/// discovery (the shipped NER tagger with the lexicon, mentions grouped by
/// [`crate::text::discover`]) finds in its text. The target is every found actor whose
/// name is the row's actor (`target_actor`) or the target, or whose words are a run of
/// the target's words or hold the target's words as a run ("Clinton" and "Hillary" for
/// "Hillary Clinton"), with all its mentions (names, surnames, titles, pronouns). Empty
/// when none is: the row is then a topic stance ("Climate Change").
pub fn discovered_target_spans(
    text: &str,
    target: &str,
    target_actor: Option<&str>,
    matcher: &Matcher,
) -> Result<Vec<(usize, usize)>> {
    let target_words = name_words(target);
    if target_words.is_empty() {
        return Ok(Vec::new());
    }
    let sentences = segment::sentences(text);
    let found = discover(text, &sentences, shared_tagger()?, matcher);
    let is_target: Vec<bool> = found
        .actors
        .iter()
        .map(|a| {
            let words = name_words(&a.name);
            target_actor == Some(a.name.as_str())
                || words == target_words
                || is_word_run(&words, &target_words)
                || is_word_run(&target_words, &words)
        })
        .collect();
    let mut spans: Vec<(usize, usize)> = sentences
        .iter()
        .zip(&found.sentences)
        .flat_map(|(s, ms)| {
            ms.iter()
                .filter(|m| is_target[m.actor])
                .map(move |m| (s.start + m.start, s.start + m.end))
        })
        .collect();
    spans.sort_unstable();
    spans.dedup();
    Ok(spans)
}

/// Build the stance example of a row: the target span (plus other mentions of the same
/// actor) masked as target, other actors as other. `discovered`: for a row without a
/// span, its target's mentions found by [`discovered_target_spans`] (empty: a topic
/// row).
pub fn stance_example(
    row: &Row,
    matcher: &Matcher,
    lexicon: &AliasIndex,
    discovered: &[(usize, usize)],
) -> Example {
    let mentions = matcher.find(&row.text);
    let mut target_spans = Vec::new();
    let mut other_spans = Vec::new();
    let target_actor = canonical_actor(row, lexicon);
    if let Some((s, e)) = row.span {
        target_spans.push((s, e));
    } else {
        target_spans.extend_from_slice(discovered);
    }
    let located = !target_spans.is_empty();
    for m in &mentions {
        let overlaps_target = target_spans.iter().any(|&(s, e)| m.start < e && s < m.end);
        if overlaps_target {
            continue;
        }
        let same = target_actor.as_deref() == Some(matcher.actor_name(m.actor));
        if same && located {
            target_spans.push((m.start, m.end));
        } else {
            other_spans.push((m.start, m.end));
        }
    }
    target_spans.sort_unstable();
    let key = target_actor
        .unwrap_or_else(|| row.target.clone())
        .to_lowercase();
    Example {
        text: row.text.clone(),
        target_spans,
        other_spans,
        target_key: Some(key),
    }
}

/// Build the bias example of a sentence: the text alone.
pub fn bias_example(text: &str) -> Example {
    Example {
        text: text.to_string(),
        target_spans: Vec::new(),
        other_spans: Vec::new(),
        target_key: None,
    }
}

/// Labeled examples for one head.
#[derive(Debug, Clone)]
pub struct HeadData {
    pub labels: LabelSet,
    pub examples: Vec<Example>,
    pub y: Vec<usize>,
    /// Group of each example (rows of the same sentence share one), for CV.
    pub groups: Vec<usize>,
    /// Bias examples: the line of the row and the words marked as loaded in it, when
    /// annotated (the `loaded_words` column; duplicates of a sentence pool theirs).
    /// Empty for stance.
    pub marks: Vec<Option<(RowPlace, Vec<String>)>>,
    /// Stance rows without offsets: (how many of them discovery located, how many there
    /// are). (0, 0) for bias.
    pub targets_without_offsets: (usize, usize),
    /// The file of each example's row when files are pooled (`None` for one file read
    /// alone); [`HeadData::weigh_files`] turns it into sample weights.
    pub files: Vec<Option<Arc<str>>>,
    /// Sample weight of each example (see [`TrainConfig::file_weights`]); `None`: all 1.
    pub weights: Option<Vec<f64>>,
}

impl HeadData {
    /// Set each example's sample weight to its file's weight in `file_weights` (files not
    /// named there weigh 1), scaled so that the weights' mean is 1: the weights then
    /// shift rows' influence between files without changing how strongly `C`
    /// regularizes. No weights when `file_weights` is empty.
    pub fn weigh_files(&mut self, file_weights: &BTreeMap<String, f64>) {
        if file_weights.is_empty() || self.files.is_empty() {
            self.weights = None;
            return;
        }
        let w: Vec<f64> = self
            .files
            .iter()
            .map(|f| {
                f.as_deref()
                    .and_then(|f| file_weights.get(f))
                    .copied()
                    .unwrap_or(1.0)
            })
            .collect();
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        self.weights = Some(w.into_iter().map(|v| v / mean).collect());
    }

    /// The sample weights of the examples `rows`, or `None` when all weigh 1.
    pub fn weights_of(&self, rows: &[usize]) -> Option<Vec<f64>> {
        self.weights
            .as_ref()
            .map(|w| rows.iter().map(|&i| w[i]).collect())
    }
}

/// Split rows into stance and bias data. `labels` fixes the label sets (as in a model
/// being evaluated); otherwise they are built from the rows.
pub fn head_data(
    rows: &[Row],
    matcher: &Matcher,
    lexicon: &Lexicon,
    stance_scores: &BTreeMap<String, f32>,
    bias_scores: &BTreeMap<String, f32>,
    fixed: (Option<&LabelSet>, Option<&LabelSet>),
) -> Result<(Option<HeadData>, Option<HeadData>)> {
    let stance_rows: Vec<&Row> = rows.iter().filter(|r| r.stance.is_some()).collect();
    let stance = if stance_rows.is_empty() {
        None
    } else {
        let (labels, y) = labeled(
            &stance_rows,
            |r| r.stance.as_deref(),
            fixed.0,
            stance_scores,
            default_stance_polarity,
        )?;
        let groups = fold_groups(&stance_rows);
        let index = lexicon.index();
        let examples = stance_rows
            .par_iter()
            .map(|r| {
                let discovered = match r.span {
                    Some(_) => Vec::new(),
                    None => {
                        let actor = canonical_actor(r, &index);
                        discovered_target_spans(&r.text, &r.target, actor.as_deref(), matcher)?
                    }
                };
                Ok(stance_example(r, matcher, &index, &discovered))
            })
            .collect::<Result<Vec<Example>>>()?;
        let unlocated_rows = stance_rows.iter().filter(|r| r.span.is_none()).count();
        let discovered_rows = stance_rows
            .iter()
            .zip(&examples)
            .filter(|(r, e)| r.span.is_none() && !e.target_spans.is_empty())
            .count();
        Some(HeadData {
            labels,
            examples,
            y,
            groups,
            marks: Vec::new(),
            targets_without_offsets: (discovered_rows, unlocated_rows),
            files: stance_rows.iter().map(|r| r.file.clone()).collect(),
            weights: None,
        })
    };
    // One bias example per distinct (sentence, label); the marked words of duplicates
    // are pooled.
    let mut first: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut bias_rows: Vec<&Row> = Vec::new();
    let mut marks: Vec<Option<(RowPlace, Vec<String>)>> = Vec::new();
    for r in rows {
        let Some(b) = r.bias.as_deref() else { continue };
        let i = *first.entry((r.text.as_str(), b)).or_insert_with(|| {
            bias_rows.push(r);
            marks.push(None);
            bias_rows.len() - 1
        });
        if let Some(words) = &r.loaded_words {
            let (_, pooled) = marks[i].get_or_insert_with(|| (r.place(), Vec::new()));
            for w in words {
                if !pooled.contains(w) {
                    pooled.push(w.clone());
                }
            }
        }
    }
    let bias = if bias_rows.is_empty() {
        None
    } else {
        let (labels, y) = labeled(
            &bias_rows,
            |r| r.bias.as_deref(),
            fixed.1,
            bias_scores,
            default_bias_polarity,
        )?;
        Some(HeadData {
            labels,
            examples: bias_rows.iter().map(|r| bias_example(&r.text)).collect(),
            y,
            groups: fold_groups(&bias_rows),
            marks,
            targets_without_offsets: (0, 0),
            files: bias_rows.iter().map(|r| r.file.clone()).collect(),
            weights: None,
        })
    };
    Ok((stance, bias))
}

/// The cross-validation group of each row, numbered in order of first appearance: rows
/// of the same sentence share one, and so do rows of the same `group` value (the
/// `--cv-group` column), transitively (a sentence in two groups joins them).
pub fn fold_groups(rows: &[&Row]) -> Vec<usize> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    fn node<'a>(
        nodes: &mut BTreeMap<(bool, &'a str), usize>,
        parent: &mut Vec<usize>,
        key: (bool, &'a str),
    ) -> usize {
        let n = parent.len();
        let i = *nodes.entry(key).or_insert(n);
        if i == n {
            parent.push(n);
        }
        i
    }
    // Nodes: one per distinct text, one per distinct group value.
    let mut nodes: BTreeMap<(bool, &str), usize> = BTreeMap::new();
    let mut parent: Vec<usize> = Vec::new();
    let texts: Vec<usize> = rows
        .iter()
        .map(|r| {
            let t = node(&mut nodes, &mut parent, (false, r.text.as_str()));
            if let Some(g) = &r.group {
                let g = node(&mut nodes, &mut parent, (true, g.as_str()));
                let (a, b) = (root(&mut parent, t), root(&mut parent, g));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
            t
        })
        .collect();
    let mut number: BTreeMap<usize, usize> = BTreeMap::new();
    texts
        .into_iter()
        .map(|t| {
            let r = root(&mut parent, t);
            let n = number.len();
            *number.entry(r).or_insert(n)
        })
        .collect()
}

/// The label set (fixed, or built from the rows' labels) and each row's class index.
fn labeled(
    rows: &[&Row],
    label: impl Fn(&Row) -> Option<&str>,
    fixed: Option<&LabelSet>,
    scores: &BTreeMap<String, f32>,
    default: fn(&str) -> Option<f32>,
) -> Result<(LabelSet, Vec<usize>)> {
    let labels = match fixed {
        Some(l) => l.clone(),
        None => LabelSet::new(rows.iter().filter_map(|r| label(r)), scores, default)?,
    };
    let y = rows
        .iter()
        .map(|r| {
            let l = label(r).unwrap_or_default();
            labels.index(l).ok_or_else(|| {
                Error::Training(format!(
                    "{}: label {l:?} is not one of the classes {:?}",
                    r.place(),
                    labels.names
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((labels, y))
}

/// The lexicon a training run uses (the configured one plus frequent located targets)
/// and the examples of both heads, with label sets built from the rows.
pub fn prepare(
    cfg: &TrainConfig,
    rows: &[Row],
) -> Result<(Lexicon, Option<HeadData>, Option<HeadData>)> {
    let lexicon = lexicon_with_targets(&cfg.lexicon, rows, cfg.min_target_count);
    let matcher = Matcher::new(&lexicon)?;
    let (mut s, mut b) = head_data(
        rows,
        &matcher,
        &lexicon,
        &cfg.stance_scores,
        &cfg.bias_scores,
        (None, None),
    )?;
    for d in [&mut s, &mut b].into_iter().flatten() {
        d.weigh_files(&cfg.file_weights);
    }
    Ok((lexicon, s, b))
}

/// Raw feature rows of examples, in parallel, in order. `tick` is called per example.
pub fn raw_rows(
    ex: &Extractor,
    examples: &[Example],
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<RawRow>> {
    examples
        .par_iter()
        .map(|e| {
            let r = ex.raw(&e.input());
            tick();
            r
        })
        .collect()
}

/// Weighted CSR matrix of raw rows.
pub fn matrix(ex: &Extractor, raw: &[RawRow]) -> CsrMatrix {
    let rows: Vec<_> = raw.par_iter().map(|r| ex.weigh(r)).collect();
    CsrMatrix::from_row_vec(&rows, ex.config.buckets())
}

/// Fit one classifier head on a matrix.
pub fn fit_head(
    params: &LogisticRegressionParams,
    labels: &LabelSet,
    x: CsrMatrix,
    y: &[usize],
    weights: Option<Vec<f64>>,
) -> Result<LogisticRegression> {
    let mut ds = DatasetBase::new(x, Array1::from(y.to_vec()));
    if let Some(w) = weights {
        ds = ds.with_weights(Array1::from(w.into_iter().map(|v| v as f32).collect::<Vec<_>>()));
    }
    params.clone().n_classes(labels.len()).check()?.fit(&ds)
}

/// Predicted classes of a matrix.
pub fn predict(model: &LogisticRegression, x: &CsrMatrix) -> Vec<usize> {
    model.predict_proba(x).iter().map(|p| argmax(p)).collect()
}

/// Stratified, grouped K-fold assignment: groups (sentences) are shuffled with `seed`,
/// ordered by the label of their first row, and dealt round-robin into folds.
pub fn fold_assignment(y: &[usize], groups: &[usize], k: usize, seed: u64) -> Vec<usize> {
    let mut first_label: BTreeMap<usize, usize> = BTreeMap::new();
    for (&g, &l) in groups.iter().zip(y) {
        first_label.entry(g).or_insert(l);
    }
    let mut gs: Vec<(usize, usize)> = first_label.into_iter().collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    gs.shuffle(&mut rng);
    gs.sort_by_key(|&(_, l)| l);
    let fold_of: BTreeMap<usize, usize> = gs
        .iter()
        .enumerate()
        .map(|(i, &(g, _))| (g, i % k))
        .collect();
    groups.iter().map(|g| fold_of[g]).collect()
}

/// Loaded-word features of examples by index: `(bucket, value)` entries.
pub type DenseRows = BTreeMap<usize, Vec<(u32, f32)>>;

/// Folds of the detectors whose loaded-word features the bias head trains on.
const DETECTOR_FOLDS: usize = 5;

/// The bias examples tokenized for the loaded-word detector, with their marks.
pub struct Marked {
    /// Every example's tokens; `marked` is all false for those not annotated.
    pub sentences: Vec<MarkedSentence>,
    /// Which examples are annotated (the detector trains on these only).
    pub annotated: Vec<bool>,
    /// Marks none of whose words occur in their sentence: (where the row starts, mark).
    pub missing: Vec<(RowPlace, String)>,
}

impl Marked {
    /// `None` when no example is annotated.
    pub fn new(ex: &Extractor, data: &HeadData) -> Result<Option<Marked>> {
        if data.marks.iter().all(Option::is_none) {
            return Ok(None);
        }
        let words = |text: &str| -> Result<Vec<String>> {
            Ok(ex.tokens(text)?.into_iter().map(|t| t.text).collect())
        };
        let mut out = Marked {
            sentences: Vec::with_capacity(data.examples.len()),
            annotated: Vec::with_capacity(data.examples.len()),
            missing: Vec::new(),
        };
        for (e, m) in data.examples.iter().zip(&data.marks) {
            let tokens = words(&e.text)?;
            let marks = match m {
                Some((_, ws)) => ws
                    .iter()
                    .map(|w| Ok((w.clone(), words(w)?)))
                    .collect::<Result<Vec<_>>>()?,
                None => Vec::new(),
            };
            let (s, missing) = MarkedSentence::new(tokens, &marks);
            if let Some((place, _)) = m {
                out.missing
                    .extend(missing.into_iter().map(|w| (place.clone(), w)));
            }
            out.sentences.push(s);
            out.annotated.push(m.is_some());
        }
        Ok(Some(out))
    }

    /// A detector fit on the annotated examples among `rows`.
    fn fit(&self, rows: &[usize], params: &LogisticRegressionParams) -> Result<LoadedWords> {
        let train: Vec<&MarkedSentence> = rows
            .iter()
            .filter(|&&i| self.annotated[i])
            .map(|&i| &self.sentences[i])
            .collect();
        LoadedWords::fit(&train, params)
    }

    /// The loaded-word features of example `i` under detector `d`.
    pub fn features(&self, d: &LoadedWords, i: usize, hash_bits: u8) -> Vec<(u32, f32)> {
        d.row_features(&self.sentences[i].tokens, hash_bits)
    }

    /// A detector fit on the annotated examples among `rows`, and the features of each of
    /// `rows` from a detector fit without the rows of its fold (of `DETECTOR_FOLDS`
    /// over `rows`, stratified by the labels `y` and seeded), so that the head sees the
    /// detector as it will be on new sentences.
    pub fn out_of_fold(
        &self,
        rows: &[usize],
        y: &[usize],
        params: &LogisticRegressionParams,
        hash_bits: u8,
    ) -> Result<(LoadedWords, DenseRows)> {
        let full = self.fit(rows, params)?;
        let ys: Vec<usize> = rows.iter().map(|&i| y[i]).collect();
        let groups: Vec<usize> = (0..rows.len()).collect();
        let folds = fold_assignment(&ys, &groups, DETECTOR_FOLDS, params.seed);
        let parts: Vec<DenseRows> = (0..DETECTOR_FOLDS)
            .into_par_iter()
            .map(|g| -> Result<_> {
                let outside: Vec<usize> = (0..rows.len())
                    .filter(|&r| folds[r] != g)
                    .map(|r| rows[r])
                    .collect();
                let d = self.fit(&outside, params)?;
                Ok((0..rows.len())
                    .filter(|&r| folds[r] == g)
                    .map(|r| (rows[r], self.features(&d, rows[r], hash_bits)))
                    .collect())
            })
            .collect::<Result<_>>()?;
        Ok((full, parts.into_iter().flatten().collect()))
    }
}

/// Weigh raw rows, adding each one's loaded-word features when given.
fn weighed(ex: &Extractor, raw: &[RawRow], rows: &[usize], dense: Option<&DenseRows>) -> CsrMatrix {
    let out: Vec<SparseRow> = rows
        .par_iter()
        .map(|&i| {
            let mut r = ex.weigh(&raw[i]);
            if let Some(extra) = dense.and_then(|d| d.get(&i)) {
                add_to_row(&mut r, extra);
            }
            r
        })
        .collect();
    CsrMatrix::from_row_vec(&out, ex.config.buckets())
}

/// K-fold cross-validation of one head: IDF and classifier are fit on each training
/// part only. Returns the metrics of every fold.
pub fn cross_validate(
    base: &Extractor,
    params: &LogisticRegressionParams,
    data: &HeadData,
    raw: &[RawRow],
    k: usize,
    seed: u64,
) -> Result<Vec<Metrics>> {
    if k < 2 {
        return Err(Error::TooFewFolds { folds: k });
    }
    let folds = fold_assignment(&data.y, &data.groups, k, seed);
    let marked = Marked::new(base, data)?;
    let mut out = Vec::with_capacity(k);
    for f in 0..k {
        let train: Vec<usize> = (0..folds.len()).filter(|&i| folds[i] != f).collect();
        let test: Vec<usize> = (0..folds.len()).filter(|&i| folds[i] == f).collect();
        if test.is_empty() || train.is_empty() {
            return Err(Error::TooFewSentencesForFolds { folds: k });
        }
        let mut ex = base.clone();
        ex.fit_idf(train.iter().map(|&i| &raw[i]));
        // Loaded-word features: the training rows' from detectors fit on the training
        // part without their inner fold, the test rows' from the detector of the whole
        // training part.
        let dense = match &marked {
            Some(m) => {
                let bits = ex.config.hash_bits;
                let (d, mut dense) = m.out_of_fold(&train, &data.y, params, bits)?;
                for &i in &test {
                    dense.insert(i, m.features(&d, i, bits));
                }
                Some(dense)
            }
            None => None,
        };
        let xtr = weighed(&ex, raw, &train, dense.as_ref());
        let ytr: Vec<usize> = train.iter().map(|&i| data.y[i]).collect();
        let m = fit_head(params, &data.labels, xtr, &ytr, data.weights_of(&train))?;
        let xte = weighed(&ex, raw, &test, dense.as_ref());
        let yte: Vec<usize> = test.iter().map(|&i| data.y[i]).collect();
        out.push(Metrics::compute(&data.labels, &yte, &predict(&m, &xte)));
    }
    Ok(out)
}

/// A fresh extractor for a configuration.
pub fn extractor(config: &FeatureConfig) -> Result<Extractor> {
    config.check()?;
    Ok(Extractor::new(config.clone(), TokenPipeline::default()))
}

/// Train both heads (whichever the data has) and assemble the model. IDF is fit on
/// the union of both heads' rows.
pub fn train_model(
    cfg: &TrainConfig,
    stance: Option<(&HeadData, &[RawRow])>,
    bias: Option<(&HeadData, &[RawRow])>,
    lexicon: Lexicon,
    info: TrainingInfo,
) -> Result<Model> {
    let mut ex = extractor(&cfg.features)?;
    let all = stance
        .iter()
        .flat_map(|(_, r)| r.iter())
        .chain(bias.iter().flat_map(|(_, r)| r.iter()));
    let t0 = std::time::Instant::now();
    ex.fit_idf(all);
    if std::env::var_os("STANCE_DEBUG").is_some() {
        eprintln!("train: IDF in {:.2}s", t0.elapsed().as_secs_f64());
    }
    let fit = |d: Option<(&HeadData, &[RawRow])>,
               params: &LogisticRegressionParams|
     -> Result<Option<(FittedHead, Option<LoadedWords>)>> {
        let Some((data, raw)) = d else {
            return Ok(None);
        };
        let t0 = std::time::Instant::now();
        let all: Vec<usize> = (0..raw.len()).collect();
        let (detector, x) = match Marked::new(&ex, data)? {
            Some(m) => {
                let (d, dense) = m.out_of_fold(&all, &data.y, params, ex.config.hash_bits)?;
                (Some(d), weighed(&ex, raw, &all, Some(&dense)))
            }
            None => (None, matrix(&ex, raw)),
        };
        if std::env::var_os("STANCE_DEBUG").is_some() {
            eprintln!("train: matrix in {:.2}s", t0.elapsed().as_secs_f64());
        }
        let classifier = fit_head(params, &data.labels, x, &data.y, data.weights.clone())?;
        Ok(Some((
            FittedHead {
                labels: data.labels.clone(),
                classifier,
                train_rows: data.y.len(),
                eval: None,
                cv: None,
            },
            detector,
        )))
    };
    let stance_head = fit(stance, &cfg.params)?.map(|(h, _)| h);
    let (bias_head, loaded) = match fit(bias, &cfg.bias_params)? {
        Some((h, d)) => (Some(h), d),
        None => (None, None),
    };
    Ok(Model {
        pipeline: ex.pipeline.clone(),
        features: ex.config.clone(),
        idf: ex.idf.clone(),
        lexicon,
        stance: stance_head,
        bias: bias_head,
        loaded,
        info,
    })
}

/// What [`evaluate`] measured.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The stance head's metrics, when the rows have stance labels.
    pub stance: Option<Metrics>,
    /// The bias head's metrics, when the rows have bias labels.
    pub bias: Option<Metrics>,
    /// Stance rows without offsets: (how many discovery located, how many there are).
    pub targets_without_offsets: (usize, usize),
}

/// Evaluate a model's heads on labeled rows. Each row is scored through the same
/// sentence scorer as articles are: the stance rows with their target spans (and the
/// lexicon's other actors), the bias rows as sentences.
pub fn evaluate(model: &Model, rows: &[Row]) -> Result<Evaluation> {
    let matcher = Matcher::new(&model.lexicon)?;
    let (s, b) = head_data(
        rows,
        &matcher,
        &model.lexicon,
        &BTreeMap::new(),
        &BTreeMap::new(),
        (
            model.stance.as_ref().map(|h| &h.labels),
            model.bias.as_ref().map(|h| &h.labels),
        ),
    )?;
    let scorer = SentenceScorer::new(model);
    let score = |head: Option<&FittedHead>, data: Option<HeadData>, which: Head| match (head, data)
    {
        (Some(h), Some(d)) => {
            let pred = d
                .examples
                .par_iter()
                .map(|e| Ok(argmax(&predict_example(&scorer, e, which)?)))
                .collect::<Result<Vec<usize>>>()?;
            Ok(Some(Metrics::compute(&h.labels, &d.y, &pred)))
        }
        (None, Some(_)) => Err(Error::Training(format!(
            "the data has {which} labels but the model has no {which} head"
        ))),
        _ => Ok(None),
    };
    let targets_without_offsets = s.as_ref().map_or((0, 0), |d| d.targets_without_offsets);
    Ok(Evaluation {
        stance: score(model.stance.as_ref(), s, Head::Stance)?,
        bias: score(model.bias.as_ref(), b, Head::Bias)?,
        targets_without_offsets,
    })
}

/// A line on the stance rows of `file` without offsets, when there are any: how many had
/// their target found in the text by discovery.
pub fn targets_found_note(file: &str, (found, rows): (usize, usize)) -> Option<String> {
    (rows > 0).then(|| {
        format!(
            "{file}: {found} of {rows} stance rows without offsets had their target found in \
             the text by discovery ({:.1}%); the others are topic stances",
            100.0 * found as f64 / rows as f64
        )
    })
}

/// The class probabilities of one head for one example, through the sentence scorer.
pub fn predict_example<M: std::borrow::Borrow<Model>>(
    scorer: &SentenceScorer<M>,
    e: &Example,
    which: Head,
) -> Result<Vec<f32>> {
    let missing = || Error::Training(format!("the model has no {which} head"));
    match which {
        Head::Stance => {
            let mut mentions = e.target_spans.clone();
            mentions.extend_from_slice(&e.other_spans);
            let target = Target {
                spans: &e.target_spans,
                others: &e.other_spans,
                key: e.target_key.as_deref(),
            };
            let s = scorer.score(&e.text, &mentions, &[target], false, 0)?;
            s.stance
                .into_iter()
                .next()
                .map(|h| h.probabilities)
                .ok_or_else(missing)
        }
        Head::Bias => {
            let s = scorer.score(&e.text, &[], &[], true, 0)?;
            s.bias.map(|h| h.probabilities).ok_or_else(missing)
        }
    }
}

/// The loaded-word detector of `model` against the words marked in `rows` (their
/// `loaded_words`), when the model has a detector and some row is annotated.
pub fn evaluate_loaded_words(model: &Model, rows: &[Row]) -> Result<Option<WordMetrics>> {
    let Some(d) = &model.loaded else {
        return Ok(None);
    };
    let ex = model.extractor();
    let matcher = Matcher::new(&model.lexicon)?;
    // Only the annotated bias rows: their stance examples (actor matching) are not needed.
    let marked: Vec<Row> = rows
        .iter()
        .filter(|r| r.loaded_words.is_some())
        .map(|r| Row {
            stance: None,
            ..r.clone()
        })
        .collect();
    let (_, b) = head_data(
        &marked,
        &matcher,
        &model.lexicon,
        &BTreeMap::new(),
        &BTreeMap::new(),
        (None, model.bias.as_ref().map(|h| &h.labels)),
    )?;
    let Some(m) = b
        .as_ref()
        .map(|b| Marked::new(&ex, b))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    let (mut sentences, mut marked, mut listed, mut both) = (0, 0, 0, 0);
    for (s, _) in m.sentences.iter().zip(&m.annotated).filter(|(_, &a)| a) {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let probs = d.probabilities(&toks);
        let mut gold: Vec<&str> = Vec::new();
        let mut found: Vec<&str> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if s.marked[i] && !gold.contains(t) {
                gold.push(t);
            }
            if probs[i].is_some_and(|p| p >= LOADED_WORD_THRESHOLD) && !found.contains(t) {
                found.push(t);
            }
        }
        sentences += 1;
        marked += gold.len();
        listed += found.len();
        both += found.iter().filter(|t| gold.contains(t)).count();
    }
    Ok(Some(WordMetrics::new(
        sentences,
        marked,
        listed,
        both,
        LOADED_WORD_THRESHOLD,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_of_topic_targets_equals_the_full_rows() {
        // Topic targets (no mention span) get conjoined copies of every feature group,
        // character n-grams included: the scorer must not share those across targets.
        let csv = "text,target,stance\n\
                   We must act on climate change now,climate change,favor\n\
                   Climate change is a hoax pushed by elites,climate change,against\n\
                   Renewables deserve every subsidy we can give,climate change,favor\n\
                   Carbon taxes wreck jobs and families,climate change,against\n\
                   Abortion is a right worth defending,abortion,favor\n\
                   Every life deserves protection from abortion,abortion,against\n\
                   Women must decide for themselves,abortion,favor\n\
                   The unborn have no voice but ours,abortion,against\n";
        let data = Dataset::from_csv(csv.as_bytes(), "topics.csv").unwrap();
        let model = TrainConfig::default().fit(&data).unwrap();
        let scorer = SentenceScorer::new(model.clone());
        let ex = model.extractor();
        let head = model.stance.as_ref().unwrap();
        let (_, s, _) = prepare(&TrainConfig::default(), &data.rows).unwrap();
        let s = s.unwrap();
        for e in &s.examples {
            assert!(e.target_spans.is_empty() && e.target_key.is_some());
            let p = predict_example(&scorer, e, Head::Stance).unwrap();
            let row = ex.row(&e.input()).unwrap();
            let q = head.classifier.proba_row(&row.indices, &row.values);
            for (a, b) in p.iter().zip(&q) {
                assert!((a - b).abs() < 1e-5, "{}: {p:?} vs {q:?}", e.text);
            }
        }
    }

    #[test]
    fn targets_without_offsets_are_located_by_discovery() {
        let matcher = Matcher::new(&Lexicon::builtin()).unwrap();
        let text = "Senator Mitch McConnell blocked the bill. McConnell said he would not \
                    yield, and Schumer called him reckless.";
        let spans = discovered_target_spans(text, "Mitch McConnell", None, &matcher).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<String> = spans
            .iter()
            .map(|&(s, e)| chars[s..e].iter().collect())
            .collect();
        // The name (with its title), the surname alone, and pronouns: not Schumer.
        assert_eq!(
            words,
            ["Senator Mitch McConnell", "McConnell", "he", "him"],
            "{words:?}"
        );
        // A surname target finds the full name; a topic finds nothing.
        let by_surname = discovered_target_spans(text, "McConnell", None, &matcher).unwrap();
        assert_eq!(by_surname, spans);
        assert!(
            discovered_target_spans(text, "climate change", None, &matcher)
                .unwrap()
                .is_empty()
        );
        // Short words do not match ("of" in a long name).
        assert!(!is_word_run(
            &name_words("of"),
            &name_words("Bank of England")
        ));

        // Rows without offsets are located (and counted) in the head data.
        let csv = format!(
            "text,target,stance\n\"{text}\",Mitch McConnell,against\n\
             We must act on climate change now,climate change,favor\n"
        );
        let data = Dataset::from_csv(csv.as_bytes(), "t.csv").unwrap();
        let (_, s, _) = prepare(&TrainConfig::default(), &data.rows).unwrap();
        let s = s.unwrap();
        assert_eq!(s.targets_without_offsets, (1, 2));
        assert_eq!(s.examples[0].target_spans, spans);
        assert!(s.examples[1].target_spans.is_empty());
    }

    #[test]
    fn evaluation_scores_rows_as_articles_are_scored() {
        // One scoring path: the probabilities `evaluate` counts for a labeled row equal
        // those the analyzer reports for the same sentence and actor.
        let train = include_str!("../../tests/fixtures/train.csv");
        let data = Dataset::from_csv(train.as_bytes(), "train.csv").unwrap();
        let model = TrainConfig::default().fit(&data).unwrap();
        let scorer = SentenceScorer::new(model.clone());
        let analyzer = crate::analyze::Analyzer::new(model.clone()).unwrap();
        let matcher = Matcher::new(&model.lexicon).unwrap();
        let labels = (
            model.stance.as_ref().map(|h| &h.labels),
            model.bias.as_ref().map(|h| &h.labels),
        );
        let none = BTreeMap::new();
        let (s, b) = head_data(&data.rows, &matcher, &model.lexicon, &none, &none, labels).unwrap();
        let (s, b) = (s.unwrap(), b.unwrap());
        let mut compared = 0;
        for e in &s.examples {
            let p = predict_example(&scorer, e, Head::Stance).unwrap();
            let sentence = crate::text::segment::Sentence {
                start: 0,
                end: e.text.chars().count(),
                start_byte: 0,
                end_byte: e.text.len(),
            };
            let report = analyzer.sentence(&e.text, 0, &sentence).unwrap();
            // The analyzer's actor whose mentions are the row's target spans.
            let Some(a) = report.actors.iter().find(|a| {
                let spans: Vec<(usize, usize)> =
                    a.mentions.iter().map(|m| (m.start, m.end)).collect();
                spans == e.target_spans
            }) else {
                continue;
            };
            let q: Vec<f32> = model
                .stance
                .as_ref()
                .unwrap()
                .labels
                .names
                .iter()
                .map(|n| a.probabilities[n])
                .collect();
            assert_eq!(p, q, "{}", e.text);
            compared += 1;
        }
        assert!(
            compared >= 20,
            "only {compared} of {} rows compared",
            s.examples.len()
        );
        for e in &b.examples {
            let p = predict_example(&scorer, e, Head::Bias).unwrap();
            let sentence = crate::text::segment::Sentence {
                start: 0,
                end: e.text.chars().count(),
                start_byte: 0,
                end_byte: e.text.len(),
            };
            let report = analyzer.sentence(&e.text, 0, &sentence).unwrap();
            assert_eq!(
                Some(model.bias.as_ref().unwrap().labels.score(&p)),
                report.bias
            );
        }
    }

    #[test]
    fn fold_groups_join_sentences_and_group_values() {
        let row = |text: &str, group: Option<&str>| Row {
            line: 2,
            file: None,
            id: None,
            text: text.into(),
            target: String::new(),
            span: None,
            stance: None,
            bias: Some("biased".into()),
            actor: None,
            loaded_words: None,
            group: group.map(str::to_string),
        };
        // Without groups: one per distinct sentence, in order of first appearance.
        let rows = [
            row("a", None),
            row("b", None),
            row("a", None),
            row("c", None),
        ];
        assert_eq!(fold_groups(&rows.iter().collect::<Vec<_>>()), [0, 1, 0, 2]);
        // With groups: sentences of one article share a group, and a sentence found in
        // two articles joins them.
        let rows = [
            row("a", Some("x")),
            row("b", Some("y")),
            row("c", Some("x")),
            row("d", Some("z")),
            row("b", Some("w")),
            row("e", Some("w")),
        ];
        assert_eq!(
            fold_groups(&rows.iter().collect::<Vec<_>>()),
            [0, 1, 0, 2, 1, 1]
        );
    }

    #[test]
    fn folds_keep_sentences_together_and_stratify() {
        let y = [0, 0, 1, 1, 2, 2, 0, 1, 2, 0];
        let groups = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        let f = fold_assignment(&y, &groups, 3, 7);
        assert_eq!(f[0], f[1]);
        let mut per_fold = [0; 3];
        for &x in &f {
            per_fold[x] += 1;
        }
        assert!(per_fold.iter().all(|&c| c >= 2), "{per_fold:?}");
        assert_eq!(f, fold_assignment(&y, &groups, 3, 7));
    }
}

#[cfg(test)]
mod target_tests {
    use super::{names_an_actor, without_title};

    #[test]
    fn titles_are_dropped_from_actor_names() {
        assert_eq!(without_title("President Trump"), "Trump");
        assert_eq!(
            without_title("Former President Barack Obama"),
            "Barack Obama"
        );
        assert_eq!(without_title("Sen. Ted Cruz"), "Ted Cruz");
        assert_eq!(without_title("Mr. Sessions"), "Sessions");
        assert_eq!(without_title("Judge Gorsuch"), "Gorsuch");
        // Not a title + name.
        assert_eq!(without_title("President"), "President");
        assert_eq!(without_title("Presidential Guard"), "Presidential Guard");
        assert_eq!(without_title("Kingston"), "Kingston");
        assert_eq!(without_title("Judge rules"), "Judge rules");
    }

    #[test]
    fn pronouns_and_common_noun_phrases_do_not_become_actors() {
        for t in [
            "He",
            "She",
            "They",
            "His",
            "It",
            "We",
            "The president",
            "His administration",
            "The company",
            "Those",
            "he",
            "the FBI",
            "X",
            "Tuesday",
        ] {
            assert!(!names_an_actor(t), "{t}");
        }
        for t in [
            "Trump",
            "The White House",
            "Her Majesty's Government",
            "Kremlin",
            "U.S.",
            "The Hague",
            "Oman's",
            "Hillary Clinton",
        ] {
            assert!(names_an_actor(t), "{t}");
        }
    }
}
