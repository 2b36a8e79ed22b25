//! Command-line front end: argument parsing, reading files, rendering, exit codes.
//!
//! Exit codes follow ripgrep's convention: 0 = fine, 1 = findings (`--check`), 2 = error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod prefixes;

/// Simulate the routes and IKEv2 traffic selectors that Azure VPN Gateway gives
/// point-to-site VPN clients.
#[derive(Parser, Debug)]
#[command(name = "p2s-sim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Prefix-set operations: aggregate, union, intersect, diff, overlaps, summarize.
    Prefixes(prefixes::PrefixesArgs),
}

/// What a command ends with: an exit code, or an error to print (exit 2).
pub(crate) type CmdResult = Result<ExitCode, Failure>;

/// A user-facing error: the message already names the file and the place.
#[derive(Debug)]
pub(crate) struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Prefixes(args) => prefixes::run(args),
    };
    match result {
        Ok(code) => code,
        Err(Failure(msg)) if is_broken_pipe(&msg) => ExitCode::SUCCESS,
        Err(Failure(msg)) => {
            eprintln!("p2s-sim: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(msg: &str) -> bool {
    msg.contains("Broken pipe") || msg.contains("broken pipe")
}
