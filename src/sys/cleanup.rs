//! Temporary files to remove when the process is interrupted (SIGINT, SIGTERM, SIGHUP)
//! while they are written (see `crate::io::atomic`): a [`Guard`] registers its path
//! with a signal handler, which removes the file and lets the signal kill the process.

pub(crate) use imp::Guard;

#[cfg(target_os = "linux")]
mod imp {
    //! A fixed table of C strings that the signal handler reads without locking or
    //! allocating (`unlink` is async-signal-safe).
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};
    use std::sync::Once;

    const SLOTS: usize = 16;
    static PATHS: [AtomicPtr<libc::c_char>; SLOTS] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
    static INSTALL: Once = Once::new();
    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(sig: libc::c_int) {
        for slot in &PATHS {
            let p = slot.load(Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: `p` is a NUL-terminated string owned by the table until its
                // guard takes it back.
                unsafe { libc::unlink(p) };
            }
        }
        // Die of the signal as the process would have without this handler.
        // SAFETY: async-signal-safe calls with valid arguments.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    fn install() {
        INSTALL.call_once(|| {
            for sig in SIGNALS {
                // SAFETY: installs a handler that only calls async-signal-safe functions.
                // A signal the process ignores (SIG_IGN, e.g. under nohup) stays ignored.
                unsafe {
                    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                    let old = libc::signal(sig, handler);
                    if old == libc::SIG_IGN {
                        libc::signal(sig, libc::SIG_IGN);
                    }
                }
            }
        });
    }

    /// Removes its path on a fatal signal while it lives.
    pub struct Guard(Option<usize>);

    impl Guard {
        pub fn new(path: &Path) -> Guard {
            use std::os::unix::ffi::OsStrExt;
            let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
                return Guard(None);
            };
            install();
            let raw = c.into_raw();
            for (i, slot) in PATHS.iter().enumerate() {
                if slot
                    .compare_exchange(
                        std::ptr::null_mut(),
                        raw,
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    )
                    .is_ok()
                {
                    return Guard(Some(i));
                }
            }
            // All slots taken (more than 16 files being written at once): no cleanup.
            // SAFETY: `raw` came from `into_raw` above and was not shared.
            drop(unsafe { CString::from_raw(raw) });
            Guard(None)
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if let Some(i) = self.0 {
                let p = PATHS[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
                if !p.is_null() {
                    // SAFETY: the slot held the pointer from `into_raw` in `new`.
                    drop(unsafe { CString::from_raw(p) });
                }
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    /// No signal handling off Linux: the temporary file may be left on an interrupt.
    pub struct Guard;
    impl Guard {
        pub fn new(_: &std::path::Path) -> Guard {
            Guard
        }
    }
}
