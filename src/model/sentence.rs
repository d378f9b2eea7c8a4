//! A model applied to one sentence: the one scoring path.
//!
//! Article classification (`analyze`) and evaluation on labeled rows (`train::evaluate`)
//! both score sentences here: the sentence is tokenized once, the loaded-word detector
//! (when the model has one) gives its word probabilities, the bias head scores the
//! sentence, and the stance head scores it once per target (the mentions of one actor,
//! masked as the target, the other actors' as others). Without explanations the logits
//! are summed by the [`Scorer`] straight from the hashed hits; with explanations the
//! named rows are built and each score is decomposed into its features.

use super::loaded::LoadedWords;
use super::score::Scorer;
use super::Head;
use super::labels::LabelSet;
use super::{FittedHead, Model};
use crate::error::Result;
use crate::features::{
    Blocks, Extractor, Input, NamedBucket, RowShare, ALL_BLOCKS, CHAR_BLOCK,
};
use crate::text::tokenize::Token;
use serde::Serialize;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Marks a character n-gram hit of a word inside a mention (hits use the low 35 bits).
const MENTION_MARK: u64 = 1 << 63;

/// One feature's signed push on a logit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Readable feature name(s): `w|` word n-gram, `c|` character n-gram, `l|`/`r|`
    /// left/right context, `nl|`/`nr|` window, `k|` clause, `x|` lexicon polarity,
    /// `b|` cue word, `s|` surface shape, `g|` word cluster, `v|s`/`v|l`/`v|r`/`v|n`
    /// averaged word vectors of the sentence, the words left of the actor, right of it and
    /// near it (the block's dimensions summed), `p|` subjectivity statistic;
    /// `<t>` is the scored actor, `<o>` another actor. Names joined by " / " share a
    /// hash bucket.
    pub feature: String,
    /// The names of `feature`, one per name (not in JSON, which has them joined).
    #[serde(skip)]
    pub names: Vec<String>,
    /// Its contribution to the logit.
    pub contribution: f32,
    /// Character offsets in the article of the text the feature was built from.
    pub spans: Vec<(usize, usize)>,
}

/// Why a head scored a sentence the way it did: the logit of the highest-polarity
/// class against the lowest (favor vs against; biased vs unbiased) decomposed into the
/// intercept and per-feature contributions. `intercept + sum(features) + rest == logit`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// "favor vs against", "biased vs unbiased".
    pub logit_of: String,
    /// The class the logit pushes toward ("favor", "biased"; not in JSON, which has it in
    /// `logit_of`).
    #[serde(skip)]
    pub toward: String,
    /// The logit explained.
    pub logit: f32,
    /// The head's intercept for that logit.
    pub intercept: f32,
    /// The features with the largest absolute contributions, largest first.
    pub features: Vec<Contribution>,
    /// Sum of the contributions not listed.
    pub rest: f32,
}

/// One actor of a sentence to score stance toward: character spans in the sentence.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The actor's mentions (masked as the target).
    pub spans: &'a [(usize, usize)],
    /// Other actors' mentions (masked as others).
    pub others: &'a [(usize, usize)],
    /// The key of target-conjoined features (the actor's name, lowercased), if any.
    pub key: Option<&'a str>,
}

/// A head's class probabilities (in the order of its labels), with the explanation when
/// one was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadScore {
    pub probabilities: Vec<f32>,
    pub explanation: Option<Explanation>,
}

/// Everything the model says about one sentence.
#[derive(Debug, Clone)]
pub struct SentenceScores {
    /// The sentence's tokens (character offsets in the sentence).
    pub tokens: Vec<Token>,
    /// The loaded-word detector's probability per token (`None`: not a word); empty when
    /// the model has no detector or no bias head.
    pub loaded: Vec<Option<f32>>,
    /// The bias head's score, when it was asked for and the model has the head.
    pub bias: Option<HeadScore>,
    /// The stance head's score per target, in the order given (empty without the head).
    pub stance: Vec<HeadScore>,
}

