//! Before/after comparison of two analyses: selectors, status and routes per gateway and client,
//! the client kinds whose status changed, and who must download the VPN profile again.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::engine::{Analysis, ClientAnalysis, GatewayAnalysis, LimitCheck, RouteSet, Status};
use crate::prefix::{net_text, IpNet};
use crate::report::ListLimit;
use crate::verdicts::changes::KindChange;
use crate::verdicts::Verdict;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comparison {
    pub gateways: Vec<GatewayChange>,
    /// Every (gateway, client) whose status differs, including clients that appear or vanish.
    pub status_changes: Vec<StatusChange>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GatewayChange {
    pub name: String,
    pub advertised_before: Option<usize>,
    pub advertised_after: Option<usize>,
    pub clients: Vec<ClientChange>,
    /// Client kinds that must download and install the VPN client profile again.
    pub redownload: Vec<String>,
    /// Why, in a sentence (empty when nobody needs to).
    pub redownload_reason: String,
    /// Files of the gateway's VPN client package the change makes stale (package paths;
    /// folders end with `/`), see [`crate::profile::changes`].
    pub stale_profile_files: Vec<String>,
}

/// One side of a client's comparison: its selectors against its limit and its verdict, the
/// status and verdict enums the report has (serialized `ok` / `over-limit` and `connects` /
/// `partial` / `fails`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClientSide {
    #[serde(flatten)]
    pub check: LimitCheck,
    /// Set by [`Comparison::with_verdicts`] (see [`crate::verdicts`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClientChange {
    pub client: String,
    pub before: Option<ClientSide>,
    pub after: Option<ClientSide>,
    pub routes_added: Option<Vec<String>>,
    pub routes_added_count: usize,
    pub routes_removed: Option<Vec<String>>,
    pub routes_removed_count: usize,
}

/// A client kind whose status (`ok`, `over-limit`) differs before and after.
pub type StatusChange = KindChange<Status>;

/// The cells a table shows for one side of a client's comparison.
pub struct SideCells {
    /// [`LimitCheck::count_text`].
    pub count: String,
    pub status: String,
    /// `-` before verdicts are added.
    pub verdict: String,
}

impl ClientSide {
    /// A side's cells, `absent` in each where the kind is not offered on that side.
    pub fn cells(side: Option<&ClientSide>) -> SideCells {
        match side {
            None => SideCells {
                count: "absent".into(),
                status: "absent".into(),
                verdict: "absent".into(),
            },
            Some(s) => SideCells {
                count: s.check.count_text(),
                status: s.check.status.to_string(),
                verdict: s.verdict.map_or_else(|| "-".into(), |v| v.to_string()),
            },
        }
    }
}

fn side(c: &ClientAnalysis) -> ClientSide {
    ClientSide {
        check: c.check,
        verdict: None,
    }
}

impl Comparison {
    /// Fills every client side's verdict from the verdicts of the two analyses (by gateway
    /// name and client kind).
    pub fn with_verdicts(
        mut self,
        before: &[crate::verdicts::GatewayVerdicts],
        after: &[crate::verdicts::GatewayVerdicts],
    ) -> Comparison {
        let find = |list: &[crate::verdicts::GatewayVerdicts], gw: &str, client: &str| {
            list.iter()
                .find(|g| g.gateway == gw)
                .and_then(|g| g.client(client))
                .map(|c| c.judgement.verdict)
        };
        for g in &mut self.gateways {
            for c in &mut g.clients {
                if let Some(side) = &mut c.before {
                    side.verdict = find(before, &g.name, &c.client);
                }
                if let Some(side) = &mut c.after {
                    side.verdict = find(after, &g.name, &c.client);
                }
            }
        }
        self
    }
}

/// Differences already computed. Shared-list differences by the addresses of the two shared
/// lists: every gateway of a BGP domain shares them, so each pair is diffed once, not once per
/// gateway. Listed differences by the addresses of the two route sets: a gateway's client kinds
/// install one of its two sets (package or advertised), so a dozen kinds need at most four
/// lists. Every route set compared lives as long as the comparison, so an address names one set.
#[derive(Default)]
struct DomainDiffs {
    shared: HashMap<(usize, usize), Vec<IpNet>>,
    listed: HashMap<(usize, usize), Vec<String>>,
}

impl DomainDiffs {
    /// Prefixes in `b` but not in `a`, as text.
    fn missing_from(&mut self, a: &RouteSet, b: &RouteSet) -> Vec<String> {
        let sets = (
            std::ptr::from_ref(b) as usize,
            std::ptr::from_ref(a) as usize,
        );
        if let Some(list) = self.listed.get(&sets) {
            return list.clone();
        }
        let key = (b.learned_list_id(), a.learned_list_id());
        let new_shared = self.shared.entry(key).or_insert_with(|| b.shared_minus(a));
        let list: Vec<String> = b.added_since(a, new_shared).iter().map(net_text).collect();
        self.listed.insert(sets, list.clone());
        list
    }
}

fn limited(list: Vec<String>, limit: ListLimit) -> (Option<Vec<String>>, usize) {
    let n = list.len();
    match limit.0 {
        Some(max) if n > max => (None, n),
        _ => (Some(list), n),
    }
}

