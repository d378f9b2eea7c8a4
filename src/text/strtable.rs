//! A table keyed by short strings for lookups on hot paths, where most keys looked up
//! are absent: each key is hashed once (one-shot xxh3), and a bit per value of the
//! hash's top 16 bits (8 KB in all) answers most misses without touching the table.

use xxhash_rust::xxh3::xxh3_64;

/// Values of type `V` by string key.
#[derive(Debug, Clone)]
pub(crate) struct StrTable<V> {
    table: hashbrown::HashTable<(Box<str>, V)>,
    /// Bit `h >> 48` is set when some key's hash `h` has those top 16 bits.
    some: Vec<u64>,
}

impl<V> Default for StrTable<V> {
    fn default() -> Self {
        StrTable {
            table: hashbrown::HashTable::new(),
            some: vec![0; 1 << 10],
        }
    }
}

impl<V> StrTable<V> {
    pub(crate) fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Remove every key, keeping the memory.
    pub(crate) fn clear(&mut self) {
        self.table.clear();
        self.some.fill(0);
    }

    /// The value of `key`, inserting `value()` first if it has none.
    pub(crate) fn get_or_insert_with(&mut self, key: &str, value: impl FnOnce() -> V) -> &mut V {
        let h = xxh3_64(key.as_bytes());
        self.some[(h >> 54) as usize] |= 1 << (h >> 48 & 63);
        let entry = self
            .table
            .entry(h, |(k, _)| **k == *key, |(k, _)| xxh3_64(k.as_bytes()));
        &mut entry.or_insert_with(|| (key.into(), value())).into_mut().1
    }

    /// The value of the key whose bytes are `key`.
    #[inline]
    pub(crate) fn get(&self, key: &[u8]) -> Option<&V> {
        let h = xxh3_64(key);
        if self.some[(h >> 54) as usize] & 1 << (h >> 48 & 63) == 0 {
            return None;
        }
        self.table
            .find(h, |(k, _)| k.as_bytes() == key)
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_and_keeps_the_first_value() {
        let mut t: StrTable<u32> = StrTable::default();
        assert!(t.is_empty() && t.get(b"a").is_none());
        for (i, w) in ["war", "peace", "war", "", "é"].iter().enumerate() {
            t.get_or_insert_with(w, || i as u32);
        }
        assert_eq!(t.get(b"war"), Some(&0));
        assert_eq!(t.get(b"peace"), Some(&1));
        assert_eq!(t.get(b""), Some(&3));
        assert_eq!(t.get("é".as_bytes()), Some(&4));
        assert_eq!(t.get(b"wa"), None);
        assert_eq!(t.get(b"wars"), None);
        *t.get_or_insert_with("peace", || 9) += 10;
        assert_eq!(t.get(b"peace"), Some(&11));
        assert_eq!(t.len(), 4);
        t.clear();
        assert!(t.is_empty() && t.get(b"peace").is_none());
        t.get_or_insert_with("peace", || 1);
        assert_eq!((t.len(), t.get(b"peace")), (1, Some(&1)));
    }
}
