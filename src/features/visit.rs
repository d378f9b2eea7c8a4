//! One pass over a tokenized input: every feature occurrence of the selected groups,
//! named when asked, handed to a sink. The masked tokens, the target's position and
//! clause, and the conjoined copies are worked out once here; each feature family adds
//! its features in its own file (`chars`, `words`, `lexicon`, `shape`, `cues`, `clusters`),
//! in that order. The valued features (`vectors`, `subjectivity`) have a pass of their
//! own (`valued`).

use super::config::{Conjoin, FeatureConfig};
use super::cues::is_clause_break;
use super::group::{Blocks, Group};
use super::hash::conjoined;
use super::row::Input;
use super::{mask, OTHER, TARGET};
use crate::text::tokenize::Token;
use xxhash_rust::xxh3::xxh3_64;

/// Receives (group, bucket, feature name, character span) for each feature occurrence.
pub(super) type Sink<'s> = dyn FnMut(Group, u32, &str, (usize, usize)) + 's;

/// What the stance rows of one sentence's actors share in their word lookups: every
/// row masks the same mentions (each actor's as the target, the others' as others), so
/// the masked words, and so each word's hash, VADER valence and cue class, are the same
/// for all of them. Kept across the rows by the caller and rebuilt when a row's masked
/// words differ, so any sequence of rows gets the features of rows built alone. The
/// placeholders, which differ between the rows, are looked up per row.
#[derive(Default)]
pub struct TokenShare {
    /// The masked words the share was built for, as addresses in the sentence's tokens
    /// (`None`: a placeholder).
    words: Vec<Option<(usize, usize)>>,
    /// Per masked word: its hash (with the `token-hash` extra), valence and cue class.
    pub(super) hashes: Vec<u64>,
    pub(super) valence: Vec<Option<f64>>,
    pub(super) cue: Vec<Option<&'static str>>,
}

impl TokenShare {
    /// Make the share the one of `masked`, unless it is already.
    fn fit(&mut self, masked: &[&str], cfg: &FeatureConfig) {
        let key = |t: &&str| (*t != TARGET && *t != OTHER).then_some((t.as_ptr() as usize, t.len()));
        if self.words.len() == masked.len() && self.words.iter().copied().eq(masked.iter().map(key)) {
            return;
        }
        self.words.clear();
        self.words.extend(masked.iter().map(key));
        self.hashes.clear();
        if cfg.extras.token_hash {
            self.hashes.extend(masked.iter().map(|t| xxh3_64(t.as_bytes())));
        }
        self.valence.clear();
        self.valence.extend(masked.iter().map(|t| super::lexicon::valence(t)));
        self.cue.clear();
        self.cue.extend(masked.iter().map(|t| super::cues::cue_class(t)));
    }

    /// Whether masked position `i` is a placeholder (looked up per row).
    #[inline]
    pub(super) fn is_placeholder(&self, i: usize) -> bool {
        self.words[i].is_none()
    }
}

/// The state of one pass (see the module documentation).
pub(super) struct Visit<'t, 'k, 's> {
    pub(super) cfg: &'t FeatureConfig,
    pub(super) input: Input<'t>,
    /// The tokens with each mention collapsed into `<t>` or `<o>`, and their character
    /// spans in the input.
    pub(super) masked: Vec<&'t str>,
    pub(super) spans: Vec<(usize, usize)>,
    /// Whether the sink wants feature names.
    pub(super) named: bool,
    /// Names are built when the sink wants them or when they are what is hashed.
    pub(super) need_names: bool,
    pub(super) mask_bits: u64,
    /// The key of conjoined copies, and the lowest group that gets them.
    pub(super) conj: Option<&'t str>,
    pub(super) conj_from: Group,
    key_hash: u64,
    /// Hash of each masked token (with the `token-hash` extra).
    pub(super) token_hashes: Vec<u64>,
    /// Scratch buffer of conjoined names.
    pub(super) conj_name: String,
    /// Position of the target placeholder, and the clause around it.
    pub(super) target_pos: Option<usize>,
    pub(super) clause: Option<(usize, usize)>,
    pub(super) sink: &'k mut Sink<'s>,
    /// The word lookups shared by one sentence's stance rows, when the caller keeps them.
    pub(super) share: Option<&'k TokenShare>,
}

