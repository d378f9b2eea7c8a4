//! Sentence segmentation with character and byte offsets into the article.
//!
//! Uses `sentencex` (rule-based, abbreviation-aware: "U.S.", "Mr.", "Jan. 5" do not end a
//! sentence). Surrounding whitespace is trimmed from each sentence; offsets always point
//! back into the original text.

/// One sentence of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Character offsets (Unicode scalar values) in the article, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Byte offsets in the article, end exclusive.
    pub start_byte: usize,
    pub end_byte: usize,
}

impl Sentence {
    /// The sentence's text in `article`.
    pub fn text<'a>(&self, article: &'a str) -> &'a str {
        &article[self.start_byte..self.end_byte]
    }
}

/// Split `text` (English) into trimmed, non-empty sentences in order.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for b in sentencex::get_sentence_boundaries("en", text) {
        let raw = &text[b.start_byte..b.end_byte];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead_chars = raw[..lead].chars().count();
        let start_byte = b.start_byte + lead;
        let end_byte = start_byte + trimmed.len();
        let start = b.start_index + lead_chars;
        out.push(Sentence {
            start,
            end: start + trimmed.chars().count(),
            start_byte,
            end_byte,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| s.text(t)).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let t = "The U.S. envoy met Mr. Smith on Jan. 5 in Muscat. Sen. Graham (R-S.C.) objected. Talks resume Friday!";
        assert_eq!(
            texts(t),
            [
                "The U.S. envoy met Mr. Smith on Jan. 5 in Muscat.",
                "Sen. Graham (R-S.C.) objected.",
                "Talks resume Friday!"
            ]
        );
    }

    #[test]
    fn offsets_are_characters_and_bytes() {
        let t = "  Café talks failed.  Iran's envoy left.\n\nHeadline without stop\n\nNext one.";
        let s = sentences(t);
        assert_eq!(s.len(), 4);
        let chars: Vec<char> = t.chars().collect();
        for x in &s {
            let by_chars: String = chars[x.start..x.end].iter().collect();
            assert_eq!(by_chars, x.text(t));
        }
        assert_eq!(s[0].text(t), "Café talks failed.");
        assert_eq!(s[2].text(t), "Headline without stop");
    }
}
