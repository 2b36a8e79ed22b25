//! The network model: virtual networks, their gateways and P2S configuration, peerings, local
//! network gateways and connections — the Azure resources that decide P2S routes.
//!
//! A [`Topology`] is what every reader produces and what the routing engine consumes. It is built
//! from the native schema ([`schema::NativeFile`], the hand-editable YAML/JSON form) by
//! [`build`], the only validator, which resolves names and reports every problem with the file and
//! the place in it: where a reader found the element ([`Origin`]: the JSON path of an export and
//! the resource ID), else its native path (`vnets[3].address_space[1]`). A `Topology` obtained from [`build`] is consistent: names are
//! unique per kind and every reference points at something that exists.
//!
//! Prefixes are stored in canonical form (host bits cleared), so `10.1.2.3/16` in a file means
//! `10.1.0.0/16`.

mod build;
pub mod generate;
mod kinds;
pub mod schema;

pub(crate) use build::values;
pub use build::{build, to_native, Located, TopologyError, DEFAULT_GATEWAY_ASN};
pub use kinds::{AuthType, ConnectionType, GatewayGeneration, Sku, TunnelType, VpnType};
pub use schema::Origin;

use crate::prefix::IpNet;

/// A whole network: what one analysis looks at.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    pub vnets: Vec<Vnet>,
    /// One entry per direction, as in Azure.
    pub peerings: Vec<Peering>,
    pub local_networks: Vec<LocalNetwork>,
    /// One entry per direction for Vnet2Vnet, as in Azure.
    pub connections: Vec<Connection>,
    /// Where [`build`] read each element (empty for a topology made otherwise). Not part of
    /// what the topology is: equality ignores it.
    pub origins: Origins,
}

impl PartialEq for Topology {
    fn eq(&self, other: &Self) -> bool {
        self.vnets == other.vnets
            && self.peerings == other.peerings
            && self.local_networks == other.local_networks
            && self.connections == other.connections
    }
}

/// Where each element of a built topology was read, by its index in the topology's lists: so
/// an error about a later change that collides with an element (a what-if that defines its
/// name again) can name the element's file and place, not just "the base topology". Compact:
/// an element of a native file is its file and index, 8 bytes, not a text.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    files: Vec<String>,
    vnets: Vec<ReadAt>,
    peerings: Vec<ReadAt>,
    local_networks: Vec<ReadAt>,
    connections: Vec<ReadAt>,
}

#[derive(Clone, Debug)]
enum ReadAt {
    /// Element `index` of list `list` in native file `file` (an index into `Origins::files`).
    Native { file: u32, index: u32 },
    /// Where a reader found it (an Azure export).
    Read(Box<Origin>),
}

/// The lists of a topology, for [`Origins`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum List {
    Vnets,
    Peerings,
    LocalNetworks,
    Connections,
}

impl List {
    fn native_name(self) -> &'static str {
        match self {
            List::Vnets => "vnets",
            List::Peerings => "peerings",
            List::LocalNetworks => "local_networks",
            List::Connections => "connections",
        }
    }
}

impl Origins {
    fn list(&self, list: List) -> &[ReadAt] {
        match list {
            List::Vnets => &self.vnets,
            List::Peerings => &self.peerings,
            List::LocalNetworks => &self.local_networks,
            List::Connections => &self.connections,
        }
    }

    /// Origins for a topology built from the native files named `files`, with room for the
    /// origins of `[vnets, peerings, local networks, connections]` elements.
    pub(crate) fn for_files(files: Vec<String>, lengths: [usize; 4]) -> Origins {
        Origins {
            files,
            vnets: Vec::with_capacity(lengths[0]),
            peerings: Vec::with_capacity(lengths[1]),
            local_networks: Vec::with_capacity(lengths[2]),
            connections: Vec::with_capacity(lengths[3]),
        }
    }

    /// Records the next element of `list`: element `index` of native file `file` (an index
    /// into the files given to [`Origins::for_files`]), read from `origin` when a reader made
    /// it.
    pub(crate) fn record(
        &mut self,
        list: List,
        file: usize,
        index: usize,
        origin: Option<&Origin>,
    ) {
        let at = match origin {
            Some(o) => ReadAt::Read(Box::new(o.clone())),
            None => ReadAt::Native {
                file: file as u32,
                index: index as u32,
            },
        };
        match list {
            List::Vnets => self.vnets.push(at),
            List::Peerings => self.peerings.push(at),
            List::LocalNetworks => self.local_networks.push(at),
            List::Connections => self.connections.push(at),
        }
    }

