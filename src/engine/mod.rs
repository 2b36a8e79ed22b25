//! The routing engine: for every gateway with a P2S configuration, what it offers its clients,
//! what each kind of client installs and counts, and what is really reachable.
//!
//! The model is spec §0 (`../shared/spec/azure-p2s.md`):
//! - `advertised` (the IKEv2 traffic-selector list) = own VNet prefixes ∪ transit peers ∪ pool
//!   entries (split when SSTP and IKEv2 are both on) ∪ directly connected local networks (IPsec)
//!   and remote VNets (Vnet2Vnet, both directions) ∪ BGP-learned ∪ custom routes.
//! - BGP-learned: every gateway of this gateway's BGP domain contributes its VNet, its transit
//!   spokes and its local networks; default routes and anything overlapping an own VNet prefix
//!   are dropped (FAQ, BGP section).
//! - Windows native clients install the package snapshot (own VNet, transit peers, pool, custom
//!   routes) but negotiate the whole `advertised` list; everyone else installs `advertised`.
//! - `reachable` = own VNet ∪ transit peers ∪ networks whose whole path runs BGP (so they have a
//!   route back to the pool). What a client can reach but does not install is a manual route.
//!
//! The engine does no I/O and never panics on a [`Topology`]: names that do not resolve are
//! ignored here (the builder and the findings report them).

mod graph;
mod pool;
mod prefix_list;
mod route_set;

use std::sync::Arc;

use rayon::prelude::*;

pub use pool::{PoolSplit, PoolView, SSTP_MAX_CLIENTS};
pub use route_set::RouteSet;

use crate::facts::clients::{ClientKind, Counting, RouteView, CLIENT_KINDS};
use crate::model::{Topology, TunnelType};
use crate::prefix::{sort_nets, IpNet, PrefixSet};
use graph::Graph;
use prefix_list::PrefixList;
use route_set::{contained_in_from, overlapping, Own};

/// The result for a whole topology.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Gateways with a P2S configuration, in file order.
    pub gateways: Vec<GatewayAnalysis>,
    /// Per VNet (index in `topology.vnets`): its transit spokes, sorted (spec §5, `graph`'s
    /// rule). The findings read them from here, so the rule is applied once.
    pub transit_spokes: Vec<Vec<usize>>,
}

/// One gateway with a P2S configuration.
#[derive(Clone, Debug)]
pub struct GatewayAnalysis {
    pub name: String,
    pub vnet: String,
    pub pool: PoolView,
    /// The authentication types of the P2S configuration (sorted): a change needs a new
    /// profile for every client (FAQ, spec §6).
    pub auth_types: Vec<crate::model::AuthType>,
    /// The IKEv2 traffic selectors the gateway proposes (spec §0.1): its own routes, and the
    /// routes learned over BGP as the kept part of its domain's shared list
    /// ([`RouteSet::shared_len`], [`RouteSet::shared_overlapping`]).
    pub advertised: RouteSet,
    /// The Windows native package snapshot: own VNet, transit peers, pool, custom routes.
    pub package: RouteSet,
    /// What a client can actually reach (spec §0.4).
    pub reachable: RouteSet,
    pub clients: Vec<ClientAnalysis>,
    /// Distinct VNet prefixes the gateway serves: own VNet and transit peers (limit 600, spec §2).
    pub vnet_prefixes: usize,
    /// Which undocumented or contested rules this result relies on.
    pub assumptions: Vec<Assumption>,
}

/// One client kind on one gateway.
#[derive(Clone, Debug)]
pub struct ClientAnalysis {
    pub kind: &'static ClientKind,
    pub check: LimitCheck,
    /// Reachable prefixes this client does not install by itself.
    pub manual_routes: RouteSet,
}

