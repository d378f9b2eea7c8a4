//! `stance-classify`: per-sentence and per-article stance toward every actor an article
//! names, or `--eval` metrics on a labeled CSV. Thin: parses flags, calls the library,
//! prints.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Commit the allocator's memory on demand (`stance::commit_memory_on_demand`): set in
/// an ELF constructor of priority 100, which runs before mimalloc's own initialization
/// (priority 101, `src/prim/prim.c`) and so before its first arena is reserved; in
/// `main` it would come too late.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00100"]
static COMMIT_ON_DEMAND: extern "C" fn() = {
    extern "C" fn set() {
        stance::commit_memory_on_demand();
    }
    set
};

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use rayon::prelude::*;
use stance::{Analyzer, Columns, Document, Format, InputFormat, Lexicon, Model, Printer};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(version, about = "Score the stance of articles toward the actors they name.", long_about = None)]
struct Args {
    /// Articles: text files, directories (their .txt/.text/.jsonl files), or `-` for
    /// standard input. JSON Lines input has one {"id","text"} object per line.
    inputs: Vec<String>,
    /// Model file (default: $STANCE_MODEL, else models/default.stance in the current
    /// directory or next to the installed program).
    #[arg(short, long)]
    model: Option<PathBuf>,
    /// Score a labeled CSV (training schema) and print metrics instead.
    #[arg(long, value_name = "CSV")]
    eval: Option<String>,
    /// Describe the model instead of classifying: what it was trained on, its feature
    /// settings, each head's classes, hyperparameters and stored scores, its loaded-word
    /// detector and actors (text, or JSON with --format json).
    #[arg(long, conflicts_with_all = ["eval", "inputs", "actors", "sentences", "explain", "compare", "tagger", "actors_only"])]
    describe: bool,
    /// Output format (html: one self-contained page; explanations on, top 12).
    #[arg(short, long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
    /// Add per-sentence rows (table and CSV formats; JSON always has them).
    #[arg(short, long)]
    sentences: bool,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = InFormat::Auto)]
    input_format: InFormat,
    /// Extra or overriding actors (TOML, same format as data/actors.toml).
    #[arg(long)]
    actors: Option<PathBuf>,
    /// Score only the actors of the model's lexicon (and --actors): do not look for
    /// people, organizations and places in the text.
    #[arg(long)]
    actors_only: bool,
    /// The named-entity tagger that finds actors in the text (default: the one built
    /// into the program, trained on GMB news; see models/README.md).
    #[arg(long, value_name = "FILE", conflicts_with = "actors_only")]
    tagger: Option<PathBuf>,
    /// Leave out of each article's report the actors it mentions fewer than N times
    /// (pronouns and titles included).
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_mentions: usize,
    /// Explain every score: list the N features (readable n-grams with their spans) that
    /// pushed it most, with signed contributions to the logit (favor vs against; biased
    /// vs unbiased). N defaults to 8.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "8")]
    explain: Option<usize>,
    /// Compare the articles: one table of actors x articles (e.g. several outlets on one
    /// event) instead of one report per article.
    #[arg(long)]
    compare: bool,
    /// Column names of the --eval CSV that differ from the training schema, e.g.
    /// `--column text=sentence,stance=label` (as `stance-train --column`).
    #[arg(long, requires = "eval")]
    column: Vec<String>,
    /// Skip invalid rows of the --eval CSV (reported) instead of failing.
    #[arg(long)]
    skip_invalid: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Largest article accepted, in MB (a plain-text input, or one JSON Lines record);
    /// a larger one is an error instead of being read whole.
    #[arg(long, value_name = "MB", default_value_t = 64)]
    max_article_mb: usize,
    /// An article longer than this many KB (a book, a transcript, text without sentence
    /// punctuation) is read and reported in sections of at most this size, cut at
    /// paragraph, line or sentence ends, each under the id `ID (section N)`, so that
    /// memory stays bounded; 0 reads every article whole.
    #[arg(long, value_name = "KB", default_value_t = stance::DEFAULT_SECTION_BYTES >> 10)]
    section_kb: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum OutFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum InFormat {
    Auto,
    Text,
    Jsonl,
}

