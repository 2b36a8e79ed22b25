//! Integration tests of the engine and the `p2s-sim` binary, built as one test binary.

mod boundaries;
mod cli;
mod contract;
mod conventions;
mod errors;
mod fleet;
mod helpers;
mod html;
mod profiles;
mod props;
mod reports;
mod review;
mod scenarios;
mod schema;
mod snapshots;
mod terminal;
mod whatif;
