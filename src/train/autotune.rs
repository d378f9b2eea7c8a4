//! Automatic choice of training settings (`stance-train --autotune`): K-fold
//! cross-validation on the training data, within a time budget, as fastText's autotune
//! does for its own settings.
//!
//! The search is a coordinate descent from the settings it is given (the caller's,
//! else the defaults): for each knob in [`KNOBS`] order, every other value of the knob is
//! tried with the rest of the current best settings, and kept when it raises the
//! cross-validated score by at least [`MIN_GAIN`]; the rounds repeat until a round keeps
//! nothing, `rounds` have run, or the budget is spent. A trial that has started when the
//! budget runs out is finished. The order and the folds are fixed, so with enough budget
//! the choice does not depend on the machine; a budget that stops the search early does.
//!
//! The score of a trial is the mean over the folds of the objective of each head, then
//! the mean over the heads the data has (stance, bias). Knobs of one head (its C) change
//! only that head's part. With [`Objective::FAvg`], a head whose labels have no
//! favor/against pair (the bias head) is scored by macro-F1.

use crate::features::{Conjoin, RawRow};
use crate::linear::classifier::{ClassWeight, Solver};
use crate::model::metrics::Metrics;
use crate::train::{self, HeadData, TrainConfig};
use crate::{Error, Result};
use std::time::{Duration, Instant};

/// Smallest rise of the cross-validated score for which a new value is kept: below it,
/// fold noise would choose.
pub const MIN_GAIN: f64 = 0.001;

/// What the search maximizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// The unweighted mean F1 over the classes.
    MacroF1,
    /// SemEval-2016 Task 6's F_avg (mean F1 of favor and against).
    FAvg,
    /// The share of rows predicted right.
    Accuracy,
}

impl Objective {
    fn of(self, m: &Metrics) -> f64 {
        match self {
            Objective::MacroF1 => m.macro_f1,
            Objective::FAvg => m.f_avg.unwrap_or(m.macro_f1),
            Objective::Accuracy => m.accuracy,
        }
    }

    /// The objective's name in messages (`macro-F1`, `F_avg`, `accuracy`).
    pub fn name(self) -> &'static str {
        match self {
            Objective::MacroF1 => "macro-F1",
            Objective::FAvg => "F_avg",
            Objective::Accuracy => "accuracy",
        }
    }
}

/// How the search runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// No trial starts after this much time.
    pub budget: Duration,
    /// Folds of the cross-validation of every trial.
    pub folds: usize,
    /// What the search maximizes.
    pub objective: Objective,
    /// Passes over the knobs at most.
    pub rounds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
}

/// One value of one knob.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    /// The stance head's inverse regularization strength (and the bias head's, unless set apart).
    C(f64),
    /// The bias head's inverse regularization strength.
    BiasC(f64),
    /// Class weighting of both heads.
    ClassWeight(ClassWeight),
    /// SGD epochs of both heads.
    Epochs(u32),
    /// Character n-gram lengths, MIN and MAX (0, 0: none).
    CharNgrams(u8, u8),
    /// Longest word n-gram.
    WordNgrams(u8),
    /// Tokens on each side of the target with window features.
    Window(u8),
    /// Weight of whole-sentence n-grams relative to target-dependent features.
    GlobalWeight(f32),
    /// Left/right-context features of the target on or off.
    Context(bool),
    /// Target-clause features on or off.
    Clause(bool),
    /// Prior-polarity lexicon features on or off.
    Lexicon(bool),
    /// Weight of the prior-polarity lexicon features.
    LexiconWeight(f32),
    /// Cue-word features on or off.
    Cues(bool),
    /// Averaged word-vector features on or off (the `vectors` family).
    Vectors(bool),
    /// Word-cluster features on or off (the `clusters` family).
    Clusters(bool),
    /// Subjectivity-lexicon features on or off (the `subjectivity` family).
    Subjectivity(bool),
    /// When to add target-conjoined feature copies.
    Conjoin(Conjoin),
}

