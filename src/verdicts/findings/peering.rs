//! VNet peering and gateway transit (PEER001–PEER009), spec §5.
//!
//! A peering is one direction (one Azure resource); the subject of a finding about it is
//! `vnet->remote`. Findings about a pair (overlap, transit on both ends) are reported once, on
//! the direction whose VNet comes first in the file.

use super::catalog;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;

use super::index::Index;
use super::{short_list, Sink};
use crate::prefix::{canonical_list, IpNet, PrefixSet};

fn subject(from: &str, to: &str) -> String {
    format!("{from}->{to}")
}

pub(crate) fn check(index: &Index, sink: &mut Sink) {
    let topology = index.topology;
    let mut using_remote: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let uses_remote: FxHashSet<&str> = topology
        .peerings
        .iter()
        .filter(|q| q.use_remote_gateways)
        .map(|q| q.vnet.as_str())
        .collect();
    for p in &topology.peerings {
        let (Some(a), Some(b)) = (index.vnet_index(&p.vnet), index.vnet_index(&p.remote)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let here = &topology.vnets[a];
        let there = &topology.vnets[b];
        let back = index.peering(b, a);
        // Formatted only for a finding: most of a large topology's peerings have none.
        let name = || subject(&here.name, &there.name);
        pairs.push((a.min(b), a.max(b)));

        if p.use_remote_gateways {
            using_remote.entry(a).or_default().push(&there.name);
            // A VNet outside the input may well have a gateway: not known, not a finding.
            if there.gateway.is_none() && !there.external {
                sink.add(
                    catalog::PEER001,
                    name(),
                    format!(
                        "uses remote gateways but VNet '{}' has no gateway: deploy one there or \
                         clear use_remote_gateways",
                        there.name
                    ),
                );
            } else if back.is_some_and(|r| !r.allow_gateway_transit) {
                sink.add(
                    catalog::PEER002,
                    name(),
                    format!(
                        "uses remote gateways but '{}' does not allow gateway transit: set \
                         allow_gateway_transit on {}",
                        there.name,
                        subject(&there.name, &here.name)
                    ),
                );
            }
            if here.gateway.is_some() {
                sink.add(
                    catalog::PEER003,
                    name(),
                    format!(
                        "uses remote gateways although VNet '{}' has its own gateway: remove one \
                         of the two",
                        here.name
                    ),
                );
            }
        }
        match back {
            // The way back of a VNet outside the input is outside it too.
            None if there.external || here.external => {}
            None => sink.add(
                catalog::PEER005,
                name(),
                format!(
                    "peering has no reverse direction, so it stays Initiated: create {}",
                    subject(&there.name, &here.name)
                ),
            ),
            Some(r) => {
                if a < b && p.allow_gateway_transit && r.allow_gateway_transit {
                    sink.add(
                        catalog::PEER006,
                        name(),
                        format!(
                            "allow_gateway_transit is set on both ends: keep it only on the hub \
                             and set use_remote_gateways on the spoke ({} and {})",
                            here.name, there.name
                        ),
                    );
                }
                // The landing-zone mistake: a hub with a gateway offers transit, the spoke has
                // no gateway and uses no remote gateway anywhere.
                let spoke_uses_any = uses_remote.contains(there.name.as_str());
                if p.allow_gateway_transit
                    && here.gateway.is_some()
                    && there.gateway.is_none()
                    && !spoke_uses_any
                {
                    sink.add(
                        catalog::PEER008,
                        subject(&there.name, &here.name),
                        format!(
                            "hub '{}' allows gateway transit but spoke '{}' does not use it, so \
                             P2S clients and connected sites get no route to the spoke: set \
                             use_remote_gateways on this peering",
                            here.name, there.name
                        ),
                    );
                }
            }
        }
        if let Some(synced) = &p.remote_address_space {
            out_of_sync(&name(), &there.name, synced, &there.address_space, sink);
        }
    }
    for (v, remotes) in using_remote {
        if remotes.len() > 1 {
            let mut remotes = remotes;
            remotes.sort_unstable();
            sink.add(
                catalog::PEER004,
                &topology.vnets[v].name,
                format!(
                    "{} peerings use remote gateways ({}); only one may: keep it on the peering \
                     to the hub whose gateway this VNet uses",
                    remotes.len(),
                    remotes.join(", ")
                ),
            );
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        let (va, vb) = (&topology.vnets[a], &topology.vnets[b]);
        if disjoint(&va.address_space, &vb.address_space) {
            continue;
        }
        let shared = PrefixSet::from_prefixes(va.address_space.iter().copied())
            .intersection(&PrefixSet::from_prefixes(vb.address_space.iter().copied()))
            .to_prefixes();
        if !shared.is_empty() {
            sink.add(
                catalog::PEER007,
                subject(&va.name, &vb.name),
                format!(
                    "peered VNets '{}' and '{}' overlap at {}: overlapping address spaces cannot \
                     be peered; re-address one",
                    va.name,
                    vb.name,
                    short_list(&shared, 5)
                ),
            );
        }
    }
}

/// Whether two address spaces have no address in common: one merge over their ranges, sorted
/// by family and start (nested ranges allowed), instead of building two sets for each of the
/// 50,000 peered pairs of a large topology; only pairs that do overlap build them.
fn disjoint(a: &[IpNet], b: &[IpNet]) -> bool {
    fn ranges(list: &[IpNet]) -> Vec<(u8, u128, u128)> {
        let mut out: Vec<(u8, u128, u128)> = list
            .iter()
            .map(|p| match p {
                IpNet::V4(n) => (
                    4,
                    u128::from(u32::from(n.network())),
                    u128::from(u32::from(n.broadcast())),
                ),
                IpNet::V6(n) => (6, u128::from(n.network()), u128::from(n.broadcast())),
            })
            .collect();
        out.sort_unstable();
        out
    }
    let (a, b) = (ranges(a), ranges(b));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.0 != y.0 {
            if x.0 < y.0 {
                i += 1;
            } else {
                j += 1;
            }
        } else if x.2 < y.1 {
            i += 1;
        } else if y.2 < x.1 {
            j += 1;
        } else {
            return false;
        }
    }
    true
}

/// PEER009: the peering's copy of the remote address space differs from the remote VNet's own.
fn out_of_sync(name: &str, remote: &str, synced: &[IpNet], actual: &[IpNet], sink: &mut Sink) {
    let synced = canonical_list(synced.iter().copied());
    let actual = canonical_list(actual.iter().copied());
    if synced == actual {
        return;
    }
    let missing: Vec<&IpNet> = actual.iter().filter(|p| !synced.contains(p)).collect();
    let stale: Vec<&IpNet> = synced.iter().filter(|p| !actual.contains(p)).collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", short_list(&missing, 5)));
    }
    if !stale.is_empty() {
        parts.push(format!("stale {}", short_list(&stale, 5)));
    }
    sink.add(
        catalog::PEER009,
        name,
        format!(
            "peering is out of sync with VNet '{remote}' ({}): sync the peering, then re-download \
             P2S client profiles",
            parts.join("; ")
        ),
    );
}
