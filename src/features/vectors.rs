//! Averaged word vectors (the `vectors` extra): the mean GloVe vector of the sentence's
//! words and, for a located target, of the words left of it, right of it and near it.

use super::resources::{glove, RowCache, DIM};
use super::valued::Valued;

/// Tokens on each side of a located target whose vectors make the window's average.
pub(super) const VECTOR_WINDOW: usize = 4;

/// The norm of each block (an average, centred and L2-normalized, times this).
pub(super) const VECTOR_WEIGHT: f32 = 0.5;

/// The blocks, in the order of their buckets: the sentence, left of the target, right
/// of it, the window around it.
const BLOCKS: [&str; 4] = ["s", "l", "r", "n"];

/// What the stance rows of one sentence's actors share in their word-vector blocks:
/// every row masks the same mentions (each actor's as the target, the others' as
/// others), so the masked words, their GloVe rows and the running sums of those rows
/// from the sentence's start are the same for all of them. The left block of an actor
/// at masked position `p` is the running sum at `p`, added in the same order as a row
/// of its own would add it. Rebuilt when a row's masked words differ (another shape of
/// input), so any sequence of rows gets the answers of rows built alone.
#[derive(Default)]
pub struct VectorShare {
    /// The masked words the share was built for (text and length of each; the
    /// placeholders all alike), as addresses in the sentence's tokens.
    words: Vec<Option<(usize, usize)>>,
    /// The GloVe row of each masked word.
    rows: Vec<Option<u32>>,
    /// `prefix[i]`: the sum of the rows of masked words `0..i`, and their number.
    prefix: Vec<[f32; DIM]>,
    prefix_count: Vec<usize>,
}

impl VectorShare {
    /// Make the share the one of `masked`, unless it is already.
    fn fit(&mut self, masked: &[&str], g: &super::resources::Glove) {
        let key = |t: &&str| {
            (*t != super::TARGET && *t != super::OTHER).then_some((t.as_ptr() as usize, t.len()))
        };
        if self.words.len() == masked.len() && self.words.iter().copied().eq(masked.iter().map(key)) {
            return;
        }
        self.words.clear();
        self.words.extend(masked.iter().map(key));
        self.rows.clear();
        RowCache::with(|cache| {
            for (t, k) in masked.iter().zip(&self.words) {
                self.rows.push(k.and_then(|_| g.row_cached(t, cache)));
            }
        });
        self.prefix.clear();
        self.prefix_count.clear();
        let (mut sum, mut count) = ([0f32; DIM], 0usize);
        for row in &self.rows {
            self.prefix.push(sum);
            self.prefix_count.push(count);
            if let Some(r) = *row {
                g.add_vector(r, &mut sum);
                count += 1;
            }
        }
        self.prefix.push(sum);
        self.prefix_count.push(count);
    }
}

