//! Loaded-word detector: a word-level linear classifier learned from the words
//! annotators marked as loaded (the `loaded_words` column of a training CSV), whose
//! per-word probabilities feed the sentence bias head and point at the words that make a
//! sentence loaded.
//!
//! A word (a token with a letter or digit) is described by its text, its character
//! 3-5-grams inside word boundaries, the two tokens on each side, the bigram it ends,
//! and its class in the VADER lexicon (polarity, strength) and in the cue-word lists of
//! `features` (hedge, booster, loaded, ...), hashed into `2^bits` buckets; each row is
//! L2-normalized. A binary logistic regression (the
//! project's sparse solver, uniform class weights) gives P(marked | word in context), so
//! a word never marked in training can still score high through its character n-grams
//! ("vilifying" after "vilified") or its neighbours.
//!
//! The bias head sees five sentence features of those probabilities ([`SENTENCE_FEATURES`]):
//! the highest, the second highest, their sum, and how many words pass 0.2 and 0.5.
//! They are added to the bias row unweighted, in buckets of the model's hash space. For
//! training rows they come from detectors fit without the row's fold, so the head learns
//! how far to trust the detector on sentences it has not seen.

use crate::error::Result;
use crate::features::{name_hash, Group, SparseRow};
use crate::linear::classifier::{ClassWeight, LogisticRegressionParams};
use crate::linear::sparse::CsrMatrix;
use crate::text::strtable::StrTable;
use linfa::prelude::Fit;
use linfa::DatasetBase;
use ndarray::Array1;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// log2 of the detector's hash buckets.
pub const DETECTOR_BITS: u8 = 18;
/// Hash seed of the detector's features (distinct from every feature group's).
const SEED: u64 = 0x6c6f_6164_6564;
/// Names of the sentence features, in the order of [`LoadedWords::sentence_features`].
pub const SENTENCE_FEATURES: [&str; 5] = [
    "loaded words: highest probability",
    "loaded words: second highest probability",
    "loaded words: sum of probabilities",
    "loaded words: words above 0.2",
    "loaded words: words above 0.5",
];
/// A word with a probability at or above this is listed as loaded (the lower of the two
/// cuts the sentence features count).
pub const LOADED_WORD_THRESHOLD: f32 = 0.2;

/// The trained detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadedWords {
    pub bits: u8,
    /// Log-odds weight of each bucket (marked against not marked).
    pub weights: Vec<f32>,
    pub intercept: f32,
    /// Words it was trained on, and how many of them were marked.
    pub train_words: u64,
    pub train_marked: u64,
}

/// Whether a token is a word the detector scores.
pub fn is_word(t: &str) -> bool {
    t.chars().any(char::is_alphanumeric)
}

/// The hashed features of a word itself (its text, character n-grams, lexicon and cue
/// classes) as sorted `(bucket, count)`: the same wherever the word occurs.
fn word_part(t: &str, bits: u8) -> Vec<(u32, f32)> {
    let mask = (1u64 << bits) - 1;
    let mut idx: Vec<u32> = Vec::with_capacity(24);
    let mut add = |name: &str| idx.push((xxh3_64_with_seed(name.as_bytes(), SEED) & mask) as u32);
    add(&format!("w|{t}"));
    let padded: Vec<char> = format!("<{t}>").chars().collect();
    let mut gram = String::new();
    for n in 3..=5 {
        for w in padded.windows(n) {
            gram.clear();
            gram.push_str("c|");
            gram.extend(w.iter());
            add(&gram);
        }
    }
    if let Some(v) = crate::features::valence(t) {
        add(if v > 0.0 { "x|pos" } else { "x|neg" });
        add(if v.abs() >= 2.0 { "x|strong" } else { "x|weak" });
    }
    if let Some(c) = crate::features::cue_class(t) {
        add(&format!("b|{c}"));
    }
    counted(idx)
}

