//! Applying a [`Scenario`] to a [`Topology`]: each change checked, then applied, in order;
//! then the result is built again, as any topology is.
//!
//! The checks here are the scenario's own: the names a change refers to exist, new address
//! space is free, counts are in bounds, what is removed is there. Values are checked by the
//! builder's own checks ([`values`]) at the change's place, and everything else the builder
//! checks (unique names, a gateway connected to itself, ...) it checks on the changed topology,
//! whose new elements carry the change as their [`Origin`]: every error names the scenario file
//! and the change (`scenario.yaml: changes[1].add_local_network.name: duplicate ...`).

use std::collections::HashSet;
use std::net::IpAddr;

use super::scenario::*;
use crate::facts::limits::{
    PEERINGS_PER_VNET, PEERINGS_PER_VNET_WITHOUT_AVNM, VNET_PREFIXES_PER_GATEWAY,
};
use crate::model::{
    build, to_native, values, Connection, ConnectionPeer, GatewayBgp, List, LocalNetwork, Located,
    Origin, P2s, Peering, Topology, TopologyError, Vnet, DEFAULT_GATEWAY_ASN,
};
use crate::prefix::{IpNet, PrefixSet};

/// Where private address space for new spokes is looked for, in order, when no base is given.
const FREE_SPACE: [&str; 4] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
];

/// Applies every change in order and builds the result. `file` names the scenario in error
/// messages.
pub fn apply(
    topology: &Topology,
    scenario: &Scenario,
    file: &str,
) -> Result<Topology, TopologyError> {
    apply_checked(topology, scenario, file, AzureLimits::Refuse)
}

/// [`apply_with`], then the changed topology built again (see the module documentation).
pub(crate) fn apply_checked(
    topology: &Topology,
    scenario: &Scenario,
    file: &str,
    limits: AzureLimits,
) -> Result<Topology, TopologyError> {
    let mut made = Vec::new();
    let after = apply_made(topology, scenario, file, limits, &mut made)?;
    rebuild(topology, &after, &made)
}

/// What a change added, with the change as its origin.
enum Made {
    Vnet(String, Origin),
    Peering(String, String, Origin),
    LocalNetwork(String, Origin),
    Connection(String, Origin),
}

/// What errors call the topology the changes were applied to where it does not know where an
/// element was read (it was built already; only a name a change defines again points into it).
const BASE: &str = "the base topology";

/// Builds the changed topology: its new elements carry the change that made them, and an
/// element of `base` that a new one collides with carries where it was read (its file and place,
/// from `base.origins`; else [`BASE`]). The built topology is the result: build is the one
/// validator, and what it returns is what gets analysed.
fn rebuild(base: &Topology, topology: &Topology, made: &[Made]) -> Result<Topology, TopologyError> {
    let mut native = to_native(topology);
    let (mut vnets, mut peerings, mut locals, mut connections) = (vec![], vec![], vec![], vec![]);
    for m in made {
        match m {
            Made::Vnet(name, o) => vnets.push((name.clone(), o)),
            Made::Peering(vnet, remote, o) => peerings.push(((vnet.clone(), remote.clone()), o)),
            Made::LocalNetwork(name, o) => locals.push((name.clone(), o)),
            Made::Connection(name, o) => connections.push((name.clone(), o)),
        }
    }
    let read_at = |list: List, index: Option<usize>| base.origins.of(list, index?);
    mark(
        &mut native.vnets,
        |v| v.name.clone(),
        &vnets,
        |v| &mut v.origin,
        |name| read_at(List::Vnets, base.vnets.iter().position(|v| &v.name == name)),
    );
    mark(
        &mut native.peerings,
        |p| (p.vnet.clone(), p.remote.clone()),
        &peerings,
        |p| &mut p.origin,
        |(vnet, remote)| {
            let at = base
                .peerings
                .iter()
                .position(|p| &p.vnet == vnet && &p.remote == remote);
            read_at(List::Peerings, at)
        },
    );
    mark(
        &mut native.local_networks,
        |l| l.name.clone(),
        &locals,
        |l| &mut l.origin,
        |name| {
            let at = base.local_networks.iter().position(|l| &l.name == name);
            read_at(List::LocalNetworks, at)
        },
    );
    mark(
        &mut native.connections,
        |c| c.name.clone(),
        &connections,
        |c| &mut c.origin,
        |name| {
            read_at(
                List::Connections,
                base.connections.iter().position(|c| &c.name == name),
            )
        },
    );
    build(&mut [Located {
        source: BASE.into(),
        value: native,
    }])
}