fn main() {
    // Unlike `stance-train`, classification keeps mimalloc's default purge delay: returning
    // freed pages at once cost 7-11% more CPU here (page faults on reuse) for about 20 MB
    // less peak memory (see `stance::return_freed_memory_promptly`).
    std::process::exit(match run(Args::parse()) {
        Ok(()) => 0,
        Err(e) => {
            if stance::is_broken_pipe(e.as_ref()) {
                0
            } else {
                let message = stance::chain_message(e.as_ref(), flag_hint);
                eprintln!("stance-classify: error: {message}");
                2
            }
        }
    });
}

/// A library error's message in this program's terms, when a flag changes its outcome.
fn flag_hint(e: &stance::Error) -> Option<String> {
    use stance::Error as E;
    Some(match e {
        E::InvalidColumnSpec { .. } | E::UnknownColumnField { .. } => format!("--column: {e}"),
        E::ArticleTooLarge { .. } => {
            let m = e.to_string();
            match m.strip_suffix("or raise the limit") {
                Some(head) => format!("{head}or raise --max-article-mb"),
                None => m,
            }
        }
        _ => return None,
    })
}

/// Where the default model is looked for, in order.
fn default_model_candidates() -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(p) = std::env::var_os("STANCE_MODEL") {
        v.push(PathBuf::from(p));
    }
    v.push(PathBuf::from("models/default.stance"));
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(4) {
            v.push(dir.join("models/default.stance"));
        }
    }
    v
}

/// The model and the file it came from.
fn load_model(arg: &Option<PathBuf>) -> Result<(Model, PathBuf)> {
    if let Some(p) = arg {
        return Ok((Model::load(p)?, p.clone()));
    }
    let cands = default_model_candidates();
    for c in &cands {
        if c.is_file() {
            let m = Model::load(c).with_context(|| "loading the default model")?;
            return Ok((m, c.clone()));
        }
    }
    bail!(
        "no model given and no default model found (looked at: {}); pass --model FILE",
        cands
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn run(a: Args) -> Result<()> {
    if let Some(t) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(stance::check_threads(t)?)
            .build_global()?;
    }
    let (mut model, model_path) = load_model(&a.model)?;
    // Loading's buffers are freed by now; return them before the next tables are built.
    stance::release_freed_memory();
    if a.describe {
        return describe(&a, &model, &model_path);
    }
    if let Some(p) = &a.actors {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        model
            .lexicon
            .merge(&Lexicon::from_toml(&text, &p.display().to_string())?);
    }
    if let Some(path) = &a.eval {
        if !a.inputs.is_empty() {
            bail!("--eval takes a CSV; do not also pass articles");
        }
        return eval(&a, &model, path);
    }
    if a.inputs.is_empty() {
        bail!("no input: give article files, a directory, or - for standard input");
    }
    // The HTML page highlights loaded words, which needs the bias head's explanations.
    let default_explain = if a.format == OutFormat::Html { 12 } else { 0 };
    let mut analyzer = Analyzer::new(model)?
        .with_explanations(a.explain.unwrap_or(default_explain))
        .with_min_mentions(a.min_mentions);
    // The model's own copies of the weights and the IDF are freed by now (the analyzer's
    // scorer holds them): return them before the tagger's tables are built.
    stance::release_freed_memory();
    if !a.actors_only {
        analyzer = analyzer.with_discovery(load_tagger(&a.tagger)?);
    }
    stance::release_freed_memory();
    classify(&a, &analyzer)
}

/// The tagger given with --tagger, else the built-in one.
fn load_tagger(path: &Option<PathBuf>) -> Result<stance::NerTagger> {
    Ok(match path {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            stance::NerTagger::from_bytes(&bytes)
                .with_context(|| format!("loading the tagger {}", p.display()))?
        }
        None => stance::builtin_tagger().context("loading the built-in tagger")?,
    })
}

