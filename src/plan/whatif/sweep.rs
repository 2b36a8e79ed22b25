//! Sweeps: the same change at growing sizes (0, 10, 20, ... spokes), one analysis per step, run
//! in parallel; rows come back in step order, so the output equals a serial run.
//!
//! A step analysed in full is the pipeline's result ([`crate::analyze`]): its client cells are
//! the report's client entries ([`ClientSelectors`]) and its rejected codes are the codes of
//! the pipeline's resource-limit error findings ([`RESOURCE_LIMIT_RULES`]). Steps the
//! [`Strategy::Incremental`] strategy extrapolates follow the numbers those findings were drawn
//! from ([`Measure`]s), which is exact (see [`incremental`]).
//!
//! The rows carry no other finding codes: a finding that does not follow from a count (a
//! capacity or date rule, LIM007 at 500 peerings on the hub, a transit flag) cannot be
//! extrapolated from two probes, so only a full analysis of every step could give them, and
//! the two strategies would differ.

use rayon::prelude::*;
use serde::Serialize;

use super::apply::{apply_checked, apply_with, free_prefixes, AzureLimits, MAX_NEW_PREFIXES};
use super::scenario::*;
use crate::engine::LimitCheck;
use crate::model::{Topology, TopologyError};
use crate::prefix::{IpNet, PrefixSet};
use crate::report::pipeline::{Analyzed, Options as AnalyzeOptions};
use crate::report::ClientSelectors;
use crate::verdicts::findings::{self, Measure, RESOURCE_LIMIT_RULES};

/// What grows from step to step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SweepKind {
    /// Spokes peered with the hub (with correct transit flags).
    Spokes { prefixes_per_spoke: usize },
    /// Prefixes of one new local network connected to the hub's gateway.
    LocalPrefixes { bgp: bool },
    /// Custom routes on the hub's gateway.
    CustomRoutes,
}

