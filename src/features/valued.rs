//! Valued features: features that carry a real value instead of a count (the `vectors`
//! and `subjectivity` extras). They are computed from the masked tokens like the counted
//! ones, but skip TF, IDF and the per-group normalization: each family scales its own
//! values, and they are added to the weighted row (summed into a bucket it already has).
//!
//! Each feature has a name (`v|l|7`, `p|rate`) and a bucket; a row whose target is a
//! topic not named in the text (with a key and conjoined copies) also gets a copy
//! conjoined with the key (`atheism#v|s|7`), as its counted features do.

use super::config::{Conjoin, FeatureConfig};
use super::hash::name_hash;
use super::row::{Input, NamedBucket};
use super::vectors::VectorShare;
use super::{mask, Extractor, Group, OTHER, TARGET};
use crate::text::tokenize::Token;

/// The state of one row's valued features.
pub(super) struct Valued<'t, 'o> {
    /// The tokens with each mention collapsed into `<t>` or `<o>`, and their spans.
    pub(super) masked: Vec<&'t str>,
    spans: Vec<(usize, usize)>,
    /// Position of the target placeholder.
    pub(super) target_pos: Option<usize>,
    /// The key of conjoined copies (rows of topics not named in the text).
    conj: Option<&'t str>,
    named: bool,
    mask_bits: u64,
    /// The features as (bucket, value).
    out: &'o mut Vec<(u32, f32)>,
    /// With names: each feature's name and character span, in the order of `out`.
    names: Vec<(String, (usize, usize))>,
    /// What the word-vector blocks of one sentence's stance rows share, when the caller
    /// keeps it across them.
    pub(super) vector_share: Option<&'o mut VectorShare>,
}

impl<'t, 'o> Valued<'t, 'o> {
    fn new(
        cfg: &'t FeatureConfig,
        tokens: &'t [Token],
        input: &Input<'t>,
        named: bool,
        out: &'o mut Vec<(u32, f32)>,
        vector_share: Option<&'o mut VectorShare>,
    ) -> Self {
        let masked = mask(tokens, input.target_spans, input.other_spans);
        Self::masked(cfg, masked, input, named, out, vector_share)
    }

    /// [`Valued::new`] of a row already masked (`mask`'s answer for the input).
    fn masked(
        cfg: &'t FeatureConfig,
        (masked, spans): (Vec<&'t str>, Vec<(usize, usize)>),
        input: &Input<'t>,
        named: bool,
        out: &'o mut Vec<(u32, f32)>,
        vector_share: Option<&'o mut VectorShare>,
    ) -> Self {
        let target_pos = masked.iter().position(|t| *t == TARGET);
        let conj = input
            .target_key
            .filter(|_| input.target_spans.is_empty() && cfg.conjoin != Conjoin::Never);
        Valued {
            masked,
            spans,
            target_pos,
            conj,
            named,
            mask_bits: (1u64 << cfg.hash_bits) - 1,
            out,
            names: Vec::new(),
            vector_share,
        }
    }

    /// Whether masked token `i` is a word of the text (not a mention placeholder).
    #[inline]
    pub(super) fn is_text(&self, i: usize) -> bool {
        let t = self.masked[i];
        t != TARGET && t != OTHER
    }

    /// The character span of masked tokens a..b (empty when a == b).
    fn span(&self, (a, b): (usize, usize)) -> (usize, usize) {
        if a < b {
            (self.spans[a].0, self.spans[b - 1].1)
        } else {
            (0, 0)
        }
    }

    /// Add one feature: `name()` gives its name (asked only when names are wanted),
    /// `bucket(key)` its bucket, for the plain feature (`None`) and for the copy
    /// conjoined with a key; `tokens` is the range of masked tokens it was built from.
    pub(super) fn push(
        &mut self,
        name: impl Fn() -> String,
        bucket: impl Fn(Option<&str>) -> u64,
        value: f32,
        tokens: (usize, usize),
    ) {
        if value == 0.0 {
            return;
        }
        for key in std::iter::once(None).chain(self.conj.map(Some)) {
            self.out
                .push(((bucket(key) & self.mask_bits) as u32, value));
            if self.named {
                let n = name();
                let n = match key {
                    Some(k) => format!("{k}#{n}"),
                    None => n,
                };
                self.names.push((n, self.span(tokens)));
            }
        }
    }

    /// Room for `n` more features (of each copy).
    pub(super) fn reserve(&mut self, n: usize) {
        self.out.reserve(n * (1 + usize::from(self.conj.is_some())));
    }

    /// The hash of a feature named `name` (conjoined with `key` when given).
    pub(super) fn name_bucket(name: &str, key: Option<&str>) -> u64 {
        match key {
            Some(k) => name_hash(&format!("{k}#{name}"), Group::VALUED),
            None => name_hash(name, Group::VALUED),
        }
    }

    /// The first of `width` adjacent buckets for a block of features named `prefix`, and
    /// for its conjoined copy when the row has one, so that a block is read from one
    /// stretch of memory; a block ends inside the hash space.
    pub(super) fn block_bases(&self, prefix: &str, width: u64) -> (u64, u64) {
        let base =
            |key| (Self::name_bucket(prefix, key) & self.mask_bits).min(self.mask_bits + 1 - width);
        (base(None), self.conj.map_or(0, |k| base(Some(k))))
    }
}

impl Extractor {
    /// Whether the model has valued features (the `vectors` or `subjectivity` extras).
    #[inline]
    pub fn has_valued(&self) -> bool {
        self.config.extras.vectors || self.config.extras.subjectivity
    }

