//! Name lookups over a topology, built once per [`check`](super::check) and shared by the rules.
//!
//! Names that do not resolve are simply absent from the maps, so every rule skips them instead
//! of failing. The transit-peer predicate is the routing engine's (spec §5): hub→spoke allows
//! gateway transit, spoke→hub uses remote gateways, the hub has a gateway and the spoke has none.

use crate::engine::{Analysis, GatewayAnalysis};
use crate::model::{Connection, ConnectionPeer, Gateway, LocalNetwork, Peering, Topology};
use crate::prefix::{net_cmp, IpNet};
use rustc_hash::FxHashMap as FxMap;

pub(crate) struct Index<'a> {
    pub topology: &'a Topology,
    pub analysis: &'a Analysis,
    vnets: FxMap<&'a str, usize>,
    /// gateway name -> index of its VNet
    gateways: FxMap<&'a str, usize>,
    local_networks: FxMap<&'a str, usize>,
    /// (from VNet, to VNet) -> first peering resource in that direction
    peerings: FxMap<(usize, usize), &'a Peering>,
    /// gateway name -> its analysis (gateways with P2S)
    analyses: FxMap<&'a str, &'a GatewayAnalysis>,
    /// gateway name -> indices of its connection resources, in file order
    connections: FxMap<&'a str, Vec<usize>>,
    /// Per VNet index: its transit spokes (VNet indices), sorted.
    pub transit_spokes: Vec<Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn new(topology: &'a Topology, analysis: &'a Analysis) -> Index<'a> {
        let mut vnets = FxMap::default();
        let mut gateways = FxMap::default();
        for (i, v) in topology.vnets.iter().enumerate() {
            vnets.entry(v.name.as_str()).or_insert(i);
            if let Some(g) = &v.gateway {
                gateways.entry(g.name.as_str()).or_insert(i);
            }
        }
        let mut local_networks = FxMap::default();
        for (i, l) in topology.local_networks.iter().enumerate() {
            local_networks.entry(l.name.as_str()).or_insert(i);
        }
        let mut peerings = FxMap::default();
        for p in &topology.peerings {
            if let (Some(&a), Some(&b)) = (vnets.get(p.vnet.as_str()), vnets.get(p.remote.as_str()))
            {
                peerings.entry((a, b)).or_insert(p);
            }
        }
        let mut transit_spokes = vec![Vec::new(); topology.vnets.len()];
        for (&(hub, spoke), p) in &peerings {
            let back = peerings.get(&(spoke, hub));
            if p.allow_gateway_transit
                && back.is_some_and(|b| b.use_remote_gateways)
                && topology.vnets[hub].gateway.is_some()
                && topology.vnets[spoke].gateway.is_none()
            {
                transit_spokes[hub].push(spoke);
            }
        }
        for s in &mut transit_spokes {
            s.sort_unstable();
            s.dedup();
        }
        let mut analyses = FxMap::default();
        for ga in &analysis.gateways {
            analyses.entry(ga.name.as_str()).or_insert(ga);
        }
        let mut connections: FxMap<&str, Vec<usize>> = FxMap::default();
        for (i, c) in topology.connections.iter().enumerate() {
            connections.entry(c.gateway.as_str()).or_default().push(i);
        }
        Index {
            topology,
            analysis,
            analyses,
            vnets,
            gateways,
            local_networks,
            peerings,
            connections,
            transit_spokes,
        }
    }

    pub fn vnet_index(&self, name: &str) -> Option<usize> {
        self.vnets.get(name).copied()
    }

    /// The gateway of that name with the index of its VNet.
    pub fn gateway(&self, name: &str) -> Option<(usize, &'a Gateway)> {
        let v = *self.gateways.get(name)?;
        self.topology.vnets[v].gateway.as_ref().map(|g| (v, g))
    }

    pub fn local_network(&self, name: &str) -> Option<&'a LocalNetwork> {
        self.local_networks
            .get(name)
            .map(|&i| &self.topology.local_networks[i])
    }

    /// The peering resource from `from` to `to` (VNet indices).
    pub fn peering(&self, from: usize, to: usize) -> Option<&'a Peering> {
        self.peerings.get(&(from, to)).copied()
    }

    /// The connection resources of a gateway, in file order.
    pub fn connections_of<'s>(
        &'s self,
        gateway: &'s str,
    ) -> impl Iterator<Item = &'a Connection> + 's {
        self.connections
            .get(gateway)
            .into_iter()
            .flatten()
            .map(|&i| &self.topology.connections[i])
    }

    /// The address space behind a connection: the local network's, or the remote gateway's VNet's.
    pub fn far_side(&self, c: &Connection) -> Option<(&'a str, &'a [IpNet])> {
        match &c.peer {
            ConnectionPeer::LocalNetwork(l) => self
                .local_network(l)
                .map(|l| (l.name.as_str(), l.address_space.as_slice())),
            ConnectionPeer::Gateway(g) => self.gateway(g).map(|(v, _)| {
                let vnet = &self.topology.vnets[v];
                (vnet.name.as_str(), vnet.address_space.as_slice())
            }),
        }
    }

    /// Own VNet prefixes plus those of its transit spokes: what the gateway counts as its VNet
    /// address space (FAQ: with gateway transit the gateway treats peered prefixes as its own).
    pub fn vnet_prefixes_with_spokes(&self, v: usize) -> Vec<IpNet> {
        std::iter::once(v)
            .chain(self.transit_spokes[v].iter().copied())
            .flat_map(|s| self.topology.vnets[s].address_space.iter().copied())
            .collect()
    }

    /// The analysis of a gateway (only gateways with P2S have one).
    pub fn analysis_of(&self, gateway: &str) -> Option<&'a GatewayAnalysis> {
        self.analyses.get(gateway).copied()
    }

    /// What a gateway has from its own configuration: VNet, transit spokes, pool, custom routes,
    /// directly connected networks. Everything else in its advertised list is BGP-learned (a
    /// learned prefix identical to a local one is indistinguishable and counts as local).
    /// Sorted and distinct (canonical order).
    fn local_prefixes(&self, v: usize, ga: &GatewayAnalysis) -> Vec<IpNet> {
        let Some(gw) = self.topology.vnets[v].gateway.as_ref() else {
            return Vec::new();
        };
        let mut local: Vec<IpNet> = self.vnet_prefixes_with_spokes(v);
        local.extend(ga.pool.entries());
        local.extend(ga.pool.prefixes.iter().copied());
        local.extend(gw.custom_routes.iter().copied());
        for c in self.connections_of(&gw.name) {
            if let Some((_, space)) = self.far_side(c) {
                local.extend(space.iter().copied());
            }
        }
        local.sort_unstable_by(net_cmp);
        local.dedup();
        local
    }

    /// How many prefixes a gateway learns over BGP. Counted from the few local prefixes, not by
    /// walking the advertised list, which in a large BGP domain is shared and huge.
    pub fn bgp_learned_count(&self, v: usize, ga: &GatewayAnalysis) -> usize {
        let local = self.local_prefixes(v, ga);
        ga.advertised.len() - ga.advertised.count_contained(&local)
    }

    /// The BGP-learned prefixes of a gateway that overlap any of `prefixes`, sorted.
    pub fn bgp_learned_overlapping(
        &self,
        v: usize,
        ga: &GatewayAnalysis,
        prefixes: &[IpNet],
    ) -> Vec<IpNet> {
        let local = self.local_prefixes(v, ga);
        let mut out: Vec<IpNet> = prefixes
            .iter()
            .flat_map(|p| ga.advertised.overlapping(p))
            .filter(|p| local.binary_search_by(|q| net_cmp(q, p)).is_err())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
