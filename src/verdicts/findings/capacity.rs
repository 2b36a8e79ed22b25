//! How many P2S clients of each protocol a gateway can take, limited by its SKU (spec §3) and by
//! its address pool (spec §4), and whether the clients users expect fit (CAP001, CAP002).
//!
//! # The model
//!
//! Two kinds of limit apply, each shared by a group of protocols:
//! - **SKU**: a VpnGw SKU counts SSTP (always 128) separately from IKEv2 and OpenVPN, which share
//!   the "IKEv2/OpenVPN connections" number; Basic and the legacy SKUs have one total of 128.
//! - **Pool**: every client holds one pool address. With SSTP and IKEv2 both enabled the pool is
//!   split (SSTP gets its part, IKEv2 the rest, see [`crate::engine::PoolView`]); otherwise all
//!   enabled protocols draw from the whole pool.
//!
//! A protocol's maximum is the smaller of its two limits; when several protocols share a limit,
//! their expected clients are added up and compared with it.
//!
//! # Usable addresses
//!
//! p2s-sim assumes the gateway keeps **one address of each contiguous pool part** for itself, so a
//! part of N addresses serves N − 1 clients. The docs are silent; the one data point is a user
//! report (azure-docs issue #60437, [F]) that a /24 split between IKEv2 and SSTP gives "127
//! address[es]" to each — 128 − 1 per /25 half. The same rule is applied to unsplit pools (a /24
//! serves 255). Every result carries its assumptions as text.
//!
//! Worked example (tested): VpnGw1, pool 172.16.0.0/24, SSTP + IKEv2. The pool is halved:
//! SSTP 172.16.0.0/25, IKEv2 172.16.0.128/25, 127 usable each. SSTP: min(SKU 128, pool 127) = 127,
//! the pool binds. IKEv2: min(SKU 250, pool 127) = 127, the pool binds.

use super::catalog;
use serde::Serialize;

use super::index::Index;
use super::{Options, Sink};
use crate::engine::{Analysis, GatewayAnalysis};
use crate::facts::dates::{effective_sku, BASIC_IKEV2};
use crate::facts::skus::{sku_row, P2sLimit};
use crate::model::{Gateway, Sku, Topology, TunnelType};
use crate::prefix::{IpNet, PrefixSet};

/// Which kind of limit a [`SharedLimit`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// Concurrent connections the SKU allows.
    Sku,
    /// Usable addresses of a pool part.
    Pool,
}

impl LimitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LimitKind::Sku => "sku",
            LimitKind::Pool => "pool",
        }
    }
}

/// One limit and the protocols that share it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SharedLimit {
    pub kind: LimitKind,
    /// ARM spelling (`IkeV2`, `SSTP`, `OpenVPN`).
    pub protocols: Vec<String>,
    pub limit: u64,
    /// Sum of `--expected-clients` for these protocols; `None` when none was given.
    pub expected: Option<u64>,
    /// Expected clients that do not fit (`expected − limit`), when positive.
    pub shortfall: Option<u64>,
}

/// One protocol on one gateway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProtocolCapacity {
    pub protocol: String,
    /// What the SKU allows (shared with the protocols of its [`SharedLimit`]); `None` when the
    /// SKU is not given; 0 when the SKU does not support the protocol.
    pub by_sku: Option<u64>,
    /// The pool part this protocol's clients draw addresses from.
    pub pool: Vec<String>,
    pub pool_addresses: u64,
    /// Usable addresses of that part (addresses − 1 per contiguous part).
    pub by_pool: u64,
    /// `min(by_sku, by_pool)`: clients of this protocol alone that can connect.
    pub max_clients: u64,
    /// `sku`, `pool`, `sku and pool` (equal), `pool (SKU unknown)` or `sku (not supported)`.
    pub binding: &'static str,
    pub expected: Option<u32>,
}

/// Client capacity of one gateway with P2S.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GatewayCapacity {
    pub gateway: String,
    pub vnet: String,
    /// The SKU in the topology.
    pub sku: Option<String>,
    /// The SKU the numbers are for (differs after a dated migration).
    pub effective_sku: Option<String>,
    pub protocols: Vec<ProtocolCapacity>,
    /// Every limit with the protocols sharing it, SKU limits first.
    pub limits: Vec<SharedLimit>,
    /// Rules the numbers rely on that the docs leave open.
    pub assumptions: Vec<String>,
}

/// Addresses and usable addresses (one kept per contiguous range) of a pool part.
fn pool_part(prefixes: &[IpNet]) -> (u64, u64) {
    let set = PrefixSet::from_prefixes(prefixes.iter().copied());
    let addresses = set
        .address_count()
        .to_u128()
        .map_or(u64::MAX, |n| u64::try_from(n).unwrap_or(u64::MAX));
    let parts = (set.ipv4_ranges().len() + set.ipv6_ranges().len()) as u64;
    (addresses, addresses.saturating_sub(parts))
}

