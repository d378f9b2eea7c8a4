//! Write the exact feature rows `stance-train` (default settings) fits, in svmlight
//! format, so other learners can be compared on the same rows.
//!
//! ```console
//! $ cargo run --release --features internals --example dump_rows -- TRAIN.csv EVAL.csv OUTDIR [K] [SEED]
//! ```
//!
//! For each head the data has (`stance`, `bias`) it writes to OUTDIR:
//! - `{head}_train.svm`: the training rows weighted as `train_model` weighs them (IDF fit
//!   on the rows of both heads), `{head}_dev.svm`: the EVAL rows as `evaluate` builds
//!   them with that model's lexicon and IDF;
//! - `{head}_folds.txt`: the fold of every training row (`fold_assignment`, K folds,
//!   SEED, default 5 and 42, as `--cv K --seed SEED`);
//! - `{head}_cv{f}.svm`: every training row weighted with the IDF that
//!   `cross_validate` fits on the training part of fold f.
//!
//! A line is `label col:value ...` with the label's class index and sorted 0-based
//! columns. Columns kept by the classifier (document frequency >= 2 in its training
//! rows) are not filtered here. `{head}_labels.txt` lists the class names in index order.
use stance::features::{Extractor, RawRow, SparseRow};
use stance::io::data::{self, Columns};
use stance::train::{self, HeadData, TrainConfig};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

fn write_svm(path: &Path, rows: impl Iterator<Item = (usize, SparseRow)>) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for (y, r) in rows {
        write!(f, "{y}").unwrap();
        for (i, v) in r.indices.iter().zip(&r.values) {
            write!(f, " {i}:{v}").unwrap();
        }
        writeln!(f).unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: dump_rows TRAIN.csv EVAL.csv OUTDIR [K] [SEED]");
        std::process::exit(2);
    }
    let out = Path::new(&args[3]);
    std::fs::create_dir_all(out).expect("outdir");
    let k: usize = args.get(4).map_or(5, |s| s.parse().expect("K"));
    let seed: u64 = args.get(5).map_or(42, |s| s.parse().expect("SEED"));
    let cols = Columns::default();
    let read = |p: &str| {
        let bytes = std::fs::read(p).expect("read csv");
        data::read_csv(&bytes[..], p, &cols, false)
            .expect("parse csv")
            .rows
    };
    let rows = read(&args[1]);
    let eval_rows = read(&args[2]);

    let cfg = TrainConfig {
        seed,
        ..TrainConfig::default()
    };
    let (lexicon, stance, bias) = train::prepare(&cfg, &rows).expect("prepare");
    let ex = train::extractor(&cfg.features).expect("extractor");
    let raw = |d: &Option<HeadData>| -> Option<Vec<RawRow>> {
        d.as_ref()
            .map(|d| train::raw_rows(&ex, &d.examples, &|| ()).expect("features"))
    };
    let (stance_raw, bias_raw) = (raw(&stance), raw(&bias));

    // The model's IDF: both heads' rows, as train_model.
    let mut model_ex: Extractor = ex.clone();
    model_ex.fit_idf(stance_raw.iter().flatten().chain(bias_raw.iter().flatten()));
    // Eval rows as `evaluate` builds them (the model's lexicon, its label sets).
    let matcher = stance::text::actors::Matcher::new(&lexicon).expect("matcher");
    let (es, eb) = train::head_data(
        &eval_rows,
        &matcher,
        &lexicon,
        &BTreeMap::new(),
        &BTreeMap::new(),
        (
            stance.as_ref().map(|h| &h.labels),
            bias.as_ref().map(|h| &h.labels),
        ),
    )
    .expect("eval rows");

    for (name, d, r, e) in [
        ("stance", &stance, &stance_raw, &es),
        ("bias", &bias, &bias_raw, &eb),
    ] {
        let (Some(d), Some(r)) = (d, r) else { continue };
        let labels: Vec<String> = d.labels.names.clone();
        std::fs::write(
            out.join(format!("{name}_labels.txt")),
            labels.join("\n") + "\n",
        )
        .unwrap();
        write_svm(
            &out.join(format!("{name}_train.svm")),
            d.y.iter().zip(r).map(|(&y, raw)| (y, model_ex.weigh(raw))),
        );
        if let Some(e) = e {
            write_svm(
                &out.join(format!("{name}_dev.svm")),
                e.y.iter()
                    .zip(&e.examples)
                    .map(|(&y, x)| (y, model_ex.row(&x.input()).expect("row"))),
            );
        }
        let folds = train::fold_assignment(&d.y, &d.groups, k, seed);
        let text: String = folds.iter().map(|f| format!("{f}\n")).collect();
        std::fs::write(out.join(format!("{name}_folds.txt")), text).unwrap();
        for f in 0..k {
            let mut fx = ex.clone();
            fx.fit_idf((0..folds.len()).filter(|&i| folds[i] != f).map(|i| &r[i]));
            write_svm(
                &out.join(format!("{name}_cv{f}.svm")),
                d.y.iter().zip(r).map(|(&y, raw)| (y, fx.weigh(raw))),
            );
        }
        eprintln!("{name}: {} train rows, {} classes", d.y.len(), labels.len());
    }
}
