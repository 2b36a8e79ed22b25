//! Synthetic topologies for tests and benchmarks: regions of hub-and-spoke, hubs linked by
//! Vnet2Vnet (optionally with BGP), branches on every hub. The same options and seed always give
//! the same topology, on every machine (the generator is a hand-written SplitMix64, not a crate
//! whose stream may change between versions).

use std::net::{IpAddr, Ipv4Addr};

use crate::model::{
    AuthType, Connection, ConnectionPeer, Gateway, GatewayBgp, LocalBgp, LocalNetwork, P2s,
    Peering, Sku, Topology, TunnelType, Vnet, VpnType,
};
use crate::prefix::IpNet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    pub hubs: usize,
    pub spokes_per_hub: usize,
    pub prefixes_per_vnet: usize,
    /// Branch offices (local networks) per hub.
    pub local_networks: usize,
    /// Link hubs by Vnet2Vnet: each hub with the next `mesh_degree` hubs (all of them when
    /// fewer), so small runs are a full mesh and large ones stay realistic.
    pub v2v_mesh: bool,
    pub mesh_degree: usize,
    pub bgp: bool,
    pub seed: u64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            hubs: 2,
            spokes_per_hub: 10,
            prefixes_per_vnet: 2,
            local_networks: 1,
            v2v_mesh: false,
            mesh_degree: 3,
            bgp: false,
            seed: 1,
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed forever.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Hands out aligned, never-overlapping IPv4 blocks upward from a start address.
struct Allocator {
    next: u64,
    end: u64,
}

impl Allocator {
    fn new(start: Ipv4Addr, end: Ipv4Addr) -> Self {
        Allocator {
            next: u64::from(u32::from(start)),
            end: u64::from(u32::from(end)) + 1,
        }
    }

    fn take(&mut self, len: u8) -> Option<IpNet> {
        let size = 1u64 << (32 - u32::from(len));
        let start = self.next.div_ceil(size) * size;
        if start + size > self.end {
            return None;
        }
        self.next = start + size;
        IpNet::new(IpAddr::V4(Ipv4Addr::from(start as u32)), len).ok()
    }
}

/// Why a topology cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct GenerateError(String);

const SKUS: [Sku; 4] = [Sku::VpnGw2AZ, Sku::VpnGw3AZ, Sku::VpnGw4AZ, Sku::VpnGw5AZ];
const TUNNELS: [&[TunnelType]; 3] = [
    &[TunnelType::IkeV2, TunnelType::OpenVpn],
    &[TunnelType::IkeV2, TunnelType::Sstp],
    &[TunnelType::OpenVpn],
];

