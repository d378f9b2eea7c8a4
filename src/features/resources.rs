//! Outside resources of the `vectors`, `clusters` and `subjectivity` feature families,
//! embedded in the library (`data/resources/`, see its README for sources and
//! licences) and parsed on first use, once per process: runs whose model uses none of
//! those families never parse them.

use crate::text::ner::WordClusters;
use crate::text::strtable::StrTable;
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

/// `data/resources/glove-clusters.tsv`: words and their nested cluster ids.
static CLUSTERS_TSV: &str = include_str!("../../data/resources/glove-clusters.tsv");
/// `data/resources/glove-50d-q8.bin`: the same words' GloVe 6B 50d vectors, int8.
static VECTORS_Q8: &[u8] = include_bytes!("../../data/resources/glove-50d-q8.bin");
/// `data/resources/pattern-subjectivity.tsv`: Pattern's subjectivity lexicon.
static SUBJECTIVITY_TSV: &str = include_str!("../../data/resources/pattern-subjectivity.tsv");

/// Dimensions of the word vectors.
pub(super) const DIM: usize = 50;
/// Bytes of the vector file's header.
const HEADER: usize = 24;

/// GloVe words: cluster ids, and vectors by row.
pub(super) struct Glove {
    clusters: WordClusters,
    /// Each word's vector with its scale in one cache line (a word costs one memory
    /// access, where the file's layout, scales apart from rows of 50 bytes, costs two or
    /// three).
    rows: Vec<Row>,
    /// The mean of all the words' vectors: subtracted from every averaged vector, so that
    /// what the words share (GloVe's frequent-word direction) does not dominate it.
    pub(super) mean: [f32; DIM],
}

/// One word's int8 vector and its scale.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Row {
    scale: f32,
    q: [i8; DIM],
}

impl Glove {
    /// The cluster ids plus one (64, 256 and 1024 clusters) and the vector row of a
    /// token (lowercased first when it has capitals).
    #[inline]
    pub(super) fn lookup(&self, token: &str) -> Option<([u16; 3], u32)> {
        if token.bytes().any(|b| b.is_ascii_uppercase()) || !token.is_ascii() {
            self.clusters.lookup(&token.to_lowercase())
        } else {
            self.clusters.lookup(token)
        }
    }

    /// The vector row of a token, through this thread's `cache` of recent answers
    /// (frequent words and punctuation then cost no probe of the 100,000-word table).
    #[inline]
    pub(super) fn row_cached(&self, token: &str, cache: &mut RowCache) -> Option<u32> {
        let h = if token.bytes().any(|b| b.is_ascii_uppercase()) || !token.is_ascii() {
            xxh3_64(token.to_lowercase().as_bytes())
        } else {
            xxh3_64(token.as_bytes())
        };
        let i = (h as usize) & (ROW_CACHE - 1);
        let v = cache.vals[i];
        if v != 0 && cache.keys[i] == h {
            return v.checked_sub(1).filter(|_| v != u32::MAX);
        }
        let row = self.clusters.lookup_hash(h).map(|(_, r)| r);
        cache.keys[i] = h;
        cache.vals[i] = row.map_or(u32::MAX, |r| r + 1);
        row
    }

    /// Add the vector of row `row` to `sum`.
    #[inline]
    pub(super) fn add_vector(&self, row: u32, sum: &mut [f32; DIM]) {
        let r = &self.rows[row as usize];
        for (s, &b) in sum.iter_mut().zip(&r.q) {
            *s += r.scale * b as f32;
        }
    }
}

/// Entries of a [`RowCache`] (a power of two).
const ROW_CACHE: usize = 1 << 13;

/// A direct-mapped cache of word rows by the word's hash: per entry the hash and the
/// row plus one (0: empty; `u32::MAX`: not a GloVe word). 96 KB.
pub(super) struct RowCache {
    keys: Vec<u64>,
    vals: Vec<u32>,
}

impl RowCache {
    /// Call `f` with this thread's cache.
    pub(super) fn with<R>(f: impl FnOnce(&mut RowCache) -> R) -> R {
        thread_local! {
            static CACHE: std::cell::RefCell<RowCache> = std::cell::RefCell::new(RowCache {
                keys: vec![0; ROW_CACHE],
                vals: vec![0; ROW_CACHE],
            });
        }
        CACHE.with_borrow_mut(f)
    }
}

