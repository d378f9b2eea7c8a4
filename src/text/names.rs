//! First names and surnames of the US Census 1990 (public domain), for telling people's
//! names from places' in discovery: `data/resources/census-names.tsv`, made by
//! `data/tools/derive_names.py` from the PyPI package `names` 0.3.0 (see
//! `data/resources/README.md`), embedded in the library and parsed on first use.

use super::strtable::StrTable;
use std::sync::OnceLock;

static NAMES_TSV: &str = include_str!("../../data/resources/census-names.tsv");

/// Which sex a first name belongs to in the Census lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstName {
    /// At least four times as frequent among men as among women.
    Male,
    /// At least four times as frequent among women as among men.
    Female,
    /// On both lists, neither four times the other.
    Either,
}

#[derive(Clone, Copy)]
struct Entry {
    first: Option<FirstName>,
    surname: bool,
}

fn table() -> &'static StrTable<Entry> {
    static TABLE: OnceLock<StrTable<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = StrTable::default();
        for line in NAMES_TSV.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(word), Some(first), Some(sur)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let first = match first {
                "m" => Some(FirstName::Male),
                "f" => Some(FirstName::Female),
                "u" => Some(FirstName::Either),
                _ => None,
            };
            t.get_or_insert_with(word, || Entry {
                first,
                surname: sur == "s",
            });
        }
        t
    })
}

fn entry(word: &str) -> Option<Entry> {
    if !word.is_ascii() || word.len() > 32 {
        return None;
    }
    let mut buf = [0u8; 32];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    table().get(lower).copied()
}

/// The sex of a first name of the Census lists (any case), if `word` is one.
pub fn first_name(word: &str) -> Option<FirstName> {
    entry(word).and_then(|e| e.first)
}

/// Whether `word` (any case) is a surname held by at least 0.001% of the 1990 US
/// population.
pub fn is_surname(word: &str) -> bool {
    entry(word).is_some_and(|e| e.surname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_parsed_whole() {
        let n = NAMES_TSV.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(table().len(), n);
        assert_eq!(first_name("ROY"), Some(FirstName::Male));
        assert_eq!(first_name("kelly"), Some(FirstName::Female));
        assert!(is_surname("Kelly") && is_surname("Mattis"));
        assert!(first_name("Paris").is_some() && !is_surname("Theresa"));
        assert!(first_name("Ankara").is_none() && !is_surname("Ankara"));
        assert!(first_name("Zoë").is_none() && first_name("").is_none());
    }
}
