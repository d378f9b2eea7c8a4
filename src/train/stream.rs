//! Streaming training: fit both heads on a CSV of any size in memory bounded by the hash
//! space, not by the number of rows.
//!
//! The in-memory trainer holds every feature row (about 20 KB per row on news sentences,
//! so a few million rows exceed this machine's RAM). This one reads the file
//! `2 + epochs` times, `chunk_rows` rows at a time:
//!
//! 1. rows are checked and counted: training targets for the lexicon, labels and class
//!    counts, the fingerprint of the bytes;
//! 2. feature rows are hashed to count document frequencies: IDF (both heads) and the
//!    columns each head keeps (`min_df`);
//! 3. each SGD epoch hashes the rows again and updates the weights, in a seeded random
//!    order within each chunk (the in-memory solver shuffles the whole file).
//!
//! Memory: the chunk's rows and features, the weights and counters of the hashed columns
//! (2^hash_bits each), and 16 bytes per distinct bias sentence (to drop repeated ones as
//! the in-memory trainer does). Same features, labels, IDF, column selection, class
//! weights and AdaGrad updates as [`crate::train::train_model`] with the SGD solver; only
//! the row order differs, so the weights differ slightly.

use crate::error::{Error, Result};
use crate::features::{DfCounter, Extractor, RawRow};
use crate::io::data::{Columns, Row, RowReader, Skipped};
use crate::linear::classifier::{
    balanced_scale, kept_columns, model_from_kept, ClassWeight, LogisticRegressionParams, SgdRows,
    SgdState, Solver,
};
use crate::model::labels::LabelSet;
use crate::model::{FittedHead, Model, TrainingInfo};
use crate::text::actors::Matcher;
use crate::train::{self, HeadData, TargetCounts, TrainConfig};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::io::BufReader;
use std::path::Path;

/// Options of a streaming run.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// The CSV columns to read.
    pub columns: Columns,
    /// Skip invalid rows (reported in [`Streamed::skipped`]) instead of failing.
    pub skip_invalid: bool,
    /// Rows held at once (default 4096).
    pub chunk_rows: usize,
    /// Label checks of every row (see `io::data::read_csv_checked`).
    pub labels: crate::io::data::LabelCheck,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            columns: Columns::default(),
            skip_invalid: false,
            chunk_rows: 4096,
            labels: Default::default(),
        }
    }
}

/// What a streaming run produced.
pub struct Streamed {
    /// The fitted model.
    pub model: Model,
    /// Valid rows read.
    pub rows: u64,
    /// The rows skipped as invalid (with `skip_invalid`).
    pub skipped: Vec<Skipped>,
    /// Passes over the file.
    pub passes: u32,
}

