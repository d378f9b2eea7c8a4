//! Tokenizer throughput of several `tokenizers` configurations on the example articles
//! (per sentence and per paragraph). Run: `cargo run --release --features internals --example tokenizer_configs`.
use stance::text::tokenize::TokenPipeline;
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
    let sents: Vec<String> = stance::text::segment::sentences(&text)
        .iter()
        .map(|s| s.text(&text).to_string())
        .collect();
    let paragraphs: Vec<String> = text.split("\n\n").map(str::to_string).collect();
    let configs: Vec<(&str, TokenPipeline)> = vec![
        ("bert-norm + bert-pre", TokenPipeline::default()),
        (
            "lowercase + bert-pre",
            TokenPipeline::new(
                Some(NormalizerWrapper::Lowercase(Lowercase)),
                PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            ),
        ),
        (
            "none + bert-pre",
            TokenPipeline::new(
                None,
                PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            ),
        ),
        (
            "none + whitespace",
            TokenPipeline::new(None, PreTokenizerWrapper::Whitespace(Whitespace)),
        ),
        (
            "bert-norm(no accents strip) + bert-pre",
            TokenPipeline::new(
                Some(NormalizerWrapper::BertNormalizer(BertNormalizer::new(
                    true,
                    false,
                    Some(false),
                    true,
                ))),
                PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer),
            ),
        ),
    ];
    // Per sentence, through `tokenizers` directly and through `tokenize` (which uses the
    // per-character table for character-local configurations); then per paragraph.
    type Run<'a> = &'a dyn Fn(&TokenPipeline, &str) -> usize;
    let hf: Run = &|p, s| p.tokenize_hf(s).unwrap().len();
    let table: Run = &|p, s| p.tokenize(s).unwrap().len();
    for (name, p) in configs {
        for (how, run, units) in [
            ("tokenizers, per sentence", hf, &sents),
            ("stance tokenize, per sentence", table, &sents),
            ("tokenizers, per paragraph", hf, &paragraphs),
            ("stance tokenize, per paragraph", table, &paragraphs),
        ] {
            let t = std::time::Instant::now();
            let mut n = 0;
            for _ in 0..5 {
                for s in units.iter() {
                    n += run(&p, s);
                }
            }
            let secs = t.elapsed().as_secs_f64();
            let bytes: usize = units.iter().map(|s| s.len()).sum();
            println!(
                "{name:40} {how:32} {:7.2} MB/s  ({n} tokens)",
                5.0 * bytes as f64 / 1e6 / secs
            );
        }
    }
}