/// The hashed features of word `i`'s neighbours (two tokens on each side, the bigram it
/// ends) as sorted `(bucket, count)`.
fn context_part(
    tokens: &[&str],
    i: usize,
    bits: u8,
    name: &mut String,
) -> ([(u32, f32); 5], usize) {
    let at = |k: Option<usize>, edge: &'static str| {
        k.and_then(|k| tokens.get(k)).copied().unwrap_or(edge)
    };
    let side = |k: Option<usize>, edge: &'static str, which: usize, name: &mut String| {
        bucket(&[SIDE_PREFIXES[which], at(k, edge)], bits, name)
    };
    let ll = side(i.checked_sub(2), "<s>", 0, name);
    let rr = side(Some(i + 2), "</s>", 1, name);
    let l = side(i.checked_sub(1), "<s>", 2, name);
    let r = side(Some(i + 1), "</s>", 3, name);
    let lw = (i > 0).then(|| bucket(&["lw|", tokens[i - 1], " ", tokens[i]], bits, name));
    counted_context(ll, rr, lw, l, r)
}

/// The prefixes of a neighbour's features: two left, two right, one left, one right (in
/// the order of [`side_buckets`]).
const SIDE_PREFIXES: [&str; 4] = ["ll|", "rr|", "l|", "r|"];

/// The bucket of the feature named by `parts` joined (`name`: scratch).
#[inline]
fn bucket(parts: &[&str], bits: u8, name: &mut String) -> u32 {
    let mask = (1u64 << bits) - 1;
    name.clear();
    parts.iter().for_each(|p| name.push_str(p));
    (xxh3_64_with_seed(name.as_bytes(), SEED) & mask) as u32
}

/// The buckets of token `t` as each kind of neighbour ([`SIDE_PREFIXES`]): the same
/// wherever it occurs, so kept per word.
fn side_buckets(t: &str, bits: u8, name: &mut String) -> [u32; 4] {
    SIDE_PREFIXES.map(|p| bucket(&[p, t], bits, name))
}

/// The context part of [`context_part`] from its buckets: sorted `(bucket, count)`.
#[inline]
fn counted_context(ll: u32, rr: u32, lw: Option<u32>, l: u32, r: u32) -> ([(u32, f32); 5], usize) {
    let mut idx = [0u32; 5];
    let mut n = 0;
    for j in [Some(ll), Some(rr), lw, Some(l), Some(r)].into_iter().flatten() {
        idx[n] = j;
        n += 1;
    }
    let idx = &mut idx[..n];
    idx.sort_unstable();
    let mut out = [(0u32, 0f32); 5];
    let mut m = 0;
    for &j in idx.iter() {
        if m > 0 && out[m - 1].0 == j {
            out[m - 1].1 += 1.0;
        } else {
            out[m] = (j, 1.0);
            m += 1;
        }
    }
    (out, m)
}

/// Sorted unique buckets with their multiplicities.
fn counted(mut idx: Vec<u32>) -> Vec<(u32, f32)> {
    idx.sort_unstable();
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(idx.len());
    for j in idx {
        match out.last_mut() {
            Some(last) if last.0 == j => last.1 += 1.0,
            _ => out.push((j, 1.0)),
        }
    }
    out
}

/// The L2-normalized hashed feature row of word `i` of `tokens`: its own features and
/// its neighbours', counts added where they share a bucket.
fn word_row(tokens: &[&str], i: usize, bits: u8) -> SparseRow {
    let mut row = SparseRow::default();
    for (j, c) in word_part(tokens[i], bits) {
        row.indices.push(j);
        row.values.push(c);
    }
    let (context, n) = context_part(tokens, i, bits, &mut String::new());
    add_to_row(&mut row, &context[..n]);
    let norm = row.values.iter().map(|v| v * v).sum::<f32>().sqrt();
    row.values.iter_mut().for_each(|v| *v /= norm);
    row
}

/// A word's own part of the detector's logit, kept per thread (see
/// [`LoadedWords::probabilities_cached`]).
struct WordDot {
    /// Its features (sorted `(bucket, count)`), to merge the neighbours' into.
    part: Vec<(u32, f32)>,
    /// Sum of weight x count, and of count squared, over them.
    dot: f32,
    sq: f32,
}

/// Tokens a thread keeps before it starts over.
const WORD_CACHE_MAX: usize = 1 << 16;

