//! Every real export in `../shared/samples/` (and the copies in `datasets/samples/`) is read, and
//! the result is checked against values worked out by hand from the file (see the comments).
//!
//! Tests that need `../shared/samples` skip themselves (with a note on stderr) when it is absent;
//! the samples copied into `datasets/samples/` always run.

use std::path::{Path, PathBuf};

use p2s_sim::input::recording::{response_bodies, RecordedResponse};
use p2s_sim::input::{load, Loaded, ParameterValues, ReadOptions, Source};
use p2s_sim::routing::analyze;
use p2s_sim::topology::{ConnectionPeer, Sku, Topology, TunnelType};

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: {} is absent; skipping this sample test",
            dir.display()
        );
        None
    }
}

fn local() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/samples"))
}

fn source(path: &Path) -> Source {
    Source {
        name: path.display().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

fn text_source(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        text: text.into(),
    }
}

fn read(sources: &[Source], params: &[(&str, &str)]) -> Result<Loaded, String> {
    let options = ReadOptions {
        format: None,
        parameters: ParameterValues {
            files: Vec::new(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
    };
    load(sources, &options).map_err(|e| e.to_string())
}

fn ok(sources: &[Source], params: &[(&str, &str)]) -> Loaded {
    read(sources, params).unwrap_or_else(|e| panic!("{e}"))
}

fn space(t: &Topology, vnet: &str) -> Vec<String> {
    t.vnets
        .iter()
        .find(|v| v.name == vnet)
        .unwrap_or_else(|| panic!("no VNet {vnet} in {:?}", names(t)))
        .address_space
        .iter()
        .map(|p| p.to_string())
        .collect()
}

fn names(t: &Topology) -> Vec<&str> {
    t.vnets.iter().map(|v| v.name.as_str()).collect()
}

fn peering(t: &Topology, from: &str, to: &str) -> (bool, bool) {
    let p = t
        .peerings
        .iter()
        .find(|p| p.vnet == from && p.remote == to)
        .unwrap_or_else(|| panic!("no peering {from} -> {to}"));
    (p.allow_gateway_transit, p.use_remote_gateways)
}

fn advertised(t: &Topology, gateway: &str) -> Vec<String> {
    let analysis = analyze(t);
    let g = analysis
        .gateways
        .iter()
        .find(|g| g.name == gateway)
        .unwrap_or_else(|| panic!("gateway {gateway} has no P2S analysis"));
    let mut list: Vec<String> = g
        .advertised
        .to_vec()
        .iter()
        .map(|p| p.to_string())
        .collect();
    list.sort();
    list
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

// ------------------------------------------------------------------------------------------
// Samples copied into datasets/samples (always run)

#[test]
fn local_copies_are_byte_identical_to_shared_samples() {
    let Some(shared) = shared() else { return };
    let provenance = std::fs::read_to_string(local().join("PROVENANCE.md")).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(local()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name == "PROVENANCE.md" {
            continue;
        }
        assert!(provenance.contains(&name), "{name} is not in PROVENANCE.md");
        let found = ["arm-templates", "az-cli-output", "rest-api-examples"]
            .iter()
            .map(|d| shared.join(d).join(&name))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{name} is not a shared sample"));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(found).unwrap(),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 7);
}

/// REST example: gateway `vpngw` in `vnet1` (not exported), VpnGw1, OpenVPN with RADIUS
/// servers and no pool, `enableBgp: false` (so its bgpSettings ASN 65514 is not used), custom
/// route 101.168.0.6/32.
#[test]
fn rest_example_gateway_get() {
    let l = ok(
        &[source(
            &local().join("2023-09-01_VirtualNetworkGatewayGet.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(names(t), ["vnet1"]);
    assert!(space(t, "vnet1").is_empty());
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!(g.name, "vpngw");
    assert_eq!(g.sku, Some(Sku::VpnGw1));
    assert!(g.bgp.is_none() && !g.active_active);
    assert_eq!(g.custom_routes[0].to_string(), "101.168.0.6/32");
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::OpenVpn]);
    assert!(p2s.address_pool.is_empty());
    assert_eq!(
        p2s.auth_types.len(),
        1,
        "RADIUS inferred from radiusServers"
    );
    assert!(l
        .warnings
        .iter()
        .any(|w| w.contains("vnet1") && w.contains("not in the input")));
    assert!(l
        .warnings
        .iter()
        .any(|w| w.contains("without an address pool")));
    // Only the custom route is known: the VNet is not exported and the pool is empty.
    assert_eq!(advertised(t, "vpngw"), ["101.168.0.6/32"]);
}

/// REST list envelope: two peerings of vnet1 (not exported) to vnet2 (12.0.0.0/8) and vnet3
/// (13.0.0.0/8), which become external VNets with the peerings' remote address spaces.
#[test]
fn rest_example_peering_list() {
    let l = ok(
        &[source(
            &local().join("2023-09-01_VirtualNetworkPeeringList.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(names(t), ["vnet1", "vnet2", "vnet3"]);
    assert_eq!(space(t, "vnet2"), ["12.0.0.0/8"]);
    assert_eq!(space(t, "vnet3"), ["13.0.0.0/8"]);
    assert_eq!(peering(t, "vnet1", "vnet2"), (false, false));
    assert_eq!(peering(t, "vnet1", "vnet3"), (false, false));
    let synced: Vec<String> = t.peerings[0]
        .remote_address_space
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(synced, ["12.0.0.0/8"]);
}

/// A connection alone dangles; with its gateway and local network gateway (three REST examples
/// of the same resource group) it is an IPsec connection vpngw → localgw (10.1.0.0/16), whose
/// prefix the gateway then advertises.
#[test]
fn rest_example_connection_needs_its_ends_and_works_with_them() {
    let conn = source(&local().join("2023-09-01_VirtualNetworkGatewayConnectionGet.json"));
    let e = read(std::slice::from_ref(&conn), &[]).unwrap_err();
    assert!(
        e.contains("responses.200.body.properties.virtualNetworkGateway1.id"),
        "{e}"
    );
    assert!(e.contains("/virtualNetworkGateways/vpngw"), "{e}");
    assert!(e.contains("not in the input"), "{e}");

    let l = ok(
        &[
            conn,
            source(&local().join("2023-09-01_VirtualNetworkGatewayGet.json")),
            source(&local().join("2024-05-01_LocalNetworkGatewayGet.json")),
        ],
        &[],
    );
    let t = &l.topology;
    assert_eq!(t.local_networks[0].name, "localgw");
    assert_eq!(
        t.local_networks[0].address_space[0].to_string(),
        "10.1.0.0/16"
    );
    let c = &t.connections[0];
    assert_eq!(
        (c.name.as_str(), c.gateway.as_str(), c.bgp),
        ("connS2S", "vpngw", false)
    );
    assert_eq!(c.peer, ConnectionPeer::LocalNetwork("localgw".into()));
    assert_eq!(
        advertised(t, "vpngw"),
        sorted(&["10.1.0.0/16", "101.168.0.6/32"])
    );
}

/// `az network vnet create` output: flattened, wrapped in {"newVNet": ...}, CRLF line ends.
#[test]
fn az_cli_vnet_create_output() {
    let l = ok(
        &[source(
            &local().join("scepman_az-network-vnet-create_vnet.json"),
        )],
        &[],
    );
    assert_eq!(l.formats[0].1, p2s_sim::input::InputFormat::Az);
    assert_eq!(names(&l.topology), ["vnet-test-name"]);
    assert_eq!(space(&l.topology, "vnet-test-name"), ["10.0.0.0/16"]);
    assert!(l.topology.peerings.is_empty());
}

/// Template: vNet1 10.0.0.0/24 and vNet2 192.168.0.0/24 (variables vnet1Config/vnet2Config),
/// peered both ways with allowGatewayTransit and useRemoteGateways false; names built with
/// format('{0}/{1}', ..., format('{0}-{1}', ...)).
#[test]
fn template_vnet_to_vnet_peering() {
    let l = ok(
        &[source(
            &local().join("qs-vnet-to-vnet-peering.azuredeploy.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(names(t), ["vNet1", "vNet2"]);
    assert_eq!(space(t, "vNet1"), ["10.0.0.0/24"]);
    assert_eq!(space(t, "vNet2"), ["192.168.0.0/24"]);
    assert_eq!(peering(t, "vNet1", "vNet2"), (false, false));
    assert_eq!(peering(t, "vNet2", "vNet1"), (false, false));
    assert_eq!(t.peerings.len(), 2);
}

/// Template: VNet1 10.1.0.0/16, gateway VNet1GW (Standard, RouteBased), pool 172.16.0.0/24,
/// OpenVPN with AAD. aadTenant uses environment() (not evaluated) but is not needed because
/// vpnAuthenticationTypes is explicit. OpenVPN only: the pool is not split.
#[test]
fn template_point_to_site_aad() {
    let l = ok(
        &[source(
            &local().join("qs-point-to-site-aad.azuredeploy.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(names(t), ["VNet1"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.name.as_str(), g.sku), ("VNet1GW", Some(Sku::Standard)));
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::OpenVpn]);
    assert_eq!(p2s.auth_types, [p2s_sim::topology::AuthType::Aad]);
    assert_eq!(
        advertised(t, "VNet1GW"),
        sorted(&["10.1.0.0/16", "172.16.0.0/24"])
    );
    let analysis = analyze(t);
    let kinds: Vec<&str> = analysis.gateways[0]
        .clients
        .iter()
        .map(|c| c.kind.id)
        .collect();
    assert!(kinds.contains(&"openvpn"), "{kinds:?}");
    assert_eq!(
        l.skipped.get("Microsoft.Network/publicIPAddresses"),
        Some(&1)
    );
}

// ------------------------------------------------------------------------------------------
// ARM templates in ../shared/samples/arm-templates

fn template(name: &str) -> Option<Source> {
    shared().map(|d| source(&d.join("arm-templates").join(name)))
}

/// Defaults (deployVpnGateway=No): three VNets, the four `peering_*` peerings without gateway
/// flags, no gateway. With deployVpnGateway=Yes: gateway hubVpnGateway (Basic by default) in
/// hubVnet, the `gwPeering_*` peerings with allowGatewayTransit on the hub side and
/// useRemoteGateways on the spokes. No P2S configuration either way.
#[test]
fn template_hub_and_spoke_sandbox() {
    let Some(s) = template("qs-hub-and-spoke-sandbox.azuredeploy.json") else {
        return;
    };
    // winVmUser, winVmPassword, winVmDnsPrefix have no defaults and never block.
    let l = ok(std::slice::from_ref(&s), &[]);
    let t = &l.topology;
    assert_eq!(names(t), ["hubVnet", "spokeDevVnet", "spokeProdVnet"]);
    assert_eq!(space(t, "hubVnet"), ["192.168.0.0/20"]);
    assert_eq!(space(t, "spokeDevVnet"), ["10.10.0.0/16"]);
    assert_eq!(space(t, "spokeProdVnet"), ["10.100.0.0/16"]);
    assert_eq!(t.peerings.len(), 4);
    assert!(t
        .peerings
        .iter()
        .all(|p| !p.allow_gateway_transit && !p.use_remote_gateways));
    assert!(t.vnets.iter().all(|v| v.gateway.is_none()));
    // 3 hub subnets + 2 workload subnets (the GatewaySubnet's condition is false).
    assert_eq!(
        l.skipped.get("Microsoft.Network/virtualNetworks/subnets"),
        Some(&5)
    );

    let l = ok(&[s], &[("deployVpnGateway", "Yes")]);
    let t = &l.topology;
    let g = t.vnets[0].gateway.as_ref().expect("gateway in hubVnet");
    assert_eq!(
        (g.name.as_str(), g.sku),
        ("hubVpnGateway", Some(Sku::Basic))
    );
    assert!(g.p2s.is_none());
    assert_eq!(peering(t, "hubVnet", "spokeDevVnet"), (true, false));
    assert_eq!(peering(t, "hubVnet", "spokeProdVnet"), (true, false));
    assert_eq!(peering(t, "spokeDevVnet", "hubVnet"), (false, true));
    assert_eq!(peering(t, "spokeProdVnet", "hubVnet"), (false, true));
    assert_eq!(
        l.skipped.get("Microsoft.Network/virtualNetworks/subnets"),
        Some(&6)
    );
    assert!(
        analyze(t).gateways.is_empty(),
        "no vpnClientConfiguration in this template"
    );
}

/// Every value comes from parameters without defaults. The ones the analysis needs must be
/// given; the rest (public IP name, certificate data, revoked certificate) never block.
/// vpnClientProtocols is absent: Azure's default SSTP+IKEv2 is assumed (warning), so the
/// /24 pool is split into two /25s; root certificates → Certificate authentication.
#[test]
fn template_point_to_site() {
    let Some(s) = template("qs-point-to-site.azuredeploy.json") else {
        return;
    };
    let e = read(std::slice::from_ref(&s), &[]).unwrap_err();
    assert!(
        e.contains("virtualNetworkName") && e.contains("--param"),
        "{e}"
    );
    let params = [
        ("virtualNetworkName", "p2sVnet"),
        ("vnetAddressPrefix", "10.50.0.0/16"),
        ("gatewayName", "p2sGw"),
        ("vpnClientAddressPoolPrefix", "172.20.0.0/24"),
    ];
    let e = read(std::slice::from_ref(&s), &params).unwrap_err();
    assert!(
        e.contains("properties.sku.name") && e.contains("gatewaySku"),
        "{e}"
    );
    assert!(e.contains("virtualNetworkGateways/p2sGw"), "{e}");
    let mut params = params.to_vec();
    params.push(("gatewaySku", "VpnGw1"));
    let l = ok(&[s], &params);
    let t = &l.topology;
    assert_eq!(names(t), ["p2sVnet"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.name.as_str(), g.sku), ("p2sGw", Some(Sku::VpnGw1)));
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::IkeV2, TunnelType::Sstp]);
    assert_eq!(p2s.auth_types, [p2s_sim::topology::AuthType::Certificate]);
    assert!(l.warnings.iter().any(|w| w.contains("vpnClientProtocols")));
    assert_eq!(
        advertised(t, "p2sGw"),
        sorted(&["10.50.0.0/16", "172.20.0.0/25", "172.20.0.128/25"])
    );
}

/// localAddressPrefix has no default and is needed; with it: LNG localGateway, VNet azureVnet
/// 10.3.0.0/16, gateway azureGateway (Basic; "enableBgp": "false" as text), IPsec connection
/// Azure2Other without BGP. sharedKey, adminUsername, ... have no value and never block.
#[test]
fn template_site_to_site_vpn() {
    let Some(s) = template("qs-site-to-site-vpn.azuredeploy.json") else {
        return;
    };
    let e = read(std::slice::from_ref(&s), &[]).unwrap_err();
    assert!(
        e.contains("localNetworkAddressSpace.addressPrefixes[0]"),
        "{e}"
    );
    assert!(e.contains("[parameters('localAddressPrefix')]"), "{e}");
    assert!(e.contains("localNetworkGateways/localGateway"), "{e}");
    let l = ok(&[s], &[("localAddressPrefix", "192.168.0.0/16")]);
    let t = &l.topology;
    assert_eq!(names(t), ["azureVnet"]);
    assert_eq!(space(t, "azureVnet"), ["10.3.0.0/16"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!(
        (g.name.as_str(), g.sku, g.bgp),
        ("azureGateway", Some(Sku::Basic), None)
    );
    assert_eq!(t.local_networks[0].name, "localGateway");
    assert_eq!(
        t.local_networks[0].address_space[0].to_string(),
        "192.168.0.0/16"
    );
    let c = &t.connections[0];
    assert_eq!(
        (c.name.as_str(), c.gateway.as_str(), c.bgp),
        ("Azure2Other", "azureGateway", false)
    );
    assert_eq!(c.peer, ConnectionPeer::LocalNetwork("localGateway".into()));
}

/// Two active-active VpnGw2AZ gateways gw1 (ASN 65001, vnet1 10.1.0.0/16) and gw2 (ASN 65002,
/// vnet2 10.2.0.0/16); four FQDN local network gateways with BGP (localGateway11/12 ASN 65001,
/// 21/22 ASN 65002) whose bgpPeeringAddress comes from reference() (not evaluable, not needed:
/// a warning each); four IPsec connections with BGP.
#[test]
fn template_site_to_site_fqdn_bgp() {
    let Some(s) = template("qs-site-to-site-vpn-fqdn-bgp.azuredeploy.json") else {
        return;
    };
    let l = ok(&[s], &[]);
    let t = &l.topology;
    assert_eq!(names(t), ["vnet1", "vnet2"]);
    assert_eq!(space(t, "vnet1"), ["10.1.0.0/16"]);
    assert_eq!(space(t, "vnet2"), ["10.2.0.0/16"]);
    for (v, name, asn) in [(0, "gw1", 65001), (1, "gw2", 65002)] {
        let g = t.vnets[v].gateway.as_ref().unwrap();
        assert_eq!(g.name, name);
        assert_eq!(g.sku, Some(Sku::VpnGw2AZ));
        assert!(g.active_active);
        assert_eq!(g.bgp.unwrap().asn, asn);
    }
    let lngs: Vec<(&str, u32, bool)> = t
        .local_networks
        .iter()
        .map(|l| {
            (
                l.name.as_str(),
                l.bgp.as_ref().unwrap().asn,
                l.bgp.as_ref().unwrap().peer_ip.is_some(),
            )
        })
        .collect();
    assert_eq!(
        lngs,
        [
            ("localGateway11", 65001, false),
            ("localGateway12", 65001, false),
            ("localGateway21", 65002, false),
            ("localGateway22", 65002, false)
        ]
    );
    assert_eq!(
        l.warnings
            .iter()
            .filter(|w| w.contains("reference()"))
            .count(),
        4
    );
    assert_eq!(t.connections.len(), 4);
    assert!(t.connections.iter().all(|c| c.bgp));
    let c = t
        .connections
        .iter()
        .find(|c| c.name == "gw1-to-gw2IP1")
        .unwrap();
    assert_eq!(
        c.peer,
        ConnectionPeer::LocalNetwork("localGateway21".into())
    );
}

/// All names and prefixes are parameters without defaults; given through a parameters file
/// (the standard {"parameters": {"x": {"value": ...}}} shape). Two gateways without SKU, two
/// Vnet2Vnet connections without BGP.
#[test]
fn template_vnet_to_vnet_with_parameters_file() {
    let Some(s) = template("qs-vnet-to-vnet.azuredeploy.json") else {
        return;
    };
    let file = text_source(
        "v2v.parameters.json",
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {
              "virtualNetworkName1": {"value": "east"}, "addressPrefix1": {"value": "10.1.0.0/16"},
              "gatewayName1": {"value": "east-gw"}, "connectionName1": {"value": "east-to-west"},
              "virtualNetworkName2": {"value": "west"}, "addressPrefix2": {"value": "10.2.0.0/16"},
              "gatewayName2": {"value": "west-gw"}, "connectionName2": {"value": "west-to-east"},
              "sharedKey": {"reference": {"keyVault": {"id": "kv"}, "secretName": "psk"}}
            }}"#,
    );
    let options = ReadOptions {
        format: None,
        parameters: ParameterValues::from_sources(&[file], &[]).unwrap(),
    };
    let l = load(&[s], &options).unwrap_or_else(|e| panic!("{e}"));
    let t = &l.topology;
    assert_eq!(names(t), ["east", "west"]);
    assert_eq!(space(t, "west"), ["10.2.0.0/16"]);
    assert_eq!(t.vnets[0].gateway.as_ref().unwrap().name, "east-gw");
    assert_eq!(t.vnets[0].gateway.as_ref().unwrap().sku, None);
    let conns: Vec<(&str, &str, ConnectionPeer, bool)> = t
        .connections
        .iter()
        .map(|c| (c.name.as_str(), c.gateway.as_str(), c.peer.clone(), c.bgp))
        .collect();
    assert_eq!(
        conns,
        [
            (
                "east-to-west",
                "east-gw",
                ConnectionPeer::Gateway("west-gw".into()),
                false
            ),
            (
                "west-to-east",
                "west-gw",
                ConnectionPeer::Gateway("east-gw".into()),
                false
            )
        ]
    );
}

/// Names come from object variables and the location (resourceGroup().location is the
/// placeholder "location", or --param location=...): vNet1-<loc> 10.0.0.0/23 with
/// vNet1-Gateway (VpnGw1, ASN 65010), vnet2-<loc> 10.0.2.0/23 with vnet2-Gateway (ASN 65050),
/// Vnet2Vnet both ways with BGP. Public IP names use uniqueString() and never block.
#[test]
fn template_vnet_to_vnet_bgp() {
    let Some(s) = template("qs-vnet-to-vnet-bgp.azuredeploy.json") else {
        return;
    };
    let l = ok(&[s], &[("location", "westeurope")]);
    let t = &l.topology;
    assert_eq!(names(t), ["vNet1-westeurope", "vnet2-westeurope"]);
    assert_eq!(space(t, "vNet1-westeurope"), ["10.0.0.0/23"]);
    assert_eq!(space(t, "vnet2-westeurope"), ["10.0.2.0/23"]);
    let asns: Vec<(String, u32)> = t
        .gateways()
        .map(|(_, g)| (g.name.clone(), g.bgp.unwrap().asn))
        .collect();
    assert_eq!(
        asns,
        [
            ("vNet1-Gateway".into(), 65010),
            ("vnet2-Gateway".into(), 65050)
        ]
    );
    assert_eq!(t.connections.len(), 2);
    assert!(t.connections.iter().all(|c| c.bgp));
    assert_eq!(
        l.skipped.get("Microsoft.Network/publicIPAddresses"),
        Some(&2)
    );
}

/// Three VNets 10.0.0.0/23, 10.0.2.0/23, 10.0.4.0/23 chained by Vnet2Vnet+BGP (1↔2, 2↔3),
/// Standard gateways with ASNs 65010, 65020, 65030.
#[test]
fn template_vnet_transitive_bgp() {
    let Some(s) = template("qs-vnet-transitive-bgp.azuredeploy.json") else {
        return;
    };
    let t = ok(&[s], &[]).topology;
    assert_eq!(
        names(&t),
        ["vNet1-location", "vNet2-location", "vNet3-location"]
    );
    let spaces: Vec<Vec<String>> = t.vnets.iter().map(|v| space(&t, &v.name)).collect();
    assert_eq!(spaces, [["10.0.0.0/23"], ["10.0.2.0/23"], ["10.0.4.0/23"]]);
    let asns: Vec<u32> = t.gateways().map(|(_, g)| g.bgp.unwrap().asn).collect();
    assert_eq!(asns, [65010, 65020, 65030]);
    assert!(t.gateways().all(|(_, g)| g.sku == Some(Sku::Standard)));
    let links: Vec<(&str, ConnectionPeer)> = t
        .connections
        .iter()
        .map(|c| (c.gateway.as_str(), c.peer.clone()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "vNet1-Gateway",
                ConnectionPeer::Gateway("vNet2-Gateway".into())
            ),
            (
                "vNet2-Gateway",
                ConnectionPeer::Gateway("vNet1-Gateway".into())
            ),
            (
                "vNet2-Gateway",
                ConnectionPeer::Gateway("vNet3-Gateway".into())
            ),
            (
                "vNet3-Gateway",
                ConnectionPeer::Gateway("vNet2-Gateway".into())
            ),
        ]
    );
}

// ------------------------------------------------------------------------------------------
// Azure CLI recordings: read whole (last version of each resource), and as extracted bodies

fn recording(name: &str) -> Option<(Source, Vec<RecordedResponse>)> {
    let s = source(&shared()?.join("azure-cli-recordings").join(name));
    let bodies = response_bodies(&s.name, &s.text).unwrap();
    Some((s, bodies))
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The last response body for a URI containing `uri_part` whose body contains `needle`
/// (whitespace ignored).
fn body(bodies: &[RecordedResponse], uri_part: &str, needle: &str) -> Source {
    let needle = squeeze(needle);
    let r = bodies
        .iter()
        .rev()
        .find(|r| r.uri.contains(uri_part) && squeeze(&r.body).contains(&needle))
        .unwrap_or_else(|| panic!("no body for {uri_part} containing {needle}"));
    text_source(&format!("interaction-{}.json", r.index), &r.body)
}

/// Read whole, the recording ends with vnet1 10.0.0.0/16, vnet2 11.0.0.0/16 with gateway1
/// (Basic, no P2S any more), peering2 vnet2→vnet1 with allowGatewayTransit and peering1
/// vnet1→vnet2 after its update (useRemoteGateways false). Extracted bodies show the moment
/// before: gateway1 answered with vpnClientProtocols [SSTP] (no pool) and peering1 with
/// useRemoteGateways true, so the gateway's P2S clients get vnet2 + transit vnet1.
#[test]
fn recording_vnet_peering() {
    let Some((whole, bodies)) = recording("test_network_vnet_peering.yaml") else {
        return;
    };
    let l = ok(&[whole], &[]);
    let t = &l.topology;
    assert_eq!(l.formats[0].1, p2s_sim::input::InputFormat::Recording);
    assert!(l.warnings[0].contains("vcrpy"), "{:?}", l.warnings);
    assert_eq!(space(t, "vnet1"), ["10.0.0.0/16"]);
    assert_eq!(space(t, "vnet2"), ["11.0.0.0/16"]);
    let g = t.vnets[1].gateway.as_ref().unwrap();
    assert_eq!(
        (g.name.as_str(), g.sku, g.p2s.is_none()),
        ("gateway1", Some(Sku::Basic), true)
    );
    assert_eq!(peering(t, "vnet2", "vnet1"), (true, false));
    assert_eq!(peering(t, "vnet1", "vnet2"), (false, false));

    let sources = [
        body(&bodies, "/virtualNetworks/vnet1?", "10.0.0.0/16"),
        body(&bodies, "/virtualNetworks/vnet2?", "11.0.0.0/16"),
        body(
            &bodies,
            "/virtualNetworkGateways/gateway1",
            "vpnClientProtocols",
        ),
        body(
            &bodies,
            "/virtualNetworkPeerings/peering1",
            "\"useRemoteGateways\": true",
        ),
        body(&bodies, "/vnet2/virtualNetworkPeerings?", "peering2"),
    ];
    let l = ok(&sources, &[]);
    let t = &l.topology;
    assert_eq!(peering(t, "vnet1", "vnet2"), (false, true));
    assert_eq!(peering(t, "vnet2", "vnet1"), (true, false));
    let p2s = t
        .vnets
        .iter()
        .find_map(|v| v.gateway.as_ref())
        .unwrap()
        .p2s
        .as_ref()
        .unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::Sstp]);
    assert_eq!(
        advertised(t, "gateway1"),
        sorted(&["10.0.0.0/16", "11.0.0.0/16"])
    );
    let analysis = analyze(t);
    let kinds: Vec<&str> = analysis.gateways[0]
        .clients
        .iter()
        .map(|c| c.kind.id)
        .collect();
    assert!(kinds.contains(&"windows-sstp"), "{kinds:?}");
}

/// lgw1 (last seen with an empty address space) and lgw2 10.0.1.0/24.
#[test]
fn recording_local_gateway() {
    let Some((whole, _)) = recording("test_network_local_gateway.yaml") else {
        return;
    };
    let t = ok(&[whole], &[]).topology;
    let lngs: Vec<(&str, Vec<String>)> = t
        .local_networks
        .iter()
        .map(|l| {
            (
                l.name.as_str(),
                l.address_space.iter().map(|p| p.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        lngs,
        [("lgw1", vec![]), ("lgw2", vec!["10.0.1.0/24".to_string()])]
    );
}

/// gw1 (VpnGw2) in vnet1 10.0.0.0/16: pool 40.1.0.0/24, SSTP+IKEv2 (listed in both orders by
/// different responses: same set), RADIUS (radiusServerAddress 30.1.1.15). Both protocols →
/// the /24 pool is split into two /25s.
#[test]
fn recording_vnet_gateway_ipsec() {
    let Some((whole, bodies)) = recording("test_network_vnet_gateway_ipsec.yaml") else {
        return;
    };
    let t = ok(&[whole], &[]).topology;
    assert_eq!(space(&t, "vnet1"), ["10.0.0.0/16"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.name.as_str(), g.sku), ("gw1", Some(Sku::VpnGw2)));
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::IkeV2, TunnelType::Sstp]);
    assert_eq!(p2s.auth_types, [p2s_sim::topology::AuthType::Radius]);
    assert_eq!(
        advertised(&t, "gw1"),
        sorted(&["10.0.0.0/16", "40.1.0.0/25", "40.1.0.128/25"])
    );
    // The create response lists ["IkeV2", "SSTP"], later ones ["SSTP", "IkeV2"].
    let vnet = body(&bodies, "/virtualNetworks/vnet1?", "10.0.0.0/16");
    let first = bodies
        .iter()
        .find(|r| {
            r.uri.contains("/virtualNetworkGateways/gw1")
                && squeeze(&r.body).contains(r#"["IkeV2","SSTP"]"#)
        })
        .map(|r| text_source("first.json", &r.body))
        .expect("the create response");
    let last = body(
        &bodies,
        "/virtualNetworkGateways/gw1",
        r#"["SSTP","IkeV2"]"#,
    );
    let a = ok(&[vnet.clone(), first], &[]).topology;
    let b = ok(&[vnet, last], &[]).topology;
    assert_eq!(
        a.vnets[0].gateway.as_ref().unwrap().p2s,
        b.vnets[0].gateway.as_ref().unwrap().p2s
    );
}

/// gw (VpnGw1) in vnet 10.0.0.0/16: OpenVPN, pool 201.169.0.0/16. The test sets an Entra ID
/// (AAD) tenant and removes it again: read whole (last version), no authentication type is
/// configured; the body from while aadTenant was set gives AAD (inferred: this API version has
/// no vpnAuthenticationTypes).
#[test]
fn recording_vpn_gateway_aad() {
    let Some((whole, bodies)) = recording("test_network_vpn_gateway_aad.yaml") else {
        return;
    };
    let t = ok(&[whole], &[]).topology;
    let p2s = t.vnets[0].gateway.as_ref().unwrap().p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::OpenVpn]);
    assert!(p2s.auth_types.is_empty());
    assert_eq!(
        advertised(&t, "gw"),
        sorted(&["10.0.0.0/16", "201.169.0.0/16"])
    );

    let with_aad = [
        body(&bodies, "/virtualNetworks/vnet?", "10.0.0.0/16"),
        body(&bodies, "/virtualNetworkGateways/gw?", "\"aadTenant\""),
    ];
    let t = ok(&with_aad, &[]).topology;
    let p2s = t.vnets[0].gateway.as_ref().unwrap().p2s.as_ref().unwrap();
    assert_eq!(p2s.auth_types, [p2s_sim::topology::AuthType::Aad]);
}

/// vgw1 (HighPerformance, active-active, ASN 65010) in vnet1 10.21.0.0/16 and vgw2 (ASN 65020)
/// in vnet2 10.22.0.0/16; the Vnet2Vnet connections were created by template deployments whose
/// request bodies carry the templates (sharedKey is a securestring without value: never needed).
#[test]
fn recording_active_active_vnet_connection() {
    let Some((whole, bodies)) = recording("test_network_active_active_vnet_connection.yaml") else {
        return;
    };
    let l = ok(std::slice::from_ref(&whole), &[]);
    let t = &l.topology;
    assert_eq!(space(t, "vnet1"), ["10.21.0.0/16"]);
    assert_eq!(space(t, "vnet2"), ["10.22.0.0/16"]);
    for (i, name, asn) in [(0, "vgw1", 65010), (1, "vgw2", 65020)] {
        let g = t.vnets[i].gateway.as_ref().unwrap();
        assert_eq!(
            (g.name.as_str(), g.sku, g.active_active),
            (name, Some(Sku::HighPerformance), true)
        );
        assert_eq!(g.bgp.unwrap().asn, asn);
    }
    assert!(
        t.connections.is_empty(),
        "connections exist only inside deployments"
    );
    assert_eq!(l.skipped.get("Microsoft.Resources/deployments"), Some(&2));

    let templates: Vec<Source> = bodies
        .iter()
        .filter(|r| r.method == "PUT" && r.uri.contains("/deployments/"))
        .map(|r| {
            let v: serde_json::Value =
                serde_json::from_str(r.request_body.as_deref().unwrap()).unwrap();
            text_source(
                &format!("deployment-{}.json", r.index),
                &v["properties"]["template"].to_string(),
            )
        })
        .collect();
    assert_eq!(templates.len(), 2);
    let mut sources = vec![whole];
    sources.extend(templates);
    let t = ok(&sources, &[]).topology;
    let conns: Vec<(&str, &str, ConnectionPeer, bool)> = t
        .connections
        .iter()
        .map(|c| (c.name.as_str(), c.gateway.as_str(), c.peer.clone(), c.bgp))
        .collect();
    assert_eq!(
        conns,
        [
            (
                "vnet1to2",
                "vgw1",
                ConnectionPeer::Gateway("vgw2".into()),
                true
            ),
            (
                "vnet2to1",
                "vgw2",
                ConnectionPeer::Gateway("vgw1".into()),
                true
            )
        ]
    );
}

/// Every file of ../shared/samples is accepted by detection alone (with the parameters the
/// templates need), or rejected with a message that names what is missing.
#[test]
fn every_shared_sample_is_read_or_rejected_clearly() {
    let Some(dir) = shared() else { return };
    let mut seen = 0;
    for sub in [
        "arm-templates",
        "az-cli-output",
        "azure-cli-recordings",
        "rest-api-examples",
    ] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            seen += 1;
            match read(&[source(&path)], &[]) {
                Ok(l) => assert!(
                    !l.topology.vnets.is_empty() || !l.topology.local_networks.is_empty(),
                    "{}: read but empty",
                    path.display()
                ),
                Err(e) => {
                    let name = path.file_name().unwrap().to_str().unwrap();
                    let expected = match name {
                        "qs-point-to-site.azuredeploy.json" => "has no value",
                        "qs-site-to-site-vpn.azuredeploy.json" => "has no value",
                        "qs-vnet-to-vnet.azuredeploy.json" => "has no value",
                        "2023-09-01_VirtualNetworkGatewayConnectionGet.json" => "not in the input",
                        _ => panic!("{}: rejected: {e}", path.display()),
                    };
                    assert!(e.contains(expected) && e.contains(name), "{e}");
                }
            }
        }
    }
    assert_eq!(seen, 19);
}
