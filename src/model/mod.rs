//! The trained model and its file format.
//!
//! One file holds everything needed to reproduce a prediction: the tokenizer pipeline
//! (as `tokenizers` JSON), feature settings and IDF weights, the actor lexicon, both
//! classifier heads (stance toward a target; sentence bias) with their labels and
//! polarities, hyperparameters, seed, a fingerprint of the training data and the
//! training metrics.
//!
//! Layout: 8 magic bytes `STANCEMD`, format version (u32 LE), payload length (u64 LE),
//! xxh3-64 checksum of the payload (u64 LE), then the payload (postcard). Loading checks
//! magic, version, length against the file size and the checksum before decoding, and
//! validates every array size after. Files are written atomically (temporary file in
//! the same directory, then rename).

pub mod describe;
pub mod labels;
pub mod loaded;
pub mod metrics;
pub mod score;
pub mod sentence;

use crate::error::{Error, Result};
use crate::features::{Extractor, FeatureConfig};
use crate::linear::classifier::{LogisticRegression, LogisticRegressionParams};
use crate::model::labels::LabelSet;
use crate::model::metrics::Metrics;
use crate::text::actors::Lexicon;
use crate::text::tokenize::TokenPipeline;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"STANCEMD";
/// Version of the payload layout this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;
/// Version of files whose payload is followed by the names of the optional feature
/// families that are on ([`crate::features::FeatureExtras`]) and, when it is not 1, the
/// lexicon weight as `lexicon-weight=W` ([`FeatureConfig::family_names`]); written only
/// when there is such a name, so a model without them is byte-for-byte a version-2 file
/// (and older builds refuse names they do not know).
pub const FORMAT_VERSION_EXTRAS: u32 = 3;
/// Version of files that also carry a loaded-word detector ([`crate::model::loaded`]) after
/// the names of the feature families; written only for models that have one.
pub const FORMAT_VERSION_LOADED: u32 = 4;
const HEADER_LEN: usize = 8 + 4 + 8 + 8;

/// Why a model's parts do not fit together (a file that decodes but is not a model this
/// build can use).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Invalid {
    /// The feature settings fail their check.
    #[error("{0}")]
    Features(String),
    #[error("IDF has {found} entries, expected {expected}")]
    IdfSize { found: usize, expected: usize },
    #[error("the model has no classifier head")]
    NoHead,
    #[error("a loaded-word detector without a bias head")]
    DetectorWithoutBias,
    #[error("loaded-word detector: array sizes do not match its settings")]
    DetectorSizes,
    #[error("loaded-word detector: weights are not finite")]
    DetectorNotFinite,
    #[error("{0} head: array sizes do not match its settings")]
    HeadSizes(Head),
}

/// The two classifier heads a model can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Head {
    /// Stance toward a target (an actor named in the sentence, or a topic).
    Stance,
    /// Loaded (biased) language of the sentence.
    Bias,
}

impl Head {
    /// Both heads, stance first.
    pub const ALL: [Head; 2] = [Head::Stance, Head::Bias];

    /// The head's name: "stance" or "bias".
    pub fn name(self) -> &'static str {
        match self {
            Head::Stance => "stance",
            Head::Bias => "bias",
        }
    }
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One classifier head: labels, weights, and how it was evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedHead {
    pub labels: LabelSet,
    pub classifier: LogisticRegression,
    /// Training rows used by this head.
    pub train_rows: usize,
    /// Metrics on `--eval` data, if given.
    pub eval: Option<Metrics>,
    /// Cross-validation summary, if run.
    pub cv: Option<String>,
}

/// Provenance of the training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// Training file as given on the command line.
    pub train_file: String,
    /// xxh3-64 of the training file's bytes, hex.
    pub train_fingerprint: String,
    pub eval_file: Option<String>,
    /// Crate version that trained the model.
    pub crate_version: String,
    pub seed: u64,
    /// Hyperparameters of the stance head and of the bias head.
    pub params: LogisticRegressionParams,
    pub bias_params: LogisticRegressionParams,
    /// Rows skipped as invalid (with `--skip-invalid`), as "line: reason".
    pub skipped: Vec<String>,
}

