//! `p2s-sim analyze`: routes, selectors and limits per gateway and client kind.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use p2s_sim::report::{ListLimit, Report};
use p2s_sim::routing::analyze;

use super::input_args::{self, InputArgs};
use super::render::Format;
use super::{stdout_writer, CmdResult};

/// Simulate the routes and traffic selectors every P2S client kind gets.
///
/// Reads one or more topology files (YAML or JSON, detected by content; several files form one
/// topology) and prints, for every gateway with a point-to-site configuration, what it
/// advertises, what each client kind installs, its selector count against its limit, what it can
/// really reach and which routes must be added by hand.
///
/// Examples:
///   p2s-sim analyze datasets/scenarios/hub-spoke.yaml
///   p2s-sim analyze --format json network.yaml branches.yaml
///   p2s-sim analyze --check topology.yaml || echo "some client is over its limit"
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct AnalyzeArgs {
    /// Topology files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit with code 1 when any client is over its limit.
    #[arg(long)]
    pub check: bool,
    /// Print every route list in full, however long.
    #[arg(long, conflicts_with = "list_limit")]
    pub full: bool,
    /// Lists longer than this are shown as a count only.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub list_limit: usize,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: &AnalyzeArgs) -> CmdResult {
    let topology = input_args::load(&args.input, &args.files)?;
    let analysis = analyze(&topology);
    let limit = if args.full {
        ListLimit::UNLIMITED
    } else {
        ListLimit(Some(args.list_limit))
    };
    let report = Report::new(&analysis, Vec::new(), limit);
    let mut out = stdout_writer();
    args.format.renderer().render(&report, &mut out)?;
    out.flush()?;
    if args.check && report.any_over_limit() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
