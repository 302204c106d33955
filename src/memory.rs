//! The memory allocator gostdoc runs on, and what the build tells it.
//!
//! With the default feature `mimalloc`, every allocation of the program
//! (and of the tests) goes through mimalloc: a document's tree, its
//! markup, Tera's values and the layout are hundreds of thousands of
//! small blocks, which glibc's malloc spent 15 % of a 1000-page
//! roadmap's time on (`_int_malloc`, `_int_free`, `malloc_consolidate`).
//! Measured side by side on 2 cores, against glibc with the tuning below:
//! the 7000-row roadmap ×0.84–0.85 wall, 1000 protocols on two threads
//! ×0.88, `check` of 1000 ×0.81–0.83; one protocol within the noise
//! (×0.96–1.04). The cost is memory a long document keeps in mimalloc's
//! pages: 7000 rows 33 -> 45 MB, 35,000 rows 98 -> ~113 MB (glibc hands
//! back the freed pages sooner); purging them at once (`purge_delay` 0
//! or 1 ms) takes the memory below glibc's but gives the time back in
//! page faults, so it is not done. Transparent huge pages are off
//! (feature `no_thp`): each one zeroed 2 MB for a process that uses a
//! few, one protocol took ×1.16 with them.
//!
//! Without the feature (the fuzz harness, whose sanitizer watches the
//! system allocator), glibc's malloc is used, tuned by the hooks below as
//! before. The hooks are the build's only words to the allocator; each
//! says when it is called, and does what that allocator needs then.

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The `gostdoc` program starts (called first in its `main`; the tests
/// keep the allocators' defaults).
///
/// It leaves its memory to the system when it ends. mimalloc: at exit it would first free and purge its pages, a system
/// call for each run of them (about twenty for one protocol), only for
/// the system to take the whole address space a moment later; mimalloc
/// does that cleaning for a library unloaded from a process that goes
/// on, which gostdoc is not. Skipped: seed 000, one process, ×0.92 wall
/// and ×0.93 CPU, 950 → 898 page faults (100 alternating runs in each
/// order). glibc: nothing; it does no such cleaning.
///
/// With mimalloc, glibc's own malloc keeps one arena: the C library still
/// allocates a little for itself (a thread's list of thread-local
/// destructors), and its first such allocation in each new thread made
/// that thread an arena of its own, a 128 MB reservation trimmed by two
/// more system calls, before the thread did any of its work.
pub fn program_starts() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: mi_option_set only stores an option's value, which mimalloc
    // reads at exit; the option's index is checked below.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_DESTROY_ON_EXIT, 2);
    }
    #[cfg(all(feature = "mimalloc", target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of glibc's allocator, which is
    // thread-safe; a refusal (0) leaves glibc's default.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// mimalloc's `mi_option_destroy_on_exit` (its place in `mi_option_e` of
/// mimalloc.h), which libmimalloc-sys does not name: above 1, mimalloc's
/// exit routine returns at once. A test checks the place by its
/// neighbours' defaults.
#[cfg(feature = "mimalloc")]
const MI_OPTION_DESTROY_ON_EXIT: libmimalloc_sys::mi_option_t = 22;

/// A long document is about to be read ([`crate::format::LONG_DOCUMENT_BYTES`]).
///
/// glibc: from now on, buffers of 256 KB and more get pages of their
/// own, returned when freed. glibc raises that bound as large buffers are
/// freed, so a long document's megabyte buffers (the pages, the table
/// rows, the files' bytes) end up in the heap, which keeps freed memory
/// resident. Set only for a long document: for short ones the fixed bound
/// gives back and takes again the heap's top at every document of a
/// batch (five times the page faults, 0.3 ms of system time a protocol).
/// Process-wide and never undone: a batch with one roadmap keeps it.
///
/// mimalloc: nothing; its large blocks have segments of their own.
pub fn long_document_ahead() {
    #[cfg(all(not(feature = "mimalloc"), target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator, which is
    // thread-safe; a refusal (0) leaves glibc's default.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}

/// The process renders only a few short documents.
///
/// glibc: every heap grows and shrinks a megabyte at a time. Otherwise a
/// thread's heap grows by a system call per page or two (a document's
/// second thread makes hundreds), and the main heap gives its top back
/// after a large free only to take it again. Seed 000 on two cores:
/// 0.3–0.5 ms of its 7–8 ms, of wall and of CPU time. Process-wide and
/// never undone, and not for a batch: glibc then stops raising its bound
/// for mapping large blocks, which a batch's documents need
/// ([`long_document_ahead`]).
///
/// mimalloc: nothing; it takes memory from the system in large steps
/// already.
pub fn few_documents_ahead() {
    #[cfg(all(not(feature = "mimalloc"), target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator, which is
    // thread-safe; a refusal (0) leaves glibc's default.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 1 << 20);
    }
}

