//! Documented resource limits (LIM001–LIM005): prefixes per local network, VNet prefixes per
//! gateway, BGP routes per gateway, and each client kind's selector or route limit.
//!
//! Spec §2. The numbers live here as named constants with their source; client limits come from
//! the client table ([`crate::clients`]) through the routing analysis.

use super::index::Index;
use super::Sink;
use crate::prefix::canonical_list;
use crate::routing::Status;

/// "LNG address prefixes: 1000 per LNG" (gateway limits include).
pub const MAX_LOCAL_NETWORK_PREFIXES: usize = 1000;
/// "VNet address prefixes: 600 per VPN gateway" (gateway limits include).
pub const MAX_VNET_PREFIXES: usize = 600;
/// "Aggregate BGP routes: 4,000 per gateway" (gateway limits include, FAQ BGP).
pub const MAX_BGP_ROUTES: usize = 4000;
/// The client kind whose limit is the pre-2021 Windows one (25): over it is a warning (LIM005),
/// because only unpatched Windows builds fail; every other kind over its limit is an error.
pub const LEGACY_WINDOWS_CLIENT: &str = "windows-ikev2-legacy";

pub(crate) fn check(index: &Index, sink: &mut Sink) {
    let topology = index.topology;
    for lng in &topology.local_networks {
        let n = canonical_list(lng.address_space.iter().copied()).len();
        if n > MAX_LOCAL_NETWORK_PREFIXES {
            sink.add(
                "LIM001",
                &lng.name,
                format!(
                    "{n} address prefixes, above the limit of {MAX_LOCAL_NETWORK_PREFIXES} per \
                     local network: summarize them or use BGP"
                ),
            );
        }
    }
    for (v, vnet) in topology.vnets.iter().enumerate() {
        let Some(gw) = &vnet.gateway else { continue };
        let n = canonical_list(index.vnet_prefixes_with_spokes(v)).len();
        if n > MAX_VNET_PREFIXES {
            sink.add(
                "LIM002",
                &gw.name,
                format!(
                    "{n} VNet prefixes (own VNet and transit spokes), above the limit of \
                     {MAX_VNET_PREFIXES}: consolidate address spaces or split the spokes"
                ),
            );
        }
        let Some(ga) = index.analysis_of(&gw.name) else {
            continue;
        };
        let learned = index.bgp_learned_count(v, ga);
        if learned > MAX_BGP_ROUTES {
            sink.add(
                "LIM003",
                &gw.name,
                format!(
                    "{learned} routes learned over BGP, above the limit of {MAX_BGP_ROUTES}: the \
                     BGP session is dropped; summarize or filter what peers announce"
                ),
            );
        }
        for c in ga.clients.iter().filter(|c| c.status == Status::OverLimit) {
            let (Some(n), Some(max)) = (c.selectors, c.limit) else {
                continue;
            };
            let code = if c.kind.id == LEGACY_WINDOWS_CLIENT {
                "LIM005"
            } else {
                "LIM004"
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
