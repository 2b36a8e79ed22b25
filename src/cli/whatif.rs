//! `p2s-sim whatif`, `headroom` and `sweep`: capacity planning on top of `analyze`.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use p2s_sim::plan::review::{self, ReachChange};
use p2s_sim::plan::whatif::{self, Comparison, Scenario, SweepKind};
use p2s_sim::report::FindingReport;
use p2s_sim::verdicts::changes::{GroupChange, VerdictChange};
use p2s_sim::verdicts::findings;
use p2s_sim::verdicts::population::{Impact, Population};
use p2s_sim::verdicts::{FleetReport, Totals};
use p2s_sim::AnalyzeOptions;

use super::analysis_args::AnalysisArgs;
use super::clients_args::ClientsArgs;
use super::csv_out::CsvRows;
use super::findings_args::today;
use super::input_args::{self, InputArgs};
use super::output::{format_subset, pretty_json, render, Rendered};
use super::page::{Page, Style};
use super::render::write_summary;
use super::term::{RenderOptions, TermArgs};
use super::{read_source, CmdResult, Exit, Failure};

format_subset! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
    pub enum PlanFormat {
        /// Blocks and tables, for people.
        Table,
        /// The same blocks and tables as Markdown (for pull requests and wikis).
        Markdown,
        Json,
        Csv,
        /// A self-contained HTML page with a chart.
        Html,
    }
}

/// The JSON shape of `whatif`: the comparison's fields, then what changed around it.
#[derive(Serialize)]
struct WhatifJson<'a> {
    #[serde(flatten)]
    comparison: &'a Comparison,
    verdict_changes: &'a [VerdictChange],
    findings_added: &'a [FindingReport],
    findings_removed: &'a [FindingReport],
    /// Prefixes a client kind reaches no more, or reaches now.
    reachability: &'a [ReachChange],
    /// What Azure refuses to deploy (SSTP enabled from 2026-03-31); `--check` fails on it.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    refused: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    fleet: Option<FleetJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    population: Option<PopulationJson>,
}

/// The JSON shape of `sweep`: the sweep, with each row's share of users unable to connect
/// under `--clients`.
#[derive(Serialize)]
struct SweepJson<'a> {
    hub: &'a str,
    gateway: &'a str,
    adding: &'a str,
    rows: Vec<SweepRowJson<'a>>,
    first_breaking: &'a [whatif::FirstBreak],
    first_rejected: &'a [whatif::FirstBreak],
}

#[derive(Serialize)]
struct SweepRowJson<'a> {
    #[serde(flatten)]
    row: &'a whatif::SweepRow,
    #[serde(skip_serializing_if = "Option::is_none")]
    unable_to_connect: Option<f64>,
}

#[derive(Serialize)]
struct FleetJson<'a> {
    changes: &'a [GroupChange],
    totals_before: Vec<FleetTotals>,
    totals_after: Vec<FleetTotals>,
}

#[derive(Serialize)]
struct FleetTotals {
    gateway: String,
    totals: Totals,
}

#[derive(Serialize)]
struct PopulationJson {
    before: Vec<GatewayImpact>,
    after: Vec<GatewayImpact>,
}

#[derive(Serialize)]
struct GatewayImpact {
    gateway: String,
    impact: Impact,
}

