//! The trained model and its file format.
//!
//! One file holds everything needed to reproduce a prediction: the tokenizer pipeline
//! (as `tokenizers` JSON), feature settings and IDF weights, the actor lexicon, both
//! classifier heads (stance toward a target; sentence bias) with their labels and
//! polarities, hyperparameters, seed, a fingerprint of the training data and the
//! training metrics.
//!
//! Layout: 8 magic bytes `STANCEMD`, format version (u32 LE), payload length (u64 LE),
//! xxh3-64 checksum of the payload (u64 LE), then the payload (postcard; from version 5
//! followed by `Extras`: the feature families as a typed list, the lexicon weight and
//! the loaded-word detector, with each head's cross-validation summary typed in the
//! payload). Versions 2 to 4 (text names of the families, `lexicon-weight=W`, the
//! summary as text) still load. Loading checks
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
use crate::features::{Family, FeatureExtras};
use crate::linear::classifier::{LogisticRegression, LogisticRegressionParams};
use crate::model::labels::LabelSet;
use crate::model::loaded::LoadedWords;
use crate::model::metrics::{CvSummary, Metrics};
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
/// lexicon weight as `lexicon-weight=W` (read, no longer written).
pub const FORMAT_VERSION_EXTRAS: u32 = 3;
/// Version of files that also carry a loaded-word detector ([`crate::model::loaded`]) after
/// the names of the feature families; written only for models that have one.
pub const FORMAT_VERSION_LOADED: u32 = 4;
/// Version of the files this build writes for models without a family of outside
/// resources: the model's metadata as typed fields (the feature families as [`Family`]
/// values, the lexicon weight as an `f32`, the cross-validation summary as
/// [`CvSummary`]) instead of text to parse.
pub const FORMAT_VERSION_TYPED: u32 = 5;
/// Version of the files this build writes for models with a feature family that reads
/// an outside resource ([`Family::uses_resources`]): the layout of version 5, so that
/// builds that do not know those families refuse the file by its version.
pub const FORMAT_VERSION_RESOURCES: u32 = 6;
const HEADER_LEN: usize = 8 + 4 + 8 + 8;

/// Why a model's parts do not fit together (a file that decodes but is not a model this
/// build can use).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Invalid {
    /// The feature settings fail their check.
    #[error("{0}")]
    Features(String),
    #[error("IDF has {found} entries, expected {expected}")]
    /// The IDF table does not have an entry per hash bucket.
    IdfSize {
        /// Entries found.
        found: usize,
        /// Entries the feature settings ask for.
        expected: usize,
    },
    #[error("the model has no classifier head")]
    /// The model has neither a stance nor a bias head.
    NoHead,
    #[error("a loaded-word detector without a bias head")]
    /// A loaded-word detector without a bias head to feed.
    DetectorWithoutBias,
    #[error("loaded-word detector: array sizes do not match its settings")]
    /// The detector's arrays do not match its settings.
    DetectorSizes,
    #[error("loaded-word detector: weights are not finite")]
    /// The detector's weights are not all finite.
    DetectorNotFinite,
    #[error("{0} head: array sizes do not match its settings")]
    /// A head's arrays do not match its settings.
    HeadSizes(Head),
    #[error("{0} head: class names are not sorted and distinct")]
    /// A head's class names are not sorted and distinct, as training writes them (a
    /// report's probabilities are looked up by name in that order).
    HeadLabels(Head),
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
    /// The head's classes, in index order, with their polarity.
    pub labels: LabelSet,
    /// The fitted linear classifier.
    pub classifier: LogisticRegression,
    /// Training rows used by this head.
    pub train_rows: usize,
    /// Metrics on `--eval` data, if given.
    pub eval: Option<Metrics>,
    /// Cross-validation summary, if run.
    pub cv: Option<CvSummary>,
}

/// [`FittedHead`] as files before version 5 stored it: the cross-validation summary as
/// its printed line.
#[derive(Deserialize)]
struct FittedHeadV4 {
    labels: LabelSet,
    classifier: LogisticRegression,
    train_rows: usize,
    eval: Option<Metrics>,
    cv: Option<String>,
}

impl FittedHeadV4 {
    fn upgrade(self) -> std::result::Result<FittedHead, String> {
        let cv = match self.cv {
            None => None,
            Some(line) => Some(
                CvSummary::parse(&line)
                    .ok_or_else(|| format!("unreadable cross-validation summary {line:?}"))?,
            ),
        };
        Ok(FittedHead {
            labels: self.labels,
            classifier: self.classifier,
            train_rows: self.train_rows,
            eval: self.eval,
            cv,
        })
    }
}

/// What a version-5 file stores after the payload: the settings the payload's
/// [`FeatureConfig`] leaves out, and the loaded-word detector.
#[derive(Serialize, Deserialize)]
struct Extras<D> {
    /// The optional feature families that are on.
    families: Vec<Family>,
    lexicon_weight: f32,
    loaded: Option<D>,
}

