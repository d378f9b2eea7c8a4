//! Typed errors of the core library. The binaries add context (file names) with `anyhow`.

use std::path::PathBuf;

/// Everything that can go wrong inside the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A row of a training or evaluation CSV is invalid.
    #[error("{file}: line {line}: {reason}")]
    InvalidRow {
        file: String,
        line: u64,
        reason: String,
    },
    /// The CSV as a whole cannot be used (missing column, no rows, unreadable).
    #[error("{file}: {reason}")]
    InvalidCsv { file: String, reason: String },
    /// A label has no known polarity and none was given with `--label-score`.
    #[error("label {label:?} has no polarity; give one with --label-score {label}=1|0|-1 (known: favor/pro/support/positive = +1, against/con/oppose/negative = -1, neutral/none/neither = 0)")]
    UnknownLabel { label: String },
    /// A `--label-score` specification could not be parsed.
    #[error(
        "invalid label score {0:?}: expected LABEL=NUMBER[,LABEL=NUMBER...] with numbers in -1..=1"
    )]
    InvalidLabelScore(String),
    /// The actor lexicon is invalid.
    #[error("actor lexicon {source_name}: {reason}")]
    InvalidLexicon { source_name: String, reason: String },
    /// A model file could not be read.
    #[error("model file {path}: {reason}")]
    InvalidModel { path: PathBuf, reason: String },
    /// Training could not proceed.
    #[error("training: {0}")]
    Training(String),
    /// Parameters failed their check.
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    /// Feature matrix and labels disagree in size.
    #[error("mismatched shapes: {0} rows vs {1} labels")]
    MismatchedShapes(usize, usize),
    /// Tokenizer failure.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// Input/output failure. The I/O error is part of the message rather than a
    /// `source()`, so that a printed chain (`{:#}`) does not repeat it.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    /// Error reported by linfa.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}

/// Result alias of the library.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}
