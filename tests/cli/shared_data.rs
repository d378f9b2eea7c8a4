//! Runs on the third-party data in ../shared/data (read at run time, never copied).

use crate::*;

/// Issue 2's bar: default settings, NewsMTSC train -> dev, macro-F1 >= 0.62.
#[test]
fn newsmtsc_default_settings_reach_the_macro_f1_bar() {
    let Some(data) = shared_data() else { return };
    let dir = tmp();
    let model = dir.path().join("news.stance");
    let o = run(
        train_bin()
            .arg(data.join("newsmtsc/train.csv"))
            .arg("-o")
            .arg(&model),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        classify_bin()
            .arg("-m")
            .arg(&model)
            .arg("--eval")
            .arg(data.join("newsmtsc/dev.csv"))
            .args(["--format", "json"]),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f1 = v["macro_f1"].as_f64().unwrap();
    eprintln!("newsmtsc dev macro-F1 {f1:.4}");
    assert_eq!(v["per_class"]["against"]["support"], 342);
    assert!(f1 >= 0.62, "macro-F1 {f1}");
}

/// Every shared file loads unchanged with the default schema.
#[test]
fn shared_files_load_unchanged() {
    let Some(data) = shared_data() else { return };
    for (f, rows) in [
        ("semeval2016/train.csv", 2621),
        ("semeval2016/dev.csv", 293),
        ("newsmtsc/train.csv", 7832),
        ("newsmtsc/dev.csv", 883),
        ("babe/train.csv", 2939),
        ("babe/dev.csv", 367),
    ] {
        let bytes = std::fs::read(data.join(f)).unwrap();
        let l = stance::data::read_csv(&bytes[..], f, &Default::default(), false).unwrap();
        assert_eq!(l.rows.len(), rows, "{f}");
    }
}
