//! Headroom: how many more prefixes (or spokes of k prefixes) a gateway takes before each limit
//! is crossed, and which limit goes first.
//!
//! Exact, not a search: a new spoke prefix is one more distinct prefix in every client's route
//! list and selector count (own VNet + transit peers are in the Windows package and in
//! `advertised`), and one more VNet prefix against the 600-per-gateway limit. So the headroom of
//! a limit is `limit − used`, and in spokes `⌊(limit − used) / k⌋`.

use serde::Serialize;

use crate::engine::{Analysis, GatewayAnalysis};

/// VNet address prefixes one gateway serves (own + transit peers), LIM (spec §2).
pub const VNET_PREFIXES_PER_GATEWAY: usize = 600;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct GatewayHeadroom {
    pub gateway: String,
    pub vnet: String,
    pub prefixes_per_spoke: usize,
    pub limits: Vec<LimitHeadroom>,
    /// The limit crossed first when spokes are added (the smallest headroom; ties: table order).
    pub first_crossed: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LimitHeadroom {
    /// A client kind, or `vnet-prefixes`.
    pub limit: String,
    pub used: usize,
    pub max: usize,
    /// More prefixes that still fit (0 when already over).
    pub prefixes: usize,
    /// More spokes of `prefixes_per_spoke` prefixes that still fit.
    pub spokes: usize,
    pub over: bool,
}

fn entry(limit: &str, used: usize, max: usize, k: usize) -> LimitHeadroom {
    let prefixes = max.saturating_sub(used);
    LimitHeadroom {
        limit: limit.to_string(),
        used,
        max,
        prefixes,
        spokes: prefixes / k.max(1),
        over: used > max,
    }
}

pub fn gateway_headroom(g: &GatewayAnalysis, prefixes_per_spoke: usize) -> GatewayHeadroom {
    let mut limits: Vec<LimitHeadroom> = g
        .clients
        .iter()
        .filter_map(|c| Some(entry(c.kind.id, c.selectors?, c.limit?, prefixes_per_spoke)))
        .collect();
    limits.push(entry(
        "vnet-prefixes",
        g.vnet_prefixes,
        VNET_PREFIXES_PER_GATEWAY,
        prefixes_per_spoke,
    ));
    let first_crossed = limits
        .iter()
        .min_by_key(|l| (l.prefixes, !l.over))
        .map(|l| l.limit.clone());
    GatewayHeadroom {
        gateway: g.name.clone(),
        vnet: g.vnet.clone(),
        prefixes_per_spoke,
        limits,
        first_crossed,
    }
}

pub fn headroom(analysis: &Analysis, prefixes_per_spoke: usize) -> Vec<GatewayHeadroom> {
    analysis
        .gateways
        .iter()
        .map(|g| gateway_headroom(g, prefixes_per_spoke))
        .collect()
}