/// A model ready to score sentences; cheap to share across threads. It owns its model
/// (`SentenceScorer<Model>`, as the analyzer does) or borrows it (`SentenceScorer<&Model>`,
/// as evaluation does, without a copy of the weights).
pub struct SentenceScorer<M: Borrow<Model> = Model> {
    model: M,
    extractor: Extractor,
    scorer: Scorer,
    explain: usize,
}

impl SentenceScorer<Model> {
    /// A scorer that owns `model` and holds its weights and IDF once: the scorer's
    /// table keeps them (scores and explanations read them there), the extractor takes
    /// the model's IDF, and the heads' own dense weights are dropped. [`Self::model`]
    /// then has an empty `idf` and heads with empty `classifier.weights` (their labels,
    /// intercepts and metrics stay).
    pub fn owning(mut model: Model) -> SentenceScorer<Model> {
        let scorer = Scorer::new(&model);
        let mut extractor = Extractor::new(model.features.clone(), model.pipeline.clone());
        extractor.idf = std::mem::take(&mut model.idf);
        for head in [&mut model.stance, &mut model.bias].into_iter().flatten() {
            head.classifier.weights = Vec::new();
        }
        SentenceScorer {
            model,
            extractor,
            scorer,
            explain: 0,
        }
    }
}

impl<M: Borrow<Model>> SentenceScorer<M> {
    /// A scorer of `model`'s heads, without explanations.
    pub fn new(model: M) -> SentenceScorer<M> {
        let extractor = model.borrow().extractor();
        let scorer = Scorer::new(model.borrow());
        SentenceScorer {
            model,
            extractor,
            scorer,
            explain: 0,
        }
    }

    /// List the `top` strongest features of every score (0: no explanations).
    pub fn with_explanations(mut self, top: usize) -> Self {
        self.explain = top;
        self
    }

    /// The model scored.
    pub fn model(&self) -> &Model {
        self.model.borrow()
    }

    /// The model's feature extractor.
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// Score one sentence: the bias head when `bias` is true (and the model has one), the
    /// stance head for each target. `mentions` holds the spans of every actor mention in the sentence (the
    /// union of each target's `spans` and `others`). Explanation spans are shifted by
    /// `offset` (the sentence's start in its article).
    pub fn score(
        &self,
        text: &str,
        mentions: &[(usize, usize)],
        targets: &[Target],
        bias: bool,
        offset: usize,
    ) -> Result<SentenceScores> {
        let tokens = self.extractor.tokens(text)?;
        let bias_head = self.model().bias.as_ref().filter(|_| bias);
        let stance_head = self.model().stance.as_ref();
        let mut hits: Vec<u64> = Vec::with_capacity(tokens.len() * 24 + 256);
        let mut bias_start = self.scorer.intercept(Head::Bias).to_vec();
        let mut stance_start = self.scorer.intercept(Head::Stance).to_vec();
        // A target that is a topic (no span) with a key gets conjoined copies of its
        // character n-grams: its row shares nothing with the others.
        let topics = targets
            .iter()
            .any(|t| t.spans.is_empty() && t.key.is_some());
        let (bias_blocks, stance_blocks) = self.shared_chars(
            &tokens,
            mentions,
            bias_head.is_some(),
            stance_head.is_some() && !topics,
            (&mut bias_start, &mut stance_start),
            &mut hits,
        );
        let loaded = match (&self.model().loaded, bias_head) {
            (Some(d), Some(_)) => {
                let toks: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
                d.probabilities_cached(&toks, self.scorer.id())
            }
            _ => Vec::new(),
        };
        let bias = match bias_head {
            Some(h) => {
                let extra = self.loaded_features(&tokens, &loaded);
                hits.clear();
                let input = Input::sentence(text);
                let start = (&bias_start[..], bias_blocks);
                Some(self.head(
                    h,
                    Head::Bias,
                    &input,
                    &tokens,
                    offset,
                    start,
                    &mut hits,
                    &extra,
                    None,
                ))
            }
            None => None,
        };
        let mut stance = Vec::with_capacity(targets.len());
        // Several actors' rows share their word-vector work (one actor: nothing to share).
        let mut share = (targets.len() > 1).then(RowShare::default);
        if let Some(h) = stance_head {
            for t in targets {
                let input = Input {
                    text,
                    target_spans: t.spans,
                    other_spans: t.others,
                    target_key: t.key,
                };
                hits.clear();
                let start = (&stance_start[..], stance_blocks);
                stance.push(self.head(
                    h,
                    Head::Stance,
                    &input,
                    &tokens,
                    offset,
                    start,
                    &mut hits,
                    &[],
                    share.as_mut(),
                ));
            }
        }
        Ok(SentenceScores {
            tokens,
            loaded,
            bias,
            stance,
        })
    }

