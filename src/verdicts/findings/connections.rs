//! Gateway connections (CONN001–CONN006): Vnet2Vnet pairs, BGP on both ends, tunnel counts per
//! SKU and the route-based requirement. Spec §3 (SKU table, route-based), §6 (BGP), §9 (a
//! Vnet2Vnet tunnel is two connection resources).

use super::catalog;
use std::collections::{BTreeMap, HashMap};

use super::index::Index;
use super::{Options, Rule, Sink};
use crate::facts::dates::effective_sku;
use crate::facts::skus::sku_row;
use crate::model::{ConnectionPeer, VpnType};

/// CONN002/CONN003: connection `connection` enables BGP but one of its ends (`end_lacks`, e.g.
/// "gateway 'x' has no BGP") does not; `fix` says what to do.
fn bgp_on_one_end(sink: &mut Sink, rule: Rule, connection: &str, end_lacks: &str, fix: &str) {
    sink.add(
        rule,
        connection,
        format!("BGP is enabled on the connection but {end_lacks}: {fix}"),
    );
}

pub(crate) fn check(index: &Index, options: &Options, sink: &mut Sink) {
    let topology = index.topology;
    // (from gateway, to gateway) -> does any connection in that direction enable BGP
    let mut directed: HashMap<(&str, &str), bool> = HashMap::new();
    for c in &topology.connections {
        if let ConnectionPeer::Gateway(to) = &c.peer {
            *directed
                .entry((c.gateway.as_str(), to.as_str()))
                .or_default() |= c.bgp;
        }
    }
    let mut per_gateway: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // (IPsec, Vnet2Vnet)
    for c in &topology.connections {
        let Some((_, gw)) = index.gateway(&c.gateway) else {
            continue;
        };
        let counts = per_gateway.entry(gw.name.as_str()).or_default();
        match &c.peer {
            ConnectionPeer::LocalNetwork(_) => counts.0 += 1,
            ConnectionPeer::Gateway(_) => counts.1 += 1,
        }
        if c.bgp && gw.bgp.is_none() {
            bgp_on_one_end(
                sink,
                catalog::CONN002,
                &c.name,
                &format!("gateway '{}' has no BGP", gw.name),
                "enable BGP on the gateway or turn it off on the connection",
            );
        }
        match &c.peer {
            ConnectionPeer::LocalNetwork(l) => {
                if let Some(lng) = index.local_network(l) {
                    if c.bgp && lng.bgp.is_none() {
                        bgp_on_one_end(
                            sink,
                            catalog::CONN003,
                            &c.name,
                            &format!("local network '{}' has no BGP settings", lng.name),
                            "add its ASN and peer IP or turn BGP off",
                        );
                    }
                }
            }
            ConnectionPeer::Gateway(to) => {
                let Some((_, remote)) = index.gateway(to) else {
                    continue;
                };
                if c.bgp && remote.bgp.is_none() {
                    bgp_on_one_end(
                        sink,
                        catalog::CONN003,
                        &c.name,
                        &format!("remote gateway '{}' has no BGP", remote.name),
                        "enable BGP there or turn it off on the connection",
                    );
                }
                match directed.get(&(to.as_str(), c.gateway.as_str())) {
                    None => sink.add(
                        catalog::CONN001,
                        &c.name,
                        format!(
                            "no connection from '{to}' back to '{}', so the Vnet2Vnet tunnel \
                             never comes up: create it on '{to}'",
                            c.gateway
                        ),
                    ),
                    Some(&back_bgp) if back_bgp && !c.bgp => sink.add(
                        catalog::CONN004,
                        &c.name,
                        format!(
                            "the connection from '{to}' back to '{}' enables BGP but this one \
                             does not, so the link runs static: enable BGP here too",
                            c.gateway
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    for (name, (ipsec, vnet2vnet)) in per_gateway {
        let Some((_, gw)) = index.gateway(name) else {
            continue;
        };
        let total = ipsec + vnet2vnet;
        if let Some(row) = gw
            .sku
            .and_then(|s| sku_row(effective_sku(s, options.as_of)))
        {
            if total > row.s2s_tunnels as usize {
                sink.add(
                    catalog::CONN005,
                    name,
                    format!(
                        "{total} S2S/Vnet2Vnet connections but {} allows {}: resize the gateway \
                         or remove connections",
                        row.sku, row.s2s_tunnels
                    ),
                );
            }
        }
        if gw.vpn_type == VpnType::PolicyBased && (vnet2vnet > 0 || ipsec > 1) {
            sink.add(
                catalog::CONN006,
                name,
                format!(
                    "a policy-based gateway supports one S2S connection and no Vnet2Vnet, but \
                     has {ipsec} S2S and {vnet2vnet} Vnet2Vnet: recreate it as RouteBased"
                ),
            );
        }
    }
}
