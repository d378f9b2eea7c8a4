//! Datelines: the place (and agency, and date) that opens a news story's body, as in
//! "WASHINGTON —", "PORT SUDAN, Sudan -", "GENEVA (Reuters) -", "LONDON, Dec 3 (AP) —"
//! or "Geneva - Despite ...". A dateline says where the story was filed; the place in it
//! does not act, so its words are not actor mentions.
//!
//! A dateline is looked for at the start of the article's first two paragraphs (the
//! first is often the headline): a place written in capitals or capitalized words
//! (with periods, apostrophes and hyphens inside), optionally followed by a comma and
//! capitalized words or a date, optionally an agency in parentheses, then a dash with a
//! space before it, all within [`MAX_LEN`] characters; the story after it starts with a
//! capital, a digit or a quotation mark.

/// Longest dateline, in characters (dash included).
pub const MAX_LEN: usize = 80;

/// The character span of the article's dateline (from its first character to the end
/// of the dash), if it has one.
pub fn dateline(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for (n, para) in text.split("\n\n").enumerate() {
        if n >= 2 {
            break;
        }
        let lead = para.chars().take_while(|c| c.is_whitespace()).count();
        let body: String = para.chars().skip(lead).take(MAX_LEN + 1).collect();
        if let Some(len) = match_dateline(&body) {
            return Some((offset + lead, offset + lead + len));
        }
        offset += para.chars().count() + 2;
    }
    None
}

/// The length in characters of the dateline `s` starts with, if any.
fn match_dateline(s: &str) -> Option<usize> {
    let chars: Vec<char> = s.chars().collect();
    // The dash: " -", " –" or " —" followed by a space (or the dash alone after a
    // closing parenthesis), within the limit.
    let dash = (1..chars.len().min(MAX_LEN)).find(|&i| {
        matches!(chars[i], '-' | '–' | '—')
            && chars[i - 1] == ' '
            && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
    })?;
    // The story starts after it, with a capital, a digit or a quotation mark.
    let next = chars[dash + 1..].iter().find(|c| !c.is_whitespace())?;
    if !(next.is_uppercase() || next.is_ascii_digit() || matches!(next, '"' | '“' | '\'')) {
        return None;
    }
    let head: String = chars[..dash - 1].iter().collect();
    let (place, rest) = match head.find(['(', ',']) {
        Some(i) => (&head[..i], &head[i..]),
        None => (head.as_str(), ""),
    };
    if !is_place(place.trim()) {
        return None;
    }
    // After the place: ", Capitalized Words" or ", a date", then an agency in
    // parentheses; nothing else.
    let mut rest = rest.trim();
    if let Some(r) = rest.strip_prefix(',') {
        let (part, after) = match r.find('(') {
            Some(i) => (&r[..i], &r[i..]),
            None => (r, ""),
        };
        let words_ok = part.split_whitespace().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | ',' | '\'' | '-'))
        });
        if !words_ok || part.trim().is_empty() {
            return None;
        }
        rest = after.trim();
    }
    if !rest.is_empty() {
        let agency = rest.strip_prefix('(')?.strip_suffix(')')?;
        if agency.is_empty() || !agency.chars().next()?.is_uppercase() || agency.len() > 30 {
            return None;
        }
    }
    Some(dash + 1)
}

/// A place as datelines write it: one to four words, each all capitals or capitalized,
/// of letters with periods, apostrophes or hyphens inside.
fn is_place(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(text: &str) -> Option<String> {
        dateline(text).map(|(a, b)| text.chars().skip(a).take(b - a).collect())
    }

    #[test]
    fn datelines_of_wire_styles_are_found() {
        let cases = [
            ("WASHINGTON — The Senate voted.", "WASHINGTON —"),
            (
                "Headline here\n\nPORT SUDAN, Sudan - The WFP said.",
                "PORT SUDAN, Sudan -",
            ),
            ("GENEVA (Reuters) - Talks resumed.", "GENEVA (Reuters) -"),
            (
                "LONDON, Dec 3 (AP) — Ministers met.",
                "LONDON, Dec 3 (AP) —",
            ),
            (
                "Geneva - Despite reported progress, talks stalled.",
                "Geneva -",
            ),
            (
                "ST. PETERSBURG, Russia – The forum opened.",
                "ST. PETERSBURG, Russia –",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(covered(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn sentences_with_dashes_are_not_datelines() {
        for text in [
            "Iran - a country under sanctions - said no.",
            "The minister said - again - that talks were over.",
            "Headline\n\nFirst paragraph.\n\nWASHINGTON - third paragraph.",
            "President Biden, speaking late - said no.",
            "",
        ] {
            assert_eq!(covered(text), None, "{text}");
        }
    }
}
