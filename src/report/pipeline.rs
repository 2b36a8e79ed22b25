//! The one pipeline: a topology in, everything a report holds out.
//!
//! `analyze`, `batch`, `whatif`, `review` (both sides), `headroom` and `sweep` (each step it
//! analyses in full) all call [`analyze`], so every command sees the same routes, findings,
//! capacity, verdicts, populations and fleets: a rule added to [`crate::verdicts::findings`] or
//! [`crate::verdicts`] reaches every command at once.
//!
//! ```
//! use p2s_sim::verdicts::findings::{Date, Options};
//! use p2s_sim::read::{read_topology, Source};
//!
//! let yaml = "
//! vnets:
//!   - name: hub
//!     address_space: [10.0.0.0/16]
//!     gateway:
//!       p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2], auth_types: [Certificate]}
//! ";
//! let topology = read_topology(&[Source { name: "hub.yaml".into(), text: yaml.into() }]).unwrap();
//! let rules = Options::at(Date::parse("2026-12-01").unwrap());
//! let analyzed = p2s_sim::analyze(&topology, &p2s_sim::AnalyzeOptions::new(&rules));
//! let windows = &analyzed.report.gateways[0].clients[0];
//! assert_eq!((windows.client.as_str(), windows.check.selectors), ("windows-ikev2", Some(2)));
//! assert!(!analyzed.fails_check(false));
//! //! ```

use crate::engine::{self, Analysis};
use crate::model::Topology;
use crate::verdicts::findings::{self, Finding, GatewayCapacity, Measure};
use crate::verdicts::population::Population;
use crate::verdicts::{self, judge_fleet, Fleet, FleetReport, GatewayVerdicts, Target};

use super::{FindingReport, ListLimit, Report};

/// What an analysis needs besides the topology.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// The day, client networks and expected clients the rules use.
    pub findings: &'a findings::Options,
    /// Route lists longer than this are given as a count (`--list-limit`, `--full`).
    pub limit: ListLimit,
    /// Share of users per client kind (`--clients`).
    pub population: Option<&'a Population>,
    /// Device groups to judge on every gateway (`--fleet`).
    pub fleet: Option<&'a Fleet>,
}

impl<'a> Options<'a> {
    /// The findings options, the default list limit, no population, no fleet.
    pub fn new(findings: &'a findings::Options) -> Options<'a> {
        Options {
            findings,
            limit: ListLimit::default(),
            population: None,
            fleet: None,
        }
    }
}

/// The report, and what it was drawn from (a comparison of two topologies needs both).
#[derive(Clone, Debug)]
pub struct Analyzed {
    pub report: Report,
    pub analysis: Analysis,
    pub findings: Vec<Finding>,
    /// Azure's resource limits measured on every resource, the numbers the LIM001, LIM002,
    /// LIM003 and LIM006 findings were drawn from (see [`findings::check_measured`]): what
    /// `headroom` and `sweep` count with.
    pub measures: Vec<Measure>,
    pub verdicts: Vec<GatewayVerdicts>,
}

impl Analyzed {
    /// Every gateway's fleet verdicts (by gateway name), as the report holds them; empty
    /// without a fleet.
    pub fn fleets(&self) -> Vec<(String, FleetReport)> {
        self.report
            .gateways
            .iter()
            .filter_map(|g| Some((g.name.clone(), g.fleet.clone()?)))
            .collect()
    }

    /// What `--check` means in every command: a client over its limit or an error finding,
    /// and with `--deny warnings` a warning finding too.
    pub fn fails_check(&self, deny_warnings: bool) -> bool {
        self.report.fails_check(deny_warnings)
    }
}

/// Routes, selectors, findings, capacity, verdicts, populations and fleets of one topology.
pub fn analyze(topology: &Topology, options: &Options<'_>) -> Analyzed {
    let analysis = engine::analyze(topology);
    let (found, measures) = findings::check_measured(topology, &analysis, options.findings);
    let capacity = findings::capacity(topology, &analysis, options.findings);
    let verdicts = verdicts::judge(topology, &analysis, options.findings.as_of);
    let fleets = options
        .fleet
        .map(|f| fleet_reports(topology, &analysis, f, &capacity, options.findings))
        .unwrap_or_default();
    let report = Report::new(
        &analysis,
        found.iter().map(FindingReport::from).collect(),
        options.limit,
    )
    .with_capacity(capacity)
    .with_verdicts(&verdicts)
    .with_population(&analysis, options.population, &verdicts)
    .with_fleet(fleets)
    .with_gateways_without_p2s(topology);
    Analyzed {
        report,
        analysis,
        findings: found,
        measures,
        verdicts,
    }
}

/// A fleet judged on every gateway of an analysis, by gateway name.
fn fleet_reports(
    topology: &Topology,
    analysis: &Analysis,
    fleet: &Fleet,
    capacity: &[GatewayCapacity],
    options: &findings::Options,
) -> Vec<(String, FleetReport)> {
    analysis
        .gateways
        .iter()
        .filter_map(|ga| {
            let gateway = verdicts::find_gateway(topology, ga)?;
            let target = Target {
                gateway,
                analysis: ga,
                as_of: options.as_of,
            };
            let cap = capacity.iter().find(|c| c.gateway == ga.name);
            Some((ga.name.clone(), judge_fleet(&target, fleet, cap)))
        })
        .collect()
}
