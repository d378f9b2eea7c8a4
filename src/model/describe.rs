//! What a model file holds, for `stance-classify --describe`: a typed description that
//! serializes to JSON and displays as readable lines (each fact computed once).
//!
//! The fields of each type are in alphabetical order: the JSON keys come out sorted, as
//! they did when the description was a `serde_json::Value`.

use super::{FittedHead, Head, Model};
use crate::linear::classifier::{ClassWeight, LogisticRegressionParams, Solver};
use crate::text::ner::{EntityKind, NerTagger, SpanCounts};
use serde::Serialize;
use std::fmt;

/// A model's description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Description {
    /// Actors of the lexicon.
    pub actors: usize,
    /// Aliases of the lexicon's actors.
    pub aliases: usize,
    /// The bias head, when the model has one.
    pub bias: Option<HeadDescription>,
    /// The model file's size, when described from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The feature settings.
    pub features: FeaturesDescription,
    /// The model file, when described from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The loaded-word detector, when the model has one.
    pub loaded_word_detector: Option<DetectorDescription>,
    /// The seed of the training run.
    pub seed: u64,
    /// Training rows skipped as invalid.
    pub skipped_rows: usize,
    /// The stance head, when the model has one.
    pub stance: Option<HeadDescription>,
    /// The NER tagger that finds actors in the text, when one is described with the
    /// model (`stance-classify --describe` without `--actors-only`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tagger: Option<TaggerDescription>,
    /// The training file as given.
    pub train_file: String,
    /// xxh3-64 of the training file's bytes, hex.
    pub train_fingerprint: String,
    /// The crate version that trained the model.
    pub trained_by: String,
}

/// The NER tagger of discovery: where it comes from, how it was trained, and the scores
/// stored in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggerDescription {
    /// The tagger file's size.
    pub bytes: usize,
    /// Its training settings, in words.
    pub method: String,
    /// The file the stored exact-span scores were measured on, if the tagger has them.
    pub scored_on: Option<String>,
    /// The number of sentences of that file.
    pub scored_sentences: Option<usize>,
    /// Per entity type, then `micro` (all types pooled).
    pub scores: Vec<TypeScores>,
    /// The tagger file, or `built-in`.
    pub source: String,
}

/// A tagger's exact-span scores for one entity type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeScores {
    /// F1 of precision and recall.
    pub f1: f64,
    /// Gold spans of the type.
    pub gold: usize,
    /// Predicted spans that are gold spans, over predicted spans.
    pub precision: f64,
    /// Gold spans predicted, over gold spans.
    pub recall: f64,
    /// The entity type (`PERSON`, ...), or `micro`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl TaggerDescription {
    /// Describe `tagger`, read from `source` (a path, or `built-in`) of `bytes` bytes.
    pub fn of(tagger: &NerTagger, source: String, bytes: usize) -> TaggerDescription {
        let stored = tagger.scores();
        let scores = stored.map_or_else(Vec::new, |s| {
            let row = |name: &str, c: SpanCounts| TypeScores {
                f1: c.f1(),
                gold: c.gold,
                precision: c.precision(),
                recall: c.recall(),
                kind: name.to_string(),
            };
            EntityKind::ALL
                .into_iter()
                .map(|k| row(k.name(), s.scores.kind(k)))
                .chain(std::iter::once(row("micro", s.scores.micro())))
                .collect()
        });
        TaggerDescription {
            bytes,
            method: tagger.params().to_string(),
            scored_on: stored.map(|s| s.data.clone()),
            scored_sentences: stored.map(|s| s.sentences),
            scores,
            source,
        }
    }
}

impl fmt::Display for TaggerDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "tagger: {} ({} bytes): {}",
            self.source, self.bytes, self.method
        )?;
        match (&self.scored_on, self.scored_sentences) {
            (Some(data), Some(n)) => {
                let f1: Vec<String> = self
                    .scores
                    .iter()
                    .map(|t| format!("{} {:.4}", t.kind, t.f1))
                    .collect();
                writeln!(
                    f,
                    "  exact-span F1 on {data} ({n} sentences): {}",
                    f1.join(", ")
                )
            }
            _ => writeln!(f, "  no scores stored"),
        }
    }
}

/// The feature settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeaturesDescription {
    /// "2-5": the character n-gram lengths (`None`: no character n-grams).
    pub char_ngrams: Option<String>,
    /// Target-clause features on.
    pub clause: bool,
    /// `--conjoin`'s value.
    pub conjoin: &'static str,
    /// Left/right-context features of the target on.
    pub context: bool,
    /// The feature families that are on (`char-words`, `cues`, ...).
    pub families: Vec<String>,
    /// Weight of whole-sentence n-grams.
    pub global_weight: f64,
    /// log2 of the number of hash buckets.
    pub hash_bits: u8,
    /// IDF weighting on.
    pub idf: bool,
    /// Prior-polarity lexicon features on.
    pub lexicon: bool,
    /// Weight of the prior-polarity lexicon features.
    pub lexicon_weight: f64,
    /// Sublinear term frequency on.
    pub sublinear_tf: bool,
    /// Tokens on each side of the target with window features.
    pub window: u8,
    /// Longest word n-gram.
    pub word_ngrams: u8,
}