    /// Character n-grams are hashed once per sentence: the bias row uses those of every
    /// word; the stance rows, those of the words outside all mentions (the same for every
    /// target of the sentence, unless rows get target-conjoined copies). Adds them to the
    /// starting logits `(bias, stance)` and returns the feature groups each head still
    /// has to collect. `stance`: whether the stance rows may share them (false also when
    /// a target is a topic, whose row conjoins them with the topic).
    fn shared_chars(
        &self,
        tokens: &[Token],
        mentions: &[(usize, usize)],
        bias: bool,
        stance: bool,
        (bias_start, stance_start): (&mut Vec<f32>, &mut Vec<f32>),
        hits: &mut Vec<u64>,
    ) -> (Blocks, Blocks) {
        let ex = &self.extractor;
        let share = self.explain == 0 && stance && !ex.conjoins_located_targets();
        if share && ex.counts_char_words() {
            // Both heads from the cached sums of each word's character n-gram vector.
            let zb: &mut [f32] = if bias { bias_start } else { &mut [] };
            self.scorer
                .add_char_words(ex, tokens, mentions, zb, stance_start);
            let bias_blocks = if bias {
                ALL_BLOCKS & !CHAR_BLOCK
            } else {
                ALL_BLOCKS
            };
            (bias_blocks, ALL_BLOCKS & !CHAR_BLOCK)
        } else if share && bias {
            // Both heads from one count of the sentence's character n-grams; the stance
            // rows leave out the words inside mentions (they are masked there).
            ex.char_hits_marked(tokens, mentions, MENTION_MARK, hits);
            self.scorer
                .add_chars_both(ex, hits, MENTION_MARK, bias_start, stance_start);
            (ALL_BLOCKS & !CHAR_BLOCK, ALL_BLOCKS & !CHAR_BLOCK)
        } else if share {
            ex.char_hits_marked(tokens, mentions, MENTION_MARK, hits);
            hits.retain(|&h| h & MENTION_MARK == 0);
            self.scorer.add(ex, Head::Stance, hits, stance_start);
            (ALL_BLOCKS, ALL_BLOCKS & !CHAR_BLOCK)
        } else {
            (ALL_BLOCKS, ALL_BLOCKS)
        }
    }

    /// The bias row's features from the loaded-word detector's probabilities; named
    /// (with the words they count) only when explanations read them.
    fn loaded_features(&self, tokens: &[Token], probs: &[Option<f32>]) -> Vec<NamedBucket> {
        if self.model().loaded.is_none() {
            return Vec::new();
        }
        let named = self.explain > 0;
        LoadedWords::sentence_features(probs, self.extractor.config.hash_bits)
            .into_iter()
            .map(|(index, value, name, at)| {
                if !named {
                    return NamedBucket {
                        index,
                        value,
                        names: Vec::new(),
                        spans: Vec::new(),
                    };
                }
                // The name shows the words the feature counts, with their probabilities.
                let words: Vec<String> = at
                    .iter()
                    .map(|&i| format!("{} {:.2}", tokens[i].text, probs[i].unwrap_or(0.0)))
                    .collect();
                let name = if words.is_empty() {
                    name.to_string()
                } else {
                    format!("{name} ({})", words.join(", "))
                };
                NamedBucket {
                    index,
                    value,
                    names: vec![name],
                    spans: at
                        .iter()
                        .map(|&i| (tokens[i].start, tokens[i].end))
                        .collect(),
                }
            })
            .collect()
    }