/// The knobs in search order, each with the values it may take (the first knobs are the
/// cheap ones: they keep the feature rows).
pub const KNOBS: &[&[Setting]] = &[
    &[
        Setting::C(1.0),
        Setting::C(3.0),
        Setting::C(10.0),
        Setting::C(30.0),
        Setting::C(100.0),
    ],
    &[
        Setting::BiasC(1.0),
        Setting::BiasC(3.0),
        Setting::BiasC(10.0),
        Setting::BiasC(30.0),
        Setting::BiasC(100.0),
    ],
    &[
        Setting::ClassWeight(ClassWeight::Balanced),
        Setting::ClassWeight(ClassWeight::Uniform),
    ],
    &[Setting::Epochs(3), Setting::Epochs(5), Setting::Epochs(10)],
    &[
        Setting::CharNgrams(3, 5),
        Setting::CharNgrams(2, 5),
        Setting::CharNgrams(3, 4),
        Setting::CharNgrams(3, 6),
        Setting::CharNgrams(0, 0),
    ],
    &[
        Setting::WordNgrams(1),
        Setting::WordNgrams(2),
        Setting::WordNgrams(3),
    ],
    &[
        Setting::Window(0),
        Setting::Window(2),
        Setting::Window(4),
        Setting::Window(6),
        Setting::Window(8),
    ],
    &[
        Setting::GlobalWeight(0.25),
        Setting::GlobalWeight(0.5),
        Setting::GlobalWeight(1.0),
    ],
    &[Setting::Context(false), Setting::Context(true)],
    &[Setting::Clause(true), Setting::Clause(false)],
    &[Setting::Lexicon(true), Setting::Lexicon(false)],
    &[
        Setting::LexiconWeight(0.1),
        Setting::LexiconWeight(0.25),
        Setting::LexiconWeight(0.5),
        Setting::LexiconWeight(1.0),
    ],
    &[Setting::Cues(true), Setting::Cues(false)],
    &[Setting::Vectors(true), Setting::Vectors(false)],
    &[Setting::Clusters(false), Setting::Clusters(true)],
    &[Setting::Subjectivity(false), Setting::Subjectivity(true)],
    &[
        Setting::Conjoin(Conjoin::Context),
        Setting::Conjoin(Conjoin::Topics),
        Setting::Conjoin(Conjoin::Never),
        Setting::Conjoin(Conjoin::Always),
    ],
];

impl Setting {
    /// Whether `cfg` has this value.
    pub fn is_set(&self, cfg: &TrainConfig) -> bool {
        let mut c = cfg.clone();
        self.apply(&mut c);
        same(&c, cfg)
    }

    /// Set this value in `cfg`.
    pub fn apply(&self, cfg: &mut TrainConfig) {
        let f = &mut cfg.features;
        match *self {
            Setting::C(c) => cfg.params.c = c,
            Setting::BiasC(c) => cfg.bias_params.c = c,
            Setting::ClassWeight(w) => {
                cfg.params.class_weight = w;
                cfg.bias_params.class_weight = w;
            }
            Setting::Epochs(e) => {
                for p in [&mut cfg.params, &mut cfg.bias_params] {
                    if let Solver::Sgd { epochs, .. } = &mut p.solver {
                        *epochs = e;
                    }
                }
            }
            Setting::CharNgrams(a, b) => {
                f.char_min = a;
                f.char_max = b;
            }
            Setting::WordNgrams(n) => f.word_ngrams = n,
            Setting::Window(w) => f.window = w,
            Setting::GlobalWeight(w) => f.global_weight = w,
            Setting::Context(on) => f.context = on,
            Setting::Clause(on) => f.clause = on,
            Setting::Lexicon(on) => f.lexicon = on,
            Setting::LexiconWeight(w) => f.lexicon_weight = w,
            Setting::Cues(on) => f.extras.cues = on,
            Setting::Vectors(on) => f.extras.vectors = on,
            Setting::Clusters(on) => f.extras.clusters = on,
            Setting::Subjectivity(on) => f.extras.subjectivity = on,
            Setting::Conjoin(c) => f.conjoin = c,
        }
    }

    /// Whether the value changes the feature rows (they must be extracted again).
    pub fn changes_features(&self) -> bool {
        !matches!(
            self,
            Setting::C(_) | Setting::BiasC(_) | Setting::ClassWeight(_) | Setting::Epochs(_)
        )
    }