    /// Append the valued features of a tokenized input to `out`, as (bucket, final
    /// value).
    pub fn valued_into(&self, tokens: &[Token], input: &Input, out: &mut Vec<(u32, f32)>) {
        if self.has_valued() {
            self.run_valued(tokens, input, false, out, None);
        }
    }

    /// [`Extractor::valued_into`] for one of several stance rows of a sentence, with
    /// `share` kept across them (see [`VectorShare`]): the same features, computed with
    /// less work per row.
    pub fn valued_into_shared(
        &self,
        tokens: &[Token],
        input: &Input,
        share: &mut VectorShare,
        out: &mut Vec<(u32, f32)>,
    ) {
        if self.has_valued() {
            self.run_valued(tokens, input, false, out, Some(share));
        }
    }

    /// The valued features of a tokenized input, in their final values, with names and
    /// spans when `named` (otherwise both are empty).
    pub fn valued(&self, tokens: &[Token], input: &Input, named: bool) -> Vec<NamedBucket> {
        if !self.has_valued() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut names = self.run_valued(tokens, input, named, &mut out, None).into_iter();
        out.into_iter()
            .map(|(index, value)| {
                let (names, spans) = match names.next() {
                    Some((n, span)) => (vec![n], vec![span]),
                    None => (Vec::new(), Vec::new()),
                };
                NamedBucket {
                    index,
                    value,
                    names,
                    spans,
                }
            })
            .collect()
    }

    /// Every valued family's features onto `out`, and their names when `named`.
    fn run_valued(
        &self,
        tokens: &[Token],
        input: &Input,
        named: bool,
        out: &mut Vec<(u32, f32)>,
        share: Option<&mut VectorShare>,
    ) -> Vec<(String, (usize, usize))> {
        let v = Valued::new(&self.config, tokens, input, named, out, share);
        self.valued_families(v)
    }

    /// The valued features of a stance row already masked (`mask`'s answer for `input`)
    /// onto `out`, with `share` kept across one sentence's rows.
    pub(super) fn valued_masked(
        &self,
        masked: (Vec<&str>, Vec<(usize, usize)>),
        input: &Input,
        share: &mut VectorShare,
        out: &mut Vec<(u32, f32)>,
    ) {
        if self.has_valued() {
            let v = Valued::masked(&self.config, masked, input, false, out, Some(share));
            self.valued_families(v);
        }
    }

    /// Every valued family's features of `v`; their names when it names them.
    fn valued_families(&self, mut v: Valued) -> Vec<(String, (usize, usize))> {
        if self.config.extras.vectors {
            v.vectors();
        }
        if self.config.extras.subjectivity {
            v.subjectivity();
        }
        v.names
    }
}
