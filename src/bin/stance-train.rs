//! `stance-train`: fit a stance model (and a bias head when the data has one) from a
//! labeled CSV. Thin: parses flags, calls the library, prints.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stance::{
    parse_label_scores, AutotuneOptions, ClassWeight, Columns, Conjoin, Dataset, Featurized, Head,
    Lexicon, Metrics, Model, Objective, Prepared, Setting, Solver, TrainConfig, TrainingInfo,
    Trial,
};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(version, about = "Train a stance (and bias) model from a labeled CSV.", long_about = None)]
struct Args {
    /// Training CSV (header; columns text, target, stance, optional mention_start,
    /// mention_end, bias, id, actor, loaded_words: the words marked as loaded in a bias
    /// row, which train a word-level detector for the bias head). `-` reads standard
    /// input. Several files are pooled, in order (each with its own header; --column
    /// applies to all); not with --stream.
    #[arg(required = true, num_args = 1..)]
    train: Vec<String>,
    /// Where to write the model file (written atomically).
    #[arg(short, long)]
    output: PathBuf,
    /// Held-out CSV to evaluate the trained model on.
    #[arg(long)]
    eval: Option<String>,
    /// Run stratified K-fold cross-validation (sentences kept within one fold) first.
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// Keep the rows that share this column's value (an article, outlet or source id)
    /// in one fold of --cv and --autotune, so that the scores measure new articles, not
    /// new sentences of articles seen in training. Rows of one sentence always share a
    /// fold.
    #[arg(long, value_name = "COLUMN")]
    cv_group: Option<String>,
    /// Choose the settings by cross-validation on the training data before training:
    /// a coordinate descent, starting from the other flags, over C, class weights,
    /// epochs, n-gram ranges, the window and the feature groups (README, "Autotune").
    /// Every trial is printed, and the flags that give the choice without --autotune.
    #[arg(long)]
    autotune: bool,
    /// Time budget of --autotune in seconds: no trial starts after it.
    #[arg(long, default_value_t = 300.0, value_name = "SECONDS")]
    autotune_budget: f64,
    /// What --autotune maximizes (f-avg: the mean F1 of favor and against, SemEval's
    /// measure; heads without that pair use macro-F1).
    #[arg(long, value_enum, default_value_t = TuneMetric::MacroF1)]
    autotune_metric: TuneMetric,
    /// Folds of --autotune's cross-validation.
    #[arg(long, default_value_t = 5, value_name = "K")]
    autotune_folds: usize,
    /// Skip invalid rows (reported with their line numbers) instead of failing.
    #[arg(long)]
    skip_invalid: bool,
    /// Polarity of stance labels, e.g. `favor=1,against=-1,neutral=0` (built in for
    /// favor/pro/support/positive, against/con/oppose/negative, neutral/none/neither).
    #[arg(long)]
    label_score: Option<String>,
    /// Loadedness of bias labels, e.g. `biased=1,unbiased=0` (built in for those two).
    #[arg(long)]
    bias_label_score: Option<String>,
    /// Extra or overriding actors (TOML, same format as data/actors.toml).
    #[arg(long)]
    actors: Option<PathBuf>,
    /// Do not start from the built-in actor lexicon.
    #[arg(long)]
    no_builtin_actors: bool,
    /// Located targets seen at least this often become actors of the model (0: none).
    /// Pronouns and phrases led by a determiner or pronoun ("He", "The president") never
    /// do: in another article they name someone else.
    #[arg(long, default_value_t = 2)]
    min_target_count: usize,
    /// Weigh the rows of each pooled training file, e.g. `1,3` for two files: the second
    /// file's rows count three times as much as the first's (for a small set of your own
    /// next to a large one, or real news next to a written corpus). One positive number
    /// per training file, in order; each head's weights are scaled to mean 1, so -C
    /// keeps its strength. Not with --stream.
    #[arg(long, value_name = "W,W,...", value_delimiter = ',')]
    file_weights: Vec<f64>,
    /// Inverse L2 regularization strength.
    #[arg(short = 'C', long = "c", default_value_t = 10.0)]
    c: f64,
    /// Inverse L2 regularization strength of the bias head (default: the same as --c).
    #[arg(long)]
    bias_c: Option<f64>,
    /// Class weighting.
    #[arg(long, value_enum, default_value_t = Weighting::Balanced)]
    class_weight: Weighting,
    /// Optimizer: sgd (AdaGrad, a few epochs; the default) or lbfgs (to the optimum).
    #[arg(long, value_enum, default_value_t = SolverArg::Sgd)]
    solver: SolverArg,
    /// SGD passes over the data.
    #[arg(long, default_value_t = 5)]
    epochs: u32,
    /// SGD (AdaGrad) learning rate.
    #[arg(long, default_value_t = 0.05)]
    rate: f64,
    /// L-BFGS iterations at most.
    #[arg(long, default_value_t = 300)]
    max_iter: u64,
    /// log2 of the number of feature hash buckets.
    #[arg(long, default_value_t = 20)]
    hash_bits: u8,
    /// Longest word n-gram (0 disables).
    #[arg(long, default_value_t = 3)]
    word_ngrams: u8,
    /// Character n-gram lengths as MIN-MAX (`0` disables).
    #[arg(long, default_value = "3-5")]
    char_ngrams: String,
    /// Tokens on each side of the target whose n-grams get window features (0: off).
    #[arg(long, default_value_t = 4)]
    window: u8,
    /// Weight of whole-sentence word/char n-grams relative to target-dependent features.
    #[arg(long, default_value_t = 0.5)]
    global_weight: f32,
    /// Weight of the VADER prior-polarity features relative to the other target-dependent
    /// features (a smaller weight holds them closer to what most rows agree on).
    #[arg(long, default_value_t = 0.25)]
    lexicon_weight: f32,
    /// Turn off the VADER prior-polarity lexicon features.
    #[arg(long)]
    no_lexicon: bool,
    /// Turn off the target-clause features.
    #[arg(long)]
    no_clause: bool,
    /// Turn off the cue-word features: hedges, factive, assertive and reporting verbs,
    /// boosters and loaded words, by class and word, and for a located target by side,
    /// nearness and clause (not used for topic targets).
    #[arg(long)]
    no_cues: bool,
    /// Add surface-shape features of the sentence: bucketed counts of `!`, `?` and ALL-CAPS
    /// words, scare quotes, quotation marks, first/second-person pronouns (off by
    /// default).
    #[arg(long)]
    shape: bool,
    /// Turn off the word-vector features: the averaged GloVe 50d vectors of the sentence
    /// and, for a located target, of the words left of it, right of it and within 4 tokens
    /// of it (each centred and scaled to a fixed norm; the vectors are built in). On by
    /// default (the shipped model uses them).
    #[arg(long)]
    no_vectors: bool,
    /// Add word-cluster features: the GloVe cluster ids (64, 256 and 1024 clusters) of the
    /// sentence's words and, by side, of the words within 4 tokens of a located target.
    #[arg(long)]
    clusters: bool,
    /// Add subjectivity features from Pattern's lexicon: the share of subjective words,
    /// their mean and largest subjectivity and their polarity range, of the sentence and
    /// of a located target's window.
    #[arg(long)]
    subjectivity: bool,
    /// Count character n-grams at every occurrence with sublinear TF and an exact L2 norm
    /// (as models before the `char-words` feature family did) instead of once per word
    /// with linear TF: a little slower to classify.
    #[arg(long)]
    char_occurrences: bool,
    /// Add left/right-context features of the target: the 1-2-grams of everything before
    /// and after it (off by default: with the window and clause features they did not
    /// help in cross-validation, and they cost a quarter of a stance row's features).
    #[arg(long, conflicts_with = "no_context")]
    context: bool,
    /// No left/right-context features (the default; kept for older scripts).
    #[arg(long, hide = true)]
    no_context: bool,
    /// When to add target-conjoined feature copies (context: all features of topic rows,
    /// the target-dependent ones of rows with a located target).
    #[arg(long, value_enum, default_value_t = ConjoinArg::Context)]
    conjoin: ConjoinArg,
    /// Seed for everything random (fold assignment).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Override column names, e.g. `--column text=sentence,stance=label`.
    #[arg(long)]
    column: Vec<String>,
    /// Output format of the metrics.
    #[arg(long, value_enum, default_value_t = MetricsFormat::Text)]
    format: MetricsFormat,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Stream the training file instead of holding its rows: memory stays bounded by
    /// the hash space (see --hash-bits) whatever the number of rows; the file is read
    /// 2 + epochs times, rows shuffled within chunks. SGD only; no --cv; not stdin.
    #[arg(long)]
    stream: bool,
    /// Rows per chunk with --stream.
    #[arg(long, default_value_t = 4096, value_name = "N")]
    chunk_rows: usize,
    /// Train in memory even when the file looks too large for the memory available
    /// (by default that is an error suggesting --stream).
    #[arg(long)]
    no_memory_check: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Weighting {
    Balanced,
    None,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SolverArg {
    Lbfgs,
    Sgd,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ConjoinArg {
    Never,
    Topics,
    Context,
    Always,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TuneMetric {
    MacroF1,
    FAvg,
    Accuracy,
}

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum MetricsFormat {
    Text,
    Json,
}

fn main() {
    stance::return_freed_memory_promptly();
    std::process::exit(match run(Args::parse()) {
        Ok(()) => 0,
        Err(e) => {
            if stance::is_broken_pipe(e.as_ref()) {
                0
            } else {
                eprintln!("stance-train: error: {}", message(&e));
                2
            }
        }
    });
}

/// The error chain on one line, as `{:#}` prints it, with the flags named in the
/// library's errors that a flag of this program changes.
fn message(e: &anyhow::Error) -> String {
    stance::chain_message(e.as_ref(), flag_hint)
}

/// A library error's message in this program's terms (the flag that changes its
/// outcome), when it has one.
fn flag_hint(e: &stance::Error) -> Option<String> {
    use stance::Error as E;
    Some(match e {
        E::UnknownLabel { label } => format!(
            "{e} (give one with --label-score {label}=..., or --bias-label-score for a bias \
             label)"
        ),
        E::StreamedLoadedWords { file, line, column } => format!(
            "{file}: line {line}: column {column:?}: --stream does not train the loaded-word \
             detector (it needs every marked sentence at once); train in memory, or drop the \
             column with --column loaded_words=NONE"
        ),
        E::InvalidColumnSpec { .. } | E::UnknownColumnField { .. } => format!("--column: {e}"),
        E::MissingGroupColumn {
            file,
            column,
            header,
        } => {
            format!("{file}: missing column {column:?} named by --cv-group (header has: {header})")
        }
        E::TooFewFolds { .. } => "--cv needs at least 2 folds".into(),
        E::TooFewSentencesForFolds { folds } => {
            format!("--cv {folds}: too few sentences for {folds} folds")
        }
        E::NothingToTune => "--autotune: the data has neither stance nor bias rows".into(),
        _ => return None,
    })
}

/// The training label checks, their messages naming this program's flags.
fn label_check(cfg: &TrainConfig) -> stance::LabelCheck {
    stance::training_label_check(cfg).with_polarity_hints("--label-score", "--bias-label-score")
}

/// Read a CSV argument (`-` = stdin) fully, returning its bytes.
fn read_input(path: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    }
    Ok(bytes)
}

fn char_range(s: &str) -> Result<(u8, u8)> {
    if s.trim() == "0" {
        return Ok((0, 0));
    }
    let (a, b) = s
        .split_once('-')
        .with_context(|| format!("--char-ngrams {s:?}: expected MIN-MAX or 0"))?;
    Ok((a.trim().parse()?, b.trim().parse()?))
}

fn progress(n: usize, what: &str, quiet: bool) -> ProgressBar {
    let pb = ProgressBar::new(n as u64);
    if quiet || !std::io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} rows {elapsed}")
            .unwrap()
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

type Fitted = (
    Model,
    f64,
    serde_json::Map<String, serde_json::Value>,
    Option<serde_json::Value>,
);

/// Read the whole training file, featurize it, optionally cross-validate, and fit.
/// In-memory training needs about this many bytes per byte of training CSV (measured:
/// 2,059 MB peak for 100,000 NewsMTSC rows of 22 MB; README, "Scaling").
const MEMORY_PER_CSV_BYTE: u64 = 100;

/// Memory the system can still give (Linux `MemAvailable`), if known.
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Refuse, before reading it, a training file whose in-memory training would not fit.
fn check_memory(a: &Args) -> Result<()> {
    if a.no_memory_check {
        return Ok(());
    }
    let Some(avail) = available_memory() else {
        return Ok(());
    };
    let bytes: u64 = a
        .train
        .iter()
        .filter(|f| *f != "-")
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let need = bytes.saturating_mul(MEMORY_PER_CSV_BYTE);
    if need > avail {
        bail!(
            "{}: {:.0} MB of CSV would need about {:.1} GB to train in memory (about {}x the \
             file), more than the {:.1} GB available: train with --stream (bounded memory), \
             on a sample, or force it with --no-memory-check",
            train_name(a),
            bytes as f64 / 1e6,
            need as f64 / 1e9,
            MEMORY_PER_CSV_BYTE,
            avail as f64 / 1e9
        );
    }
    Ok(())
}

fn fit_in_memory(a: &Args, cfg: &TrainConfig, cols: &Columns, t0: Instant) -> Result<Fitted> {
    let (loaded, skipped) = read_training(a, cfg, cols)?;
    let rows = &loaded.rows;
    let debug = std::env::var_os("STANCE_DEBUG").is_some();
    if debug {
        eprintln!("train: read in {:.2}s", t0.elapsed().as_secs_f64());
    }
    let prepared = cfg.prepare(&loaded)?;
    if debug {
        eprintln!("train: prepared in {:.2}s", t0.elapsed().as_secs_f64());
    }
    report_unfound_marks(&train_name(a), &prepared, cfg)?;
    let (cfg, autotune_json) = if a.autotune {
        let (c, j) = autotune(a, cfg, &prepared)?;
        (c, Some(j))
    } else {
        (cfg.clone(), None)
    };
    let cfg = &cfg;
    let t_features = Instant::now();
    // One bar per head, each cleared when its last row is done.
    let bars =
        Head::ALL.map(|h| progress(prepared.examples(h), &format!("{} rows", h.name()), a.quiet));
    let found_without_offsets = prepared.targets_without_offsets();
    let featurized = prepared.featurize(cfg, &|h| {
        let pb = &bars[h as usize];
        pb.inc(1);
        if Some(pb.position()) == pb.length() {
            pb.finish_and_clear();
        }
    })?;
    for pb in &bars {
        pb.finish_and_clear();
    }
    eprintln!(
        "stance-train: {} rows read from {} ({} stance, {} bias sentences), features in {:.2}s",
        rows.len(),
        train_name(a),
        featurized.examples(Head::Stance),
        featurized.examples(Head::Bias),
        if a.autotune {
            t_features.elapsed()
        } else {
            t0.elapsed()
        }
        .as_secs_f64()
    );
    if let Some(note) = stance::targets_found_note(&train_name(a), found_without_offsets) {
        eprintln!("stance-train: {note}");
    }
    let (mut cv_text, cv_json) = match a.cv {
        Some(k) => cross_validate(a, &featurized, k)?,
        None => ([None, None], serde_json::Map::new()),
    };

    let t1 = Instant::now();
    let info = training_info(a, cfg, loaded.fingerprint.clone(), skipped);
    let spin = progress(0, "fitting", a.quiet);
    spin.enable_steady_tick(std::time::Duration::from_millis(200));
    let mut model = featurized.fit(info)?;
    spin.finish_and_clear();
    let fit_secs = t1.elapsed().as_secs_f64();
    if let Some(h) = &mut model.stance {
        h.cv = cv_text[0].take();
    }
    if let Some(h) = &mut model.bias {
        h.cv = cv_text[1].take();
    }
    print_heads(&model, &cfg.params, fit_secs);
    Ok((model, fit_secs, cv_json, autotune_json))
}

/// The training files' names as messages and the model's provenance give them: one file's
/// name, or several joined by ` + `, followed by their weights when --file-weights is given.
fn train_name(a: &Args) -> String {
    let name = a.train.join(" + ");
    if a.file_weights.is_empty() {
        return name;
    }
    let w: Vec<String> = a.file_weights.iter().map(|w| w.to_string()).collect();
    format!("{name} (file weights {})", w.join(", "))
}

/// `--file-weights` as the training configuration holds them (by file name), checked:
/// one finite, positive number per training file, and not with --stream.
fn file_weights(a: &Args) -> Result<BTreeMap<String, f64>> {
    if a.file_weights.is_empty() {
        return Ok(BTreeMap::new());
    }
    if a.stream {
        bail!("--file-weights weighs pooled files; --stream trains on one file");
    }
    if a.file_weights.len() != a.train.len() {
        bail!(
            "--file-weights gives {} weights for {} training files (one per file, in order)",
            a.file_weights.len(),
            a.train.len()
        );
    }
    if let Some(w) = a
        .file_weights
        .iter()
        .find(|w| !(w.is_finite() && **w > 0.0))
    {
        bail!("--file-weights: {w} is not a positive number");
    }
    Ok(a.train
        .iter()
        .cloned()
        .zip(a.file_weights.iter().copied())
        .collect())
}

/// Read the whole training files (after checking that training them in memory fits), and
/// report the rows skipped; return the rows pooled and the skipped rows as the model's
/// provenance lists them (`LINE: REASON`, or `FILE: LINE: REASON` for several files).
fn read_training(a: &Args, cfg: &TrainConfig, cols: &Columns) -> Result<(Dataset, Vec<String>)> {
    check_memory(a)?;
    let mut parts = Vec::with_capacity(a.train.len());
    let mut skipped = Vec::new();
    for (i, file) in a.train.iter().enumerate() {
        if a.train[..i].contains(file) {
            bail!("{file} is given twice as a training file");
        }
        let bytes = read_input(file)?;
        let part =
            stance::read_csv_checked(&bytes[..], file, cols, a.skip_invalid, label_check(cfg))?;
        drop(bytes);
        report_skipped(file, &part.skipped, part.rows.len());
        skipped.extend(part.skipped.iter().map(|s| {
            if a.train.len() == 1 {
                format!("{}: {}", s.line, s.reason)
            } else {
                format!("{file}: {}: {}", s.line, s.reason)
            }
        }));
        parts.push(part);
    }
    Ok((Dataset::pool(parts), skipped))
}

/// Each head's cross-validation summary (stance, bias) and the folds' metrics as JSON.
type CvResults = (
    [Option<stance::CvSummary>; 2],
    serde_json::Map<String, serde_json::Value>,
);

/// `--cv K` on each head the data has (stance, bias): print each summary in text mode,
/// and return the summaries (stored in the model) and the folds' metrics as JSON.
fn cross_validate(a: &Args, featurized: &Featurized, k: usize) -> Result<CvResults> {
    let mut cv_text: [Option<stance::CvSummary>; 2] = [None, None];
    let mut cv_json = serde_json::Map::new();
    for (i, head) in Head::ALL.into_iter().enumerate() {
        let name = head.name();
        let t = Instant::now();
        let Some(folds) = featurized.cross_validate(head, k)? else {
            continue;
        };
        let summary = Metrics::summarize_folds(&folds);
        if a.format == MetricsFormat::Text {
            println!(
                "{name} cross-validation: {summary} ({:.1}s)",
                t.elapsed().as_secs_f64()
            );
        }
        cv_json.insert(name.into(), serde_json::to_value(&folds)?);
        cv_text[i] = Some(summary);
    }
    Ok((cv_text, cv_json))
}

/// The provenance stored in the model.
fn training_info(
    a: &Args,
    cfg: &TrainConfig,
    train_fingerprint: String,
    skipped: Vec<String>,
) -> TrainingInfo {
    TrainingInfo {
        train_file: train_name(a),
        train_fingerprint,
        eval_file: a.eval.clone(),
        crate_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: cfg.seed,
        params: cfg.params.clone(),
        bias_params: cfg.bias_params.clone(),
        skipped,
    }
}

/// Fit by streaming the training file (see `stance::train_streaming`).
fn fit_streaming(a: &Args, cfg: &TrainConfig, cols: &Columns) -> Result<Fitted> {
    if a.cv.is_some() {
        bail!("--stream does not support --cv (cross-validation needs every row at once)");
    }
    if a.autotune {
        bail!(
            "--stream does not support --autotune (its cross-validation needs every row at once)"
        );
    }
    let [train] = a.train.as_slice() else {
        bail!("--stream trains on one file (pool them into one CSV first)");
    };
    if train == "-" {
        bail!("--stream needs a file: it reads the training data several times, standard input only once");
    }
    let t1 = Instant::now();
    let info = training_info(a, cfg, String::new(), Vec::new());
    let opts = stance::StreamOptions {
        columns: cols.clone(),
        skip_invalid: a.skip_invalid,
        chunk_rows: a.chunk_rows,
        labels: label_check(cfg),
    };
    let spin = progress(0, "streaming", a.quiet);
    spin.set_style(ProgressStyle::with_template("{msg} {elapsed}").unwrap());
    spin.enable_steady_tick(std::time::Duration::from_millis(200));
    let out = stance::train_streaming(
        cfg,
        std::path::Path::new(train),
        &opts,
        info,
        &|pass, rows| spin.set_message(format!("pass {pass}: {rows} rows")),
    )?;
    spin.finish_and_clear();
    report_skipped(train, &out.skipped, out.rows as usize);
    let fit_secs = t1.elapsed().as_secs_f64();
    eprintln!(
        "stance-train: streamed {} rows of {} in {} passes ({} stance, {} bias sentences)",
        out.rows,
        train,
        out.passes,
        out.model.stance.as_ref().map_or(0, |h| h.train_rows),
        out.model.bias.as_ref().map_or(0, |h| h.train_rows),
    );
    print_heads(&out.model, &cfg.params, fit_secs);
    Ok((out.model, fit_secs, serde_json::Map::new(), None))
}

fn report_skipped(file: &str, skipped: &[stance::Skipped], rows: usize) {
    for s in skipped {
        eprintln!(
            "stance-train: skipped {file}: line {}: {}",
            s.line, s.reason
        );
    }
    if !skipped.is_empty() {
        eprintln!(
            "stance-train: skipped {} invalid rows of {} (lines listed above)",
            skipped.len(),
            skipped.len() + rows
        );
    }
}

fn print_heads(model: &Model, params: &stance::LogisticRegressionParams, fit_secs: f64) {
    for (name, h) in [("stance", &model.stance), ("bias", &model.bias)] {
        if let Some(h) = h {
            eprintln!(
                "stance-train: {name} head: {} rows, {} classes {:?}, {} {}",
                h.train_rows,
                h.labels.len(),
                h.labels.names,
                h.classifier.iterations,
                match params.solver {
                    Solver::Lbfgs => "L-BFGS iterations",
                    Solver::Sgd { .. } => "SGD epochs",
                }
            );
        }
    }
    if let Some(d) = &model.loaded {
        eprintln!(
            "stance-train: loaded-word detector: {} words of the annotated sentences, {} of \
             them marked; the bias head reads its probabilities",
            d.train_words, d.train_marked
        );
    }
    eprintln!("stance-train: fitted in {fit_secs:.1}s");
}

/// One autotune trial as its JSON record (what it tried as a flag).
#[derive(serde::Serialize)]
struct TrialJson {
    tried: String,
    score: f64,
    stance: Option<f64>,
    bias: Option<f64>,
    seconds: f64,
    kept: bool,
}

/// Run `--autotune` from `cfg`: print every trial (stderr) and the choice, and return
/// the chosen configuration with its JSON record.
fn autotune(
    a: &Args,
    cfg: &TrainConfig,
    prepared: &Prepared,
) -> Result<(TrainConfig, serde_json::Value)> {
    let opts = autotune_options(a, cfg)?;
    let metric = opts.objective.name();
    let t = Instant::now();
    let mut n = 0;
    let out = prepared
        .autotune(cfg, &opts, &mut |tr| {
            n += 1;
            let part = |name: &str, v: Option<f64>| v.map(|v| format!(" {name} {v:.4}"));
            let line = format!(
                "stance-train: autotune {n:>3} [{:>6.1}s] {:<26} {metric} {:.4}{}{}{}",
                t.elapsed().as_secs_f64(),
                tried_flag(tr),
                tr.score,
                part("stance", tr.stance)
                    .filter(|_| tr.bias.is_some())
                    .unwrap_or_default(),
                part("bias", tr.bias)
                    .filter(|_| tr.stance.is_some())
                    .unwrap_or_default(),
                if tr.kept && tr.tried.is_some() {
                    " kept"
                } else {
                    ""
                }
            );
            eprintln!("{line}");
        })
        .map_err(|e| match e {
            // The folds of the search are --autotune-folds, not --cv.
            stance::Error::TooFewFolds { .. } => {
                anyhow::anyhow!("--autotune needs at least 2 folds (--autotune-folds)")
            }
            stance::Error::TooFewSentencesForFolds { folds } => {
                anyhow::anyhow!("--autotune-folds {folds}: too few sentences for {folds} folds")
            }
            e => e.into(),
        })?;
    // The starting flags with these in place of the same flags train the chosen model
    // without --autotune (`--c` also sets the bias head's C: `changes` names the bias C
    // when that differs).
    let flags: Vec<String> = out.changes().iter().map(setting_flag).collect();
    let summary = format!(
        "autotune: {} trials in {:.1}s{}; {}-fold CV {metric} {:.4} with the starting settings, {:.4} {}",
        out.trials.len(),
        t.elapsed().as_secs_f64(),
        if out.complete {
            ""
        } else {
            " (stopped by the budget before the search ended)"
        },
        opts.folds,
        out.start_score,
        out.best_score,
        if flags.is_empty() {
            "(no change kept)".to_string()
        } else {
            format!(
                "with {} (without --autotune: the same flags with these in place)",
                flags.join(" ")
            )
        }
    );
    // The choice is a result: on standard output with the other metrics in text mode.
    if a.format == MetricsFormat::Text {
        println!("{summary}");
    } else {
        eprintln!("stance-train: {summary}");
    }
    let trials: Vec<TrialJson> = out
        .trials
        .iter()
        .map(|t| TrialJson {
            tried: tried_flag(t),
            score: t.score,
            stance: t.stance,
            bias: t.bias,
            seconds: t.seconds,
            kept: t.kept,
        })
        .collect();
    let json = serde_json::json!({
        "metric": metric,
        "folds": opts.folds,
        "complete": out.complete,
        "start_score": out.start_score,
        "best_score": out.best_score,
        "flags": flags,
        "trials": trials,
    });
    Ok((out.config, json))
}

/// Say which marked words were not found in their sentence (they train nothing).
fn report_unfound_marks(file: &str, prepared: &Prepared, cfg: &TrainConfig) -> Result<()> {
    let Some(m) = prepared.unfound_marks(cfg)? else {
        return Ok(());
    };
    let total = m.total;
    for (place, w) in m.missing.iter().take(10) {
        let file = match place.file {
            Some(_) => String::new(),
            None => format!("{file}: "),
        };
        eprintln!("stance-train: {file}{place}: marked word {w:?} does not occur in the text");
    }
    if !m.missing.is_empty() {
        eprintln!(
            "stance-train: {} of {total} marked words do not occur in their text and train \
             nothing{}",
            m.missing.len(),
            if m.missing.len() > 10 {
                " (the first 10 listed above)"
            } else {
                " (listed above)"
            }
        );
    }
    Ok(())
}

// Arguments -> configuration, and back: the one place that knows both the flags and the
// library's settings. `train_config` and `columns` read the flags; `setting_flag` writes
// autotune's choice back as the flags that give it.

/// The library's training configuration the flags ask for (checked).
fn train_config(a: &Args) -> Result<TrainConfig> {
    let (char_min, char_max) = char_range(&a.char_ngrams)?;
    let mut cfg = TrainConfig::default();
    cfg.features.hash_bits = a.hash_bits;
    cfg.features.word_ngrams = a.word_ngrams;
    cfg.features.char_min = char_min;
    cfg.features.char_max = char_max;
    cfg.features.window = a.window;
    cfg.features.context = a.context;
    cfg.features.lexicon = !a.no_lexicon;
    cfg.features.clause = !a.no_clause;
    cfg.features.global_weight = a.global_weight;
    cfg.features.lexicon_weight = a.lexicon_weight;
    cfg.features.extras.cues = !a.no_cues;
    cfg.features.extras.shape = a.shape;
    cfg.features.extras.vectors = !a.no_vectors;
    cfg.features.extras.clusters = a.clusters;
    cfg.features.extras.subjectivity = a.subjectivity;
    cfg.features.extras.char_words = !a.char_occurrences;
    cfg.features.conjoin = match a.conjoin {
        ConjoinArg::Never => Conjoin::Never,
        ConjoinArg::Topics => Conjoin::Topics,
        ConjoinArg::Context => Conjoin::Context,
        ConjoinArg::Always => Conjoin::Always,
    };
    cfg.features.check()?;
    cfg.params = cfg
        .params
        .c(a.c)
        .max_iter(a.max_iter)
        .class_weight(match a.class_weight {
            Weighting::Balanced => ClassWeight::Balanced,
            Weighting::None => ClassWeight::Uniform,
        });
    cfg.params = cfg.params.seed(a.seed).solver(match a.solver {
        SolverArg::Lbfgs => Solver::Lbfgs,
        SolverArg::Sgd => Solver::Sgd {
            epochs: a.epochs,
            rate: a.rate,
        },
    });
    cfg.params.clone().check()?;
    cfg.bias_params = cfg.params.clone().c(a.bias_c.unwrap_or(a.c));
    cfg.bias_params.clone().check()?;
    cfg.seed = a.seed;
    cfg.min_target_count = a.min_target_count;
    cfg.file_weights = file_weights(a)?;
    if let Some(s) = &a.label_score {
        cfg.stance_scores = parse_label_scores(s)?;
    }
    if let Some(s) = &a.bias_label_score {
        cfg.bias_scores = parse_label_scores(s)?;
    }
    cfg.lexicon = if a.no_builtin_actors {
        Lexicon::default()
    } else {
        Lexicon::builtin()
    };
    if let Some(p) = &a.actors {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        cfg.lexicon
            .merge(&Lexicon::from_toml(&text, &p.display().to_string())?);
    }
    Ok(cfg)
}

/// The CSV columns the flags name (`--column`, `--cv-group`).
fn columns(a: &Args) -> Result<Columns> {
    let mut cols = Columns::from_specs(&a.column)?;
    if let Some(g) = &a.cv_group {
        if a.cv.is_none() && !a.autotune {
            bail!("--cv-group groups the folds of --cv and --autotune: give one of them");
        }
        cols.group = Some(g.clone());
    }
    Ok(cols)
}

/// How `--autotune` searches, from its flags.
fn autotune_options(a: &Args, cfg: &TrainConfig) -> Result<AutotuneOptions> {
    if !(a.autotune_budget.is_finite() && a.autotune_budget > 0.0) {
        bail!("--autotune-budget must be a positive number of seconds");
    }
    Ok(AutotuneOptions {
        budget: std::time::Duration::from_secs_f64(a.autotune_budget),
        folds: a.autotune_folds,
        objective: match a.autotune_metric {
            TuneMetric::MacroF1 => Objective::MacroF1,
            TuneMetric::FAvg => Objective::FAvg,
            TuneMetric::Accuracy => Objective::Accuracy,
        },
        rounds: 3,
        seed: cfg.seed,
    })
}

/// The flag that gives this value of an autotune knob (for the default of a switch that
/// turns something off: "(without --no-...)").
fn setting_flag(s: &Setting) -> String {
    match *s {
        Setting::C(c) => format!("--c {c}"),
        Setting::BiasC(c) => format!("--bias-c {c}"),
        Setting::ClassWeight(ClassWeight::Balanced) => "--class-weight balanced".into(),
        Setting::ClassWeight(ClassWeight::Uniform) => "--class-weight none".into(),
        Setting::Epochs(e) => format!("--epochs {e}"),
        Setting::CharNgrams(0, _) => "--char-ngrams 0".into(),
        Setting::CharNgrams(a, b) => format!("--char-ngrams {a}-{b}"),
        Setting::WordNgrams(n) => format!("--word-ngrams {n}"),
        Setting::Window(w) => format!("--window {w}"),
        Setting::GlobalWeight(w) => format!("--global-weight {w}"),
        Setting::Context(true) => "--context".into(),
        Setting::Context(false) => "--no-context".into(),
        Setting::Clause(true) => "(without --no-clause)".into(),
        Setting::Clause(false) => "--no-clause".into(),
        Setting::Lexicon(true) => "(without --no-lexicon)".into(),
        Setting::Lexicon(false) => "--no-lexicon".into(),
        Setting::LexiconWeight(w) => format!("--lexicon-weight {w}"),
        Setting::Cues(true) => "(without --no-cues)".into(),
        Setting::Cues(false) => "--no-cues".into(),
        Setting::Vectors(true) => "(without --no-vectors)".into(),
        Setting::Vectors(false) => "--no-vectors".into(),
        Setting::Clusters(true) => "--clusters".into(),
        Setting::Clusters(false) => "(without --clusters)".into(),
        Setting::Subjectivity(true) => "--subjectivity".into(),
        Setting::Subjectivity(false) => "(without --subjectivity)".into(),
        Setting::Conjoin(c) => format!("--conjoin {}", c.name()),
    }
}

/// What a trial tried, as a flag ("start" for the starting settings).
fn tried_flag(t: &Trial) -> String {
    t.tried
        .as_ref()
        .map_or_else(|| "start".into(), setting_flag)
}

fn run(a: Args) -> Result<()> {
    if let Some(t) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(stance::check_threads(t)?)
            .build_global()?;
    }
    // Before any training: the model can be written where asked (and would not replace
    // an input), and the --eval file is readable and valid.
    let mut inputs: Vec<&str> = a.train.iter().map(String::as_str).collect();
    inputs.extend(a.eval.as_deref());
    stance::check_writable(&a.output, &inputs)?;
    let cols = columns(&a)?;
    let cfg = train_config(&a)?;
    let eval_data = match &a.eval {
        Some(path) => {
            let bytes = read_input(path)?;
            Some(stance::read_csv(&bytes[..], path, &cols, a.skip_invalid)?)
        }
        None => None,
    };

    let t0 = Instant::now();
    let (mut model, fit_secs, cv_json, autotune_json) = if a.stream {
        fit_streaming(&a, &cfg, &cols)?
    } else {
        fit_in_memory(&a, &cfg, &cols, t0)?
    };

    let debug = std::env::var_os("STANCE_DEBUG").is_some();
    let t_eval = Instant::now();
    let eval_json = match (&a.eval, eval_data) {
        (Some(path), Some(ev)) => evaluate(&a, &mut model, path, ev)?,
        _ => serde_json::json!({}),
    };
    report_actors(&a, &model, &cfg);
    if debug {
        eprintln!(
            "train: evaluation in {:.2}s",
            t_eval.elapsed().as_secs_f64()
        );
    }
    let t_save = Instant::now();
    model.save(&a.output)?;
    if debug {
        eprintln!(
            "train: model written in {:.2}s",
            t_save.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "stance-train: wrote {} ({} bytes) in {:.1}s total",
        a.output.display(),
        std::fs::metadata(&a.output).map(|m| m.len()).unwrap_or(0),
        t0.elapsed().as_secs_f64()
    );
    if a.format == MetricsFormat::Json {
        let mut v = eval_json;
        let obj = v.as_object_mut().expect("an object");
        obj.insert("model".into(), a.output.display().to_string().into());
        obj.insert("train_seconds".into(), fit_secs.into());
        obj.insert("cv".into(), cv_json.into());
        if let Some(j) = autotune_json {
            obj.insert("autotune".into(), j);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    }
    Ok(())
}

/// Evaluate `model` on the `--eval` rows: store the metrics in the model, print them in
/// text mode, and return them as JSON.
fn evaluate(a: &Args, model: &mut Model, path: &str, mut ev: Dataset) -> Result<serde_json::Value> {
    stance::eval_label_check(model).filter(&mut ev, a.skip_invalid)?;
    for s in &ev.skipped {
        eprintln!(
            "stance-train: skipped {path}: line {}: {}",
            s.line, s.reason
        );
    }
    let evaluation = stance::evaluate(model, &ev.rows)?;
    if let Some(note) = stance::targets_found_note(path, evaluation.targets_without_offsets) {
        eprintln!("stance-train: {note}");
    }
    let (s, b) = (evaluation.stance, evaluation.bias);
    if let (Some(h), Some(m)) = (&mut model.stance, &s) {
        h.eval = Some(m.clone());
    }
    if let (Some(h), Some(m)) = (&mut model.bias, &b) {
        h.eval = Some(m.clone());
    }
    if a.format == MetricsFormat::Text {
        if let Some(m) = &s {
            println!("stance on {path}\n{}", m.to_text());
        }
        if let Some(m) = &b {
            println!("bias on {path}\n{}", m.to_text());
        }
    }
    let mut eval_json = stance::metrics_json(s.as_ref(), b.as_ref());
    if let Some(w) = stance::evaluate_loaded_words(model, &ev.rows)? {
        if a.format == MetricsFormat::Text {
            println!("loaded words on {path}: {}", w.to_text());
        }
        if let Some(obj) = eval_json.as_object_mut() {
            obj.insert("loaded_words".into(), serde_json::to_value(&w)?);
        }
    }
    Ok(eval_json)
}

/// Say how many actors the model knows and how many aliases training added.
fn report_actors(a: &Args, model: &Model, cfg: &TrainConfig) {
    let aliases = |l: &Lexicon| l.actors.iter().map(|x| x.aliases.len()).sum::<usize>();
    let added = aliases(&model.lexicon).saturating_sub(aliases(&cfg.lexicon));
    if a.min_target_count > 0 {
        eprintln!(
            "stance-train: the model knows {} actors; {added} aliases were added from training targets seen at least {} times",
            model.lexicon.actors.len(),
            a.min_target_count
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_of(flags: &[&str]) -> TrainConfig {
        let mut argv = vec!["stance-train", "train.csv", "-o", "m.stance"];
        argv.extend_from_slice(flags);
        train_config(&Args::try_parse_from(argv).unwrap()).unwrap()
    }

    /// Every autotune value's flag, given to `stance-train`, sets that value: the printed
    /// suggestion and the arguments are mapped by one table each way.
    #[test]
    fn every_setting_flag_gives_its_setting() {
        let default = config_of(&[]);
        for s in stance::KNOBS.iter().flat_map(|k| k.iter()) {
            let flag = setting_flag(s);
            let args: Vec<&str> = if flag.starts_with("(without ") {
                vec![]
            } else {
                flag.split(' ').collect()
            };
            let got = config_of(&args);
            let mut want = default.clone();
            s.apply(&mut want);
            if let Setting::C(c) = s {
                // --c also sets the bias head's C when --bias-c is not given.
                want.bias_params.c = *c;
            }
            assert_eq!(got.features, want.features, "{flag}");
            assert_eq!(got.features.extras, want.features.extras, "{flag}");
            assert_eq!(got.params, want.params, "{flag}");
            assert_eq!(got.bias_params, want.bias_params, "{flag}");
        }
    }

    #[test]
    fn setting_flags_read_as_before() {
        let flags: Vec<String> = [
            Setting::C(10.0),
            Setting::BiasC(0.5),
            Setting::Window(6),
            Setting::Cues(true),
            Setting::CharNgrams(0, 0),
            Setting::CharNgrams(2, 5),
            Setting::LexiconWeight(0.1),
            Setting::Conjoin(Conjoin::Topics),
        ]
        .iter()
        .map(setting_flag)
        .collect();
        assert_eq!(
            flags,
            [
                "--c 10",
                "--bias-c 0.5",
                "--window 6",
                "(without --no-cues)",
                "--char-ngrams 0",
                "--char-ngrams 2-5",
                "--lexicon-weight 0.1",
                "--conjoin topics"
            ]
        );
    }

    /// The library's errors name no flag; this program names its own when it prints them.
    #[test]
    fn library_errors_are_printed_with_the_flags_of_this_program() {
        let e = anyhow::Error::from(stance::Error::MissingGroupColumn {
            file: "a.csv".into(),
            column: "outlet".into(),
            header: "\"text\"".into(),
        });
        assert!(!format!("{e:#}").contains("--"), "{e:#}");
        assert_eq!(
            message(&e.context("reading")),
            "reading: a.csv: missing column \"outlet\" named by --cv-group (header has: \"text\")"
        );
        for e in [
            stance::Error::TooFewFolds { folds: 1 },
            stance::Error::TooFewSentencesForFolds { folds: 9 },
            stance::Error::NothingToTune,
            stance::Error::InvalidColumnSpec { spec: "x".into() },
            stance::Error::UnknownColumnField { field: "x".into() },
            stance::Error::UnknownLabel { label: "x".into() },
            stance::Error::StreamedLoadedWords {
                file: "a.csv".into(),
                line: 2,
                column: "loaded_words".into(),
            },
        ] {
            assert!(!e.to_string().contains("--"), "{e}");
            assert!(flag_hint(&e).unwrap().contains("--"), "{e}");
        }
    }
}
