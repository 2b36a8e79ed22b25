//! What a change does to who can connect: client kinds whose verdict changes, and device groups
//! whose verdict or tunnel type (`via`) changes (`whatif`).

use serde::Serialize;

use super::{FleetReport, GatewayVerdicts};

/// A client kind whose verdict differs before and after (`absent`: tunnel type not offered).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct VerdictChange {
    pub gateway: String,
    pub client: String,
    pub before: String,
    pub after: String,
}

/// A device group whose verdict or `via` differs before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupChange {
    pub gateway: String,
    pub group: String,
    pub devices: u64,
    /// `absent` when the gateway has no P2S on that side.
    pub verdict_before: String,
    pub verdict_after: String,
    pub via_before: Option<String>,
    pub via_after: Option<String>,
}

impl GroupChange {
    /// One line: `gw group (N devices): before [via t] ARROW after [via t]`; text formats use
    /// `->`, HTML `→`.
    pub fn line(&self, arrow: &str) -> String {
        let via = |v: &Option<String>| v.as_ref().map(|t| format!(" via {t}")).unwrap_or_default();
        format!(
            "{} {} ({} devices): {}{} {arrow} {}{}",
            self.gateway,
            self.group,
            self.devices,
            self.verdict_before,
            via(&self.via_before),
            self.verdict_after,
            via(&self.via_after)
        )
    }
}

fn verdict_of(list: &[GatewayVerdicts], gateway: &str, client: &str) -> String {
    list.iter()
        .find(|g| g.gateway == gateway)
        .and_then(|g| g.client(client))
        .map_or("absent".to_string(), |c| {
            let v = c.judgement.verdict.as_str();
            match c.fallback {
                Some(f) => format!("{v} (falls back to {f})"),
                None => v.to_string(),
            }
        })
}

/// Every (gateway, client kind) whose verdict changes, sorted.
pub fn verdict_changes(
    before: &[GatewayVerdicts],
    after: &[GatewayVerdicts],
) -> Vec<VerdictChange> {
    let mut keys: Vec<(&str, &str)> = before
        .iter()
        .chain(after)
        .flat_map(|g| {
            g.clients
                .iter()
                .map(move |c| (g.gateway.as_str(), c.client))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|(gw, client)| {
            let (b, a) = (
                verdict_of(before, gw, client),
                verdict_of(after, gw, client),
            );
            (b != a).then(|| VerdictChange {
                gateway: gw.to_string(),
                client: client.to_string(),
                before: b,
                after: a,
            })
        })
        .collect()
}

/// Every (gateway, group) whose verdict or via changes, in gateway (after-first) and group order.
pub fn group_changes(
    before: &[(String, FleetReport)],
    after: &[(String, FleetReport)],
) -> Vec<GroupChange> {
    let mut gateways: Vec<&str> = Vec::new();
    for (name, _) in after.iter().chain(before) {
        if !gateways.contains(&name.as_str()) {
            gateways.push(name);
        }
    }
    let find = |list: &'_ [(String, FleetReport)], gw: &str| {
        list.iter().find(|(n, _)| n == gw).map(|(_, f)| f.clone())
    };
    let mut out = Vec::new();
    for gw in gateways {
        let (b, a) = (find(before, gw), find(after, gw));
        let groups = a
            .as_ref()
            .or(b.as_ref())
            .map(|f| f.groups.clone())
            .unwrap_or_default();
        for g in groups {
            let side = |f: &Option<FleetReport>| {
                f.as_ref()
                    .and_then(|f| f.groups.iter().find(|x| x.group == g.group))
                    .map_or(("absent".to_string(), None), |x| {
                        (x.verdict.as_str().to_string(), x.via.clone())
                    })
            };
            let ((vb, via_b), (va, via_a)) = (side(&b), side(&a));
            if vb != va || via_b != via_a {
                out.push(GroupChange {
                    gateway: gw.to_string(),
                    group: g.group.clone(),
                    devices: g.devices,
                    verdict_before: vb,
                    verdict_after: va,
                    via_before: via_b,
                    via_after: via_a,
                });
            }
        }
    }
    out
}
