//! From native files to a consistent [`Topology`]: parse values, resolve names, locate errors.

use std::fmt;

use rayon::prelude::*;

use super::schema::*;
use super::*;
use crate::prefix::parse_network;
use rustc_hash::FxHashMap as FxMap;

/// Azure's default ASN for VPN gateways (FAQ, BGP section).
pub const DEFAULT_GATEWAY_ASN: u32 = 65515;

/// A value together with the name of the file (or other source) it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub source: String,
    pub value: T,
}

/// A problem in the input: which file, which place in it, what is wrong and what to change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TopologyError {
    /// File name (or `<stdin>`).
    pub file: String,
    /// Path inside the file, e.g. `vnets[3].address_space[1]`, or `line 4, column 7`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for TopologyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.message)
        }
    }
}

/// Builds one topology from one or more native files (their resources are merged, so a peering
/// in one file may name a VNet defined in another).
pub fn build(files: &[Located<NativeFile>]) -> Result<Topology, TopologyError> {
    Builder::default().run(files)
}

#[derive(Default)]
struct Builder {
    /// name -> (source, place) of the first definition, per kind.
    vnets: FxMap<String, (String, String)>,
    gateways: FxMap<String, (String, String)>,
    local_networks: FxMap<String, (String, String)>,
    connections: FxMap<String, (String, String)>,
}

fn err(source: &str, place: impl Into<String>, message: impl Into<String>) -> TopologyError {
    TopologyError {
        file: source.to_string(),
        place: place.into(),
        message: message.into(),
    }
}

fn prefixes(source: &str, place: &str, texts: &[String]) -> Result<Vec<IpNet>, TopologyError> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            parse_network(text).map_err(|e| {
                let hint = if e.is_host_bits() {
                    ""
                } else {
                    "; write a prefix such as 10.1.0.0/16 or fd00:1::/48"
                };
                err(source, format!("{place}[{i}]"), format!("{e}{hint}"))
            })
        })
        .collect()
}

fn asn(source: &str, place: &str, value: u64) -> Result<u32, TopologyError> {
    match u32::try_from(value) {
        Ok(v) if v != 0 => Ok(v),
        _ => Err(err(
            source,
            place,
            format!("ASN {value} is out of range; use 1..4294967295 (Azure's default is 65515)"),
        )),
    }
}

fn vocabulary<T>(
    source: &str,
    place: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    what: &str,
    expected: String,
) -> Result<T, TopologyError> {
    parse(text).ok_or_else(|| {
        err(
            source,
            place,
            format!("unknown {what} '{text}'; use one of {expected} (case does not matter)"),
        )
    })
}

/// Sorted, de-duplicated set of enum values.
fn set_of<T: Ord + Copy>(mut values: Vec<T>) -> Vec<T> {
    values.sort();
    values.dedup();
    values
}

impl Builder {
    fn define(
        table: &mut FxMap<String, (String, String)>,
        kind: &str,
        name: &str,
        source: &str,
        place: &str,
    ) -> Result<(), TopologyError> {
        if name.trim().is_empty() {
            return Err(err(
                source,
                format!("{place}.name"),
                format!("the {kind} has an empty name; give it a unique name"),
            ));
        }
        if let Some((first_source, first_place)) = table.get(name) {
            return Err(err(
                source,
                place,
                format!(
                    "duplicate {kind} name '{name}' (first defined at {first_source}: {first_place}); \
                     names must be unique per kind — rename one of them"
                ),
            ));
        }
        table.insert(name.to_string(), (source.to_string(), place.to_string()));
        Ok(())
    }

