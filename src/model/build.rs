//! From native files to a consistent [`Topology`]: parse values, resolve names, locate errors.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use rayon::prelude::*;

use super::schema::*;
use super::*;
use crate::prefix::{parse_network, PrefixParseError};
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
    /// File name (or `<stdin>`); empty for an error about flags, which its message names.
    pub file: String,
    /// Path inside the file, e.g. `vnets[3].address_space[1]`, or `line 4, column 7`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for TopologyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An error about flags has no file (the message names the flags).
        for part in [&self.file, &self.place] {
            if !part.is_empty() {
                write!(f, "{part}: ")?;
            }
        }
        f.write_str(&self.message)
    }
}

/// Builds one topology from one or more native files (their resources are merged, so a peering
/// in one file may name a VNet defined in another).
///
/// The only validator: every value of every format is checked here, and an error names the
/// element's [`Origin`] when a reader made it (the user's file, the JSON path there, the
/// resource ID), else its native path (`vnets[3].address_space[1]`).
///
/// Each VNet's `address_space` is taken out of `files` as it is parsed: a large topology's
/// million prefixes would otherwise be held twice, as text and as parsed prefixes.
pub fn build(files: &mut [Located<NativeFile>]) -> Result<Topology, TopologyError> {
    let spaces = take_address_spaces(files);
    Builder::default().run(files, spaces)
}

/// Every VNet's address space parsed (or the error at its first bad prefix), per file; the
/// texts are dropped as they are parsed. Needs nothing but the texts and the VNet's origin,
/// so it runs on all threads; the builder takes each result in file order, so the first error
/// reported is the same as one by one.
type Spaces = Vec<Vec<Result<Vec<IpNet>, TopologyError>>>;

fn take_address_spaces(files: &mut [Located<NativeFile>]) -> Spaces {
    files
        .iter_mut()
        .map(|file| {
            let source = file.source.as_str();
            file.value
                .vnets
                .par_iter_mut()
                .enumerate()
                .map(|(i, raw)| {
                    let texts = std::mem::take(&mut raw.address_space);
                    let here = Here::new(source, "vnets", i, raw.origin.as_deref());
                    prefixes(&here, "address_space", &texts)
                })
                .collect()
        })
        .collect()
}

/// Where errors about one element are reported: where a reader found it ([`Origin`]), else its
/// native place (`list[index]`, then `.inner` for a gateway inside its VNet). Formatted only
/// when an error is made.
#[derive(Clone, Copy)]
struct Here<'a> {
    source: &'a str,
    list: &'static str,
    index: usize,
    inner: &'static str,
    origin: Option<&'a Origin>,
}

impl<'a> Here<'a> {
    fn new(source: &'a str, list: &'static str, index: usize, origin: Option<&'a Origin>) -> Self {
        Here {
            source,
            list,
            index,
            inner: "",
            origin,
        }
    }

    /// The file and place of `field` (relative to the element; `""` is the element itself).
    fn locate(&self, field: &str) -> (String, String) {
        if let Some(origin) = self.origin {
            return (origin.file.clone(), origin.place(field));
        }
        let mut place = format!("{}[{}]", self.list, self.index);
        for part in [self.inner, field] {
            if !part.is_empty() {
                place.push('.');
                place.push_str(part);
            }
        }
        (self.source.to_string(), place)
    }

    /// `file: place` of the element, for messages that point at a first definition.
    fn describe(&self) -> String {
        let (file, place) = self.locate("");
        let at = if place.is_empty() {
            file
        } else {
            format!("{file}: {place}")
        };
        match self.origin.filter(|o| !o.id.is_empty()) {
            Some(origin) => format!("{at}, resource {}", origin.id),
            None => at,
        }
    }

    fn err(&self, field: &str, message: impl Into<String>) -> TopologyError {
        let (file, place) = self.locate(field);
        let mut message = message.into();
        if let Some(origin) = self.origin.filter(|o| !o.id.is_empty()) {
            message.push_str(&format!(" (resource {})", origin.id));
        }
        TopologyError {
            file,
            place,
            message,
        }
    }
}

#[derive(Default)]
struct Builder<'a> {
    /// name -> where it is first defined, per kind.
    vnets: FxMap<&'a str, Here<'a>>,
    gateways: FxMap<Cow<'a, str>, Here<'a>>,
    local_networks: FxMap<&'a str, Here<'a>>,
    connections: FxMap<&'a str, Here<'a>>,
}

