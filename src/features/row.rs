//! What features are extracted for and what they become: inputs, hit counts, document
//! frequencies and named buckets.

use super::group::Group;

/// What to extract features for: a text and, for a stance row, the mention spans.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub text: &'a str,
    /// Character spans of the scored actor's mentions (empty: no located target).
    pub target_spans: &'a [(usize, usize)],
    /// Character spans of other actors' mentions.
    pub other_spans: &'a [(usize, usize)],
    /// Target key for conjoined copies (the topic or actor name), if any.
    pub target_key: Option<&'a str>,
}

impl<'a> Input<'a> {
    /// The input of a bias row: the sentence alone, with no target and no other actor.
    pub fn sentence(text: &'a str) -> Input<'a> {
        Input {
            text,
            target_spans: &[],
            other_spans: &[],
            target_key: None,
        }
    }
}

/// Feature hits of one input before weighting: (group, bucket, count), sorted by bucket
/// then group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRow {
    pub entries: Vec<(Group, u32, u32)>,
    /// Valued features (the `vectors` and `subjectivity` extras) as (bucket, final
    /// value): added to the row after weighting (their buckets count in document
    /// frequencies, see [`DfCounter::add`], but get no IDF).
    pub valued: Vec<(u32, f32)>,
}

impl RawRow {
    /// Count hits given as their [`row_key`]s.
    pub(super) fn from_hits(mut hits: Vec<u64>) -> RawRow {
        hits.sort_unstable();
        let mut entries: Vec<(Group, u32, u32)> = Vec::with_capacity(hits.len() / 2);
        let mut last = u64::MAX;
        for h in hits {
            if h == last {
                entries.last_mut().expect("a previous entry").2 += 1;
            } else {
                entries.push((Group::from_index((h & 0xff) as usize), (h >> 8) as u32, 1));
                last = h;
            }
        }
        RawRow {
            entries,
            valued: Vec::new(),
        }
    }
}

/// The key a raw row sorts a hit by: bucket-major (`bucket << 8 | group`), so that the
/// groups of one bucket are adjacent (the scorer's hits, [`super::hit`], are group-major).
#[inline]
pub(super) fn row_key(g: Group, bucket: u32) -> u64 {
    (bucket as u64) << 8 | g.seed()
}

/// Document frequency of every bucket over rows added one at a time.
#[derive(Debug, Clone)]
pub struct DfCounter {
    /// Rows containing each bucket.
    pub df: Vec<u32>,
    /// Rows added.
    pub rows: u64,
}

impl DfCounter {
    pub fn new(buckets: usize) -> DfCounter {
        DfCounter {
            df: vec![0; buckets],
            rows: 0,
        }
    }

    /// Add another counter's counts (of other rows).
    pub fn merge(&mut self, other: &DfCounter) {
        for (d, o) in self.df.iter_mut().zip(&other.df) {
            *d += o;
        }
        self.rows += other.rows;
    }

    /// Count the buckets of one row, its valued features' included (a bucket in several
    /// groups of the row, or also valued, counts once), as the columns of the row's
    /// weighted form: streaming training keeps its columns by these counts, as training in
    /// memory does by the weighted rows'.
    pub fn add(&mut self, r: &RawRow) {
        let mut last = u32::MAX;
        for e in &r.entries {
            if e.1 != last {
                self.df[e.1 as usize] += 1;
                last = e.1;
            }
        }
        if !r.valued.is_empty() {
            let mut valued: Vec<u32> = r
                .valued
                .iter()
                .filter(|&&(j, v)| v != 0.0 && r.entries.binary_search_by_key(&j, |e| e.1).is_err())
                .map(|&(j, _)| j)
                .collect();
            valued.sort_unstable();
            valued.dedup();
            for j in valued {
                self.df[j as usize] += 1;
            }
        }
        self.rows += 1;
    }
}

/// A bucket of a row with the readable names that landed in it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedBucket {
    pub index: u32,
    pub value: f32,
    /// Distinct feature names hashed to this bucket (more than one only on a collision).
    pub names: Vec<String>,
    /// Character spans of the text each occurrence was built from.
    pub spans: Vec<(usize, usize)>,
}
