//! Who can connect: one verdict per client kind on a gateway, and per device group of a fleet.
//!
//! # The question
//!
//! [`crate::engine`] answers "what does each client kind get": its routes, its selector count
//! against its limit (`status`). This module answers the question users bring: "can it
//! connect?" A client kind that is under its selector limit still cannot connect when the gateway
//! does not offer its tunnel type, the SKU does not support the protocol on the `--as-of` day,
//! there is no pool part for the protocol, SSTP has been retired, or no configured
//! authentication type is usable by that client.
//!
//! # A verdict
//!
//! A [`Judgement`] is a [`Verdict`] (`connects`, `partial`, `fails`) and the [`Reason`]s behind
//! it, each a stable kebab-case code ([`ReasonCode`]), a line of text and its source. The worst
//! reason decides: any failing reason makes `fails`, otherwise any partial one `partial`,
//! otherwise `connects`. The rules, one per file:
//!
//! - [`limit`]: selectors or routes above the client's limit (`selector-limit`). What happens
//!   above a limit is data in [`crate::facts::clients::CLIENT_KINDS`]: legacy Windows fails (error
//!   13834), other IKEv2 clients are `partial` and OpenVPN fails — the last two are
//!   [`Assumption`]s printed with the result.
//! - [`gateway`]: tunnel type offered (`tunnel-not-offered`), SKU support on the day
//!   (`sku-unsupported`: Basic has no OpenVPN and IKEv2 only from 2025-11-01), a pool part for the
//!   protocol (`no-pool`), SSTP retirement from 2027-03-31 (`sstp-retired`) and a usable
//!   authentication type (`auth-unsupported`: AAD only over OpenVPN with the Azure VPN Client,
//!   RADIUS not on Basic, no authentication type at all accepts no one).
//! - [`fallback`]: the Windows native client tries IKEv2 first and falls back to SSTP when IKEv2
//!   fails and the gateway offers SSTP (FAQ); `fallback` names `windows-sstp` when SSTP itself
//!   connects.
//!
//! # Fleets
//!
//! A [`Fleet`] is a list of device groups (operating system, version, VPN app, device count,
//! networks). [`os`] maps each group to the client kind it uses — a table of rows with sources
//! (Windows builds and their updates, macOS/iOS/Linux/Android apps) — and [`groups`] judges every
//! group on every gateway: which tunnel type carries it (`via`, after the Windows fallback and
//! with `udp-blocked` networks, where IKEv2 fails and TCP 443 works), what it needs (updates,
//! registry values), the device totals per verdict and per protocol against its capacity.
//! [`fleet`] reads fleets from the three inputs people have: the native YAML groups file, an
//! Intune device export (CSV) and a Microsoft Graph `managedDevices` JSON.
//!
//! Like the engine, this module does no I/O and never panics: it is handed text and a topology.
//!
//! # Example
//!
//! A legacy Windows client over its 25 selectors falls back to SSTP; after SSTP's retirement
//! it has nowhere to go.
//!
//! ```
//! use p2s_sim::verdicts::findings::Date;
//! use p2s_sim::read::{read_topology, Source};
//! use p2s_sim::verdicts::{judge, Verdict};
//!
//! let prefixes: Vec<String> = (0..24).map(|i| format!("10.{i}.0.0/16")).collect();
//! let yaml = format!(
//!     "vnets:\n  - name: hub\n    address_space: [{}]\n    gateway:\n      sku: VpnGw1AZ\n      \
//!      p2s: {{address_pool: [172.16.0.0/24], tunnel_types: [IkeV2, SSTP], \
//!      auth_types: [Certificate]}}\n",
//!     prefixes.join(", ")
//! );
//! let topology = read_topology(&[Source { name: "hub.yaml".into(), text: yaml }]).unwrap();
//! let analysis = p2s_sim::engine::analyze(&topology);
//!
//! // 24 prefixes + 2 pool halves = 26 selectors.
//! let before = judge(&topology, &analysis, Date::parse("2027-03-30").unwrap());
//! let legacy = before[0].client("windows-ikev2-legacy").unwrap();
//! assert_eq!(legacy.judgement.verdict, Verdict::Fails);
//! assert_eq!(legacy.judgement.reasons[0].code.as_str(), "selector-limit");
//! assert_eq!(legacy.fallback, Some("windows-sstp"));
//!
//! let after = judge(&topology, &analysis, Date::parse("2027-03-31").unwrap());
//! assert_eq!(after[0].client("windows-ikev2-legacy").unwrap().fallback, None);
//! assert_eq!(after[0].client("windows-sstp").unwrap().judgement.verdict, Verdict::Fails);
//! ```

