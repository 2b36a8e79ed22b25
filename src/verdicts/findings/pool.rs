//! The P2S address pool against every other address space the gateway knows (POOL001–POOL006):
//! its VNet, transit spokes, connected sites, BGP-learned prefixes and other gateways' pools.
//!
//! Spec §7 and §10 ("validate pool: no overlap with H, transit peers, LNG prefixes"). Every
//! comparison goes through the prefix engine; the message gives the shared addresses.

use super::catalog;
use super::index::Index;
use super::{short_list, Sink};
use crate::prefix::{overlaps, IpNet, PrefixSet};

/// The ranges a pool should come from (pool include: "Use a private IP address range"): RFC 1918,
/// the shared address space of RFC 6598, and IPv6 unique local addresses (RFC 4193).
const PRIVATE_RANGES: [&str; 5] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
];

fn private_ranges() -> PrefixSet {
    PrefixSet::from_prefixes(
        PRIVATE_RANGES
            .iter()
            .filter_map(|p| p.parse::<IpNet>().ok()),
    )
}

fn common(pool: &PrefixSet, other: &[IpNet]) -> Vec<IpNet> {
    pool.intersection(&PrefixSet::from_prefixes(other.iter().copied()))
        .to_prefixes()
}

pub(crate) fn check(index: &Index, sink: &mut Sink) {
    let topology = index.topology;
    let mut pools: Vec<(usize, Vec<IpNet>)> = Vec::new();
    for (v, vnet) in topology.vnets.iter().enumerate() {
        let Some(gw) = &vnet.gateway else { continue };
        let Some(p2s) = &gw.p2s else { continue };
        if p2s.address_pool.is_empty() {
            continue;
        }
        pools.push((v, p2s.address_pool.clone()));
        let pool = PrefixSet::from_prefixes(p2s.address_pool.iter().copied());
        let name = &gw.name;

        let public = pool.difference(&private_ranges()).to_prefixes();
        if !public.is_empty() {
            sink.add(
                catalog::POOL006,
                name,
                format!(
                    "address pool {} is outside the private ranges (10.0.0.0/8, 172.16.0.0/12, \
                     192.168.0.0/16, 100.64.0.0/10, fc00::/7): use a private pool",
                    short_list(&public, 5)
                ),
            );
        }

        let shared = common(&pool, &vnet.address_space);
        if !shared.is_empty() {
            sink.add(
                catalog::POOL001,
                name,
                format!(
                    "address pool overlaps VNet '{}' at {}: choose a pool outside the VNet's \
                     address space",
                    vnet.name,
                    short_list(&shared, 5)
                ),
            );
        }
        for &s in &index.transit_spokes[v] {
            let spoke = &topology.vnets[s];
            let shared = common(&pool, &spoke.address_space);
            if !shared.is_empty() {
                sink.add(
                    catalog::POOL002,
                    name,
                    format!(
                        "address pool overlaps transit spoke '{}' at {}: move the pool or \
                         re-address the spoke",
                        spoke.name,
                        short_list(&shared, 5)
                    ),
                );
            }
        }
        let mut sites: Vec<(&str, &[IpNet])> = index
            .connections_of(&gw.name)
            .filter_map(|c| index.far_side(c))
            .collect();
        sites.sort_by_key(|s| s.0);
        sites.dedup_by_key(|s| s.0);
        for (site, space) in sites {
            let shared = common(&pool, space);
            if !shared.is_empty() {
                sink.add(
                    catalog::POOL003,
                    name,
                    format!(
                        "address pool overlaps connected network '{site}' at {}: move the pool \
                         or the site's address space",
                        short_list(&shared, 5)
                    ),
                );
            }
        }
        if let Some(ga) = index.analysis_of(&gw.name) {
            // What BGP hands the gateway: the kept part of its domain's shared list.
            let mut learned: Vec<IpNet> = p2s
                .address_pool
                .iter()
                .flat_map(|p| ga.advertised.shared_overlapping(p))
                .collect();
            learned.sort_unstable();
            learned.dedup();
            if !learned.is_empty() {
                sink.add(
                    catalog::POOL004,
                    name,
                    format!(
                        "address pool overlaps BGP-learned {}: move the pool to space no BGP \
                         peer announces",
                        short_list(&learned, 5)
                    ),
                );
            }
        }
    }
    for o in overlaps(&pools) {
        let (Some(a), Some(b)) = (
            topology.vnets[o.a].gateway.as_ref(),
            topology.vnets[o.b].gateway.as_ref(),
        ) else {
            continue;
        };
        sink.add(
            catalog::POOL005,
            &a.name,
            format!(
                "address pool overlaps the pool of gateway '{}' at {}: give each gateway its \
                 own pool",
                b.name,
                short_list(&o.common, 5)
            ),
        );
    }
}
