//! Hashing of feature names and n-grams into buckets.

use super::config::FeatureConfig;
use super::group::Group;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The hash of a feature name in group `g` (its bucket is the low bits).
#[inline]
pub fn name_hash(name: &str, g: Group) -> u64 {
    xxh3_64_with_seed(name.as_bytes(), g.seed())
}

/// Fold the hash of the next token into the state of an n-gram's hash (order matters).
#[inline]
pub(super) fn compose_step(state: u64, token: u64) -> u64 {
    (state ^ token)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(29)
}

/// The hash of an n-gram from its composed state: MurmurHash3's 64-bit finalizer, so that
/// every bit of the state reaches the low bits that pick the bucket.
#[inline]
pub(super) fn finish_hash(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// The IDF of bucket `idx` in `idf` (1 when IDF is off, `idf` empty).
#[inline]
pub fn idf_at(idf: &[f32], idx: u32) -> f32 {
    idf.get(idx as usize).copied().unwrap_or(1.0)
}

/// The hash of the conjoined copy (group `g2`) of feature `name`, hashed to `pre`, for the
/// target key `key` (with its hash). With the `token-hash` extra it is composed from the
/// two hashes; without, it is the hash of the name `key#name`. That name is left in
/// `conj_name` when it is hashed or `want_name` (otherwise `conj_name` is untouched).
#[inline]
pub(super) fn conjoined(
    cfg: &FeatureConfig,
    pre: u64,
    name: &str,
    (key, key_hash): (&str, u64),
    g2: Group,
    want_name: bool,
    conj_name: &mut String,
) -> u64 {
    if want_name || !cfg.extras.token_hash {
        conj_name.clear();
        conj_name.push_str(key);
        conj_name.push('#');
        conj_name.push_str(name);
    }
    if cfg.extras.token_hash {
        finish_hash(compose_step(
            compose_step(pre, key_hash),
            0x5851_f42d_4c95_7f2d ^ g2.seed(),
        ))
    } else {
        name_hash(conj_name, g2)
    }
}
