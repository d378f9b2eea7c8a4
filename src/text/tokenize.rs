//! Tokenization with Hugging Face `tokenizers`: a normalizer and a pre-tokenizer.
//!
//! The pipeline is serializable (its JSON is stored in the model file), and every token
//! keeps its character offsets in the original text, so features can point back to words
//! of the article. No subword model is applied: features are hashed n-grams of the
//! normalized words (see `features`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::{
    NormalizedString, Normalizer, NormalizerWrapper, OffsetReferential, OffsetType,
    PreTokenizedString, PreTokenizer, PreTokenizerWrapper,
};

/// A token: its normalized text and its character span in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Normalizer + pre-tokenizer from `tokenizers`.
///
/// For the configurations whose stages work character by character (no normalizer or
/// `BertNormalizer`, then `BertPreTokenizer`), tokenization goes through a per-character
/// table that is built once by running this very pipeline on each character of the
/// common Latin and punctuation blocks, and of the symbol blocks as they are met (see
/// `CharTable`); a text with any character outside those blocks goes through
/// `tokenizers` itself. Both paths give the same tokens
/// and offsets (tested on random text against `tokenizers`); the table path is about
/// 20 times faster (`cargo bench --features internals --bench stages -- tokenize`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenPipeline {
    pub normalizer: Option<NormalizerWrapper>,
    pub pre_tokenizer: PreTokenizerWrapper,
    /// The per-character table, built on first use (`None` inside: not applicable).
    #[serde(skip)]
    table: OnceLock<Option<CharTable>>,
}

/// How the pipeline treats one character, learned from the pipeline itself.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CharClass {
    /// Part of a word; normalized to this text (empty: removed, e.g. a control character).
    Word(Box<str>),
    /// Separates words and is dropped (whitespace).
    Space,
    /// A token of its own with this text (punctuation, CJK characters).
    Alone(Box<str>),
}

/// Classes of the characters U+0000..U+024F (ASCII, Latin-1, Latin Extended-A/B) and
/// U+2000..U+20CF (general punctuation, currency), for pipelines that are
/// character-local, and of U+2500..U+27BF (box drawing, block elements, geometric shapes,
/// miscellaneous symbols, dingbats: no case, no decomposition), learned on first sight.
/// A character is left out (`None`) when the pipeline does not treat it as one of the
/// classes above.
#[derive(Debug, Clone)]
struct CharTable {
    low: Vec<Option<CharClass>>,
    punct: Vec<Option<CharClass>>,
    /// Classified when first met (a bullet such as '►' sent its whole text through
    /// `tokenizers`, some 500 times slower; classifying the block up front would make
    /// every start pay for it).
    symbols: Vec<OnceLock<Option<CharClass>>>,
}

const LOW_END: u32 = 0x250;
const PUNCT: std::ops::Range<u32> = 0x2000..0x20D0;
const SYMBOLS: std::ops::Range<u32> = 0x2500..0x27C0;

impl CharTable {
    /// The class of `c` in `pipeline` (the pipeline the table was built from).
    fn get(&self, c: char, pipeline: &TokenPipeline) -> Option<&CharClass> {
        let u = c as u32;
        if u < LOW_END {
            self.low[u as usize].as_ref()
        } else if PUNCT.contains(&u) {
            self.punct[(u - PUNCT.start) as usize].as_ref()
        } else if SYMBOLS.contains(&u) {
            self.symbols[(u - SYMBOLS.start) as usize]
                .get_or_init(|| pipeline.classify(u))
                .as_ref()
        } else {
            None
        }
    }
}

impl Default for TokenPipeline {
    /// BERT's normalizer (clean control characters, lowercase, strip accents) and BERT's
    /// pre-tokenizer (split on whitespace and punctuation).
    fn default() -> Self {
        TokenPipeline {
            normalizer: Some(NormalizerWrapper::BertNormalizer(BertNormalizer::new(
                true, true, None, true,
            ))),
            pre_tokenizer: PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            table: OnceLock::new(),
        }
    }
}