    /// Score one input with a head, optionally explained. Spans are shifted by `offset`.
    ///
    /// Without explanations this goes through the [`Scorer`]: `start` holds the logits to
    /// start from and the feature groups still to collect, `hits` the hits already
    /// collected. With explanations the whole row is built and `start` and `hits` are
    /// not used.
    #[allow(clippy::too_many_arguments)]
    fn head(
        &self,
        head: &FittedHead,
        which: Head,
        input: &Input,
        tokens: &[Token],
        offset: usize,
        (start, blocks): (&[f32], Blocks),
        hits: &mut Vec<u64>,
        extra: &[NamedBucket],
        share: Option<&mut RowShare>,
    ) -> HeadScore {
        let mut pairs: Vec<(u32, f32)> = extra.iter().map(|b| (b.index, b.value)).collect();
        if self.explain == 0 {
            let mut z = start.to_vec();
            let ex = &self.extractor;
            match share {
                Some(share) => ex.stance_row_shared(tokens, input, blocks, share, hits, &mut pairs),
                None => {
                    ex.hits_from_tokens(tokens, input, blocks, hits);
                    ex.valued_into(tokens, input, &mut pairs);
                }
            }
            self.scorer.add(&self.extractor, which, hits, &mut z);
            // The valued features (word vectors, subjectivity) with their final values.

            self.scorer.add_values(which, &pairs, &mut z);
            Scorer::probabilities(&mut z);
            return HeadScore {
                probabilities: z,
                explanation: None,
            };
        }
        let (mut row, mut named) = self.extractor.row_named_from_tokens(tokens, input);
        super::loaded::add_to_row(&mut row, &pairs);
        named.extend(extra.iter().cloned());
        let mut z = self.scorer.intercept(which).to_vec();
        self.scorer.add_row(which, &row.indices, &row.values, &mut z);
        Scorer::probabilities(&mut z);
        HeadScore {
            probabilities: z,
            explanation: Some(explain(
                &head.labels,
                (&self.scorer, which),
                &named,
                offset,
                self.explain,
            )),
        }
    }
}

/// The block of a word-vector dimension's feature name (`v|l|41` -> `v|l`, with a
/// conjoined key: `oman#v|l|41` -> `oman#v|l`), or `None` for another feature.
fn vector_block(name: &str) -> Option<&str> {
    let (block, dim) = name.rsplit_once('|')?;
    let family = block.rsplit('#').next()?;
    let is_block = matches!(family, "v|s" | "v|l" | "v|r" | "v|n");
    (is_block && !dim.is_empty() && dim.bytes().all(|b| b.is_ascii_digit())).then_some(block)
}

/// One contribution per word-vector block instead of one per dimension: a single
/// dimension of an averaged GloVe vector means nothing to a reader, the block's sum does
/// ("the words left of the actor push toward favor by 0.2"). A bucket that two features
/// share (a hash collision) stays as it is.
fn group_vector_blocks(contribs: Vec<Contribution>) -> Vec<Contribution> {
    let mut out: Vec<Contribution> = Vec::with_capacity(contribs.len());
    let mut blocks: BTreeMap<String, usize> = BTreeMap::new();
    for c in contribs {
        let block = match c.names.as_slice() {
            [n] => vector_block(n).map(str::to_string),
            _ => None,
        };
        let Some(block) = block else {
            out.push(c);
            continue;
        };
        match blocks.get(&block) {
            Some(&i) => {
                let g = &mut out[i];
                g.contribution += c.contribution;
                for s in c.spans {
                    if !g.spans.contains(&s) {
                        g.spans.push(s);
                    }
                }
            }
            None => {
                blocks.insert(block.clone(), out.len());
                out.push(Contribution {
                    feature: block.clone(),
                    names: vec![block],
                    contribution: c.contribution,
                    spans: c.spans,
                });
            }
        }
    }
    out.retain(|x| x.contribution != 0.0);
    out
}

