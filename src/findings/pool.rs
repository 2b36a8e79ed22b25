//! The P2S address pool against every other address space the gateway knows (POOL001–POOL005):
//! its VNet, transit spokes, connected sites, BGP-learned prefixes and other gateways' pools.
//!
//! Spec §7 and §10 ("validate pool: no overlap with H, transit peers, LNG prefixes"). Every
//! comparison goes through the prefix engine; the message gives the shared addresses.

use super::index::Index;
use super::{short_list, Sink};
use crate::prefix::{overlaps, IpNet, PrefixSet};

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

        let shared = common(&pool, &vnet.address_space);
        if !shared.is_empty() {
            sink.add(
                "POOL001",
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
                    "POOL002",
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
                    "POOL003",
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
            let learned = index.bgp_learned_overlapping(v, ga, &p2s.address_pool);
            if !learned.is_empty() {
                sink.add(
                    "POOL004",
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
            "POOL005",
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
