//! Character n-grams inside word boundaries, and the per-thread cache of each word's
//! buckets.

use super::config::FeatureConfig;
use super::group::{hit, hit_parts, Group};
use super::hash::{conjoined, name_hash};
use xxhash_rust::xxh3::xxh3_64;

/// Call `f` with the name (`c|` + n-gram) of every character n-gram of length lo..=hi of
/// `" word "`, using `name` as the buffer. The n-grams starting at one character are
/// prefixes of each other, so one name grows through them.
pub(super) fn char_grams(
    word: &str,
    lo: usize,
    hi: usize,
    name: &mut String,
    f: &mut dyn FnMut(&str),
) {
    let padded = format!(" {word} ");
    // bounds[j]: byte offset of character j of " word "; bounds.len() - 1 characters.
    let mut bounds: Vec<usize> = padded.char_indices().map(|(o, _)| o).collect();
    bounds.push(padded.len());
    let n_chars = bounds.len() - 1;
    for start in 0..n_chars {
        let last = hi.min(n_chars - start);
        if lo > last {
            continue;
        }
        name.clear();
        name.push_str("c|");
        name.push_str(&padded[bounds[start]..bounds[start + lo - 1]]);
        for n in lo..=last {
            name.push_str(&padded[bounds[start + n - 1]..bounds[start + n]]);
            f(name);
        }
    }
}

/// Arena entries (buckets) the per-thread character n-gram cache holds before it starts
/// over: 8 MB per thread.
const CHAR_CACHE_MAX: usize = 1 << 20;

/// Per-thread cache of the character n-gram buckets of words (see `visit_tokens`).
#[derive(Default)]
pub(super) struct CharCache {
    /// Key (settings, conjoined key, word) -> range of `arena`.
    map: std::collections::HashMap<Box<[u8]>, (u32, u32), xxhash_rust::xxh3::Xxh3Builder>,
    /// `group << 32 | bucket` of each n-gram, in emission order.
    pub(super) arena: Vec<u64>,
    /// Reused key buffer.
    key: Vec<u8>,
}

impl CharCache {
    /// The range of `arena` holding the character n-gram hits (`group << 32 | bucket`) of
    /// `word` under `cfg`, with conjoined copies for `conj_key`; computed on first sight.
    pub(super) fn lookup(
        &mut self,
        cfg: &FeatureConfig,
        word: &str,
        conj_key: Option<&str>,
        name: &mut String,
        conj_name: &mut String,
    ) -> (usize, usize) {
        let key = &mut self.key;
        key.clear();
        key.extend_from_slice(&[
            cfg.hash_bits,
            cfg.char_min,
            cfg.char_max,
            cfg.extras.token_hash as u8 | (cfg.extras.char_words as u8) << 1,
        ]);
        if let Some(k) = conj_key {
            key.push(1);
            key.extend_from_slice(k.as_bytes());
            key.push(0);
        } else {
            key.push(0);
        }
        key.extend_from_slice(word.as_bytes());
        if let Some(&(off, len)) = self.map.get(&self.key[..]) {
            return (off as usize, len as usize);
        }
        if self.arena.len() >= CHAR_CACHE_MAX {
            self.map.clear();
            self.arena.clear();
        }
        let mask_bits = (1u64 << cfg.hash_bits) - 1;
        let off = self.arena.len();
        let arena = &mut self.arena;
        let (lo, hi) = (cfg.char_min as usize, cfg.char_max as usize);
        let key_hash = conj_key.map_or(0, |k| xxh3_64(k.as_bytes()));
        char_grams(word, lo, hi, name, &mut |gram| {
            let h = name_hash(gram, Group::CHAR);
            arena.push(hit(Group::CHAR, (h & mask_bits) as u32));
            if let Some(k) = conj_key {
                let g2 = Group::CHAR.conjoined();
                let h = conjoined(cfg, h, gram, (k, key_hash), g2, false, conj_name);
                arena.push(hit(g2, (h & mask_bits) as u32));
            }
        });
        if cfg.extras.char_words {
            // Each distinct bucket once per word.
            let mut word = arena.split_off(off);
            word.sort_unstable();
            word.dedup();
            arena.append(&mut word);
        }
        let len = arena.len() - off;
        self.map
            .insert(self.key.as_slice().into(), (off as u32, len as u32));
        (off, len)
    }
}

thread_local! {
    pub(super) static CHAR_CACHE: std::cell::RefCell<CharCache> = std::cell::RefCell::new(CharCache::default());
}

impl super::visit::Visit<'_, '_, '_> {
    /// Character n-grams inside word boundaries (" word ") of the words outside mentions:
    /// from the per-thread cache when names are not needed, else built with their names
    /// (as `CharCache::lookup` hashes them).
    pub(super) fn chars(&mut self) {
        let cfg = self.cfg;
        let conj_key = self.conj.filter(|_| Group::CHAR >= self.conj_from);
        let words = self
            .masked
            .iter()
            .enumerate()
            .filter(|(_, t)| **t != super::TARGET && **t != super::OTHER);
        let mut name = String::with_capacity(64);
        if !self.named {
            // A word's n-grams, and so its buckets, depend only on the word, the n-gram
            // settings and the conjoined key: a cache keyed by those replaces building and
            // hashing the names of every word seen before.
            let (spans, sink, conj_name) = (&self.spans, &mut self.sink, &mut self.conj_name);
            CHAR_CACHE.with_borrow_mut(|cache| {
                for (i, t) in words {
                    let (off, len) = cache.lookup(cfg, t, conj_key, &mut name, conj_name);
                    let span = spans[i];
                    for &h in &cache.arena[off..off + len] {
                        let (g, bucket) = hit_parts(h);
                        sink(g, bucket, "", span);
                    }
                }
            });
            return;
        }
        let (lo, hi) = (cfg.char_min as usize, cfg.char_max as usize);
        let conj_key = conj_key.map(|k| (k, xxh3_64(k.as_bytes())));
        let mask_bits = self.mask_bits;
        let (spans, sink, conj_name) = (&self.spans, &mut self.sink, &mut self.conj_name);
        // The word's hits so far (`group << 32 | bucket`), with `char-words`.
        let mut seen: Vec<u64> = Vec::new();
        for (i, t) in words {
            let span = spans[i];
            seen.clear();
            let mut once = |g: Group, idx: u32, name: &str| {
                let h = hit(g, idx);
                if !cfg.extras.char_words || !seen.contains(&h) {
                    seen.push(h);
                    sink(g, idx, name, span);
                }
            };
            char_grams(t, lo, hi, &mut name, &mut |gram| {
                let h = name_hash(gram, Group::CHAR);
                once(Group::CHAR, (h & mask_bits) as u32, gram);
                if let Some(key) = conj_key {
                    let g2 = Group::CHAR.conjoined();
                    let h = conjoined(cfg, h, gram, key, g2, true, conj_name);
                    once(g2, (h & mask_bits) as u32, conj_name);
                }
            });
        }
    }
}
