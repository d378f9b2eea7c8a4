//! Class labels and their polarity: the number each label contributes to a score.
//!
//! A stance score is `sum(p(label) * polarity(label))`, so it lies in `[-1, 1]` when
//! polarities do. Labels are free strings; the common ones have built-in polarities and
//! users may override or extend them with `LABEL=NUMBER` pairs.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Built-in polarity of a stance label (case-insensitive), if it is a known one.
pub fn default_stance_polarity(label: &str) -> Option<f32> {
    match label.trim().to_lowercase().as_str() {
        "favor" | "favour" | "pro" | "support" | "positive" | "for" | "agree" | "favorable" => {
            Some(1.0)
        }
        "against" | "con" | "oppose" | "negative" | "disagree" | "unfavorable" => Some(-1.0),
        "neutral" | "none" | "neither" | "unrelated" | "discuss" | "mixed" => Some(0.0),
        _ => None,
    }
}

/// Built-in "loadedness" of a bias label (1 = loaded / biased, 0 = not), if known.
pub fn default_bias_polarity(label: &str) -> Option<f32> {
    match label.trim().to_lowercase().as_str() {
        "biased" | "bias" | "loaded" | "subjective" | "opinion" | "opinionated" | "1" | "yes" => {
            Some(1.0)
        }
        "unbiased" | "neutral" | "factual" | "objective" | "none" | "0" | "no" => Some(0.0),
        _ => None,
    }
}

/// Parse `favor=1,against=-1,neutral=0` into a map. Numbers must lie in `[-1, 1]`.
pub fn parse_label_scores(spec: &str) -> Result<BTreeMap<String, f32>> {
    let mut map = BTreeMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (label, value) = part
            .split_once('=')
            .ok_or_else(|| Error::InvalidLabelScore(spec.to_string()))?;
        let value: f32 = value
            .trim()
            .parse()
            .map_err(|_| Error::InvalidLabelScore(spec.to_string()))?;
        if !(-1.0..=1.0).contains(&value) || label.trim().is_empty() {
            return Err(Error::InvalidLabelScore(spec.to_string()));
        }
        map.insert(label.trim().to_string(), value);
    }
    if map.is_empty() {
        return Err(Error::InvalidLabelScore(spec.to_string()));
    }
    Ok(map)
}

/// The ordered classes of one classifier head, with their polarity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelSet {
    /// Class names, sorted; the class index of a label is its position here.
    pub names: Vec<String>,
    /// Polarity of each class, same order as `names`.
    pub polarity: Vec<f32>,
}

impl LabelSet {
    /// Build the label set from the labels seen in data. `overrides` win over `default`;
    /// a label with neither is an error naming it.
    pub fn new<'a>(
        seen: impl IntoIterator<Item = &'a str>,
        overrides: &BTreeMap<String, f32>,
        default: fn(&str) -> Option<f32>,
    ) -> Result<Self> {
        let mut names: Vec<String> = seen.into_iter().map(str::to_string).collect();
        names.sort();
        names.dedup();
        let polarity = names
            .iter()
            .map(|n| {
                overrides
                    .get(n)
                    .copied()
                    .or_else(|| default(n))
                    .ok_or_else(|| Error::UnknownLabel { label: n.clone() })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(LabelSet { names, polarity })
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no classes.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Class index of a label.
    pub fn index(&self, label: &str) -> Option<usize> {
        self.names.binary_search_by(|n| n.as_str().cmp(label)).ok()
    }

    /// `sum(p * polarity)` for a probability vector in class order.
    pub fn score(&self, probs: &[f32]) -> f32 {
        probs.iter().zip(&self.polarity).map(|(p, s)| p * s).sum()
    }

    /// Index of the class with the highest polarity (e.g. "favor"), if unique and positive.
    pub fn positive_class(&self) -> Option<usize> {
        self.extreme(|a, b| a > b)
            .filter(|&i| self.polarity[i] > 0.0)
    }

    /// Index of the class with the lowest polarity (e.g. "against"), if negative.
    pub fn negative_class(&self) -> Option<usize> {
        self.extreme(|a, b| a < b)
            .filter(|&i| self.polarity[i] < 0.0)
    }

    fn extreme(&self, better: fn(f32, f32) -> bool) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, &p) in self.polarity.iter().enumerate() {
            match best {
                None => best = Some(i),
                Some(b) if better(p, self.polarity[b]) => best = Some(i),
                _ => {}
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_labels_get_polarity_and_unknown_is_an_error() {
        let set = LabelSet::new(
            ["neutral", "favor", "against", "favor"],
            &BTreeMap::new(),
            default_stance_polarity,
        )
        .unwrap();
        assert_eq!(set.names, ["against", "favor", "neutral"]);
        assert_eq!(set.polarity, [-1.0, 1.0, 0.0]);
        assert_eq!(set.score(&[0.2, 0.7, 0.1]), 0.5);
        assert_eq!(set.positive_class(), Some(1));
        assert_eq!(set.negative_class(), Some(0));
        let err = LabelSet::new(["meh"], &BTreeMap::new(), default_stance_polarity).unwrap_err();
        assert!(err.to_string().contains("\"meh\""), "{err}");
    }

    #[test]
    fn overrides_win_and_bad_specs_fail() {
        let o = parse_label_scores("meh=-0.5, good=1").unwrap();
        let set = LabelSet::new(["meh", "good"], &o, default_stance_polarity).unwrap();
        assert_eq!(set.polarity, [1.0, -0.5]);
        assert!(parse_label_scores("x=2").is_err());
        assert!(parse_label_scores("x").is_err());
        assert!(parse_label_scores("").is_err());
    }
}
