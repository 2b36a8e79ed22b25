//! Batch runs: many topologies analysed in parallel, results emitted in input order (or as they
//! finish), deterministic sharding across machines.
//!
//! The runner is generic: it takes jobs and a function that turns one job into a record, so the
//! same code serves any record type and the engine stays free of I/O (the binary supplies the
//! work function that reads files).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// `I/N` (0-based `I`): which share of the inputs this process takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("'{text}' is not I/N; write e.g. 0/4 (I counts from 0 to N-1)");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The items of this shard: every `count`-th item in the order of `key` (ties keep input
    /// order), starting at `index`. Shards of the same items are disjoint and together cover
    /// them exactly, whatever order each machine lists them in; the items keep their input order.
    pub fn pick<T, K: Ord>(&self, items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| key(&items[i]));
        let mut mine = vec![false; items.len()];
        for (rank, &i) in order.iter().enumerate() {
            mine[i] = rank % self.count == self.index;
        }
        items
            .into_iter()
            .zip(mine)
            .filter(|(_, keep)| *keep)
            .map(|(t, _)| t)
            .collect()
    }
}

/// How far ahead of the output the workers may run in input order: a job starts only when
/// fewer than this many jobs before it still wait to be emitted, so the results held for
/// reordering stay bounded (one slow topology cannot make the rest pile up in memory).
pub const ORDER_WINDOW: usize = 256;

/// Runs `work` on every job with `threads` threads and hands each result to `emit` with the
/// job's position: in input order, or as soon as it is ready when `unordered`. `emit` runs on
/// the calling thread; when it returns `false` (say the output pipe closed) the remaining work is
/// abandoned and no more results are emitted.
///
/// Workers take jobs in input order from a shared counter (not halves of the list, as a
/// parallel iterator would split it), so results arrive nearly in order: in ordered mode the
/// calling thread holds at most about [`ORDER_WINDOW`] results waiting for an earlier one.
pub fn run<J, R, W, E>(
    jobs: &[J],
    threads: usize,
    unordered: bool,
    work: W,
    mut emit: E,
) -> Result<(), rayon::ThreadPoolBuildError>
where
    J: Sync,
    R: Send,
    W: Fn(&J) -> R + Sync,
    E: FnMut(usize, R) -> bool,
{
    // Nested parallelism inside `work` (a large topology's analysis) stays on these threads.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()?;
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    let next_job = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Jobs emitted so far (ordered mode), for the window; workers wait on `moved` for it.
    let emitted = Mutex::new(0usize);
    let moved = Condvar::new();
    std::thread::scope(|scope| {
        let (stop, work, next_job, emitted, moved) = (&stop, &work, &next_job, &emitted, &moved);
        scope.spawn(move || {
            pool.broadcast(|_| loop {
                let i = next_job.fetch_add(1, Ordering::Relaxed);
                if i >= jobs.len() || stop.load(Ordering::Relaxed) {
                    return;
                }
                if !unordered {
                    let mut done = emitted.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + ORDER_WINDOW && !stop.load(Ordering::Relaxed) {
                        done = moved.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                }
                if tx.send((i, work(&jobs[i]))).is_err() {
                    return;
                }
            });
            drop(tx);
        });
        let halt = || {
            stop.store(true, Ordering::Relaxed);
            // Wake workers waiting on the window so they see `stop` and return.
            let _guard = emitted.lock().unwrap_or_else(|e| e.into_inner());
            moved.notify_all();
        };
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0;
        for (i, result) in rx {
            if stop.load(Ordering::Relaxed) {
                continue;
            }
            if unordered {
                if !emit(i, result) {
                    halt();
                }
                continue;
            }
            waiting.insert(i, result);
            let before = next;
            while let Some(result) = waiting.remove(&next) {
                if !emit(next, result) {
                    halt();
                    break;
                }
                next += 1;
            }
            if next != before {
                *emitted.lock().unwrap_or_else(|e| e.into_inner()) = next;
                moved.notify_all();
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_and_cover_everything() {
        let items: Vec<usize> = (0..10).collect();
        let mut all: Vec<usize> = (0..3)
            .flat_map(|i| Shard { index: i, count: 3 }.pick(items.clone(), |x| *x))
            .collect();
        all.sort();
        assert_eq!(all, items);
        let shard = "1/3".parse::<Shard>().unwrap();
        assert_eq!(shard.pick(items.clone(), |x| *x), vec![1, 4, 7]);
        // The same items listed in another order: the same share, in the given order.
        let reversed: Vec<usize> = items.iter().rev().copied().collect();
        assert_eq!(shard.pick(reversed, |x| *x), vec![7, 4, 1]);
        assert!("3/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn ordered_output_whatever_the_thread_count() {
        let jobs: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 8] {
            let mut seen = Vec::new();
            run(
                &jobs,
                threads,
                false,
                |j| j * j,
                |i, r| {
                    seen.push((i, r));
                    true
                },
            )
            .unwrap();
            let expected: Vec<(usize, u64)> = jobs.iter().map(|&j| (j as usize, j * j)).collect();
            assert_eq!(seen, expected);
        }
    }

    #[test]
    fn ordered_workers_never_run_more_than_the_window_ahead_of_the_output() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Job 0 is slow; without the window the other threads would run every later job and
        // the calling thread would hold them all.
        let jobs: Vec<usize> = (0..4 * ORDER_WINDOW).collect();
        let emitted = AtomicUsize::new(0);
        let furthest_ahead = AtomicUsize::new(0);
        let mut seen = Vec::new();
        run(
            &jobs,
            4,
            false,
            |&i| {
                if i == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                let ahead = i - emitted.load(Ordering::SeqCst).min(i);
                furthest_ahead.fetch_max(ahead, Ordering::SeqCst);
                i
            },
            |i, r| {
                emitted.store(i + 1, Ordering::SeqCst);
                seen.push(r);
                true
            },
        )
        .unwrap();
        assert_eq!(seen, jobs);
        let ahead = furthest_ahead.load(Ordering::SeqCst);
        assert!(
            ahead < ORDER_WINDOW,
            "a job ran {ahead} ahead of the output"
        );
        // The window is really used: the other workers went on while job 0 slept.
        assert!(ahead >= ORDER_WINDOW / 2, "only {ahead} ahead");
    }

    #[test]
    fn unordered_loses_and_duplicates_nothing_and_stop_stops() {
        let jobs: Vec<u64> = (0..100).collect();
        let mut seen = Vec::new();
        run(
            &jobs,
            4,
            true,
            |j| *j,
            |i, _| {
                seen.push(i);
                true
            },
        )
        .unwrap();
        seen.sort();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
        let mut count = 0;
        run(
            &jobs,
            4,
            false,
            |j| *j,
            |_, _| {
                count += 1;
                count < 5
            },
        )
        .unwrap();
        assert_eq!(count, 5);
    }
}