/// Train a model by streaming `path` (see the module documentation). `info` is
/// completed with the file's fingerprint and skipped rows. `progress(pass, rows)` is
/// called after every chunk.
pub fn train_streaming(
    cfg: &TrainConfig,
    path: &Path,
    opts: &StreamOptions,
    mut info: TrainingInfo,
    progress: &(dyn Fn(u32, u64) + Sync),
) -> Result<Streamed> {
    let name = path.display().to_string();
    let epochs = |p: &LogisticRegressionParams| match p.solver {
        Solver::Sgd { epochs, .. } => Ok(epochs),
        Solver::Lbfgs => Err(Error::InvalidParameter(
            "streaming training needs the SGD solver (L-BFGS needs every row at once)".into(),
        )),
    };
    let n_epochs = epochs(&cfg.params)?.max(epochs(&cfg.bias_params)?);
    let reader = Pass {
        path,
        name: &name,
        opts,
    };
    // Pass 1: check and count.
    let counted = Counted::pass(cfg, &reader, progress)?;
    info.train_fingerprint = counted.fingerprint.clone();
    info.skipped = counted
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.line, s.reason))
        .collect();
    let mut ex = train::extractor(&cfg.features)?;
    let chunks = Chunks {
        cfg,
        reader: &reader,
        matcher: Matcher::new(&counted.lexicon)?,
        counted: &counted,
        // Raw feature rows do not depend on IDF: this extractor hashes them in every pass.
        hashing: ex.clone(),
    };
    // Pass 2: document frequencies and class counts.
    let (all_df, head_df, class_counts) = chunks.frequencies(progress)?;
    ex.set_idf(&all_df);
    drop(all_df);
    // Passes 3..: SGD epochs.
    let mut heads: Vec<Option<Fitting>> = [
        (&counted.stance_labels, &cfg.params),
        (&counted.bias_labels, &cfg.bias_params),
    ]
    .into_iter()
    .zip(class_counts.iter().zip(&head_df))
    .map(|((labels, p), (counts, df))| {
        let labels = labels.as_ref()?;
        let rows: usize = counts.iter().sum();
        (rows > 0).then(|| Fitting::new(labels.clone(), p, counts, &df.df))
    })
    .collect();
    drop(head_df);
    for epoch in 0..n_epochs {
        chunks.each(&mut |f, done| {
            for (fit, (d, raw)) in heads
                .iter_mut()
                .zip([(&f.stance, &f.stance_raw), (&f.bias, &f.bias_raw)])
            {
                if let (Some(fit), Some(d)) = (fit, d) {
                    fit.epoch(epoch, &ex, d, raw);
                }
            }
            progress(3 + epoch, done);
        })?;
    }
    let buckets = cfg.features.buckets();
    let [stance, bias] = [0, 1].map(|h| heads[h].take().map(|f| f.head(buckets)));
    Ok(Streamed {
        model: Model {
            pipeline: ex.pipeline.clone(),
            features: ex.config.clone(),
            idf: ex.idf.clone(),
            lexicon: counted.lexicon,
            stance,
            bias,
            loaded: None,
            info,
        },
        rows: counted.rows,
        skipped: counted.skipped,
        passes: 2 + n_epochs,
    })
}

/// What the first pass learns: the rows, the lexicon grown by the training targets, the
/// labels of each head and the file's fingerprint.
struct Counted {
    rows: u64,
    skipped: Vec<Skipped>,
    fingerprint: String,
    lexicon: crate::text::actors::Lexicon,
    stance_labels: Option<LabelSet>,
    bias_labels: Option<LabelSet>,
}

impl Counted {
    fn pass(
        cfg: &TrainConfig,
        reader: &Pass,
        progress: &(dyn Fn(u32, u64) + Sync),
    ) -> Result<Counted> {
        let mut targets = TargetCounts::default();
        let mut stance_names: BTreeSet<String> = BTreeSet::new();
        let mut bias_names: BTreeSet<String> = BTreeSet::new();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let (mut rows, mut skipped) = (0u64, Vec::new());
        reader.rows(Some(&mut hasher), &mut |chunk, skip| {
            rows += chunk.len() as u64;
            skipped.extend_from_slice(skip);
            train::count_targets(&cfg.lexicon, chunk, &mut targets);
            for r in chunk {
                if let Some(s) = &r.stance {
                    stance_names.insert(s.clone());
                }
                if let Some(b) = &r.bias {
                    bias_names.insert(b.clone());
                }
            }
            progress(1, rows);
            Ok(())
        })?;
        let label_set = |names: &BTreeSet<String>, scores, default| {
            (!names.is_empty())
                .then(|| LabelSet::new(names.iter().map(String::as_str), scores, default))
                .transpose()
        };
        Ok(Counted {
            rows,
            skipped,
            fingerprint: format!("{:016x}", hasher.digest()),
            lexicon: train::lexicon_from_counts(&cfg.lexicon, &targets, cfg.min_target_count),
            stance_labels: label_set(
                &stance_names,
                &cfg.stance_scores,
                crate::model::labels::default_stance_polarity,
            )?,
            bias_labels: label_set(
                &bias_names,
                &cfg.bias_scores,
                crate::model::labels::default_bias_polarity,
            )?,
        })
    }
}

/// The passes after the first: each chunk of the file with its examples and raw rows.
struct Chunks<'a> {
    cfg: &'a TrainConfig,
    reader: &'a Pass<'a>,
    matcher: Matcher,
    counted: &'a Counted,
    hashing: Extractor,
}

/// Document frequencies over both heads' rows, per head, and class counts per head.
type Frequencies = (DfCounter, [DfCounter; 2], [Vec<usize>; 2]);

