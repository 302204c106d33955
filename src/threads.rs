//! How many threads render documents in this process, and whether a core
//! is free: a build's workers count themselves, and a document's backends
//! take a second thread ([`crate::format::render`]) only from a core that
//! no worker uses and that `-j` allows. Such a helper is started on
//! another core at once ([`spawn_elsewhere`]), or before it is needed
//! ([`stand_by`]), and waited for awake ([`wait_awake`]).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

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

/// Waits until `done()` is true, for at most [`AWAKE_AT_MOST`], without
/// sleeping: asking again and letting any other thread of this core run
/// between two asks. For a wait of a fraction of a millisecond on a
/// helper another core is working for: a thread that sleeps leaves its
/// core idle, and on the 2-core development machine an idle core woke for
/// it a few hundred microseconds late (a one-document build waited for
/// the helper's templates, then for its DOCX, so twice). True when
/// `done()` became true; after that, the caller's own wait sleeps.
pub fn wait_awake(done: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > AWAKE_AT_MOST {
            return false;
        }
        std::thread::yield_now();
    }
    true
}

/// How long [`wait_awake`] waits: a one-document build's templates or
/// DOCX take about a millisecond, and longer means the helper is not
/// getting a core of its own.
const AWAKE_AT_MOST: Duration = Duration::from_millis(5);

/// Spawns a helper thread started on another core at once
/// ([`start_elsewhere`]), which takes every core of the process back as
/// it starts ([`placed`]).
pub fn spawn_elsewhere<T: Send + 'static>(
    builder: std::thread::Builder,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    let thread = builder.spawn(move || {
        placed();
        work()
    })?;
    start_elsewhere(&thread);
    Ok(thread)
}

/// Moves a thread just spawned off the core of the thread that spawned
/// it, onto the others this process may use, and wakes one of them.
///
/// Linux puts a new thread on its parent's core and leaves it queued
/// there while the parent runs, until a balancing tick (every few
/// milliseconds) or the parent's waiting moves it: on the 2-core
/// development machine, a helper spawned beside a busy thread did not
/// start within 1.5 ms in 7 runs of 8 (a C test of `pthread_create`),
/// so a one-document build's second thread ran only once the first one
/// waited for it, and gained nothing. Given the other core at once, it
/// started in 100 µs every time. The helper takes all the process's
/// cores back with [`placed`] as it starts, so that the system may move
/// it later. Nothing is done where the other cores are unknown or there
/// are none, and on other systems.
#[cfg(target_os = "linux")]
fn start_elsewhere(thread: &impl std::os::unix::thread::JoinHandleExt) {
    // SAFETY: the sets are plain bit masks the calls only read or fill;
    // `thread` is a live thread's pthread_t (its handle is borrowed), and
    // a refused call changes nothing.
    unsafe {
        let here = libc::sched_getcpu();
        let mut others: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        if here < 0 || libc::sched_getaffinity(0, size, &mut others) != 0 {
            return;
        }
        libc::CPU_CLR(here as usize, &mut others);
        if libc::CPU_COUNT(&others) == 0 {
            return;
        }
        libc::pthread_setaffinity_np(thread.as_pthread_t() as libc::pthread_t, size, &others);
    }
}

/// [`start_elsewhere`] on systems that start a thread on an idle core
/// by themselves: nothing to do.
#[cfg(not(target_os = "linux"))]
fn start_elsewhere<T>(_thread: &T) {}

/// Called by a thread [`start_elsewhere`] placed, as it starts: it may run
/// on every core of the process again.
fn placed() {
    #[cfg(target_os = "linux")]
    // SAFETY: as in `start_elsewhere`; the process's set is read from the
    // main thread's (pid), which no one narrows.
    unsafe {
        let mut all: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        if libc::sched_getaffinity(libc::getpid(), size, &mut all) == 0 {
            libc::sched_setaffinity(0, size, &all);
        }
    }
}

/// Work handed to the thread standing by ([`stand_by`]).
pub type Job = Box<dyn FnOnce() + Send>;

/// The thread standing by: waiting for its job, given one, or gone (never
/// started, dismissed, or past [`STAND_BY_AT_MOST`]).
enum Standby {
    Waiting,
    Handed(Job),
    Gone,
}

static STANDBY: Mutex<Standby> = Mutex::new(Standby::Gone);

/// True while [`STANDBY`] is `Waiting`: what the thread standing by reads
/// as it spins, without taking the lock.
static STANDING_BY: AtomicBool = AtomicBool::new(false);

/// How long a thread standing by spins for a job before it ends: a
/// one-document build hands it one a quarter of a millisecond after it
/// starts, or dismisses it once it knows it has none.
const STAND_BY_AT_MOST: Duration = Duration::from_millis(2);