pub mod changes;
pub mod fallback;
pub mod findings;
pub mod fleet;
pub mod gateway;
pub mod groups;
pub mod limit;
pub mod os;
pub mod population;
mod reason;

use serde::Serialize;

pub use fleet::{App, Fleet, FleetError, Group, Network, Os};
pub use groups::{judge_fleet, FleetReport, GroupReport, ProtocolUse, Totals};
pub use reason::{Reason, ReasonCode};

use crate::engine::{Analysis, Assumption, GatewayAnalysis};
use crate::facts::clients::{client_kind, ClientKind};
use crate::model::{Gateway, Topology};
use crate::verdicts::findings::Date;

/// Whether a client connects.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Connects,
    /// The tunnel comes up but traffic to some destinations fails.
    Partial,
    Fails,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Connects => "connects",
            Verdict::Partial => "partial",
            Verdict::Fails => "fails",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verdict with its reasons and the assumptions it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    pub assumptions: Vec<Assumption>,
}

impl Judgement {
    /// The verdict the reasons imply: the worst of them, `connects` when there are none.
    pub fn from_reasons(reasons: Vec<Reason>, assumptions: Vec<Assumption>) -> Judgement {
        let verdict = reasons
            .iter()
            .map(|r| r.effect)
            .max()
            .unwrap_or(Verdict::Connects);
        Judgement {
            verdict,
            reasons,
            assumptions,
        }
    }
}

/// What the verdict knows about the client besides its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ClientContext {
    /// `Some(true)`: the Azure VPN Client (can use AAD); `Some(false)`: another OpenVPN client;
    /// `None`: unknown (an OpenVPN client kind is then assumed to be the Azure VPN Client when
    /// only AAD would let it in, and the verdict says so).
    pub azure_vpn_client: Option<bool>,
    /// The client's network blocks UDP 500/4500 and ESP (IKEv2 fails, TCP 443 works).
    pub udp_blocked: bool,
    /// The client connects from the public IP of a site-to-site device of the gateway (IKEv2
    /// fails, SSTP and OpenVPN work).
    pub from_s2s_site: bool,
}

/// Everything a verdict on one gateway looks at.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    pub gateway: &'a Gateway,
    pub analysis: &'a GatewayAnalysis,
    pub as_of: Date,
}

impl<'a> Target<'a> {
    /// Judges one client kind on this gateway (without fallback).
    pub fn judge(&self, kind: &'static ClientKind, client: ClientContext) -> Judgement {
        let mut reasons = Vec::new();
        let mut assumptions = Vec::new();
        gateway::check(self, kind, client, &mut reasons, &mut assumptions);
        limit::check(self, kind, &mut reasons, &mut assumptions);
        Judgement::from_reasons(reasons, assumptions)
    }
}

/// The verdict of one client kind on one gateway, with its fallback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientVerdict {
    pub client: &'static str,
    pub judgement: Judgement,
    /// For Windows native IKEv2 kinds: `windows-sstp` when IKEv2 fails and SSTP connects.
    pub fallback: Option<&'static str>,
    /// Whether this kind is one that can fall back at all (the field is printed for those).
    pub can_fall_back: bool,
}

/// The verdicts of every client kind shown for one gateway, in client-table order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayVerdicts {
    pub gateway: String,
    pub clients: Vec<ClientVerdict>,
    /// Assumptions the verdicts rest on (deduplicated by code, first text kept).
    pub assumptions: Vec<Assumption>,
}

impl GatewayVerdicts {
    /// The verdict of a client kind by id, if the gateway shows that kind.
    pub fn client(&self, id: &str) -> Option<&ClientVerdict> {
        self.clients.iter().find(|c| c.client == id)
    }
}

