//! JSON Lines article records: `{"id": ..., "text": ...}` (UTF-8, object, unique keys,
//! id a string or number).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if let Ok(doc) = stance::parse_jsonl_line(line, "fuzz.jsonl", n as u64 + 1) {
            // A record may be surrounded by any Unicode whitespace (trimmed first).
            let trimmed = std::str::from_utf8(line)
                .expect("a valid record is UTF-8")
                .trim();
            let v: serde_json::Value =
                serde_json::from_str(trimmed).expect("a valid record is JSON");
            assert_eq!(v["text"].as_str(), Some(doc.text.as_str()));
        }
    }
});
