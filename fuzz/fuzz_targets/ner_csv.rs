//! The NER training file (`id,text,entities`, entities a JSON list of `[start, end,
//! TYPE]` in characters): any bytes are read without a panic; every sentence it accepts
//! has sorted, non-overlapping spans inside its text, and a tagger trained on the
//! accepted sentences (when it trains) tags them with spans inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stance::{read_gmb_csv, NerParams};

fuzz_target!(|bytes: &[u8]| {
    let Ok(sentences) = read_gmb_csv(bytes, "fuzz.csv") else {
        return;
    };
    for s in &sentences {
        let n = s.text.chars().count();
        let mut end = 0;
        for e in &s.entities {
            assert!(
                e.start >= end && e.start < e.end && e.end <= n,
                "{e:?} in {n}"
            );
            end = e.end;
        }
    }
    if sentences.is_empty() || sentences.len() > 64 {
        return;
    }
    let Ok(tagger) = NerParams::default()
        .epochs(1)
        .buckets(1 << 12)
        .fit(&sentences)
    else {
        return;
    };
    for s in &sentences {
        let n = s.text.chars().count();
        for e in tagger.tag(&s.text) {
            assert!(e.start < e.end && e.end <= n, "{e:?} in {n}");
        }
    }
});