/// Apply a scenario of changes and compare every gateway and client before and after.
///
/// A scenario is a YAML (or JSON) file with a list of changes applied in order:
///
///   changes:
///     - add_spokes: {hub: hub-weu, count: 40, prefixes_per_spoke: 2, prefix_length: 24,
///                    base: 10.200.0.0, transit: true, name: new-spoke}
///     - add_prefixes: {vnet: spoke-app, prefixes: [10.9.0.0/24]}
///     - remove_prefixes: {vnet: spoke-app, prefixes: [10.9.0.0/24]}
///     - add_local_network: {name: branch-nice, gateway: hub-weu-gw,
///                           address_space: [192.168.30.0/24], bgp: {asn: 65060}}
///     - add_vnet2vnet: {gateway: hub-weu-gw, remote_gateway: hub-neu-gw, bgp: true}
///     - remove_vnet2vnet: {gateway: hub-weu-gw, remote_gateway: hub-neu-gw}
///     - set_gateway: {gateway: hub-weu-gw, sku: VpnGw3, tunnel_types: [IkeV2, OpenVPN],
///                     auth_types: [Certificate, AAD], bgp: {asn: 65515},
///                     custom_routes: [0.0.0.0/1, 128.0.0.0/1]}
///     - remove_peering: {vnet: hub-weu, remote: spoke-data}
///
/// add_spokes: base defaults to the lowest free private space, transit defaults to true
/// (false = the spoke forgets "Use remote gateways"). set_gateway: `bgp: false` disables BGP.
///
/// Examples:
///   p2s-sim whatif datasets/scenarios/hub-spoke.yaml --scenario datasets/whatif/add-40-spokes.yaml
///   p2s-sim whatif topo.yaml --scenario s.yaml --clients windows-ikev2-legacy=15%,windows-ikev2=85%
///   p2s-sim whatif topo.yaml --scenario s.yaml --as-of 2026-12-01 --fleet fleet.yaml
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
#[command(mut_arg("check", |a| a.help(
    "Exit with code 1 when, after the change, any client is over its limit or a finding is an \
     error (or a warning, with --deny warnings): what `analyze --check` says of the result; or \
     when Azure refuses the change itself (SSTP enabled from 2026-03-31)"
)))]
pub struct WhatifArgs {
    /// Topology files (merged into one topology).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The scenario file.
    #[arg(long, short, value_name = "FILE")]
    scenario: PathBuf,
    #[arg(long, value_enum, ignore_case = true, default_value_t = PlanFormat::Table)]
    format: PlanFormat,
    #[command(flatten)]
    analysis: AnalysisArgs,
    #[command(flatten)]
    term: TermArgs,
}

pub fn run_whatif(args: &WhatifArgs, out: &mut dyn Write) -> CmdResult {
    let population = args.analysis.clients.population.clone();
    let options = args.analysis.findings.options()?;
    let before_topology = input_args::load(&args.analysis.input, &args.files, Some(options.as_of))?;
    let source = read_source(&args.scenario)?;
    let scenario = Scenario::parse(&source.name, &source.text)?;
    let after_topology = whatif::apply(&before_topology, &scenario, &source.name)
        .map_err(|e| p2s_sim::read::with_line_column(e, std::slice::from_ref(&source)))?;
    let fleet = args.analysis.fleet.load()?;
    let limit = args.analysis.lists.limit();
    let analyze_options = AnalyzeOptions {
        findings: &options,
        limit,
        population: population.as_ref(),
        fleet: fleet.as_ref(),
    };
    let before = p2s_sim::analyze(&before_topology, &analyze_options);
    let after = p2s_sim::analyze(&after_topology, &analyze_options);
    let change = review::review_analyzed(
        &before,
        &after,
        &review::Context {
            options: &options,
            fleet: fleet.as_ref(),
            population: population.as_ref(),
            limit,
            deny_warnings: args.analysis.check.deny_warnings(),
        },
    );
    let output = WhatifOut {
        change: &change,
        before: &before,
        after: &after,
        population: population.is_some(),
        term: args.term.options(false),
    };
    render(&output, args.format, out)?;
    out.flush()?;
    let refused = args.analysis.check.gates() && !change.refused.is_empty();
    Ok(if refused || args.analysis.check.fails(&after) {
        Exit::Findings.into()
    } else {
        Exit::Fine.into()
    })
}

/// What `whatif` prints: the review of the change, with both analysed sides.
struct WhatifOut<'a> {
    change: &'a review::Review,
    before: &'a p2s_sim::Analyzed,
    after: &'a p2s_sim::Analyzed,
    /// `--clients` given: each gateway's share of users unable to connect, before and after.
    population: bool,
    term: RenderOptions,
}

type Fleets<'a> = (
    Vec<(String, FleetReport)>,
    Vec<(String, FleetReport)>,
    &'a [GroupChange],
);

/// Per gateway, its share of users unable to connect (`None` without `--clients`).
type Impacts = Option<Vec<(String, Impact)>>;

impl WhatifOut<'_> {
    /// With `--fleet`: each side's fleets and the device groups that change.
    fn fleets(&self) -> Option<Fleets<'_>> {
        self.change
            .fleet_changes
            .as_deref()
            .map(|changes| (self.before.fleets(), self.after.fleets(), changes))
    }

    /// With `--clients`: each side's impact per gateway.
    fn impacts(&self) -> (Impacts, Impacts) {
        let impact = |a: &p2s_sim::Analyzed| {
            self.population.then(|| {
                a.report
                    .gateways
                    .iter()
                    .filter_map(|g| Some((g.name.clone(), g.population.clone()?)))
                    .collect::<Vec<_>>()
            })
        };
        (impact(self.before), impact(self.after))
    }
}

