//! Subjectivity statistics (the `subjectivity` extra) from Pattern's lexicon: how much of
//! the sentence, and of a located target's window, is subjective wording.

use super::resources::subjective;
use super::valued::Valued;

/// Tokens on each side of a located target that make its window.
pub(super) const SUBJECTIVITY_WINDOW: usize = 4;

/// The factor of every subjectivity feature (their values lie in -1..1).
pub(super) const SUBJECTIVITY_WEIGHT: f32 = 0.5;

impl Valued<'_, '_> {
    /// Of the sentence's words (`p|...`) and, for a located target, of the words within
    /// [`SUBJECTIVITY_WINDOW`] tokens of it (`p|n|...`): the share of words in Pattern's
    /// lexicon (`rate`), their mean and largest subjectivity (`subj|mean`, `subj|max`)
    /// and their mean, largest and smallest polarity (`pol|mean`, `pol|max`,
    /// `pol|min`). A range without lexicon words has none of these.
    pub(super) fn subjectivity(&mut self) {
        let n = self.masked.len();
        let mut ranges = vec![("p|", (0, n))];
        if let Some(p) = self.target_pos {
            let window = (
                p.saturating_sub(SUBJECTIVITY_WINDOW),
                (p + 1 + SUBJECTIVITY_WINDOW).min(n),
            );
            ranges.push(("p|n|", window));
        }
        for (prefix, (from, to)) in ranges {
            let (mut words, mut hits) = (0usize, 0usize);
            let (mut subj_sum, mut subj_max) = (0f32, 0f32);
            let (mut pol_sum, mut pol_max, mut pol_min) = (0f32, f32::MIN, f32::MAX);
            for i in from..to {
                let t = self.masked[i];
                if !self.is_text(i) || !t.chars().any(char::is_alphanumeric) {
                    continue;
                }
                words += 1;
                let Some(s) = subjective(t) else { continue };
                hits += 1;
                subj_sum += s.subjectivity;
                subj_max = subj_max.max(s.subjectivity);
                pol_sum += s.polarity;
                pol_max = pol_max.max(s.polarity);
                pol_min = pol_min.min(s.polarity);
            }
            if hits == 0 {
                continue;
            }
            let k = hits as f32;
            let stats = [
                ("rate", k / words as f32),
                ("subj|mean", subj_sum / k),
                ("subj|max", subj_max),
                ("pol|mean", pol_sum / k),
                ("pol|max", pol_max),
                ("pol|min", pol_min),
            ];
            for (stat, v) in stats {
                let name = format!("{prefix}{stat}");
                self.push(
                    || name.clone(),
                    |key| Self::name_bucket(&name, key),
                    v * SUBJECTIVITY_WEIGHT,
                    (from, to),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Extractor, FeatureConfig, Input};
    use crate::text::tokenize::TokenPipeline;
    use std::collections::BTreeMap;

    #[test]
    fn statistics_of_the_sentence_and_the_window() {
        let mut config = FeatureConfig::default();
        config.extras.subjectivity = true;
        config.extras.vectors = false;
        let e = Extractor::new(config, TokenPipeline::default());
        // 10 words; "amazing", "terrible" and "huge" are in Pattern's lexicon.
        let text = "Oman made an amazing offer , but the terrible , huge delay came today";
        let input = Input {
            text,
            target_spans: &[(0, 4)],
            other_spans: &[],
            target_key: None,
        };
        let tokens = e.tokens(text).unwrap();
        let got: BTreeMap<String, f32> = e
            .valued(&tokens, &input, true)
            .into_iter()
            .map(|b| (b.names[0].clone(), b.value))
            .collect();
        let lex: Vec<_> = ["amazing", "terrible", "huge"]
            .iter()
            .map(|w| subjective(w).unwrap())
            .collect();
        let words = ["made", "an", "amazing", "offer", "but", "the", "terrible"]
            .into_iter()
            .chain(["huge", "delay", "came", "today"]);
        assert!(words
            .clone()
            .all(|w| subjective(w).is_none() || ["amazing", "terrible", "huge"].contains(&w)));
        let w = SUBJECTIVITY_WEIGHT;
        let close = |name: &str, want: f32| {
            let v = got[name];
            assert!((v - want * w).abs() < 1e-6, "{name}: {v} vs {}", want * w);
        };
        close("p|rate", 3.0 / words.count() as f32);
        let subj = lex.iter().map(|s| s.subjectivity);
        close("p|subj|mean", subj.clone().sum::<f32>() / 3.0);
        close("p|subj|max", subj.fold(0.0, f32::max));
        let pol = lex.iter().map(|s| s.polarity);
        close("p|pol|mean", pol.clone().sum::<f32>() / 3.0);
        close("p|pol|max", pol.clone().fold(-1.0, f32::max));
        close("p|pol|min", pol.fold(1.0, f32::min));
        // The window (4 tokens right of the target: "made an amazing offer") has one hit.
        close("p|n|rate", 0.25);
        close("p|n|pol|min", lex[0].polarity);
        // A sentence without lexicon words has none of these features.
        let plain = Input::sentence("Talks resumed on Monday");
        let tokens = e.tokens(plain.text).unwrap();
        assert!(e.valued(&tokens, &plain, false).is_empty());
    }
}