/// Decompose the logit of the highest- against the lowest-polarity class of a head
/// (its `labels`, and its weights as the scorer holds them).
pub fn explain(
    labels: &LabelSet,
    (scorer, which): (&Scorer, Head),
    named: &[NamedBucket],
    offset: usize,
    top: usize,
) -> Explanation {
    let pol = &labels.polarity;
    let hi = (0..pol.len()).fold(0, |b, i| if pol[i] > pol[b] { i } else { b });
    let lo = (0..pol.len()).fold(0, |b, i| if pol[i] < pol[b] { i } else { b });
    let contribs: Vec<Contribution> = named
        .iter()
        .map(|b| {
            let w = scorer.weight(which, b.index, hi) - scorer.weight(which, b.index, lo);
            Contribution {
                feature: b.names.join(" / "),
                names: b.names.clone(),
                contribution: b.value * w,
                spans: b
                    .spans
                    .iter()
                    .map(|&(s, e)| (s + offset, e + offset))
                    .collect(),
            }
        })
        .filter(|x| x.contribution != 0.0)
        .collect();
    let mut contribs = group_vector_blocks(contribs);
    contribs.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then(a.feature.cmp(&b.feature))
    });
    let intercept = scorer.intercept(which)[hi] - scorer.intercept(which)[lo];
    let total: f32 = contribs.iter().map(|x| x.contribution).sum();
    let listed: Vec<Contribution> = contribs.into_iter().take(top).collect();
    let listed_sum: f32 = listed.iter().map(|x| x.contribution).sum();
    Explanation {
        logit_of: format!("{} vs {}", labels.names[hi], labels.names[lo]),
        toward: labels.names[hi].clone(),
        logit: intercept + total,
        intercept,
        features: listed,
        rest: total - listed_sum,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, contribution: f32, span: (usize, usize)) -> Contribution {
        Contribution {
            feature: name.into(),
            names: vec![name.into()],
            contribution,
            spans: vec![span],
        }
    }

    #[test]
    fn vector_dimensions_are_explained_as_one_block() {
        assert_eq!(vector_block("v|l|41"), Some("v|l"));
        assert_eq!(vector_block("oman#v|s|0"), Some("oman#v|s"));
        for other in ["v|l", "nr|v|1", "w|v|x", "v|q|3", "g|256:17", "p|rate"] {
            assert_eq!(vector_block(other), None, "{other}");
        }
        let grouped = group_vector_blocks(vec![
            c("v|l|3", 0.25, (0, 10)),
            c("nr|right", 0.5, (12, 17)),
            c("v|l|7", -0.5, (0, 10)),
            c("v|r|1", 0.125, (18, 30)),
            c("oman#v|r|1", 0.0625, (18, 30)),
            c("v|s|2", 0.5, (0, 30)),
            c("v|s|9", -0.5, (0, 30)),
        ]);
        let got: Vec<(&str, f32, usize)> = grouped
            .iter()
            .map(|x| (x.feature.as_str(), x.contribution, x.spans.len()))
            .collect();
        // v|s sums to zero and is dropped, like any zero contribution.
        assert_eq!(
            got,
            [
                ("v|l", -0.25, 1),
                ("nr|right", 0.5, 1),
                ("v|r", 0.125, 1),
                ("oman#v|r", 0.0625, 1)
            ]
        );
        // A bucket two features share is not folded into a block.
        let shared = Contribution {
            names: vec!["v|l|3".into(), "w|oman".into()],
            ..c("v|l|3 / w|oman", 0.25, (0, 4))
        };
        assert_eq!(group_vector_blocks(vec![shared.clone()]), vec![shared]);
    }
}
