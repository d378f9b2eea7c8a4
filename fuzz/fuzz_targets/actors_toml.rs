//! The `--actors` TOML: parsing and validation, merging over the built-in lexicon,
//! building the matcher and matching (the file's own text, and a fixed sentence).
#![no_main]
use libfuzzer_sys::fuzz_target;
use stance::{Lexicon, Matcher};
use std::sync::OnceLock;

fn builtin() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(Lexicon::builtin)
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(user) = Lexicon::from_toml(text, "fuzz.toml") else {
        return;
    };
    let mut lex = builtin().clone();
    lex.merge(&user);
    for a in &user.actors {
        for al in &a.aliases {
            assert!(lex.owner_of(al).is_some(), "{al:?} lost in the merge");
        }
    }
    let m = Matcher::new(&lex).expect("a valid lexicon builds a matcher");
    for t in [
        text,
        "Iran praised Oman and the United States; the UN's envoy left Tehran.",
    ] {
        let chars = t.chars().count();
        let mut last = 0;
        for x in m.find(t) {
            assert!(x.start < x.end && x.end <= chars && x.start >= last);
            assert!(t.is_char_boundary(x.start_byte) && t.is_char_boundary(x.end_byte));
            last = x.end;
        }
    }
});
