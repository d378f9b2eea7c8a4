//! Tokenization with Hugging Face `tokenizers`: a normalizer and a pre-tokenizer.
//!
//! The pipeline is serializable (its JSON is stored in the model file), and every token
//! keeps its character offsets in the original text, so features can point back to words
//! of the article. No subword model is applied: features are hashed n-grams of the
//! normalized words (see `features`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenPipeline {
    pub normalizer: Option<NormalizerWrapper>,
    pub pre_tokenizer: PreTokenizerWrapper,
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

    /// Tokens of `text` with character offsets into `text`.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>> {
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
}