/// One classifier head.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadDescription {
    /// Inverse L2 regularization strength.
    pub c: f64,
    /// Class weighting (`balanced` or `uniform`).
    pub class_weight: &'static str,
    /// The classes, in index order.
    pub classes: Vec<ClassDescription>,
    /// The cross-validation summary stored at training, as `stance-train --cv` prints it.
    pub cv: Option<String>,
    /// The scores on the `--eval` file stored at training.
    pub eval: Option<EvalDescription>,
    /// Columns seen in fewer training rows than this got no weight.
    pub min_df: usize,
    /// The solver and its settings.
    pub solver: SolverDescription,
    /// Training rows of the head.
    pub train_rows: usize,
}

/// A class and its polarity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDescription {
    /// The label.
    pub label: String,
    /// Its polarity (stance) or loadedness (bias).
    pub polarity: f64,
}

/// The scores stored at training on the `--eval` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalDescription {
    /// Accuracy.
    pub accuracy: f64,
    /// SemEval's F_avg, when the classes have a favor/against pair.
    pub f_avg: Option<f64>,
    /// The evaluation file.
    pub file: Option<String>,
    /// Macro-F1.
    pub macro_f1: f64,
    /// Rows evaluated.
    pub rows: usize,
}

/// The solver and its settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SolverDescription {
    /// AdaGrad SGD.
    Sgd {
        /// Passes over the rows.
        epochs: u32,
        /// `sgd`.
        name: &'static str,
        /// Learning rate.
        rate: f64,
        /// The settings as one line of text.
        text: String,
    },
    /// L-BFGS to the optimum.
    Lbfgs {
        /// Most iterations.
        max_iter: u64,
        /// `lbfgs`.
        name: &'static str,
        /// The settings as one line of text.
        text: String,
        /// Gradient-norm tolerance.
        tol: f64,
    },
}

impl SolverDescription {
    fn text(&self) -> &str {
        match self {
            SolverDescription::Sgd { text, .. } | SolverDescription::Lbfgs { text, .. } => text,
        }
    }
}

/// The loaded-word detector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectorDescription {
    /// log2 of the detector's hash buckets.
    pub hash_bits: u8,
    /// Marked words it was trained on.
    pub train_marked: u64,
    /// Words it was trained on.
    pub train_words: u64,
}

/// An `f32` setting as the number it was written as (0.1, not 0.10000000149...).
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

impl HeadDescription {
    fn new(model: &Model, h: &FittedHead, p: &LogisticRegressionParams) -> HeadDescription {
        let solver = match p.solver {
            Solver::Sgd { epochs, rate } => SolverDescription::Sgd {
                epochs,
                name: "sgd",
                rate,
                text: format!("SGD {epochs} epochs, rate {rate}"),
            },
            Solver::Lbfgs => SolverDescription::Lbfgs {
                max_iter: p.max_iter,
                name: "lbfgs",
                text: format!("L-BFGS, at most {} iterations", p.max_iter),
                tol: p.tol,
            },
        };
        HeadDescription {
            c: p.c,
            class_weight: match p.class_weight {
                ClassWeight::Balanced => "balanced",
                ClassWeight::Uniform => "uniform",
            },
            classes: h
                .labels
                .names
                .iter()
                .zip(&h.labels.polarity)
                .map(|(n, &p)| ClassDescription {
                    label: n.clone(),
                    polarity: f64::from(p),
                })
                .collect(),
            cv: h.cv.as_ref().map(ToString::to_string),
            eval: h.eval.as_ref().map(|m| EvalDescription {
                accuracy: m.accuracy,
                f_avg: m.f_avg,
                file: model.info.eval_file.clone(),
                macro_f1: m.macro_f1,
                rows: m.n,
            }),
            min_df: p.min_df,
            solver,
            train_rows: h.train_rows,
        }
    }
}

impl Description {
    /// The description of a model (without its file).
    pub fn new(m: &Model) -> Description {
        let f = &m.features;
        Description {
            actors: m.lexicon.actors.len(),
            aliases: m.lexicon.actors.iter().map(|a| a.aliases.len()).sum(),
            bias: m
                .bias
                .as_ref()
                .map(|h| HeadDescription::new(m, h, &m.info.bias_params)),
            bytes: None,
            features: FeaturesDescription {
                char_ngrams: (f.char_max > 0).then(|| format!("{}-{}", f.char_min, f.char_max)),
                clause: f.clause,
                conjoin: f.conjoin.name(),
                context: f.context,
                families: f.extras.names_on(),
                global_weight: shortest(f.global_weight),
                hash_bits: f.hash_bits,
                idf: f.idf,
                lexicon: f.lexicon,
                lexicon_weight: shortest(f.lexicon_weight),
                sublinear_tf: f.sublinear_tf,
                window: f.window,
                word_ngrams: f.word_ngrams,
            },
            file: None,
            loaded_word_detector: m.loaded.as_ref().map(|d| DetectorDescription {
                hash_bits: d.bits,
                train_marked: d.train_marked,
                train_words: d.train_words,
            }),
            seed: m.info.seed,
            skipped_rows: m.info.skipped.len(),
            stance: m
                .stance
                .as_ref()
                .map(|h| HeadDescription::new(m, h, &m.info.params)),
            tagger: None,
            train_file: m.info.train_file.clone(),
            train_fingerprint: m.info.train_fingerprint.clone(),
            trained_by: format!("stance {}", m.info.crate_version),
        }
    }

