//! Files written atomically: through a temporary file in the target's directory and a
//! rename, so readers never see a partial file; and a temporary file is removed when
//! the process is interrupted (SIGINT, SIGTERM, SIGHUP) while writing it, instead of
//! being left behind as a hidden `.tmpXXXXXX` next to the target.

use crate::error::{Error, Result};
use crate::sys::cleanup;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` through a temporary file in the same directory and a rename.
/// The file gets the permissions of an ordinary file (0644 before the umask).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let io = |e: std::io::Error| Error::io(path.display().to_string(), e);
    let (mut tmp, guard) = guarded_temp_file(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // A temporary file is created private (0600); a model is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    // For the interrupt test: hold the temporary file this long before the rename.
    if let Some(ms) = std::env::var_os("STANCE_TEST_WRITE_PAUSE_MS") {
        let ms = ms.to_str().and_then(|s| s.parse().ok()).unwrap_or(0u64);
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
    // Interrupted after the rename: the file is the finished target, not a leftover.
    let persisted = tmp.persist(path).map_err(|e| io(e.error));
    drop(guard);
    persisted.map(|_| ())
}

/// A new temporary file in `dir` (`.tmpXXXXXX`) and the guard that removes it on an
/// interrupt. The guard registers the path before the file is created, so that no
/// interrupt, however early, leaves the file behind.
fn guarded_temp_file(
    dir: &Path,
) -> std::io::Result<(tempfile::NamedTempFile<std::fs::File>, cleanup::Guard)> {
    let mut guard = None;
    let tmp = tempfile::Builder::new().make_in(dir, |p| {
        guard = Some(cleanup::Guard::new(p));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
    })?;
    let guard = guard.expect("make_in called the closure for the file it made");
    Ok((tmp, guard))
}

/// Check, before any long work, that `path` can be written atomically: it is not a
/// directory, its directory takes a new file, and it is none of `inputs` (files the run
/// reads; `-` is standard input), which writing it would replace.
pub fn check_writable(path: &Path, inputs: &[&str]) -> Result<()> {
    let name = path.display().to_string();
    let fail = |msg: String| {
        Error::io(
            name.clone(),
            std::io::Error::new(std::io::ErrorKind::InvalidInput, msg),
        )
    };
    for input in inputs.iter().filter(|i| **i != "-") {
        if same_file(path, Path::new(input)) {
            return Err(fail(format!(
                "is the input file {input}: writing there would replace it; give another \
                 output path"
            )));
        }
    }
    if path.is_dir() {
        return Err(fail("is a directory; give a file path".into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (probe, guard) = guarded_temp_file(dir)
        .map_err(|e| fail(format!("cannot write in {}: {e}", dir.display())))?;
    drop(probe);
    drop(guard);
    Ok(())
}

/// Whether `a` and `b` name one existing file (hard links and symbolic links included).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (ma.dev(), ma.ino()) == (mb.dev(), mb.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}