fn prefixes(
    here: &Here<'_>,
    field: &str,
    texts: &[PrefixText],
) -> Result<Vec<IpNet>, TopologyError> {
    parsed(here, field, texts.iter().map(PrefixText::parse))
}

/// [`prefixes`] once each text is parsed: the list, or the first error at its index.
fn parsed(
    here: &Here<'_>,
    field: &str,
    list: impl Iterator<Item = Result<IpNet, PrefixParseError>>,
) -> Result<Vec<IpNet>, TopologyError> {
    // At its exact length: collected through `Result`, the list would grow by doubling (a
    // million prefixes in lists of 20 would hold room for 1.6 million for the whole run).
    let mut out = Vec::with_capacity(list.size_hint().0);
    for (i, parsed) in list.enumerate() {
        out.push(parsed.map_err(|e| {
            let hint = if e.is_host_bits() {
                ""
            } else {
                "; write a prefix such as 10.1.0.0/16 or fd00:1::/48"
            };
            here.err(&format!("{field}[{i}]"), format!("{e}{hint}"))
        })?);
    }
    Ok(out)
}

fn asn(here: &Here<'_>, field: &str, value: u64) -> Result<u32, TopologyError> {
    match u32::try_from(value) {
        Ok(v) if v != 0 => Ok(v),
        _ => Err(here.err(
            field,
            format!("ASN {value} is out of range; use 1..4294967295 (Azure's default is 65515)"),
        )),
    }
}