/// Gives elements of `list` their origin. New elements are at the end, in the order the
/// changes made them: from the last change back, each takes the last element of its key that
/// has no origin yet. Then the elements left with a key a change defines again are the base's:
/// they take `read_at` of their key (where the base read them), else [`BASE`]. One map from key
/// to positions, so a sweep's thousands of new spokes cost linear time (the base is searched
/// only for a key defined twice, which is an error).
fn mark<T, K: Eq + std::hash::Hash>(
    list: &mut [T],
    key: impl Fn(&T) -> K,
    made: &[(K, &Origin)],
    slot: fn(&mut T) -> &mut Option<Box<Origin>>,
    read_at: impl Fn(&K) -> Option<Origin>,
) {
    let mut at: std::collections::HashMap<K, Vec<usize>> = std::collections::HashMap::new();
    for (i, item) in list.iter().enumerate() {
        at.entry(key(item)).or_default().push(i);
    }
    for (k, origin) in made.iter().rev() {
        let Some(positions) = at.get_mut(k) else {
            continue;
        };
        while let Some(i) = positions.pop() {
            let slot = slot(&mut list[i]);
            if slot.is_none() {
                *slot = Some(Box::new((*origin).clone()));
                break;
            }
        }
    }
    for (k, _) in made {
        for i in at.remove(k).unwrap_or_default() {
            let slot = slot(&mut list[i]);
            if slot.is_none() {
                *slot = Some(Box::new(read_at(k).unwrap_or_else(|| Origin {
                    file: BASE.into(),
                    ..Origin::default()
                })));
            }
        }
    }
}

/// What `add_spokes` does with more spokes than Azure's peering limit allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AzureLimits {
    /// Refuse the scenario up front (what-if: the change cannot be deployed).
    Refuse,
    /// Build it: the caller reports the step as rejected by Azure (sweeps, finding LIM006).
    Report,
}

/// Applies every change in order, without building the result: for steps of a sweep, whose
/// changes the program writes (the sweep builds its largest step once, [`apply_checked`]).
pub(crate) fn apply_with(
    topology: &Topology,
    scenario: &Scenario,
    file: &str,
    limits: AzureLimits,
) -> Result<Topology, TopologyError> {
    apply_made(topology, scenario, file, limits, &mut Vec::new())
}

fn apply_made(
    topology: &Topology,
    scenario: &Scenario,
    file: &str,
    limits: AzureLimits,
    made: &mut Vec<Made>,
) -> Result<Topology, TopologyError> {
    let mut topology = topology.clone();
    for (i, change) in scenario.changes.iter().enumerate() {
        let mut ctx = Ctx {
            topology: &mut topology,
            file,
            place: format!("changes[{i}]"),
            limits,
            made,
        };
        ctx.apply(change)?;
    }
    Ok(topology)
}

struct Ctx<'a> {
    topology: &'a mut Topology,
    file: &'a str,
    place: String,
    limits: AzureLimits,
    made: &'a mut Vec<Made>,
}