/// A client kind's count against its limit on one gateway: the one verdict on limits that the
/// analysis, the report's client entry, each side of a comparison and each sweep step carry
/// (serialized inline: `selectors`, `limit`, `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct LimitCheck {
    /// What the limit counts (selectors or routes); none (`null`) where nothing is counted.
    pub selectors: Option<usize>,
    /// The kind's limit; none (`null`) where nothing is counted.
    pub limit: Option<usize>,
    pub status: Status,
}

impl LimitCheck {
    /// `counted` against `limit`: over it only when both are known and the count exceeds it
    /// (a limit is the most that still works).
    pub fn new(counted: Option<usize>, limit: Option<usize>) -> LimitCheck {
        let limit = limit.filter(|_| counted.is_some());
        let status = match (counted, limit) {
            (Some(n), Some(max)) if n > max => Status::OverLimit,
            _ => Status::Ok,
        };
        LimitCheck {
            selectors: counted,
            limit,
            status,
        }
    }

    pub fn is_over(&self) -> bool {
        self.status == Status::OverLimit
    }

    /// The count against the limit as a table shows it: `93 / 255`, `n/a` where nothing is
    /// counted.
    pub fn count_text(&self) -> String {
        match (self.selectors, self.limit) {
            (Some(n), Some(max)) => format!("{n} / {max}"),
            (Some(n), None) => n.to_string(),
            (None, _) => "n/a".into(),
        }
    }
}

/// Serialized as `ok` and `over-limit`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    OverLimit,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::OverLimit => "over-limit",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule the result depends on that the Azure docs leave open (spec §1a, §2, §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    /// Stable identifier.
    pub code: &'static str,
    pub text: String,
}

impl GatewayAnalysis {
    /// The routes a client of this kind installs.
    pub fn routes(&self, client: &ClientAnalysis) -> &RouteSet {
        match client.kind.routes {
            RouteView::Package => &self.package,
            RouteView::Advertised => &self.advertised,
        }
    }
}

/// Shared per BGP domain: what its gateways advertise to BGP peers and what is reachable through
/// it. Default routes are already removed.
struct Domain {
    advertised: Arc<PrefixList>,
    reachable: Arc<PrefixList>,
    members: usize,
}

fn is_default_route(p: &IpNet) -> bool {
    p.prefix_len() == 0
}

fn sorted(mut list: Vec<IpNet>) -> PrefixList {
    sort_nets(&mut list);
    list.dedup();
    PrefixList::from_sorted(list)
}

/// Runs the whole analysis.
pub fn analyze(topology: &Topology) -> Analysis {
    let graph = Graph::new(topology);
    let domains: Vec<Domain> = graph
        .domains
        .par_iter()
        .map(|members| build_domain(topology, &graph, members))
        .collect();
    let gateways = topology
        .vnets
        .par_iter()
        .enumerate()
        .filter_map(|(v, vnet)| {
            let gw = vnet.gateway.as_ref()?;
            gw.p2s.as_ref()?;
            Some(analyze_gateway(
                topology,
                &graph,
                &domains[graph.domain_of[v]],
                v,
            ))
        })
        .collect();
    Analysis {
        gateways,
        transit_spokes: graph.transit_spokes,
    }
}

fn build_domain(topology: &Topology, graph: &Graph, members: &[usize]) -> Domain {
    let links = || members.iter().flat_map(|&v| graph.local_links[v].iter());
    // Every member's VNet and transit spokes, and its local networks (only those that run BGP
    // unless `with_static`), sorted, without default routes.
    let list = |with_static: bool| {
        let mut list: Vec<IpNet> = members
            .iter()
            .flat_map(|&v| std::iter::once(v).chain(graph.transit_spokes[v].iter().copied()))
            .flat_map(|s| topology.vnets[s].address_space.iter().copied())
            .collect();
        for &(l, bgp) in links() {
            if bgp || with_static {
                list.extend(topology.local_networks[l].address_space.iter().copied());
            }
        }
        list.retain(|p| !is_default_route(p));
        Arc::new(sorted(list))
    };
    let advertised = list(true);
    // Reachable is advertised without what only static links bring. With no static link the two
    // are the same list: share it rather than build and sort a second copy of a list that can
    // hold a million prefixes.
    let reachable = if links().any(|&(_, bgp)| !bgp) {
        list(false)
    } else {
        Arc::clone(&advertised)
    };
    Domain {
        advertised,
        reachable,
        members: members.len(),
    }
}

