//! Sweeps: the same change at growing sizes (0, 10, 20, ... spokes), one analysis per step, run
//! in parallel; rows come back in step order, so the output equals a serial run.

use rayon::prelude::*;
use serde::Serialize;

use super::apply::{apply_checked, apply_with, free_prefixes, AzureLimits, MAX_NEW_PREFIXES};
use super::scenario::*;
use crate::engine::{analyze, Status};
use crate::model::{Topology, TopologyError};
use crate::prefix::{IpNet, PrefixSet};
use crate::verdicts::findings::{resource_measures, Measure};

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

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SweepRow {
    pub step: usize,
    pub advertised: usize,
    pub clients: Vec<SweepCell>,
    /// Azure resource limits this step exceeds (codes, e.g. `LIM002`): Azure would refuse it.
    pub rejected: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SweepCell {
    pub client: String,
    pub selectors: Option<usize>,
    pub limit: Option<usize>,
    pub status: String,
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

/// Runs the sweep: grows `kind` on `hub` (a VNet or gateway name) and reports, per step, the
/// clients of `watch` (a gateway or VNet name; default: the hub's own gateway, which then must
/// have P2S). Watching another gateway shows how growth on one hub reaches the P2S clients of a
/// BGP neighbour.
pub fn sweep(
    topology: &Topology,
    hub: &str,
    watch: Option<&str>,
    kind: &SweepKind,
    steps: &[usize],
) -> Result<SweepResult, TopologyError> {
    sweep_with(topology, hub, watch, kind, steps, Strategy::Incremental)
}

/// How a sweep computes its steps: the result is the same either way (a property test holds
/// them equal on random topologies and ranges); only the time differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Each step from the previous one's state where that is exact (see [`incremental`]),
    /// otherwise [`Strategy::FromScratch`].
    Incremental,
    /// Every step applied to the unchanged topology and analysed in full, in parallel.
    FromScratch,
}

/// [`sweep`] with a chosen [`Strategy`] (tests and benches compare the two).
pub fn sweep_with(
    topology: &Topology,
    hub: &str,
    watch: Option<&str>,
    kind: &SweepKind,
    steps: &[usize],
    strategy: Strategy,
) -> Result<SweepResult, TopologyError> {
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
    // Addresses for the largest step, taken once, so every step adds a prefix of the same list.
    let pool = match kind {
        SweepKind::Spokes { .. } => Vec::new(),
        _ => free_prefixes(topology, 24, max)?,
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
    // The steps differ only in how many units they add, under the same names: when the
    // largest builds, every step does (the builder checks it once, not per step).
    apply_checked(topology, &scenario_for(max), "sweep", AzureLimits::Report)?;
    // Every step gets the same pipeline: routes and the Azure resource limits. Steps past a
    // limit Azure enforces at deployment (peerings per VNet) are built and marked rejected.
    let step = |n: usize| {
        apply_with(topology, &scenario_for(n), "sweep", AzureLimits::Report)
            .map(|t| StepState::of(&t, &watched.name))
    };
    let base = StepState::of(topology, &watched.name);
    let incremental_holds = strategy == Strategy::Incremental
        && incremental_pays(steps)
        && fresh_units(topology, kind, max, &pool);
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
            rejected: state.rejected(),
            clients: state.clients,
        })
        .collect();
    let base_rejected = base.rejected();
    let base_cells = base.clients;
    let kinds: Vec<String> = rows
        .first()
        .map(|r| r.clients.iter().map(|c| c.client.clone()).collect())
        .unwrap_or_default();
    let over = |clients: &[SweepCell], client: &str| {
        clients
            .iter()
            .any(|c| c.client == client && c.status == Status::OverLimit.as_str())
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

/// What a sweep reads off one step: the watched gateway's row and every resource limit.
#[derive(Clone, Debug, PartialEq)]
struct StepState {
    advertised: usize,
    clients: Vec<SweepCell>,
    measures: Vec<Measure>,
}

impl StepState {
    fn of(topology: &Topology, watched: &str) -> StepState {
        let analysis = analyze(topology);
        let gateway = analysis.gateways.iter().find(|g| g.name == watched);
        StepState {
            advertised: gateway.map_or(0, |g| g.advertised.len()),
            clients: gateway
                .map(|g| {
                    g.clients
                        .iter()
                        .map(|c| SweepCell {
                            client: c.kind.id.to_string(),
                            selectors: c.selectors,
                            limit: c.limit,
                            status: c.status.as_str().to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            measures: resource_measures(topology, &analysis),
        }
    }

    /// The resource-limit codes this state is over, sorted, once each.
    fn rejected(&self) -> Vec<String> {
        dedup(
            self.measures
                .iter()
                .filter(|m| m.is_over())
                .map(|m| m.code.to_string())
                .collect(),
        )
    }
}

/// Whether every prefix the largest step adds (a step of `n` units takes the first
/// `n × per unit` of them) is distinct and new to the whole topology: otherwise a step could
/// add a prefix the topology already has, and the incremental rule would not hold.
fn fresh_units(topology: &Topology, kind: &SweepKind, max: usize, pool: &[IpNet]) -> bool {
    let spokes;
    let units = match kind {
        SweepKind::Spokes { prefixes_per_spoke } => {
            let Some(n) = max.checked_mul(*prefixes_per_spoke) else {
                return false;
            };
            // What `add_spokes` without a base takes: the lowest free blocks, in order.
            match free_prefixes(topology, 24, n) {
                Ok(blocks) if n <= MAX_NEW_PREFIXES => spokes = blocks,
                _ => return false,
            }
            &spokes
        }
        _ => pool,
    };
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
                (a.client == b.client && a.limit == b.limit).then_some(())?;
                match (a.selectors, b.selectors) {
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
        StepState {
            advertised: first.advertised + k * self.advertised,
            clients: first
                .clients
                .iter()
                .zip(&self.selectors)
                .map(|(c, d)| {
                    let selectors = c.selectors.zip(*d).map(|(n, d)| n + k * d);
                    let over = matches!((selectors, c.limit), (Some(n), Some(max)) if n > max);
                    SweepCell {
                        client: c.client.clone(),
                        selectors,
                        limit: c.limit,
                        status: if over { Status::OverLimit } else { Status::Ok }
                            .as_str()
                            .to_string(),
                    }
                })
                .collect(),
            measures: first
                .measures
                .iter()
                .zip(&self.measures)
                .map(|(m, d)| Measure {
                    count: m.count + k * d,
                    ..m.clone()
                })
                .collect(),
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
