//! Classification metrics: per-class precision/recall/F1, macro-F1, accuracy, SemEval's
//! F_avg and the confusion matrix.

use crate::model::labels::LabelSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Precision, recall, F1 and support of one class (fractions in 0..1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// Of the rows predicted as the class, the share that is.
    pub precision: f64,
    /// Of the rows of the class, the share predicted as it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Rows of the class.
    pub support: usize,
}

/// Mean and (population) standard deviation of a figure over cross-validation folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanSd {
    /// The mean.
    pub mean: f64,
    /// The population standard deviation.
    pub sd: f64,
}

/// What a head's cross-validation measured, stored in the model (`Display`: the line
/// `stance-train --cv` prints, e.g. `5 folds: macro-F1 0.6543 ± 0.0123  accuracy ...`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CvSummary {
    /// Number of folds.
    pub folds: u32,
    /// Macro-F1 over the folds.
    pub macro_f1: MeanSd,
    /// Accuracy over the folds.
    pub accuracy: MeanSd,
    /// SemEval's F_avg, when every fold has it (labels with a favor/against pair).
    pub f_avg: Option<MeanSd>,
}

impl std::fmt::Display for CvSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (m, a) = (self.macro_f1, self.accuracy);
        write!(
            f,
            "{} folds: macro-F1 {:.4} ± {:.4}  accuracy {:.4} ± {:.4}",
            self.folds, m.mean, m.sd, a.mean, a.sd
        )?;
        if let Some(g) = self.f_avg {
            write!(f, "  F_avg {:.4} ± {:.4}", g.mean, g.sd)?;
        }
        Ok(())
    }
}

impl CvSummary {
    /// Read the line [`Display`](std::fmt::Display) writes (model files before format
    /// version 5 stored it as text); `None` if it is not such a line. The figures have
    /// the line's 4 decimals, so the summary displays as the same line.
    pub fn parse(line: &str) -> Option<CvSummary> {
        let (folds, rest) = line.split_once(" folds: ")?;
        let stat = |rest: &str, name: &str| -> Option<(MeanSd, usize)> {
            let rest = rest.strip_prefix(name)?.strip_prefix(' ')?;
            let (mean, after) = rest.split_once(" ± ")?;
            let end = after.find("  ").unwrap_or(after.len());
            let sd = &after[..end];
            let used = name.len() + 1 + mean.len() + " ± ".len() + end;
            Some((
                MeanSd {
                    mean: mean.parse().ok()?,
                    sd: sd.parse().ok()?,
                },
                used,
            ))
        };
        let (macro_f1, n) = stat(rest, "macro-F1")?;
        let rest = rest[n..].strip_prefix("  ")?;
        let (accuracy, n) = stat(rest, "accuracy")?;
        let rest = &rest[n..];
        let f_avg = match rest.strip_prefix("  ") {
            None if rest.is_empty() => None,
            None => return None,
            Some(r) => {
                let (g, n) = stat(r, "F_avg")?;
                if n != r.len() {
                    return None;
                }
                Some(g)
            }
        };
        let s = CvSummary {
            folds: folds.parse().ok()?,
            macro_f1,
            accuracy,
            f_avg,
        };
        (s.to_string() == line).then_some(s)
    }
}

