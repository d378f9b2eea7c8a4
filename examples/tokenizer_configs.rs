//! Tokenizer throughput of several `tokenizers` configurations on the example articles
//! (per sentence and per paragraph). Run: `cargo run --release --example tokenizer_configs`.
use stance::tokenize::TokenPipeline;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::normalizers::utils::Lowercase;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::whitespace::Whitespace;
use tokenizers::{NormalizerWrapper, PreTokenizerWrapper};
fn main() {
    let mut text = String::new();
    for e in std::fs::read_dir("data/articles").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            text.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    let sents: Vec<String> = stance::segment::sentences(&text)
        .iter()
        .map(|s| s.text(&text).to_string())
        .collect();
    let bytes: usize = sents.iter().map(|s| s.len()).sum();
    let configs: Vec<(&str, TokenPipeline)> = vec![
        ("bert-norm + bert-pre", TokenPipeline::default()),
        (
            "lowercase + bert-pre",
            TokenPipeline {
                normalizer: Some(NormalizerWrapper::Lowercase(Lowercase)),
                pre_tokenizer: PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            },
        ),
        (
            "none + bert-pre",
            TokenPipeline {
                normalizer: None,
                pre_tokenizer: PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            },
        ),
        (
            "none + whitespace",
            TokenPipeline {
                normalizer: None,
                pre_tokenizer: PreTokenizerWrapper::Whitespace(Whitespace),
            },
        ),
        (
            "bert-norm(no accents strip) + bert-pre",
            TokenPipeline {
                normalizer: Some(NormalizerWrapper::BertNormalizer(BertNormalizer::new(
                    true,
                    false,
                    Some(false),
                    true,
                ))),
                pre_tokenizer: PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            },
        ),
    ];
    for (name, p) in configs {
        let t = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..5 {
            for s in &sents {
                n += p.tokenize(s).unwrap().len();
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name:40} {:.2} MB/s  ({n} tokens)",
            5.0 * bytes as f64 / 1e6 / secs
        );
        let t = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..5 {
            for para in text.split("\n\n") {
                n += p.tokenize(para).unwrap().len();
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{:40} {:.2} MB/s  ({n} tokens) per paragraph",
            "",
            5.0 * text.len() as f64 / 1e6 / secs
        );
    }
}
