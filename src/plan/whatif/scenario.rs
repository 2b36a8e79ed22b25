//! Scenario files: a list of changes applied in order to a base topology.
//!
//! ```yaml
//! changes:
//!   - add_spokes: {hub: hub-weu, count: 40, prefixes_per_spoke: 2, prefix_length: 24}
//!   - add_local_network: {name: branch-nice, gateway: hub-weu-gw, address_space: [192.168.30.0/24], bgp: {asn: 65060}}
//!   - set_gateway: {gateway: hub-weu-gw, tunnel_types: [IkeV2, OpenVPN]}
//! ```
//!
//! Every change is checked: an unknown name or a prefix that overlaps an existing address space
//! before it is applied, a duplicate name when the changed topology is built again; each is an
//! error that names the change (`changes[2].add_spokes.hub`), never a silent no-op.

use serde::{Deserialize, Serialize};

use crate::model::TopologyError;

impl Scenario {
    /// Parses a scenario file (YAML, or JSON when it starts with `{`). `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Scenario, TopologyError> {
        crate::read::parse_document(file, text).map_err(|mut e: TopologyError| {
            e.message
                .push_str(" (see `p2s-sim whatif --help` for the scenario format)");
            e
        })
    }
}

/// A scenario file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One change. Written as a one-key map: `- add_spokes: {...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    AddSpokes(AddSpokes),
    #[serde(alias = "add_address_prefixes")]
    AddPrefixes(VnetPrefixes),
    #[serde(alias = "remove_address_prefixes")]
    RemovePrefixes(VnetPrefixes),
    #[serde(alias = "add_branch")]
    AddLocalNetwork(AddLocalNetwork),
    #[serde(alias = "add_vnet2vnet_link", alias = "add_v2v")]
    AddVnet2vnet(Vnet2VnetLink),
    #[serde(alias = "remove_vnet2vnet_link", alias = "remove_v2v")]
    RemoveVnet2vnet(Vnet2VnetLink),
    SetGateway(SetGateway),
    RemovePeering(RemovePeering),
}

/// New spoke VNets peered with a hub.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddSpokes {
    /// The hub VNet (or its gateway's name).
    pub hub: String,
    pub count: usize,
    #[serde(default = "one", alias = "prefixes")]
    pub prefixes_per_spoke: usize,
    #[serde(default = "twenty_four", alias = "prefix_len")]
    pub prefix_length: u8,
    /// First address to allocate from; by default the lowest free private space.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "address_base"
    )]
    pub base: Option<String>,
    /// Peer with correct gateway-transit flags (hub allows transit, spoke uses remote gateways).
    /// `false` models the classic mistake: the spoke does not use the remote gateway.
    #[serde(default = "yes", alias = "transit_flags")]
    pub transit: bool,
    /// Names are `<name>-1`, `<name>-2`, ...; default `<hub>-spoke`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

fn one() -> usize {
    1
}
fn twenty_four() -> u8 {
    24
}
fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VnetPrefixes {
    pub vnet: String,
    pub prefixes: Vec<String>,
}

/// A new local network gateway and the connection from a gateway to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddLocalNetwork {
    pub name: String,
    pub gateway: String,
    pub address_space: Vec<String>,
    /// Present = BGP on the local network and on the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp: Option<LocalBgp>,
    /// Connection name; default `<gateway>-to-<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalBgp {
    pub asn: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_ip: Option<String>,
}

/// Both directions of a Vnet2Vnet link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vnet2VnetLink {
    pub gateway: String,
    pub remote_gateway: String,
    #[serde(default)]
    pub bgp: bool,
}

/// Changes to a gateway; fields left out stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetGateway {
    pub gateway: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tunnel_types: Option<Vec<String>>,
    /// Replaces the P2S authentication types (`Certificate`, `Radius`, `AAD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_types: Option<Vec<String>>,
    /// An ASN enables BGP; `false` disables it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp: Option<BgpSetting>,
    /// Replaces the custom routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_routes: Option<Vec<String>>,
    /// Replaces the P2S address pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_pool: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BgpSetting {
    Enabled { asn: u64 },
    Switch(bool),
}

/// Removes the peering between two VNets (both directions unless `one_direction`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovePeering {
    pub vnet: String,
    pub remote: String,
    #[serde(default)]
    pub one_direction: bool,
}
