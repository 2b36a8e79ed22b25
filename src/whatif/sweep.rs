//! Sweeps: the same change at growing sizes (0, 10, 20, ... spokes), one analysis per step, run
//! in parallel; rows come back in step order, so the output equals a serial run.

use rayon::prelude::*;
use serde::Serialize;

use super::apply::{apply, free_prefixes};
use super::scenario::*;
use crate::routing::{analyze, Analysis, Status};
use crate::topology::{Topology, TopologyError};

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
    pub client: String,
    /// `None` when no step breaks it.
    pub step: Option<usize>,
}

fn err(message: String) -> TopologyError {
    TopologyError {
        file: "sweep".into(),
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
    let find = |name: &str| {
        topology
            .vnets
            .iter()
            .find(|v| v.name == name || v.gateway.as_ref().is_some_and(|g| g.name == name))
    };
    let vnet = find(hub).ok_or_else(|| err(format!("no VNet or gateway named '{hub}' (--hub)")))?;
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
                    "'{name}' is not a gateway with a P2S configuration (--gateway); P2S gateways: {}",
                    p2s_gateways()
                ))
            })?,
        None => vnet.gateway.as_ref().filter(|g| g.p2s.is_some()).ok_or_else(|| {
            err(format!(
                "VNet '{}' has no gateway with a P2S configuration: name the gateway whose clients \
                 to watch with --gateway (P2S gateways: {})",
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
                "VNet '{}' has no gateway to connect a local network or add custom routes to",
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
    let analyses: Vec<Analysis> = steps
        .par_iter()
        .map(|&n| apply(topology, &scenario_for(n), "sweep").map(|t| analyze(&t)))
        .collect::<Result<_, _>>()?;
    let rows: Vec<SweepRow> = steps
        .iter()
        .zip(&analyses)
        .map(|(&step, a)| {
            let g = a
                .gateways
                .iter()
                .find(|g| g.name == watched.name)
                .expect("a sweep never removes the watched gateway");
            SweepRow {
                step,
                advertised: g.advertised.len(),
                clients: g
                    .clients
                    .iter()
                    .map(|c| SweepCell {
                        client: c.kind.id.to_string(),
                        selectors: c.selectors,
                        limit: c.limit,
                        status: c.status.as_str().to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    let kinds: Vec<String> = rows
        .first()
        .map(|r| r.clients.iter().map(|c| c.client.clone()).collect())
        .unwrap_or_default();
    let first_breaking = kinds
        .into_iter()
        .map(|client| FirstBreak {
            step: rows
                .iter()
                .find(|r| {
                    r.clients
                        .iter()
                        .any(|c| c.client == client && c.status == Status::OverLimit.as_str())
                })
                .map(|r| r.step),
            client,
        })
        .collect();
    Ok(SweepResult {
        hub: vnet.name.clone(),
        gateway: watched.name.clone(),
        adding: kind.name().to_string(),
        rows,
        first_breaking,
    })
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