    /// Where element `index` of `list` was read, if the topology was built with it.
    pub(crate) fn of(&self, list: List, index: usize) -> Option<Origin> {
        Some(match self.list(list).get(index)? {
            ReadAt::Read(origin) => (**origin).clone(),
            ReadAt::Native { file, index } => Origin {
                file: self.files[*file as usize].clone(),
                path: format!("{}[{index}]", list.native_name()),
                id: String::new(),
                fields: Vec::new(),
            },
        })
    }
}

/// A virtual network.
#[derive(Clone, Debug, PartialEq)]
pub struct Vnet {
    pub name: String,
    pub address_space: Vec<IpNet>,
    /// Boxed: one VNet in fifty has one, and inline it would make every VNet almost four times
    /// as large (208 bytes, not 56).
    pub gateway: Option<Box<Gateway>>,
    /// Not part of the input (a peering or a gateway names it): whether it has a gateway or
    /// peerings back is unknown, so the findings that need them are not raised.
    pub external: bool,
}

/// A VPN gateway (`virtualNetworkGateways` with `gatewayType: Vpn`).
#[derive(Clone, Debug, PartialEq)]
pub struct Gateway {
    pub name: String,
    /// `None` when the export does not say; capacity checks then say they were skipped.
    pub sku: Option<Sku>,
    /// `vpnGatewayGeneration`; `None` when the export does not say (or says `None`). VpnGw1
    /// exists only in Generation1, VpnGw4 and VpnGw5 only in Generation2 (SKU004).
    pub generation: Option<GatewayGeneration>,
    pub vpn_type: VpnType,
    pub active_active: bool,
    /// `Some` = BGP enabled on this gateway.
    pub bgp: Option<GatewayBgp>,
    pub custom_routes: Vec<IpNet>,
    /// How many NAT rules the gateway has (`natRules`, inline or as child resources). Azure
    /// offers NAT on VpnGw2–5 and VpnGw2AZ–5AZ only (SKU005); the rules never apply to P2S.
    pub nat_rules: u32,
    pub p2s: Option<P2s>,
    /// Values the reader assumed because the export did not say (printed as assumptions).
    pub assumed: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewayBgp {
    pub asn: u32,
}

/// A gateway's point-to-site configuration (`vpnClientConfiguration`).
#[derive(Clone, Debug, PartialEq)]
pub struct P2s {
    pub address_pool: Vec<IpNet>,
    /// A set: Azure returns protocols in varying order. Sorted, no duplicates.
    pub tunnel_types: Vec<TunnelType>,
    /// A set, sorted, no duplicates.
    pub auth_types: Vec<AuthType>,
}

impl P2s {
    pub fn has(&self, tunnel: TunnelType) -> bool {
        self.tunnel_types.contains(&tunnel)
    }
}

/// One direction of a VNet peering.
#[derive(Clone, Debug, PartialEq)]
pub struct Peering {
    pub vnet: String,
    pub remote: String,
    pub allow_gateway_transit: bool,
    pub use_remote_gateways: bool,
    /// The remote address space this peering resource has peered (`remoteAddressSpace`, the
    /// space as of the last sync); `None` when the export does not carry it. A value that
    /// differs from the remote VNet's current address space means the peering is out of sync.
    pub remote_address_space: Option<Vec<IpNet>>,
}

/// A local network gateway: an on-premises site.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalNetwork {
    pub name: String,
    pub address_space: Vec<IpNet>,
    pub bgp: Option<LocalBgp>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LocalBgp {
    pub asn: u32,
    pub peer_ip: Option<std::net::IpAddr>,
}

/// One gateway connection resource (one direction of a tunnel).
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub name: String,
    pub gateway: String,
    pub peer: ConnectionPeer,
    /// `enableBgp` on this connection resource.
    pub bgp: bool,
}

/// The far end of a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionPeer {
    /// `IPsec`: site-to-site to a local network gateway.
    LocalNetwork(String),
    /// `Vnet2Vnet`: to another VPN gateway.
    Gateway(String),
}

impl Connection {
    pub fn kind(&self) -> ConnectionType {
        match self.peer {
            ConnectionPeer::LocalNetwork(_) => ConnectionType::IPsec,
            ConnectionPeer::Gateway(_) => ConnectionType::Vnet2Vnet,
        }
    }
}

impl Topology {
    /// Every gateway with the VNet it lives in, in file order.
    pub fn gateways(&self) -> impl Iterator<Item = (&Vnet, &Gateway)> {
        self.vnets
            .iter()
            .filter_map(|v| v.gateway.as_deref().map(|g| (v, g)))
    }
}