/// What a thread keeps of each token it has seen (see
/// [`LoadedWords::probabilities_cached`]).
struct CachedToken {
    /// Its buckets as a neighbour ([`side_buckets`]).
    sides: [u32; 4],
    /// A word's own part of the logit (`None`: not a word).
    word: Option<WordDot>,
}

/// A thread's tokens: the cache key (see `probabilities_cached`), each token's index in
/// `tokens`, and scratch of the entries of one sentence's tokens.
#[derive(Default)]
struct TokenCache {
    owner: u64,
    index: StrTable<u32>,
    tokens: Vec<CachedToken>,
    at: Vec<u32>,
}

thread_local! {
    static WORD_CACHE: std::cell::RefCell<TokenCache> = std::cell::RefCell::new(TokenCache::default());
}

/// One training sentence: its tokens and, for each, whether it is part of a marked word.
#[derive(Debug, Clone)]
pub struct MarkedSentence {
    pub tokens: Vec<String>,
    pub marked: Vec<bool>,
}

impl MarkedSentence {
    /// Mark the tokens of `tokens` that equal a token of one of `marks` (tokenized by
    /// the same pipeline: `marks_tokens`). Returns the sentence and the marks none of
    /// whose tokens occur in it.
    pub fn new(tokens: Vec<String>, marks_tokens: &[(String, Vec<String>)]) -> (Self, Vec<String>) {
        let mut marked = vec![false; tokens.len()];
        let mut missing = Vec::new();
        for (mark, toks) in marks_tokens {
            let mut found = false;
            for (i, t) in tokens.iter().enumerate() {
                if is_word(t) && toks.iter().any(|m| m == t) {
                    marked[i] = true;
                    found = true;
                }
            }
            if !found {
                missing.push(mark.clone());
            }
        }
        (MarkedSentence { tokens, marked }, missing)
    }
}

impl LoadedWords {
    /// Fit on marked sentences (uniform class weights, the solver settings of `params`).
    pub fn fit(sentences: &[&MarkedSentence], params: &LogisticRegressionParams) -> Result<Self> {
        let bits = DETECTOR_BITS;
        let mut x = CsrMatrix::new(1 << bits);
        let mut y: Vec<usize> = Vec::new();
        for s in sentences {
            let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            for (i, t) in toks.iter().enumerate() {
                if is_word(t) {
                    x.push(&word_row(&toks, i, bits));
                    y.push(usize::from(s.marked[i]));
                }
            }
        }
        let train_words = y.len() as u64;
        let train_marked = y.iter().filter(|&&c| c == 1).count() as u64;
        if train_marked == 0 || train_marked == train_words {
            return Err(crate::Error::InvalidParameter(format!(
                "the loaded-word detector needs marked and unmarked words: {train_marked} of \
                 {train_words} words are marked"
            )));
        }
        let ds = DatasetBase::new(x, Array1::from(y));
        let m = params
            .clone()
            .class_weight(ClassWeight::Uniform)
            .n_classes(2)
            .check()?
            .fit(&ds)?;
        let weights = (0..m.n_features)
            .map(|j| m.weights[j * 2 + 1] - m.weights[j * 2])
            .collect();
        Ok(LoadedWords {
            bits,
            weights,
            intercept: m.intercept[1] - m.intercept[0],
            train_words,
            train_marked,
        })
    }

    /// Check the array sizes.
    pub fn validate(&self) -> std::result::Result<(), super::Invalid> {
        if !(8..=26).contains(&self.bits) || self.weights.len() != 1usize << self.bits {
            return Err(super::Invalid::DetectorSizes);
        }
        if !self.intercept.is_finite() || self.weights.iter().any(|w| !w.is_finite()) {
            return Err(super::Invalid::DetectorNotFinite);
        }
        Ok(())
    }

    /// P(loaded) of each token (`None` for punctuation and other non-words).
    pub fn probabilities(&self, tokens: &[&str]) -> Vec<Option<f32>> {
        (0..tokens.len())
            .map(|i| {
                is_word(tokens[i]).then(|| {
                    let r = word_row(tokens, i, self.bits);
                    let z = self.intercept
                        + r.indices
                            .iter()
                            .zip(&r.values)
                            .map(|(&j, v)| self.weights[j as usize] * v)
                            .sum::<f32>();
                    1.0 / (1.0 + (-z).exp())
                })
            })
            .collect()
    }

