//! A small word tokenizer for the tagger, with character (code point) offsets.
//!
//! The rules follow the Groningen Meaning Bank's tokens as they appear in detokenized
//! news text: whitespace separates; a run of letters and digits is a word and may hold
//! an inner `.`, `'`, `&` or `/` followed by a letter or digit ("U.S", "O'Brien", "AT&T");
//! a hyphen is always a token of its own ("al - Qaida" style, so "U.S.-led" gives "U.S.",
//! "-", "led"); the clitics 's, 'd, 'll, 're, 've, 'm and n't are split off; a trailing
//! period stays on a word that already holds one ("U.S."), on a single capital ("W.")
//! and on a known abbreviation ("Mr.", "Gen.", "Inc."); any other character is a token
//! of its own.

/// One token: `start..end` in characters (end exclusive), and the same in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First character (code point index into the text).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// First byte.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Abbreviations that keep their trailing period (compared without it, case sensitive).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Maj", "Adm",
    "St", "Jr", "Sr", "Prof", "Rev", "Inc", "Corp", "Ltd", "Co", "No", "Mt", "Ft", "Jan", "Feb",
    "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "vs", "etc", "Pres", "Gens", "Cmdr",
    "Brig", "Messrs", "Mmes", "Reps", "Sens", "Bros",
];

const CLITICS: &[&str] = &["s", "d", "ll", "re", "ve", "m"];

fn is_clitic(chars: &[(usize, char)], from: usize) -> Option<usize> {
    // `from` points just after the apostrophe; returns the index after the clitic.
    let mut k = from;
    while k < chars.len() && chars[k].1.is_alphabetic() && k - from < 3 {
        k += 1;
    }
    if k == from || (k < chars.len() && chars[k].1.is_alphanumeric()) {
        return None;
    }
    let mut buf = [0u8; 8];
    let mut len = 0;
    for &(_, c) in &chars[from..k] {
        let lc = c.to_ascii_lowercase();
        if !lc.is_ascii() {
            return None;
        }
        buf[len] = lc as u8;
        len += 1;
    }
    let s = std::str::from_utf8(&buf[..len]).ok()?;
    CLITICS.contains(&s).then_some(k)
}

/// Splits `text` into tokens (see the module documentation for the rules).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut out);
    out
}

/// [`tokenize`] into a reused vector (cleared first).
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    thread_local! {
        static CHARS: std::cell::RefCell<Vec<(usize, char)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CHARS.with(|buf| match buf.try_borrow_mut() {
        Ok(mut chars) => tokenize_chars(text, &mut chars, out),
        Err(_) => tokenize_chars(text, &mut Vec::new(), out),
    })
}

/// [`tokenize_into`] with a reused buffer for the text's characters.
fn tokenize_chars(text: &str, chars: &mut Vec<(usize, char)>, out: &mut Vec<Token>) {
    out.clear();
    chars.clear();
    chars.extend(text.char_indices());
    let chars = &chars[..];
    let n = chars.len();
    let byte_at = |k: usize| if k < n { chars[k].0 } else { text.len() };
    let push = |out: &mut Vec<Token>, a: usize, b: usize| {
        out.push(Token {
            start: a,
            end: b,
            byte_start: byte_at(a),
            byte_end: byte_at(b),
        })
    };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            let mut has_period = false;
            while j < n {
                let d = chars[j].1;
                if d.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                if matches!(d, '.' | '\'' | '\u{2019}' | '&' | '/')
                    && j + 1 < n
                    && chars[j + 1].1.is_alphanumeric()
                {
                    if (d == '\'' || d == '\u{2019}')
                        && (is_clitic(chars, j + 1).is_some()
                            || (matches!(chars[j - 1].1, 'n' | 'N')
                                && matches!(chars[j + 1].1, 't' | 'T')
                                && (j + 2 == n || !chars[j + 2].1.is_alphanumeric())))
                    {
                        break;
                    }
                    has_period |= d == '.';
                    j += 2;
                    continue;
                }
                break;
            }
            // "don't" -> "do" + "n't"
            if j - i > 1
                && matches!(chars[j - 1].1, 'n' | 'N')
                && j + 1 < n
                && matches!(chars[j].1, '\'' | '\u{2019}')
                && matches!(chars[j + 1].1, 't' | 'T')
                && (j + 2 == n || !chars[j + 2].1.is_alphanumeric())
            {
                push(out, i, j - 1);
                push(out, j - 1, j + 2);
                i = j + 2;
                continue;
            }
            if j < n && chars[j].1 == '.' {
                let word = &text[byte_at(i)..byte_at(j)];
                let single_cap = j - i == 1 && c.is_uppercase();
                if has_period || single_cap || ABBREVIATIONS.contains(&word) {
                    j += 1;
                }
            }
            push(out, i, j);
            i = j;
            continue;
        }
        if c == '\'' || c == '\u{2019}' {
            if let Some(k) = is_clitic(chars, i + 1) {
                push(out, i, k);
                i = k;
                continue;
            }
        }
        push(out, i, i + 1);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_news_text() {
        assert_eq!(
            words("Mr. Bush's U.S.-led forces don't stay in al-Qaida's area, 1950 - 53."),
            vec![
                "Mr.", "Bush", "'s", "U.S.", "-", "led", "forces", "do", "n't", "stay", "in", "al",
                "-", "Qaida", "'s", "area", ",", "1950", "-", "53", "."
            ]
        );
        assert_eq!(
            words("AT&T and O'Brien paid $3.5 (FAO)"),
            vec!["AT&T", "and", "O'Brien", "paid", "$", "3.5", "(", "FAO", ")"]
        );
    }

    #[test]
    fn offsets_are_chars() {
        let text = "Zürich é Ünal.";
        let toks = tokenize(text);
        assert_eq!((toks[0].start, toks[0].end), (0, 6));
        assert_eq!((toks[1].start, toks[1].end), (7, 8));
        assert_eq!((toks[2].start, toks[2].end), (9, 13));
        assert_eq!(toks[2].text(text), "Ünal");
        assert_eq!((toks[3].start, toks[3].end), (13, 14));
    }
}
