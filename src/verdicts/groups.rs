//! A fleet on one gateway: per device group the client kind it uses, the verdict, the tunnel type
//! that carries it (`via`), reasons and needs; device totals per verdict; and per protocol the
//! devices relying on it against its capacity.
//!
//! Per group: map OS/version/app to a client kind ([`super::os`]); judge that kind on the gateway
//! with the group's app and networks (UDP blocked: IKEv2 fails); a Windows native IKEv2 group
//! whose IKEv2 fails falls back to SSTP when the gateway offers it and SSTP connects
//! ([`super::fallback`]). The reasons of the failed first attempt stay in the list: they say why
//! the group is on SSTP.

use serde::Serialize;

use super::fallback;
use super::fleet::{App, Fleet, Group};
use super::{add_assumption, ClientContext, Reason, ReasonCode, Target, Verdict};
use crate::engine::Assumption;
use crate::facts::clients::ClientKind;
use crate::model::TunnelType;
use crate::verdicts::findings::GatewayCapacity;

/// One group on one gateway (the JSON shape of issue 11).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GroupReport {
    pub group: String,
    pub os: String,
    pub version: String,
    pub app: String,
    pub devices: u64,
    /// The client kind that carries the connection (or the one that was tried); `None` when
    /// the OS/app is not a supported client.
    pub client: Option<String>,
    pub verdict: Verdict,
    /// `IkeV2`, `SSTP` or `OpenVPN`; `None` when the group cannot connect.
    pub via: Option<String>,
    pub reasons: Vec<ReasonCode>,
    pub needs: Vec<String>,
    pub route_count: usize,
    pub manual_route_count: usize,
    /// The row of the OS mapping table that decided the client kind ([`super::os::OS_TABLE`]
    /// label, or `no row`).
    pub mapping: String,
    /// The reasons as text (`code: text`), in the order found (a code can have several texts,
    /// e.g. one per tunnel type tried).
    pub reason_texts: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub connects: u64,
    pub partial: u64,
    pub fails: u64,
}

/// Devices that rely on one tunnel type, against what the gateway can take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProtocolUse {
    pub protocol: String,
    pub devices: u64,
    /// Clients of this protocol the gateway can take at once (SKU and pool); `None` unknown.
    pub capacity: Option<u64>,
}

/// A fleet on one gateway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FleetReport {
    pub groups: Vec<GroupReport>,
    pub totals: Totals,
    pub protocols: Vec<ProtocolUse>,
    /// More devices on a protocol than it can take, and similar.
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub assumptions: Vec<Assumption>,
}

/// Judges every group of `fleet` on the gateway of `target`.
pub fn judge_fleet(
    target: &Target,
    fleet: &Fleet,
    capacity: Option<&GatewayCapacity>,
) -> FleetReport {
    let mut assumptions = Vec::new();
    let groups: Vec<GroupReport> = fleet
        .groups
        .iter()
        .map(|g| judge_group(target, g, &mut assumptions))
        .collect();
    let mut totals = Totals::default();
    for g in &groups {
        match g.verdict {
            Verdict::Connects => totals.connects += g.devices,
            Verdict::Partial => totals.partial += g.devices,
            Verdict::Fails => totals.fails += g.devices,
        }
    }
    let mut protocols = Vec::new();
    let mut warnings = Vec::new();
    for t in TunnelType::ALL {
        let devices: u64 = groups
            .iter()
            .filter(|g| g.via.as_deref() == Some(t.as_str()))
            .map(|g| g.devices)
            .sum();
        let offered = target.gateway.p2s.as_ref().is_some_and(|p| p.has(*t));
        if devices == 0 && !offered {
            continue;
        }
        let cap = capacity.and_then(|c| c.protocols.iter().find(|p| p.protocol == t.as_str()));
        let max = cap.map(|p| p.max_clients);
        if let (Some(max), Some(p)) = (max, cap) {
            if devices > max {
                warnings.push(format!(
                    "{devices} devices rely on {t}, more than the {max} {t} connections the \
                     gateway takes at once (limited by {}): not all of them can connect at the \
                     same time",
                    p.binding
                ));
            }
        }
        protocols.push(ProtocolUse {
            protocol: t.as_str().to_string(),
            devices,
            capacity: max,
        });
    }
    // Limits several protocols share (the SKU's IKEv2/OpenVPN number, an unsplit pool).
    for limit in capacity.map(|c| c.limits.as_slice()).unwrap_or_default() {
        if limit.protocols.len() < 2 {
            continue;
        }
        let devices: u64 = groups
            .iter()
            .filter(|g| g.via.as_ref().is_some_and(|v| limit.protocols.contains(v)))
            .map(|g| g.devices)
            .sum();
        if devices > limit.limit {
            warnings.push(format!(
                "{devices} devices rely on {}, which share {} {} connections ({} limit): not all \
                 of them can connect at the same time",
                limit.protocols.join(" and "),
                if limit.kind == crate::verdicts::findings::LimitKind::Sku {
                    "the SKU's"
                } else {
                    "the pool's"
                },
                limit.limit,
                limit.kind.as_str()
            ));
        }
    }
    FleetReport {
        groups,
        totals,
        protocols,
        warnings,
        assumptions,
    }
}