impl TokenPipeline {
    /// The pipeline as JSON (the format `tokenizers` uses for these stages).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("tokenizer stages serialize")
    }

    /// Read a pipeline from its JSON.
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| Error::Tokenizer(e.to_string()))
    }

    /// A pipeline of these two stages.
    pub fn new(normalizer: Option<NormalizerWrapper>, pre_tokenizer: PreTokenizerWrapper) -> Self {
        TokenPipeline {
            normalizer,
            pre_tokenizer,
            table: OnceLock::new(),
        }
    }

    /// Tokens of `text` with character offsets into `text`.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>> {
        if let Some(table) = self.table() {
            if let Some(tokens) = tokenize_with_table(table, self, text) {
                return Ok(tokens);
            }
        }
        self.tokenize_hf(text)
    }

    /// The per-character table, when the stages are character-local.
    fn table(&self) -> Option<&CharTable> {
        self.table
            .get_or_init(|| {
                let local_normalizer = matches!(
                    self.normalizer,
                    None | Some(NormalizerWrapper::BertNormalizer(_))
                        | Some(NormalizerWrapper::Lowercase(_))
                );
                let local_pre =
                    matches!(self.pre_tokenizer, PreTokenizerWrapper::BertPreTokenizer(_));
                (local_normalizer && local_pre).then(|| CharTable {
                    low: (0..LOW_END).map(|u| self.classify(u)).collect(),
                    punct: PUNCT.map(|u| self.classify(u)).collect(),
                    symbols: SYMBOLS.map(|_| OnceLock::new()).collect(),
                })
            })
            .as_ref()
    }

    /// Learn the class of one character by tokenizing `a<c>a` with `tokenizers`.
    fn classify(&self, u: u32) -> Option<CharClass> {
        let c = char::from_u32(u)?;
        let probe = format!("a{c}a");
        let toks = self.tokenize_hf(&probe).ok()?;
        let spans: Vec<(&str, usize, usize)> = toks
            .iter()
            .map(|t| (t.text.as_str(), t.start, t.end))
            .collect();
        match spans.as_slice() {
            [("a", 0, 1), ("a", 2, 3)] => Some(CharClass::Space),
            [("a", 0, 1), (x, 1, 2), ("a", 2, 3)] => Some(CharClass::Alone((*x).into())),
            [(x, 0, 3)] if x.len() >= 2 && x.starts_with('a') && x.ends_with('a') => {
                Some(CharClass::Word(x[1..x.len() - 1].into()))
            }
            _ => None,
        }
    }

    /// Tokens of `text` computed by `tokenizers`.
    pub fn tokenize_hf(&self, text: &str) -> Result<Vec<Token>> {
        let mut normalized = NormalizedString::from(text);
        if let Some(n) = &self.normalizer {
            n.normalize(&mut normalized)
                .map_err(|e| Error::Tokenizer(e.to_string()))?;
        }
        let mut pre = PreTokenizedString::from(normalized);
        self.pre_tokenizer
            .pre_tokenize(&mut pre)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(pre
            .get_splits(OffsetReferential::Original, OffsetType::Char)
            .into_iter()
            .filter(|(s, _, _)| !s.is_empty())
            .map(|(s, (start, end), _)| Token {
                text: s.to_string(),
                start,
                end,
            })
            .collect())
    }
}