/// `--describe`: the model, as text or JSON.
fn describe(a: &Args, model: &Model, model_path: &std::path::Path) -> Result<()> {
    let bytes = std::fs::metadata(model_path)
        .with_context(|| format!("reading {}", model_path.display()))?
        .len();
    let mut out = std::io::stdout().lock();
    let mut d = stance::Description::of_file(model, model_path.display().to_string(), bytes);
    // The tagger discovery would use (clap refuses --describe with --actors-only).
    let tagger = load_tagger(&a.tagger)?;
    let (source, bytes) = match &a.tagger {
        Some(p) => (
            p.display().to_string(),
            std::fs::metadata(p)?.len() as usize,
        ),
        None => (
            "built-in (models/tagger.ner)".to_string(),
            stance::BUILTIN_TAGGER.len(),
        ),
    };
    d.tagger = Some(stance::TaggerDescription::of(&tagger, source, bytes));
    match a.format {
        OutFormat::Json | OutFormat::Jsonl => {
            writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?;
        }
        OutFormat::Table => write!(out, "{d}")?,
        OutFormat::Csv | OutFormat::Html => {
            bail!("--describe prints text (--format table) or JSON (--format json)")
        }
    }
    Ok(())
}

/// `--eval CSV`: metrics of the model on a labeled CSV.
fn eval(a: &Args, model: &Model, path: &str) -> Result<()> {
    let bytes = if path == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)?;
        b
    } else {
        std::fs::read(path).with_context(|| format!("reading {path}"))?
    };
    let cols = Columns::from_specs(&a.column)?;
    let ev = stance::read_csv_checked(
        &bytes[..],
        path,
        &cols,
        a.skip_invalid,
        stance::eval_label_check(model),
    )?;
    for s in &ev.skipped {
        eprintln!(
            "stance-classify: skipped {path}: line {}: {}",
            s.line, s.reason
        );
    }
    let evaluation = stance::evaluate(model, &ev.rows)?;
    let found = evaluation.targets_without_offsets;
    if let Some(note) = stance::targets_found_note(path, found) {
        eprintln!("stance-classify: {note}");
    }
    let (s, b) = (evaluation.stance, evaluation.bias);
    let words = stance::evaluate_loaded_words(model, &ev.rows)?;
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json | OutFormat::Jsonl => {
            let mut v = stance::metrics_json(s.as_ref(), b.as_ref());
            if let (Some(w), Some(obj)) = (&words, v.as_object_mut()) {
                obj.insert("loaded_words".into(), serde_json::to_value(w)?);
            }
            if let (1.., Some(obj)) = (found.1, v.as_object_mut()) {
                obj.insert(
                    "targets_without_offsets".into(),
                    serde_json::json!({"rows": found.1, "found_by_discovery": found.0}),
                );
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        _ => {
            if let Some(m) = &s {
                writeln!(out, "stance on {path}\n{}", m.to_text())?;
            }
            if let Some(m) = &b {
                writeln!(out, "bias on {path}\n{}", m.to_text())?;
            }
            if let Some(w) = &words {
                writeln!(out, "loaded words on {path}: {}", w.to_text())?;
            }
        }
    }
    Ok(())
}

