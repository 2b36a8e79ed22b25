//! The `p2s-sim` binary: a thin shell over the `p2s_sim` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