impl Rendered for WhatifOut<'_> {
    fn html(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(
            super::html::whatif_document(&self.change.comparison, &self.after.report).as_bytes(),
        )
    }

    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        let per_gateway = |list: &[(String, FleetReport)]| -> Vec<FleetTotals> {
            list.iter()
                .map(|(gateway, f)| FleetTotals {
                    gateway: gateway.clone(),
                    totals: f.totals,
                })
                .collect()
        };
        let impacts = |list: &[(String, Impact)]| -> Vec<GatewayImpact> {
            list.iter()
                .map(|(gateway, impact)| GatewayImpact {
                    gateway: gateway.clone(),
                    impact: impact.clone(),
                })
                .collect()
        };
        let (impact_before, impact_after) = self.impacts();
        let change = self.change;
        let document = WhatifJson {
            comparison: &change.comparison,
            verdict_changes: &change.verdict_changes,
            findings_added: &change.findings_added,
            findings_removed: &change.findings_removed,
            reachability: &change.reachability,
            refused: &change.refused,
            fleet: self.fleets().map(|(b, a, changes)| FleetJson {
                changes,
                totals_before: per_gateway(&b),
                totals_after: per_gateway(&a),
            }),
            population: impact_before
                .as_ref()
                .zip(impact_after.as_ref())
                .map(|(b, a)| PopulationJson {
                    before: impacts(b),
                    after: impacts(a),
                }),
        };
        pretty_json(&document, out)
    }

    fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let comparison = &self.change.comparison;
        let mut csv = CsvRows::new(out);
        csv.row([
            "gateway",
            "client",
            "selectors_before",
            "selectors_after",
            "limit",
            "status_before",
            "status_after",
            "routes_added",
            "routes_removed",
            "redownload",
            "verdict_before",
            "verdict_after",
        ])?;
        let side = |s: &Option<whatif::ClientSide>, f: fn(&whatif::ClientSide) -> String| {
            s.as_ref().map(f).unwrap_or_else(|| "absent".to_string())
        };
        let count =
            |s: &whatif::ClientSide| s.check.selectors.map(|n| n.to_string()).unwrap_or_default();
        for g in &comparison.gateways {
            for c in &g.clients {
                let limit = c
                    .after
                    .as_ref()
                    .or(c.before.as_ref())
                    .and_then(|s| s.check.limit)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                let verdict = |s: &Option<whatif::ClientSide>| {
                    s.as_ref()
                        .map(|s| {
                            s.verdict
                                .map(|v| v.as_str().to_string())
                                .unwrap_or_default()
                        })
                        .unwrap_or_else(|| "absent".to_string())
                };
                csv.row([
                    g.name.clone(),
                    c.client.clone(),
                    side(&c.before, count),
                    side(&c.after, count),
                    limit,
                    side(&c.before, |s| s.check.status.as_str().to_string()),
                    side(&c.after, |s| s.check.status.as_str().to_string()),
                    c.routes_added_count.to_string(),
                    c.routes_removed_count.to_string(),
                    g.redownload.contains(&c.client).to_string(),
                    verdict(&c.before),
                    verdict(&c.after),
                ])?;
            }
        }
        csv.finish()
    }

    fn page(&self, page: &mut Page) -> io::Result<()> {
        let change = self.change;
        let (comparison, verdict_changes) = (&change.comparison, &change.verdict_changes);
        let (findings_added, findings_removed) = (&change.findings_added, &change.findings_removed);
        let (after, fleets) = (self.after, self.fleets());
        let (impact_before, impact_after) = self.impacts();
        // The verdict at a glance: the topology after the change, as `analyze` says it.
        if page.style() == Style::Terminal {
            write!(page.out(), "after the change: ")?;
            write_summary(&after.report, &self.term, page.out())?;
            writeln!(page.out())?;
        } else {
            page.title(&format!("after the change: {}", after.report.summary()))?;
            if let Some(line) = after.report.without_p2s_line() {
                page.line(&line)?;
            }
        }
        for line in &change.refused {
            page.line(&format!("refused: {line}"))?;
        }
        for g in &comparison.gateways {
            page.heading(&gateway_heading(g))?;
            let header = comparison_header(false);
            let rows: Vec<Vec<String>> =
                g.clients.iter().map(|c| comparison_row(c, false)).collect();
            page.table(&header, &rows)?;
            for line in package_lines(g) {
                page.item(&line)?;
            }
            if let (Some(b), Some(a)) = (&impact_before, &impact_after) {
                let find = |l: &Vec<(String, p2s_sim::verdicts::population::Impact)>| {
                    l.iter()
                        .find(|(n, _)| *n == g.name)
                        .map(|(_, i)| format!("{}%", i.unable_to_connect))
                        .unwrap_or("-".into())
                };
                page.item(&format!(
                    "users unable to connect: {} -> {}",
                    find(b),
                    find(a)
                ))?;
            }
            page.end_list()?;
            page.gap()?;
        }
        if comparison.status_changes.is_empty() {
            page.line("No client changes status.")?;
        } else {
            let items: Vec<String> = comparison
                .status_changes
                .iter()
                .map(|s| s.line("->"))
                .collect();
            page.list("Status changes", &items)?;
        }
        if verdict_changes.is_empty() {
            page.line("No client changes verdict.")?;
        } else {
            let items: Vec<String> = verdict_changes.iter().map(|v| v.line("->")).collect();
            page.list("Verdict changes", &items)?;
        }
        for (heading, list) in [
            ("Findings added", findings_added),
            ("Findings removed", findings_removed),
        ] {
            if !list.is_empty() {
                let items: Vec<String> = list
                    .iter()
                    .map(|f| format!("{} {} {}: {}", f.severity, f.code, f.subject, f.message))
                    .collect();
                page.list(heading, &items)?;
            }
        }
        if !change.reachability.is_empty() {
            let items: Vec<String> = change.reachability.iter().map(|r| r.line()).collect();
            page.list("Reachability changes", &items)?;
        }
        if let Some((b, a, changes)) = &fleets {
            if changes.is_empty() {
                page.line("No device group changes verdict or tunnel type.")?;
            } else {
                let devices: u64 = changes.iter().map(|c| c.devices).sum();
                let items: Vec<String> = changes.iter().map(|c| c.line("->")).collect();
                page.list(
                    &format!(
                        "Device groups that change ({} groups, {devices} devices)",
                        changes.len()
                    ),
                    &items,
                )?;
            }
            for (name, f) in a.iter() {
                let before_totals = b
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, f)| {
                        format!(
                            "{} connect, {} partial, {} fail",
                            f.totals.connects, f.totals.partial, f.totals.fails
                        )
                    })
                    .unwrap_or_else(|| "absent".to_string());
                page.item(&format!(
                    "fleet on {name}: {before_totals} -> {} connect, {} partial, {} fail",
                    f.totals.connects, f.totals.partial, f.totals.fails
                ))?;
            }
            page.end_list()?;
        }
        Ok(())
    }
}

