//! Who is linked to whom: gateway transit peers, static links and BGP domains.
//!
//! Rules (spec §0, §5, §6, §9):
//! - A spoke is a *transit peer* of a hub when the hub→spoke peering allows gateway transit, the
//!   spoke→hub peering uses remote gateways (both directions exist, so the peering is connected)
//!   and the spoke has no gateway of its own. Peers of peers never count.
//! - A Vnet2Vnet link exists only when both connection resources exist; it runs BGP when both
//!   enable BGP and both gateways have BGP. An IPsec connection runs BGP when it enables BGP and
//!   both the gateway and the local network have BGP.
//! - A BGP domain is a connected set of gateways joined by chains of BGP-running connections:
//!   Vnet2Vnet links, and a local network that runs BGP with two or more gateways (an
//!   on-premises router passes routes between its eBGP neighbours, spec §6 "BGP transit
//!   routing is supported").

use rustc_hash::FxHashMap as FxMap;

use crate::model::{ConnectionPeer, Topology};

/// Indexes over a topology, built once per analysis. Indices are positions in `topology.vnets`
/// (gateways are identified by the index of their VNet) and `topology.local_networks`.
pub(crate) struct Graph {
    /// Per VNet: transit spokes (VNet indices), sorted.
    pub transit_spokes: Vec<Vec<usize>>,
    /// Per gateway VNet: IPsec-connected local networks `(index, runs_bgp)`, sorted, distinct.
    pub local_links: Vec<Vec<(usize, bool)>>,
    /// Per gateway VNet: Vnet2Vnet links (both directions exist) `(remote VNet index, runs_bgp)`.
    pub gateway_links: Vec<Vec<(usize, bool)>>,
    /// Per VNet: the BGP domain it belongs to (only meaningful for VNets with a gateway).
    pub domain_of: Vec<usize>,
    /// Members of each domain (VNet indices), sorted.
    pub domains: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(topology: &Topology) -> Graph {
        let vnet_index: FxMap<&str, usize> = topology
            .vnets
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.as_str(), i))
            .collect();
        let gateway_vnet: FxMap<&str, usize> = topology
            .vnets
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.gateway.as_ref().map(|g| (g.name.as_str(), i)))
            .collect();
        let lng_index: FxMap<&str, usize> = topology
            .local_networks
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.as_str(), i))
            .collect();
        let n = topology.vnets.len();

        // Peerings: (from, to) -> (allow_gateway_transit, use_remote_gateways)
        let mut peering: FxMap<(usize, usize), (bool, bool)> = FxMap::default();
        for p in &topology.peerings {
            if let (Some(&a), Some(&b)) = (
                vnet_index.get(p.vnet.as_str()),
                vnet_index.get(p.remote.as_str()),
            ) {
                let e = peering.entry((a, b)).or_default();
                e.0 |= p.allow_gateway_transit;
                e.1 |= p.use_remote_gateways;
            }
        }
        let mut transit_spokes = vec![Vec::new(); n];
        for (&(hub, spoke), &(allow, _)) in &peering {
            let spoke_uses = peering
                .get(&(spoke, hub))
                .is_some_and(|&(_, use_remote)| use_remote);
            if allow
                && spoke_uses
                && topology.vnets[hub].gateway.is_some()
                && topology.vnets[spoke].gateway.is_none()
            {
                transit_spokes[hub].push(spoke);
            }
        }
        for s in &mut transit_spokes {
            s.sort_unstable();
        }

        let mut local_links = vec![Vec::new(); n];
        // Gateways are 0..n (by VNet), local networks n..n+m.
        let mut union = UnionFind::new(n + topology.local_networks.len());
        // Vnet2Vnet connection resources: (from, to) -> any of them enables BGP
        let mut directed: FxMap<(usize, usize), bool> = FxMap::default();
        for c in &topology.connections {
            let Some(&from) = gateway_vnet.get(c.gateway.as_str()) else {
                continue;
            };
            let gw_bgp = topology.vnets[from]
                .gateway
                .as_ref()
                .is_some_and(|g| g.bgp.is_some());
            match &c.peer {
                ConnectionPeer::LocalNetwork(l) => {
                    if let Some(&li) = lng_index.get(l.as_str()) {
                        let bgp = c.bgp && gw_bgp && topology.local_networks[li].bgp.is_some();
                        local_links[from].push((li, bgp));
                        if bgp {
                            union.join(from, n + li);
                        }
                    }
                }
                ConnectionPeer::Gateway(g) => {
                    if let Some(&to) = gateway_vnet.get(g.as_str()) {
                        *directed.entry((from, to)).or_default() |= c.bgp && gw_bgp;
                    }
                }
            }
        }
        for links in &mut local_links {
            // One entry per local network: BGP if any of its connections runs BGP.
            links.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            links.dedup_by_key(|l| l.0);
        }
        let mut gateway_links = vec![Vec::new(); n];
        for (&(a, b), &bgp_ab) in &directed {
            if let Some(&bgp_ba) = directed.get(&(b, a)) {
                let bgp = bgp_ab && bgp_ba;
                gateway_links[a].push((b, bgp));
                if bgp {
                    union.join(a, b);
                }
            }
        }
        for links in &mut gateway_links {
            links.sort_unstable();
        }

        let mut domain_id: FxMap<usize, usize> = FxMap::default();
        let mut domain_of = vec![usize::MAX; n];
        let mut domains: Vec<Vec<usize>> = Vec::new();
        for (v, vnet) in topology.vnets.iter().enumerate() {
            if vnet.gateway.is_none() {
                continue;
            }
            let root = union.find(v);
            let id = *domain_id.entry(root).or_insert_with(|| {
                domains.push(Vec::new());
                domains.len() - 1
            });
            domain_of[v] = id;
            domains[id].push(v);
        }
        Graph {
            transit_spokes,
            local_links,
            gateway_links,
            domain_of,
            domains,
        }
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller index wins, so the result does not depend on hash order.
        if ra < rb {
            self.parent[rb] = ra;
        } else {
            self.parent[ra] = rb;
        }
    }
}
