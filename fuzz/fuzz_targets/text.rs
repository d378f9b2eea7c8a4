//! Arbitrary UTF-8 through sentence segmentation, actor discovery (the built-in tagger,
//! the lexicon, coreference), feature extraction and scoring with the shipped model; the
//! report's offsets must point into the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stance::{Analyzer, MAX_SENTENCE_CHARS};
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        let bytes = include_bytes!("../../models/default.stance");
        let m = stance::Model::from_bytes(bytes, std::path::Path::new("default.stance"))
            .expect("the shipped model loads");
        let tagger = stance::builtin_tagger().expect("the built-in tagger loads");
        Analyzer::new(m)
            .expect("analyzer")
            .with_explanations(3)
            .with_discovery(tagger)
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let r = analyzer()
        .article("fuzz", text)
        .expect("any text is classified");
    let chars: Vec<char> = text.chars().collect();
    let mut last = 0;
    for s in &r.sentences {
        assert!(s.start >= last && s.start < s.end && s.end <= chars.len());
        assert!(s.end - s.start <= MAX_SENTENCE_CHARS);
        let at: String = chars[s.start..s.end].iter().collect();
        assert_eq!(at, &*s.text);
        last = s.end;
        for a in &s.actors {
            assert!((-1.0..=1.0).contains(&a.score), "{}", a.score);
            for m in &a.mentions {
                assert!(s.start <= m.start && m.end <= s.end);
                let at: String = chars[m.start..m.end].iter().collect();
                assert_eq!(at, m.text);
            }
        }
    }
});
