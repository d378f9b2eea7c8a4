//! Criterion benchmarks of the pipeline's hot stages on the project's own data: the 14
//! example articles in `data/articles/*.txt` and the shipped model `models/default.stance`.
//!
//! ```console
//! $ cargo bench --features internals --bench stages
//! ```
//!
//! Stages, in pipeline order:
//! 1. `segment`: `segment::sentences` over all articles concatenated (bytes/s).
//! 2. `actors`: `Matcher::find` per sentence (bytes/s of sentence text).
//! 3. `tokenize`: `TokenPipeline::default().tokenize` per sentence (bytes/s), and the
//!    same pipeline run by `tokenizers` itself (`tokenize_hf`).
//! 4. `features`: `Extractor::row` for every (sentence, actor) pair, and for every
//!    sentence as a bias row (rows/s); inputs are built outside the timed loop.
//! 5. `scoring`: `LogisticRegression::proba_row` on the precomputed rows (rows/s).
//! 6. `end_to_end`: `Analyzer::article` per article (bytes/s of article text), and the
//!    same with full feature rows (explanations on, one feature listed) for comparison.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use stance::analyze::Analyzer;
use stance::features::{Input, SparseRow};
use stance::model::Model;
use stance::text::actors::Matcher;
use stance::text::segment;
use stance::text::tokenize::TokenPipeline;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example articles as (id, text), sorted by file name.
fn articles() -> Vec<(String, String)> {
    let dir = root().join("data/articles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no articles in {}", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            (id, text)
        })
        .collect()
}

fn model() -> Model {
    let path = root().join("models/default.stance");
    Model::load(&path).unwrap_or_else(|e| panic!("loading {}: {e}", path.display()))
}

/// One stance input, owned: like `Analyzer::sentence` builds it for each actor.
struct StanceInput<'a> {
    text: &'a str,
    target: Vec<(usize, usize)>,
    other: Vec<(usize, usize)>,
    key: String,
}

impl StanceInput<'_> {
    fn input(&self) -> Input<'_> {
        Input {
            text: self.text,
            target_spans: &self.target,
            other_spans: &self.other,
            target_key: Some(&self.key),
        }
    }
}

/// The (sentence, actor) inputs of a sentence, in the order `Analyzer::sentence` scores them.
fn stance_inputs<'a>(matcher: &Matcher, text: &'a str) -> Vec<StanceInput<'a>> {
    let mentions = matcher.find(text);
    let mut by_actor: BTreeMap<usize, Vec<_>> = BTreeMap::new();
    for m in &mentions {
        by_actor.entry(m.actor).or_default().push(m);
    }
    let mut order: Vec<(usize, Vec<_>)> = by_actor.into_iter().collect();
    order.sort_by_key(|(_, ms)| ms[0].start);
    order
        .into_iter()
        .map(|(actor, ms)| StanceInput {
            text,
            target: ms.iter().map(|m| (m.start, m.end)).collect(),
            other: mentions
                .iter()
                .filter(|m| m.actor != actor)
                .map(|m| (m.start, m.end))
                .collect(),
            key: matcher.actor_name(actor).to_lowercase(),
        })
        .collect()
}

fn short(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
}