/// How many more prefixes (and spokes of k prefixes) fit before each limit, per gateway.
///
/// Exact: a new spoke prefix adds one selector for every client kind and one VNet prefix
/// against the 600-per-gateway limit, and one BGP-learned route (and selector) on every other
/// P2S gateway of the hub's BGP domain (shown for the neighbour with the least room); each
/// spoke adds one peering to the hub (1,000 per VNet). So headroom = limit - used.
///
/// Examples:
///   p2s-sim headroom datasets/scenarios/hub-spoke.yaml
///   p2s-sim headroom --prefixes-per-spoke 3 --format json topo.yaml
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct HeadroomArgs {
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Prefixes each new spoke brings.
    #[arg(long, short = 'k', value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    prefixes_per_spoke: u32,
    #[arg(long, value_enum, ignore_case = true, default_value_t = PlanFormat::Table)]
    format: PlanFormat,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run_headroom(args: &HeadroomArgs, out: &mut dyn Write) -> CmdResult {
    let topology = input_args::load(&args.input, &args.files, None)?;
    // The limits headroom reads do not depend on the day.
    let rules = findings::Options::at(today());
    let analyzed = p2s_sim::analyze(&topology, &AnalyzeOptions::new(&rules));
    let rooms = whatif::headroom(&analyzed, args.prefixes_per_spoke as usize);
    render(&HeadroomOut { rooms: &rooms }, args.format, out)?;
    out.flush()?;
    Ok(Exit::Fine.into())
}

/// What `headroom` prints: per gateway, what fits before each limit.
struct HeadroomOut<'a> {
    rooms: &'a [whatif::GatewayHeadroom],
}