fn vocabulary<T>(
    here: &Here<'_>,
    field: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    what: &str,
    expected: String,
) -> Result<T, TopologyError> {
    parse(text).ok_or_else(|| {
        here.err(
            field,
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

/// Records the first definition of `name`; a second one is an error at `here`.
fn define<'a, K>(
    table: &mut FxMap<K, Here<'a>>,
    kind: &str,
    name: K,
    here: Here<'a>,
) -> Result<(), TopologyError>
where
    K: std::hash::Hash + Eq + std::ops::Deref<Target = str>,
{
    if name.trim().is_empty() {
        return Err(here.err(
            "name",
            format!("the {kind} has an empty name; give it a unique name"),
        ));
    }
    if let Some(first) = table.get(&name) {
        return Err(here.err(
            "name",
            format!(
                "duplicate {kind} name '{}' (first defined at {}); \
                 names must be unique per kind — rename one of them",
                &*name,
                first.describe()
            ),
        ));
    }
    table.insert(name, here);
    Ok(())
}

impl<'a> Builder<'a> {
    fn run(
        mut self,
        files: &'a [Located<NativeFile>],
        spaces: Spaces,
    ) -> Result<Topology, TopologyError> {
        let mut topology = Topology::default();
        // Every list at its final length at once: grown by doubling, the lists of a large
        // topology would hold a third more room than elements and be copied on each growth.
        let total = |len: fn(&NativeFile) -> usize| files.iter().map(|f| len(&f.value)).sum();
        let lengths = [
            total(|f| f.vnets.len()),
            total(|f| f.peerings.len()),
            total(|f| f.local_networks.len()),
            total(|f| f.connections.len()),
        ];
        topology.vnets.reserve_exact(lengths[0]);
        topology.peerings.reserve_exact(lengths[1]);
        topology.local_networks.reserve_exact(lengths[2]);
        topology.connections.reserve_exact(lengths[3]);
        let names = files.iter().map(|f| f.source.clone()).collect();
        topology.origins = Origins::for_files(names, lengths);
        // Definitions first, across all files, so references may point forward or to another file.
        for ((f, file), spaces) in files.iter().enumerate().zip(spaces) {
            let source = file.source.as_str();
            for ((i, raw), space) in file.value.vnets.iter().enumerate().zip(spaces) {
                let here = Here::new(source, "vnets", i, raw.origin.as_deref());
                define(&mut self.vnets, "VNet", raw.name.as_str(), here)?;
                topology.vnets.push(self.vnet(here, raw, space)?);
                let origin = raw.origin.as_deref();
                topology.origins.record(List::Vnets, f, i, origin);
            }
            for (i, raw) in file.value.local_networks.iter().enumerate() {
                let here = Here::new(source, "local_networks", i, raw.origin.as_deref());
                define(
                    &mut self.local_networks,
                    "local network",
                    raw.name.as_str(),
                    here,
                )?;
                topology.local_networks.push(local_network(&here, raw)?);
                let origin = raw.origin.as_deref();
                topology.origins.record(List::LocalNetworks, f, i, origin);
            }
        }
        for (f, file) in files.iter().enumerate() {
            let source = file.source.as_str();
            for (i, raw) in file.value.peerings.iter().enumerate() {
                let here = Here::new(source, "peerings", i, raw.origin.as_deref());
                topology.peerings.push(self.peering(&here, raw)?);
                let origin = raw.origin.as_deref();
                topology.origins.record(List::Peerings, f, i, origin);
            }
            for (i, raw) in file.value.connections.iter().enumerate() {
                let here = Here::new(source, "connections", i, raw.origin.as_deref());
                define(&mut self.connections, "connection", raw.name.as_str(), here)?;
                topology.connections.push(self.connection(&here, raw)?);
                let origin = raw.origin.as_deref();
                topology.origins.record(List::Connections, f, i, origin);
            }
        }
        check_duplicate_peerings(files)?;
        Ok(topology)
    }

    /// `address_space` is `raw.address_space` parsed (see [`prefixes`]).
    fn vnet(
        &mut self,
        here: Here<'a>,
        raw: &'a NativeVnet,
        address_space: Result<Vec<IpNet>, TopologyError>,
    ) -> Result<Vnet, TopologyError> {
        let address_space = address_space?;
        let gateway = match &raw.gateway {
            None => None,
            Some(g) => {
                let here = Here {
                    inner: "gateway",
                    origin: g.origin.as_deref(),
                    ..here
                };
                let name = match &g.name {
                    Some(name) => Cow::Borrowed(name.as_str()),
                    None => Cow::Owned(format!("{}-gw", raw.name)),
                };
                define(&mut self.gateways, "gateway", name.clone(), here)?;
                Some(gateway(&here, name.into_owned(), g)?)
            }
        };
        Ok(Vnet {
            name: raw.name.clone(),
            address_space,
            gateway: gateway.map(Box::new),
            external: raw.external,
        })
    }

    fn peering(&self, here: &Here<'_>, raw: &NativePeering) -> Result<Peering, TopologyError> {
        for (field, name) in [("vnet", &raw.vnet), ("remote", &raw.remote)] {
            if !self.vnets.contains_key(name.as_str()) {
                return Err(here.err(
                    field,
                    format!("no VNet named '{name}'; define it under vnets or fix the name"),
                ));
            }
        }
        if raw.vnet == raw.remote {
            return Err(here.err(
                "remote",
                format!("VNet '{}' cannot peer with itself", raw.vnet),
            ));
        }
        let remote_address_space = match &raw.remote_address_space {
            None => None,
            Some(list) => Some(prefixes(here, "remote_address_space", list)?),
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
        here: &Here<'_>,
        raw: &NativeConnection,
    ) -> Result<Connection, TopologyError> {
        let kind = vocabulary(
            here,
            "type",
            &raw.kind,
            ConnectionType::parse,
            "connection type",
            ConnectionType::expected(),
        )?;
        if !self.gateways.contains_key(raw.gateway.as_str()) {
            return Err(here.err(
                "gateway",
                format!(
                    "no gateway named '{}'; name a gateway defined under vnets[].gateway",
                    raw.gateway
                ),
            ));
        }
        let peer = match kind {
            ConnectionType::IPsec => {
                if raw.remote_gateway.is_some() {
                    return Err(here.err(
                        "remote_gateway",
                        "an IPsec connection goes to a local network: use local_network, \
                         or set type: Vnet2Vnet",
                    ));
                }
                let Some(lng) = &raw.local_network else {
                    return Err(here.err(
                        "",
                        "an IPsec connection needs local_network: the name of a local network",
                    ));
                };
                if !self.local_networks.contains_key(lng.as_str()) {
                    return Err(here.err(
                        "local_network",
                        format!("no local network named '{lng}'; define it under local_networks"),
                    ));
                }
                ConnectionPeer::LocalNetwork(lng.clone())
            }
            ConnectionType::Vnet2Vnet => {
                if raw.local_network.is_some() {
                    return Err(here.err(
                        "local_network",
                        "a Vnet2Vnet connection goes to another gateway: use remote_gateway, \
                         or set type: IPsec",
                    ));
                }
                let Some(remote) = &raw.remote_gateway else {
                    return Err(here.err(
                        "",
                        "a Vnet2Vnet connection needs remote_gateway: the name of the other gateway",
                    ));
                };
                if !self.gateways.contains_key(remote.as_str()) {
                    return Err(here.err(
                        "remote_gateway",
                        format!("no gateway named '{remote}'; name a gateway defined under vnets[].gateway"),
                    ));
                }
                if *remote == raw.gateway {
                    return Err(here.err(
                        "remote_gateway",
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

fn gateway(here: &Here<'_>, name: String, raw: &NativeGateway) -> Result<Gateway, TopologyError> {
    let sku = raw
        .sku
        .as_deref()
        .map(|text| vocabulary(here, "sku", text, Sku::parse, "SKU", Sku::expected()))
        .transpose()?;
    let generation = raw
        .generation
        .as_deref()
        .map(|text| {
            vocabulary(
                here,
                "generation",
                text,
                GatewayGeneration::parse,
                "gateway generation",
                GatewayGeneration::expected(),
            )
        })
        .transpose()?;
    let vpn_type = match &raw.vpn_type {
        None => VpnType::RouteBased,
        Some(text) => vocabulary(
            here,
            "vpn_type",
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
                Some(v) => asn(here, "bgp.asn", v)?,
            },
        }),
    };
    let custom_routes = prefixes(here, "custom_routes", &raw.custom_routes)?;
    let p2s = match &raw.p2s {
        None => None,
        Some(p) => Some(p2s(here, p)?),
    };
    Ok(Gateway {
        name,
        sku,
        generation,
        vpn_type,
        active_active: raw.active_active,
        bgp,
        custom_routes,
        nat_rules: raw.nat_rules,
        p2s,
        assumed: raw.assumed.clone(),
    })
}

/// A non-empty set of tunnel types.
fn tunnel_types(
    here: &Here<'_>,
    field: &str,
    texts: &[String],
) -> Result<Vec<TunnelType>, TopologyError> {
    if texts.is_empty() {
        return Err(here.err(
            field,
            format!(
                "no tunnel types: list at least one of {}",
                TunnelType::expected()
            ),
        ));
    }
    let list = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vocabulary(
                here,
                &format!("{field}[{i}]"),
                t,
                TunnelType::parse,
                "tunnel type",
                TunnelType::expected(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(set_of(list))
}

fn ip(here: &Here<'_>, field: &str, text: &str) -> Result<IpAddr, TopologyError> {
    text.trim().parse().map_err(|_| {
        here.err(
            field,
            format!("'{text}' is not an IP address; write one such as 10.101.255.254"),
        )
    })
}

fn p2s(here: &Here<'_>, raw: &NativeP2s) -> Result<P2s, TopologyError> {
    let address_pool = prefixes(here, "p2s.address_pool", &raw.address_pool)?;
    let tunnel_types = tunnel_types(here, "p2s.tunnel_types", &raw.tunnel_types)?;
    let auth_types = auth_types(here, "p2s.auth_types", &raw.auth_types)?;
    Ok(P2s {
        address_pool,
        tunnel_types,
        auth_types,
    })
}

/// Authentication types, as a set (sorted, each once).
fn auth_types(
    here: &Here<'_>,
    field: &str,
    texts: &[String],
) -> Result<Vec<AuthType>, TopologyError> {
    let list = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vocabulary(
                here,
                &format!("{field}[{i}]"),
                t,
                AuthType::parse,
                "authentication type",
                AuthType::expected(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(set_of(list))
}

fn local_network(here: &Here<'_>, raw: &NativeLocalNetwork) -> Result<LocalNetwork, TopologyError> {
    let address_space = prefixes(here, "address_space", &raw.address_space)?;
    let bgp = match &raw.bgp {
        None => None,
        Some(b) => Some(LocalBgp {
            asn: asn(here, "bgp.asn", b.asn)?,
            peer_ip: match &b.peer_ip {
                None => None,
                Some(text) => Some(ip(here, "bgp.peer_ip", text)?),
            },
        }),
    };
    Ok(LocalNetwork {
        name: raw.name.clone(),
        address_space,
        bgp,
    })
}

/// The value checks of [`build`] for values written somewhere else than a topology (a scenario
/// file's changes): each error is at `origin`, with the list index after it.
pub(crate) mod values {
    use super::*;

    fn here(origin: &Origin) -> Here<'_> {
        Here::new(&origin.file, "", 0, Some(origin))
    }

    pub(crate) fn prefixes(origin: &Origin, texts: &[String]) -> Result<Vec<IpNet>, TopologyError> {
        super::parsed(&here(origin), "", texts.iter().map(|t| parse_network(t)))
    }

    pub(crate) fn asn(origin: &Origin, value: u64) -> Result<u32, TopologyError> {
        super::asn(&here(origin), "", value)
    }

    pub(crate) fn ip(origin: &Origin, text: &str) -> Result<IpAddr, TopologyError> {
        super::ip(&here(origin), "", text)
    }

    pub(crate) fn sku(origin: &Origin, text: &str) -> Result<Sku, TopologyError> {
        vocabulary(&here(origin), "", text, Sku::parse, "SKU", Sku::expected())
    }

    pub(crate) fn tunnel_types(
        origin: &Origin,
        texts: &[String],
    ) -> Result<Vec<TunnelType>, TopologyError> {
        super::tunnel_types(&here(origin), "", texts)
    }

    pub(crate) fn auth_types(
        origin: &Origin,
        texts: &[String],
    ) -> Result<Vec<AuthType>, TopologyError> {
        super::auth_types(&here(origin), "", texts)
    }
}

/// Azure allows one peering per direction between two VNets.
fn check_duplicate_peerings(files: &[Located<NativeFile>]) -> Result<(), TopologyError> {
    // Peerings sorted by (VNet, remote), ties in input order: a repeat follows its first. A
    // list of positions, where a map from the pair to its place took 19 MB for 100,000.
    let peering = |&(f, i): &(u32, u32)| &files[f as usize].value.peerings[i as usize];
    let mut order: Vec<(u32, u32)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, file)| (0..file.value.peerings.len()).map(move |i| (f as u32, i as u32)))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        let (p, q) = (peering(a), peering(b));
        (p.vnet.as_str(), p.remote.as_str(), a).cmp(&(q.vnet.as_str(), q.remote.as_str(), b))
    });
    // The error is at the first repeat in input order, naming the first of its pair.
    let repeat = order
        .windows(2)
        .filter(|w| {
            let (p, q) = (peering(&w[0]), peering(&w[1]));
            p.vnet == q.vnet && p.remote == q.remote
        })
        .min_by_key(|w| w[1]);
    let Some(&[first, second]) = repeat else {
        return Ok(());
    };
    let here = |(f, i): (u32, u32)| {
        let file = &files[f as usize];
        let p = &file.value.peerings[i as usize];
        Here::new(&file.source, "peerings", i as usize, p.origin.as_deref())
    };
    let p = peering(&second);
    Err(here(second).err(
        "",
        format!(
            "a second peering from '{}' to '{}' (the first is {}); \
             Azure allows one per direction — keep one",
            p.vnet,
            p.remote,
            here(first).describe()
        ),
    ))
}

/// The native form of a topology (for `convert`): building it again gives the same topology.
pub fn to_native(topology: &Topology) -> NativeFile {
    let texts = |list: &[IpNet]| {
        list.iter()
            .copied()
            .map(PrefixText::from)
            .collect::<Vec<_>>()
    };
    NativeFile {
        vnets: topology
            .vnets
            .iter()
            .map(|v| NativeVnet {
                name: v.name.clone(),
                address_space: texts(&v.address_space),
                gateway: v.gateway.as_ref().map(|g| {
                    Box::new(NativeGateway {
                        name: Some(g.name.clone()),
                        sku: g.sku.map(|s| s.to_string()),
                        generation: g.generation.map(|s| s.to_string()),
                        vpn_type: Some(g.vpn_type.to_string()),
                        active_active: g.active_active,
                        bgp: g.bgp.map(|b| NativeGatewayBgp {
                            asn: Some(b.asn.into()),
                        }),
                        custom_routes: texts(&g.custom_routes),
                        nat_rules: g.nat_rules,
                        p2s: g.p2s.as_ref().map(|p| NativeP2s {
                            address_pool: texts(&p.address_pool),
                            tunnel_types: p.tunnel_types.iter().map(|t| t.to_string()).collect(),
                            auth_types: p.auth_types.iter().map(|t| t.to_string()).collect(),
                        }),
                        assumed: g.assumed.clone(),
                        origin: None,
                    })
                }),
                external: v.external,
                origin: None,
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
                origin: None,
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
                origin: None,
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
                origin: None,
            })
            .collect(),
    }
}