impl Chunks<'_> {
    /// A chunk's examples and raw rows. A sentence's bias label counts once, at its first
    /// row, as in `head_data` (`seen` holds the sentences met so far).
    fn featurize(&self, chunk: &mut [Row], seen: &mut HashSet<u128>) -> Result<Featurized> {
        for r in chunk.iter_mut() {
            if let Some(b) = &r.bias {
                let key = xxhash_rust::xxh3::xxh3_128(format!("{b}\0{}", r.text).as_bytes());
                if !seen.insert(key) {
                    r.bias = None;
                }
            }
        }
        let c = self.counted;
        let (s, b) = train::head_data(
            chunk,
            &self.matcher,
            &c.lexicon,
            &self.cfg.stance_scores,
            &self.cfg.bias_scores,
            (c.stance_labels.as_ref(), c.bias_labels.as_ref()),
        )?;
        let raw = |d: &Option<HeadData>| -> Result<Vec<RawRow>> {
            d.as_ref().map_or(Ok(Vec::new()), |d| {
                train::raw_rows(&self.hashing, &d.examples, &|| {})
            })
        };
        Ok(Featurized {
            stance_raw: raw(&s)?,
            bias_raw: raw(&b)?,
            stance: s,
            bias: b,
        })
    }

    /// A pass over the file with each chunk's features (bias duplicates dropped afresh),
    /// and the rows done so far.
    fn each(&self, each: &mut dyn FnMut(&Featurized, u64)) -> Result<()> {
        let mut seen = HashSet::new();
        let mut done = 0u64;
        self.reader.rows(None, &mut |chunk, _| {
            done += chunk.len() as u64;
            each(&self.featurize(chunk, &mut seen)?, done);
            Ok(())
        })
    }

    /// Pass 2: the frequencies IDF and the columns each head keeps come from.
    fn frequencies(&self, progress: &(dyn Fn(u32, u64) + Sync)) -> Result<Frequencies> {
        let buckets = self.cfg.features.buckets();
        let c = self.counted;
        let mut all_df = DfCounter::new(buckets);
        let mut head_df = [DfCounter::new(buckets), DfCounter::new(buckets)];
        let mut class_counts = [
            vec![0usize; c.stance_labels.as_ref().map_or(0, LabelSet::len)],
            vec![0usize; c.bias_labels.as_ref().map_or(0, LabelSet::len)],
        ];
        self.each(&mut |f, done| {
            for (h, (d, raw)) in [(&f.stance, &f.stance_raw), (&f.bias, &f.bias_raw)]
                .into_iter()
                .enumerate()
            {
                for r in raw {
                    all_df.add(r);
                    head_df[h].add(r);
                }
                if let Some(d) = d {
                    for &y in &d.y {
                        class_counts[h][y] += 1;
                    }
                }
            }
            progress(2, done);
        })?;
        Ok((all_df, head_df, class_counts))
    }
}

struct Featurized {
    stance: Option<HeadData>,
    bias: Option<HeadData>,
    stance_raw: Vec<RawRow>,
    bias_raw: Vec<RawRow>,
}

/// One head being fitted.
struct Fitting {
    labels: LabelSet,
    epochs: u32,
    used: Vec<u32>,
    map: Vec<u32>,
    scale: Vec<f32>,
    state: SgdState,
    rng: rand_chacha::ChaCha8Rng,
    rows: usize,
    /// Weighted loss summed over epoch `loss_epoch`, each row's before its update.
    loss: f64,
    loss_epoch: u32,
}

impl Fitting {
    fn new(
        labels: LabelSet,
        p: &LogisticRegressionParams,
        counts: &[usize],
        df: &[u32],
    ) -> Fitting {
        let (used, map) = kept_columns(df, p.min_df.max(1) as u32);
        let col_nnz: Vec<u32> = used.iter().map(|&j| df[j as usize]).collect();
        let (epochs, rate) = match p.solver {
            Solver::Sgd { epochs, rate } => (epochs, rate),
            Solver::Lbfgs => unreachable!("checked by train_streaming"),
        };
        let scale = match p.class_weight {
            ClassWeight::Balanced => balanced_scale(counts),
            ClassWeight::Uniform => vec![1.0; counts.len()],
        };
        Fitting {
            state: SgdState::new(labels.len(), &col_nnz, p.c, rate),
            labels,
            epochs,
            used,
            map,
            scale: scale.iter().map(|&s| s as f32).collect(),
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(p.seed),
            rows: counts.iter().sum(),
            loss: 0.0,
            loss_epoch: 0,
        }
    }

