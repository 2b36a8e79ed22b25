//! From Azure resources (any export format) to native topology files: the resolution rules.
//!
//! Every Azure reader ends with a list of [`RawResource`]s; this module turns the resources of
//! *all* files together into native [`NativeFile`]s (one per input file, so errors found later
//! still name the right file). Resolving them together is what lets the outputs of
//! `az network vnet list` and `az network vnet-gateway list` form one topology.
//!
//! The rules (docs/input-formats.md repeats them for users):
//! - Resources refer to each other by resource ID, compared ignoring ASCII case. The same ID
//!   seen twice (a peering inline in its VNet and as its own resource, or a resource in two
//!   files) is one resource: the later copy wins.
//! - A gateway belongs to the VNet of its ip configuration's subnet
//!   (`.../virtualNetworks/{vnet}/subnets/GatewaySubnet`). Gateways whose `gatewayType` is not
//!   `Vpn` (ExpressRoute) are skipped and counted.
//! - A peering belongs to the VNet named in its own ID (or the VNet it is inline in). A peering
//!   to a VNet that is not in the input creates that VNet as an *external* VNet whose address
//!   space is the peering's `remoteVirtualNetworkAddressSpace` (the remote's current space), else
//!   `remoteAddressSpace` (the space peered); a peering's own VNet outside the input, likewise,
//!   `localVirtualNetworkAddressSpace`, else `localAddressSpace`. The peering itself keeps the
//!   peered space, so a peering that is not in sync shows up in the findings. A subnet or
//!   IPv6-only peering with gateway transit is an assumption on the hub's gateway (how transit
//!   carries it is undocumented; the spoke's whole space is counted). A VNet
//!   that is referenced but has no address space anywhere (a gateway exported without its VNet)
//!   becomes a placeholder with an empty address space, and a warning says so.
//! - Peerings in state `Disconnected` carry no traffic in Azure: they are left out, with a warning.
//! - Connections of type `ExpressRoute` or `VPNClient` are skipped and counted. An `IPsec` or
//!   `Vnet2Vnet` connection of a gateway outside the input, or a Vnet2Vnet connection to one,
//!   cannot change the routes of the gateways in the input: left out with a warning. An `IPsec`
//!   connection to a local network gateway outside the input is an error naming the missing ID
//!   (its prefixes would be offered to the clients).
//! - Names: a resource is called by its Azure name; when two different resources of one kind
//!   share a name (same-named VNets in two resource groups), both are called `group/name`, and
//!   `subscription/group/name` if that is still ambiguous.
//! - A `vpnClientConfiguration` with neither an address pool nor any authentication material is
//!   Azure's default stub on a gateway without point-to-site: no P2S (see [`read_p2s`]).
//! - Protocol and authentication lists are sets; enum values are matched ignoring case. When a
//!   P2S configuration lists no protocols, Azure's default *on the deployment day* (`--as-of`) is
//!   assumed: IKEv2+SSTP before 2026-03-31 and IKEv2 from then on (SSTP can no longer be
//!   enabled), for Basic SSTP before 2025-11-01 and IKEv2 from then on, for the legacy Standard
//!   and HighPerformance SKUs SSTP (see [`default_protocols`]). When it
//!   lists no authentication types, they are inferred from what is configured (root
//!   certificates, RADIUS servers, an Entra ID tenant). Every defaulted value is recorded on the
//!   gateway and printed as an assumption of the report.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::locate::Place;
use super::resources::*;
use crate::model::schema::*;
use crate::model::{AuthType, Located, TopologyError, TunnelType};
use crate::verdicts::findings::{Date, BASIC_IKEV2, SSTP_NO_NEW};

/// The native files, plus what was skipped and what the user should know.
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    pub files: Vec<Located<NativeFile>>,
    pub skipped: BTreeMap<String, usize>,
    /// One line per skipped resource (for `--verbose`).
    pub skipped_list: Vec<String>,
    pub warnings: Vec<String>,
    /// Where each VNet, peering, gateway, local network gateway and connection is declared.
    pub places: Vec<Place>,
}

/// The place of a resource of a modelled type, by the name findings give it (`vnet->remote`
/// for a peering; a name made `group/name` because it is ambiguous still ends in the Azure
/// name, which is what SARIF matches).
fn place_of(r: &RawResource) -> Option<Place> {
    let subject = if r.is(PEERING) {
        let remote = r.root().at(&["remoteVirtualNetwork", "id"]).str().ok()??;
        format!("{}->{}", id_name(id_parent(&r.id)?), id_name(remote))
    } else if [VNET, GATEWAY, LOCAL_GATEWAY, CONNECTION]
        .iter()
        .any(|t| r.is(t))
    {
        id_name(&r.id).to_string()
    } else {
        return None;
    };
    Some(Place {
        file: r.file.clone(),
        path: r.path.clone(),
        subject,
    })
}

