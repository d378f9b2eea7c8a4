//! Surface shape of the sentence (the `shape` extra): exclamation and question marks,
//! ALL-CAPS words, scare quotes and quotations, first- and second-person pronouns.

use super::group::Group;
use super::hash::name_hash;
use super::visit::Visit;
use super::{OTHER, TARGET};

impl Visit<'_, '_, '_> {
    fn shape_feature(&mut self, feature: &str, i: usize) {
        self.emit(
            Group::SHAPE,
            name_hash(feature, Group::SHAPE),
            feature,
            i,
            i + 1,
        );
    }

    /// The shape features of a non-empty masked sentence.
    pub(super) fn shape(&mut self) {
        let bucket = |n: usize| match n {
            0 => None,
            1 => Some("1"),
            2 | 3 => Some("2"),
            _ => Some("4"),
        };
        // Emitting reads the spans, not the tokens: lend them out for the pass.
        let masked = std::mem::take(&mut self.masked);
        let count = |f: &dyn Fn(&str) -> bool| masked.iter().filter(|t| f(t)).count();
        let last = masked.len() - 1;
        if let Some(b) = bucket(count(&|t| t == "!")) {
            self.shape_feature(&format!("s|excl|{b}"), last);
        }
        if let Some(b) = bucket(count(&|t| t == "?")) {
            self.shape_feature(&format!("s|quest|{b}"), last);
        }
        // ALL-CAPS words of three letters or more, in the original text.
        let mut caps = 0;
        let mut first_caps = 0;
        for (i, t) in masked.iter().enumerate() {
            if [TARGET, OTHER].contains(t) || t.chars().filter(|c| c.is_alphabetic()).count() < 3 {
                continue;
            }
            let (a, b) = self.spans[i];
            let original: String = self.input.text.chars().skip(a).take(b - a).collect();
            if original
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_uppercase())
            {
                if caps == 0 {
                    first_caps = i;
                }
                caps += 1;
            }
        }
        if let Some(b) = bucket(caps) {
            self.shape_feature(&format!("s|caps|{b}"), first_caps);
        }
        self.quotes(&masked);
        for (i, t) in masked.iter().enumerate() {
            let person = match *t {
                "i" | "me" | "my" | "mine" | "myself" => "s|p1sg",
                "we" | "us" | "our" | "ours" | "ourselves" => "s|p1pl",
                "you" | "your" | "yours" | "yourself" | "yourselves" => "s|p2",
                _ => continue,
            };
            self.shape_feature(person, i);
        }
        self.masked = masked;
    }

    /// Quotation marks: one or two words between an opening and a closing mark are scare
    /// quotes; an ASCII apostrophe opens only after a space (not "isn't").
    fn quotes(&mut self, masked: &[&str]) {
        let is_quote = |t: &str| matches!(t, "\"" | "“" | "”" | "‘" | "’" | "'" | "«" | "»");
        let mut scare_marks = vec![false; masked.len()];
        for (q, t) in masked.iter().enumerate() {
            if !is_quote(t) || scare_marks[q] {
                continue;
            }
            if *t == "'" && q > 0 && self.spans[q - 1].1 == self.spans[q].0 {
                continue;
            }
            let close = (q + 2..(q + 4).min(masked.len())).find(|&c| is_quote(masked[c]));
            if let Some(c) = close {
                let words = &masked[q + 1..c];
                if words.iter().all(|w| w.chars().any(char::is_alphanumeric)) {
                    scare_marks[q] = true;
                    scare_marks[c] = true;
                    self.shape_feature("s|scare", q + 1);
                }
            }
        }
        if let Some(q) = (0..masked.len())
            .find(|&q| !scare_marks[q] && matches!(masked[q], "\"" | "“" | "”" | "«" | "»"))
        {
            self.shape_feature("s|quote", q);
        }
    }
}
