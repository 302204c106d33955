//! How many threads render documents in this process, and whether a core
//! is free: a build's workers count themselves, and a document's backends
//! take a second thread ([`crate::format::render`]) only from a core that
//! no worker uses and that `-j` allows.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads rendering documents now, in the whole process: a build's
/// workers, and a document's second thread ([`crate::format::render`]).
static BUSY: AtomicUsize = AtomicUsize::new(0);

/// One thread counted in [`BUSY`] while this lives.
pub struct Busy(());

impl Busy {
    /// Counts this thread as rendering until the value is dropped.
    pub fn enter() -> Busy {
        BUSY.fetch_add(1, Ordering::Relaxed);
        Busy(())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The cores this process may run on, asked once (the system's answer
/// takes a few reads of /proc and /sys); `None` when the system does not
/// say.
pub fn cores() -> Option<usize> {
    static CORES: OnceLock<Option<usize>> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().ok().map(|n| n.get()))
}

/// The most threads a build lets render at once (`-j`), [`usize::MAX`]
/// for as many as there are cores.
static ALLOWED: AtomicUsize = AtomicUsize::new(usize::MAX);

/// A build's `-j` in force while this lives: with `-j 1`, a document
/// renders on one thread.
pub struct ThreadLimit(usize);

impl ThreadLimit {
    /// At most `threads` threads (`None`: every core) until dropped.
    pub fn set(threads: Option<usize>) -> ThreadLimit {
        ThreadLimit(ALLOWED.swap(threads.unwrap_or(usize::MAX), Ordering::Relaxed))
    }
}

impl Drop for ThreadLimit {
    fn drop(&mut self) {
        ALLOWED.store(self.0, Ordering::Relaxed);
    }
}

/// The threads a build may render on now: every core, or fewer (`-j`).
pub fn threads_allowed() -> usize {
    cores().unwrap_or(1).min(ALLOWED.load(Ordering::Relaxed))
}

/// True when fewer threads render than a build may use: a batch on every
/// core has none to spare, and a second thread would only add its cost.
/// The calling thread counts as rendering even when no build counted it.
pub fn core_idle() -> bool {
    BUSY.load(Ordering::Relaxed).max(1) < threads_allowed()
}
