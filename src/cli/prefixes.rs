//! `p2s-sim prefixes ...` (placeholder until the prefix engine lands).

use super::CmdResult;

#[derive(clap::Args, Debug)]
pub struct PrefixesArgs {}

pub fn run(_args: &PrefixesArgs) -> CmdResult {
    Err(super::Failure("prefixes: not built yet".into()))
}