/// A trained model.
#[derive(Debug, Clone)]
pub struct Model {
    pub pipeline: TokenPipeline,
    pub features: FeatureConfig,
    pub idf: Vec<f32>,
    pub lexicon: Lexicon,
    pub stance: Option<FittedHead>,
    pub bias: Option<FittedHead>,
    /// Word-level loaded-language detector feeding the bias head, when the training
    /// data marked loaded words.
    pub loaded: Option<crate::model::loaded::LoadedWords>,
    pub info: TrainingInfo,
}

/// IDF on disk: the value of buckets never seen in training (all equal) and the others.
#[derive(Serialize, Deserialize)]
struct IdfDisk {
    len: u64,
    unseen: f32,
    #[serde(deserialize_with = "crate::linear::classifier::vec_reserved")]
    cols: Vec<u32>,
    #[serde(deserialize_with = "crate::linear::classifier::vec_reserved")]
    values: Vec<f32>,
}

impl IdfDisk {
    fn pack(idf: &[f32]) -> IdfDisk {
        let unseen = idf.iter().cloned().fold(0.0f32, f32::max);
        let mut cols = Vec::new();
        let mut values = Vec::new();
        for (i, &v) in idf.iter().enumerate() {
            if v != unseen {
                cols.push(i as u32);
                values.push(v);
            }
        }
        IdfDisk {
            len: idf.len() as u64,
            unseen,
            cols,
            values,
        }
    }

    fn unpack(self, buckets: usize) -> std::result::Result<Vec<f32>, String> {
        let n = self.len as usize;
        if n != 0 && n != buckets {
            return Err(format!("IDF has {n} entries, expected {buckets}"));
        }
        if self.cols.len() != self.values.len()
            || self.cols.windows(2).any(|w| w[0] >= w[1])
            || self.cols.last().is_some_and(|&c| c as usize >= n)
        {
            return Err("IDF arrays are inconsistent".into());
        }
        let mut idf = vec![self.unseen; n];
        for (&c, &v) in self.cols.iter().zip(&self.values) {
            idf[c as usize] = v;
        }
        Ok(idf)
    }
}

#[derive(Deserialize)]
struct Payload {
    tokenizer_json: String,
    features: FeatureConfig,
    idf: IdfDisk,
    lexicon: Lexicon,
    stance: Option<FittedHead>,
    bias: Option<FittedHead>,
    info: TrainingInfo,
}

/// `Payload` as written: the same fields, borrowed from the model.
#[derive(Serialize)]
struct PayloadRef<'a> {
    tokenizer_json: String,
    features: &'a FeatureConfig,
    idf: IdfDisk,
    lexicon: &'a Lexicon,
    stance: Option<&'a FittedHead>,
    bias: Option<&'a FittedHead>,
    info: &'a TrainingInfo,
}

impl Model {
    /// The feature extractor of this model.
    pub fn extractor(&self) -> Extractor {
        let mut e = Extractor::new(self.features.clone(), self.pipeline.clone());
        e.idf = self.idf.clone();
        e
    }