/// Index ranges of `shared` that overlap any of `own`: what BGP never hands this gateway.
fn overlapping_own(shared: &PrefixList, own: &[IpNet]) -> Vec<std::ops::Range<usize>> {
    own.iter().flat_map(|o| overlapping(shared, o)).collect()
}

fn analyze_gateway(
    topology: &Topology,
    graph: &Graph,
    domain: &Domain,
    v: usize,
) -> GatewayAnalysis {
    let vnet = &topology.vnets[v];
    let gw = vnet.gateway.as_ref().expect("caller checked");
    let p2s = gw.p2s.as_ref().expect("caller checked");
    let own = &vnet.address_space;
    let spokes: Vec<IpNet> = graph.transit_spokes[v]
        .iter()
        .flat_map(|&s| topology.vnets[s].address_space.iter().copied())
        .collect();
    let pool = PoolView::of(p2s);
    let pool_entries = pool.entries();

    // Directly connected networks: offered to clients (statics, unfiltered); reachable only
    // when the connection runs BGP, so the far side learns the way back to the pool.
    let mut direct = Vec::new();
    let mut direct_bgp = Vec::new();
    let mut static_links = Vec::new();
    let links = graph.local_links[v]
        .iter()
        .map(|&(l, bgp)| {
            let lng = &topology.local_networks[l];
            (&lng.address_space, bgp, ("local network '", &lng.name, "'"))
        })
        .chain(graph.gateway_links[v].iter().map(|&(r, bgp)| {
            let remote = &topology.vnets[r];
            (
                &remote.address_space,
                bgp,
                ("VNet '", &remote.name, "' (Vnet2Vnet)"),
            )
        }));
    for (space, bgp, (before, name, after)) in links {
        direct.extend(space.iter().copied());
        if bgp {
            direct_bgp.extend(space.iter().copied());
        } else {
            static_links.push(format!("{before}{name}{after}"));
        }
    }

    // The VNet prefixes the gateway serves: one list for the package, advertised and reachable
    // sets (on a hub with many spokes it is most of what each holds).
    let base: Arc<PrefixList> = Arc::new(sorted(own.iter().chain(&spokes).copied().collect()));
    let vnet_prefixes = base.len();
    let package_extra: Vec<IpNet> = pool_entries
        .iter()
        .chain(&gw.custom_routes)
        .copied()
        .collect();
    let advertised_local = Own::new(
        Arc::clone(&base),
        package_extra.iter().chain(&direct).copied().collect(),
    );

    let dropped_advertised = overlapping_own(&domain.advertised, own);
    let dropped_reachable = if Arc::ptr_eq(&domain.advertised, &domain.reachable) {
        dropped_advertised.clone()
    } else {
        overlapping_own(&domain.reachable, own)
    };
    let advertised = RouteSet::with_shared(
        advertised_local,
        Arc::clone(&domain.advertised),
        dropped_advertised,
    );
    let reachable = RouteSet::with_shared(
        Own::new(Arc::clone(&base), direct_bgp),
        Arc::clone(&domain.reachable),
        dropped_reachable,
    );
    let package = RouteSet::from_own(Own::new(base, package_extra));

    // What Windows can reach but does not install: reachable minus what the package covers. A
    // shared entry is covered iff it lies inside one prefix of the package's aggregate.
    let package_cover = PrefixSet::from_prefixes(package.iter());
    // The cover's prefixes are ascending and disjoint: each search starts where the last ended.
    let mut from = 0;
    let covered: Vec<_> = package_cover
        .to_prefixes()
        .iter()
        .map(|p| {
            let r = contained_in_from(reachable.shared(), p, from);
            from = r.end;
            r
        })
        .collect();
    let windows_manual = reachable.without(covered, |p| package_cover.covers(p));

    let clients = CLIENT_KINDS
        .iter()
        .filter(|k| p2s.has(k.tunnel))
        .map(|kind| {
            let counted = match kind.counting {
                Counting::Selectors => Some(advertised.len()),
                Counting::Routes => Some(match kind.routes {
                    RouteView::Package => package.len(),
                    RouteView::Advertised => advertised.len(),
                }),
                Counting::Nothing => None,
            };
            // `reachable` ⊆ `advertised` by construction (same sources, same filter), so clients
            // that install `advertised` need nothing by hand.
            let manual_routes = match kind.routes {
                RouteView::Package => windows_manual.clone(),
                RouteView::Advertised => RouteSet::default(),
            };
            ClientAnalysis {
                kind,
                check: LimitCheck::new(counted, kind.limit),
                manual_routes,
            }
        })
        .collect();

    let assumptions = assumptions(gw, p2s, &pool, &static_links, domain, &advertised, &package);
    GatewayAnalysis {
        name: gw.name.clone(),
        vnet: vnet.name.clone(),
        pool,
        auth_types: p2s.auth_types.clone(),
        advertised,
        package,
        reachable,
        clients,
        vnet_prefixes,
        assumptions,
    }
}