impl<'t, 'k, 's> Visit<'t, 'k, 's> {
    pub(super) fn new(
        cfg: &'t FeatureConfig,
        tokens: &'t [Token],
        input: Input<'t>,
        named: bool,
        sink: &'k mut Sink<'s>,
        share: Option<&'k mut TokenShare>,
    ) -> Self {
        let masked = mask(tokens, input.target_spans, input.other_spans);
        Self::masked(cfg, masked, input, named, sink, share)
    }

    /// [`Visit::new`] of a row already masked (`mask`'s answer for the input).
    pub(super) fn masked(
        cfg: &'t FeatureConfig,
        (masked, spans): (Vec<&'t str>, Vec<(usize, usize)>),
        input: Input<'t>,
        named: bool,
        sink: &'k mut Sink<'s>,
        share: Option<&'k mut TokenShare>,
    ) -> Self {
        let share = share.map(|sh| {
            sh.fit(&masked, cfg);
            &*sh
        });
        let conj = match (cfg.conjoin, input.target_key) {
            (Conjoin::Always | Conjoin::Context, Some(k)) => Some(k),
            (Conjoin::Topics, Some(k)) if input.target_spans.is_empty() => Some(k),
            _ => None,
        };
        let conj_from = if cfg.conjoin == Conjoin::Context && !input.target_spans.is_empty() {
            Group::CONTEXT
        } else {
            Group::WORD
        };
        let token_hashes = if let (true, Some(sh)) = (cfg.extras.token_hash, share) {
            // (the placeholders' hashes are this row's own)
            let mut h = sh.hashes.clone();
            for (i, t) in masked.iter().enumerate() {
                if sh.is_placeholder(i) {
                    h[i] = xxh3_64(t.as_bytes());
                }
            }
            h
        } else if cfg.extras.token_hash {
            masked.iter().map(|t| xxh3_64(t.as_bytes())).collect()
        } else {
            Vec::new()
        };
        let target_pos = masked.iter().position(|t| *t == TARGET);
        // Clause of the target: between the nearest clause breaks around it.
        let clause = target_pos.map(|p| {
            let a = masked[..p]
                .iter()
                .rposition(|t| is_clause_break(t))
                .map_or(0, |i| i + 1);
            let b = masked[p + 1..]
                .iter()
                .position(|t| is_clause_break(t))
                .map_or(masked.len(), |i| p + 1 + i);
            (a, b)
        });
        Visit {
            cfg,
            input,
            masked,
            spans,
            named,
            need_names: named || !cfg.extras.token_hash,
            mask_bits: (1u64 << cfg.hash_bits) - 1,
            conj,
            conj_from,
            key_hash: conj.map_or(0, |k| xxh3_64(k.as_bytes())),
            token_hashes,
            conj_name: String::with_capacity(96),
            target_pos,
            clause,
            sink,
            share,
        }
    }

    /// The masked tokens and their spans, for the row's valued features.
    pub(super) fn into_mask(self) -> (Vec<&'t str>, Vec<(usize, usize)>) {
        (self.masked, self.spans)
    }

    /// The VADER valence of masked token `i` (from the share when there is one).
    #[inline]
    pub(super) fn valence_at(&self, i: usize) -> Option<f64> {
        match self.share {
            Some(sh) if !sh.is_placeholder(i) => sh.valence[i],
            _ => super::lexicon::valence(self.masked[i]),
        }
    }

    /// The cue class of masked token `i` (from the share when there is one).
    #[inline]
    pub(super) fn cue_at(&self, i: usize) -> Option<&'static str> {
        match self.share {
            Some(sh) if !sh.is_placeholder(i) => sh.cue[i],
            _ => super::cues::cue_class(self.masked[i]),
        }
    }