impl Rendered for HeadroomOut<'_> {
    fn html(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(super::html::headroom_document(self.rooms).as_bytes())
    }

    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        pretty_json(self.rooms, out)
    }

    fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut csv = CsvRows::new(out);
        csv.row([
            "gateway", "limit", "used", "max", "prefixes", "spokes", "over",
        ])?;
        for g in self.rooms {
            for l in &g.limits {
                csv.row([
                    g.gateway.clone(),
                    l.label(),
                    l.used.to_string(),
                    l.max.to_string(),
                    l.prefixes.to_string(),
                    l.spokes.to_string(),
                    l.over.to_string(),
                ])?;
            }
        }
        csv.finish()
    }

    fn page(&self, page: &mut Page) -> io::Result<()> {
        for g in self.rooms {
            page.heading(&format!("Gateway {} (VNet {})", g.gateway, g.vnet))?;
            let header = [
                "limit".to_string(),
                "used / max".into(),
                "more prefixes".into(),
                format!("more spokes of {}", g.prefixes_per_spoke),
            ];
            let rows: Vec<Vec<String>> = g
                .limits
                .iter()
                .map(|l| {
                    vec![
                        l.label(),
                        format!(
                            "{} / {}{}",
                            l.used,
                            l.max,
                            if l.over { " over-limit" } else { "" }
                        ),
                        l.prefixes.to_string(),
                        l.spokes.to_string(),
                    ]
                })
                .collect();
            page.table(&header, &rows)?;
            if let Some(first) = &g.first_crossed {
                page.item(&format!("first limit crossed: {first}"))?;
                page.end_list()?;
            }
            page.gap()?;
        }
        Ok(())
    }
}

/// Grow one thing step by step and show, per step, each client kind's selectors and status.
///
/// Exactly one of --add-spokes, --add-local-prefixes, --add-custom-routes, each a range
/// START..END:STEP with END included (e.g. 0..400:10). Each step is computed from the
/// previous one's state (the new spokes, prefixes or routes are fresh address space, so each
/// adds the same to every count); where that does not hold, every step is analysed in full,
/// in parallel. The output is the same either way (--from-scratch forces the second).
/// A step past a limit Azure enforces at deployment (600 VNet prefixes per gateway, 1,000
/// prefixes per local network, 4,000 BGP routes, 1,000 peerings per VNet) is shown with
/// its code under "rejected".
///
/// Examples:
///   p2s-sim sweep datasets/scenarios/hub-spoke.yaml --add-spokes 0..400:10 --prefixes-per-spoke 2
///   p2s-sim sweep topo.yaml --hub hub-weu --add-local-prefixes 0..1200:100 --bgp --format csv
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
#[command(group(clap::ArgGroup::new("growth").required(true).args(["add_spokes", "add_local_prefixes", "add_custom_routes"])))]
pub struct SweepArgs {
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Add this many spokes (with correct transit flags) to the hub.
    #[arg(long, value_name = "RANGE")]
    add_spokes: Option<String>,
    /// Add a local network with this many /24 prefixes, connected to the hub's gateway.
    #[arg(
        long,
        value_name = "RANGE",
        visible_alias = "add-local-network-prefixes"
    )]
    add_local_prefixes: Option<String>,
    /// Add this many /24 custom routes to the hub's gateway.
    #[arg(long, value_name = "RANGE")]
    add_custom_routes: Option<String>,
    /// The hub VNet (or gateway) that grows; needed when there is more than one P2S gateway.
    #[arg(long, value_name = "NAME")]
    hub: Option<String>,
    /// The P2S gateway whose clients to watch (default: the hub's own), e.g. a BGP neighbour.
    #[arg(long, value_name = "NAME")]
    gateway: Option<String>,
    /// Prefixes per new spoke (--add-spokes).
    #[arg(long, short = 'k', value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    prefixes_per_spoke: u32,
    /// Run BGP on the new local network's connection (--add-local-prefixes).
    #[arg(long)]
    bgp: bool,
    #[command(flatten)]
    clients: ClientsArgs,
    #[arg(long, value_enum, ignore_case = true, default_value_t = PlanFormat::Table)]
    format: PlanFormat,
    /// Analyse every step in full instead of from the previous step's state: the same output,
    /// slower; for checking a result or timing the two.
    #[arg(long)]
    from_scratch: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run_sweep(args: &SweepArgs, out: &mut dyn Write) -> CmdResult {
    let population = args.clients.population.clone();
    let (flag, range, kind) = if let Some(r) = &args.add_spokes {
        (
            "--add-spokes",
            r,
            SweepKind::Spokes {
                prefixes_per_spoke: args.prefixes_per_spoke as usize,
            },
        )
    } else if let Some(r) = &args.add_local_prefixes {
        (
            "--add-local-prefixes",
            r,
            SweepKind::LocalPrefixes { bgp: args.bgp },
        )
    } else {
        (
            "--add-custom-routes",
            args.add_custom_routes.as_ref().expect("clap group"),
            SweepKind::CustomRoutes,
        )
    };
    let steps = whatif::parse_steps(range).map_err(|e| Failure(format!("{flag}: {e}")))?;
    let topology = input_args::load(&args.input, &args.files, None)?;
    let hub = match &args.hub {
        Some(h) => h.clone(),
        None => {
            let p2s: Vec<&str> = topology
                .gateways()
                .filter(|(_, g)| g.p2s.is_some())
                .map(|(v, _)| v.name.as_str())
                .collect();
            match p2s.as_slice() {
                [one] => one.to_string(),
                [] => {
                    return Err(Failure(
                        "no gateway has a P2S configuration: nothing to sweep".into(),
                    ))
                }
                many => {
                    return Err(Failure(format!(
                        "several P2S gateways; choose one with --hub ({})",
                        many.join(", ")
                    )))
                }
            }
        }
    };
    let strategy = if args.from_scratch {
        whatif::Strategy::FromScratch
    } else {
        whatif::Strategy::Incremental
    };
    let plan = whatif::SweepPlan {
        hub: &hub,
        watch: args.gateway.as_deref(),
        kind: &kind,
        steps: &steps,
        flag: &format!("{flag} {range}"),
    };
    // What a sweep row holds does not depend on the day.
    let rules = findings::Options::at(today());
    let result = whatif::sweep_with(&topology, &plan, &rules, strategy)?;
    let output = SweepOut {
        result: &result,
        population: population.as_ref(),
    };
    render(&output, args.format, out)?;
    out.flush()?;
    Ok(Exit::Fine.into())
}