/// Starts a helper thread on another core now, which spins there until it
/// is handed a job ([`hand_to_standby`]) and runs it, or is dismissed
/// ([`dismiss_standby`]), or [`STAND_BY_AT_MOST`] passes.
///
/// For a process that will likely want a second thread a fraction of a
/// millisecond later, at its very start (`gostdoc build`, before its
/// command line is parsed): the other core is still awake then. On the
/// 2-core development machine a thread spawned at that point ran within
/// 80 µs, one spawned a quarter of a millisecond later, when the core
/// had gone idle, within 250 µs; and the job is handed over as soon as
/// it is known, without waiting for a thread to start. The spin costs
/// that core the wait (about 0.2 ms), which it would spend idle.
pub fn stand_by() {
    *lock(&STANDBY) = Standby::Waiting;
    STANDING_BY.store(true, Ordering::Release);
    let spawned = spawn_elsewhere(std::thread::Builder::new().name("standby".into()), || {
        let start = Instant::now();
        // The allocator sets a thread's heap up at its first allocation:
        // now, while there is nothing else to do, rather than when the
        // job comes (seed 000: ×0.92 wall, 100 alternating runs in each
        // order).
        drop(std::hint::black_box(Box::new(0u64)));
        loop {
            if !STANDING_BY.load(Ordering::Acquire) {
                let job = match std::mem::replace(&mut *lock(&STANDBY), Standby::Gone) {
                    Standby::Handed(job) => Some(job),
                    _ => None,
                };
                if let Some(job) = job {
                    job();
                }
                return;
            }
            if start.elapsed() > STAND_BY_AT_MOST {
                dismiss_standby();
            }
            std::hint::spin_loop();
        }
    });
    if spawned.is_err() {
        dismiss_standby();
    }
}

/// Hands `job` to the thread standing by, which runs it at once; gives it
/// back when no thread stands by (none was started, or it is gone).
pub fn hand_to_standby(job: Job) -> Result<(), Job> {
    let mut standby = lock(&STANDBY);
    if !matches!(*standby, Standby::Waiting) {
        return Err(job);
    }
    *standby = Standby::Handed(job);
    STANDING_BY.store(false, Ordering::Release);
    Ok(())
}

/// Lets the thread standing by end, unless it has been handed a job.
pub fn dismiss_standby() {
    let mut standby = lock(&STANDBY);
    if matches!(*standby, Standby::Waiting) {
        *standby = Standby::Gone;
        STANDING_BY.store(false, Ordering::Release);
    }
}

/// The lock, also when a thread panicked holding it: the state is one
/// assignment, never half made.
fn lock(standby: &Mutex<Standby>) -> std::sync::MutexGuard<'_, Standby> {
    standby.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The cores a thread may run on.
    fn cores_of(thread: libc::pthread_t) -> Vec<usize> {
        // SAFETY: `thread` is alive (its handle is held by the caller).
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            let size = std::mem::size_of::<libc::cpu_set_t>();
            assert_eq!(libc::pthread_getaffinity_np(thread, size, &mut set), 0);
            (0..libc::CPU_SETSIZE as usize)
                .filter(|&c| libc::CPU_ISSET(c, &set))
                .collect()
        }
    }

    #[test]
    fn a_thread_started_elsewhere_leaves_this_core_until_it_is_placed() {
        use std::os::unix::thread::JoinHandleExt;
        use std::sync::mpsc::channel;
        // SAFETY: pthread_self is always valid.
        let all = cores_of(unsafe { libc::pthread_self() });
        let (go, wait) = channel::<()>();
        let (done, placed_cores) = channel::<Vec<usize>>();
        let thread = std::thread::spawn(move || {
            wait.recv().unwrap();
            placed();
            // SAFETY: as above.
            done.send(cores_of(unsafe { libc::pthread_self() }))
                .unwrap();
        });
        start_elsewhere(&thread);
        let moved = cores_of(thread.as_pthread_t() as libc::pthread_t);
        if all.len() > 1 {
            // All but the one this thread ran on (which the system may
            // have changed since: not asked again here).
            assert_eq!(moved.len(), all.len() - 1, "{moved:?} of {all:?}");
            assert!(
                moved.iter().all(|c| all.contains(c)),
                "{moved:?} of {all:?}"
            );
        } else {
            assert_eq!(moved, all, "a single core is left as it is");
        }
        go.send(()).unwrap();
        assert_eq!(placed_cores.recv().unwrap(), all, "every core once placed");
        thread.join().unwrap();
    }

    /// One test for the one thread standing by: tests run in parallel.
    #[test]
    fn the_thread_standing_by_runs_its_job_or_ends() {
        use std::sync::mpsc::channel;
        // None standing by: the job comes back.
        assert!(hand_to_standby(Box::new(|| ())).is_err());

        // Handed a job: runs it on another thread, once.
        stand_by();
        let (done, ran) = channel();
        let here = std::thread::current().id();
        assert!(
            hand_to_standby(Box::new(move || done
                .send(std::thread::current().id())
                .unwrap()))
            .is_ok()
        );
        let there = ran.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_ne!(there, here);
        assert!(hand_to_standby(Box::new(|| ())).is_err(), "one job only");

        // Dismissed: a job handed later comes back.
        stand_by();
        dismiss_standby();
        assert!(hand_to_standby(Box::new(|| ())).is_err());

        // Not handed anything: gone after its time.
        stand_by();
        let start = Instant::now();
        while STANDING_BY.load(Ordering::Acquire) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still standing by"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(start.elapsed() >= STAND_BY_AT_MOST / 2);
        assert!(hand_to_standby(Box::new(|| ())).is_err());
    }
}