/// Compares the analysis of a topology before and after a change.
pub fn compare<'a>(before: &'a Analysis, after: &'a Analysis, limit: ListLimit) -> Comparison {
    let names: Vec<&str> = {
        // After-order first, then gateways that disappeared, so output order is defined.
        let mut seen = BTreeSet::new();
        after
            .gateways
            .iter()
            .chain(&before.gateways)
            .map(|g| g.name.as_str())
            .filter(|n| seen.insert(*n))
            .collect()
    };
    let mut status_changes = Vec::new();
    let mut diffs = DomainDiffs::default();
    // The routes of a client kind a side lacks; one set for the whole comparison (see
    // `DomainDiffs`).
    let empty = RouteSet::default();
    let by_name = |list: &'a [GatewayAnalysis]| -> HashMap<&'a str, &'a GatewayAnalysis> {
        list.iter().map(|g| (g.name.as_str(), g)).collect()
    };
    let (before_by_name, after_by_name) = (by_name(&before.gateways), by_name(&after.gateways));
    let gateways = names
        .into_iter()
        .map(|name| {
            let b = before_by_name.get(name).copied();
            let a = after_by_name.get(name).copied();
            gateway_change(name, b, a, limit, &mut status_changes, &mut diffs, &empty)
        })
        .collect();
    status_changes.sort();
    Comparison {
        gateways,
        status_changes,
    }
}

fn gateway_change(
    name: &str,
    before: Option<&GatewayAnalysis>,
    after: Option<&GatewayAnalysis>,
    limit: ListLimit,
    status_changes: &mut Vec<StatusChange>,
    diffs: &mut DomainDiffs,
    empty: &RouteSet,
) -> GatewayChange {
    let kinds: Vec<&'static str> = crate::facts::clients::CLIENT_KINDS
        .iter()
        .map(|k| k.id)
        .filter(|id| {
            [before, after]
                .iter()
                .flatten()
                .any(|g| g.clients.iter().any(|c| c.kind.id == *id))
        })
        .collect();
    let mut clients = Vec::new();
    for id in kinds {
        let cb = before.and_then(|g| g.clients.iter().find(|c| c.kind.id == id).map(|c| (g, c)));
        let ca = after.and_then(|g| g.clients.iter().find(|c| c.kind.id == id).map(|c| (g, c)));
        let rb = cb.map(|(g, c)| g.routes(c)).unwrap_or(empty);
        let ra = ca.map(|(g, c)| g.routes(c)).unwrap_or(empty);
        let (routes_added, routes_added_count) = limited(diffs.missing_from(rb, ra), limit);
        let (routes_removed, routes_removed_count) = limited(diffs.missing_from(ra, rb), limit);
        let status =
            |c: Option<(&GatewayAnalysis, &ClientAnalysis)>| c.map(|(_, c)| c.check.status);
        if status(cb) != status(ca) {
            status_changes.push(StatusChange {
                gateway: name.to_string(),
                client: id.to_string(),
                before: status(cb),
                after: status(ca),
            });
        }
        clients.push(ClientChange {
            client: id.to_string(),
            before: cb.map(|(_, c)| side(c)),
            after: ca.map(|(_, c)| side(c)),
            routes_added,
            routes_added_count,
            routes_removed,
            routes_removed_count,
        });
    }
    let (redownload, redownload_reason) = redownload(before, after);
    GatewayChange {
        name: name.to_string(),
        advertised_before: before.map(|g| g.advertised.len()),
        advertised_after: after.map(|g| g.advertised.len()),
        clients,
        redownload,
        redownload_reason,
        stale_profile_files: crate::profile::changes::stale_files(before, after),
    }
}

/// Spec §1 re-download rule: the Windows native package is a snapshot of own VNet, transit peers,
/// pool and custom routes; when it changes, Windows IKEv2/SSTP users must install it again. A new
/// tunnel type, authentication type or pool means a new profile for everyone (FAQ: profile
/// regeneration, spec §6).
fn redownload(
    before: Option<&GatewayAnalysis>,
    after: Option<&GatewayAnalysis>,
) -> (Vec<String>, String) {
    let Some(after) = after else {
        return (Vec::new(), String::new());
    };
    let kinds = |g: &GatewayAnalysis| g.clients.iter().map(|c| c.kind.id).collect::<Vec<_>>();
    let Some(before) = before else {
        return (
            kinds(after).iter().map(|s| s.to_string()).collect(),
            "the gateway has a new point-to-site configuration: every client needs the profile"
                .to_string(),
        );
    };
    let changed: Vec<&str> = [
        (kinds(before) != kinds(after), "tunnel types"),
        (
            before.auth_types != after.auth_types,
            "authentication types",
        ),
        (before.pool != after.pool, "pool"),
    ]
    .into_iter()
    .filter_map(|(changed, what)| changed.then_some(what))
    .collect();
    if !changed.is_empty() {
        return (
            kinds(after).iter().map(|s| s.to_string()).collect(),
            format!(
                "the P2S configuration changed ({}): generate and distribute the profile again \
                 to every client",
                changed.join(", ")
            ),
        );
    }
    if before.package != after.package {
        let windows: Vec<String> = after
            .clients
            .iter()
            .filter(|c| c.kind.windows_native)
            .map(|c| c.kind.id.to_string())
            .collect();
        if !windows.is_empty() {
            return (
                windows,
                "the Windows package routes changed (own VNet, transit peers, pool or custom \
                 routes): Windows native clients must download and install the package again \
                 (the peering article asks every P2S client to download again after a \
                 peering is configured; assumed, as the routing article says, that other \
                 clients get the routes when they connect, spec §1)"
                    .to_string(),
            );
        }
    }
    (Vec::new(), String::new())
}
