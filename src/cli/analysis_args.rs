//! The flag groups of every command that analyses topologies and judges their clients
//! (`analyze`, `whatif`, `review`, `batch`), flattened once so that the flags, their help and
//! their order are the same everywhere; `analyze` adds `--full` and `--stats` after them.
//! `--color` stays apart, since `review` has no table colours.

use super::check_args::CheckArgs;
use super::clients_args::ClientsArgs;
use super::findings_args::FindingArgs;
use super::fleet_args::FleetArgs;
use super::input_args::InputArgs;
use super::list_args::ListArgs;

#[derive(clap::Args, Debug, Clone)]
pub struct AnalysisArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    #[command(flatten)]
    pub clients: ClientsArgs,
    #[command(flatten)]
    pub lists: ListArgs,
    #[command(flatten)]
    pub findings: FindingArgs,
    #[command(flatten)]
    pub fleet: FleetArgs,
    #[command(flatten)]
    pub input: InputArgs,
}