/// Builds the topology.
pub fn generate(o: &GenerateOptions) -> Result<Topology, GenerateError> {
    if o.hubs == 0 {
        return Err(GenerateError("--hubs must be at least 1".into()));
    }
    if o.prefixes_per_vnet == 0 {
        return Err(GenerateError(
            "--prefixes-per-vnet must be at least 1".into(),
        ));
    }
    let mut rng = Rng(o.seed);
    // VNets and branches share 10.0.0.0 upward (crossing into other space for huge runs);
    // P2S pools come from 172.16.0.0/12 and then 100.64.0.0/10, never overlapping a VNet.
    let mut space = Allocator::new(Ipv4Addr::new(10, 0, 0, 0), Ipv4Addr::new(99, 255, 255, 255));
    let mut pools = Allocator::new(
        Ipv4Addr::new(172, 16, 0, 0),
        Ipv4Addr::new(172, 31, 255, 255),
    );
    let mut pools_more = Allocator::new(
        Ipv4Addr::new(100, 64, 0, 0),
        Ipv4Addr::new(100, 127, 255, 255),
    );
    let exhausted = || {
        GenerateError(
            "the IPv4 space 10.0.0.0-99.255.255.255 is used up; ask for fewer prefixes".into(),
        )
    };
    let mut t = Topology::default();
    let prefixes =
        |rng: &mut Rng, space: &mut Allocator, base_len: u8| -> Result<Vec<IpNet>, GenerateError> {
            (0..o.prefixes_per_vnet)
                .map(|_| {
                    space
                        .take(base_len + rng.below(5) as u8)
                        .ok_or_else(exhausted)
                })
                .collect()
        };
    for h in 0..o.hubs {
        let hub = format!("hub-{:04}", h + 1);
        let gw = format!("{hub}-gw");
        let pool = match pools.take(24).or_else(|| pools_more.take(24)) {
            Some(p) => p,
            None => return Err(GenerateError("more hubs than P2S pools (20,480)".into())),
        };
        let asn = if o.hubs < 1000 {
            64512 + h as u32
        } else {
            4_200_000_000 + h as u32
        };
        t.vnets.push(Vnet {
            name: hub.clone(),
            address_space: prefixes(&mut rng, &mut space, 20)?,
            gateway: Some(Box::new(Gateway {
                name: gw.clone(),
                sku: Some(SKUS[rng.below(SKUS.len() as u64) as usize]),
                generation: None,
                vpn_type: VpnType::RouteBased,
                active_active: false,
                bgp: o.bgp.then_some(GatewayBgp { asn }),
                custom_routes: Vec::new(),
                nat_rules: 0,
                p2s: Some(P2s {
                    address_pool: vec![pool],
                    tunnel_types: TUNNELS[rng.below(TUNNELS.len() as u64) as usize].to_vec(),
                    auth_types: vec![AuthType::Certificate],
                }),
                assumed: Vec::new(),
            })),
            external: false,
        });
        for s in 0..o.spokes_per_hub {
            let spoke = format!("{hub}-spoke-{:03}", s + 1);
            t.vnets.push(Vnet {
                name: spoke.clone(),
                address_space: prefixes(&mut rng, &mut space, 24)?,
                gateway: None,
                external: false,
            });
            t.peerings.push(Peering {
                vnet: hub.clone(),
                remote: spoke.clone(),
                allow_gateway_transit: true,
                use_remote_gateways: false,
                remote_address_space: None,
            });
            t.peerings.push(Peering {
                vnet: spoke,
                remote: hub.clone(),
                allow_gateway_transit: false,
                use_remote_gateways: true,
                remote_address_space: None,
            });
        }
        for b in 0..o.local_networks {
            let name = format!("{hub}-branch-{:02}", b + 1);
            let count = 1 + rng.below(3) as usize;
            let address_space = (0..count)
                .map(|_| space.take(24).ok_or_else(exhausted))
                .collect::<Result<Vec<_>, _>>()?;
            t.local_networks.push(LocalNetwork {
                name: name.clone(),
                address_space,
                bgp: o.bgp.then(|| LocalBgp {
                    asn: 65000 - (b as u32 % 500),
                    peer_ip: None,
                }),
            });
            t.connections.push(Connection {
                name: format!("{gw}-to-{name}"),
                gateway: gw.clone(),
                peer: ConnectionPeer::LocalNetwork(name),
                bgp: o.bgp,
            });
        }
    }
    if o.v2v_mesh && o.hubs > 1 {
        let degree = o.mesh_degree.min(o.hubs - 1);
        let mut linked = std::collections::BTreeSet::new();
        for a in 0..o.hubs {
            for d in 1..=degree {
                let b = (a + d) % o.hubs;
                let pair = (a.min(b), a.max(b));
                if !linked.insert(pair) {
                    continue;
                }
                let (x, y) = (
                    format!("hub-{:04}-gw", pair.0 + 1),
                    format!("hub-{:04}-gw", pair.1 + 1),
                );
                for (from, to) in [(&x, &y), (&y, &x)] {
                    t.connections.push(Connection {
                        name: format!("{from}-to-{to}"),
                        gateway: from.clone(),
                        peer: ConnectionPeer::Gateway(to.clone()),
                        bgp: o.bgp,
                    });
                }
            }
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_topology_and_counts_add_up() {
        let o = GenerateOptions {
            hubs: 5,
            spokes_per_hub: 4,
            prefixes_per_vnet: 3,
            local_networks: 2,
            v2v_mesh: true,
            mesh_degree: 10,
            bgp: true,
            seed: 7,
        };
        let a = generate(&o).unwrap();
        assert_eq!(a, generate(&o).unwrap());
        assert_ne!(
            a,
            generate(&GenerateOptions {
                seed: 8,
                ..o.clone()
            })
            .unwrap()
        );
        assert_eq!(a.vnets.len(), 5 * (1 + 4));
        assert_eq!(a.peerings.len(), 5 * 4 * 2);
        assert_eq!(a.local_networks.len(), 10);
        // full mesh of 5 hubs: 10 links, two connection resources each, plus 10 branches
        assert_eq!(a.connections.len(), 10 * 2 + 10);
        let all: Vec<IpNet> = a
            .vnets
            .iter()
            .flat_map(|v| v.address_space.clone())
            .collect();
        assert_eq!(all.len(), 25 * 3);
        let set = crate::prefix::PrefixSet::from_prefixes(all.iter().copied());
        let sum: u128 = all.iter().map(|p| 1u128 << (32 - p.prefix_len())).sum();
        assert_eq!(
            set.address_count().to_u128(),
            Some(sum),
            "no two prefixes overlap"
        );
    }
}
