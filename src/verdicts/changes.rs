//! What a change does to who can connect: client kinds whose verdict changes, and device groups
//! whose verdict or tunnel type (`via`) changes (`whatif`).

use std::fmt;

use serde::{Serialize, Serializer};

use super::{FleetReport, GatewayVerdicts, Verdict};

/// A client kind on a gateway whose `T` (its status, its verdict) differs before and after;
/// `None` (serialized `absent`): the tunnel type is not offered on that side.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(bound = "T: fmt::Display")]
pub struct KindChange<T> {
    pub gateway: String,
    pub client: String,
    #[serde(serialize_with = "or_absent")]
    pub before: Option<T>,
    #[serde(serialize_with = "or_absent")]
    pub after: Option<T>,
}

/// A client kind whose verdict differs before and after.
pub type VerdictChange = KindChange<KindVerdict>;

/// A device group whose verdict or `via` differs before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupChange {
    pub gateway: String,
    pub group: String,
    pub devices: u64,
    /// `None` (serialized `absent`) when the gateway has no P2S on that side.
    #[serde(serialize_with = "or_absent")]
    pub verdict_before: Option<Verdict>,
    #[serde(serialize_with = "or_absent")]
    pub verdict_after: Option<Verdict>,
    pub via_before: Option<String>,
    pub via_after: Option<String>,
}

/// A client kind's verdict on one side of a change with the kind it falls back to, printed
/// `connects` or `fails (falls back to windows-sstp)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KindVerdict {
    pub verdict: Verdict,
    pub fallback: Option<&'static str>,
}

impl fmt::Display for KindVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fallback {
            Some(to) => write!(f, "{} (falls back to {to})", self.verdict),
            None => write!(f, "{}", self.verdict),
        }
    }
}

/// How well a side connects, to tell a change for the worse from one for the better:
/// connects > partial > fails but falls back > fails = absent.
pub fn rank(side: Option<KindVerdict>) -> u8 {
    match side.map(|s| (s.verdict, s.fallback.is_some())) {
        Some((Verdict::Connects, _)) => 3,
        Some((Verdict::Partial, _)) => 2,
        Some((Verdict::Fails, true)) => 1,
        Some((Verdict::Fails, false)) | None => 0,
    }
}

impl From<Verdict> for KindVerdict {
    fn from(verdict: Verdict) -> KindVerdict {
        KindVerdict {
            verdict,
            fallback: None,
        }
    }
}

/// A side that may be absent, as its text or `absent` (what the text formats print, too).
pub fn or_absent<T: fmt::Display, S: Serializer>(
    side: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match side {
        Some(v) => s.collect_str(v),
        None => s.serialize_str("absent"),
    }
}

/// The text of a side that may be absent.
pub fn text_or_absent<T: fmt::Display>(side: &Option<T>) -> String {
    side.as_ref()
        .map_or_else(|| "absent".to_string(), T::to_string)
}

impl<T: fmt::Display> KindChange<T> {
    /// One line: `gw client: before ARROW after`; text formats use `->`, HTML `→`.
    pub fn line(&self, arrow: &str) -> String {
        format!(
            "{} {}: {} {arrow} {}",
            self.gateway,
            self.client,
            text_or_absent(&self.before),
            text_or_absent(&self.after)
        )
    }
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
            text_or_absent(&self.verdict_before),
            via(&self.via_before),
            text_or_absent(&self.verdict_after),
            via(&self.via_after)
        )
    }
}

fn verdict_of(list: &[GatewayVerdicts], gateway: &str, client: &str) -> Option<KindVerdict> {
    list.iter()
        .find(|g| g.gateway == gateway)
        .and_then(|g| g.client(client))
        .map(|c| KindVerdict {
            verdict: c.judgement.verdict,
            fallback: c.fallback,
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
                    .map_or((None, None), |x| (Some(x.verdict), x.via.clone()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Better or worse by the enum: connects > partial > fails but falls back > fails, and a
    /// kind not offered ranks with one that fails; each side prints as the JSON has it.
    #[test]
    fn sides_rank_by_how_well_they_connect_and_print_as_before() {
        let side = |verdict, fallback| Some(KindVerdict { verdict, fallback });
        let ranks = [
            side(Verdict::Connects, None),
            side(Verdict::Partial, None),
            side(Verdict::Fails, Some("windows-sstp")),
            side(Verdict::Fails, None),
            None,
        ]
        .map(rank);
        assert_eq!(ranks, [3, 2, 1, 0, 0]);
        let change = VerdictChange {
            gateway: "gw".into(),
            client: "windows-ikev2".into(),
            before: None,
            after: side(Verdict::Fails, Some("windows-sstp")),
        };
        assert_eq!(
            change.line("->"),
            "gw windows-ikev2: absent -> fails (falls back to windows-sstp)"
        );
        assert_eq!(
            serde_json::to_string(&change).unwrap(),
            r#"{"gateway":"gw","client":"windows-ikev2","before":"absent","after":"fails (falls back to windows-sstp)"}"#
        );
    }
}
