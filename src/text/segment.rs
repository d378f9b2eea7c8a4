//! Sentence segmentation with character and byte offsets into the article.
//!
//! Uses `sentencex` (rule-based, abbreviation-aware: "U.S.", "Mr.", "Jan. 5" do not end a
//! sentence). Surrounding whitespace is trimmed from each sentence; offsets always point
//! back into the original text.
//!
//! A "sentence" longer than [`MAX_SENTENCE_CHARS`] (text without sentence punctuation: a
//! list, a table flattened to one line, hostile input) is split into pieces of at most
//! that many characters, at the last whitespace before the bound (at the bound itself
//! when a piece has no whitespace), so that the work per sentence is bounded and
//! classification time stays linear in the input's size. Real sentences are far
//! shorter, and are not split.

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

/// Longest sentence, in characters: a longer one is split (see the module's notes). The
/// longest real sentence of the shared NewsMTSC, BABE, SemEval and GMB texts has 1,135.
pub const MAX_SENTENCE_CHARS: usize = 3000;

/// Split `text` (English) into trimmed, non-empty sentences in order, none longer than
/// [`MAX_SENTENCE_CHARS`] characters.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for s in joined_titles(text, unsplit_sentences(text)) {
        split_long(text, s, MAX_SENTENCE_CHARS, &mut out);
    }
    out
}

/// Titles that `sentencex` takes for the end of a sentence ("hailed Ms. Yates as ..."
/// was cut after "Ms."); "Mr.", "Mrs.", "Dr.", "Sen." and the like it knows.
const TITLE_ABBREVIATIONS: &[&str] = &["Ms.", "Atty."];

/// `sentences` with each one that ends with a title of [`TITLE_ABBREVIATIONS`] joined to
/// the next.
fn joined_titles(text: &str, sentences: Vec<Sentence>) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::with_capacity(sentences.len());
    let mut join = false;
    for s in sentences {
        match out.last_mut() {
            Some(last) if join => {
                last.end = s.end;
                last.end_byte = s.end_byte;
            }
            _ => out.push(s),
        }
        let t = out.last().map_or("", |l| l.text(text));
        join = TITLE_ABBREVIATIONS.iter().any(|a| {
            t.strip_suffix(a)
                .is_some_and(|before| before.is_empty() || before.ends_with(char::is_whitespace))
        });
    }
    out
}

/// Push `s` to `out`, or, when it has more than `max` characters, its pieces: each of at
/// most `max` characters, ended at the last whitespace within the bound (or at the bound
/// when there is none), trimmed, non-empty.
fn split_long(text: &str, s: Sentence, max: usize, out: &mut Vec<Sentence>) {
    let max = max.max(1);
    if s.end - s.start <= max {
        out.push(s);
        return;
    }
    let (mut start, mut start_byte) = (s.start, s.start_byte);
    while start_byte < s.end_byte {
        let rest = &text[start_byte..s.end_byte];
        // Byte and character offsets of the piece's end within `rest`, and of the last
        // whitespace character seen before the bound.
        let (mut end_b, mut end_c) = (rest.len(), 0);
        let mut space: Option<(usize, usize)> = None;
        let mut fits = true;
        for (n, (i, c)) in rest.char_indices().enumerate() {
            if n == max {
                if c.is_whitespace() {
                    space = Some((i, n));
                }
                end_b = i;
                end_c = n;
                fits = false;
                break;
            }
            if c.is_whitespace() && n > 0 {
                space = Some((i, n));
            }
            end_c = n + 1;
        }
        if !fits {
            if let Some((i, n)) = space {
                end_b = i;
                end_c = n;
            }
        }
        let piece = &rest[..end_b];
        let trimmed = piece.trim_end();
        if !trimmed.is_empty() {
            out.push(Sentence {
                start,
                end: start + trimmed.chars().count(),
                start_byte,
                end_byte: start_byte + trimmed.len(),
            });
        }
        // Skip the whitespace after the piece.
        let after = &rest[end_b..];
        let lead = after.len() - after.trim_start().len();
        start += end_c + after[..lead].chars().count();
        start_byte += end_b + lead;
    }
}

/// The sentences as `sentencex` finds them, trimmed, however long.
fn unsplit_sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0, 0);
    for chunk in chunks(text, CHUNK_BYTES) {
        unsplit_chunk(text, byte, chars, chunk, &mut out);
        byte += chunk.len();
        chars += chunk.chars().count();
    }
    out
}

/// The most bytes the sentence splitter sees at once. `sentencex` takes time that grows
/// faster than the text it is given (a 20 MB line took 4.8 times as long as a 10 MB
/// one), so a longer text is cut into pieces first, at a break that ends a sentence in
/// any case (see `chunks`); texts up to this size are split exactly as before.
pub const CHUNK_BYTES: usize = 1 << 16;

