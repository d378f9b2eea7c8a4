//! Typed errors of the core library. The binaries add context (file names) with `anyhow`.

use std::path::PathBuf;

/// Everything that can go wrong inside the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A row of a training or evaluation CSV is invalid.
    #[error("{file}: line {line}: {reason}")]
    InvalidRow {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The CSV as a whole cannot be used (missing column, no rows, unreadable).
    #[error("{file}: {reason}")]
    InvalidCsv {
        /// The file's name.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A label has no known polarity and none was given in the label scores
    /// (`TrainConfig::stance_scores`, `bias_scores`).
    #[error("label {label:?} has no polarity; give it a label score {label}=1|0|-1 (known: favor/pro/support/positive = +1, against/con/oppose/negative = -1, neutral/none/neither = 0)")]
    UnknownLabel {
        /// The label.
        label: String,
    },
    /// A label score specification (`LABEL=NUMBER,...`) could not be parsed.
    #[error(
        "invalid label score {0:?}: expected LABEL=NUMBER[,LABEL=NUMBER...] with numbers in -1..=1"
    )]
    InvalidLabelScore(String),
    /// The actor lexicon is invalid.
    #[error("actor lexicon {source_name}: {reason}")]
    InvalidLexicon {
        /// Where the lexicon came from (its file name).
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// A model file could not be read.
    #[error("model file {path}: {reason}")]
    InvalidModel {
        /// The file's path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Training could not proceed.
    #[error("training: {0}")]
    Training(String),
    /// Cross-validation was asked for with fewer than 2 folds.
    #[error("cross-validation needs at least 2 folds, not {folds}")]
    TooFewFolds {
        /// The folds asked for.
        folds: usize,
    },
    /// A cross-validation fold would be empty: fewer sentences (or fold groups) than folds.
    #[error("too few sentences for {folds} cross-validation folds")]
    TooFewSentencesForFolds {
        /// The folds asked for.
        folds: usize,
    },
    /// Autotune was given data with neither stance nor bias rows.
    #[error("autotune: the data has neither stance nor bias rows")]
    NothingToTune,
    /// Streaming training met a row with marked loaded words: the loaded-word detector
    /// needs every marked sentence at once.
    #[error("{file}: line {line}: column {column:?}: streaming training does not train the loaded-word detector (it needs every marked sentence at once); train in memory, or name no loaded-words column")]
    StreamedLoadedWords {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// The column's name.
        column: String,
    },
    /// A column override is not `FIELD=NAME`.
    #[error("column override {spec:?}: expected FIELD=NAME")]
    InvalidColumnSpec {
        /// The specification as given.
        spec: String,
    },
    /// A column override names a field the reader does not have.
    #[error("column override: unknown field {field:?} (text, target, stance, mention_start, mention_end, bias, id, actor, loaded_words)")]
    UnknownColumnField {
        /// The field named.
        field: String,
    },
    /// The column named to group the cross-validation folds is not in the header.
    #[error("{file}: missing column {column:?} named as the fold group (header has: {header})")]
    MissingGroupColumn {
        /// The file's name.
        file: String,
        /// The column's name.
        column: String,
        /// The header's names, quoted.
        header: String,
    },
    /// An article is larger than the size limit of the inputs.
    #[error("{input}: {what} is larger than the {limit_mb} MB article limit: split it into articles (one file each, or one JSON Lines record per article, which is streamed), or raise the limit")]
    ArticleTooLarge {
        /// The input's name.
        input: String,
        /// Which part of it ("line 3", "this plain-text article").
        what: String,
        /// The limit, in MB.
        limit_mb: usize,
    },
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
    Io {
        /// The file's path.
        path: String,
        /// The I/O error.
        error: std::io::Error,
    },
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

/// An error chain on one line, as anyhow's `{:#}` prints it (each error, then its
/// sources, joined by ": "), with each library error in it replaced by `hint(error)`
/// where that gives a message: the binaries name their own flags this way, which the
/// library's messages do not.
pub fn chain_message(
    err: &(dyn std::error::Error + 'static),
    hint: impl Fn(&Error) -> Option<String>,
) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(err);
    while let Some(e) = cur {
        let hinted = e.downcast_ref::<Error>().and_then(&hint);
        parts.push(hinted.unwrap_or_else(|| e.to_string()));
        cur = e.source();
    }
    parts.join(": ")
}

/// Whether an error chain holds a broken pipe (the reader of standard output went
/// away), as an I/O error or a library [`Error::Io`].
pub fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    let pipe = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    let mut cur = Some(err);
    while let Some(e) = cur {
        let broken = e.downcast_ref::<std::io::Error>().is_some_and(pipe)
            || matches!(e.downcast_ref::<Error>(), Some(Error::Io { error, .. }) if pipe(error));
        if broken {
            return true;
        }
        cur = e.source();
    }
    false
}
