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
//! ## The stages
//!
//! The library is a pipeline of stages; data flows one way, and a stage uses only the
//! stages below it (a test checks this on the source):
//!
//! | stage | what it holds |
//! |---|---|
//! | [`output`] | printers of reports: table, JSON, JSON Lines, CSV, HTML |
//! | [`analyze`], [`train`] | articles -> per-sentence and per-actor reports; labeled rows -> a fitted model, cross-validation, evaluation, autotune, streaming |
//! | [`model`] | the fitted model, its file format, labels and metrics, the loaded-word detector, and the sentence scorer that both `analyze` and `train`'s evaluation use |
//! | [`features`] | target-masked hashed feature rows and their weighting (IDF) |
//! | [`text`], [`linear`], [`io`] | sentences, tokens and actor mentions; sparse rows and the linear solvers; reading labeled CSV and articles |
//! | [`error`] | the error type |

// Unsafe code is allowed only where a module says so: the two-thread SGD
// (`linear::classifier::sgd`), the memory and CPU hints (`mem`) and the signal
// handler that removes a half-written file on interrupt (`io::atomic`).
#![deny(unsafe_code)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod analyze;
pub mod error;
pub mod features;
pub mod io;
pub mod linear;
#[allow(unsafe_code)]
pub mod mem;
pub mod model;
pub mod output;
pub mod text;
pub mod train;

pub use error::{Error, Result};

pub use analyze::compare::Comparison;
pub use analyze::{ActorSummary, Analyzer, ArticleReport, SentenceReport};
pub use io::data::Dataset;
pub use model::Model;
pub use output::report::Format;
pub use train::TrainConfig;