    /// [`LoadedWords::probabilities`], with each distinct word's own features hashed and
    /// weighted, and each distinct token's buckets as a neighbour hashed, once per
    /// thread: only the bigram a word ends is hashed per occurrence. `key`
    /// must be unique to this detector (the caller's model), so that a thread never
    /// reads another detector's sums; the logits are the same up to float rounding.
    pub fn probabilities_cached(&self, tokens: &[&str], key: u64) -> Vec<Option<f32>> {
        let mut name = String::with_capacity(64);
        let bits = self.bits;
        WORD_CACHE.with_borrow_mut(|cache| {
            let TokenCache {
                owner,
                index,
                tokens: cached,
                at,
            } = cache;
            if *owner != key || cached.len() >= WORD_CACHE_MAX {
                index.clear();
                cached.clear();
                *owner = key;
            }
            // Each distinct token's buckets as a neighbour, and a word's own features,
            // are hashed once per thread.
            at.clear();
            for &t in tokens {
                let e = *index.get_or_insert_with(t, || {
                    let word = is_word(t).then(|| {
                        let part = word_part(t, bits);
                        let dot = part
                            .iter()
                            .map(|&(j, c)| self.weights[j as usize] * c)
                            .sum();
                        let sq = part.iter().map(|&(_, c)| c * c).sum();
                        WordDot { part, dot, sq }
                    });
                    cached.push(CachedToken {
                        sides: side_buckets(t, bits, &mut name),
                        word,
                    });
                    (cached.len() - 1) as u32
                });
                at.push(e);
            }
            let edges = [
                bucket(&["ll|", "<s>"], bits, &mut name),
                bucket(&["rr|", "</s>"], bits, &mut name),
                bucket(&["l|", "<s>"], bits, &mut name),
                bucket(&["r|", "</s>"], bits, &mut name),
            ];
            let side = |k: Option<usize>, which: usize| {
                k.and_then(|k| at.get(k))
                    .map_or(edges[which], |&e| cached[e as usize].sides[which])
            };
            (0..tokens.len())
                .map(|i| {
                    let w = cached[at[i] as usize].word.as_ref()?;
                    let (mut dot, mut sq) = (w.dot, w.sq);
                    let lw = (i > 0)
                        .then(|| bucket(&["lw|", tokens[i - 1], " ", tokens[i]], bits, &mut name));
                    let (context, n) = counted_context(
                        side(i.checked_sub(2), 0),
                        side(Some(i + 2), 1),
                        lw,
                        side(i.checked_sub(1), 2),
                        side(Some(i + 1), 3),
                    );
                    for &(j, c) in &context[..n] {
                        let own = w
                            .part
                            .binary_search_by_key(&j, |x| x.0)
                            .map_or(0.0, |k| w.part[k].1);
                        dot += self.weights[j as usize] * c;
                        sq += (own + c) * (own + c) - own * own;
                    }
                    Some(1.0 / (1.0 + (-(self.intercept + dot / sq.sqrt())).exp()))
                })
                .collect()
        })
    }

    /// The sentence features of per-token probabilities, each with the bucket it goes
    /// to in a hash space of `2^hash_bits` and the tokens it points at: the most and
    /// second most probable word, the words above 0.2 (for the sum too) or 0.5.
    pub fn sentence_features(
        probs: &[Option<f32>],
        hash_bits: u8,
    ) -> Vec<(u32, f32, &'static str, Vec<usize>)> {
        let mut words: Vec<(usize, f32)> = probs
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (i, p)))
            .collect();
        words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let at = |k: usize| words.get(k).map_or(0.0, |w| w.1);
        let values = [
            at(0),
            at(1),
            words.iter().map(|w| w.1).sum(),
            words.iter().filter(|w| w.1 >= 0.2).count() as f32,
            words.iter().filter(|w| w.1 >= 0.5).count() as f32,
        ];
        let mask = (1u64 << hash_bits) - 1;
        let above = |x: f32| -> Vec<usize> {
            let mut v: Vec<usize> = words.iter().filter(|w| w.1 >= x).map(|w| w.0).collect();
            v.sort_unstable();
            v
        };
        let pointed = [
            words.first().map(|w| w.0).into_iter().collect(),
            words.get(1).map(|w| w.0).into_iter().collect(),
            above(0.2),
            above(0.2),
            above(0.5),
        ];
        SENTENCE_FEATURES
            .iter()
            .zip(values)
            .zip(pointed)
            .map(|((name, v), at)| ((name_hash(name, Group::LOADED) & mask) as u32, v, *name, at))
            .collect()
    }
}

