//! The `p2s-sim` binary: a thin shell over the `p2s_sim` library.

mod cli;

// The analysis allocates millions of small strings and lists on every thread; mimalloc's
// per-thread heaps cut the time spent in malloc/free and keep `batch` threads from contending
// for glibc's arenas (benches/vs-python.sh measures both).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
