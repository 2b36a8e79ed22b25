//! Giving memory the program has freed back to the system between the phases of a large run.
//!
//! mimalloc (the binary's allocator, see `main.rs`) keeps freed pages in the heap of the thread
//! that allocated them, for that thread to reuse, and returns them only later. A large input is
//! parsed on every thread and then freed (the file's text and its parsed form, as large as the
//! model); the analysis that follows runs on the same threads but allocates other sizes, so
//! those pages would stay resident to the end. Collecting every thread's heap once at each phase
//! boundary cut the peak RSS of the 1M-prefix topology of issue 16 from 217–237 to 166–173 MB
//! at no measurable cost in time (`benches/vs-python.sh`); the system's own allocator holds
//! less but takes half as long again.

/// From this many VNets a run counts as large: below it, the phases free little and starting
/// the thread pool only to collect would cost more than it saves.
const LARGE: usize = 10_000;

/// Returns the freed memory of every worker thread and of this one, when `vnets` (the
/// topology's size) makes it worth it.
pub fn return_freed(vnets: usize) {
    if vnets < LARGE {
        return;
    }
    // SAFETY: `mi_collect` only walks the calling thread's own heap (and the shared arenas
    // under their locks); it has no preconditions and may be called at any time.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}