    fn run(mut self, files: &[Located<NativeFile>]) -> Result<Topology, TopologyError> {
        let mut topology = Topology::default();
        // Definitions first, across all files, so references may point forward or to another file.
        for file in files {
            let source = file.source.as_str();
            // Parsing the address spaces (a million prefixes in a large topology) needs nothing
            // but the text: done on all threads first; each result, error included, is taken in
            // file order below, so the first error reported is the same as one by one.
            let spaces: Vec<Result<Vec<IpNet>, TopologyError>> = file
                .value
                .vnets
                .par_iter()
                .enumerate()
                .map(|(i, raw)| {
                    prefixes(
                        source,
                        &format!("vnets[{i}].address_space"),
                        &raw.address_space,
                    )
                })
                .collect();
            for ((i, raw), space) in file.value.vnets.iter().enumerate().zip(spaces) {
                let place = format!("vnets[{i}]");
                Self::define(&mut self.vnets, "VNet", &raw.name, source, &place)?;
                topology.vnets.push(self.vnet(source, &place, raw, space)?);
            }
            for (i, raw) in file.value.local_networks.iter().enumerate() {
                let place = format!("local_networks[{i}]");
                Self::define(
                    &mut self.local_networks,
                    "local network",
                    &raw.name,
                    source,
                    &place,
                )?;
                topology
                    .local_networks
                    .push(local_network(source, &place, raw)?);
            }
        }
        for file in files {
            let source = file.source.as_str();
            for (i, raw) in file.value.peerings.iter().enumerate() {
                let place = format!("peerings[{i}]");
                topology.peerings.push(self.peering(source, &place, raw)?);
            }
            for (i, raw) in file.value.connections.iter().enumerate() {
                let place = format!("connections[{i}]");
                Self::define(
                    &mut self.connections,
                    "connection",
                    &raw.name,
                    source,
                    &place,
                )?;
                topology
                    .connections
                    .push(self.connection(source, &place, raw)?);
            }
        }
        check_duplicate_peerings(files)?;
        Ok(topology)
    }

    /// `address_space` is `raw.address_space` parsed (see [`prefixes`]).
    fn vnet(
        &mut self,
        source: &str,
        place: &str,
        raw: &NativeVnet,
        address_space: Result<Vec<IpNet>, TopologyError>,
    ) -> Result<Vnet, TopologyError> {
        let address_space = address_space?;
        let gateway = match &raw.gateway {
            None => None,
            Some(g) => {
                let place = format!("{place}.gateway");
                let name = g.name.clone().unwrap_or_else(|| format!("{}-gw", raw.name));
                Self::define(&mut self.gateways, "gateway", &name, source, &place)?;
                Some(gateway(source, &place, name, g)?)
            }
        };
        Ok(Vnet {
            name: raw.name.clone(),
            address_space,
            gateway,
        })
    }

    fn peering(
        &self,
        source: &str,
        place: &str,
        raw: &NativePeering,
    ) -> Result<Peering, TopologyError> {
        for (field, name) in [("vnet", &raw.vnet), ("remote", &raw.remote)] {
            if !self.vnets.contains_key(name.as_str()) {
                return Err(err(
                    source,
                    format!("{place}.{field}"),
                    format!("no VNet named '{name}'; define it under vnets or fix the name"),
                ));
            }
        }
        if raw.vnet == raw.remote {
            return Err(err(
                source,
                format!("{place}.remote"),
                format!("VNet '{}' cannot peer with itself", raw.vnet),
            ));
        }
        let remote_address_space = match &raw.remote_address_space {
            None => None,
            Some(list) => Some(prefixes(
                source,
                &format!("{place}.remote_address_space"),
                list,
            )?),
        };
        Ok(Peering {
            vnet: raw.vnet.clone(),
            remote: raw.remote.clone(),
            allow_gateway_transit: raw.allow_gateway_transit,
            use_remote_gateways: raw.use_remote_gateways,
            remote_address_space,
        })
    }