    /// Whether the knob means anything for this data and configuration.
    fn applies(&self, cfg: &TrainConfig, stance: bool, bias: bool) -> bool {
        match self {
            Setting::C(_) => stance,
            Setting::BiasC(_) => bias,
            Setting::Epochs(_) => matches!(cfg.params.solver, Solver::Sgd { .. }),
            // Target-dependent features only exist for stance rows.
            Setting::Window(_) | Setting::Context(_) | Setting::Clause(_) | Setting::Conjoin(_) => {
                stance
            }
            // Without the lexicon features their weight means nothing.
            Setting::LexiconWeight(_) => cfg.features.lexicon,
            _ => true,
        }
    }
}

/// Whether two configurations train the same model.
fn same(a: &TrainConfig, b: &TrainConfig) -> bool {
    a.features == b.features
        && a.features.extras == b.features.extras
        && a.params == b.params
        && a.bias_params == b.bias_params
}

/// What identifies a configuration's model: its feature settings (with the two the
/// settings' serialization leaves to the model file: the lexicon weight and the optional
/// families) and both heads' hyperparameters, serialized.
fn key(c: &TrainConfig) -> Vec<u8> {
    let f = &c.features;
    postcard::to_stdvec(&(f, f.lexicon_weight, f.extras, &c.params, &c.bias_params))
        .expect("settings serialize to memory")
}

/// One cross-validated configuration.
#[derive(Debug, Clone)]
pub struct Trial {
    /// The value tried, or `None` for the starting settings.
    pub tried: Option<Setting>,
    /// The score (see the module documentation).
    pub score: f64,
    /// The stance head's mean objective over the folds, when the data has stance rows.
    pub stance: Option<f64>,
    /// The bias head's mean objective over the folds, when the data has bias rows.
    pub bias: Option<f64>,
    /// Wall-clock seconds the trial took.
    pub seconds: f64,
    /// Whether the value became part of the best settings.
    pub kept: bool,
}

/// What the search found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The settings the search started from.
    pub start: TrainConfig,
    /// The settings chosen.
    pub config: TrainConfig,
    /// Whether the data has a bias head (its C then matters).
    pub bias_head: bool,
    /// The score of the starting settings.
    pub start_score: f64,
    /// The score of the chosen settings.
    pub best_score: f64,
    /// Every trial, in order.
    pub trials: Vec<Trial>,
    /// False when the budget stopped the search before it converged or ran its rounds.
    pub complete: bool,
}

impl Outcome {
    /// The changes from the starting settings: the chosen value of each knob whose value
    /// differs from its starting one, in [`KNOBS`] order, then the bias head's C when a
    /// new C was chosen and the bias head keeps another one (for a caller whose C also
    /// sets the bias head's unless that is given apart). The starting settings with
    /// these applied are the chosen ones.
    pub fn changes(&self) -> Vec<Setting> {
        let mut changes: Vec<Setting> = KNOBS
            .iter()
            .filter_map(|knob| {
                let now = knob.iter().find(|s| s.is_set(&self.config))?;
                (!now.is_set(&self.start)).then_some(*now)
            })
            .collect();
        let (c, bias_c) = (self.config.params.c, self.config.bias_params.c);
        if self.bias_head
            && changes.iter().any(|s| matches!(s, Setting::C(_)))
            && !changes.iter().any(|s| matches!(s, Setting::BiasC(_)))
            && c != bias_c
        {
            changes.push(Setting::BiasC(bias_c));
        }
        changes
    }
}

/// Feature rows of both heads for one feature configuration.
struct Rows {
    features: crate::features::FeatureConfig,
    stance: Option<Vec<RawRow>>,
    bias: Option<Vec<RawRow>>,
}

fn rows_for(cfg: &TrainConfig, stance: Option<&HeadData>, bias: Option<&HeadData>) -> Result<Rows> {
    let ex = train::extractor(&cfg.features)?;
    let raw = |d: Option<&HeadData>| -> Result<Option<Vec<RawRow>>> {
        d.map(|d| train::raw_rows(&ex, &d.examples, &|| {}))
            .transpose()
    };
    Ok(Rows {
        features: cfg.features.clone(),
        stance: raw(stance)?,
        bias: raw(bias)?,
    })
}