    /// Serialize to bytes (header + payload).
    pub fn to_bytes(&self) -> Vec<u8> {
        let payload = PayloadRef {
            tokenizer_json: self.pipeline.to_json(),
            features: &self.features,
            idf: IdfDisk::pack(&self.idf),
            lexicon: &self.lexicon,
            stance: self.stance.as_ref(),
            bias: self.bias.as_ref(),
            info: &self.info,
        };
        let mut body = postcard::to_stdvec(&payload).expect("model serializes");
        let names = self.features.family_names();
        let version = if let Some(d) = &self.loaded {
            body.extend(postcard::to_stdvec(&names).expect("extras serialize"));
            body.extend(postcard::to_stdvec(d).expect("detector serializes"));
            FORMAT_VERSION_LOADED
        } else if names.is_empty() {
            FORMAT_VERSION
        } else {
            body.extend(postcard::to_stdvec(&names).expect("extras serialize"));
            FORMAT_VERSION_EXTRAS
        };
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Parse bytes; `path` is used in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Model> {
        let bad = |reason: String| Error::InvalidModel {
            path: path.to_path_buf(),
            reason,
        };
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(bad(
                "not a stance model file (wrong magic bytes; expected a file written by stance-train)"
                    .into(),
            ));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        if !(FORMAT_VERSION..=FORMAT_VERSION_LOADED).contains(&version) {
            return Err(bad(format!(
                "model format version {version}, this build reads versions {FORMAT_VERSION} to {FORMAT_VERSION_LOADED}; {}",
                if version > FORMAT_VERSION_LOADED {
                    "upgrade stance to read it"
                } else {
                    "retrain the model with this version"
                }
            )));
        }
        let len = u64::from_le_bytes(bytes[12..20].try_into().unwrap());
        let actual = (bytes.len() - HEADER_LEN) as u64;
        if len != actual {
            return Err(bad(format!(
                "truncated or padded: header says {len} payload bytes, file has {actual}"
            )));
        }
        let sum = u64::from_le_bytes(bytes[20..28].try_into().unwrap());
        let body = &bytes[HEADER_LEN..];
        if xxhash_rust::xxh3::xxh3_64(body) != sum {
            return Err(bad("corrupt: checksum mismatch".into()));
        }
        let (mut p, rest): (Payload, &[u8]) =
            postcard::take_from_bytes(body).map_err(|e| bad(format!("corrupt payload: {e}")))?;
        let mut loaded = None;
        if version >= FORMAT_VERSION_EXTRAS {
            let (names, rest): (Vec<String>, &[u8]) = postcard::take_from_bytes(rest)
                .map_err(|e| bad(format!("corrupt feature extras: {e}")))?;
            if version == FORMAT_VERSION_LOADED {
                let d: crate::model::loaded::LoadedWords = postcard::from_bytes(rest)
                    .map_err(|e| bad(format!("corrupt loaded-word detector: {e}")))?;
                loaded = Some(d);
            } else if !rest.is_empty() {
                return Err(bad(format!(
                    "{} bytes after the feature extras",
                    rest.len()
                )));
            }
            p.features.set_family_names(&names).map_err(bad)?;
        }
        let pipeline = TokenPipeline::from_json(&p.tokenizer_json)
            .map_err(|e| bad(format!("tokenizer: {e}")))?;
        p.features
            .check()
            .map_err(|e| bad(format!("feature settings: {e}")))?;
        let idf = p.idf.unpack(p.features.buckets()).map_err(bad)?;
        let m = Model {
            pipeline,
            features: p.features,
            idf,
            lexicon: p.lexicon,
            stance: p.stance,
            bias: p.bias,
            loaded,
            info: p.info,
        };
        m.validate().map_err(|e| bad(e.to_string()))?;
        Ok(m)
    }

    /// What the model holds, for `stance-classify --describe`: provenance, feature
    /// settings, each head's labels, hyperparameters and stored scores, the loaded-word
    /// detector and the actor lexicon (JSON through serde, text through `Display`).
    pub fn describe(&self) -> describe::Description {
        describe::Description::new(self)
    }

    /// One of the model's heads, if it has it.
    pub fn head(&self, head: Head) -> Option<&FittedHead> {
        match head {
            Head::Stance => self.stance.as_ref(),
            Head::Bias => self.bias.as_ref(),
        }
    }

    /// Check that every array has the size its settings imply.
    pub fn validate(&self) -> std::result::Result<(), Invalid> {
        self.features
            .check()
            .map_err(|e| Invalid::Features(e.to_string()))?;
        let buckets = self.features.buckets();
        if !self.idf.is_empty() && self.idf.len() != buckets {
            return Err(Invalid::IdfSize {
                found: self.idf.len(),
                expected: buckets,
            });
        }
        if self.stance.is_none() && self.bias.is_none() {
            return Err(Invalid::NoHead);
        }
        if let Some(d) = &self.loaded {
            if self.bias.is_none() {
                return Err(Invalid::DetectorWithoutBias);
            }
            d.validate()?;
        }
        for name in Head::ALL {
            let Some(h) = self.head(name) else { continue };
            let c = &h.classifier;
            if h.labels.len() != c.n_classes
                || h.labels.polarity.len() != c.n_classes
                || c.n_features != buckets
                || c.weights.len() != c.n_features * c.n_classes
                || c.intercept.len() != c.n_classes
            {
                return Err(Invalid::HeadSizes(name));
            }
        }
        Ok(())
    }

    /// Read a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::InvalidModel {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Model::from_bytes(&bytes, path)
    }

    /// Write a model file atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomically(path, &self.to_bytes())
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename,
/// so readers never see a partial file (and an interrupt leaves no temporary file).
pub use crate::io::atomic::write_atomically;