    fn connection(
        &self,
        source: &str,
        place: &str,
        raw: &NativeConnection,
    ) -> Result<Connection, TopologyError> {
        let kind = vocabulary(
            source,
            &format!("{place}.type"),
            &raw.kind,
            ConnectionType::parse,
            "connection type",
            ConnectionType::expected(),
        )?;
        if !self.gateways.contains_key(raw.gateway.as_str()) {
            return Err(err(
                source,
                format!("{place}.gateway"),
                format!(
                    "no gateway named '{}'; name a gateway defined under vnets[].gateway",
                    raw.gateway
                ),
            ));
        }
        let peer = match kind {
            ConnectionType::IPsec => {
                if raw.remote_gateway.is_some() {
                    return Err(err(
                        source,
                        format!("{place}.remote_gateway"),
                        "an IPsec connection goes to a local network: use local_network, \
                         or set type: Vnet2Vnet",
                    ));
                }
                let Some(lng) = &raw.local_network else {
                    return Err(err(
                        source,
                        place,
                        "an IPsec connection needs local_network: the name of a local network",
                    ));
                };
                if !self.local_networks.contains_key(lng.as_str()) {
                    return Err(err(
                        source,
                        format!("{place}.local_network"),
                        format!("no local network named '{lng}'; define it under local_networks"),
                    ));
                }
                ConnectionPeer::LocalNetwork(lng.clone())
            }
            ConnectionType::Vnet2Vnet => {
                if raw.local_network.is_some() {
                    return Err(err(
                        source,
                        format!("{place}.local_network"),
                        "a Vnet2Vnet connection goes to another gateway: use remote_gateway, \
                         or set type: IPsec",
                    ));
                }
                let Some(remote) = &raw.remote_gateway else {
                    return Err(err(
                        source,
                        place,
                        "a Vnet2Vnet connection needs remote_gateway: the name of the other gateway",
                    ));
                };
                if !self.gateways.contains_key(remote.as_str()) {
                    return Err(err(
                        source,
                        format!("{place}.remote_gateway"),
                        format!("no gateway named '{remote}'; name a gateway defined under vnets[].gateway"),
                    ));
                }
                if *remote == raw.gateway {
                    return Err(err(
                        source,
                        format!("{place}.remote_gateway"),
                        format!("gateway '{remote}' cannot connect to itself"),
                    ));
                }
                ConnectionPeer::Gateway(remote.clone())
            }
        };
        Ok(Connection {
            name: raw.name.clone(),
            gateway: raw.gateway.clone(),
            peer,
            bgp: raw.bgp,
        })
    }
}

fn gateway(
    source: &str,
    place: &str,
    name: String,
    raw: &NativeGateway,
) -> Result<Gateway, TopologyError> {
    let sku = match &raw.sku {
        None => None,
        Some(text) => Some(vocabulary(
            source,
            &format!("{place}.sku"),
            text,
            Sku::parse,
            "SKU",
            Sku::expected(),
        )?),
    };
    let vpn_type = match &raw.vpn_type {
        None => VpnType::RouteBased,
        Some(text) => vocabulary(
            source,
            &format!("{place}.vpn_type"),
            text,
            VpnType::parse,
            "VPN type",
            VpnType::expected(),
        )?,
    };
    let bgp = match &raw.bgp {
        None => None,
        Some(b) => Some(GatewayBgp {
            asn: match b.asn {
                None => DEFAULT_GATEWAY_ASN,
                Some(v) => asn(source, &format!("{place}.bgp.asn"), v)?,
            },
        }),
    };
    let custom_routes = prefixes(
        source,
        &format!("{place}.custom_routes"),
        &raw.custom_routes,
    )?;
    let p2s = match &raw.p2s {
        None => None,
        Some(p) => Some(p2s(source, &format!("{place}.p2s"), p)?),
    };
    Ok(Gateway {
        name,
        sku,
        vpn_type,
        active_active: raw.active_active,
        bgp,
        custom_routes,
        p2s,
        assumed: raw.assumed.clone(),
    })
}