/// `text` cut into consecutive pieces of about `size` bytes or less: each piece ends at
/// the first blank line after `size` bytes, else the first sentence end (". ", "? ", "!
/// " or a newline) after them, else the first whitespace, else at a character boundary,
/// looking at most `size` bytes further for each.
fn chunks(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        let window = &rest[..floor_char_boundary(rest, 2 * size)];
        let from = floor_char_boundary(window, size);
        let after = &window[from..];
        let cut = after
            .find("\n\n")
            .map(|i| i + 2)
            .or_else(|| {
                after
                    .find(['\n'])
                    .map(|i| i + 1)
                    .into_iter()
                    .chain(
                        [". ", "? ", "! "]
                            .iter()
                            .filter_map(|p| after.find(p).map(|i| i + 2)),
                    )
                    .min()
            })
            .or_else(|| after.find(char::is_whitespace).map(|i| i + 1))
            .map_or(from, |i| from + i);
        let cut = if cut == 0 { rest.len() } else { cut };
        let cut = floor_char_boundary(rest, cut).max(1);
        let cut = ceil_char_boundary(rest, cut);
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The largest character boundary of `s` at or before byte `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary of `s` at or after byte `i`.
fn ceil_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The sentences of one piece of `text` that starts at byte `byte` and character
/// `chars`, appended to `out` with offsets into `text`.
fn unsplit_chunk(text: &str, byte: usize, chars: usize, chunk: &str, out: &mut Vec<Sentence>) {
    for b in sentencex::get_sentence_boundaries("en", chunk) {
        let raw = &chunk[b.start_byte..b.end_byte];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead_chars = raw[..lead].chars().count();
        let start_byte = byte + b.start_byte + lead;
        let end_byte = start_byte + trimmed.len();
        let start = chars + b.start_index + lead_chars;
        debug_assert_eq!(&text[start_byte..end_byte], trimmed);
        out.push(Sentence {
            start,
            end: start + trimmed.chars().count(),
            start_byte,
            end_byte,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| s.text(t)).collect()
    }

    #[test]
    fn titles_sentencex_ends_on_do_not_end_a_sentence() {
        let t = "Democrats hailed Ms. Yates as a defender. Atty. Gen. Barr left. Ms.";
        let got: Vec<&str> = sentences(t).iter().map(|s| s.text(t)).collect();
        assert_eq!(got, ["Democrats hailed Ms. Yates as a defender.", "Atty. Gen. Barr left.", "Ms."]);
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

    fn check_pieces(t: &str, max: usize) -> Vec<Sentence> {
        let mut out = Vec::new();
        for s in unsplit_sentences(t) {
            split_long(t, s, max, &mut out);
        }
        let chars: Vec<char> = t.chars().collect();
        for x in &out {
            let by_chars: String = chars[x.start..x.end].iter().collect();
            assert_eq!(by_chars, x.text(t));
            assert!(x.end - x.start <= max, "{:?}", x.text(t));
            assert!(!x.text(t).is_empty() && x.text(t).trim() == x.text(t));
        }
        out
    }

    #[test]
    fn long_sentences_split_at_whitespace_within_the_bound() {
        let t = "Iran praised Oman and the United States ".repeat(300);
        let s = sentences(&t);
        assert!(s.len() > 1);
        // The pieces cover every word, in order, none cut.
        let words: Vec<&str> = s.iter().flat_map(|x| x.text(&t).split(' ')).collect();
        assert_eq!(words, t.split_whitespace().collect::<Vec<_>>());
        check_pieces(&t, MAX_SENTENCE_CHARS);
        // Small bounds: words are kept whole where they fit; a word longer than the
        // bound is cut at it; multi-byte characters keep their offsets.
        let t = "ab cdé fg\u{1F600}hij  k. Short one.";
        let p = check_pieces(t, 4);
        let texts: Vec<&str> = p.iter().map(|x| x.text(t)).collect();
        assert_eq!(
            texts,
            ["ab", "cdé", "fg\u{1F600}h", "ij", "k.", "Shor", "t", "one."]
        );
        let p = check_pieces("xxxxxxxxxx", 3);
        assert_eq!(p.len(), 4);
    }

    /// A text longer than [`CHUNK_BYTES`] is split in pieces whose sentences keep their
    /// offsets into the whole text, and pieces end where sentences end.
    #[test]
    fn long_texts_are_split_in_pieces_at_sentence_ends() {
        let one =
            "Oman praised Iran. Talks in Muscat resumed, said the envoy! Café owners cheered? ";
        let t = one.repeat(3 * CHUNK_BYTES / one.len());
        let pieces = chunks(&t, CHUNK_BYTES);
        assert!(pieces.len() >= 3, "{}", pieces.len());
        assert_eq!(pieces.concat(), t);
        for p in &pieces[..pieces.len() - 1] {
            assert!(p.len() <= 2 * CHUNK_BYTES);
            assert!(
                p.ends_with(". ") || p.ends_with("! ") || p.ends_with("? "),
                "{:?}",
                &p[p.len() - 10..]
            );
        }
        let s = sentences(&t);
        let chars: Vec<char> = t.chars().collect();
        for x in &s {
            let by_chars: String = chars[x.start..x.end].iter().collect();
            assert_eq!(by_chars, x.text(&t));
        }
        // The same sentences as the unchunked splitter finds in each repetition.
        let expected: Vec<&str> = texts(one);
        assert_eq!(s.len(), expected.len() * (3 * CHUNK_BYTES / one.len()));
        for (i, x) in s.iter().enumerate() {
            assert_eq!(x.text(&t), expected[i % expected.len()]);
        }
        // No whitespace at all: cut at character boundaries, nothing lost.
        let t = "é".repeat(CHUNK_BYTES);
        assert_eq!(chunks(&t, CHUNK_BYTES).concat(), t);
        let t = format!("a{}", "\u{1F600}".repeat(CHUNK_BYTES));
        let pieces = chunks(&t, CHUNK_BYTES);
        assert!(pieces.len() > 2);
        assert_eq!(pieces.concat(), t);
        let t = format!("a{}", "\u{3000}x".repeat(CHUNK_BYTES / 2));
        assert_eq!(chunks(&t, CHUNK_BYTES).concat(), t);
    }

    #[test]
    fn ordinary_sentences_are_not_split() {
        let t = "The U.S. envoy met Mr. Smith on Jan. 5 in Muscat. Talks resume Friday!";
        assert_eq!(sentences(t), unsplit_sentences(t));
        let long = format!("{}.", "word ".repeat(MAX_SENTENCE_CHARS / 5 - 1));
        assert_eq!(sentences(&long).len(), 1);
    }
}