/// A stage of a long document has finished (its reading, its tree once
/// made from the view, a backend): the pages it freed go back to the
/// system now. The next stage allocates in a different pattern (the view
/// in other block sizes than the TOML parse, the PDF writer after the
/// DOCX has freed the tree), so they would stay idle while it adds its
/// own: the 35,000-row roadmap peaked at 107 MB, 92 MB with the reading
/// and the model given back.
pub fn long_document_stage_done() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: mi_collect only frees mimalloc's own empty pages and
    // segments; it touches no live allocation.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(not(feature = "mimalloc"), target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free pages of the heaps back to the
    // kernel; it is thread-safe and touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A long table converted a row at a time from one form to another (the
/// model's rows to the view's, the view's to the tree's): every
/// [`ROWS_BETWEEN_RETURNS`] rows, the memory of the rows freed so far
/// goes back to the system ([`long_document_stage_done`]). The freed rows'
/// blocks are of other sizes than the new rows', so their pages would
/// otherwise stay idle until the stage ends: the 35,000-row roadmap's
/// view grew from 48 to 60 MB while its model shrank, and stays at 47
/// with them given back.
pub struct RowsGivenBack {
    rows: usize,
}

/// How many rows are converted between two returns of memory: 4096 rows
/// give it back as well as 1024 do, at nine calls for 35,000 rows.
const ROWS_BETWEEN_RETURNS: usize = 4096;

impl RowsGivenBack {
    /// For a table of `rows` rows: `None` below a long document's tables
    /// ([`crate::document::STORED_FROM`]), whose rows are few enough.
    pub fn for_table(rows: usize) -> Option<RowsGivenBack> {
        (rows >= crate::document::STORED_FROM).then_some(RowsGivenBack { rows: 0 })
    }

    /// `rows` more rows converted, and their old form freed.
    pub fn converted(&mut self, rows: usize) {
        self.rows += rows;
        if self.rows >= ROWS_BETWEEN_RETURNS {
            self.rows = 0;
            long_document_stage_done();
        }
    }
}

/// A document of a batch has been written on this thread.
///
/// glibc keeps a heap per thread and raises its threshold for mapping
/// large blocks after each large free, so on two threads a batch of 1000
/// protocols held 100–180 MB of freed memory: every 32 (`TRIM_EVERY`)
/// documents a thread gives it back.
///
/// mimalloc: nothing; it reuses a thread's freed pages for the next
/// document (the batch of 1000 peaks at ~21 MB).
pub fn batch_document_done() {
    #[cfg(all(not(feature = "mimalloc"), target_os = "linux", target_env = "gnu"))]
    {
        use std::cell::Cell;
        thread_local!(static DOCUMENTS: Cell<u32> = const { Cell::new(0) });
        let n = DOCUMENTS.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        if n.is_multiple_of(TRIM_EVERY) {
            // SAFETY: malloc_trim only returns free pages to the system; it
            // is thread-safe and touches no memory in use.
            unsafe {
                libc::malloc_trim(0);
            }
        }
    }
}

/// Documents a thread renders between two trims: a trim costs about as
/// much as a document, and every 32 documents the batch of 1000 stays
/// under 50 MB.
#[cfg(all(not(feature = "mimalloc"), target_os = "linux", target_env = "gnu"))]
const TRIM_EVERY: u32 = 32;

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    use super::*;

    /// The option set by [`program_starts`] is `destroy_on_exit`:
    /// off by default, between `max_segment_reclaim` (10 %) and
    /// `arena_reserve` (1 GiB, in KiB), as in mimalloc.h. Should
    /// libmimalloc-sys move to a mimalloc whose options are in another
    /// order, this fails rather than gostdoc setting another option.
    #[test]
    fn the_exit_option_is_destroy_on_exit() {
        // SAFETY: mi_option_get only reads an option.
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        assert_eq!(get(MI_OPTION_DESTROY_ON_EXIT - 1), 10);
        assert!(matches!(get(MI_OPTION_DESTROY_ON_EXIT), 0 | 2));
        assert_eq!(get(MI_OPTION_DESTROY_ON_EXIT + 1), 1 << 20);
    }
}