fn assumptions(
    gw: &crate::model::Gateway,
    p2s: &crate::model::P2s,
    pool: &PoolView,
    static_links: &[String],
    domain: &Domain,
    advertised: &RouteSet,
    package: &RouteSet,
) -> Vec<Assumption> {
    let mut out: Vec<Assumption> = gw
        .assumed
        .iter()
        .map(|text| Assumption {
            code: "input-default",
            text: text.clone(),
        })
        .collect();
    if let Some(split) = pool.split.as_ref().filter(|s| s.undocumented) {
        out.push(Assumption {
            code: "pool-split-undocumented",
            text: format!(
                "SSTP and IKEv2 share a pool the docs do not cover (larger than /24 or several \
                 prefixes): SSTP gets the first {SSTP_MAX_CLIENTS} addresses of each prefix \
                 (at most half), IKEv2 the rest, offered as {} + {} selectors (spec §4)",
                split.sstp.len(),
                split.ikev2.len()
            ),
        });
    }
    if !static_links.is_empty() {
        out.push(Assumption {
            code: "static-links-not-reachable",
            text: format!(
                "prefixes of connections without BGP ({}) are offered to non-Windows clients but \
                 are not reachable: the far side has no route back to the pool (spec §0.5, §1a)",
                static_links.join(", ")
            ),
        });
    }
    if domain.members > 1 && gw.bgp.is_some() {
        out.push(Assumption {
            code: "bgp-domain",
            text: format!(
                "BGP-learned prefixes come from {} other gateway(s) reached over chains of \
                 BGP-enabled connections (Vnet2Vnet links, or a local network running BGP with \
                 several gateways): their VNets, transit spokes and local networks, without \
                 default routes or prefixes overlapping this VNet (spec §6)",
                domain.members - 1
            ),
        });
    }
    if p2s.has(TunnelType::IkeV2) && advertised.len() != package.len() {
        out.push(Assumption {
            code: "windows-counts-advertised",
            text: format!(
                "Windows installs the {} package routes but must accept all {} advertised traffic \
                 selectors, so its limit is checked against {} (spec §0.2)",
                package.len(),
                advertised.len(),
                advertised.len()
            ),
        });
    }
    if !gw.custom_routes.is_empty() {
        out.push(Assumption {
            code: "custom-routes-counted",
            text: "custom routes are pushed as routes, so they count toward every limit \
                   (undocumented, spec §2)"
                .to_string(),
        });
    }
    out
}