impl Valued<'_, '_> {
    /// One block of [`DIM`] features per average (`v|s|0` ... `v|s|49`; `l`, `r`, `n`
    /// for a located target): the mean of the vectors of the block's words found in the
    /// GloVe table, minus the mean of all the table's vectors, scaled to norm
    /// [`VECTOR_WEIGHT`]. A block without such words has no features.
    pub(super) fn vectors(&mut self) {
        let g = glove();
        let n = self.masked.len();
        // Per block (in the order of BLOCKS): the sum of the vectors and their number.
        // One lookup per word: with a target, the sentence's sum is left + right.
        let mut sums = [[0f32; DIM]; 4];
        let mut counts = [0usize; 4];
        let window = self.target_pos.map_or((0, 0), |p| {
            (
                p.saturating_sub(VECTOR_WINDOW),
                (p + 1 + VECTOR_WINDOW).min(n),
            )
        });
        let mut share = self.vector_share.take();
        let own: Vec<Option<u32>>;
        let (rows, left) = match (share.as_deref_mut(), self.target_pos) {
            (Some(sh), Some(p)) => {
                sh.fit(&self.masked, g);
                (&sh.rows[..], Some((sh.prefix[p], sh.prefix_count[p])))
            }
            _ => {
                own = RowCache::with(|cache| {
                    (0..n)
                        .map(|i| {
                            self.is_text(i)
                                .then(|| g.row_cached(self.masked[i], cache))
                                .flatten()
                        })
                        .collect()
                });
                (&own[..], None)
            }
        };
        // (with a shared prefix sum, the left block is read from it: the same additions
        // in the same order, so the same bits)
        let first = match (left, self.target_pos) {
            (Some((sum, count)), Some(p)) => {
                sums[1] = sum;
                counts[1] = count;
                p
            }
            _ => 0,
        };
        for (i, row) in rows.iter().enumerate() {
            let Some(row) = *row else { continue };
            if window.0 <= i && i < window.1 {
                g.add_vector(row, &mut sums[3]);
                counts[3] += 1;
            }
            if i < first {
                continue;
            }
            let b = match self.target_pos {
                None => 0,
                Some(p) if i < p => 1,
                Some(_) => 2,
            };
            g.add_vector(row, &mut sums[b]);
            counts[b] += 1;
        }
        self.vector_share = share;
        let mut ranges = [(0, n), (0, 0), (0, 0), window];
        if let Some(p) = self.target_pos {
            let (l, r) = (sums[1], sums[2]);
            for (s, (a, b)) in sums[0].iter_mut().zip(l.iter().zip(&r)) {
                *s = a + b;
            }
            counts[0] = counts[1] + counts[2];
            ranges[1] = (0, p);
            ranges[2] = (p + 1, n);
        }
        let (base, conj_base) = self.block_bases("v|", (BLOCKS.len() * DIM) as u64);
        self.reserve(BLOCKS.len() * DIM);
        for b in 0..BLOCKS.len() {
            if counts[b] == 0 {
                continue;
            }
            let mut v = sums[b];
            let mut sq = 0f32;
            for (s, m) in v.iter_mut().zip(&g.mean) {
                *s = *s / counts[b] as f32 - m;
                sq += *s * *s;
            }
            if sq <= 0.0 {
                continue;
            }
            let f = VECTOR_WEIGHT / sq.sqrt();
            for (j, s) in v.iter().enumerate() {
                let at = (b * DIM + j) as u64;
                self.push(
                    || format!("v|{}|{j}", BLOCKS[b]),
                    |key| (if key.is_some() { conj_base } else { base }) + at,
                    s * f,
                    ranges[b],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Extractor, FeatureConfig, Input};
    use crate::text::tokenize::TokenPipeline;
    use std::collections::BTreeMap;

    fn extractor(vectors: bool) -> Extractor {
        let mut config = FeatureConfig::default();
        config.extras.vectors = vectors;
        Extractor::new(config, TokenPipeline::default())
    }

    /// The valued features of an input by name.
    fn valued(e: &Extractor, input: &Input) -> BTreeMap<String, f32> {
        let tokens = e.tokens(input.text).unwrap();
        e.valued(&tokens, input, true)
            .into_iter()
            .map(|b| (b.names[0].clone(), b.value))
            .collect()
    }

    /// The block's expected values: the mean of the words' vectors minus the mean of all
    /// vectors, scaled to norm VECTOR_WEIGHT.
    fn block(words: &[&str]) -> Vec<f32> {
        let g = glove();
        let mut sum = [0f32; DIM];
        for w in words {
            g.add_vector(g.lookup(w).unwrap().1, &mut sum);
        }
        let v: Vec<f32> = sum
            .iter()
            .zip(&g.mean)
            .map(|(s, m)| s / words.len() as f32 - m)
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x * VECTOR_WEIGHT / norm).collect()
    }

    fn check(got: &BTreeMap<String, f32>, b: &str, words: &[&str]) {
        for (j, want) in block(words).into_iter().enumerate() {
            let v = got[&format!("v|{b}|{j}")];
            assert!((v - want).abs() < 1e-5, "v|{b}|{j}: {v} vs {want}");
        }
    }

    #[test]
    fn averages_of_the_sentence_the_sides_and_the_window() {
        // "Oman" (the target) and "Iran" (another actor) are masked: not averaged.
        let text = "Iran said that Oman praised the long talks in Geneva warmly today";
        let input = Input {
            text,
            target_spans: &[(15, 19)],
            other_spans: &[(0, 4)],
            target_key: Some("oman"),
        };
        assert!(valued(&extractor(false), &input).is_empty());
        let e = extractor(true);
        let got = valued(&e, &input);
        assert_eq!(got.len(), 4 * DIM, "{got:?}");
        let right = [
            "praised", "the", "long", "talks", "in", "geneva", "warmly", "today",
        ];
        check(&got, "s", &[&["said", "that"][..], &right].concat());
        check(&got, "l", &["said", "that"]);
        check(&got, "r", &right);
        check(
            &got,
            "n",
            &["said", "that", "praised", "the", "long", "talks"],
        );
        // A bias row (the sentence alone) has the sentence's block only, with the actors'
        // words in it.
        let sentence = valued(&e, &Input::sentence(text));
        assert_eq!(sentence.len(), DIM);
        check(
            &sentence,
            "s",
            &[&["iran", "said", "that", "oman"][..], &right].concat(),
        );
        // A topic row gets a copy conjoined with the topic.
        let topic = Input {
            target_key: Some("atheism"),
            ..Input::sentence("God is great")
        };
        let got = valued(&e, &topic);
        assert_eq!(got.len(), 2 * DIM);
        assert_eq!(got["v|s|3"], got["atheism#v|s|3"]);
        check(&got, "s", &["god", "is", "great"]);
    }

    /// Rows scored one after another with a [`VectorShare`] get the very bits of rows
    /// built alone, whatever the order of the actors, and after a row masked otherwise.
    #[test]
    fn shared_rows_equal_rows_built_alone() {
        let e = extractor(true);
        let text = "Iran said that Oman praised the long talks in Geneva warmly, Qatar agreed";
        let tokens = e.tokens(text).unwrap();
        let inputs = |t: &'static [(usize, usize)], o: &'static [(usize, usize)]| Input {
            text,
            target_spans: t,
            other_spans: o,
            target_key: Some("k"),
        };
        let rows = [
            inputs(&[(15, 19)], &[(0, 4), (61, 66)]),
            inputs(&[(0, 4)], &[(15, 19), (61, 66)]),
            inputs(&[(61, 66)], &[(0, 4), (15, 19)]),
            // another shape: Qatar is not masked
            inputs(&[(15, 19)], &[(0, 4)]),
            inputs(&[(0, 4)], &[(15, 19), (61, 66)]),
        ];
        let mut share = VectorShare::default();
        for input in &rows {
            let (mut alone, mut shared) = (Vec::new(), Vec::new());
            e.valued_into(&tokens, input, &mut alone);
            e.valued_into_shared(&tokens, input, &mut share, &mut shared);
            assert!(!alone.is_empty());
            let bits = |v: &[(u32, f32)]| v.iter().map(|(i, x)| (*i, x.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&alone), bits(&shared), "{input:?}");
        }
    }

    /// The features land in the weighted row as they are (no IDF, no group norm), and
    /// the rows built with and without names agree.
    #[test]
    fn valued_features_join_the_row_unweighted() {
        let e = extractor(true);
        let input = Input {
            text: "Critics say Oman quietly helped both sides.",
            target_spans: &[(12, 16)],
            other_spans: &[],
            target_key: Some("oman"),
        };
        let (row, named) = e.row_named(&input).unwrap();
        assert_eq!(e.row(&input).unwrap(), row);
        let plain = extractor(false).row(&input).unwrap();
        assert!(row.indices.len() > plain.indices.len());
        let block = named
            .iter()
            .find(|b| b.names.iter().any(|n| n == "v|l|0"))
            .unwrap();
        let tokens = e.tokens(input.text).unwrap();
        let v = e.valued(&tokens, &input, false);
        assert!(v
            .iter()
            .any(|b| b.index == block.index && b.value == block.value));
        // The block's spans cover "Critics say".
        assert_eq!(block.spans, [(0, 11)]);
    }
}