    /// The same, of the model file `file` of `bytes` bytes.
    pub fn of_file(m: &Model, file: String, bytes: u64) -> Description {
        Description {
            file: Some(file),
            bytes: Some(bytes),
            ..Description::new(m)
        }
    }
}

impl fmt::Display for FeaturesDescription {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has = |family: &str| self.families.iter().any(|x| x == family);
        let on = |b: bool, yes: &str, no: &str| if b { yes } else { no }.to_string();
        let mut feats = vec![
            match self.word_ngrams {
                0 => "no word n-grams".to_string(),
                n => format!("word 1-{n}-grams"),
            },
            match &self.char_ngrams {
                Some(r) => format!(
                    "character {r}-grams ({})",
                    on(has("char-words"), "once per word", "every occurrence")
                ),
                None => "no character n-grams".into(),
            },
            format!("global weight {}", self.global_weight),
        ];
        if self.window > 0 {
            feats.push(format!("window {}", self.window));
        }
        feats.push(on(self.clause, "clause", "no clause"));
        feats.push(on(
            self.context,
            "left/right context",
            "no left/right context",
        ));
        feats.push(if self.lexicon {
            format!("VADER lexicon (weight {})", self.lexicon_weight)
        } else {
            "no VADER lexicon".into()
        });
        feats.push(on(has("cues"), "cue words", "no cue words"));
        if has("shape") {
            feats.push("surface shape".into());
        }
        if has("vectors") {
            feats.push("GloVe word-vector averages".into());
        }
        if has("clusters") {
            feats.push("GloVe word clusters".into());
        }
        if has("subjectivity") {
            feats.push("Pattern subjectivity".into());
        }
        feats.push(format!("conjoined copies: {}", self.conjoin));
        feats.push(format!(
            "{}TF{}",
            on(self.sublinear_tf, "sublinear ", ""),
            on(self.idf, " x IDF", "")
        ));
        feats.push(format!("2^{} buckets", self.hash_bits));
        write!(out, "{}", feats.join(", "))
    }
}

impl HeadDescription {
    fn write(&self, name: Head, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let classes: Vec<String> = self
            .classes
            .iter()
            .map(|c| {
                if c.polarity == 0.0 {
                    format!("{} (0)", c.label)
                } else {
                    format!("{} ({:+})", c.label, c.polarity)
                }
            })
            .collect();
        writeln!(
            out,
            "{name} head: {} classes {}; {} training rows; C {}, {} class weights, {}",
            classes.len(),
            classes.join(", "),
            self.train_rows,
            self.c,
            self.class_weight,
            self.solver.text()
        )?;
        if let Some(e) = &self.eval {
            writeln!(
                out,
                "  on {}: macro-F1 {:.4}, accuracy {:.4}{} ({} rows)",
                e.file.as_deref().unwrap_or("the --eval file"),
                e.macro_f1,
                e.accuracy,
                e.f_avg
                    .map(|g| format!(", F_avg {g:.4}"))
                    .unwrap_or_default(),
                e.rows
            )?;
        }
        if let Some(cv) = &self.cv {
            writeln!(out, "  cross-validation: {cv}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Description {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            let bytes = self.bytes.unwrap_or(0);
            writeln!(out, "model: {file} ({bytes} bytes)")?;
        }
        writeln!(out, "trained by: {}, seed {}", self.trained_by, self.seed)?;
        writeln!(
            out,
            "training file: {} (xxh3 {}); {} invalid rows skipped",
            self.train_file, self.train_fingerprint, self.skipped_rows
        )?;
        writeln!(out, "features: {}", self.features)?;
        for (name, head) in Head::ALL.into_iter().zip([&self.stance, &self.bias]) {
            match head {
                Some(h) => h.write(name, out)?,
                None => writeln!(out, "{name} head: none")?,
            }
        }
        match &self.loaded_word_detector {
            None => writeln!(out, "loaded-word detector: none")?,
            Some(d) => writeln!(
                out,
                "loaded-word detector: trained on {} words, {} of them marked; 2^{} buckets",
                d.train_words, d.train_marked, d.hash_bits
            )?,
        }
        writeln!(out, "actors: {} ({} aliases)", self.actors, self.aliases)?;
        match &self.tagger {
            Some(t) => write!(out, "{t}"),
            None => Ok(()),
        }
    }
}