impl SweepKind {
    pub fn name(&self) -> &'static str {
        match self {
            SweepKind::Spokes { .. } => "spokes",
            SweepKind::LocalPrefixes { .. } => "local-network prefixes",
            SweepKind::CustomRoutes => "custom routes",
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SweepResult {
    pub hub: String,
    pub gateway: String,
    pub adding: String,
    pub rows: Vec<SweepRow>,
    /// Per client kind of the hub's gateway, the first step at which it is over its limit.
    pub first_breaking: Vec<FirstBreak>,
    /// Per Azure resource limit (LIM001 prefixes per local network, LIM002 VNet prefixes per
    /// gateway, LIM003 BGP routes) crossed in the range, the first step at which Azure refuses
    /// (or, for BGP, drops) the configuration.
    pub first_rejected: Vec<FirstBreak>,
}

impl SweepResult {
    /// The client kinds of the hub's gateway, in table order.
    pub fn client_kinds(&self) -> Vec<String> {
        self.rows
            .first()
            .map(|r| r.clients.iter().map(|c| c.client.clone()).collect())
            .unwrap_or_default()
    }
}

/// What a sweep grows, where, and whose clients it watches.
#[derive(Clone, Copy, Debug)]
pub struct SweepPlan<'a> {
    /// The VNet or gateway that grows.
    pub hub: &'a str,
    /// The gateway (or its VNet) whose P2S clients each row shows; `None`: the hub's own.
    pub watch: Option<&'a str>,
    pub kind: &'a SweepKind,
    /// The sizes, in output order.
    pub steps: &'a [usize],
    /// How errors in the sweep's own change name it: the flag and its range, as the user wrote
    /// them (`--add-local-prefixes 0..2000:1`).
    pub flag: &'a str,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SweepRow {
    pub step: usize,
    pub advertised: usize,
    /// The watched gateway's client entries, as the report of this step has them.
    pub clients: Vec<ClientSelectors>,
    /// Azure resource limits this step exceeds (codes of its resource-limit error findings,
    /// e.g. `LIM002`, sorted, once each): Azure would refuse it.
    pub rejected: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FirstBreak {
    /// A client kind, or a resource-limit code in `first_rejected`.
    pub client: String,
    /// The first step that is over while the state before it (the previous step, or the
    /// unchanged topology for the first step) was not; `None` when no step breaks it.
    pub step: Option<usize>,
    /// Already over in the unchanged topology, so no step of this range "breaks" it.
    pub already_over: bool,
    /// The range does not start at 0 and its first step is already over: the break is at or
    /// before `step` (run the sweep from 0 to find it).
    pub range_starts_over: bool,
}

/// An error about the sweep's flags: no file, the message names the flag.
fn err(message: String) -> TopologyError {
    TopologyError {
        file: String::new(),
        place: String::new(),
        message,
    }
}

/// Runs the sweep: grows `plan.kind` on `plan.hub` (a VNet or gateway name) and reports, per
/// step, the clients of `plan.watch` (a gateway or VNet name; default: the hub's own gateway,
/// which then must have P2S). Watching another gateway shows how growth on one hub reaches the
/// P2S clients of a BGP neighbour. `rules` are the pipeline's options; what a row holds
/// (selectors, statuses, resource limits) does not depend on the day.
pub fn sweep(
    topology: &Topology,
    plan: &SweepPlan<'_>,
    rules: &findings::Options,
) -> Result<SweepResult, TopologyError> {
    sweep_with(topology, plan, rules, Strategy::Incremental)
}

/// How a sweep computes its steps: the result is the same either way (a property test holds
/// them equal on random topologies and ranges); only the time differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Each step from the previous one's state where that is exact (see the `incremental` module),
    /// otherwise [`Strategy::FromScratch`].
    Incremental,
    /// Every step applied to the unchanged topology and analysed in full, in parallel.
    FromScratch,
}

/// [`sweep`] with a chosen [`Strategy`] (tests and benches compare the two).
pub fn sweep_with(
    topology: &Topology,
    plan: &SweepPlan<'_>,
    rules: &findings::Options,
    strategy: Strategy,
) -> Result<SweepResult, TopologyError> {
    let SweepPlan {
        hub,
        watch,
        kind,
        steps,
        flag,
    } = *plan;
    let find = |name: &str| {
        topology
            .vnets
            .iter()
            .find(|v| v.name == name || v.gateway.as_ref().is_some_and(|g| g.name == name))
    };
    let vnet =
        find(hub).ok_or_else(|| err(format!("--hub {hub}: no VNet or gateway of that name")))?;
    let p2s_gateways = || {
        topology
            .gateways()
            .filter(|(_, g)| g.p2s.is_some())
            .map(|(_, g)| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let watched = match watch {
        Some(name) => find(name)
            .and_then(|v| v.gateway.as_ref())
            .filter(|g| g.p2s.is_some())
            .ok_or_else(|| {
                err(format!(
                    "--gateway {name}: not a gateway with a P2S configuration; P2S gateways: {}",
                    p2s_gateways()
                ))
            })?,
        None => vnet
            .gateway
            .as_ref()
            .filter(|g| g.p2s.is_some())
            .ok_or_else(|| {
                err(format!(
                "--hub: VNet '{}' has no gateway with a P2S configuration: name the gateway whose \
                 clients to watch with --gateway (P2S gateways: {})",
                vnet.name,
                p2s_gateways()
            ))
            })?,
    };
    let needs_gateway = !matches!(kind, SweepKind::Spokes { .. });
    let gateway = match (&vnet.gateway, needs_gateway) {
        (Some(g), _) => g,
        (None, false) => watched,
        (None, true) => {
            return Err(err(format!(
                "--hub: VNet '{}' has no gateway to connect a local network or add custom \
                 routes to",
                vnet.name
            )))
        }
    };
    let max = steps.iter().copied().max().unwrap_or(0);
    // Addresses for the largest step, taken once: every step adds a prefix of the same list
    // (local prefixes, custom routes), or `add_spokes` takes the same lowest free blocks.
    let units = match kind {
        SweepKind::Spokes { prefixes_per_spoke } => max
            .checked_mul(*prefixes_per_spoke)
            .filter(|&n| n <= MAX_NEW_PREFIXES),
        _ => Some(max),
    };
    let pool = match units {
        Some(n) => free_prefixes(topology, 24, n).ok_or_else(|| {
            err(format!(
                "{flag}: not enough free private address space for the {n} new /24 prefixes \
                 of the largest step: sweep a smaller range"
            ))
        })?,
        // More than `add_spokes` makes in one step: it says so (below).
        None => Vec::new(),
    };
    let scenario_for = |n: usize| -> Scenario {
        let changes = if n == 0 {
            Vec::new()
        } else {
            vec![match kind {
                SweepKind::Spokes { prefixes_per_spoke } => Change::AddSpokes(AddSpokes {
                    hub: vnet.name.clone(),
                    count: n,
                    prefixes_per_spoke: *prefixes_per_spoke,
                    prefix_length: 24,
                    base: None,
                    transit: true,
                    name: Some("sweep-spoke".into()),
                }),
                SweepKind::LocalPrefixes { bgp } => Change::AddLocalNetwork(AddLocalNetwork {
                    name: "sweep-branch".into(),
                    gateway: gateway.name.clone(),
                    address_space: pool[..n].iter().map(|p| p.to_string()).collect(),
                    bgp: bgp.then(|| LocalBgp {
                        asn: 65534,
                        peer_ip: None,
                    }),
                    connection: Some("sweep-branch-connection".into()),
                }),
                SweepKind::CustomRoutes => Change::SetGateway(SetGateway {
                    gateway: gateway.name.clone(),
                    custom_routes: Some(
                        gateway
                            .custom_routes
                            .iter()
                            .chain(&pool[..n])
                            .map(|p| p.to_string())
                            .collect(),
                    ),
                    ..SetGateway::default()
                }),
            }]
        };
        Scenario { changes }
    };
    // The change is the flag's: its errors name the flag, not a scenario file's place.
    let own_change = |e: TopologyError| {
        if e.file == flag {
            err(format!("{flag}: {}", e.message))
        } else {
            e
        }
    };
    // The steps differ only in how many units they add, under the same names: when the
    // largest builds, every step does (the builder checks it once, not per step).
    apply_checked(topology, &scenario_for(max), flag, AzureLimits::Report).map_err(own_change)?;
    // Every step gets the same pipeline as `analyze`. Steps past a limit Azure enforces at
    // deployment (peerings per VNet) are built and marked rejected.
    let options = AnalyzeOptions::new(rules);
    let state_of = |t: &Topology| StepState::of(&crate::analyze(t, &options), &watched.name);
    let step = |n: usize| {
        apply_with(topology, &scenario_for(n), flag, AzureLimits::Report)
            .map(|t| state_of(&t))
            .map_err(own_change)
    };
    let base = state_of(topology);
    let incremental_holds = strategy == Strategy::Incremental
        && incremental_pays(steps)
        && units.is_some()
        && fresh_units(topology, &pool);
    let states: Vec<StepState> = if incremental_holds {
        incremental(steps, &base, step)?
    } else {
        None
    }
    .map_or_else(
        || steps.par_iter().map(|&n| step(n)).collect::<Result<_, _>>(),
        Ok,
    )?;
    let rows: Vec<SweepRow> = steps
        .iter()
        .zip(states)
        .map(|(&step, state)| SweepRow {
            step,
            advertised: state.advertised,
            rejected: state.rejected,
            clients: state.clients,
        })
        .collect();
    let base_rejected = base.rejected;
    let base_cells = base.clients;
    let kinds: Vec<String> = rows
        .first()
        .map(|r| r.clients.iter().map(|c| c.client.clone()).collect())
        .unwrap_or_default();
    let over = |clients: &[ClientSelectors], client: &str| {
        clients
            .iter()
            .any(|c| c.client == client && c.check.is_over())
    };
    let first_breaking = kinds
        .into_iter()
        .map(|client| {
            let flags: Vec<bool> = rows.iter().map(|r| over(&r.clients, &client)).collect();
            first_break(client.clone(), over(&base_cells, &client), &flags, &rows)
        })
        .collect();
    let mut codes: Vec<String> = rows.iter().flat_map(|r| r.rejected.clone()).collect();
    codes.extend(base_rejected.iter().cloned());
    let first_rejected = dedup(codes)
        .into_iter()
        .map(|code| {
            let flags: Vec<bool> = rows.iter().map(|r| r.rejected.contains(&code)).collect();
            first_break(code.clone(), base_rejected.contains(&code), &flags, &rows)
        })
        .collect();
    Ok(SweepResult {
        hub: vnet.name.clone(),
        gateway: watched.name.clone(),
        adding: kind.name().to_string(),
        rows,
        first_breaking,
        first_rejected,
    })
}

/// What a sweep reads off one step: the watched gateway's row, the resource-limit codes Azure
/// would reject it for, and the numbers those were drawn from.
#[derive(Clone, Debug, PartialEq)]
struct StepState {
    advertised: usize,
    clients: Vec<ClientSelectors>,
    /// Codes of the resource-limit error findings, sorted, once each.
    rejected: Vec<String>,
    /// Every resource-limit measure (over or not): what [`Delta`] extrapolates.
    measures: Vec<Measure>,
}

impl StepState {
    /// The state of a step the pipeline analysed.
    fn of(analyzed: &Analyzed, watched: &str) -> StepState {
        let gateway = analyzed.report.gateways.iter().find(|g| g.name == watched);
        let is_resource_limit = |code: &str| RESOURCE_LIMIT_RULES.iter().any(|r| r.code == code);
        StepState {
            advertised: gateway.map_or(0, |g| g.advertised_count),
            clients: gateway
                .map(|g| g.clients.iter().map(ClientSelectors::from).collect())
                .unwrap_or_default(),
            rejected: dedup(
                analyzed
                    .findings
                    .iter()
                    .filter(|f| is_resource_limit(f.code))
                    .map(|f| f.code.to_string())
                    .collect(),
            ),
            measures: analyzed.measures.clone(),
        }
    }
}

/// Whether every prefix the largest step adds (`units`: a step of `n` units takes the first
/// `n × per unit` of them; for spokes, the lowest free blocks `add_spokes` without a base
/// takes, in order) is distinct and new to the whole topology: otherwise a step could add a
/// prefix the topology already has, and the incremental rule would not hold.
fn fresh_units(topology: &Topology, units: &[IpNet]) -> bool {
    let mut everything = Vec::new();
    for v in &topology.vnets {
        everything.extend(v.address_space.iter().copied());
        if let Some(g) = &v.gateway {
            everything.extend(g.custom_routes.iter().copied());
            if let Some(p2s) = &g.p2s {
                everything.extend(p2s.address_pool.iter().copied());
            }
        }
    }
    for l in &topology.local_networks {
        everything.extend(l.address_space.iter().copied());
    }
    let taken = PrefixSet::from_prefixes(everything);
    let distinct = units.windows(2).all(|w| w[0] < w[1]);
    distinct && units.iter().all(|u| !taken.overlaps(u))
}

/// Three or more growing steps: below that, the two probes cost as much as the steps.
fn incremental_pays(steps: &[usize]) -> bool {
    steps.iter().filter(|&&n| n > 0).count() >= 3
}

/// Each step from the previous step's state. A sweep adds units (a spoke of `p` prefixes, a
/// local-network prefix, a custom route) that are alike and fresh: every unit's prefixes are new
/// to the whole topology and land in the same places (the same gateways' offers, the same BGP
/// domain, the same resource counts) as every other unit's, because the graph treats them alike.
/// Every number a row holds counts distinct prefixes, peerings or routes, so each unit adds the
/// same amount to each of them. That amount is measured exactly, by analysing the first growing
/// step `a` and `a + 1` in full; step `s` is then step `a` plus `s − a` units, and what is over a
/// limit follows from the numbers. Step 0 is the unchanged topology. `None` when the two probes
/// do not have the same shape (then the caller computes every step in full).
fn incremental(
    steps: &[usize],
    base: &StepState,
    step: impl Fn(usize) -> Result<StepState, TopologyError> + Sync,
) -> Result<Option<Vec<StepState>>, TopologyError> {
    let Some(a) = steps.iter().copied().filter(|&n| n > 0).min() else {
        return Ok(None);
    };
    let (first, next) = rayon::join(|| step(a), || step(a + 1));
    let (first, next) = (first?, next?);
    let Some(unit) = Delta::between(&first, &next) else {
        return Ok(None);
    };
    Ok(Some(
        steps
            .iter()
            .map(|&n| {
                if n == 0 {
                    base.clone()
                } else {
                    unit.times(&first, n - a)
                }
            })
            .collect(),
    ))
}

/// What one more unit adds to each number of a [`StepState`].
struct Delta {
    advertised: usize,
    selectors: Vec<Option<usize>>,
    measures: Vec<usize>,
}

impl Delta {
    /// `next − first`, when the two states have the same shape and nothing shrinks; the
    /// resources only `next` has (the unit's own spoke VNet) must be within their limits, as
    /// every later unit's then is.
    fn between(first: &StepState, next: &StepState) -> Option<Delta> {
        let grow = |a: usize, b: usize| b.checked_sub(a);
        if first.clients.len() != next.clients.len() || next.measures.len() < first.measures.len() {
            return None;
        }
        let selectors = first
            .clients
            .iter()
            .zip(&next.clients)
            .map(|(a, b)| {
                (a.client == b.client && a.check.limit == b.check.limit).then_some(())?;
                match (a.check.selectors, b.check.selectors) {
                    (Some(x), Some(y)) => grow(x, y).map(Some),
                    (None, None) => Some(None),
                    _ => None,
                }
            })
            .collect::<Option<Vec<_>>>()?;
        let (same, extra) = next.measures.split_at(first.measures.len());
        let measures = first
            .measures
            .iter()
            .zip(same)
            .map(|(a, b)| {
                (a.code == b.code && a.subject == b.subject && a.max == b.max).then_some(())?;
                grow(a.count, b.count)
            })
            .collect::<Option<Vec<_>>>()?;
        if extra.iter().any(Measure::is_over) {
            return None;
        }
        Some(Delta {
            advertised: grow(first.advertised, next.advertised)?,
            selectors,
            measures,
        })
    }

    /// `first` plus `k` units. The resources later units bring themselves are left out: they
    /// are within their limits (checked in [`Delta::between`]), so no row shows them.
    fn times(&self, first: &StepState, k: usize) -> StepState {
        let measures: Vec<Measure> = first
            .measures
            .iter()
            .zip(&self.measures)
            .map(|(m, d)| Measure {
                count: m.count + k * d,
                ..m.clone()
            })
            .collect();
        StepState {
            advertised: first.advertised + k * self.advertised,
            clients: first
                .clients
                .iter()
                .zip(&self.selectors)
                .map(|(c, d)| {
                    let selectors = c.check.selectors.zip(*d).map(|(n, d)| n + k * d);
                    ClientSelectors {
                        client: c.client.clone(),
                        check: LimitCheck::new(selectors, c.check.limit),
                    }
                })
                .collect(),
            // A resource-limit finding exists exactly where its measure is over.
            rejected: dedup(
                measures
                    .iter()
                    .filter(|m| m.is_over())
                    .map(|m| m.code.to_string())
                    .collect(),
            ),
            measures,
        }
    }
}

fn dedup(mut codes: Vec<String>) -> Vec<String> {
    codes.sort();
    codes.dedup();
    codes
}

/// The first step that is over while the state before it was not (the previous step, or the
/// unchanged topology before the first step), so a range that starts over never "breaks" at
/// its first step.
fn first_break(client: String, base_over: bool, over: &[bool], rows: &[SweepRow]) -> FirstBreak {
    let mut before = base_over;
    let mut at = None;
    for (i, &now) in over.iter().enumerate() {
        if now && !before {
            at = Some(i);
            break;
        }
        before = now;
    }
    FirstBreak {
        client,
        step: at.map(|i| rows[i].step),
        already_over: base_over,
        range_starts_over: at == Some(0) && rows[0].step > 0,
    }
}

/// Parses `START..END:STEP` (END included), e.g. `0..400:10`; `START..END` steps by 1.
pub fn parse_steps(text: &str) -> Result<Vec<usize>, String> {
    let bad = || {
        format!("'{text}' is not a range; write START..END:STEP, e.g. 0..400:10 (END is included)")
    };
    let (range, step) = match text.split_once(':') {
        Some((r, s)) => (r, s.trim().parse::<usize>().map_err(|_| bad())?),
        None => (text, 1),
    };
    let (start, end) = range.split_once("..").ok_or_else(bad)?;
    let start: usize = start.trim().parse().map_err(|_| bad())?;
    let end: usize = end.trim().parse().map_err(|_| bad())?;
    if step == 0 || end < start {
        return Err(bad());
    }
    if (end - start) / step > 100_000 {
        return Err(format!(
            "'{text}' has more than 100,000 steps; use a larger STEP"
        ));
    }
    Ok((start..=end).step_by(step).collect())
}
