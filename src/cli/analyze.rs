//! `p2s-sim analyze`: routes, selectors and limits per gateway and client kind.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use p2s_sim::report::ListLimit;
use p2s_sim::verdicts::population::Population;

use super::analysis_args::AnalysisArgs;
use super::input_args;
use super::memory;
use super::output::render;
use super::render::{ReportFormat, ReportOut};
use super::term::TermArgs;
use super::{CmdResult, Exit};

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
///   p2s-sim analyze --as-of 2026-12-01 --fleet datasets/fleets/example-fleet.yaml \
///       datasets/scenarios/hub-spoke.yaml
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct AnalyzeArgs {
    /// Topology files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Print every route list in full, however long.
    #[arg(long, conflicts_with = "list_limit")]
    pub full: bool,
    /// Print how long reading, analysing and rendering took, on stderr.
    #[arg(long)]
    pub stats: bool,
    #[command(flatten)]
    pub term: TermArgs,
}

pub fn run(args: &AnalyzeArgs, out: &mut dyn Write) -> CmdResult {
    let options = args.analysis.findings.options()?;
    let started = Instant::now();
    let (loaded, sources) =
        input_args::load_with_sources(&args.analysis.input, &args.files, Some(options.as_of))?;
    let topology = loaded.topology;
    // Only SARIF points into the files; the others need not keep their text.
    let (sources, places) = if args.format == ReportFormat::Sarif {
        (sources, loaded.places)
    } else {
        // Freed now, not at the end: the text of a large export is as big as the model.
        drop(sources);
        (Vec::new(), Vec::new())
    };
    memory::return_freed(topology.vnets.len());
    let loaded = Instant::now();
    let limit = if args.full {
        ListLimit::UNLIMITED
    } else {
        args.analysis.lists.limit()
    };
    let population: Option<Population> = args.analysis.clients.population.clone();
    let fleet = args.analysis.fleet.load()?;
    let analyzed = p2s_sim::analyze(
        &topology,
        &p2s_sim::AnalyzeOptions {
            findings: &options,
            limit,
            population: population.as_ref(),
            fleet: fleet.as_ref(),
        },
    );
    let report = &analyzed.report;
    // What the analysis freed (each gateway's working lists), before rendering adds its own.
    memory::return_freed(topology.vnets.len());
    let analysed = Instant::now();
    let output = ReportOut {
        report,
        options: args.term.options(args.full),
        inputs: sources,
        places,
    };
    render(&output, args.format, out)?;
    out.flush()?;
    if args.stats {
        let prefixes: usize = topology.vnets.iter().map(|v| v.address_space.len()).sum();
        eprintln!(
            "p2s-sim: {} VNets, {prefixes} VNet prefixes, {} gateways with P2S; read {:.3} s, analysed {:.3} s, rendered {:.3} s",
            topology.vnets.len(),
            report.gateways.len(),
            (loaded - started).as_secs_f64(),
            (analysed - loaded).as_secs_f64(),
            analysed.elapsed().as_secs_f64()
        );
    }
    let failed = args.analysis.check.fails(&analyzed);
    // The process ends here: freeing a report of millions of strings one by one only delays
    // the exit (a tenth of the run on a 50,000-VNet topology).
    std::mem::forget(analyzed);
    std::mem::forget(topology);
    if failed {
        return Ok(Exit::Findings.into());
    }
    Ok(Exit::Fine.into())
}
