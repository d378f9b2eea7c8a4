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
    let v = eval_json(&model, &data.join("newsmtsc/dev.csv"));
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
        let l = stance::read_csv(&bytes[..], f, &Default::default(), false).unwrap();
        assert_eq!(l.rows.len(), rows, "{f}");
    }
}

/// Issue 5's bar for the bias head: BABE train -> dev macro-F1 >= 0.77, with the words
/// BABE's annotators marked as biased (`biased_words` of `meta_train.csv`, joined by id
/// into a `loaded_words` column of a temporary copy) training the loaded-word detector.
#[test]
fn babe_with_marked_words_reaches_the_bias_bar() {
    let Some(data) = shared_data() else { return };
    let dir = tmp();
    let mut marks = std::collections::HashMap::new();
    let mut meta = csv::Reader::from_path(data.join("babe/meta_train.csv")).unwrap();
    let h = meta.headers().unwrap().clone();
    let (id, words) = (
        h.iter().position(|c| c == "id").unwrap(),
        h.iter().position(|c| c == "biased_words").unwrap(),
    );
    for r in meta.records() {
        let r = r.unwrap();
        marks.insert(r[id].to_string(), r[words].to_string());
    }
    let mut train = csv::Reader::from_path(data.join("babe/train.csv")).unwrap();
    let h = train.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (id, text, bias) = (col("id"), col("text"), col("bias"));
    let joined = dir.path().join("babe-marked.csv");
    let mut w = csv::Writer::from_path(&joined).unwrap();
    w.write_record(["text", "bias", "loaded_words"]).unwrap();
    let mut n = 0;
    for r in train.records() {
        let r = r.unwrap();
        w.write_record([&r[text], &r[bias], &marks[&r[id]]])
            .unwrap();
        n += 1;
    }
    w.flush().unwrap();
    assert_eq!(n, 2939);
    let model = dir.path().join("babe.stance");
    let o = run(train_bin().arg(&joined).arg("-o").arg(&model), None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("loaded-word detector"),
        "{}",
        stderr(&o)
    );
    let v = eval_json(&model, &data.join("babe/dev.csv"));
    let f1 = v["bias"]["macro_f1"].as_f64().unwrap();
    eprintln!("babe dev macro-F1 with marked words {f1:.4}");
    assert_eq!(v["bias"]["n"], 367);
    assert!(f1 >= 0.77, "macro-F1 {f1}");
}