/// Classify the articles of the inputs and print their reports (or their comparison).
fn classify(a: &Args, analyzer: &Analyzer) -> Result<()> {
    let sources = stance::expand(&a.inputs)?;
    let format = match a.format {
        OutFormat::Table => Format::Table,
        OutFormat::Json => Format::Json,
        OutFormat::Jsonl => Format::Jsonl,
        OutFormat::Csv => Format::Csv,
        OutFormat::Html => Format::Html,
    };
    let in_format = match a.input_format {
        InFormat::Auto => InputFormat::Auto,
        InFormat::Text => InputFormat::Text,
        InFormat::Jsonl => InputFormat::Jsonl,
    };
    let max_bytes = a.max_article_mb.saturating_mul(1 << 20);
    let section_bytes = match a.section_kb {
        0 => usize::MAX,
        kb => kb.saturating_mul(1 << 10),
    };
    // Said once per article read in sections, on its first section.
    let note_sections = |doc: &Document| {
        if doc.section == Some(1) {
            eprintln!(
                "stance-classify: {}: longer than {} KB: reported in sections of at most \
                 that size, cut at paragraph, line or sentence ends (set --section-kb)",
                doc.id.trim_end_matches(" (section 1)"),
                section_bytes >> 10
            );
        }
    };
    let stdout = std::io::stdout();
    if a.compare {
        let mut reports = Vec::new();
        for src in &sources {
            src.for_each_sectioned(in_format, max_bytes, section_bytes, &mut |doc| {
                note_sections(&doc);
                reports.push(analyzer.article(&doc.id, &doc.text)?);
                Ok(())
            })
            .with_context(|| format!("classifying {}", src.name()))?;
        }
        if reports.len() < 2 {
            bail!(
                "--compare needs at least two articles, got {}",
                reports.len()
            );
        }
        let mut out = std::io::BufWriter::new(stdout.lock());
        stance::print_comparison(&stance::Comparison::new(&reports), format, &mut out)?;
        out.flush()?;
        return Ok(());
    }
    let out = std::io::BufWriter::new(stdout.lock());
    let labels: Vec<String> = analyzer.stance_labels().to_vec();
    let mut printer = stance::printer(format, Box::new(out), a.sentences, &labels);
    // Documents are classified in batches, all cores working on a batch, and printed in
    // input order; a batch holds at most BATCH_DOCS documents or BATCH_BYTES of text, so
    // memory stays bounded on endless streams.
    let mut batch: Vec<Document> = Vec::new();
    let mut batch_bytes = 0usize;
    for src in &sources {
        let read = src.for_each_sectioned(in_format, max_bytes, section_bytes, &mut |doc| {
            note_sections(&doc);
            // A section is classified alone, all cores on its sentences: a batch of
            // several would hold their reports and working memory at once.
            let alone = doc.section.is_some();
            batch_bytes += doc.text.len();
            batch.push(doc);
            if alone || batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                classify_batch(analyzer, format, &mut batch, printer.as_mut())?;
                if alone {
                    // Return the section's freed memory before the next one is read.
                    stance::release_freed_memory();
                }
            }
            Ok(())
        });
        // The documents read before an input error are still answered, and each
        // source's documents are finished before the next source starts.
        batch_bytes = 0;
        classify_batch(analyzer, format, &mut batch, printer.as_mut())
            .and(read)
            .with_context(|| format!("classifying {}", src.name()))?;
    }
    printer.finish()?;
    Ok(())
}

const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 1 << 20;

/// Classify the documents of `batch` in parallel, print their reports in order and empty
/// the batch. JSON reports are also rendered in parallel. On an error, the reports before
/// the failing document are printed first.
fn classify_batch(
    analyzer: &Analyzer,
    format: Format,
    batch: &mut Vec<Document>,
    printer: &mut dyn Printer,
) -> stance::Result<()> {
    // Each document's text moves into its report (held once).
    let done: Vec<stance::Result<_>> = std::mem::take(batch)
        .into_par_iter()
        .map(|d| {
            let r = analyzer.article_owned(&d.id, d.text)?;
            Ok(match stance::render(format, &r) {
                Some(bytes) => Err(bytes),
                None => Ok(r),
            })
        })
        .collect();
    for item in done {
        match item? {
            Ok(r) => printer.article(&r),
            Err(bytes) => printer.rendered(&bytes),
        }
        .map_err(|e| stance::Error::Io {
            path: "standard output".into(),
            error: e,
        })?;
    }
    Ok(())
}
