//! Masking of mention spans in linear time.
//!
//! Tokens come in text order and mention spans (from the matcher) are sorted and do not
//! overlap, so a cursor that moves forward over the spans finds each token's span in
//! amortized constant time: a sentence with n tokens and m mentions costs O(n + m)
//! instead of O(n x m). Spans given in another shape (unsorted or overlapping target
//! spans of a training row) fall back to a scan per token, with the same answers.

use super::{OTHER, TARGET};
use crate::text::tokenize::Token;

/// Answers "which span does this token overlap?" (the first such span in `spans`, as
/// `overlaps` does) for tokens asked in text order.
pub struct SpanCursor<'s> {
    spans: &'s [(usize, usize)],
    /// Sorted by start and non-overlapping: the cursor applies.
    sorted: bool,
    next: usize,
    last_start: usize,
}

impl<'s> SpanCursor<'s> {
    /// A cursor over `spans` (any order; sorted, disjoint spans are the fast case).
    pub fn new(spans: &'s [(usize, usize)]) -> Self {
        let sorted = spans.iter().all(|&(s, e)| s <= e)
            && spans
                .windows(2)
                .all(|w| w[0].1 <= w[1].0 && w[0].0 < w[1].1);
        SpanCursor {
            spans,
            sorted,
            next: 0,
            last_start: 0,
        }
    }

    /// Index of the first span that overlaps `t`, if any. Fast when tokens are asked in
    /// order of their start; any order gives the right answer.
    #[inline]
    pub fn find(&mut self, t: &Token) -> Option<usize> {
        if !self.sorted {
            return overlaps(t, self.spans);
        }
        if t.start < self.last_start {
            self.next = 0;
        }
        self.last_start = t.start;
        // Spans ending at or before this token's start cannot overlap it or any later
        // token.
        while self.next < self.spans.len() && self.spans[self.next].1 <= t.start {
            self.next += 1;
        }
        // Spans are disjoint and sorted, so the first that ends after the token's start
        // is the only candidate for the first overlap. An empty span (s, s) with
        // s <= t.start ends at or before it and was skipped; a later one may overlap.
        let mut i = self.next;
        while let Some(&(s, e)) = self.spans.get(i) {
            if s >= t.end {
                return None;
            }
            if t.start < e && s < t.end {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

/// Index of the first span of `spans` that overlaps the token (a scan; see
/// [`SpanCursor`] for tokens in order).
pub(crate) fn overlaps(t: &Token, spans: &[(usize, usize)]) -> Option<usize> {
    spans.iter().position(|&(s, e)| t.start < e && s < t.end)
}

/// Replace tokens inside target spans by `<t>` and inside other spans by `<o>`; the tokens
/// of one mention collapse into one placeholder. Returns the masked tokens and the
/// character span of each in the original text. Linear in tokens plus spans when the
/// spans are sorted and disjoint.
pub fn mask<'a>(
    tokens: &'a [Token],
    target: &[(usize, usize)],
    other: &[(usize, usize)],
) -> (Vec<&'a str>, Vec<(usize, usize)>) {
    let mut out: Vec<&str> = Vec::with_capacity(tokens.len());
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(tokens.len());
    let mut last: Option<(bool, usize)> = None;
    let (mut targets, mut others) = (SpanCursor::new(target), SpanCursor::new(other));
    for t in tokens {
        let hit = targets
            .find(t)
            .map(|i| (true, i))
            .or_else(|| others.find(t).map(|i| (false, i)));
        match hit {
            Some(h) if last == Some(h) => spans.last_mut().unwrap().1 = t.end,
            Some((is_target, _)) => {
                out.push(if is_target { TARGET } else { OTHER });
                spans.push((t.start, t.end));
            }
            None => {
                out.push(t.text.as_str());
                spans.push((t.start, t.end));
            }
        }
        last = hit;
    }
    (out, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn tok(start: usize, end: usize) -> Token {
        Token {
            text: format!("{start}"),
            start,
            end,
        }
    }

    /// The cursor gives the scan's answer on random tokens and spans, sorted or not.
    #[test]
    fn cursor_agrees_with_the_scan() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for round in 0..2000 {
            let mut tokens = Vec::new();
            let mut at = 0;
            for _ in 0..rng.gen_range(0..30) {
                at += rng.gen_range(0..3);
                let len = rng.gen_range(0..4);
                tokens.push(tok(at, at + len));
                at += len;
            }
            let mut spans = Vec::new();
            let mut at = 0;
            for _ in 0..rng.gen_range(0..10) {
                at += rng.gen_range(0..6);
                let len = rng.gen_range(0..6);
                spans.push((at, at + len));
                at += len;
            }
            if round % 3 == 0 && spans.len() > 1 {
                spans.swap(0, 1);
            }
            if round % 5 == 0 {
                spans.push((rng.gen_range(0..20), rng.gen_range(0..40)));
            }
            let mut c = SpanCursor::new(&spans);
            for t in &tokens {
                assert_eq!(c.find(t), overlaps(t, &spans), "{t:?} {spans:?}");
            }
        }
    }

    /// Many mentions in one sentence: masking stays linear (a quadratic scan of 200,000
    /// tokens x 100,000 spans would take minutes).
    #[test]
    fn masking_many_mentions_is_linear() {
        let n = 200_000;
        let tokens: Vec<Token> = (0..n).map(|i| tok(2 * i, 2 * i + 1)).collect();
        let target: Vec<(usize, usize)> = (0..n).step_by(4).map(|i| (2 * i, 2 * i + 1)).collect();
        let other: Vec<(usize, usize)> = (2..n).step_by(4).map(|i| (2 * i, 2 * i + 1)).collect();
        let t0 = std::time::Instant::now();
        let (masked, _) = mask(&tokens, &target, &other);
        assert!(t0.elapsed().as_secs_f64() < 5.0);
        assert_eq!(masked.iter().filter(|t| **t == TARGET).count(), n / 4);
        assert_eq!(masked.iter().filter(|t| **t == OTHER).count(), n / 4);
    }
}
