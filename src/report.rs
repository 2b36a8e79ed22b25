//! The serializable result of an analysis: the one shape every output format is drawn from.
//!
//! Field names are part of the interface (`--format json`, batch JSON Lines) and stay stable.
//! Route lists longer than [`ListLimit`] are left out (`null`) and only their count is given, so a
//! topology with a million prefixes still gives a readable report; `--full` prints everything.

use serde::Serialize;

use crate::findings::GatewayCapacity;
use crate::population::{Impact, Population};
use crate::prefix::IpNet;
use crate::routing::{Analysis, ClientAnalysis, GatewayAnalysis, RouteSet};

/// How many prefixes a list may have before only its count is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListLimit(pub Option<usize>);

impl Default for ListLimit {
    fn default() -> Self {
        ListLimit(Some(10_000))
    }
}

impl ListLimit {
    pub const UNLIMITED: ListLimit = ListLimit(None);

    fn list(self, set: &RouteSet) -> Option<Vec<String>> {
        match self.0 {
            Some(max) if set.len() > max => None,
            _ => Some(set.iter().map(|p| p.to_string()).collect()),
        }
    }
}

fn texts(list: &[IpNet]) -> Vec<String> {
    list.iter().map(|p| p.to_string()).collect()
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub gateways: Vec<GatewayReport>,
    pub findings: Vec<FindingReport>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GatewayReport {
    pub name: String,
    pub vnet: String,
    pub pool: PoolReport,
    /// `None` when longer than the list limit; see `advertised_count`.
    pub advertised: Option<Vec<String>>,
    pub advertised_count: usize,
    pub clients: Vec<ClientReport>,
    pub assumptions: Vec<AssumptionReport>,
    /// How many clients of each protocol can connect (SKU and pool), see `findings::capacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<GatewayCapacity>,
    /// With `--clients`: the share of users who cannot connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<Impact>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PoolReport {
    pub prefixes: Vec<String>,
    pub sstp: Option<Vec<String>>,
    pub ikev2: Option<Vec<String>>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClientReport {
    pub client: String,
    pub routes: Option<Vec<String>>,
    pub route_count: usize,
    pub selectors: Option<usize>,
    pub limit: Option<usize>,
    pub status: String,
    pub reachable: Option<Vec<String>>,
    pub reachable_count: usize,
    pub manual_routes: Option<Vec<String>>,
    pub manual_route_count: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AssumptionReport {
    pub code: String,
    pub text: String,
}

/// A configuration finding (filled by the findings rules).
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FindingReport {
    pub code: String,
    pub severity: String,
    pub subject: String,
    pub message: String,
    pub source: String,
}

impl Report {
    pub fn new(analysis: &Analysis, findings: Vec<FindingReport>, limit: ListLimit) -> Report {
        Report {
            gateways: analysis
                .gateways
                .iter()
                .map(|g| GatewayReport::new(g, limit))
                .collect(),
            findings,
        }
    }

    /// Adds the population impact to every gateway (the analysis the report was made from).
    pub fn with_population(
        mut self,
        analysis: &Analysis,
        population: Option<&Population>,
    ) -> Report {
        if let Some(population) = population {
            for (report, gateway) in self.gateways.iter_mut().zip(&analysis.gateways) {
                report.population = Some(population.impact(gateway));
            }
        }
        self
    }

    /// Attaches each gateway's capacity (matched by gateway name).
    pub fn with_capacity(mut self, capacity: Vec<GatewayCapacity>) -> Report {
        for c in capacity {
            if let Some(g) = self.gateways.iter_mut().find(|g| g.name == c.gateway) {
                g.capacity = Some(c);
            }
        }
        self
    }

    /// How many (gateway, client kind) pairs are over their limit.
    pub fn over_limit_count(&self) -> usize {
        self.gateways
            .iter()
            .flat_map(|g| &g.clients)
            .filter(|c| c.status != "ok")
            .count()
    }

    /// True when any client of any gateway is over its limit.
    pub fn any_over_limit(&self) -> bool {
        self.over_limit_count() > 0
    }
}

impl GatewayReport {
    fn new(g: &GatewayAnalysis, limit: ListLimit) -> GatewayReport {
        GatewayReport {
            name: g.name.clone(),
            vnet: g.vnet.clone(),
            pool: PoolReport {
                prefixes: texts(&g.pool.prefixes),
                sstp: g.pool.split.as_ref().map(|s| texts(&s.sstp)),
                ikev2: g.pool.split.as_ref().map(|s| texts(&s.ikev2)),
            },
            advertised: limit.list(&g.advertised),
            advertised_count: g.advertised.len(),
            clients: g.clients.iter().map(|c| client(g, c, limit)).collect(),
            assumptions: g
                .assumptions
                .iter()
                .map(|a| AssumptionReport {
                    code: a.code.to_string(),
                    text: a.text.clone(),
                })
                .collect(),
            capacity: None,
            population: None,
        }
    }
}

fn client(g: &GatewayAnalysis, c: &ClientAnalysis, limit: ListLimit) -> ClientReport {
    let routes = g.routes(c);
    ClientReport {
        client: c.kind.id.to_string(),
        routes: limit.list(routes),
        route_count: routes.len(),
        selectors: c.selectors,
        limit: c.limit,
        status: c.status.as_str().to_string(),
        reachable: limit.list(&g.reachable),
        reachable_count: g.reachable.len(),
        manual_routes: limit.list(&c.manual_routes),
        manual_route_count: c.manual_routes.len(),
    }
}