fn counts(target: &Target, kind: &ClientKind) -> (usize, usize) {
    target
        .analysis
        .clients
        .iter()
        .find(|c| c.kind.id == kind.id)
        .map_or((0, 0), |c| {
            (target.analysis.routes(c).len(), c.manual_routes.len())
        })
}

fn judge_group(target: &Target, g: &Group, assumptions: &mut Vec<Assumption>) -> GroupReport {
    let mapping = super::os::map(g.os, g.app, &g.version, target.as_of);
    if let Some((code, text)) = mapping.assumption {
        add_assumption(
            assumptions,
            Assumption {
                code,
                text: text.to_string(),
            },
        );
    }
    let base = |client: Option<&ClientKind>,
                verdict,
                via: Option<TunnelType>,
                reasons: Vec<Reason>,
                needs| {
        let (route_count, manual_route_count) = client.map_or((0, 0), |k| counts(target, k));
        GroupReport {
            group: g.name.clone(),
            os: g.os.as_str().to_string(),
            version: g.version.to_string(),
            app: g.app.as_str().to_string(),
            devices: g.devices,
            client: client.map(|k| k.id.to_string()),
            verdict,
            via: via.map(|t| t.as_str().to_string()),
            reasons: {
                let mut codes: Vec<ReasonCode> = Vec::new();
                for r in &reasons {
                    if !codes.contains(&r.code) {
                        codes.push(r.code);
                    }
                }
                codes
            },
            needs,
            route_count,
            manual_route_count,
            mapping: mapping.row.to_string(),
            reason_texts: {
                let mut texts: Vec<String> = Vec::new();
                for r in &reasons {
                    let t = format!("{}: {}", r.code, r.text);
                    if !texts.contains(&t) {
                        texts.push(t);
                    }
                }
                texts
            },
        }
    };
    let Some(kind) = mapping.kind else {
        let text = mapping
            .unsupported
            .clone()
            .unwrap_or_else(|| "not a supported client".to_string());
        let reason = Reason {
            code: ReasonCode::OsUnsupported,
            text: format!("{text} ({})", mapping.row),
            source: mapping.source,
            effect: Verdict::Fails,
        };
        return base(None, Verdict::Fails, None, vec![reason], Vec::new());
    };
    let context = ClientContext {
        azure_vpn_client: (kind.tunnel == TunnelType::OpenVpn)
            .then_some(g.app == App::AzureVpnClient),
        udp_blocked: g.udp_blocked(),
        from_s2s_site: g.from_s2s_site(),
    };
    let first = target.judge(kind, context);
    for a in &first.assumptions {
        add_assumption(assumptions, a.clone());
    }
    let needs = if kind.tunnel == TunnelType::IkeV2 {
        mapping.needs.clone()
    } else {
        Vec::new()
    };
    if !needs.is_empty() {
        add_assumption(
            assumptions,
            Assumption {
                code: "windows-ikev2-needs-assumed",
                text: "Windows 10 1607/1703/1709 (and 1507/1511) groups are judged as if the \
                       IKEv2 update and the registry value DisableCertReqPayload = 1 are in \
                       place (an inventory cannot show a registry value); they are listed in \
                       `needs`"
                    .to_string(),
            },
        );
    }
    let fell_back = (g.app == App::Native)
        .then(|| fallback::fallback(target, kind, &first, context))
        .flatten();
    if let Some(sstp) = fell_back {
        let second = target.judge(sstp, context);
        for a in &second.assumptions {
            add_assumption(assumptions, a.clone());
        }
        let mut reasons = first.reasons;
        reasons.extend(second.reasons);
        return base(
            Some(sstp),
            second.verdict,
            Some(sstp.tunnel),
            reasons,
            Vec::new(),
        );
    }
    let via = (first.verdict != Verdict::Fails).then_some(kind.tunnel);
    let mut reasons = first.reasons;
    // A Windows native client that fails over IKEv2 tries SSTP too: say why that failed as well.
    let sstp_offered = target
        .gateway
        .p2s
        .as_ref()
        .is_some_and(|p| p.has(TunnelType::Sstp));
    if via.is_none() && g.app == App::Native && fallback::can_fall_back(kind) && sstp_offered {
        let second = target.judge(super::sstp_kind(), context);
        reasons.extend(second.reasons);
    }
    base(Some(kind), first.verdict, via, reasons, needs)
}
