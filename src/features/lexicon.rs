//! Prior polarity from the VADER lexicon: which words are sentiment words, negation
//! scope, and the polarity features around the target.

use super::group::Group;
use super::hash::name_hash;

/// Words that flip the polarity of the sentiment words after them (up to 3 tokens).
const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "nor", "neither", "hardly", "barely", "scarcely", "nothing",
    "none", "nobody", "cannot", "lack", "lacks", "lacked", "rarely", "seldom",
];

/// VADER valence of a normalized token, if it is a sentiment word.
///
/// `vader_sentiment::LEXICON` is keyed case-insensitively and hashed with SipHash; this
/// copy is keyed by the lowercased word in a [`crate::text::strtable::StrTable`] (tokens are
/// usually lowercase already), which made lookups several times cheaper. Same answers
/// (tested).
pub(crate) fn valence(t: &str) -> Option<f64> {
    static TABLE: std::sync::OnceLock<crate::text::strtable::StrTable<f64>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = crate::text::strtable::StrTable::default();
        for (k, &v) in vader_sentiment::LEXICON.iter() {
            table.get_or_insert_with(&k.to_lowercase(), || v);
        }
        table
    });
    let find = |t: &str| table.get(t.as_bytes()).copied();
    if t.chars().any(char::is_uppercase) {
        find(&t.to_lowercase())
    } else {
        find(t)
    }
}

impl super::visit::Visit<'_, '_, '_> {
    /// Polarity features of the VADER sentiment words: polarity and strength, flipped in
    /// a negation's scope (the 3 tokens after it), and by side of and distance to the
    /// target, and inside its clause.
    pub(super) fn lexicon(&mut self, name: &mut String) {
        let mut negated_until = 0usize;
        for i in 0..self.masked.len() {
            let t = self.masked[i];
            if NEGATORS.contains(&t) || (t == "t" && i > 0 && self.masked[i - 1] == "'") {
                negated_until = i + 4;
                continue;
            }
            let Some(v) = self.valence_at(i) else { continue };
            let flipped = i < negated_until;
            let positive = (v > 0.0) != flipped;
            let pol = if positive { "pos" } else { "neg" };
            let strength = if v.abs() >= 2.0 { "strong" } else { "weak" };
            let mut lex = |v: &mut Self, parts: &[&str]| {
                name.clear();
                name.push_str("x|");
                for (j, part) in parts.iter().enumerate() {
                    if j > 0 {
                        name.push('|');
                    }
                    name.push_str(part);
                }
                v.emit(
                    Group::LEXICON,
                    name_hash(name, Group::LEXICON),
                    name,
                    i,
                    i + 1,
                );
            };
            lex(self, &[pol]);
            lex(self, &[pol, strength]);
            if flipped {
                lex(self, &["negated", t]);
            }
            if let Some(p) = self.target_pos {
                let side = if i < p { "l" } else { "r" };
                let d = i.abs_diff(p);
                let dist = if d <= 3 {
                    "near"
                } else if d <= 8 {
                    "mid"
                } else {
                    "far"
                };
                lex(self, &[pol, side]);
                lex(self, &[pol, dist]);
                lex(self, &[pol, side, dist]);
                if self.clause.is_some_and(|(a, b)| a <= i && i < b) {
                    lex(self, &[pol, "clause", strength]);
                }
            }
        }
    }
}