impl Ctx<'_> {
    fn path(&self, field: &str) -> String {
        if field.is_empty() {
            self.place.clone()
        } else {
            format!("{}.{field}", self.place)
        }
    }

    /// Where the value of `field` of this change is (for the builder's value checks).
    fn at(&self, field: &str) -> Origin {
        Origin::at(self.file, self.path(field))
    }

    /// This change as the origin of what it adds; `fields` maps native fields to its own.
    fn origin(&self, fields: &[(&'static str, &str)]) -> Origin {
        let mut origin = Origin {
            file: self.file.to_string(),
            path: self.place.clone(),
            ..Origin::default()
        };
        for (native, field) in fields {
            origin = origin.with(native, self.path(field));
        }
        origin
    }

    fn err(&self, field: &str, message: impl Into<String>) -> TopologyError {
        TopologyError {
            file: self.file.to_string(),
            place: self.path(field),
            message: message.into(),
        }
    }

    fn apply(&mut self, change: &Change) -> Result<(), TopologyError> {
        match change {
            Change::AddSpokes(c) => self.with_kind("add_spokes", |s| s.add_spokes(c)),
            Change::AddPrefixes(c) => self.with_kind("add_prefixes", |s| s.add_prefixes(c)),
            Change::RemovePrefixes(c) => {
                self.with_kind("remove_prefixes", |s| s.remove_prefixes(c))
            }
            Change::AddLocalNetwork(c) => {
                self.with_kind("add_local_network", |s| s.add_local_network(c))
            }
            Change::AddVnet2vnet(c) => self.with_kind("add_vnet2vnet", |s| s.add_vnet2vnet(c)),
            Change::RemoveVnet2vnet(c) => {
                self.with_kind("remove_vnet2vnet", |s| s.remove_vnet2vnet(c))
            }
            Change::SetGateway(c) => self.with_kind("set_gateway", |s| s.set_gateway(c)),
            Change::RemovePeering(c) => self.with_kind("remove_peering", |s| s.remove_peering(c)),
        }
    }

    fn with_kind(
        &mut self,
        kind: &str,
        f: impl FnOnce(&mut Self) -> Result<(), TopologyError>,
    ) -> Result<(), TopologyError> {
        self.place = format!("{}.{kind}", self.place);
        f(self)
    }

    fn vnet_index(&self, field: &str, name: &str) -> Result<usize, TopologyError> {
        self.topology
            .vnets
            .iter()
            .position(|v| v.name == name)
            .ok_or_else(|| self.err(field, format!("no VNet named '{name}'")))
    }

    /// A VNet given by its own name or by its gateway's name.
    fn hub_index(&self, field: &str, name: &str) -> Result<usize, TopologyError> {
        self.topology
            .vnets
            .iter()
            .position(|v| v.name == name || v.gateway.as_ref().is_some_and(|g| g.name == name))
            .ok_or_else(|| self.err(field, format!("no VNet or gateway named '{name}'")))
    }

    fn gateway_vnet(&self, field: &str, name: &str) -> Result<usize, TopologyError> {
        self.topology
            .vnets
            .iter()
            .position(|v| v.gateway.as_ref().is_some_and(|g| g.name == name))
            .ok_or_else(|| self.err(field, format!("no gateway named '{name}'")))
    }

    fn prefixes(&self, field: &str, texts: &[String]) -> Result<Vec<IpNet>, TopologyError> {
        values::prefixes(&self.at(field), texts)
    }

    /// Every address space in use, labelled, to name what a new prefix collides with.
    fn used(&self) -> Vec<(String, IpNet)> {
        used(self.topology)
    }

    fn check_free(
        &self,
        field: &str,
        new: &[IpNet],
        except_vnet: Option<&str>,
    ) -> Result<(), TopologyError> {
        let new_set = PrefixSet::from_prefixes(new.iter().copied());
        for (owner, p) in self.used() {
            if except_vnet.is_some_and(|v| owner == format!("VNet '{v}'")) {
                continue;
            }
            if new_set.overlaps(&p) {
                let hit = new
                    .iter()
                    .find(|n| PrefixSet::from_prefixes([**n]).overlaps(&p))
                    .copied();
                return Err(self.err(
                    field,
                    format!(
                        "{} overlaps {owner} ({p}); choose free address space",
                        hit.map(|h| h.to_string()).unwrap_or_default()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn add_spokes(&mut self, c: &AddSpokes) -> Result<(), TopologyError> {
        let hub = self.hub_index("hub", &c.hub)?;
        if self.topology.vnets[hub].gateway.is_none() && c.transit {
            return Err(self.err(
                "hub",
                format!(
                    "VNet '{}' has no gateway, so spokes cannot use it for transit",
                    c.hub
                ),
            ));
        }
        if c.prefixes_per_spoke == 0 {
            return Err(self.err("prefixes_per_spoke", "must be at least 1"));
        }
        if !(8..=30).contains(&c.prefix_length) {
            return Err(self.err("prefix_length", "use a length from 8 to 30 (IPv4)"));
        }
        // Counts come from the scenario file: checked, and refused before anything is built.
        let hub_peerings = self
            .topology
            .peerings
            .iter()
            .filter(|p| p.vnet == self.topology.vnets[hub].name)
            .count();
        if self.limits == AzureLimits::Refuse
            && c.count > PEERINGS_PER_VNET.max.saturating_sub(hub_peerings)
        {
            return Err(self.err(
                "count",
                format!(
                    "{} spokes would give the hub {} peerings; Azure allows at most {} peerings per virtual network (with Virtual Network Manager; {} without)",
                    c.count,
                    hub_peerings.saturating_add(c.count),
                    PEERINGS_PER_VNET.max,
                    PEERINGS_PER_VNET_WITHOUT_AVNM.max
                ),
            ));
        }
        let blocks_needed = c
            .count
            .checked_mul(c.prefixes_per_spoke)
            .filter(|n| *n <= MAX_NEW_PREFIXES)
            .ok_or_else(|| {
                self.err(
                    "prefixes_per_spoke",
                    format!(
                        "{} spoke(s) × {} prefixes is more than the {MAX_NEW_PREFIXES} new prefixes p2s-sim adds in one step (a gateway takes {} VNet prefixes; no flag raises this)",
                        c.count,
                        c.prefixes_per_spoke,
                        VNET_PREFIXES_PER_GATEWAY.max
                    ),
                )
            })?;
        let space = 1u64 << c.prefix_length;
        if blocks_needed as u64 > space {
            return Err(self.err(
                "count",
                format!(
                    "{blocks_needed} /{} prefixes are more than the IPv4 address space holds ({space})",
                    c.prefix_length
                ),
            ));
        }
        let blocks = match &c.base {
            Some(text) => {
                let base: IpAddr = text
                    .trim()
                    .split('/')
                    .next()
                    .unwrap_or_default()
                    .parse()
                    .map_err(|_| self.err("base", format!("'{text}' is not an IPv4 address")))?;
                let IpAddr::V4(base) = base else {
                    return Err(self.err(
                        "base",
                        "spokes are allocated from IPv4 space; give an IPv4 address",
                    ));
                };
                let blocks = sequential_blocks(u32::from(base), c.prefix_length, blocks_needed)
                    .ok_or_else(|| {
                        self.err(
                            "base",
                            format!(
                                "{base} is not aligned to /{} or the space runs past 255.255.255.255",
                                c.prefix_length
                            ),
                        )
                    })?;
                self.check_free("base", &blocks, None)?;
                blocks
            }
            None => self.free_blocks(c.prefix_length, blocks_needed)?,
        };
        let hub_name = self.topology.vnets[hub].name.clone();
        let stem = c
            .name
            .clone()
            .unwrap_or_else(|| format!("{hub_name}-spoke"));
        let taken: HashSet<String> = self.topology.vnets.iter().map(|v| v.name.clone()).collect();
        let mut n = 0;
        for chunk in blocks.chunks(c.prefixes_per_spoke) {
            let name = loop {
                n += 1;
                let candidate = format!("{stem}-{n}");
                if !taken.contains(&candidate) {
                    break candidate;
                }
            };
            let origin = self.origin(&[]);
            self.made.push(Made::Vnet(name.clone(), origin.clone()));
            self.made.push(Made::Peering(
                hub_name.clone(),
                name.clone(),
                origin.clone(),
            ));
            self.made
                .push(Made::Peering(name.clone(), hub_name.clone(), origin));
            self.topology.vnets.push(Vnet {
                name: name.clone(),
                address_space: chunk.to_vec(),
                gateway: None,
                external: false,
            });
            self.topology.peerings.push(Peering {
                vnet: hub_name.clone(),
                remote: name.clone(),
                allow_gateway_transit: true,
                use_remote_gateways: false,
                remote_address_space: None,
            });
            self.topology.peerings.push(Peering {
                vnet: name,
                remote: hub_name.clone(),
                allow_gateway_transit: false,
                use_remote_gateways: c.transit,
                remote_address_space: None,
            });
        }
        Ok(())
    }

    fn free_blocks(&self, len: u8, count: usize) -> Result<Vec<IpNet>, TopologyError> {
        let used = PrefixSet::from_prefixes(self.used().into_iter().map(|(_, p)| p));
        lowest_free(&used, len, count).ok_or_else(|| {
            self.err(
                "",
                format!("not enough free private space for {count} /{len} prefixes; give a base address"),
            )
        })
    }

    fn add_prefixes(&mut self, c: &VnetPrefixes) -> Result<(), TopologyError> {
        let v = self.vnet_index("vnet", &c.vnet)?;
        let new = self.prefixes("prefixes", &c.prefixes)?;
        self.check_free("prefixes", &new, None)?;
        self.topology.vnets[v].address_space.extend(new);
        Ok(())
    }

    fn remove_prefixes(&mut self, c: &VnetPrefixes) -> Result<(), TopologyError> {
        let v = self.vnet_index("vnet", &c.vnet)?;
        let gone = self.prefixes("prefixes", &c.prefixes)?;
        for (i, p) in gone.iter().enumerate() {
            if !self.topology.vnets[v].address_space.contains(p) {
                return Err(self.err(
                    &format!("prefixes[{i}]"),
                    format!("{p} is not in the address space of VNet '{}'", c.vnet),
                ));
            }
        }
        self.topology.vnets[v]
            .address_space
            .retain(|p| !gone.contains(p));
        Ok(())
    }

    fn add_local_network(&mut self, c: &AddLocalNetwork) -> Result<(), TopologyError> {
        let g = self.gateway_vnet("gateway", &c.gateway)?;
        let space = self.prefixes("address_space", &c.address_space)?;
        self.check_free("address_space", &space, None)?;
        let bgp = match &c.bgp {
            None => None,
            Some(b) => Some(crate::model::LocalBgp {
                asn: values::asn(&self.at("bgp.asn"), b.asn)?,
                peer_ip: match &b.peer_ip {
                    None => None,
                    Some(t) => Some(values::ip(&self.at("bgp.peer_ip"), t)?),
                },
            }),
        };
        let connection = c
            .connection
            .clone()
            .unwrap_or_else(|| format!("{}-to-{}", c.gateway, c.name));
        let named = if c.connection.is_some() {
            "connection"
        } else {
            ""
        };
        let origin = self.origin(&[("name", "name"), ("address_space", "address_space")]);
        self.made.push(Made::LocalNetwork(c.name.clone(), origin));
        let origin = self.origin(&[("name", named), ("gateway", "gateway")]);
        self.made.push(Made::Connection(connection.clone(), origin));
        let gateway = self.topology.vnets[g]
            .gateway
            .as_ref()
            .expect("found by gateway name")
            .name
            .clone();
        self.topology.connections.push(Connection {
            name: connection,
            gateway,
            peer: ConnectionPeer::LocalNetwork(c.name.clone()),
            bgp: bgp.is_some(),
        });
        self.topology.local_networks.push(LocalNetwork {
            name: c.name.clone(),
            address_space: space,
            bgp,
        });
        Ok(())
    }

    fn links_between(&self, a: &str, b: &str) -> Vec<usize> {
        self.topology
            .connections
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(&c.peer, ConnectionPeer::Gateway(r)
                    if (c.gateway == a && r == b) || (c.gateway == b && r == a))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn add_vnet2vnet(&mut self, c: &Vnet2VnetLink) -> Result<(), TopologyError> {
        self.gateway_vnet("gateway", &c.gateway)?;
        self.gateway_vnet("remote_gateway", &c.remote_gateway)?;
        if !self.links_between(&c.gateway, &c.remote_gateway).is_empty() {
            return Err(self.err(
                "",
                format!(
                    "'{}' and '{}' are already connected; remove that link first",
                    c.gateway, c.remote_gateway
                ),
            ));
        }
        for (from, to) in [
            (&c.gateway, &c.remote_gateway),
            (&c.remote_gateway, &c.gateway),
        ] {
            let name = format!("{from}-to-{to}");
            let origin =
                self.origin(&[("gateway", "gateway"), ("remote_gateway", "remote_gateway")]);
            self.made.push(Made::Connection(name.clone(), origin));
            self.topology.connections.push(Connection {
                name,
                gateway: from.clone(),
                peer: ConnectionPeer::Gateway(to.clone()),
                bgp: c.bgp,
            });
        }
        Ok(())
    }

    fn remove_vnet2vnet(&mut self, c: &Vnet2VnetLink) -> Result<(), TopologyError> {
        let found = self.links_between(&c.gateway, &c.remote_gateway);
        if found.is_empty() {
            return Err(self.err(
                "",
                format!(
                    "no Vnet2Vnet connection between '{}' and '{}'",
                    c.gateway, c.remote_gateway
                ),
            ));
        }
        let mut i = 0;
        self.topology.connections.retain(|_| {
            i += 1;
            !found.contains(&(i - 1))
        });
        Ok(())
    }

    fn set_gateway(&mut self, c: &SetGateway) -> Result<(), TopologyError> {
        let v = self.gateway_vnet("gateway", &c.gateway)?;
        let sku = match &c.sku {
            None => None,
            Some(t) => Some(values::sku(&self.at("sku"), t)?),
        };
        let tunnels = match &c.tunnel_types {
            None => None,
            Some(list) => Some(values::tunnel_types(&self.at("tunnel_types"), list)?),
        };
        let auth = match &c.auth_types {
            None => None,
            Some(list) => Some(values::auth_types(&self.at("auth_types"), list)?),
        };
        let custom = match &c.custom_routes {
            None => None,
            Some(list) => Some(self.prefixes("custom_routes", list)?),
        };
        let pool = match &c.address_pool {
            None => None,
            Some(list) => Some(self.prefixes("address_pool", list)?),
        };
        let bgp = match &c.bgp {
            None => None,
            Some(BgpSetting::Switch(false)) => Some(None),
            Some(BgpSetting::Switch(true)) => Some(Some(GatewayBgp {
                asn: DEFAULT_GATEWAY_ASN,
            })),
            Some(BgpSetting::Enabled { asn }) => Some(Some(GatewayBgp {
                asn: values::asn(&self.at("bgp.asn"), *asn)?,
            })),
        };
        let has_p2s = self.topology.vnets[v]
            .gateway
            .as_ref()
            .is_some_and(|g| g.p2s.is_some());
        if !has_p2s
            && (tunnels.is_some() || pool.is_some() || auth.is_some())
            && (tunnels.is_none() || pool.is_none())
        {
            return Err(self.err(
                "",
                format!("gateway '{}' has no P2S configuration: give both tunnel_types and address_pool", c.gateway),
            ));
        }
        let gw = self.topology.vnets[v]
            .gateway
            .as_mut()
            .expect("found by gateway name");
        if let Some(sku) = sku {
            gw.sku = Some(sku);
        }
        if let Some(bgp) = bgp {
            gw.bgp = bgp;
        }
        if let Some(custom) = custom {
            gw.custom_routes = custom;
        }
        match (&mut gw.p2s, tunnels, pool) {
            (None, Some(tunnel_types), Some(address_pool)) => {
                gw.p2s = Some(P2s {
                    address_pool,
                    tunnel_types,
                    auth_types: auth.unwrap_or_else(|| vec![crate::model::AuthType::Certificate]),
                })
            }
            (Some(p2s), tunnels, pool) => {
                if let Some(t) = tunnels {
                    p2s.tunnel_types = t;
                }
                if let Some(a) = auth {
                    p2s.auth_types = a;
                }
                if let Some(p) = pool {
                    p2s.address_pool = p;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn remove_peering(&mut self, c: &RemovePeering) -> Result<(), TopologyError> {
        self.vnet_index("vnet", &c.vnet)?;
        self.vnet_index("remote", &c.remote)?;
        let before = self.topology.peerings.len();
        self.topology.peerings.retain(|p| {
            let forward = p.vnet == c.vnet && p.remote == c.remote;
            let backward = p.vnet == c.remote && p.remote == c.vnet;
            !(forward || (backward && !c.one_direction))
        });
        if self.topology.peerings.len() == before {
            return Err(self.err(
                "",
                format!("no peering between '{}' and '{}'", c.vnet, c.remote),
            ));
        }
        Ok(())
    }
}

/// Every address space in use, labelled, to name what a new prefix collides with.
fn used(t: &Topology) -> Vec<(String, IpNet)> {
    let mut used = Vec::new();
    for v in &t.vnets {
        used.extend(
            v.address_space
                .iter()
                .map(|p| (format!("VNet '{}'", v.name), *p)),
        );
        if let Some(p2s) = v.gateway.as_ref().and_then(|g| g.p2s.as_ref()) {
            used.extend(
                p2s.address_pool
                    .iter()
                    .map(|p| (format!("the P2S pool of '{}'", v.name), *p)),
            );
        }
    }
    for l in &t.local_networks {
        used.extend(
            l.address_space
                .iter()
                .map(|p| (format!("local network '{}'", l.name), *p)),
        );
    }
    used
}

/// Most new prefixes one `add_spokes` step creates: p2s-sim's own bound (not Azure's), far above
/// the 600 VNet prefixes a gateway takes, so what-ifs past that limit still run.
pub const MAX_NEW_PREFIXES: usize = 1_000_000;

/// The lowest `count` free aligned /`len` blocks of private space, or `None` when it runs out.
fn lowest_free(used: &PrefixSet, len: u8, count: usize) -> Option<Vec<IpNet>> {
    let mut out = Vec::with_capacity(count.min(MAX_NEW_PREFIXES));
    for space in FREE_SPACE {
        let space: IpNet = space.parse().expect("constant");
        if len < space.prefix_len() {
            continue;
        }
        for block in space.subnets(len).expect("longer than the space") {
            if out.len() == count {
                return Some(out);
            }
            if !used.overlaps(&block) {
                out.push(block);
            }
        }
    }
    (out.len() == count).then_some(out)
}

/// `count` free /`len` prefixes that overlap nothing in the topology (VNets, pools, local
/// networks), the lowest first: fresh address space for what-if runs (the blocks `add_spokes`
/// without a base takes). `None` when private space runs out.
pub fn free_prefixes(topology: &Topology, len: u8, count: usize) -> Option<Vec<IpNet>> {
    let used = PrefixSet::from_prefixes(used(topology).into_iter().map(|(_, p)| p));
    lowest_free(&used, len, count)
}

/// `count` consecutive aligned IPv4 blocks of length `len` from `base`.
fn sequential_blocks(base: u32, len: u8, count: usize) -> Option<Vec<IpNet>> {
    let size = 1u64 << (32 - u32::from(len));
    if u64::from(base) % size != 0 {
        return None;
    }
    let end = (count as u64)
        .checked_mul(size)
        .and_then(|n| n.checked_add(u64::from(base)))?;
    if end > 1u64 << 32 {
        return None;
    }
    (0..count as u64)
        .map(|i| {
            let addr = std::net::Ipv4Addr::from((u64::from(base) + i * size) as u32);
            IpNet::new(IpAddr::V4(addr), len).ok()
        })
        .collect()
}