/// What `sweep` prints: per step, each client kind's selectors and status.
struct SweepOut<'a> {
    result: &'a whatif::SweepResult,
    population: Option<&'a Population>,
}

impl SweepOut<'_> {
    /// The share of users unable to connect at a step, under `--clients`.
    fn share(&self, row: &whatif::SweepRow) -> Option<f64> {
        let p = self.population?;
        let offered: Vec<&str> = row.clients.iter().map(|c| c.client.as_str()).collect();
        let over: Vec<&str> = row
            .clients
            .iter()
            .filter(|c| c.check.is_over())
            .map(|c| c.client.as_str())
            .collect();
        Some(p.unable_share(&offered, &over))
    }
}

impl Rendered for SweepOut<'_> {
    fn html(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(super::html::sweep_document(self.result).as_bytes())
    }

    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        let result = self.result;
        let document = SweepJson {
            hub: &result.hub,
            gateway: &result.gateway,
            adding: &result.adding,
            rows: result
                .rows
                .iter()
                .map(|row| SweepRowJson {
                    row,
                    unable_to_connect: self.share(row),
                })
                .collect(),
            first_breaking: &result.first_breaking,
            first_rejected: &result.first_rejected,
        };
        pretty_json(&document, out)
    }

    fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let result = self.result;
        let kinds = result.client_kinds();
        let mut header = vec!["step".to_string(), "advertised".to_string()];
        for k in &kinds {
            header.push(format!("{k}_selectors"));
            header.push(format!("{k}_status"));
        }
        if self.population.is_some() {
            header.push("unable_to_connect_percent".into());
        }
        header.push("rejected_by_azure".into());
        let mut csv = CsvRows::new(out);
        csv.row(&header)?;
        for r in &result.rows {
            let mut row = vec![r.step.to_string(), r.advertised.to_string()];
            for c in &r.clients {
                row.push(c.check.selectors.map(|s| s.to_string()).unwrap_or_default());
                row.push(c.check.status.as_str().to_string());
            }
            if let Some(s) = self.share(r) {
                row.push(s.to_string());
            }
            row.push(r.rejected.join(" "));
            csv.row(&row)?;
        }
        csv.finish()
    }

    fn page(&self, page: &mut Page) -> io::Result<()> {
        let result = self.result;
        page.title(&format!(
            "Sweep: adding {} to {} (clients of gateway {})",
            result.adding, result.hub, result.gateway
        ))?;
        let kinds = result.client_kinds();
        let mut header = vec!["step".to_string(), "advertised".to_string()];
        header.extend(kinds.iter().cloned());
        if self.population.is_some() {
            header.push("unable to connect".into());
        }
        let any_rejected = result.rows.iter().any(|r| !r.rejected.is_empty());
        if any_rejected {
            header.push("Azure limits".into());
        }
        let mut rows = Vec::with_capacity(result.rows.len());
        for r in &result.rows {
            let mut row = vec![r.step.to_string(), r.advertised.to_string()];
            for c in &r.clients {
                row.push(match (c.check.selectors, c.check.limit) {
                    (Some(n), Some(l)) if c.check.is_over() => format!("{n}/{l} over-limit"),
                    (Some(n), Some(l)) => format!("{n}/{l}"),
                    _ => "ok".into(),
                });
            }
            if let Some(s) = self.share(r) {
                row.push(format!("{s}%"));
            }
            if any_rejected {
                row.push(if r.rejected.is_empty() {
                    "ok".to_string()
                } else {
                    format!("REJECTED {}", r.rejected.join(" "))
                });
            }
            rows.push(row);
        }
        page.table(&header, &rows)?;
        let describe = |f: &whatif::FirstBreak| match (f.step, f.already_over) {
            (_, true) => {
                "already over before the sweep (no step of this range breaks it)".to_string()
            }
            (Some(s), false) if f.range_starts_over => {
                format!("at or before {s} (the range starts over; sweep from 0 to find the step)")
            }
            (Some(s), false) => s.to_string(),
            (None, false) => "none in this range".to_string(),
        };
        let items: Vec<String> = result
            .first_breaking
            .iter()
            .map(|f| format!("{}: {}", f.client, describe(f)))
            .collect();
        page.list("First breaking step", &items)?;
        if !result.first_rejected.is_empty() {
            let items: Vec<String> = result
                .first_rejected
                .iter()
                .map(|f| format!("{}: {}", f.client, describe(f)))
                .collect();
            page.list(
                "First step Azure rejects (resource limits; `p2s-sim explain CODE`)",
                &items,
            )?;
        }
        Ok(())
    }
}