fn names(protocols: &[TunnelType]) -> Vec<String> {
    protocols.iter().map(|t| t.as_str().to_string()).collect()
}

/// Capacity of every gateway with P2S, in analysis (file) order.
pub fn capacity(
    topology: &Topology,
    analysis: &Analysis,
    options: &Options,
) -> Vec<GatewayCapacity> {
    let index = Index::new(topology, analysis);
    analysis
        .gateways
        .iter()
        .filter_map(|ga| {
            let (_, gw) = index.gateway(&ga.name)?;
            Some(of_gateway(gw, ga, options))
        })
        .collect()
}

fn of_gateway(gw: &Gateway, ga: &GatewayAnalysis, options: &Options) -> GatewayCapacity {
    let enabled: Vec<TunnelType> = gw
        .p2s
        .as_ref()
        .map(|p| p.tunnel_types.clone())
        .unwrap_or_default();
    let mut assumptions = vec![
        "usable pool addresses = addresses − 1 per contiguous pool part (the gateway keeps one; \
         azure-docs issue #60437 reports 127 usable per /25 half of a /24) — undocumented"
            .to_string(),
    ];

    // Pool groups: the split parts, or the whole pool for everyone.
    let mut pool_groups: Vec<(Vec<TunnelType>, Vec<IpNet>)> = Vec::new();
    match &ga.pool.split {
        Some(split) => {
            let ikev2_side: Vec<TunnelType> = enabled
                .iter()
                .copied()
                .filter(|t| *t != TunnelType::Sstp)
                .collect();
            pool_groups.push((vec![TunnelType::Sstp], split.sstp.clone()));
            if enabled.contains(&TunnelType::OpenVpn) {
                assumptions.push(
                    "OpenVPN next to SSTP is not a valid combination (P2S004); its clients are \
                     counted in the IKEv2 part of the split pool"
                        .to_string(),
                );
            }
            pool_groups.push((ikev2_side, split.ikev2.clone()));
            if split.undocumented {
                assumptions.push(format!(
                    "the docs do not say how a pool larger than /24 (or of several prefixes) is \
                     split between SSTP and IKEv2: SSTP gets the first 128 addresses of each \
                     prefix (at most half), IKEv2 the rest ({} for IKEv2) (spec §4)",
                    split
                        .ikev2
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
        }
        None => {
            if enabled.len() > 1 {
                assumptions.push(format!(
                    "{} share the whole pool: the docs describe a split only when SSTP is one of \
                     the protocols (spec §4)",
                    names(&enabled).join(" and ")
                ));
            }
            pool_groups.push((enabled.clone(), ga.pool.prefixes.clone()));
        }
    }
    if gw.active_active {
        assumptions.push(
            "active-active: the docs do not say whether the two instances divide the pool; the \
             whole pool is counted"
                .to_string(),
        );
    }

    // SKU groups.
    let effective = gw.sku.map(|s| effective_sku(s, options.as_of));
    let mut sku_groups: Vec<(Vec<TunnelType>, u64)> = Vec::new();
    match (gw.sku, effective.and_then(sku_row)) {
        (Some(configured), Some(row)) => {
            if Some(configured) != effective {
                assumptions.push(format!(
                    "{configured} was migrated to {} after June 2026 (as of {}): numbers are for {}",
                    row.sku, options.as_of, row.sku
                ));
            }
            let legacy = matches!(row.sku, Sku::Standard | Sku::HighPerformance);
            let supported = |t: TunnelType| match t {
                TunnelType::Sstp => true,
                TunnelType::IkeV2 => {
                    row.p2s_ikev2
                        || legacy
                        || (row.sku == Sku::Basic && options.as_of >= BASIC_IKEV2)
                }
                TunnelType::OpenVpn => row.p2s_openvpn,
            };
            let (ok, unsupported): (Vec<TunnelType>, Vec<TunnelType>) =
                enabled.iter().copied().partition(|t| supported(*t));
            match row.p2s {
                P2sLimit::Separate {
                    sstp,
                    ikev2_openvpn,
                } => {
                    let (s, rest): (Vec<TunnelType>, Vec<TunnelType>) =
                        ok.iter().partition(|t| **t == TunnelType::Sstp);
                    if !s.is_empty() {
                        sku_groups.push((s, u64::from(sstp)));
                    }
                    if !rest.is_empty() {
                        if rest.len() > 1 {
                            assumptions.push(format!(
                                "IKEv2 and OpenVPN share the SKU's {ikev2_openvpn} \
                                 \"IKEv2/OpenVPN connections\""
                            ));
                        }
                        sku_groups.push((rest, u64::from(ikev2_openvpn)));
                    }
                }
                P2sLimit::Total(total) => {
                    if ok.contains(&TunnelType::IkeV2) {
                        let doubt = if legacy {
                            "does not document IKEv2 for P2S"
                        } else {
                            "lists no IKEv2 client count"
                        };
                        assumptions.push(format!(
                            "{} {doubt}: IKEv2 is assumed to share the SKU's P2S total of {total}",
                            row.sku
                        ));
                    }
                    if !ok.is_empty() {
                        sku_groups.push((ok.clone(), u64::from(total)));
                    }
                }
            }
            for t in unsupported {
                sku_groups.push((vec![t], 0));
            }
        }
        _ => assumptions.push(
            "no SKU given: only the pool limits the number of clients (add sku: to the gateway)"
                .to_string(),
        ),
    }

    let expected_sum = |group: &[TunnelType]| -> Option<u64> {
        group
            .iter()
            .filter_map(|t| options.expected(*t))
            .map(u64::from)
            .reduce(|a, b| a + b)
    };
    let shared = |kind: LimitKind, group: &[TunnelType], limit: u64| {
        let expected = expected_sum(group);
        SharedLimit {
            kind,
            protocols: names(group),
            limit,
            expected,
            shortfall: expected
                .and_then(|e| e.checked_sub(limit))
                .filter(|s| *s > 0),
        }
    };
    let mut limits: Vec<SharedLimit> = sku_groups
        .iter()
        .map(|(g, l)| shared(LimitKind::Sku, g, *l))
        .collect();
    limits.extend(
        pool_groups
            .iter()
            .filter(|(g, _)| !g.is_empty())
            .map(|(g, part)| shared(LimitKind::Pool, g, pool_part(part).1)),
    );

    let protocols = enabled
        .iter()
        .map(|&t| {
            let by_sku = gw.sku.and(effective.and_then(sku_row)).map(|_| {
                sku_groups
                    .iter()
                    .find(|(g, _)| g.contains(&t))
                    .map_or(0, |(_, l)| *l)
            });
            let part: &[IpNet] = pool_groups
                .iter()
                .find(|(g, _)| g.contains(&t))
                .map_or(&[], |(_, p)| p.as_slice());
            let (pool_addresses, by_pool) = pool_part(part);
            let (max_clients, binding) = match by_sku {
                None => (by_pool, "pool (SKU unknown)"),
                Some(0) => (0, "sku (not supported)"),
                Some(s) if s < by_pool => (s, "sku"),
                Some(s) if s > by_pool => (by_pool, "pool"),
                Some(s) => (s, "sku and pool"),
            };
            ProtocolCapacity {
                protocol: t.as_str().to_string(),
                by_sku,
                pool: part.iter().map(|p| p.to_string()).collect(),
                pool_addresses,
                by_pool,
                max_clients,
                binding,
                expected: options.expected(t),
            }
        })
        .collect();

    GatewayCapacity {
        gateway: gw.name.clone(),
        vnet: ga.vnet.clone(),
        sku: gw.sku.map(|s| s.as_str().to_string()),
        effective_sku: effective.map(|s| s.as_str().to_string()),
        protocols,
        limits,
        assumptions,
    }
}

/// CAP001 (a shared limit below the expected clients), CAP002 (expected clients for a protocol
/// the gateway does not enable).
pub(crate) fn check(index: &Index, options: &Options, sink: &mut Sink) {
    if options.expected_clients.is_empty() {
        return;
    }
    for ga in &index.analysis.gateways {
        let Some((_, gw)) = index.gateway(&ga.name) else {
            continue;
        };
        let cap = of_gateway(gw, ga, options);
        for l in &cap.limits {
            let (Some(expected), Some(short)) = (l.expected, l.shortfall) else {
                continue;
            };
            let what = match l.kind {
                LimitKind::Sku => format!(
                    "the SKU ({}) allows {}",
                    cap.effective_sku.as_deref().unwrap_or("?"),
                    l.limit
                ),
                LimitKind::Pool => format!("the pool part has {} usable addresses", l.limit),
            };
            let fix = match l.kind {
                LimitKind::Sku if l.protocols == ["SSTP"] => {
                    "move users to IKEv2 or OpenVPN (SSTP is capped at 128)"
                }
                LimitKind::Sku => "resize the gateway",
                LimitKind::Pool => "enlarge the address pool",
            };
            sink.add(
                catalog::CAP001,
                &gw.name,
                format!(
                    "{expected} expected {} clients but {what}: {short} cannot connect; {fix}",
                    l.protocols.join("+")
                ),
            );
        }
        let enabled = gw
            .p2s
            .as_ref()
            .map(|p| p.tunnel_types.as_slice())
            .unwrap_or(&[]);
        for t in TunnelType::ALL {
            if let Some(n) = options.expected(*t) {
                if !enabled.contains(t) {
                    sink.add(
                        catalog::CAP002,
                        &gw.name,
                        format!(
                            "{n} {t} clients expected but {t} is not enabled on this gateway: add \
                             it to tunnel_types or correct --expected-clients"
                        ),
                    );
                }
            }
        }
    }
}