/// Tokens of `text` through the character table, or `None` if a character of `text` is
/// not in it.
fn tokenize_with_table(table: &CharTable, pipeline: &TokenPipeline, text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    // The word being built: its text and the char span of its non-empty parts.
    let mut word = String::new();
    let mut span: Option<(usize, usize)> = None;
    let flush = |word: &mut String, span: &mut Option<(usize, usize)>, tokens: &mut Vec<Token>| {
        if let Some((start, end)) = span.take() {
            tokens.push(Token {
                text: std::mem::take(word),
                start,
                end,
            });
        }
        word.clear();
    };
    for (i, c) in text.chars().enumerate() {
        match table.get(c, pipeline)? {
            CharClass::Word(x) => {
                if !x.is_empty() {
                    word.push_str(x);
                    span = Some((span.map_or(i, |s| s.0), i + 1));
                }
            }
            CharClass::Space => flush(&mut word, &mut span, &mut tokens),
            CharClass::Alone(x) => {
                flush(&mut word, &mut span, &mut tokens);
                tokens.push(Token {
                    text: x.to_string(),
                    start: i,
                    end: i + 1,
                });
            }
        }
    }
    flush(&mut word, &mut span, &mut tokens);
    Some(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_splits_punctuation_and_keeps_char_offsets() {
        let p = TokenPipeline::default();
        let t = "Élysée: Iran's U.S. talks";
        let toks = p.tokenize(t).unwrap();
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            ["elysee", ":", "iran", "'", "s", "u", ".", "s", ".", "talks"]
        );
        let chars: Vec<char> = t.chars().collect();
        let first: String = chars[toks[0].start..toks[0].end].iter().collect();
        assert_eq!(first, "Élysée");
        assert_eq!((toks[2].start, toks[2].end), (8, 12));
    }

    #[test]
    fn json_round_trip() {
        let p = TokenPipeline::default();
        let q = TokenPipeline::from_json(&p.to_json()).unwrap();
        assert_eq!(p.to_json(), q.to_json());
        assert!(TokenPipeline::from_json("{\"nope\":1}").is_err());
    }

    /// The table path gives exactly the tokens and offsets of `tokenizers` on random text
    /// mixing table characters (ASCII, controls, accented Latin, curly quotes, dashes,
    /// no-break spaces, symbols and ornamental brackets) with characters outside it (combining marks, CJK, dotted I).
    #[test]
    fn table_path_equals_tokenizers_on_random_text() {
        use rand::{Rng, SeedableRng};
        use tokenizers::normalizers::utils::Lowercase;
        let alphabet: Vec<char> = "aZz09 .,'\"-()$%!?\t\n\r\u{0}\u{1}\u{7f}\u{a0}\u{ad}éÉüßøŁłđĳǅ\
            ‘’“”—–…€\u{2009}\u{200b}\u{2028}►■★✓❨❩\u{301}中İ"
            .chars()
            .collect();
        let pipelines = [
            TokenPipeline::default(),
            TokenPipeline::new(
                None,
                PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            ),
            TokenPipeline::new(
                Some(NormalizerWrapper::Lowercase(Lowercase)),
                PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            ),
            TokenPipeline::new(
                Some(NormalizerWrapper::BertNormalizer(BertNormalizer::new(
                    false,
                    false,
                    Some(false),
                    false,
                ))),
                PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            ),
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut via_table = 0;
        for p in &pipelines {
            let table = p.table().expect("character-local pipeline");
            for _ in 0..3000 {
                let len = rng.gen_range(0..24);
                let text: String = (0..len)
                    .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                    .collect();
                let hf = p.tokenize_hf(&text).unwrap();
                assert_eq!(p.tokenize(&text).unwrap(), hf, "{text:?}");
                if let Some(t) = tokenize_with_table(table, p, &text) {
                    assert_eq!(t, hf, "{text:?}");
                    via_table += 1;
                }
            }
        }
        // Both paths were exercised.
        assert!((1000..12000).contains(&via_table), "{via_table}");
    }

    #[test]
    fn other_pre_tokenizers_have_no_table() {
        use tokenizers::pre_tokenizers::whitespace::Whitespace;
        let p = TokenPipeline::new(None, PreTokenizerWrapper::Whitespace(Whitespace));
        assert!(p.table().is_none());
        let toks = p.tokenize("U.S. talks").unwrap();
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["U", ".", "S", ".", "talks"]);
    }
}
