//! `p2s-sim analyze`: routes, selectors and limits per gateway and client kind.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use p2s_sim::findings::{self, Date, Finding, GatewayCapacity, Options};
use p2s_sim::population::Population;
use p2s_sim::report::{FindingReport, ListLimit, Report};
use p2s_sim::routing::{analyze, Analysis};
use p2s_sim::topology::Topology;
use p2s_sim::verdicts::{self, judge_fleet, Fleet, FleetReport, Target};

use super::findings_args::FindingArgs;
use super::fleet_args::FleetArgs;
use super::input_args::{self, InputArgs};
use super::render::Format;
use super::term::TermArgs;
use super::{stdout_writer, CmdResult, Failure};

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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit with code 1 when any client is over its limit or a finding is an error
    /// (or a warning, with --deny warnings).
    #[arg(long)]
    pub check: bool,
    /// Print every route list in full, however long.
    #[arg(long, conflicts_with = "list_limit")]
    pub full: bool,
    /// Lists longer than this are shown as a count only.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub list_limit: usize,
    /// Print how long reading, analysing and rendering took, on stderr.
    #[arg(long)]
    pub stats: bool,
    /// Share of users per client kind, e.g. windows-ikev2-legacy=15%,windows-ikev2=85%:
    /// reports the share of users who cannot connect (their kind's verdict is `fails` and it has
    /// no SSTP fallback, or its tunnel type is not offered).
    #[arg(long, value_name = "KIND=SHARE,...")]
    pub clients: Option<String>,
    #[command(flatten)]
    pub findings: FindingArgs,
    #[command(flatten)]
    pub fleet: FleetArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub term: TermArgs,
}

/// The report every command prints for one topology: routes, limits, capacity, findings; and
/// the findings themselves (for `--check`).
pub(crate) fn build_report(
    topology: &Topology,
    limit: ListLimit,
    population: Option<&Population>,
    options: &Options,
    fleet: Option<&Fleet>,
) -> (Report, Vec<Finding>) {
    let analysis = analyze(topology);
    let found = findings::check(topology, &analysis, options);
    let reports = found.iter().map(FindingReport::from).collect();
    let capacity = findings::capacity(topology, &analysis, options);
    let verdicts = verdicts::judge(topology, &analysis, options.as_of);
    let fleets = fleet
        .map(|f| fleet_reports(topology, &analysis, f, &capacity, options.as_of))
        .unwrap_or_default();
    let report = Report::new(&analysis, reports, limit)
        .with_capacity(capacity)
        .with_verdicts(&verdicts)
        .with_population(&analysis, population, &verdicts)
        .with_fleet(fleets)
        .with_gateways_without_p2s(topology);
    (report, found)
}

/// A fleet judged on every gateway of an analysis, by gateway name.
pub(crate) fn fleet_reports(
    topology: &Topology,
    analysis: &Analysis,
    fleet: &Fleet,
    capacity: &[GatewayCapacity],
    as_of: Date,
) -> Vec<(String, FleetReport)> {
    analysis
        .gateways
        .iter()
        .filter_map(|ga| {
            let gateway = verdicts::find_gateway(topology, ga)?;
            let target = Target {
                gateway,
                analysis: ga,
                as_of,
            };
            let cap = capacity.iter().find(|c| c.gateway == ga.name);
            Some((ga.name.clone(), judge_fleet(&target, fleet, cap)))
        })
        .collect()
}

pub fn run(args: &AnalyzeArgs) -> CmdResult {
    let options = args.findings.options()?;
    let started = Instant::now();
    let (loaded, sources) =
        input_args::load_with_sources(&args.input, &args.files, Some(options.as_of))?;
    let topology = loaded.topology;
    // Only SARIF points into the files; the others need not keep their text.
    let (sources, places) = if args.format == Format::Sarif {
        (sources, loaded.places)
    } else {
        (Vec::new(), Vec::new())
    };
    let loaded = Instant::now();
    let limit = if args.full {
        ListLimit::UNLIMITED
    } else {
        ListLimit(Some(args.list_limit))
    };
    let population: Option<Population> = args
        .clients
        .as_deref()
        .map(|t| t.parse().map_err(|e| Failure(format!("--clients: {e}"))))
        .transpose()?;
    let fleet = args.fleet.load()?;
    let (report, found) = build_report(
        &topology,
        limit,
        population.as_ref(),
        &options,
        fleet.as_ref(),
    );
    let analysed = Instant::now();
    let mut out = stdout_writer();
    args.format
        .renderer_with(args.term.options(args.full), sources, places)
        .render(&report, &mut out)?;
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
    let check = args.check || args.findings.deny.is_some();
    let failed = check && (report.any_over_limit() || args.findings.exit_for(&found));
    // The process ends here: freeing a report of millions of strings one by one only delays
    // the exit (a tenth of the run on a 50,000-VNet topology).
    std::mem::forget(report);
    std::mem::forget(topology);
    std::mem::forget(found);
    if failed {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