/// Resources with the same ID collapse into one (the later wins); order of first appearance.
struct Table {
    items: Vec<RawResource>,
    index: HashMap<String, usize>,
}

impl Table {
    fn new() -> Self {
        Table {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
    fn insert(&mut self, r: RawResource) {
        let key = id_key(&r.id);
        match self.index.get(&key) {
            Some(&i) => self.items[i] = r,
            None => {
                self.index.insert(key, self.items.len());
                self.items.push(r);
            }
        }
    }
}

/// Where a resource is, for the native element made from it (fields are added by the caller).
fn origin_of(r: &RawResource) -> Origin {
    Origin {
        file: r.file.clone(),
        path: r.root().place(),
        id: r.id.clone(),
        fields: Vec::new(),
    }
}

struct VnetEntry {
    key: String,
    id: String,
    file: String,
    address_space: Vec<PrefixText>,
    origin: Origin,
    gateway: Option<(String, NativeGateway)>,
    /// Where the gateway came from, for the "two gateways in one VNet" error.
    gateway_place: Option<(String, String)>,
    /// Not in the input, and nothing in it says the VNet's address space (taken as empty).
    space_unknown: bool,
    /// Not in the input: a peering or a gateway names it.
    external: bool,
}

pub(crate) fn resolve(
    resources: Vec<RawResource>,
    files: &[String],
    as_of: Option<Date>,
) -> Result<Resolved, TopologyError> {
    let mut out = Resolved::default();
    let mut vnets = Table::new();
    let mut peerings = Table::new();
    let mut gateways = Table::new();
    let mut locals = Table::new();
    let mut connections = Table::new();
    // `virtualNetworkGateways/natRules` child resources, by their gateway's ID key.
    let mut nat_children: HashMap<String, Vec<RawResource>> = HashMap::new();

    for r in resources {
        out.places.extend(place_of(&r));
        if r.is(VNET) {
            // Inline peerings are resources of their own.
            for item in r.root().get("virtualNetworkPeerings").items()? {
                let body = item.value.cloned().unwrap_or(Value::Null);
                let name = Field::new(Some(&body), String::new(), "", "")
                    .get("name")
                    .str()
                    .ok()
                    .flatten()
                    .map(str::to_string);
                let own_id = Field::new(Some(&body), String::new(), "", "")
                    .get("id")
                    .str()
                    .ok()
                    .flatten()
                    .map(str::to_string);
                let id = match (own_id, name) {
                    (Some(id), _) => id,
                    (None, Some(name)) => format!("{}/virtualNetworkPeerings/{name}", r.id),
                    (None, None) => {
                        return Err(item.error("an inline peering without id or name"));
                    }
                };
                let peering = RawResource {
                    file: r.file.clone(),
                    path: item.path.clone(),
                    rtype: PEERING.into(),
                    id,
                    body,
                    aliases: &[],
                };
                out.places.extend(place_of(&peering));
                peerings.insert(peering);
            }
            vnets.insert(r);
        } else if r.is(PEERING) {
            peerings.insert(r);
        } else if r.is(GATEWAY) {
            let kind = r
                .root()
                .get("gatewayType")
                .str()?
                .unwrap_or("Vpn")
                .to_string();
            if kind.eq_ignore_ascii_case("Vpn") {
                gateways.insert(r);
            } else {
                skip(&mut out, &format!("{} ({kind})", r.rtype), &r);
            }
        } else if r.is(NAT_RULE) {
            match id_parent(&r.id) {
                Some(gateway) => nat_children.entry(id_key(gateway)).or_default().push(r),
                None => skip(&mut out, NAT_RULE, &r),
            }
        } else if r.is(LOCAL_GATEWAY) {
            locals.insert(r);
        } else if r.is(CONNECTION) {
            let kind = r
                .root()
                .get("connectionType")
                .required_str("connectionType")?;
            if kind.eq_ignore_ascii_case("ExpressRoute") || kind.eq_ignore_ascii_case("VPNClient") {
                skip(&mut out, &format!("{} ({kind})", r.rtype), &r);
            } else {
                connections.insert(r);
            }
        } else {
            let rtype = r.rtype.clone();
            skip(&mut out, &rtype, &r);
        }
    }

    // VNets first: their address spaces.
    let mut vnet_list: Vec<VnetEntry> = Vec::new();
    let mut vnet_index: HashMap<String, usize> = HashMap::new();
    for r in &vnets.items {
        let space_field = r.root().at(&["addressSpace", "addressPrefixes"]);
        let space = space_field.prefixes()?;
        vnet_index.insert(id_key(&r.id), vnet_list.len());
        vnet_list.push(VnetEntry {
            key: id_key(&r.id),
            id: r.id.clone(),
            file: r.file.clone(),
            address_space: space,
            origin: origin_of(r).with("address_space", space_field.place()),
            gateway: None,
            gateway_place: None,
            space_unknown: false,
            external: false,
        });
    }

    // Peerings: owners and remotes, creating external VNets as needed.
    struct PeeringEntry {
        file: String,
        origin: Origin,
        owner: String,
        remote: String,
        allow_gateway_transit: bool,
        use_remote_gateways: bool,
        remote_space: Option<Vec<PrefixText>>,
        /// What part of the two VNets a subnet or IPv6-only peering peers (`None`: all).
        partial: Option<String>,
    }
    let mut peering_list = Vec::new();
    for r in &peerings.items {
        let root = r.root();
        let owner_id = id_parent(&r.id)
            .ok_or_else(|| root.get("id").error("a peering ID must name its VNet (.../virtualNetworks/{vnet}/virtualNetworkPeerings/{name})"))?
            .to_string();
        let remote_field = root.at(&["remoteVirtualNetwork", "id"]);
        let remote_id = remote_field
            .required_str("remoteVirtualNetwork.id")?
            .to_string();
        let state = root.get("peeringState").str()?;
        if state.is_some_and(|s| s.eq_ignore_ascii_case("Disconnected")) {
            out.warnings.push(format!(
                "{}: peering {} is Disconnected and carries no traffic; left out (delete and re-create it in Azure)",
                r.file, r.id
            ));
            continue;
        }
        // `remoteAddressSpace`: "the address space peered with the remote virtual network" (what
        // the peering carries); `remoteVirtualNetworkAddressSpace`: "the current address space of
        // the remote virtual network" (REST API reference). They differ while the peering is not
        // in sync. The peering keeps the peered one (for the out-of-sync finding); an external
        // VNet gets the current one.
        // Each list with where it is in the file.
        let optional =
            |keys: [&str; 2]| -> Result<Option<(Vec<PrefixText>, String)>, TopologyError> {
                let f = root.at(&keys);
                if f.is_missing() {
                    Ok(None)
                } else {
                    Ok(Some((f.prefixes()?, f.place())))
                }
            };
        let peered = optional(["remoteAddressSpace", "addressPrefixes"])?;
        let current = optional(["remoteVirtualNetworkAddressSpace", "addressPrefixes"])?;
        let remote_space = peered.clone().or_else(|| current.clone());
        let remote_current = current.or(peered);
        // The owner's side, for an owner VNet the input lacks: `localVirtualNetworkAddressSpace`
        // (its current space), else `localAddressSpace` (the part peered).
        let local_current = match optional(["localVirtualNetworkAddressSpace", "addressPrefixes"])?
        {
            Some(space) => Some(space),
            None => optional(["localAddressSpace", "addressPrefixes"])?,
        };
        let partial = partial_peering(&root)?;
        // The owner comes from the peering's own ID (or the VNet it is inline in).
        let own_place = root.place();
        for (vid, space, place) in [
            (&owner_id, local_current.as_ref(), &own_place),
            (&remote_id, remote_current.as_ref(), &remote_field.place()),
        ] {
            let key = id_key(vid);
            if !vnet_index.contains_key(&key) {
                // An external VNet is where the peering names it, its space where the peering
                // carries it.
                let mut origin = Origin {
                    path: place.clone(),
                    ..origin_of(r)
                };
                if let Some((_, at)) = space {
                    origin = origin.with("address_space", at.clone());
                }
                let address_space = space.map(|(list, _)| list.clone()).unwrap_or_default();
                if address_space.is_empty() {
                    out.warnings.push(format!(
                        "{}: VNet {vid} (referenced by peering {}) is not in the input and its address space is unknown; add its export for a complete result",
                        r.file, r.id
                    ));
                }
                vnet_index.insert(key.clone(), vnet_list.len());
                vnet_list.push(VnetEntry {
                    key,
                    id: vid.clone(),
                    file: r.file.clone(),
                    space_unknown: address_space.is_empty(),
                    external: true,
                    address_space,
                    origin,
                    gateway: None,
                    gateway_place: None,
                });
            }
        }
        let mut origin = origin_of(r).with("remote", remote_field.place());
        if let Some((_, at)) = &remote_space {
            origin = origin.with("remote_address_space", at.clone());
        }
        peering_list.push(PeeringEntry {
            file: r.file.clone(),
            origin,
            owner: id_key(&owner_id),
            remote: id_key(&remote_id),
            allow_gateway_transit: root.get("allowGatewayTransit").bool()?,
            use_remote_gateways: root.get("useRemoteGateways").bool()?,
            remote_space: remote_space.map(|(list, _)| list),
            partial,
        });
    }

    // Gateways, attached to their VNets.
    let mut gateway_keys: Vec<(String, String)> = Vec::new(); // (key, id)
    let mut gateway_vnet: HashMap<String, usize> = HashMap::new();
    for r in &gateways.items {
        let root = r.root();
        let mut subnet = None;
        for cfg in root.get("ipConfigurations").items()? {
            let f = cfg.at(&["subnet", "id"]);
            if let Some(s) = f.str()? {
                subnet = Some((s.to_string(), f));
                break;
            }
        }
        let Some((subnet_id, subnet_field)) = subnet else {
            return Err(root.get("ipConfigurations").error(
                "the gateway has no ipConfigurations[].subnet.id, so its VNet is unknown; export it with its ip configurations",
            ));
        };
        let vnet_id = id_parent(&subnet_id)
            .filter(|p| id_type(p).is_some_and(|t| t.eq_ignore_ascii_case(VNET)))
            .ok_or_else(|| {
                subnet_field.error(format!(
                    "'{subnet_id}' is not a subnet ID (.../virtualNetworks/{{vnet}}/subnets/GatewaySubnet)"
                ))
            })?
            .to_string();
        let key = id_key(&vnet_id);
        let index = match vnet_index.get(&key) {
            Some(&i) => i,
            None => {
                out.warnings.push(format!(
                    "{}: VNet {vnet_id} of gateway {} is not in the input; its address space is unknown (empty), add its export for a complete result",
                    r.file, r.id
                ));
                vnet_index.insert(key.clone(), vnet_list.len());
                vnet_list.push(VnetEntry {
                    key,
                    id: vnet_id.clone(),
                    file: r.file.clone(),
                    address_space: Vec::new(),
                    origin: Origin {
                        path: subnet_field.place(),
                        ..origin_of(r)
                    },
                    gateway: None,
                    gateway_place: None,
                    space_unknown: true,
                    external: true,
                });
                vnet_list.len() - 1
            }
        };
        let mut gateway = read_gateway(r, as_of, &mut out.skipped_list)?;
        let mut rules = nat_rule_ids(r)?;
        rules.extend(
            nat_children
                .remove(&id_key(&r.id))
                .into_iter()
                .flatten()
                .map(|c| id_key(&c.id)),
        );
        gateway.nat_rules = u32::try_from(rules.len()).unwrap_or(u32::MAX);
        let entry = &mut vnet_list[index];
        if let Some((first_file, first_id)) = &entry.gateway_place {
            return Err(root.error(format!(
                "VNet {vnet_id} already has the VPN gateway {first_id} (from {first_file}); Azure allows one per VNet"
            )));
        }
        entry.gateway_place = Some((r.file.clone(), r.id.clone()));
        entry.gateway = Some((id_key(&r.id), gateway));
        gateway_vnet.insert(id_key(&r.id), index);
        gateway_keys.push((id_key(&r.id), r.id.clone()));
    }
    // NAT rules of a gateway the input lacks: nothing to attach them to.
    let mut orphans: Vec<RawResource> = nat_children.into_values().flatten().collect();
    orphans.sort_by(|a, b| (&a.file, &a.path).cmp(&(&b.file, &b.path)));
    for r in &orphans {
        skip(
            &mut out,
            &format!("{NAT_RULE} (gateway not in the input)"),
            r,
        );
    }

    // Names, unambiguous per kind.
    let vnet_names = display_names(vnet_list.iter().map(|v| (v.key.clone(), v.id.clone())));
    let gateway_names = display_names(gateway_keys.iter().cloned());
    let local_names = display_names(locals.items.iter().map(|r| (id_key(&r.id), r.id.clone())));
    let connection_names = display_names(
        connections
            .items
            .iter()
            .map(|r| (id_key(&r.id), r.id.clone())),
    );

    let mut natives: Vec<Located<NativeFile>> = files
        .iter()
        .map(|f| Located {
            source: f.clone(),
            value: NativeFile::default(),
        })
        .collect();
    let file_slot = |file: &str, natives: &mut Vec<Located<NativeFile>>| -> usize {
        match natives.iter().position(|n| n.source == file) {
            Some(i) => i,
            None => {
                natives.push(Located {
                    source: file.to_string(),
                    value: NativeFile::default(),
                });
                natives.len() - 1
            }
        }
    };

    // A gateway transit over a peering of only some subnets (or only IPv6) is not documented:
    // the gateway's report says what is assumed.
    let mut transit_notes: HashMap<&str, Vec<String>> = HashMap::new();
    for p in &peering_list {
        let Some(part) = &p.partial else { continue };
        let (hub, spoke) = match (p.allow_gateway_transit, p.use_remote_gateways) {
            (true, _) => (&p.owner, &p.remote),
            (false, true) => (&p.remote, &p.owner),
            (false, false) => continue,
        };
        let peered = p
            .remote_space
            .as_ref()
            .filter(|_| hub == &p.owner)
            .map(|list| {
                let texts: Vec<String> = list.iter().map(|t| t.to_string()).collect();
                format!(" ({})", texts.join(", "))
            })
            .unwrap_or_default();
        transit_notes.entry(hub.as_str()).or_default().push(format!(
            "peering {} peers {part}; Azure does not document gateway transit over such a \
             peering: the whole address space of VNet '{}' is counted as transit routes (an \
             upper bound for the limits), though clients may reach only the peered part{peered}",
            p.origin.id, vnet_names[spoke],
        ));
    }
    for v in &vnet_list {
        let slot = file_slot(&v.file, &mut natives);
        let gateway = v.gateway.as_ref().map(|(key, g)| {
            let mut g = g.clone();
            g.name = Some(gateway_names[key].clone());
            if let Some(notes) = transit_notes.get(v.key.as_str()) {
                g.assumed.extend(notes.iter().cloned());
            }
            if v.space_unknown {
                // Said in the report too, not only on stderr: every route list lacks the
                // gateway's own VNet, which a program reading the JSON must know.
                g.assumed.push(format!(
                    "the gateway's VNet {} is not in the input: its address space is unknown \
                     and taken as empty, so no route list holds its prefixes (add the VNet's \
                     export for a complete result)",
                    v.id
                ));
            }
            Box::new(g)
        });
        natives[slot].value.vnets.push(NativeVnet {
            name: vnet_names[&v.key].clone(),
            address_space: v.address_space.clone(),
            gateway,
            external: v.external,
            origin: Some(Box::new(v.origin.clone())),
        });
    }
    for p in &peering_list {
        let slot = file_slot(&p.file, &mut natives);
        natives[slot].value.peerings.push(NativePeering {
            vnet: vnet_names[&p.owner].clone(),
            remote: vnet_names[&p.remote].clone(),
            allow_gateway_transit: p.allow_gateway_transit,
            use_remote_gateways: p.use_remote_gateways,
            // The peered space of a subnet peering is a part of the remote VNet by design, not
            // a copy out of sync with it (the only use of this field).
            remote_address_space: p.remote_space.clone().filter(|_| p.partial.is_none()),
            origin: Some(Box::new(p.origin.clone())),
        });
    }
    for r in &locals.items {
        let slot = file_slot(&r.file, &mut natives);
        let mut local = read_local(r, &mut out.warnings)?;
        local.name = local_names[&id_key(&r.id)].clone();
        natives[slot].value.local_networks.push(local);
    }
    for r in &connections.items {
        let slot = file_slot(&r.file, &mut natives);
        let root = r.root();
        let kind_field = root.get("connectionType");
        let kind = kind_field.required_str("connectionType")?;
        let gw1 = root.at(&["virtualNetworkGateway1", "id"]);
        let gw1_id = gw1.required_str("virtualNetworkGateway1.id")?;
        // A connection of a gateway outside the input cannot change the routes of the gateways
        // in it (a Vnet2Vnet link needs both directions): left out, with a warning.
        let Some(gateway) = gateway_names.get(&id_key(gw1_id)) else {
            out.warnings.push(format!(
                "{}: connection {} belongs to gateway {gw1_id}, which is not in the input; left out (add the gateway's export to analyse it)",
                r.file, r.id
            ));
            continue;
        };
        let mut origin = origin_of(r)
            .with("type", kind_field.place())
            .with("gateway", gw1.place());
        let (kind, local_network, remote_gateway) = if kind.eq_ignore_ascii_case("IPsec") {
            let f = root.at(&["localNetworkGateway2", "id"]);
            origin = origin.with("local_network", f.place());
            let id = f.required_str("localNetworkGateway2.id")?;
            let name = local_names.get(&id_key(id)).ok_or_else(|| {
                f.error(format!(
                    "refers to local network gateway {id}, which is not in the input; add its export (e.g. az network local-gateway show)"
                ))
            })?;
            ("IPsec", Some(name.clone()), None)
        } else if kind.eq_ignore_ascii_case("Vnet2Vnet") {
            let f = root.at(&["virtualNetworkGateway2", "id"]);
            origin = origin.with("remote_gateway", f.place());
            let id = f.required_str("virtualNetworkGateway2.id")?;
            let Some(name) = gateway_names.get(&id_key(id)) else {
                // Without the far gateway there is no reverse direction, so the link carries no
                // routes either way.
                out.warnings.push(format!(
                    "{}: Vnet2Vnet connection {} leads to gateway {id}, which is not in the input; left out (it carries no routes without the far gateway's connection back; add its export)",
                    r.file, r.id
                ));
                continue;
            };
            ("Vnet2Vnet", None, Some(name.clone()))
        } else {
            return Err(kind_field.error(format!(
                "unknown connectionType '{kind}'; expected IPsec, Vnet2Vnet, ExpressRoute or VPNClient"
            )));
        };
        natives[slot].value.connections.push(NativeConnection {
            name: connection_names[&id_key(&r.id)].clone(),
            kind: kind.to_string(),
            gateway: gateway.clone(),
            local_network,
            remote_gateway,
            bgp: root.get("enableBgp").bool()?,
            origin: Some(Box::new(origin)),
        });
    }
    natives.retain(|n| {
        let v = &n.value;
        !(v.vnets.is_empty()
            && v.peerings.is_empty()
            && v.local_networks.is_empty()
            && v.connections.is_empty())
    });
    out.files = natives;
    Ok(out)
}

/// What a peering peers when it is not the whole of both VNets: subnet peering
/// (`peerCompleteVnets: false`, with `localSubnetNames` / `remoteSubnetNames`) or IPv6 only
/// (`enableOnlyIPv6Peering: true`). `None` for a peering of the whole VNets (the default).
fn partial_peering(root: &Field) -> Result<Option<String>, TopologyError> {
    let complete = root.get("peerCompleteVnets");
    let subnets_only = !complete.is_missing() && !complete.bool()?;
    let ipv6_only = root.get("enableOnlyIPv6Peering").bool()?;
    if !subnets_only && !ipv6_only {
        return Ok(None);
    }
    let names = |key: &str| -> Result<String, TopologyError> {
        let mut list = Vec::new();
        for item in root.get(key).items()? {
            if let Some(name) = item.str()? {
                list.push(name.to_string());
            }
        }
        Ok(if list.is_empty() {
            "none listed".to_string()
        } else {
            list.join(", ")
        })
    };
    let mut part = if subnets_only {
        format!(
            "only some subnets (peerCompleteVnets false; local subnets: {}; remote subnets: {})",
            names("localSubnetNames")?,
            names("remoteSubnetNames")?
        )
    } else {
        "the whole VNets".to_string()
    };
    if ipv6_only {
        part.push_str(", IPv6 only (enableOnlyIPv6Peering true)");
    }
    Ok(Some(part))
}

fn skip(out: &mut Resolved, rtype: &str, r: &RawResource) {
    *out.skipped.entry(rtype.to_string()).or_insert(0) += 1;
    out.skipped_list
        .push(format!("{}: {} {} ({})", r.file, rtype, r.id, r.path));
}

/// Azure names, made unambiguous: `name`, else `group/name`, else `subscription/group/name`.
fn display_names(items: impl Iterator<Item = (String, String)>) -> HashMap<String, String> {
    let items: Vec<(String, String)> = items.collect();
    let level = |id: &str, depth: usize| -> String {
        let name = id_name(id).to_string();
        let group = id_resource_group(id).unwrap_or("-");
        let sub = id_subscription(id).unwrap_or("-");
        match depth {
            0 => name,
            1 => format!("{group}/{name}"),
            _ => format!("{sub}/{group}/{name}"),
        }
    };
    // How often each label occurs at each level (linear, so large exports stay fast).
    let counts: Vec<HashMap<String, usize>> = (0..3)
        .map(|depth| {
            let mut c = HashMap::new();
            for (_, id) in &items {
                *c.entry(level(id, depth).to_ascii_lowercase()).or_insert(0) += 1;
            }
            c
        })
        .collect();
    let mut out = HashMap::new();
    for (key, id) in &items {
        let depth = (0..3)
            .find(|&d| counts[d][&level(id, d).to_ascii_lowercase()] == 1)
            .unwrap_or(2);
        out.insert(key.clone(), level(id, depth));
    }
    out
}

/// The ID keys of a gateway's inline `natRules` (an entry without an ID is named by its
/// `name` under the gateway), a set: the same rule listed as a child resource counts once.
fn nat_rule_ids(r: &RawResource) -> Result<std::collections::BTreeSet<String>, TopologyError> {
    let mut ids = std::collections::BTreeSet::new();
    for (i, item) in r.root().get("natRules").items()?.into_iter().enumerate() {
        let field = |key: &str| item.get(key).str().ok().flatten().map(str::to_string);
        let id = match (field("id"), field("name")) {
            (Some(id), _) => id,
            (None, Some(name)) => format!("{}/natRules/{name}", r.id),
            (None, None) => format!("{}/natRules/[{i}]", r.id),
        };
        ids.insert(id_key(&id));
    }
    Ok(ids)
}

/// `bgpSettings.asn`: 0 or absent is "not set" (Azure's exports write 0); the range is
/// checked by the builder.
fn asn(field: &Field<'_>) -> Result<Option<u64>, TopologyError> {
    Ok(field.u64()?.filter(|v| *v != 0))
}

fn read_gateway(
    r: &RawResource,
    as_of: Option<Date>,
    notes: &mut Vec<String>,
) -> Result<NativeGateway, TopologyError> {
    let root = r.root();
    let mut assumed = Vec::new();
    let sku_field = root.at(&["sku", "name"]);
    let sku = sku_field.str()?.map(str::to_string);
    // `None` is Azure's word for "no generation" (ExpressRoute and legacy gateways).
    let generation_field = root.get("vpnGatewayGeneration");
    let generation = generation_field
        .str()?
        .filter(|g| !g.trim().is_empty() && !g.trim().eq_ignore_ascii_case("none"))
        .map(str::to_string);
    let vpn_type_field = root.get("vpnType");
    let vpn_type = vpn_type_field.str()?.map(str::to_string);
    if vpn_type.is_none() {
        assumed.push(format!(
            "gateway {}: no vpnType in the export; assuming RouteBased, Azure's default",
            id_name(&r.id)
        ));
    }
    let asn_field = root.at(&["bgpSettings", "asn"]);
    let custom_field = root.at(&["customRoutes", "addressPrefixes"]);
    let mut origin = origin_of(r)
        .with("sku", sku_field.place())
        .with("generation", generation_field.place())
        .with("vpn_type", vpn_type_field.place())
        .with("bgp.asn", asn_field.place())
        .with("custom_routes", custom_field.place());
    let bgp = if root.get("enableBgp").bool()? {
        let asn = asn(&asn_field)?;
        if asn.is_none() {
            assumed.push(format!(
                "gateway {}: BGP is enabled without bgpSettings.asn; assuming 65515, Azure's default ASN",
                id_name(&r.id)
            ));
        }
        Some(NativeGatewayBgp { asn })
    } else {
        None
    };
    let custom_routes = custom_field.prefixes()?;
    let p2s = read_p2s(r, sku.as_deref(), as_of, notes, &mut assumed, &mut origin)?;
    Ok(NativeGateway {
        name: None,
        sku,
        generation,
        vpn_type,
        active_active: root.get("activeActive").bool()?,
        bgp,
        custom_routes,
        // Counted with the child resources by the caller (see `nat_rule_ids`).
        nat_rules: 0,
        p2s,
        assumed,
        origin: Some(Box::new(origin)),
    })
}

/// Reads `vpnClientConfiguration`.
///
/// Azure returns a `vpnClientConfiguration` on gateways that never had point-to-site (PUT
/// responses, `az network vnet-gateway create/list`, the portal's Export template): a stub with
/// protocols filled in by the service (`["OpenVPN","IkeV2"]`, `["SSTP"]` on Basic) and every
/// list empty. So a gateway has P2S only when its configuration has an address pool or some
/// authentication material (root certificates, RADIUS servers, an Entra ID tenant, or listed
/// authentication types); a stub without either is "no P2S" (noted for `--verbose`).
fn read_p2s(
    r: &RawResource,
    sku: Option<&str>,
    as_of: Option<Date>,
    notes: &mut Vec<String>,
    assumed: &mut Vec<String>,
    origin: &mut Origin,
) -> Result<Option<NativeP2s>, TopologyError> {
    let vcc = r.root().get("vpnClientConfiguration");
    if vcc.is_missing() {
        return Ok(None);
    }
    let pool_field = vcc.at(&["vpnClientAddressPool", "addressPrefixes"]);
    let pool = pool_field.prefixes()?;
    origin.fields.push(("p2s.address_pool", pool_field.place()));
    // Protocols and authentication types as written (the builder checks them), one to one.
    let protocols_field = vcc.get("vpnClientProtocols");
    let mut protocols = Vec::new();
    for item in protocols_field.items()? {
        protocols.push(item.required_str("a protocol")?.to_string());
    }
    let auth_field = vcc.get("vpnAuthenticationTypes");
    let mut auth = Vec::new();
    for item in auth_field.items()? {
        auth.push(item.required_str("an authentication type")?.to_string());
    }
    if !protocols.is_empty() {
        origin
            .fields
            .push(("p2s.tunnel_types", protocols_field.place()));
    }
    if !auth.is_empty() {
        origin.fields.push(("p2s.auth_types", auth_field.place()));
    }
    // Only whether these are set matters (an unevaluated template expression counts as set).
    let has_certs = is_set(&vcc.get("vpnClientRootCertificates"));
    let has_radius = is_set(&vcc.get("radiusServerAddress")) || is_set(&vcc.get("radiusServers"));
    let has_aad = is_set(&vcc.get("aadTenant"));
    let has_auth_material = !auth.is_empty() || has_certs || has_radius || has_aad;
    if pool.is_empty() && !has_auth_material {
        notes.push(format!(
            "{}: {} ({}): vpnClientConfiguration has neither an address pool nor any \
             authentication, which is Azure's default block on a gateway without point-to-site; \
             read as no P2S configuration",
            r.file,
            r.id,
            vcc.path.trim_start_matches('.')
        ));
        return Ok(None);
    }
    let gateway = id_name(&r.id);
    if auth.is_empty() {
        if has_certs {
            auth.push(AuthType::Certificate.to_string());
        }
        if has_radius {
            auth.push(AuthType::Radius.to_string());
        }
        if has_aad {
            auth.push(AuthType::Aad.to_string());
        }
        if !auth.is_empty() {
            assumed.push(format!(
                "gateway {gateway}: vpnAuthenticationTypes is empty; inferred {} from the \
                 configured material (root certificates, RADIUS servers, Entra ID tenant)",
                auth.join("+")
            ));
        }
    }
    // Multiple address pools for user groups: Azure hands a client the pool of its group's
    // configuration. The spec does not say whether those pools are advertised or how they
    // share capacity, so they are not modelled, and the report says so.
    let configurations = vcc.get("vngClientConnectionConfigurations").items()?;
    if !configurations.is_empty() {
        let mut pools = Vec::new();
        for c in &configurations {
            let field = c.at(&["vpnClientAddressPool", "addressPrefixes"]);
            pools.extend(field.prefixes()?.iter().map(|p| p.to_string()));
        }
        assumed.push(format!(
            "gateway {gateway}: {} client connection configuration(s) for user groups \
             (vngClientConnectionConfigurations, pools {}) are not modelled: their pools are in \
             no route list and no capacity, only the main pool is (the docs do not say how they \
             are advertised)",
            configurations.len(),
            if pools.is_empty() {
                "none given".to_string()
            } else {
                pools.join(", ")
            }
        ));
    }
    if protocols.is_empty() {
        let (default, why) = default_protocols(sku, as_of);
        protocols = default.iter().map(|t| t.to_string()).collect();
        assumed.push(format!(
            "gateway {gateway}: vpnClientProtocols is not set; assuming {} ({why}); set them \
             explicitly to be sure",
            protocols.join("+")
        ));
    }
    Ok(Some(NativeP2s {
        address_pool: pool,
        tunnel_types: protocols,
        auth_types: auth,
    }))
}

/// The tunnel types Azure gives a P2S configuration that lists none, on the deployment day
/// (`--as-of`; without it, today's rules): SSTP can no longer be enabled from
/// [`SSTP_NO_NEW`] (spec §3), Basic gateways are created with IKEv2 from [`BASIC_IKEV2`] and
/// SSTP before, and Standard / HighPerformance, whose IKEv2 support is undocumented and which
/// predate it, had SSTP.
fn default_protocols(sku: Option<&str>, as_of: Option<Date>) -> (Vec<TunnelType>, String) {
    let is = |name: &str| sku.is_some_and(|s| s.eq_ignore_ascii_case(name));
    let day = match as_of {
        Some(day) => format!("deployment day taken from --as-of {day}"),
        None => "no deployment day was given: today's rules".to_string(),
    };
    let before = |cut: Date| as_of.is_some_and(|d| d < cut);
    if is("Standard") || is("HighPerformance") {
        return (
            vec![TunnelType::Sstp],
            "Azure's point-to-site protocol for the legacy SKUs; their IKEv2 support is undocumented"
                .to_string(),
        );
    }
    if is("Basic") {
        return if before(BASIC_IKEV2) {
            (
                vec![TunnelType::Sstp],
                format!("Azure created Basic gateways with SSTP before {BASIC_IKEV2}; {day}"),
            )
        } else {
            (
                vec![TunnelType::IkeV2],
                format!("Azure creates Basic gateways with IKEv2 from {BASIC_IKEV2}; {day}"),
            )
        };
    }
    if before(SSTP_NO_NEW) {
        (
            vec![TunnelType::IkeV2, TunnelType::Sstp],
            format!("Azure's default for route-based VpnGw SKUs before {SSTP_NO_NEW}; {day}"),
        )
    } else {
        (
            vec![TunnelType::IkeV2],
            format!(
                "SSTP can no longer be enabled from {SSTP_NO_NEW}, so of Azure's default IKEv2+SSTP only IKEv2; {day}"
            ),
        )
    }
}

/// A value that is present and not empty.
fn is_set(field: &Field<'_>) -> bool {
    match field.value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(l)) => !l.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

fn read_local(
    r: &RawResource,
    warnings: &mut Vec<String>,
) -> Result<NativeLocalNetwork, TopologyError> {
    let root = r.root();
    let space_field = root.at(&["localNetworkAddressSpace", "addressPrefixes"]);
    let address_space = space_field.prefixes()?;
    let settings = root.get("bgpSettings");
    let asn_field = settings.get("asn");
    let peer_field = settings.get("bgpPeeringAddress");
    let origin = origin_of(r)
        .with("address_space", space_field.place())
        .with("bgp.asn", asn_field.place())
        .with("bgp.peer_ip", peer_field.place());
    let bgp = match asn(&asn_field)? {
        None => None,
        Some(asn) => {
            // The peer address is informative only: an expression that cannot be evaluated
            // (templates take it from `reference()`) is dropped with a warning. Azure keeps a
            // comma-separated list (active-active): the first is kept; the builder checks it.
            let peer_ip = match peer_field.value.and_then(as_unevaluated) {
                Some((expr, reason)) => {
                    warnings.push(format!(
                        "{}: {}: the BGP peer address {expr} cannot be evaluated ({reason}); it is not needed for the analysis and is left out",
                        r.file,
                        peer_field.place()
                    ));
                    None
                }
                None => peer_field
                    .str()?
                    .map(|text| text.split(',').next().unwrap_or("").trim().to_string())
                    .filter(|first| !first.is_empty()),
            };
            Some(NativeLocalBgp { asn, peer_ip })
        }
    };
    Ok(NativeLocalNetwork {
        name: String::new(),
        address_space,
        bgp,
        origin: Some(Box::new(origin)),
    })
}
