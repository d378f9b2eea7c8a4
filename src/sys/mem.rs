//! Large zeroed tables for random access (the solver's weights, the scorer's buckets).
//!
//! Both are read at random over megabytes, one cache line per feature, so most lookups
//! also miss the TLB when the table sits on 4 KB pages. On Linux the table is allocated
//! lazily zeroed (`calloc`, backed by `mmap`) and marked `MADV_HUGEPAGE` before it is
//! first written, so the kernel backs it with 2 MB pages where transparent huge pages are
//! enabled in `madvise` or `always` mode. Elsewhere (or when the advice is refused) it
//! is an ordinary vector: the advice changes speed, never contents.

/// A zeroed `Vec<f32>` of `len` floats, on huge pages where the system allows.
pub fn zeroed_table(len: usize) -> Vec<f32> {
    let v = vec![0f32; len];
    advise_huge(&v);
    v
}

/// A zeroed `Vec<i16>` of `len` entries, on huge pages where the system allows: the
/// named-entity tagger's weights (32 MB read at random, a row per feature of every
/// token).
pub fn zeroed_table_i16(len: usize) -> Vec<i16> {
    let v = vec![0i16; len];
    advise_huge(&v);
    v
}

/// Hint the CPU to load the cache line holding `x`.
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint with no architectural effect; `x` is a valid reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// `mi_option_purge_delay`: its position in `mi_option_e` of the mimalloc v3 header that
/// `libmimalloc-sys` 0.1.49 builds (the crate does not name it; a test checks its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Make mimalloc (the binaries' global allocator) give freed memory back to the system at
/// once instead of after its default delay (1 s). Measured on NewsMTSC (three alternating runs each):
/// in-memory training 277-285 MB → 219-226 MB at the same speed; streaming training
/// 205-218 MB → 134-140 MB, about 10% slower. `stance-train` calls it first thing in
/// `main`. `stance-classify` does not: there it cut peak RSS from about 117 to 96 MB but
/// cost 7-11% more CPU (median task-clock over 20,072 sentences, two series of four
/// alternating quiet runs: 1.32 → 1.48 s and 1.36 → 1.46 s), the freed pages being
/// faulted in again for the next batch.
pub fn return_freed_memory_promptly() {
    // SAFETY: setting an allocator option is allowed at any time; it only changes when
    // freed pages are returned.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// `mi_option_arena_eager_commit`: its position in `mi_option_e` of the same header (a
/// test checks its default, 2: commit a whole arena when it is reserved, on systems that
/// overcommit).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Make mimalloc commit its arenas' memory page by page as it is used, instead of the
/// whole 1 GiB arena when it is reserved (its default on Linux, where committing is
/// free until a page is touched). Committed whole, the pages mimalloc frees and purges
/// stay resident, so a run's resident size keeps every page it ever used; committed on
/// demand, purged pages go back to the system. It sets the default only: the
/// environment (`MIMALLOC_ARENA_EAGER_COMMIT`) still decides when it is set. It must
/// run before mimalloc reserves its first arena, which the Rust runtime's first
/// allocation does before `main`: `stance-classify` calls it from a constructor that
/// runs before mimalloc's own (see that binary). Measured figures are in the README
/// ("Memory").
pub fn commit_memory_on_demand() {
    // SAFETY: setting an option's default touches only mimalloc's option table (no
    // allocation), and is allowed before mimalloc is initialized.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
}

/// Give the memory freed so far back to the system now (mimalloc's `mi_collect`).
///
/// `stance-classify` keeps mimalloc's purge delay (see
/// [`return_freed_memory_promptly`]), so the buffers of loading — the model file's
/// bytes, the deserialized sparse weights and the tagger's stored rows, freed once the
/// dense tables are built — would otherwise stay resident under the tables built next
/// and lift the peak. Called once after each load, it costs no time per article.
pub fn release_freed_memory() {
    // SAFETY: `mi_collect` may be called at any time from any thread; it only returns
    // free pages to the system.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// [`prefetch`] of a raw address (a hint: any address is allowed).
#[inline(always)]
pub(crate) fn prefetch_ptr(x: *const f32) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint with no architectural effect, even for an invalid address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(x.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

#[cfg(target_os = "linux")]
fn advise_huge<T>(v: &[T]) {
    const HUGE: usize = 2 << 20;
    let bytes = std::mem::size_of_val(v);
    if bytes < 2 * HUGE {
        return;
    }
    let page = 4096usize;
    let start = v.as_ptr() as usize;
    let aligned = start.div_ceil(page) * page;
    let end = (start + bytes) / page * page;
    if end > aligned {
        // SAFETY: the range lies inside the vector's own allocation and is page aligned;
        // MADV_HUGEPAGE only changes how the kernel backs those pages, not their
        // contents, and its failure is harmless (the pages stay 4 KB).
        unsafe {
            libc::madvise(
                aligned as *mut libc::c_void,
                end - aligned,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge<T>(_v: &[T]) {}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // The defaults of the bundled mimalloc v3 (src/options.c): purge delay 1000 (ms);
        // its neighbours in the enum, the deprecated eager-commit delay and the NUMA node
        // count, 1 and 0; the OS tag, three further on, 100.
        // SAFETY: reading an option of the allocator has no precondition.
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 1000);
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY - 1), 1);
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY + 1), 0);
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY + 3), 100);
        super::return_freed_memory_promptly();
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 0);
    }

    #[test]
    fn the_arena_commit_option_is_the_one_set() {
        // The defaults of the bundled mimalloc v3 (src/options.c): arena eager commit 2;
        // its neighbours, the deprecated eager commit and purge-decommits, 1 and 1; the
        // deprecated eager-commit delay ten further on, 1 (a test binary links no
        // constructor that changes them; the binary's effect is a CLI test).
        // SAFETY: reading an option of the allocator has no precondition.
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!(get(super::MI_OPTION_ARENA_EAGER_COMMIT), 2);
        assert_eq!(get(super::MI_OPTION_ARENA_EAGER_COMMIT - 1), 1);
        assert_eq!(get(super::MI_OPTION_ARENA_EAGER_COMMIT + 1), 1);
        assert_eq!(get(super::MI_OPTION_ARENA_EAGER_COMMIT + 10), 1);
    }

    #[test]
    fn tables_are_zeroed_and_writable() {
        for len in [0, 5, 1 << 20, (3 << 20) + 7] {
            let mut t = super::zeroed_table(len);
            assert_eq!(t.len(), len);
            assert!(t.iter().all(|&x| x == 0.0));
            if let Some(last) = t.last_mut() {
                *last = 1.5;
                assert_eq!(t[len - 1], 1.5);
            }
        }
    }
}