    /// Update on one chunk's rows in a seeded random order.
    fn epoch(&mut self, epoch: u32, ex: &Extractor, d: &HeadData, raw: &[RawRow]) {
        if epoch >= self.epochs {
            return;
        }
        if epoch != self.loss_epoch {
            self.loss_epoch = epoch;
            self.loss = 0.0;
        }
        let rows: Vec<_> = raw.par_iter().map(|r| ex.weigh(r)).collect();
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.shuffle(&mut self.rng);
        // The chunk as kept columns, each row with its class and class weight.
        let x = crate::linear::sparse::CsrMatrix::from_row_vec(&rows, self.map.len());
        drop(rows);
        let cols: Vec<u32> = x.indices.iter().map(|&j| self.map[j as usize]).collect();
        let s: Vec<f64> = d.y.iter().map(|&y| self.scale[y] as f64).collect();
        let chunk = SgdRows {
            indptr: &x.indptr,
            cols: &cols,
            vals: &x.values,
            y: &d.y,
            s: &s,
        };
        let loss = self.state.run(
            &chunk,
            &order,
            0,
            crate::linear::classifier::two_threads_free(),
        );
        self.loss += loss;
    }

    fn head(self, buckets: usize) -> FittedHead {
        let k = self.labels.len();
        let w = self.state.weights();
        FittedHead {
            classifier: model_from_kept(
                buckets,
                k,
                &self.used,
                &w,
                self.epochs as u64,
                // The last epoch's mean loss, each row's taken before its update (no
                // extra pass over the file to evaluate the final weights).
                self.loss / self.rows.max(1) as f64,
            ),
            labels: self.labels,
            train_rows: self.rows,
            eval: None,
            cv: None,
        }
    }
}

/// Receives a chunk's rows and the records skipped in it.
type ChunkFn<'f> = dyn FnMut(&mut [Row], &[Skipped]) -> Result<()> + 'f;

/// Reads the training file in chunks of rows.
struct Pass<'a> {
    path: &'a Path,
    name: &'a str,
    opts: &'a StreamOptions,
}

impl Pass<'_> {
    /// Call `each(rows, skipped)` for every chunk of the file, in order.
    fn rows(&self, hasher: Option<&mut xxhash_rust::xxh3::Xxh3>, each: &mut ChunkFn) -> Result<()> {
        let file = std::fs::File::open(self.path).map_err(|e| Error::io(self.name, e))?;
        let reader = crate::io::data::Hashing {
            inner: BufReader::with_capacity(1 << 16, file),
            hasher,
        };
        let mut rdr = RowReader::new(
            reader,
            self.name,
            &self.opts.columns,
            self.opts.skip_invalid,
        )?
        .with_labels(self.opts.labels.clone());
        let (mut rows, mut skipped) = (Vec::new(), Vec::new());
        let (mut n_rows, mut n_skipped) = (0usize, 0usize);
        loop {
            let item = rdr.next_row()?;
            let end = item.is_none();
            match item {
                Some(Ok(r)) if r.loaded_words.is_some() => {
                    return Err(Error::StreamedLoadedWords {
                        file: self.name.to_string(),
                        line: r.line,
                        column: self.opts.columns.loaded_words.clone(),
                    })
                }
                Some(Ok(r)) => rows.push(r),
                Some(Err(s)) => skipped.push(s),
                None => {}
            }
            if end || rows.len() >= self.opts.chunk_rows.max(1) {
                n_rows += rows.len();
                n_skipped += skipped.len();
                if !rows.is_empty() || !skipped.is_empty() {
                    each(&mut rows, &skipped)?;
                }
                rows.clear();
                skipped.clear();
            }
            if end {
                break;
            }
        }
        rdr.check_not_empty(n_rows, n_skipped)
    }
}