/// The GloVe words, parsed on first use.
pub(super) fn glove() -> &'static Glove {
    static GLOVE: OnceLock<Glove> = OnceLock::new();
    GLOVE.get_or_init(|| {
        let clusters =
            WordClusters::parse(CLUSTERS_TSV).expect("the embedded cluster table parses");
        let u32_at = |at: usize| {
            u32::from_le_bytes(VECTORS_Q8[at..at + 4].try_into().expect("4 bytes")) as usize
        };
        assert_eq!(
            &VECTORS_Q8[..8],
            b"GLOVEQ8\0",
            "the embedded vectors' magic"
        );
        let (words, dim) = (u32_at(12), u32_at(16));
        assert!(
            dim == DIM && words == clusters.len() && VECTORS_Q8.len() == HEADER + words * (4 + DIM),
            "the embedded vectors match the cluster table"
        );
        let scale_at = |r: usize| {
            let at = HEADER + 4 * r;
            f32::from_le_bytes(VECTORS_Q8[at..at + 4].try_into().expect("4 bytes"))
        };
        let rows: Vec<Row> = (0..words)
            .map(|r| {
                let q = &VECTORS_Q8[HEADER + 4 * words + DIM * r..][..DIM];
                Row {
                    scale: scale_at(r),
                    q: std::array::from_fn(|j| q[j] as i8),
                }
            })
            .collect();
        let mut glove = Glove {
            clusters,
            rows,
            mean: [0.0; DIM],
        };
        let mut sum = [0f32; DIM];
        for r in 0..words {
            glove.add_vector(r as u32, &mut sum);
        }
        for (m, s) in glove.mean.iter_mut().zip(sum) {
            *m = s / words as f32;
        }
        glove
    })
}

/// A word's prior polarity (-1..1) and subjectivity (0..1) in Pattern's lexicon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Subjective {
    pub(super) polarity: f32,
    pub(super) subjectivity: f32,
}

/// Pattern's single-word entries, parsed on first use.
fn subjectivity_table() -> &'static StrTable<Subjective> {
    static TABLE: OnceLock<StrTable<Subjective>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = StrTable::default();
        for line in SUBJECTIVITY_TSV.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 5, "subjectivity line {line:?}");
            if cols[0].contains(' ') {
                // Multi-word forms ("for sure"): features look at single tokens.
                continue;
            }
            let num = |s: &str| {
                s.parse::<f32>()
                    .expect("a number in the subjectivity table")
            };
            let entry = Subjective {
                polarity: num(cols[1]),
                subjectivity: num(cols[2]),
            };
            table.get_or_insert_with(cols[0], || entry);
        }
        table
    })
}

/// The Pattern entry of a token (lowercased first when it has capitals).
#[inline]
pub(super) fn subjective(token: &str) -> Option<Subjective> {
    let table = subjectivity_table();
    if token.chars().any(char::is_uppercase) {
        table.get(token.to_lowercase().as_bytes()).copied()
    } else {
        table.get(token.as_bytes()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_resources_parse_and_agree_with_their_readme() {
        let g = glove();
        assert_eq!(g.rows.len(), 100_000);
        // "the" is row 0, in cluster 0 at every level; its vector starts as in the
        // published glove.6B.50d.txt (to int8 precision).
        assert_eq!(g.lookup("the"), Some(([1, 1, 1], 0)));
        assert_eq!(g.lookup("The"), g.lookup("the"));
        let mut v = [0f32; DIM];
        g.add_vector(0, &mut v);
        for (x, want) in v.iter().zip([0.418, 0.24968, -0.41242, 0.1217, 0.34527]) {
            assert!((x - want).abs() < 0.01, "{x} vs {want}");
        }
        assert!(g.lookup("<t>").is_none());
        // The cached rows are the table's, on first sight and after.
        for _ in 0..2 {
            RowCache::with(|c| {
                for w in ["the", "The", "praised", "<t>", ",", "zzzqqq", "Genève"] {
                    assert_eq!(g.row_cached(w, c), g.lookup(w).map(|(_, r)| r), "{w}");
                }
            });
        }
        // Nested ids: "praised" and "lauded" share their finest cluster.
        let (p, _) = g.lookup("praised").unwrap();
        let (l, _) = g.lookup("lauded").unwrap();
        assert_eq!(p, l);
        let s = subjective("Amazing").unwrap();
        assert!(s.polarity > 0.3 && s.subjectivity > 0.5, "{s:?}");
        assert!(subjective("the").is_none());
        assert!(subjective("for sure").is_none());
    }
}