/// Cross-validate `cfg` on both heads: (score, stance part, bias part).
fn score(
    cfg: &TrainConfig,
    rows: &Rows,
    stance: Option<&HeadData>,
    bias: Option<&HeadData>,
    opts: &Options,
) -> Result<(f64, Option<f64>, Option<f64>)> {
    let ex = train::extractor(&cfg.features)?;
    let head = |d: Option<&HeadData>, raw: &Option<Vec<RawRow>>, params| -> Result<Option<f64>> {
        let (Some(d), Some(raw)) = (d, raw) else {
            return Ok(None);
        };
        let folds = train::cross_validate(&ex, params, d, raw, opts.folds, opts.seed)?;
        Ok(Some(
            folds.iter().map(|m| opts.objective.of(m)).sum::<f64>() / folds.len() as f64,
        ))
    };
    let s = head(stance, &rows.stance, &cfg.params)?;
    let b = head(bias, &rows.bias, &cfg.bias_params)?;
    let parts: Vec<f64> = s.iter().chain(b.iter()).copied().collect();
    if parts.is_empty() {
        return Err(Error::NothingToTune);
    }
    Ok((parts.iter().sum::<f64>() / parts.len() as f64, s, b))
}

/// Search the settings (see the module documentation). `on_trial` sees every trial as it
/// ends.
pub fn autotune(
    start: &TrainConfig,
    stance: Option<&HeadData>,
    bias: Option<&HeadData>,
    opts: &Options,
    on_trial: &mut dyn FnMut(&Trial),
) -> Result<Outcome> {
    if opts.folds < 2 {
        return Err(Error::TooFewFolds { folds: opts.folds });
    }
    let t0 = Instant::now();
    let mut trials = Vec::new();
    let mut best = start.clone();
    let mut best_rows = rows_for(&best, stance, bias)?;
    let t = Instant::now();
    let (mut best_score, s, b) = score(&best, &best_rows, stance, bias, opts)?;
    let first = Trial {
        tried: None,
        score: best_score,
        stance: s,
        bias: b,
        seconds: t.elapsed().as_secs_f64(),
        kept: true,
    };
    on_trial(&first);
    trials.push(first);
    let start_score = best_score;
    // Configurations already scored (a later round retries a knob with settings that
    // may not have changed since): not run again.
    let mut seen: Vec<Vec<u8>> = vec![key(&best)];
    let mut complete = true;
    'rounds: for _ in 0..opts.rounds.max(1) {
        let mut kept_any = false;
        for knob in KNOBS {
            for setting in knob.iter() {
                if setting.is_set(&best)
                    || !setting.applies(&best, stance.is_some(), bias.is_some())
                {
                    continue;
                }
                let mut cand = best.clone();
                setting.apply(&mut cand);
                if cand.features.check().is_err() || seen.contains(&key(&cand)) {
                    continue;
                }
                if t0.elapsed() >= opts.budget {
                    complete = false;
                    break 'rounds;
                }
                let t = Instant::now();
                let cand_rows = if setting.changes_features() {
                    Some(rows_for(&cand, stance, bias)?)
                } else {
                    None
                };
                let rows = cand_rows.as_ref().unwrap_or(&best_rows);
                debug_assert!(rows.features == cand.features);
                let (sc, s, b) = score(&cand, rows, stance, bias, opts)?;
                seen.push(key(&cand));
                let kept = sc >= best_score + MIN_GAIN;
                let trial = Trial {
                    tried: Some(*setting),
                    score: sc,
                    stance: s,
                    bias: b,
                    seconds: t.elapsed().as_secs_f64(),
                    kept,
                };
                on_trial(&trial);
                trials.push(trial);
                if kept {
                    best = cand;
                    best_score = sc;
                    if let Some(r) = cand_rows {
                        best_rows = r;
                    }
                    kept_any = true;
                }
            }
        }
        if !kept_any {
            break;
        }
    }
    Ok(Outcome {
        start: start.clone(),
        config: best,
        bias_head: bias.is_some(),
        start_score,
        best_score,
        trials,
        complete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::data::{read_csv, Columns};

    fn data() -> (TrainConfig, Option<HeadData>, Option<HeadData>) {
        let csv = include_str!("../../tests/fixtures/train.csv");
        let rows = read_csv(csv.as_bytes(), "train.csv", &Columns::default(), false)
            .unwrap()
            .rows;
        let mut cfg = TrainConfig::default();
        cfg.features.hash_bits = 16;
        let (_, s, b) = train::prepare(&cfg, &rows).unwrap();
        assert!(s.is_some() && b.is_some());
        (cfg, s, b)
    }

    fn options(budget: Duration) -> Options {
        Options {
            budget,
            folds: 3,
            objective: Objective::MacroF1,
            rounds: 3,
            seed: 42,
        }
    }

    /// The mean fold macro-F1 of both heads of `cfg`, computed apart from the search.
    fn cv_score(cfg: &TrainConfig, s: &HeadData, b: &HeadData) -> f64 {
        let ex = train::extractor(&cfg.features).unwrap();
        let head = |d: &HeadData, p| {
            let raw = train::raw_rows(&ex, &d.examples, &|| {}).unwrap();
            let f = train::cross_validate(&ex, p, d, &raw, 3, 42).unwrap();
            f.iter().map(|m| m.macro_f1).sum::<f64>() / f.len() as f64
        };
        (head(s, &cfg.params) + head(b, &cfg.bias_params)) / 2.0
    }

    #[test]
    fn search_keeps_only_gains_and_returns_the_settings_it_scored() {
        let (mut start, s, b) = data();
        // A start far from the best C, so that the search has something to find.
        start.params.c = 0.01;
        start.bias_params.c = 0.01;
        let mut seen = Vec::new();
        let out = autotune(
            &start,
            s.as_ref(),
            b.as_ref(),
            &options(Duration::from_secs(600)),
            &mut |t| seen.push(t.clone()),
        )
        .unwrap();
        assert!(out.complete);
        assert_eq!(seen.len(), out.trials.len());
        assert_eq!(out.trials[0].tried, None);
        let (s, b) = (s.unwrap(), b.unwrap());
        assert_eq!(out.start_score, cv_score(&start, &s, &b));
        let mut best = out.start_score;
        for t in &out.trials[1..] {
            assert_eq!(t.kept, t.score >= best + MIN_GAIN, "{t:?}");
            if t.kept {
                best = t.score;
            }
            assert_eq!(t.score, (t.stance.unwrap() + t.bias.unwrap()) / 2.0);
        }
        assert_eq!(best, out.best_score);
        assert!(out.best_score >= out.start_score + MIN_GAIN, "{out:?}");
        // The chosen settings, scored apart from the search, give the reported score.
        assert_eq!(cv_score(&out.config, &s, &b), out.best_score);
        // Every trial ran a configuration of its own.
        let tried: Vec<Option<Setting>> = out.trials.iter().map(|t| t.tried).collect();
        assert!(tried.len() > KNOBS.len(), "{tried:?}");
        // The changes, applied to the starting settings, give the chosen settings.
        let changes = out.changes();
        assert!(
            changes.iter().any(|s| matches!(s, Setting::C(_))),
            "{changes:?}"
        );
        let mut again = start.clone();
        for s in &changes {
            s.apply(&mut again);
        }
        assert!(same(&again, &out.config), "{changes:?}");
    }

    #[test]
    fn a_spent_budget_scores_the_starting_settings_only() {
        let (start, s, b) = data();
        let out = autotune(
            &start,
            s.as_ref(),
            b.as_ref(),
            &options(Duration::ZERO),
            &mut |_| {},
        )
        .unwrap();
        assert!(!out.complete);
        assert_eq!(out.trials.len(), 1);
        assert!(same(&out.config, &start));
        assert!(out.changes().is_empty());
    }

    #[test]
    fn changes_name_the_changed_knobs_only() {
        let mut start = TrainConfig::default();
        start.features.extras.cues = false;
        start.params.c = 3.0;
        let mut config = start.clone();
        config.params.c = 10.0;
        config.features.window = 6;
        config.features.extras.cues = true;
        let out = Outcome {
            start,
            config,
            bias_head: true,
            start_score: 0.0,
            best_score: 0.0,
            trials: vec![],
            complete: true,
        };
        assert_eq!(
            out.changes(),
            [Setting::C(10.0), Setting::Window(6), Setting::Cues(true)]
        );
        // A bias C the search left alone stays, whatever the new C.
        let mut out = out;
        out.start.bias_params.c = 0.5;
        out.config.bias_params.c = 0.5;
        assert_eq!(
            out.changes(),
            [
                Setting::C(10.0),
                Setting::Window(6),
                Setting::Cues(true),
                Setting::BiasC(0.5)
            ]
        );
    }
}