impl LoadedWords {
    /// The sentence features of a sentence's tokens as `(bucket, value)` entries.
    pub fn row_features<S: AsRef<str>>(&self, tokens: &[S], hash_bits: u8) -> Vec<(u32, f32)> {
        let toks: Vec<&str> = tokens.iter().map(AsRef::as_ref).collect();
        Self::sentence_features(&self.probabilities(&toks), hash_bits)
            .into_iter()
            .map(|(j, v, _, _)| (j, v))
            .collect()
    }
}

/// Add `(bucket, value)` entries to a row (sorted unique indices), summing into a
/// bucket the row already has.
pub fn add_to_row(row: &mut SparseRow, extra: &[(u32, f32)]) {
    for &(j, v) in extra {
        match row.indices.binary_search(&j) {
            Ok(p) => row.values[p] += v,
            Err(p) => {
                row.indices.insert(p, j);
                row.values.insert(p, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str, marks: &[&str]) -> MarkedSentence {
        let tokens: Vec<String> = text.split_whitespace().map(|t| t.to_lowercase()).collect();
        let marks: Vec<(String, Vec<String>)> = marks
            .iter()
            .map(|m| (m.to_string(), vec![m.to_lowercase()]))
            .collect();
        MarkedSentence::new(tokens, &marks).0
    }

    #[test]
    fn marks_missing_from_the_text_are_reported() {
        let (s, missing) = MarkedSentence::new(
            vec!["they".into(), "slammed".into(), "it".into()],
            &[
                ("slammed".into(), vec!["slammed".into()]),
                ("ranted".into(), vec!["ranted".into()]),
            ],
        );
        assert_eq!(s.marked, [false, true, false]);
        assert_eq!(missing, ["ranted"]);
    }

    #[test]
    fn learns_marked_words_and_generalizes_through_character_ngrams() {
        // Sentences written for this test: the same loaded stems recur in new forms.
        let data = [
            (
                "the senator slammed the reckless plan",
                &["slammed", "reckless"][..],
            ),
            (
                "critics slammed the scheme as a disgrace",
                &["slammed", "disgrace"],
            ),
            ("the ministry published its budget on monday", &[]),
            ("a reckless gamble by the cabinet", &["reckless"]),
            ("the committee met on tuesday to review the budget", &[]),
            ("officials said the talks would resume next week", &[]),
            (
                "the mayor ranted about a disgraceful betrayal",
                &["ranted", "disgraceful", "betrayal"],
            ),
            ("the agency released the figures in a statement", &[]),
            (
                "his betrayal of voters was a disgrace",
                &["betrayal", "disgrace"],
            ),
            ("the court will hear the case in march", &[]),
            (
                "the governor ranted against reckless spending",
                &["ranted", "reckless"],
            ),
            ("the report lists the figures for each region", &[]),
        ];
        let sents: Vec<MarkedSentence> = data.iter().map(|(t, m)| sentence(t, m)).collect();
        let refs: Vec<&MarkedSentence> = sents.iter().collect();
        let params = LogisticRegressionParams {
            min_df: 1,
            ..Default::default()
        };
        let d = LoadedWords::fit(&refs, &params).unwrap();
        d.validate().unwrap();
        assert_eq!(d.train_marked, 12);
        let toks = ["they", "recklessly", "slammed", "the", "budget", "."];
        let p = d.probabilities(&toks);
        assert_eq!(p[5], None);
        let (reck, slam, budget) = (p[1].unwrap(), p[2].unwrap(), p[4].unwrap());
        assert!(slam > 0.5 && slam > budget + 0.3, "{p:?}");
        // Never seen as a word: only its character n-grams carry it.
        assert!(reck > budget, "{p:?}");
        let f = LoadedWords::sentence_features(&p, 20);
        assert_eq!(f.len(), 5);
        assert_eq!(f[0].1, slam);
        assert_eq!(f[0].3, [2]);
        assert_eq!(f[4].3.len(), f[4].1 as usize);
        assert!((f[2].1 - p.iter().flatten().sum::<f32>()).abs() < 1e-6);
        assert_eq!(
            f[4].1,
            p.iter().flatten().filter(|&&x| x >= 0.5).count() as f32
        );
        // Only punctuation: zeros, and nothing to point at.
        let f = LoadedWords::sentence_features(&d.probabilities(&["."]), 20);
        assert!(f.iter().all(|x| x.1 == 0.0 && x.3.is_empty()));
    }

    #[test]
    fn cached_probabilities_equal_the_full_rows() {
        // Words repeat with other neighbours; "banana" repeats a character trigram.
        let text = "the banana split slammed the reckless banana . the the banana";
        let marks = [("slammed", true), ("reckless", true), ("banana", false)];
        let s = sentence(text, &["slammed", "reckless"]);
        let other = sentence("a split vote on the plan", &[]);
        let params = LogisticRegressionParams {
            min_df: 1,
            ..Default::default()
        };
        let d = LoadedWords::fit(&[&s, &other], &params).unwrap();
        let toks: Vec<&str> = text.split(' ').collect();
        let full = d.probabilities(&toks);
        for key in [7, 7, 8] {
            let cached = d.probabilities_cached(&toks, key);
            for (a, b) in full.iter().zip(&cached) {
                assert_eq!(a.is_some(), b.is_some());
                if let (Some(a), Some(b)) = (a, b) {
                    assert!((a - b).abs() < 1e-5, "{full:?} vs {cached:?}");
                }
            }
        }
        // The probabilities differ by word and context, so the check compared something.
        let p = |w: &str| full[toks.iter().position(|t| *t == w).unwrap()].unwrap();
        assert!(marks.iter().all(|(w, _)| p(w) > 0.0));
        assert!(p("slammed") > p("banana"), "{full:?}");
        assert!(full[1] != full[6], "{full:?}");
        // In 256 buckets a word's own features and its neighbours' often share one: the
        // cached sums count those as the full rows do.
        let small = LoadedWords {
            bits: 8,
            weights: (0..256)
                .map(|j| ((j * 37 % 17) as f32 - 8.0) / 10.0)
                .collect(),
            intercept: -0.5,
            train_words: 0,
            train_marked: 0,
        };
        small.validate().unwrap();
        let long = "the quick brown fox jumps over the lazy dog while critics slammed a \
                    reckless and shameful plan that nobody in the capital wanted , said the \
                    minister , who called it a betrayal of voters and a disgrace";
        let toks: Vec<&str> = long.split(' ').collect();
        let shared = (0..toks.len())
            .filter(|&i| {
                let own = word_part(toks[i], 8);
                let (context, n) = context_part(&toks, i, 8, &mut String::new());
                context[..n]
                    .iter()
                    .any(|(j, _)| own.iter().any(|(k, _)| k == j))
            })
            .count();
        assert!(shared > 0);
        let full = small.probabilities(&toks);
        let cached = small.probabilities_cached(&toks, 9);
        for (a, b) in full.iter().zip(&cached) {
            assert!(
                a.zip(*b).is_none_or(|(a, b)| (a - b).abs() < 1e-5),
                "{full:?} vs {cached:?}"
            );
        }
        // Rows are merged and normalized.
        let r = word_row(&["a", "banana", "b"], 1, d.bits);
        let norm: f32 = r.values.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!(r.values.iter().any(|&v| v > r.values[0] * 1.5), "{r:?}");
    }

    #[test]
    fn extra_entries_merge_into_a_sorted_row() {
        let mut r = SparseRow {
            indices: vec![2, 9],
            values: vec![1.0, 1.0],
        };
        add_to_row(&mut r, &[(9, 0.5), (0, 2.0), (5, 3.0)]);
        assert_eq!(r.indices, [0, 2, 5, 9]);
        assert_eq!(r.values, [2.0, 1.0, 3.0, 1.5]);
    }
}