/// "Gateway hub-gw: advertised 3 -> 4" (`-` for a side without the gateway): the same heading
/// in `whatif` and `review`.
pub(crate) fn gateway_heading(g: &whatif::GatewayChange) -> String {
    let count = |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
    format!(
        "Gateway {}: advertised {} -> {}",
        g.name,
        count(g.advertised_before),
        count(g.advertised_after)
    )
}

/// The columns of a client table before and after a change; `review` adds the verdicts.
pub(crate) fn comparison_header(with_verdicts: bool) -> Vec<String> {
    let mut header = vec![
        "client",
        "selectors before",
        "after",
        "status before",
        "after",
    ];
    if with_verdicts {
        header.extend(["verdict before", "after"]);
    }
    header.push("routes +/-");
    header.into_iter().map(String::from).collect()
}

/// One client's row under [`comparison_header`].
pub(crate) fn comparison_row(c: &whatif::ClientChange, with_verdicts: bool) -> Vec<String> {
    let (b, a) = (
        whatif::ClientSide::cells(c.before.as_ref()),
        whatif::ClientSide::cells(c.after.as_ref()),
    );
    let mut row = vec![c.client.clone(), b.count, a.count, b.status, a.status];
    if with_verdicts {
        row.extend([b.verdict, a.verdict]);
    }
    row.push(format!(
        "+{} -{}",
        c.routes_added_count, c.routes_removed_count
    ));
    row
}

/// Who must download the VPN client package again and which package files go stale: the same
/// lines in `whatif` and `review`.
pub(crate) fn package_lines(g: &whatif::GatewayChange) -> Vec<String> {
    let mut lines = Vec::new();
    if !g.redownload.is_empty() {
        lines.push(format!(
            "re-download: {} — {}",
            g.redownload.join(", "),
            g.redownload_reason
        ));
    }
    if !g.stale_profile_files.is_empty() {
        lines.push(format!(
            "stale package files: {} (`p2s-sim profile check PACKAGE ...` checks the ones users have)",
            g.stale_profile_files.join(", ")
        ));
    }
    lines
}
