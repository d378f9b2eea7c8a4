//! Plain-text and JSON Lines articles read in sections (`Source::for_each_sectioned`):
//! any bytes, with a section size from 1 KB (the least) to 4 KB. Valid UTF-8 comes back
//! whole, in order, in sections of at most the bound numbered from 1 (one undivided
//! article when it fits); anything else is an error naming the file, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stance::{Document, InputFormat, Source};
use std::path::PathBuf;

fn file() -> PathBuf {
    std::env::temp_dir().join(format!("stance-fuzz-sections-{}.txt", std::process::id()))
}

fn read(path: &PathBuf, format: InputFormat, section: usize) -> stance::Result<Vec<Document>> {
    let mut docs = Vec::new();
    Source::Path(path.clone()).for_each_sectioned(format, 1 << 20, section, &mut |d| {
        docs.push(d);
        Ok(())
    })?;
    Ok(docs)
}

fuzz_target!(|data: &[u8]| {
    let Some((&k, bytes)) = data.split_first() else {
        return;
    };
    let section = 1024 + 12 * usize::from(k);
    let path = file();
    std::fs::write(&path, bytes).expect("temp file");
    match read(&path, InputFormat::Text, section) {
        Ok(docs) => {
            let text = std::str::from_utf8(bytes).expect("only UTF-8 is read");
            let joined: String = docs.iter().map(|d| d.text.as_str()).collect();
            assert_eq!(joined, text);
            if text.len() <= section {
                assert_eq!(docs.len(), 1);
                assert_eq!(docs[0].section, None);
            } else {
                for (i, d) in docs.iter().enumerate() {
                    assert_eq!(d.section, Some(i + 1));
                    assert!(!d.text.is_empty() && d.text.len() <= section);
                }
            }
        }
        Err(e) => {
            assert!(std::str::from_utf8(bytes).is_err(), "{e}");
            assert!(e.to_string().contains("not valid UTF-8"), "{e}");
        }
    }
    // The same text as one JSON Lines record: cut the same way.
    if let Ok(text) = std::str::from_utf8(bytes) {
        let line = serde_json::json!({ "id": "a", "text": text }).to_string();
        std::fs::write(&path, line).expect("temp file");
        let docs = read(&path, InputFormat::Jsonl, section).expect("a valid record");
        let joined: String = docs.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(joined, text);
        assert!(docs.iter().all(|d| d.text.len() <= section));
    }
    let _ = std::fs::remove_file(&path);
});