/// Metrics of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Rows scored.
    pub n: usize,
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Unweighted mean F1 over the classes.
    pub macro_f1: f64,
    /// Mean F1 of the positive-polarity and negative-polarity classes (SemEval-2016
    /// Task 6's F_avg); absent when the label set has no such pair.
    pub f_avg: Option<f64>,
    /// Precision, recall and F1 of each class.
    pub per_class: BTreeMap<String, ClassMetrics>,
    /// `confusion[gold][predicted]` = count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Metrics {
    /// Compute metrics from gold and predicted class indices of `labels`.
    #[allow(clippy::needless_range_loop)]
    pub fn compute(labels: &LabelSet, gold: &[usize], pred: &[usize]) -> Metrics {
        assert_eq!(gold.len(), pred.len());
        let k = labels.len();
        let mut cm = vec![vec![0usize; k]; k];
        for (&g, &p) in gold.iter().zip(pred) {
            cm[g][p] += 1;
        }
        let n = gold.len();
        let correct: usize = (0..k).map(|i| cm[i][i]).sum();
        let mut per_class = BTreeMap::new();
        let mut f1s = Vec::with_capacity(k);
        for c in 0..k {
            let tp = cm[c][c] as f64;
            let support: usize = cm[c].iter().sum();
            let predicted: usize = (0..k).map(|g| cm[g][c]).sum();
            let precision = if predicted > 0 {
                tp / predicted as f64
            } else {
                0.0
            };
            let recall = if support > 0 {
                tp / support as f64
            } else {
                0.0
            };
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            f1s.push(f1);
            per_class.insert(
                labels.names[c].clone(),
                ClassMetrics {
                    precision,
                    recall,
                    f1,
                    support,
                },
            );
        }
        let f_avg = match (labels.positive_class(), labels.negative_class()) {
            (Some(p), Some(q)) => Some((f1s[p] + f1s[q]) / 2.0),
            _ => None,
        };
        let confusion = (0..k)
            .map(|g| {
                (
                    labels.names[g].clone(),
                    (0..k)
                        .map(|p| (labels.names[p].clone(), cm[g][p]))
                        .collect(),
                )
            })
            .collect();
        Metrics {
            n,
            accuracy: if n > 0 {
                correct as f64 / n as f64
            } else {
                0.0
            },
            macro_f1: if k > 0 {
                f1s.iter().sum::<f64>() / k as f64
            } else {
                0.0
            },
            f_avg,
            per_class,
            confusion,
        }
    }

    /// Mean and standard deviation of metrics over folds (`Display`: a readable line).
    pub fn summarize_folds(folds: &[Metrics]) -> CvSummary {
        let stat = |f: &dyn Fn(&Metrics) -> f64| {
            let v: Vec<f64> = folds.iter().map(f).collect();
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
            MeanSd { mean, sd }
        };
        CvSummary {
            folds: folds.len() as u32,
            macro_f1: stat(&|m| m.macro_f1),
            accuracy: stat(&|m| m.accuracy),
            f_avg: folds
                .iter()
                .all(|m| m.f_avg.is_some())
                .then(|| stat(&|m| m.f_avg.unwrap())),
        }
    }

    /// A readable report: per-class table, summary figures, confusion matrix.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let w = self
            .per_class
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(5)
            .max(9);
        let _ = writeln!(
            s,
            "{:<w$}  {:>9}  {:>9}  {:>9}  {:>7}",
            "class", "precision", "recall", "f1", "support"
        );
        for (label, c) in &self.per_class {
            let _ = writeln!(
                s,
                "{:<w$}  {:>9.4}  {:>9.4}  {:>9.4}  {:>7}",
                label, c.precision, c.recall, c.f1, c.support
            );
        }
        let _ = writeln!(s);
        let _ = write!(
            s,
            "rows {}  accuracy {:.4}  macro-F1 {:.4}",
            self.n, self.accuracy, self.macro_f1
        );
        if let Some(f) = self.f_avg {
            let _ = write!(s, "  F_avg {f:.4}");
        }
        let _ = writeln!(s, "\n\nconfusion (rows = gold, columns = predicted)");
        let labels: Vec<&String> = self.per_class.keys().collect();
        let _ = write!(s, "{:<w$}", "");
        for l in &labels {
            let _ = write!(s, "  {:>w$}", l);
        }
        let _ = writeln!(s);
        for g in &labels {
            let _ = write!(s, "{:<w$}", g);
            for p in &labels {
                let _ = write!(s, "  {:>w$}", self.confusion[*g][*p]);
            }
            let _ = writeln!(s);
        }
        s
    }
}

/// The JSON object printed for an evaluation: the stance metrics' fields at the top
/// level (the bias head's when there is no stance head), and the bias head's metrics
/// under `bias`.
pub fn metrics_json(stance: Option<&Metrics>, bias: Option<&Metrics>) -> serde_json::Value {
    let mut top = match stance.or(bias) {
        Some(m) => serde_json::to_value(m).expect("metrics serialize"),
        None => serde_json::json!({}),
    };
    if let (Some(b), Some(obj)) = (bias, top.as_object_mut()) {
        obj.insert(
            "bias".into(),
            serde_json::to_value(b).expect("metrics serialize"),
        );
    }
    top
}