fn stages(c: &mut Criterion) {
    let articles = articles();
    let model = model();
    let all = articles
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let article_bytes: usize = articles.iter().map(|(_, t)| t.len()).sum();
    // Sentences of each article on its own, as `Analyzer::article` segments them.
    let sentences: Vec<&str> = articles
        .iter()
        .flat_map(|(_, t)| {
            segment::sentences(t)
                .into_iter()
                .map(move |s| s.text(t.as_str()))
        })
        .collect();
    let sentence_bytes: u64 = sentences.iter().map(|s| s.len() as u64).sum();

    let matcher = Matcher::new(&model.lexicon).expect("matcher from the model's lexicon");
    let pipeline = TokenPipeline::default();
    let extractor = model.extractor();
    let stance_head = model
        .stance
        .as_ref()
        .expect("default model has a stance head");
    let bias_head = model.bias.as_ref().expect("default model has a bias head");

    let owned: Vec<StanceInput> = sentences
        .iter()
        .flat_map(|s| stance_inputs(&matcher, s))
        .collect();
    let stance_in: Vec<Input> = owned.iter().map(StanceInput::input).collect();
    let bias_ex: Vec<_> = sentences
        .iter()
        .map(|s| stance::train::bias_example(s))
        .collect();
    let bias_in: Vec<Input> = bias_ex.iter().map(|e| e.input()).collect();
    let rows = |inputs: &[Input]| -> Vec<SparseRow> {
        inputs
            .iter()
            .map(|i| extractor.row(i).expect("feature row"))
            .collect()
    };
    let stance_rows = rows(&stance_in);
    let bias_rows = rows(&bias_in);
    let nnz = |rs: &[SparseRow]| rs.iter().map(|r| r.indices.len()).sum::<usize>() as f64;
    eprintln!(
        "data: {} articles, {} bytes, {} sentences, {} (sentence, actor) rows \
         ({:.0} nonzeros/row), {} bias rows ({:.0} nonzeros/row)",
        articles.len(),
        article_bytes,
        sentences.len(),
        stance_rows.len(),
        nnz(&stance_rows) / stance_rows.len().max(1) as f64,
        bias_rows.len(),
        nnz(&bias_rows) / bias_rows.len().max(1) as f64,
    );

    // 1. Segmentation of all articles concatenated.
    {
        let mut g = c.benchmark_group("segment");
        short(&mut g);
        g.throughput(Throughput::Bytes(all.len() as u64));
        g.bench_function("sentences/all_articles", |b| {
            b.iter(|| segment::sentences(black_box(&all)))
        });
        g.finish();
    }

    // 2. Actor mentions per sentence.
    {
        let mut g = c.benchmark_group("actors");
        short(&mut g);
        g.throughput(Throughput::Bytes(sentence_bytes));
        g.bench_function("find/per_sentence", |b| {
            b.iter(|| {
                for s in &sentences {
                    black_box(matcher.find(black_box(s)));
                }
            })
        });
        g.finish();
    }

    // 3. Tokenization per sentence.
    {
        let mut g = c.benchmark_group("tokenize");
        short(&mut g);
        g.throughput(Throughput::Bytes(sentence_bytes));
        g.bench_function("bert/per_sentence", |b| {
            b.iter(|| {
                for s in &sentences {
                    black_box(pipeline.tokenize(black_box(s)).expect("tokens"));
                }
            })
        });
        // The same pipeline run by `tokenizers` itself (no per-character table).
        g.bench_function("bert_tokenizers/per_sentence", |b| {
            b.iter(|| {
                for s in &sentences {
                    black_box(pipeline.tokenize_hf(black_box(s)).expect("tokens"));
                }
            })
        });
        g.finish();
    }

    // 4. Feature rows.
    {
        let mut g = c.benchmark_group("features");
        short(&mut g);
        for (name, inputs) in [("row/stance", &stance_in), ("row/bias", &bias_in)] {
            g.throughput(Throughput::Elements(inputs.len() as u64));
            g.bench_function(name, |b| {
                b.iter(|| {
                    for i in inputs {
                        black_box(extractor.row(black_box(i)).expect("feature row"));
                    }
                })
            });
        }
        g.finish();
    }

    // 5. Scoring precomputed rows.
    {
        let mut g = c.benchmark_group("scoring");
        short(&mut g);
        for (name, head, rs) in [
            ("proba_row/stance", stance_head, &stance_rows),
            ("proba_row/bias", bias_head, &bias_rows),
        ] {
            g.throughput(Throughput::Elements(rs.len() as u64));
            g.bench_function(name, |b| {
                b.iter(|| {
                    for r in rs {
                        black_box(
                            head.classifier
                                .proba_row(black_box(&r.indices), black_box(&r.values)),
                        );
                    }
                })
            });
        }
        g.finish();
    }

    // 6. End to end, per article.
    {
        let analyzer = Analyzer::new(model.clone()).expect("analyzer");
        let mut g = c.benchmark_group("end_to_end");
        short(&mut g);
        // One pass over all articles takes ~0.2 s: flat sampling with 10 samples fits
        // the 3 s budget (linear sampling would need 55 passes).
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        g.throughput(Throughput::Bytes(article_bytes as u64));
        g.bench_function("article/all_articles", |b| {
            b.iter(|| {
                for (id, text) in &articles {
                    black_box(analyzer.article(id, black_box(text)).expect("report"));
                }
            })
        });
        // The same through full feature rows (the path of explanations) instead of the
        // scorer's shared, group-by-group logits.
        let rows = Analyzer::new(model.clone())
            .expect("analyzer")
            .with_explanations(1);
        g.bench_function("article_full_rows/all_articles", |b| {
            b.iter(|| {
                for (id, text) in &articles {
                    black_box(rows.article(id, black_box(text)).expect("report"));
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
