//! Training in stages, for a caller that reports between them (as `stance-train` does):
//! [`TrainConfig::prepare`] -> [`Prepared`] (examples and label sets; optionally
//! [`Prepared::autotune`]) -> [`Prepared::featurize`] -> [`Featurized`] (feature rows;
//! optionally [`Featurized::cross_validate`]) -> [`Featurized::fit`] -> [`Model`].
//! [`TrainConfig::fit`] runs the same stages without stopping.

use crate::error::Result;
use crate::features::{Extractor, RawRow};
use crate::io::data::{Dataset, RowPlace};
use crate::model::metrics::Metrics;
use crate::model::{Head, Model, TrainingInfo};
use crate::text::actors::Lexicon;
use crate::train::autotune::{self, Options, Outcome, Trial};
use crate::train::{self, HeadData, Marked, TrainConfig};

/// A dataset turned into examples: the lexicon the model will have (the configured one
/// grown by the frequent located targets) and each head's examples, labels and
/// cross-validation groups. Made by [`TrainConfig::prepare`].
#[derive(Debug, Clone)]
pub struct Prepared {
    lexicon: Lexicon,
    stance: Option<HeadData>,
    bias: Option<HeadData>,
}

/// The words marked as loaded in the training data (the `loaded_words` column) that do
/// not occur in their sentence, so train nothing. See [`Prepared::unfound_marks`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnfoundMarks {
    /// Each mark not found, with where its row starts: `(place, mark)`.
    pub missing: Vec<(RowPlace, String)>,
    /// The number of marks in the data, found or not.
    pub total: usize,
}

impl TrainConfig {
    /// The first stage of training: the lexicon grown by `data`'s located targets, and
    /// the examples of each head the data has, with label sets built from its rows.
    pub fn prepare(&self, data: &Dataset) -> Result<Prepared> {
        let (lexicon, stance, bias) = train::prepare(self, &data.rows)?;
        Ok(Prepared {
            lexicon,
            stance,
            bias,
        })
    }
}

impl Prepared {
    fn head(&self, head: Head) -> Option<&HeadData> {
        match head {
            Head::Stance => self.stance.as_ref(),
            Head::Bias => self.bias.as_ref(),
        }
    }

    /// The number of examples of a head (stance: labeled rows; bias: distinct labeled
    /// sentences), or 0 when the data has no labels for it.
    pub fn examples(&self, head: Head) -> usize {
        self.head(head).map_or(0, |d| d.y.len())
    }

    /// The stance rows without offsets: (how many of them discovery located in their
    /// text, how many there are); see [`targets_found_note`](crate::targets_found_note).
    pub fn targets_without_offsets(&self) -> (usize, usize) {
        self.stance
            .as_ref()
            .map_or((0, 0), |d| d.targets_without_offsets)
    }

    /// The marked loaded words that do not occur in their sentence, tokenized as under
    /// `cfg`'s feature settings; `None` when no bias row is annotated.
    pub fn unfound_marks(&self, cfg: &TrainConfig) -> Result<Option<UnfoundMarks>> {
        let Some(d) = &self.bias else {
            return Ok(None);
        };
        let Some(m) = Marked::new(&train::extractor(&cfg.features)?, d)? else {
            return Ok(None);
        };
        Ok(Some(UnfoundMarks {
            missing: m.missing,
            total: d.marks.iter().flatten().map(|(_, w)| w.len()).sum(),
        }))
    }

    /// Search the settings from `start` by cross-validation on these examples (README,
    /// "Autotune"); `on_trial` sees every trial as it ends. The outcome's
    /// [`AutotuneOutcome::config`](crate::AutotuneOutcome) is the choice.
    pub fn autotune(
        &self,
        start: &TrainConfig,
        opts: &Options,
        on_trial: &mut dyn FnMut(&Trial),
    ) -> Result<Outcome> {
        autotune::autotune(
            start,
            self.stance.as_ref(),
            self.bias.as_ref(),
            opts,
            on_trial,
        )
    }

    /// The second stage: the raw feature rows of every example under `cfg`'s feature
    /// settings, computed in parallel; `tick(head)` is called once per example done.
    pub fn featurize<'c>(
        self,
        cfg: &'c TrainConfig,
        tick: &(dyn Fn(Head) + Sync),
    ) -> Result<Featurized<'c>> {
        let ex = train::extractor(&cfg.features)?;
        let rows = |d: Option<HeadData>, head: Head| -> Result<Option<(HeadData, Vec<RawRow>)>> {
            let Some(d) = d else { return Ok(None) };
            let raw = train::raw_rows(&ex, &d.examples, &|| tick(head))?;
            Ok(Some((d, raw)))
        };
        let stance = rows(self.stance, Head::Stance)?;
        let bias = rows(self.bias, Head::Bias)?;
        Ok(Featurized {
            cfg,
            ex,
            lexicon: self.lexicon,
            stance,
            bias,
        })
    }
}

/// Examples with their raw feature rows, ready to cross-validate and fit. Made by
/// [`Prepared::featurize`].
pub struct Featurized<'c> {
    cfg: &'c TrainConfig,
    ex: Extractor,
    lexicon: Lexicon,
    stance: Option<(HeadData, Vec<RawRow>)>,
    bias: Option<(HeadData, Vec<RawRow>)>,
}

impl Featurized<'_> {
    fn head(&self, head: Head) -> Option<(&HeadData, &[RawRow])> {
        pair(match head {
            Head::Stance => &self.stance,
            Head::Bias => &self.bias,
        })
    }

    /// The number of examples of a head, as [`Prepared::examples`].
    pub fn examples(&self, head: Head) -> usize {
        self.head(head).map_or(0, |(d, _)| d.y.len())
    }

    /// Stratified, grouped `k`-fold cross-validation of one head with the configuration's
    /// hyperparameters and seed (IDF and classifier fit on each training part only): the
    /// metrics of every fold, or `None` when the data has no labels for the head.
    pub fn cross_validate(&self, head: Head, k: usize) -> Result<Option<Vec<Metrics>>> {
        let Some((d, raw)) = self.head(head) else {
            return Ok(None);
        };
        let params = match head {
            Head::Stance => &self.cfg.params,
            Head::Bias => &self.cfg.bias_params,
        };
        train::cross_validate(&self.ex, params, d, raw, k, self.cfg.seed).map(Some)
    }

    /// The last stage: fit IDF on both heads' rows and each head's classifier, and
    /// assemble the model with its provenance `info`.
    pub fn fit(self, info: TrainingInfo) -> Result<Model> {
        train::train_model(
            self.cfg,
            pair(&self.stance),
            pair(&self.bias),
            self.lexicon,
            info,
        )
    }
}

/// A head's examples and rows, borrowed.
fn pair(h: &Option<(HeadData, Vec<RawRow>)>) -> Option<(&HeadData, &[RawRow])> {
    h.as_ref().map(|(d, r)| (d, r.as_slice()))
}
