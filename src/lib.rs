//! # stance
//!
//! Per-actor stance and loaded-language scoring for news and opinion articles.
//!
//! Train a model on labeled rows, then classify articles:
//!
//! ```
//! use stance::{Analyzer, Dataset, TrainConfig};
//! let csv = "text,target,stance,mention_start,mention_end\n\
//!            Oman's patient mediation deserves praise,Oman,favor,0,4\n\
//!            Oman kept the channel open with great skill,Oman,favor,0,4\n\
//!            Iran's reckless threats wrecked the talks,Iran,against,0,4\n\
//!            Iran stalled and stonewalled again,Iran,against,0,4\n";
//! let data = Dataset::from_csv(csv.as_bytes(), "inline")?;
//! let model = TrainConfig::default().fit(&data)?;
//! let report = Analyzer::new(model)?
//!     .article("doc", "Oman deserves praise for its skill. Iran wrecked the talks.")?;
//! assert_eq!(report.actors.len(), 2);
//! assert!(report.actors.iter().any(|a| a.actor == "Oman" && a.score > 0.0));
//! # Ok::<(), stance::Error>(())
//! ```
//!
//! ## The API
//!
//! - **Data**: [`Dataset`] (labeled rows read from CSV by [`read_csv`] or
//!   [`read_csv_checked`], with [`Columns`] naming the columns and a [`LabelCheck`]).
//! - **Training**: [`TrainConfig`] holds every setting ([`FeatureConfig`],
//!   [`LogisticRegressionParams`], the actor [`Lexicon`]); [`TrainConfig::fit`] returns a
//!   [`Model`]. The same run in stages, with room to report between them:
//!   [`TrainConfig::prepare`] -> [`Prepared`] (and [`Prepared::autotune`]) ->
//!   [`Prepared::featurize`] -> [`Featurized`] (and [`Featurized::cross_validate`]) ->
//!   [`Featurized::fit`]. [`train_streaming`] fits from a file in bounded memory;
//!   [`evaluate`] measures a model on labeled rows.
//! - **Model**: [`Model`] (loaded and saved as one versioned file; [`Model::describe`]),
//!   its [`FittedHead`]s and their [`Metrics`].
//! - **Classifying**: [`Analyzer`] turns an article into an [`ArticleReport`] (per
//!   sentence [`SentenceReport`], per actor [`ActorSummary`]); [`Comparison`] sets
//!   several side by side. Actors come from the model's [`Lexicon`] and, with
//!   [`Analyzer::with_discovery`], from a named-entity tagger ([`NerTagger`],
//!   [`builtin_tagger`]).
//! - **Input and output**: [`expand`] turns arguments into article [`Source`]s;
//!   [`printer`] and [`print_comparison`] print reports in a [`Format`].
//!
//! Errors are one enum, [`Error`]. Inside, the library is a pipeline of private stages
//! (`text` -> `features` -> `model` -> `train` and `analyze` -> `output`, with `linear`
//! and `io` beside `text`); data flows one way, and a stage uses only the stages below
//! it (a test checks this on the source; README, "Architecture").

// Unsafe code is allowed only in `sys`: the SGD solver's weight-table kernels and
// two-thread lock-step, the memory and CPU hints, and the signal handler that removes a
// half-written file on interrupt.
#![deny(unsafe_code)]
#![warn(clippy::undocumented_unsafe_blocks)]
// Every item of the API has a doc comment (the `internals` feature exposes undocumented
// modules, for the project's own benchmarks and examples).
#![cfg_attr(not(feature = "internals"), warn(missing_docs))]

// The modules are private: the API is the items re-exported below. With the
// `internals` feature (the project's stage benchmarks and research examples only; not
// part of the API) they are public as they stand.
macro_rules! stages {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {$(
        $(#[$attr])*
        #[cfg(feature = "internals")]
        pub mod $name;
        $(#[$attr])*
        #[cfg(not(feature = "internals"))]
        mod $name;
    )*};
}

stages!(
    analyze,
    error,
    features,
    io,
    linear,
    model,
    output,
    #[allow(unsafe_code)]
    sys,
    text,
    train,
);

// Errors.
pub use error::{chain_message, is_broken_pipe, Error, Result};

// Labeled data.
pub use io::data::{
    parse_marks, read_csv, read_csv_checked, Columns, Dataset, LabelCheck, Row, RowPlace, Skipped,
};
pub use model::labels::{parse_label_scores, LabelSet};

// Training: settings (checked when fitting), staged or in one call, streaming, autotune.
pub use features::{Conjoin, FeatureConfig, FeatureExtras};
pub use linear::classifier::{
    ClassWeight, LogisticRegressionParams, LogisticRegressionValidParams, Solver,
};
pub use train::autotune::{
    Objective, Options as AutotuneOptions, Outcome as AutotuneOutcome, Setting, Trial, KNOBS,
};
pub use train::checks::{eval_label_check, training_label_check};
pub use train::staged::{Featurized, Prepared, UnfoundMarks};
pub use train::stream::{train_streaming, StreamOptions, Streamed};
pub use train::{evaluate, evaluate_loaded_words, targets_found_note, Evaluation, TrainConfig};

// The fitted model and its measures.
pub use model::describe::{
    ClassDescription, Description, DetectorDescription, EvalDescription, FeaturesDescription,
    HeadDescription, SolverDescription, TaggerDescription, TypeScores,
};
pub use model::metrics::{metrics_json, ClassMetrics, CvSummary, MeanSd, Metrics, WordMetrics};
pub use model::{FittedHead, Head, Invalid, Model, TrainingInfo};

// Classifying articles.
pub use analyze::compare::{ComparedActor, Comparison};
pub use analyze::{
    ActorSummary, Analyzer, ArticleReport, ClassProbabilities, Contribution, Driver, Explanation,
    LoadedWordOut, MentionKind, MentionOut, SentenceActor, SentenceReport, LEAN_THRESHOLD,
    LOADED_THRESHOLD, ONE_SIDED_SPREAD, VERDICT_MIN_SENTENCES,
};
pub use model::loaded::LOADED_WORD_THRESHOLD;
pub use text::actors::{Actor, Lexicon, Matcher, Mention, KINDS as ACTOR_KINDS};
pub use text::discover::{builtin_tagger, BUILTIN_TAGGER};
pub use text::ner::{
    evaluate as evaluate_tagger, read_gmb_csv, EntityKind, EntitySpan,
    Explanation as NerExplanation, NerError, NerParams, NerScores, NerSentence, NerTagger,
    SpanCounts, TagScheme, TokenExplanation, ValidNerParams, WordClusters,
};
pub use text::segment::MAX_SENTENCE_CHARS;

// Reading articles and printing reports.
pub use io::input::{
    expand, parse_jsonl_line, Document, InputFormat, Source, DEFAULT_MAX_ARTICLE_BYTES,
    DEFAULT_SECTION_BYTES,
};
pub use output::report::{print_comparison, printer, render, Format, Printer};

// The process: threads, output files, memory.
pub use io::atomic::check_writable;
pub use linear::threads::check_threads;
pub use sys::mem::{commit_memory_on_demand, release_freed_memory, return_freed_memory_promptly};
