//! # stance
//!
//! Per-actor stance and loaded-language scoring for news and opinion articles.
//!
//! The pipeline flows one way, one module per stage:
//!
//! text -> [`segment`] (sentences with offsets) -> [`actors`] (mentions of states,
//! organizations, ...) -> [`tokenize`] (Hugging Face normalizer + pre-tokenizer) ->
//! [`features`] (target-masked hashed n-grams) -> [`classifier`] (sparse multinomial
//! logistic regression behind linfa's traits) -> [`analyze`] (scores per sentence and
//! per actor) -> [`report`] (table, JSON, JSON Lines, CSV) and [`html`] (a page).
//!
//! Training reads labeled CSV ([`data`]), builds examples and fits the heads
//! ([`train`]); a [`model::Model`] holds everything needed to reproduce a prediction.
//!
//! ```
//! use stance::{data, model::TrainingInfo, train};
//! let csv = "text,target,stance,mention_start,mention_end\n\
//!            Oman's patient mediation deserves praise,Oman,favor,0,4\n\
//!            Oman kept the channel open with great skill,Oman,favor,0,4\n\
//!            Iran's reckless threats wrecked the talks,Iran,against,0,4\n\
//!            Iran stalled and stonewalled again,Iran,against,0,4\n";
//! let rows = data::read_csv(csv.as_bytes(), "inline", &data::Columns::default(), false)?.rows;
//! let cfg = train::TrainConfig::default();
//! let (lexicon, stance_data, _) = train::prepare(&cfg, &rows)?;
//! let d = stance_data.unwrap();
//! let raw = train::raw_rows(&train::extractor(&cfg.features)?, &d.examples, &|| {})?;
//! let info = TrainingInfo { train_file: "inline".into(), train_fingerprint: String::new(),
//!     eval_file: None, crate_version: "doc".into(), seed: 42, params: cfg.params.clone(),
//!     bias_params: cfg.bias_params.clone(), skipped: vec![] };
//! let model = train::train_model(&cfg, Some((&d, &raw)), None, lexicon, info)?;
//! let report = stance::analyze::Analyzer::new(model)?
//!     .article("doc", "Oman deserves praise for its skill. Iran wrecked the talks.")?;
//! assert_eq!(report.actors.len(), 2);
//! # Ok::<(), stance::Error>(())
//! ```

pub mod actors;
pub mod analyze;
pub mod autotune;
pub mod classifier;
pub mod data;
pub mod error;
pub mod eval;
pub mod features;
pub mod html;
pub mod input;
pub mod labels;
pub mod loaded;
pub mod mem;
pub mod model;
pub mod ner;
pub mod report;
pub mod score;
pub mod segment;
pub mod sparse;
pub mod stream;
mod strtable;
pub mod tokenize;
pub mod train;

pub use error::{Error, Result};