/// How well a loaded-word detector finds the words annotators marked: over annotated
/// sentences, the distinct words of each that were marked (and occur in it) against
/// those the detector lists (probability at or above its threshold).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordMetrics {
    /// Annotated sentences scored.
    pub sentences: usize,
    /// Distinct marked words (that occur in their sentence).
    pub marked: usize,
    /// Distinct words the detector lists.
    pub listed: usize,
    /// Distinct words both marked and listed.
    pub both: usize,
    /// `both / listed` (0 when nothing is listed).
    pub precision: f64,
    /// `both / marked` (0 when nothing is marked).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// The probability from which a word is listed.
    pub threshold: f64,
}

impl WordMetrics {
    /// The measures from the counts; `threshold` is the detector's listing threshold.
    pub fn new(
        sentences: usize,
        marked: usize,
        listed: usize,
        both: usize,
        threshold: f32,
    ) -> Self {
        // As written in the source (0.2), not as the f32 widens (0.200000003).
        let threshold = (threshold as f64 * 1e6).round() / 1e6;
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(both, listed), ratio(both, marked));
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        WordMetrics {
            sentences,
            marked,
            listed,
            both,
            precision,
            recall,
            f1,
            threshold,
        }
    }

    /// One line for the text report.
    pub fn to_text(&self) -> String {
        format!(
            "precision {:.4}  recall {:.4}  F1 {:.4}  ({} of {} marked words listed, {} listed, \
             in {} annotated sentences; listed = probability >= {:.2})",
            self.precision,
            self.recall,
            self.f1,
            self.both,
            self.marked,
            self.listed,
            self.sentences,
            self.threshold
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::prelude::ToConfusionMatrix;

    /// The summary's line reads back as the same summary (model files before version 5
    /// stored the line); anything else is not read.
    #[test]
    fn cv_summary_line_reads_back() {
        for line in [
            "5 folds: macro-F1 0.6543 ± 0.0123  accuracy 0.7000 ± 0.0100",
            "3 folds: macro-F1 0.6543 ± 0.0123  accuracy 0.7000 ± 0.0100  F_avg 0.5000 ± 0.1000",
        ] {
            let s = CvSummary::parse(line).unwrap();
            assert_eq!(s.to_string(), line);
        }
        assert_eq!(
            CvSummary::parse("5 folds: macro-F1 0.6543 ± 0.0123").map(|s| s.folds),
            None
        );
        assert_eq!(CvSummary::parse("done").map(|s| s.folds), None);
    }
    use ndarray::Array1;

    #[test]
    fn word_metrics_count_and_guard_empty_sets() {
        let m = WordMetrics::new(3, 4, 2, 1, 0.2);
        assert_eq!((m.precision, m.recall), (0.5, 0.25));
        assert!((m.f1 - 1.0 / 3.0).abs() < 1e-12);
        let m = WordMetrics::new(1, 0, 0, 0, 0.2);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        assert!(m.to_text().contains("0 of 0 marked words"));
    }

    #[test]
    fn agrees_with_linfa_confusion_matrix() {
        let labels = LabelSet {
            names: vec!["against".into(), "favor".into(), "neutral".into()],
            polarity: vec![-1.0, 1.0, 0.0],
        };
        let gold = [0, 0, 1, 1, 2, 2, 2, 0, 1, 2];
        let pred = [0, 1, 1, 1, 2, 0, 2, 0, 2, 2];
        let m = Metrics::compute(&labels, &gold, &pred);
        let g: Array1<usize> = Array1::from(gold.to_vec());
        let p: Array1<usize> = Array1::from(pred.to_vec());
        let cm = p.confusion_matrix(&g).unwrap();
        assert!((m.accuracy - cm.accuracy() as f64).abs() < 1e-6);
        // linfa's one-vs-all split gives per-class binary matrices in label order.
        for (c, bin) in cm.split_one_vs_all().iter().enumerate() {
            let pc = &m.per_class[&labels.names[c]];
            assert!(
                (pc.precision - bin.precision() as f64).abs() < 1e-6,
                "class {c}"
            );
            assert!((pc.recall - bin.recall() as f64).abs() < 1e-6, "class {c}");
        }
        // Hand check: against P=2/3 R=2/3, favor P=2/3 R=2/3 -> F_avg 2/3.
        assert!((m.f_avg.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(m.confusion["neutral"]["against"], 1);
        assert!(m.to_text().contains("F_avg 0.6667"));
    }
}
