//! `--clients`, the same flag in every command that judges clients (analyze, batch, whatif,
//! review, sweep), parsed once by clap.

use p2s_sim::verdicts::population::Population;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ClientsArgs {
    /// Share of users per client kind, e.g. windows-ikev2-legacy=15%,windows-ikev2=85%
    /// (shares add up to 100 %): reports the share of users who cannot connect (their kind's
    /// verdict is `fails` and it has no SSTP fallback, or its tunnel type is not offered).
    #[arg(long = "clients", value_name = "KIND=SHARE,...")]
    pub population: Option<Population>,
}
