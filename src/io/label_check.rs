//! Label checks while reading a labeled CSV, so that a row whose label cannot be used is
//! reported with its file and line (or skipped under `--skip-invalid`) like any other
//! invalid row: in training, a label needs a polarity (built in, or given in the label
//! scores; the message names how, see [`LabelCheck::with_polarity_hints`]); in
//! evaluation, it must be one of the model's classes.

use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// What a label of one head must satisfy.
#[derive(Debug, Clone)]
pub enum LabelRule {
    /// Training: the label has a polarity, given in `overrides` (with `hint`, e.g. a
    /// command-line flag, whose values are `values`, e.g. "1|0|-1") or built in
    /// (`default`).
    Polarity {
        overrides: BTreeMap<String, f32>,
        default: fn(&str) -> Option<f32>,
        hint: &'static str,
        values: &'static str,
        /// The built-in labels, for the message.
        builtin: &'static str,
    },
    /// Evaluation: the label is one of a model's classes (`names`, with `polarity`);
    /// `default` gives a label's built-in polarity for a hint.
    Classes {
        names: Vec<String>,
        polarity: Vec<f32>,
        default: fn(&str) -> Option<f32>,
    },
}

impl LabelRule {
    /// Why `label` of head `head` ("stance" or "bias") is not usable, if it is not.
    pub fn problem(&self, head: &str, label: &str) -> Option<String> {
        match self {
            LabelRule::Polarity {
                overrides,
                default,
                hint,
                values,
                builtin,
            } => (!overrides.contains_key(label) && default(label).is_none()).then(|| {
                format!(
                    "{head} label {label:?} has no polarity: give one with {hint} \
                     {}={values} (built in: {builtin})",
                    shell_word(label)
                )
            }),
            LabelRule::Classes {
                names,
                polarity,
                default,
            } => {
                if names.iter().any(|n| n == label) {
                    return None;
                }
                let classes = names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut msg =
                    format!("{head} label {label:?} is not one of the model's classes ({classes})");
                if let Some(p) = default(label) {
                    let same: Vec<&String> = names
                        .iter()
                        .zip(polarity)
                        .filter(|(_, q)| **q == p)
                        .map(|(n, _)| n)
                        .collect();
                    if let [one] = same.as_slice() {
                        msg.push_str(&format!(
                            "; {label:?} means {p:+}, as the model's {one:?} does: rename the \
                             label in the file"
                        ));
                    }
                }
                Some(msg)
            }
        }
    }
}

/// The label rules of both heads (`None`: not checked).
#[derive(Debug, Clone, Default)]
pub struct LabelCheck {
    /// The rule for stance labels.
    pub(crate) stance: Option<LabelRule>,
    /// The rule for bias labels.
    pub(crate) bias: Option<LabelRule>,
}

impl LabelCheck {
    /// Why a row with these labels cannot be used, if it cannot.
    pub fn problem(&self, stance: Option<&str>, bias: Option<&str>) -> Option<String> {
        let one = |rule: &Option<LabelRule>, head: &str, label: Option<&str>| {
            rule.as_ref()?.problem(head, label?)
        };
        one(&self.stance, "stance", stance).or_else(|| one(&self.bias, "bias", bias))
    }
}

impl LabelCheck {
    /// Name, in the messages of the training rules, how a caller gives a stance or a
    /// bias label its polarity (a program's flags, e.g. `--label-score`).
    pub fn with_polarity_hints(mut self, stance: &'static str, bias: &'static str) -> Self {
        for (rule, h) in [(&mut self.stance, stance), (&mut self.bias, bias)] {
            if let Some(LabelRule::Polarity { hint, .. }) = rule {
                *hint = h;
            }
        }
        self
    }

    /// Apply the check to rows already read: a row that fails it is an error naming the
    /// file and line, or under `skip_invalid` moves to the skipped rows.
    pub fn filter(&self, data: &mut crate::io::data::Dataset, skip_invalid: bool) -> Result<()> {
        let mut kept = Vec::with_capacity(data.rows.len());
        for row in std::mem::take(&mut data.rows) {
            match self.problem(row.stance.as_deref(), row.bias.as_deref()) {
                None => kept.push(row),
                Some(reason) if skip_invalid => data.skipped.push(crate::io::data::Skipped {
                    line: row.line,
                    reason,
                }),
                Some(reason) => {
                    return Err(Error::InvalidRow {
                        file: data.name.clone(),
                        line: row.line,
                        reason,
                    })
                }
            }
        }
        data.rows = kept;
        data.skipped.sort_by_key(|s| s.line);
        if data.rows.is_empty() {
            return Err(Error::InvalidCsv {
                file: data.name.clone(),
                reason: format!(
                    "no valid rows ({} invalid rows skipped)",
                    data.skipped.len()
                ),
            });
        }
        Ok(())
    }
}

/// `label` as one shell word in a suggested command.
fn shell_word(label: &str) -> String {
    if !label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/+@".contains(c))
    {
        label.to_string()
    } else {
        format!("'{}'", label.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pol(l: &str) -> Option<f32> {
        match l {
            "pro" | "favor" => Some(1.0),
            "con" | "against" => Some(-1.0),
            _ => None,
        }
    }

    #[test]
    fn messages_name_the_label_and_the_flag() {
        let train = LabelRule::Polarity {
            overrides: [("maybe".to_string(), 0.0)].into(),
            default: pol,
            hint: "--bias-label-score",
            values: "1|0",
            builtin: "biased = 1",
        };
        assert_eq!(train.problem("bias", "maybe"), None);
        assert_eq!(train.problem("bias", "pro"), None);
        assert_eq!(
            train.problem("bias", "lexical").unwrap(),
            "bias label \"lexical\" has no polarity: give one with --bias-label-score \
             lexical=1|0 (built in: biased = 1)"
        );
        assert!(train
            .problem("bias", "it's")
            .unwrap()
            .contains("'it'\\''s'=1|0"));
        let eval = LabelRule::Classes {
            names: vec!["against".into(), "favor".into()],
            polarity: vec![-1.0, 1.0],
            default: pol,
        };
        assert_eq!(eval.problem("stance", "favor"), None);
        assert_eq!(
            eval.problem("stance", "pro").unwrap(),
            "stance label \"pro\" is not one of the model's classes (\"against\", \"favor\"); \
             \"pro\" means +1, as the model's \"favor\" does: rename the label in the file"
        );
    }
}