fn p2s(source: &str, place: &str, raw: &NativeP2s) -> Result<P2s, TopologyError> {
    let address_pool = prefixes(source, &format!("{place}.address_pool"), &raw.address_pool)?;
    if raw.tunnel_types.is_empty() {
        return Err(err(
            source,
            format!("{place}.tunnel_types"),
            format!(
                "no tunnel types: list at least one of {}",
                TunnelType::expected()
            ),
        ));
    }
    let tunnel_types = raw
        .tunnel_types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vocabulary(
                source,
                &format!("{place}.tunnel_types[{i}]"),
                t,
                TunnelType::parse,
                "tunnel type",
                TunnelType::expected(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let auth_types = raw
        .auth_types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vocabulary(
                source,
                &format!("{place}.auth_types[{i}]"),
                t,
                AuthType::parse,
                "authentication type",
                AuthType::expected(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(P2s {
        address_pool,
        tunnel_types: set_of(tunnel_types),
        auth_types: set_of(auth_types),
    })
}

fn local_network(
    source: &str,
    place: &str,
    raw: &NativeLocalNetwork,
) -> Result<LocalNetwork, TopologyError> {
    let address_space = prefixes(
        source,
        &format!("{place}.address_space"),
        &raw.address_space,
    )?;
    let bgp = match &raw.bgp {
        None => None,
        Some(b) => Some(LocalBgp {
            asn: asn(source, &format!("{place}.bgp.asn"), b.asn)?,
            peer_ip: match &b.peer_ip {
                None => None,
                Some(text) => Some(text.trim().parse().map_err(|_| {
                    err(
                        source,
                        format!("{place}.bgp.peer_ip"),
                        format!("'{text}' is not an IP address; write one such as 10.101.255.254"),
                    )
                })?),
            },
        }),
    };
    Ok(LocalNetwork {
        name: raw.name.clone(),
        address_space,
        bgp,
    })
}

/// Azure allows one peering per direction between two VNets.
fn check_duplicate_peerings(files: &[Located<NativeFile>]) -> Result<(), TopologyError> {
    let mut seen: FxMap<(&str, &str), (&str, usize)> = FxMap::default();
    for file in files {
        for (i, p) in file.value.peerings.iter().enumerate() {
            if let Some((first_source, first)) =
                seen.insert((&p.vnet, &p.remote), (&file.source, i))
            {
                return Err(err(
                    &file.source,
                    format!("peerings[{i}]"),
                    format!(
                        "a second peering from '{}' to '{}' (the first is {first_source}: peerings[{first}]); \
                         Azure allows one per direction — keep one",
                        p.vnet, p.remote
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The native form of a topology (for `convert`): building it again gives the same topology.
pub fn to_native(topology: &Topology) -> NativeFile {
    let texts = |list: &[IpNet]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    NativeFile {
        vnets: topology
            .vnets
            .iter()
            .map(|v| NativeVnet {
                name: v.name.clone(),
                address_space: texts(&v.address_space),
                gateway: v.gateway.as_ref().map(|g| NativeGateway {
                    name: Some(g.name.clone()),
                    sku: g.sku.map(|s| s.to_string()),
                    vpn_type: Some(g.vpn_type.to_string()),
                    active_active: g.active_active,
                    bgp: g.bgp.map(|b| NativeGatewayBgp {
                        asn: Some(b.asn.into()),
                    }),
                    custom_routes: texts(&g.custom_routes),
                    p2s: g.p2s.as_ref().map(|p| NativeP2s {
                        address_pool: texts(&p.address_pool),
                        tunnel_types: p.tunnel_types.iter().map(|t| t.to_string()).collect(),
                        auth_types: p.auth_types.iter().map(|t| t.to_string()).collect(),
                    }),
                    assumed: Vec::new(),
                }),
            })
            .collect(),
        peerings: topology
            .peerings
            .iter()
            .map(|p| NativePeering {
                vnet: p.vnet.clone(),
                remote: p.remote.clone(),
                allow_gateway_transit: p.allow_gateway_transit,
                use_remote_gateways: p.use_remote_gateways,
                remote_address_space: p.remote_address_space.as_deref().map(texts),
            })
            .collect(),
        local_networks: topology
            .local_networks
            .iter()
            .map(|l| NativeLocalNetwork {
                name: l.name.clone(),
                address_space: texts(&l.address_space),
                bgp: l.bgp.as_ref().map(|b| NativeLocalBgp {
                    asn: b.asn.into(),
                    peer_ip: b.peer_ip.map(|ip| ip.to_string()),
                }),
            })
            .collect(),
        connections: topology
            .connections
            .iter()
            .map(|c| NativeConnection {
                name: c.name.clone(),
                kind: c.kind().to_string(),
                gateway: c.gateway.clone(),
                local_network: match &c.peer {
                    ConnectionPeer::LocalNetwork(l) => Some(l.clone()),
                    ConnectionPeer::Gateway(_) => None,
                },
                remote_gateway: match &c.peer {
                    ConnectionPeer::Gateway(g) => Some(g.clone()),
                    ConnectionPeer::LocalNetwork(_) => None,
                },
                bgp: c.bgp,
            })
            .collect(),
    }
}
