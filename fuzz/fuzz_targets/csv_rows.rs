//! Training CSV rows: header and columns, quoting, offsets, labels (with the training
//! label checks), marked words; the rows read are then trained on (small models) so that
//! matching and feature extraction of training rows are covered too.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stance::Columns;
use stance::TrainConfig;
use std::sync::OnceLock;

fn config() -> &'static TrainConfig {
    static CFG: OnceLock<TrainConfig> = OnceLock::new();
    CFG.get_or_init(|| {
        let mut cfg = TrainConfig::default();
        cfg.features.hash_bits = 10;
        cfg.params = cfg.params.clone().max_iter(5);
        cfg.bias_params = cfg.params.clone();
        cfg
    })
}

fuzz_target!(|bytes: &[u8]| {
    let skip = bytes.first().is_some_and(|b| b & 1 == 1);
    let cfg = config();
    let check = stance::training_label_check(cfg);
    if let Ok(d) = stance::read_csv_checked(bytes, "fuzz.csv", &Columns::default(), skip, check) {
        for r in &d.rows {
            if let Some((s, e)) = r.span {
                assert!(
                    s < e && e <= r.text.chars().count(),
                    "{s}..{e} in {:?}",
                    r.text
                );
            }
        }
        if d.rows.len() <= 32 {
            let _ = cfg.fit(&d);
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if let Ok(words) = stance::parse_marks(s) {
            assert!(words.iter().all(|w| !w.trim().is_empty()));
        }
    }
});
