//! The model file reader. The input's first byte picks the format version (2 to 4) and
//! the rest is the payload, under a header with the right length and checksum, so that
//! the fuzzer reaches the payload's decoding and checks (a raw file mostly fails the
//! checksum); inputs starting with "STANCEMD" are read as whole files. A model that
//! loads must classify a sentence.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let file = if bytes.starts_with(b"STANCEMD") {
        bytes.to_vec()
    } else {
        let Some((&v, payload)) = bytes.split_first() else {
            return;
        };
        let mut f = b"STANCEMD".to_vec();
        f.extend_from_slice(&(2 + u32::from(v % 3)).to_le_bytes());
        f.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        f.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(payload).to_le_bytes());
        f.extend_from_slice(payload);
        f
    };
    let Ok(model) = stance::Model::from_bytes(&file, Path::new("fuzz.stance")) else {
        return;
    };
    let Ok(analyzer) = stance::Analyzer::new(model) else {
        return;
    };
    let _ = analyzer.article(
        "fuzz",
        "Iran praised Oman. The UN criticized the United States!",
    );
});