/// Verdicts for every gateway of an analysis (gateways matched by name; a gateway the topology
/// does not have is skipped).
pub fn judge(topology: &Topology, analysis: &Analysis, as_of: Date) -> Vec<GatewayVerdicts> {
    // `find_gateway` for every gateway at once: (VNet, gateway name) -> the first such gateway.
    let mut by_name: rustc_hash::FxHashMap<(&str, &str), &Gateway> = Default::default();
    for (v, g) in topology.gateways() {
        by_name
            .entry((v.name.as_str(), g.name.as_str()))
            .or_insert(g);
    }
    analysis
        .gateways
        .iter()
        .filter_map(|ga| {
            let gw = *by_name.get(&(ga.vnet.as_str(), ga.name.as_str()))?;
            Some(judge_gateway(&Target {
                gateway: gw,
                analysis: ga,
                as_of,
            }))
        })
        .collect()
}

/// The gateway an analysis is for: same VNet and gateway name.
pub fn find_gateway<'a>(topology: &'a Topology, analysis: &GatewayAnalysis) -> Option<&'a Gateway> {
    topology
        .gateways()
        .find(|(v, g)| v.name == analysis.vnet && g.name == analysis.name)
        .map(|(_, g)| g)
}

/// Verdicts of the client kinds a gateway shows (those whose tunnel type it offers).
pub fn judge_gateway(target: &Target) -> GatewayVerdicts {
    let mut assumptions: Vec<Assumption> = Vec::new();
    let clients = target
        .analysis
        .clients
        .iter()
        .map(|c| {
            let judgement = target.judge(c.kind, ClientContext::default());
            let fallback = fallback::fallback(target, c.kind, &judgement, ClientContext::default());
            for a in &judgement.assumptions {
                add_assumption(&mut assumptions, a.clone());
            }
            ClientVerdict {
                client: c.kind.id,
                judgement,
                fallback: fallback.map(|k| k.id),
                can_fall_back: fallback::can_fall_back(c.kind),
            }
        })
        .collect();
    GatewayVerdicts {
        gateway: target.analysis.name.clone(),
        clients,
        assumptions,
    }
}

/// Adds an assumption unless one with its code is there already.
pub(crate) fn add_assumption(list: &mut Vec<Assumption>, a: Assumption) {
    if !list.iter().any(|x| x.code == a.code) {
        list.push(a);
    }
}

/// True when a user of this kind connects on the gateway: the kind connects (fully or
/// partially), or it falls back to a kind that does. `None` when the gateway does not show
/// the kind (its tunnel type is not offered).
pub fn reaches(verdicts: &GatewayVerdicts, id: &str) -> Option<bool> {
    let c = verdicts.client(id)?;
    Some(c.judgement.verdict != Verdict::Fails || c.fallback.is_some())
}

/// The windows-sstp kind (the fallback target).
pub(crate) fn sstp_kind() -> &'static ClientKind {
    client_kind("windows-sstp").expect("windows-sstp is in the client table")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(effect: Verdict) -> Reason {
        Reason {
            code: ReasonCode::SelectorLimit,
            text: String::new(),
            source: "",
            effect,
        }
    }

    #[test]
    fn the_worst_reason_decides() {
        let j = |effects: &[Verdict]| {
            Judgement::from_reasons(effects.iter().map(|e| reason(*e)).collect(), Vec::new())
                .verdict
        };
        assert_eq!(j(&[]), Verdict::Connects);
        assert_eq!(j(&[Verdict::Partial]), Verdict::Partial);
        assert_eq!(j(&[Verdict::Partial, Verdict::Fails]), Verdict::Fails);
        assert_eq!(j(&[Verdict::Fails, Verdict::Partial]), Verdict::Fails);
    }

    #[test]
    fn reason_codes_are_kebab_case_and_parse_back() {
        for c in ReasonCode::ALL {
            let s = c.as_str();
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
            assert_eq!(ReasonCode::parse(s), Some(*c));
            assert!(!c.source().is_empty() && !c.meaning().is_empty());
        }
    }
}
