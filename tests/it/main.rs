//! Integration tests of the engine and the `p2s-sim` binary, built as one test binary.

mod boundaries;
mod cli;
mod cli_prefixes;
mod contract;
mod conventions;
mod errors;
mod findings_rules;
mod fleet;
mod helpers;
mod hostile_inputs;
mod html;
mod input_cases;
mod input_convert_cli;
mod input_samples;
mod prefix_props;
mod prefix_real_data;
mod profiles;
mod props;
mod regressions;
mod reports;
mod review;
mod scenarios;
mod schema;
mod snapshots;
mod terminal;
mod whatif;
