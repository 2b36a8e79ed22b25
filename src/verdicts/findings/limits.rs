//! Documented resource limits (LIM001–LIM007): prefixes per local network, VNet prefixes per
//! gateway, BGP routes per gateway, each client kind's selector or route limit, and peerings
//! per VNet.
//!
//! Spec §2. The numbers are facts, with their sources, in [`crate::facts::limits`]; client limits
//! come from the client table ([`crate::facts::clients`]) through the routing analysis.

use super::catalog::{self, Rule};
use super::index::Index;
use super::Sink;
use crate::facts::limits::{
    BGP_ROUTES_PER_GATEWAY, LOCAL_NETWORK_PREFIXES, PEERINGS_PER_VNET,
    PEERINGS_PER_VNET_WITHOUT_AVNM, VNET_PREFIXES_PER_GATEWAY,
};
use crate::prefix::canonical_list;

/// The client kind whose limit is the pre-2021 Windows one (25): over it is a warning (LIM005),
/// because only unpatched Windows builds fail; every other kind over its limit is an error.
pub const LEGACY_WINDOWS_CLIENT: &str = "windows-ikev2-legacy";

/// One of Azure's resource limits measured on one resource, over it or not: what Azure refuses
/// (or, for BGP, drops) whatever the client. Sweeps follow these numbers step by step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// `LIM001` prefixes per local network, `LIM002` VNet prefixes per gateway, `LIM003` BGP
    /// routes per gateway, `LIM006` peerings per VNet.
    pub code: &'static str,
    /// The local network, gateway or VNet.
    pub subject: String,
    pub count: usize,
    pub max: usize,
}

impl Measure {
    pub fn is_over(&self) -> bool {
        self.count > self.max
    }
}

/// Every resource-limit measure of a topology, in topology order (local networks, then per
/// VNet: peerings, VNet prefixes and BGP routes of its gateway).
pub(crate) fn measures(index: &Index) -> Vec<Measure> {
    let topology = index.topology;
    let mut out = Vec::new();
    for lng in &topology.local_networks {
        out.push(Measure {
            code: catalog::LIM001.code,
            subject: lng.name.clone(),
            count: canonical_list(lng.address_space.iter().copied()).len(),
            max: LOCAL_NETWORK_PREFIXES.max,
        });
    }
    let mut peerings: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for p in &topology.peerings {
        *peerings.entry(p.vnet.as_str()).or_default() += 1;
    }
    for (v, vnet) in topology.vnets.iter().enumerate() {
        out.push(Measure {
            code: catalog::LIM006.code,
            subject: vnet.name.clone(),
            count: peerings.get(vnet.name.as_str()).copied().unwrap_or(0),
            max: PEERINGS_PER_VNET.max,
        });
        let Some(gw) = &vnet.gateway else { continue };
        out.push(Measure {
            code: catalog::LIM002.code,
            subject: gw.name.clone(),
            // The engine counted them for gateways with P2S (own VNet and transit spokes,
            // distinct); the others are counted here.
            count: match index.analysis_of(&gw.name) {
                Some(ga) => ga.vnet_prefixes,
                None => canonical_list(index.vnet_prefixes_with_spokes(v)).len(),
            },
            max: VNET_PREFIXES_PER_GATEWAY.max,
        });
        if let Some(ga) = index.analysis_of(&gw.name) {
            out.push(Measure {
                code: catalog::LIM003.code,
                subject: gw.name.clone(),
                count: ga.advertised.shared_len(),
                max: BGP_ROUTES_PER_GATEWAY.max,
            });
        }
    }
    out
}

/// The rules of the [`Measure`]s: each an error finding exactly where its measure is over, what
/// Azure refuses at deployment (or, for BGP, drops). Sweeps mark a step with these codes
/// "rejected".
pub const RESOURCE_LIMIT_RULES: [Rule; 4] = [
    catalog::LIM001,
    catalog::LIM002,
    catalog::LIM003,
    catalog::LIM006,
];

pub(crate) fn check(index: &Index, measures: &[Measure], sink: &mut Sink) {
    let topology = index.topology;
    for m in measures {
        let (n, max) = (m.count, m.max);
        let is = |rule: Rule| m.code == rule.code;
        let without = PEERINGS_PER_VNET_WITHOUT_AVNM.max;
        if is(catalog::LIM001) && m.is_over() {
            sink.add(
                catalog::LIM001,
                &m.subject,
                format!(
                    "{n} address prefixes, above the limit of {max} per local network: summarize \
                         them or use BGP"
                ),
            );
        } else if is(catalog::LIM002) && m.is_over() {
            sink.add(
                catalog::LIM002,
                &m.subject,
                format!(
                    "{n} VNet prefixes (own VNet and transit spokes), above the limit of {max}: \
                         consolidate address spaces or split the spokes"
                ),
            );
        } else if is(catalog::LIM003) && m.is_over() {
            sink.add(
                catalog::LIM003,
                &m.subject,
                format!(
                    "{n} routes learned over BGP, above the limit of {max}: the BGP session is \
                         dropped; summarize or filter what peers announce"
                ),
            );
        } else if is(catalog::LIM006) && m.is_over() {
            sink.add(
                catalog::LIM006,
                &m.subject,
                format!(
                    "{n} peerings, above the limit of {max} per virtual network (reached only \
                         with Virtual Network Manager; {without} without): split \
                         the spokes across hubs"
                ),
            );
        } else if is(catalog::LIM006) && n > without {
            sink.add(
                catalog::LIM007,
                &m.subject,
                format!(
                    "{n} peerings, above the {without} per virtual network \
                         Azure allows without Virtual Network Manager connectivity configurations \
                         (at most {max} with them)"
                ),
            );
        }
    }
    for vnet in &topology.vnets {
        let Some(gw) = &vnet.gateway else { continue };
        let Some(ga) = index.analysis_of(&gw.name) else {
            continue;
        };
        for c in ga.clients.iter().filter(|c| c.check.is_over()) {
            let (Some(n), Some(max)) = (c.check.selectors, c.check.limit) else {
                continue;
            };
            let code = if c.kind.id == LEGACY_WINDOWS_CLIENT {
                catalog::LIM005
            } else {
                catalog::LIM004
            };
            sink.add(
                code,
                &gw.name,
                format!(
                    "{} clients get {n} prefixes, above their limit of {max}: offer {} fewer \
                     (summarize address spaces or split users across gateways)",
                    c.kind.id,
                    n - max
                ),
            );
        }
    }
}