/// Provenance of the training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// Training file as given on the command line.
    pub train_file: String,
    /// xxh3-64 of the training file's bytes, hex.
    pub train_fingerprint: String,
    /// The evaluation file, when one was given.
    pub eval_file: Option<String>,
    /// Crate version that trained the model.
    pub crate_version: String,
    /// The seed of the run (fold assignment, SGD row order).
    pub seed: u64,
    /// Hyperparameters of the stance head.
    pub params: LogisticRegressionParams,
    /// Hyperparameters of the bias head.
    pub bias_params: LogisticRegressionParams,
    /// Rows skipped as invalid (with `--skip-invalid`), as "line: reason".
    pub skipped: Vec<String>,
}

/// A trained model.
#[derive(Debug, Clone)]
pub struct Model {
    /// The tokenizer.
    pub pipeline: TokenPipeline,
    /// The feature settings.
    pub features: FeatureConfig,
    /// Inverse document frequency of every hash bucket.
    pub idf: Vec<f32>,
    /// The actors the model knows (the built-in lexicon, the user's, and the frequent training targets).
    pub lexicon: Lexicon,
    /// The stance head, when the training data had stance labels.
    pub stance: Option<FittedHead>,
    /// The bias head, when the training data had bias labels.
    pub bias: Option<FittedHead>,
    /// Word-level loaded-language detector feeding the bias head, when the training
    /// data marked loaded words.
    pub loaded: Option<crate::model::loaded::LoadedWords>,
    /// Provenance of the training run.
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

/// The payload as read; `H`: [`FittedHead`], or [`FittedHeadV4`] before version 5.
#[derive(Deserialize)]
struct Payload<H> {
    tokenizer_json: String,
    features: FeatureConfig,
    idf: IdfDisk,
    lexicon: Lexicon,
    stance: Option<H>,
    bias: Option<H>,
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

/// The lexicon weight as stored, if it is one (finite, not negative).
fn lexicon_weight(w: f32) -> std::result::Result<f32, String> {
    if w.is_finite() && w >= 0.0 {
        Ok(w)
    } else {
        Err(format!(
            "bad stored lexicon weight {w:?} (a corrupt or foreign file)"
        ))
    }
}

/// Set the optional families and the lexicon weight from the names stored by files of
/// versions 3 and 4 (what is not named is off, or 1); an unknown name (from a newer
/// build) or a bad weight is an error, worded for the user.
fn set_family_names(
    features: &mut FeatureConfig,
    names: &[String],
) -> std::result::Result<(), String> {
    let mut families = Vec::new();
    features.lexicon_weight = 1.0;
    for name in names {
        match name.strip_prefix("lexicon-weight=") {
            Some(w) => {
                features.lexicon_weight = w
                    .parse::<f32>()
                    .map_err(|_| ())
                    .and_then(|w| lexicon_weight(w).map_err(|_| ()))
                    .map_err(|()| {
                        format!("bad stored lexicon weight {w:?} (a corrupt or foreign file)")
                    })?
            }
            None => families.push(Family::from_name(name).ok_or_else(|| {
                format!(
                    "unknown feature family {name:?}: written by a newer build; upgrade \
                     stance to read it"
                )
            })?),
        }
    }
    features.extras = FeatureExtras::from_families(&families);
    Ok(())
}

/// A version-5 body: the payload, then [`Extras`].
fn read_typed(
    body: &[u8],
) -> std::result::Result<(Payload<FittedHead>, Option<LoadedWords>), String> {
    let (mut p, rest): (Payload<FittedHead>, &[u8]) =
        postcard::take_from_bytes(body).map_err(|e| format!("corrupt payload: {e}"))?;
    let extras: Extras<LoadedWords> =
        postcard::from_bytes(rest).map_err(|e| format!("corrupt feature extras: {e}"))?;
    p.features.extras = FeatureExtras::from_families(&extras.families);
    p.features.lexicon_weight = lexicon_weight(extras.lexicon_weight)?;
    Ok((p, extras.loaded))
}

/// A body of versions 2 to 4: the payload (the cross-validation summaries as text), then
/// from version 3 the names of the feature families that are on, with the lexicon
/// weight as `lexicon-weight=W` when it is not 1, then in version 4 the loaded-word
/// detector.
fn read_v2_to_v4(
    body: &[u8],
    version: u32,
) -> std::result::Result<(Payload<FittedHead>, Option<LoadedWords>), String> {
    let (p, rest): (Payload<FittedHeadV4>, &[u8]) =
        postcard::take_from_bytes(body).map_err(|e| format!("corrupt payload: {e}"))?;
    let mut features = p.features;
    let mut loaded = None;
    if version >= FORMAT_VERSION_EXTRAS {
        let (names, rest): (Vec<String>, &[u8]) =
            postcard::take_from_bytes(rest).map_err(|e| format!("corrupt feature extras: {e}"))?;
        if version == FORMAT_VERSION_LOADED {
            let d: LoadedWords = postcard::from_bytes(rest)
                .map_err(|e| format!("corrupt loaded-word detector: {e}"))?;
            loaded = Some(d);
        } else if !rest.is_empty() {
            return Err(format!("{} bytes after the feature extras", rest.len()));
        }
        set_family_names(&mut features, &names)?;
    }
    let upgrade = |h: Option<FittedHeadV4>| h.map(FittedHeadV4::upgrade).transpose();
    let p = Payload {
        tokenizer_json: p.tokenizer_json,
        features,
        idf: p.idf,
        lexicon: p.lexicon,
        stance: upgrade(p.stance)?,
        bias: upgrade(p.bias)?,
        info: p.info,
    };
    Ok((p, loaded))
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
        let extras = Extras {
            families: self.features.extras.families(),
            lexicon_weight: self.features.lexicon_weight,
            loaded: self.loaded.as_ref(),
        };
        body.extend(postcard::to_stdvec(&extras).expect("extras serialize"));
        let version = if extras.families.iter().any(|f| f.uses_resources()) {
            FORMAT_VERSION_RESOURCES
        } else {
            FORMAT_VERSION_TYPED
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
        if !(FORMAT_VERSION..=FORMAT_VERSION_RESOURCES).contains(&version) {
            return Err(bad(format!(
                "model format version {version}, this build reads versions {FORMAT_VERSION} to {FORMAT_VERSION_RESOURCES}; {}",
                if version > FORMAT_VERSION_RESOURCES {
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
        let (p, loaded) = if version >= FORMAT_VERSION_TYPED {
            read_typed(body).map_err(bad)?
        } else {
            read_v2_to_v4(body, version).map_err(bad)?
        };
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
            if !h.labels.names.windows(2).all(|w| w[0] < w[1]) {
                return Err(Invalid::HeadLabels(name));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Files of versions 3 and 4 name the lexicon weight among the feature families when
    /// it is not 1; it reads back exactly, and is 1 when absent; a bad stored value or an
    /// unknown name is an error.
    #[test]
    fn family_names_of_old_files_are_read() {
        let mut f = FeatureConfig::default();
        let names: Vec<String> = ["cues", "char-words", "lexicon-weight=0.1"]
            .map(String::from)
            .to_vec();
        set_family_names(&mut f, &names).unwrap();
        assert_eq!(f.lexicon_weight, 0.1);
        assert_eq!(f.extras.families(), [Family::Cues, Family::CharWords]);
        set_family_names(&mut f, &["cues".to_string()]).unwrap();
        assert_eq!(f.lexicon_weight, 1.0);
        for (bad, why) in [
            ("lexicon-weight=-1", "corrupt or foreign"),
            ("lexicon-weight=x", "corrupt or foreign"),
            ("lexicon-weight=NaN", "corrupt or foreign"),
            ("wide", "newer build"),
        ] {
            let e = set_family_names(&mut f, &[bad.to_string()]).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    /// A head whose class names are out of order or repeated (a corrupt or foreign file
    /// that still parses) is refused at load, not scored.
    #[test]
    fn class_names_out_of_order_are_refused() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/old-v3.stance"
        ));
        let mut m = Model::from_bytes(&std::fs::read(path).unwrap(), path).unwrap();
        assert!(m.validate().is_ok());
        let names = &mut m.stance.as_mut().unwrap().labels.names;
        names.swap(0, 1);
        let bad = m.to_bytes();
        let e = Model::from_bytes(&bad, path).unwrap_err().to_string();
        assert!(e.contains("stance head: class names are not sorted and distinct"), "{e}");
        let names = &mut m.stance.as_mut().unwrap().labels.names;
        names[0] = names[1].clone();
        assert_eq!(m.validate(), Err(Invalid::HeadLabels(Head::Stance)));
    }

    /// A version-3 file (written by the build before version 5, with cross-validation
    /// summaries) loads with its metadata typed, and written again as version 5 it
    /// loads to the same model.
    #[test]
    fn an_old_file_loads_and_rewrites_as_version_5() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/old-v3.stance"
        ));
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 3);
        let m = Model::from_bytes(&bytes, path).unwrap();
        assert_eq!(m.features.lexicon_weight, 0.25);
        assert_eq!(
            m.features.extras.families(),
            [Family::Cues, Family::TokenHash, Family::CharWords]
        );
        let cv = m.stance.as_ref().unwrap().cv.unwrap();
        assert_eq!(cv.folds, 2);
        assert_eq!(
            cv.to_string(),
            "2 folds: macro-F1 1.0000 ± 0.0000  accuracy 1.0000 ± 0.0000  F_avg 1.0000 ± 0.0000"
        );
        let new = m.to_bytes();
        assert_eq!(
            u32::from_le_bytes(new[8..12].try_into().unwrap()),
            FORMAT_VERSION_TYPED
        );
        let back = Model::from_bytes(&new, path).unwrap();
        assert_eq!(back.features, m.features);
        assert_eq!(back.features.lexicon_weight, m.features.lexicon_weight);
        assert_eq!(back.features.extras, m.features.extras);
        assert_eq!(back.stance, m.stance);
        assert_eq!(back.bias, m.bias);
        assert_eq!(back.idf, m.idf);
        assert_eq!(back.to_bytes(), new);
    }
}
