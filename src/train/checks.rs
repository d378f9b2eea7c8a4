//! Label checks of training and evaluation rows (see `io::label_check`): built from a
//! training configuration or from a model.

use crate::io::data::{LabelCheck, LabelRule};
use crate::model::labels::{default_bias_polarity, default_stance_polarity};
use crate::model::Model;
use crate::train::TrainConfig;

const STANCE_BUILTIN: &str = "favor/favour/pro/support/positive/for/agree/favorable = +1, \
    against/con/oppose/negative/disagree/unfavorable = -1, \
    neutral/none/neither/unrelated/discuss/mixed = 0";
const BIAS_BUILTIN: &str = "biased/bias/loaded/subjective/opinion/opinionated/1/yes = 1, \
    unbiased/neutral/factual/objective/none/0/no = 0";

/// Training: every label needs a polarity, built in or given in the configuration's
/// label scores (`stance_scores`, `bias_scores`). The messages say "a stance label
/// score"; a program names its flags with [`LabelCheck::with_polarity_hints`].
pub fn training_label_check(cfg: &TrainConfig) -> LabelCheck {
    LabelCheck {
        stance: Some(LabelRule::Polarity {
            overrides: cfg.stance_scores.clone(),
            default: default_stance_polarity,
            hint: "a stance label score",
            values: "1|0|-1",
            builtin: STANCE_BUILTIN,
        }),
        bias: Some(LabelRule::Polarity {
            overrides: cfg.bias_scores.clone(),
            default: default_bias_polarity,
            hint: "a bias label score",
            values: "1|0",
            builtin: BIAS_BUILTIN,
        }),
    }
}

/// Evaluation: every label must be one of the model's classes (of a head the model has;
/// labels of a head it lacks are left to the evaluation's own error).
pub fn eval_label_check(model: &Model) -> LabelCheck {
    let rule = |labels: &crate::model::labels::LabelSet, default| LabelRule::Classes {
        names: labels.names.clone(),
        polarity: labels.polarity.clone(),
        default,
    };
    LabelCheck {
        stance: model.stance.as_ref().map(|h| {
            rule(
                &h.labels,
                default_stance_polarity as fn(&str) -> Option<f32>,
            )
        }),
        bias: model
            .bias
            .as_ref()
            .map(|h| rule(&h.labels, default_bias_polarity as fn(&str) -> Option<f32>)),
    }
}
