//! Name lookups over a topology, built once per [`check`](super::check) and shared by the rules.
//!
//! Names that do not resolve are simply absent from the maps, so every rule skips them instead
//! of failing. Transit spokes are the routing engine's ([`Analysis::transit_spokes`], spec §5),
//! and so are the routes learned over BGP (the shared part of each gateway's advertised set).

use crate::engine::{Analysis, GatewayAnalysis};
use crate::model::{Connection, ConnectionPeer, Gateway, LocalNetwork, Peering, Topology};
use crate::prefix::IpNet;
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
    /// Per VNet index: its transit spokes (VNet indices), sorted: the engine's.
    pub transit_spokes: &'a [Vec<usize>],
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
            transit_spokes: &analysis.transit_spokes,
        }
    }

    pub fn vnet_index(&self, name: &str) -> Option<usize> {
        self.vnets.get(name).copied()
    }

    /// The gateway of that name with the index of its VNet.
    pub fn gateway(&self, name: &str) -> Option<(usize, &'a Gateway)> {
        let v = *self.gateways.get(name)?;
        self.topology.vnets[v].gateway.as_deref().map(|g| (v, g))
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
}