    /// Every family's features of the groups in `blocks`, in a fixed order.
    pub(super) fn run(&mut self, blocks: Blocks) {
        let on = |g: Group| blocks & g.bit() != 0;
        let cfg = self.cfg;
        if cfg.char_max > 0 && on(Group::CHAR) {
            self.chars();
        }
        let mut name = String::with_capacity(64);
        if on(Group::WORD) {
            self.words(&mut name);
        }
        if self.target_pos.is_some() && on(Group::CONTEXT) {
            self.context(&mut name);
        }
        if cfg.lexicon && on(Group::LEXICON) {
            self.lexicon(&mut name);
        }
        if cfg.extras.shape && on(Group::SHAPE) && !self.masked.is_empty() {
            self.shape();
        }
        // For a topic that is not named in the text, cue words are not used.
        let topic_row = self.input.target_key.is_some() && self.input.target_spans.is_empty();
        if cfg.extras.cues && on(Group::CUE) && !topic_row {
            self.cues(&mut name);
        }
        if cfg.extras.clusters && on(Group::CLUSTER) {
            self.clusters(&mut name);
        }
    }

    /// Emit feature `name` of group `g`, hashed to `pre` (its bucket before masking),
    /// built from masked tokens a..b, and its conjoined copy when the row has one. `name`
    /// is "" when names are not needed.
    pub(super) fn emit(&mut self, g: Group, pre: u64, name: &str, a: usize, b: usize) {
        let span = (self.spans[a].0, self.spans[b - 1].1);
        (self.sink)(g, (pre & self.mask_bits) as u32, name, span);
        if let Some(k) = self.conj.filter(|_| g >= self.conj_from) {
            let g2 = g.conjoined();
            let h = conjoined(
                self.cfg,
                pre,
                name,
                (k, self.key_hash),
                g2,
                self.need_names,
                &mut self.conj_name,
            );
            (self.sink)(g2, (h & self.mask_bits) as u32, &self.conj_name, span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TokenShare;
    use crate::features::{Extractor, FeatureConfig, Input, RowShare, ALL_BLOCKS};
    use crate::text::tokenize::TokenPipeline;

    /// Rows visited one after another with a [`TokenShare`] get the hits of rows visited
    /// alone, whatever the order of the actors, and after a row masked otherwise.
    #[test]
    fn shared_rows_get_the_hits_of_rows_alone() {
        let mut config = FeatureConfig::default();
        config.extras.cues = true;
        config.lexicon = true;
        for token_hash in [true, false] {
            config.extras.token_hash = token_hash;
            let e = Extractor::new(config.clone(), TokenPipeline::default());
            let text = "Iran reportedly said that Oman never praised the terrible talks, Qatar agreed";
            let tokens = e.tokens(text).unwrap();
            let input = |t: &'static [(usize, usize)], o: &'static [(usize, usize)]| Input {
                text,
                target_spans: t,
                other_spans: o,
                target_key: Some("k"),
            };
            let rows = [
                input(&[(26, 30)], &[(0, 4), (65, 70)]),
                input(&[(0, 4)], &[(26, 30), (65, 70)]),
                input(&[(65, 70)], &[(0, 4), (26, 30)]),
                input(&[(26, 30)], &[(0, 4)]),
                input(&[(0, 4)], &[(26, 30), (65, 70)]),
            ];
            let mut share = TokenShare::default();
            for r in &rows {
                let (mut alone, mut shared) = (Vec::new(), Vec::new());
                e.hits_from_tokens(&tokens, r, ALL_BLOCKS, &mut alone);
                e.hits_from_tokens_shared(&tokens, r, ALL_BLOCKS, &mut share, &mut shared);
                assert!(alone.len() > 50, "{}", alone.len());
                assert_eq!(alone, shared, "{r:?}");
                let (mut both, mut valued, mut row_share) = (Vec::new(), Vec::new(), RowShare::default());
                e.stance_row_shared(&tokens, r, ALL_BLOCKS, &mut row_share, &mut both, &mut valued);
                assert_eq!(alone, both, "{r:?}");
            }
        }
    }
}
