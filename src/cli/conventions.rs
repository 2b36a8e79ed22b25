//! `p2s-sim completions SHELL` and `p2s-sim man`: what a command-line tool is expected to ship,
//! generated from the clap definition so they never drift from it.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;

use super::{stdout_writer, Cli, CmdResult, Exit, Failure};

/// The version line: crate version, commit and build day (from build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("P2S_SIM_COMMIT"),
    ", built ",
    env!("P2S_SIM_BUILD_DATE"),
    ")"
);

/// Print a shell completion script.
///
/// Examples:
///   p2s-sim completions bash > ~/.local/share/bash-completion/completions/p2s-sim
///   p2s-sim completions zsh > ~/.zfunc/_p2s-sim
///   p2s-sim completions fish > ~/.config/fish/completions/p2s-sim.fish
///   p2s-sim completions powershell >> $PROFILE
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
}

/// Print the manual page (roff), or write one page per command into a directory.
///
/// Examples:
///   p2s-sim man | man -l -
///   p2s-sim man --dir /usr/local/share/man/man1
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// Write p2s-sim.1 and p2s-sim-COMMAND.1 for every command into this directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run_completions(args: &CompletionsArgs) -> CmdResult {
    let mut cmd = Cli::command();
    let mut out = stdout_writer();
    clap_complete::generate(args.shell, &mut cmd, "p2s-sim", &mut out);
    out.flush()?;
    Ok(Exit::Fine.into())
}

pub fn run_man(args: &ManArgs) -> CmdResult {
    let cmd = Cli::command();
    match &args.dir {
        Some(dir) => {
            clap_mangen::generate_to(cmd, dir).map_err(|e| {
                Failure(format!(
                    "--dir {}: cannot write the manual pages: {e}",
                    dir.display()
                ))
            })?;
        }
        None => {
            let mut out = stdout_writer();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
        }
    }
    Ok(Exit::Fine.into())
}
