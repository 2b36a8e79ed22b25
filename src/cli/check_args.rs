//! `--check` and `--deny warnings`, the one gate of `analyze`, `whatif`, `review` and `batch`:
//! what makes the exit code 1. Each command says in its `--check` help what it checks (the
//! topology, the topology after the change, the change itself, every topology); the two flags
//! combine the same way everywhere: `--deny warnings` implies `--check` and makes warnings
//! fail as errors do.

use p2s_sim::Analyzed;

/// What `--deny` can turn into failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail `--check` too, not only errors.
    Warnings,
}

/// The gate flags.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CheckArgs {
    /// Exit with code 1 when any client is over its limit or a finding is an error (or a
    /// warning, with --deny warnings).
    #[arg(long)]
    pub check: bool,
    /// `--deny warnings`: warnings fail too (exit 1); implies --check.
    #[arg(long, value_enum, ignore_case = true, value_name = "warnings")]
    pub deny: Option<Deny>,
}

impl CheckArgs {
    /// Whether results decide the exit code at all (`--check`, or `--deny`, which implies it).
    pub fn gates(&self) -> bool {
        self.check || self.deny.is_some()
    }

    /// `--deny warnings`: warnings fail as errors do.
    pub fn deny_warnings(&self) -> bool {
        self.deny == Some(Deny::Warnings)
    }

    /// Whether a pipeline result fails the gate: a client over its limit or an error finding
    /// (a warning too, with `--deny warnings`); never without `--check` or `--deny`.
    pub fn fails(&self, analyzed: &Analyzed) -> bool {
        self.gates() && analyzed.fails_check(self.deny_warnings())
    }
}
