//! Every real export in `../shared/samples/` (and the copies in `datasets/samples/`) is read, and
//! the result is checked against values worked out by hand from the file (see the comments).
//!
//! Tests that need `../shared/samples` are ignored ("needs ../shared") when it is absent (see
//! `build.rs`), so a plain clone shows them as ignored instead of passing them silently; the
//! samples copied into `datasets/samples/` always run.

use std::path::PathBuf;

use p2s_sim::engine::analyze;
use p2s_sim::model::{ConnectionPeer, Sku, Topology, TunnelType};
use p2s_sim::read::recording::{response_bodies, RecordedResponse};
use p2s_sim::read::{load, Loaded, ParameterValues, ReadOptions, Source};

use crate::helpers::*;

fn local() -> PathBuf {
    repo().join("datasets/samples")
}

fn read(sources: &[Source], params: &[(&str, &str)]) -> Result<Loaded, String> {
    load(sources, &read_options(params)).map_err(|e| e.to_string())
}

fn ok(sources: &[Source], params: &[(&str, &str)]) -> Loaded {
    read(sources, params).unwrap_or_else(|e| panic!("{e}"))
}

fn peering(t: &Topology, from: &str, to: &str) -> (bool, bool) {
    let p = t
        .peerings
        .iter()
        .find(|p| p.vnet == from && p.remote == to)
        .unwrap_or_else(|| panic!("no peering {from} -> {to}"));
    (p.allow_gateway_transit, p.use_remote_gateways)
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

// ------------------------------------------------------------------------------------------
// Samples copied into datasets/samples (always run)

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn local_copies_are_byte_identical_to_shared_samples() {
    let shared = shared_samples();
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
        &[file_source(
            &local().join("2023-09-01_VirtualNetworkGatewayGet.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["vnet1"]);
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
    // Authentication but no pool: still P2S, so P2S002 reports the missing pool.
    let found = p2s_sim::verdicts::findings::check(
        t,
        &analyze(t),
        &p2s_sim::verdicts::findings::Options::at(
            p2s_sim::verdicts::findings::Date::parse("2026-12-01").unwrap(),
        ),
    );
    assert!(found.iter().any(|f| f.code == "P2S002"), "{found:?}");
    // Two inline NAT rules (natRule1, natRule2) on a VpnGw1, which has no NAT: SKU005.
    assert_eq!(g.nat_rules, 2);
    let sku005: Vec<&str> = found
        .iter()
        .filter(|f| f.code == "SKU005")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        sku005,
        ["2 NAT rule(s) on VpnGw1, which has no NAT (VpnGw2–5 and VpnGw2AZ–5AZ only): resize to VpnGw2AZ or larger, or remove the rules"]
    );
    // Only the custom route is known: the VNet is not exported and the pool is empty.
    assert_eq!(advertised(t, "vpngw"), ["101.168.0.6/32"]);
    // ... which the report says too (an assumption of the gateway), not only stderr.
    let ga = analyze(t);
    let unknown: Vec<&str> = ga.gateways[0]
        .assumptions
        .iter()
        .filter(|a| a.code == "input-default" && a.text.contains("is not in the input"))
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(unknown.len(), 1, "{:?}", ga.gateways[0].assumptions);
    assert!(
        unknown[0].contains("/virtualNetworks/vnet1") && unknown[0].contains("taken as empty"),
        "{}",
        unknown[0]
    );
}

/// A gateway whose VNet is in the input gets no such assumption.
#[test]
fn a_gateway_with_its_vnet_has_no_unknown_space_assumption() {
    let l = ok(
        &[
            file_source(&local().join("2023-09-01_VirtualNetworkGatewayGet.json")),
            text_source(
                "vnet1.json",
                r#"{"id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1",
                    "type": "Microsoft.Network/virtualNetworks", "name": "vnet1",
                    "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}"#,
            ),
        ],
        &[],
    );
    let g = l.topology.vnets[0].gateway.as_ref().unwrap();
    assert_eq!(space(&l.topology, "vnet1"), ["10.1.0.0/16"]);
    assert!(
        g.assumed.iter().all(|a| !a.contains("is not in the input")),
        "{:?}",
        g.assumed
    );
}

/// REST list envelope: two peerings of vnet1 (not exported) to vnet2 (12.0.0.0/8) and vnet3
/// (13.0.0.0/8), which become external VNets with the peerings' remote address spaces.
#[test]
fn rest_example_peering_list() {
    let l = ok(
        &[file_source(
            &local().join("2023-09-01_VirtualNetworkPeeringList.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["vnet1", "vnet2", "vnet3"]);
    assert_eq!(space(t, "vnet2"), ["12.0.0.0/8"]);
    assert_eq!(space(t, "vnet3"), ["13.0.0.0/8"]);
    assert_eq!(peering(t, "vnet1", "vnet2"), (false, false));
    assert_eq!(peering(t, "vnet1", "vnet3"), (false, false));
    let synced = peered_space(t, 0);
    assert_eq!(synced, ["12.0.0.0/8"]);
}

/// A connection alone is left out (its gateway is not in the input); with its gateway and local network gateway (three REST examples
/// of the same resource group) it is an IPsec connection vpngw → localgw (10.1.0.0/16), whose
/// prefix the gateway then advertises.
#[test]
fn rest_example_connection_needs_its_ends_and_works_with_them() {
    let conn = file_source(&local().join("2023-09-01_VirtualNetworkGatewayConnectionGet.json"));
    // Alone, the connection's gateway is not in the input: it is left out, which leaves
    // nothing to analyse (exit 2 in the CLI).
    let e = read(std::slice::from_ref(&conn), &[]).unwrap_err();
    assert!(e.contains("no VNets or gateways in this file"), "{e}");
    assert!(e.contains("add the export of its gateway"), "{e}");

    let l = ok(
        &[
            conn,
            file_source(&local().join("2023-09-01_VirtualNetworkGatewayGet.json")),
            file_source(&local().join("2024-05-01_LocalNetworkGatewayGet.json")),
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
        &[file_source(
            &local().join("scepman_az-network-vnet-create_vnet.json"),
        )],
        &[],
    );
    assert_eq!(l.formats[0].1, p2s_sim::read::InputFormat::Az);
    assert_eq!(vnet_names(&l.topology), ["vnet-test-name"]);
    assert_eq!(space(&l.topology, "vnet-test-name"), ["10.0.0.0/16"]);
    assert!(l.topology.peerings.is_empty());
}

/// Template: vNet1 10.0.0.0/24 and vNet2 192.168.0.0/24 (variables vnet1Config/vnet2Config),
/// peered both ways with allowGatewayTransit and useRemoteGateways false; names built with
/// format('{0}/{1}', ..., format('{0}-{1}', ...)).
#[test]
fn template_vnet_to_vnet_peering() {
    let l = ok(
        &[file_source(
            &local().join("qs-vnet-to-vnet-peering.azuredeploy.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["vNet1", "vNet2"]);
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
        &[file_source(
            &local().join("qs-point-to-site-aad.azuredeploy.json"),
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["VNet1"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.name.as_str(), g.sku), ("VNet1GW", Some(Sku::Standard)));
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::OpenVpn]);
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Aad]);
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

fn template(name: &str) -> Source {
    file_source(&shared_samples().join("arm-templates").join(name))
}

/// Defaults (deployVpnGateway=No): three VNets, the four `peering_*` peerings without gateway
/// flags, no gateway. With deployVpnGateway=Yes: gateway hubVpnGateway (Basic by default) in
/// hubVnet, the `gwPeering_*` peerings with allowGatewayTransit on the hub side and
/// useRemoteGateways on the spokes. No P2S configuration either way.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_hub_and_spoke_sandbox() {
    let s = template("qs-hub-and-spoke-sandbox.azuredeploy.json");
    // winVmUser, winVmPassword, winVmDnsPrefix have no defaults and never block.
    let l = ok(std::slice::from_ref(&s), &[]);
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["hubVnet", "spokeDevVnet", "spokeProdVnet"]);
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
/// vpnClientProtocols is absent: Azure's default of the deployment day is assumed (warning):
/// SSTP+IKEv2 before 2026-03-31, so the /24 pool is split into two /25s, and IKEv2 alone from
/// then on (SSTP can no longer be enabled), the /24 whole; root certificates → Certificate
/// authentication.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_point_to_site() {
    let s = template("qs-point-to-site.azuredeploy.json");
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
    let before_cut_off = ReadOptions {
        as_of: Some(p2s_sim::verdicts::findings::Date::parse("2026-03-30").unwrap()),
        ..read_options(&params)
    };
    let l = load(std::slice::from_ref(&s), &before_cut_off).unwrap();
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["p2sVnet"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.name.as_str(), g.sku), ("p2sGw", Some(Sku::VpnGw1)));
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::IkeV2, TunnelType::Sstp]);
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Certificate]);
    assert!(g
        .assumed
        .iter()
        .any(|a| a.contains("vpnClientProtocols is not set")));
    assert_eq!(
        advertised(t, "p2sGw"),
        sorted(&["10.50.0.0/16", "172.20.0.0/25", "172.20.0.128/25"])
    );
    // No day given: today's rules, IKEv2 only.
    let l = ok(&[s], &params);
    let t = &l.topology;
    let p2s = t.vnets[0].gateway.as_ref().unwrap().p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::IkeV2]);
    assert_eq!(
        advertised(t, "p2sGw"),
        sorted(&["10.50.0.0/16", "172.20.0.0/24"])
    );
}

/// localAddressPrefix has no default and is needed; with it: LNG localGateway, VNet azureVnet
/// 10.3.0.0/16, gateway azureGateway (Basic; "enableBgp": "false" as text), IPsec connection
/// Azure2Other without BGP. sharedKey, adminUsername, ... have no value and never block.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_site_to_site_vpn() {
    let s = template("qs-site-to-site-vpn.azuredeploy.json");
    let e = read(std::slice::from_ref(&s), &[]).unwrap_err();
    assert!(
        e.contains("localNetworkAddressSpace.addressPrefixes[0]"),
        "{e}"
    );
    assert!(e.contains("[parameters('localAddressPrefix')]"), "{e}");
    assert!(e.contains("localNetworkGateways/localGateway"), "{e}");
    let l = ok(&[s], &[("localAddressPrefix", "192.168.0.0/16")]);
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["azureVnet"]);
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
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_site_to_site_fqdn_bgp() {
    let s = template("qs-site-to-site-vpn-fqdn-bgp.azuredeploy.json");
    let l = ok(&[s], &[]);
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["vnet1", "vnet2"]);
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
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_vnet_to_vnet_with_parameters_file() {
    let s = template("qs-vnet-to-vnet.azuredeploy.json");
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
        as_of: None,
    };
    let l = load(&[s], &options).unwrap_or_else(|e| panic!("{e}"));
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["east", "west"]);
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
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_vnet_to_vnet_bgp() {
    let s = template("qs-vnet-to-vnet-bgp.azuredeploy.json");
    let l = ok(&[s], &[("location", "westeurope")]);
    let t = &l.topology;
    assert_eq!(vnet_names(t), ["vNet1-westeurope", "vnet2-westeurope"]);
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
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn template_vnet_transitive_bgp() {
    let s = template("qs-vnet-transitive-bgp.azuredeploy.json");
    let t = ok(&[s], &[]).topology;
    assert_eq!(
        vnet_names(&t),
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

fn recording(name: &str) -> (Source, Vec<RecordedResponse>) {
    let s = file_source(&shared_samples().join("azure-cli-recordings").join(name));
    let bodies = response_bodies(&s.name, &s.text).unwrap();
    (s, bodies)
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
/// before: gateway1 answered with vpnClientProtocols [SSTP] (no pool, no authentication: Azure's
/// default stub, so no P2S) and peering1 with useRemoteGateways true.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn recording_vnet_peering() {
    let (whole, bodies) = recording("test_network_vnet_peering.yaml");
    let l = ok(&[whole], &[]);
    let t = &l.topology;
    assert_eq!(l.formats[0].1, p2s_sim::read::InputFormat::Recording);
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
    // That PUT answer is Azure's default stub ([SSTP] filled in for a Basic gateway, no pool, no
    // root certificate, empty lists): not a P2S configuration (issue 9), so no P2S clients.
    let g = t.vnets.iter().find_map(|v| v.gateway.as_ref()).unwrap();
    assert_eq!((g.name.as_str(), g.p2s.is_none()), ("gateway1", true));
    assert!(analyze(t).gateways.is_empty());
}

/// lgw1 (last seen with an empty address space) and lgw2 10.0.1.0/24.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn recording_local_gateway() {
    let (whole, _) = recording("test_network_local_gateway.yaml");
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
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn recording_vnet_gateway_ipsec() {
    let (whole, bodies) = recording("test_network_vnet_gateway_ipsec.yaml");
    let t = ok(&[whole], &[]).topology;
    assert_eq!(space(&t, "vnet1"), ["10.0.0.0/16"]);
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.name.as_str(), g.sku), ("gw1", Some(Sku::VpnGw2)));
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!(p2s.tunnel_types, [TunnelType::IkeV2, TunnelType::Sstp]);
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Radius]);
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
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn recording_vpn_gateway_aad() {
    let (whole, bodies) = recording("test_network_vpn_gateway_aad.yaml");
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
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Aad]);
}

/// vgw1 (HighPerformance, active-active, ASN 65010) in vnet1 10.21.0.0/16 and vgw2 (ASN 65020)
/// in vnet2 10.22.0.0/16; the Vnet2Vnet connections were created by template deployments
/// (`az network vpn-connection create`) and appear only in the deployments' results: each has
/// one `outputResources` ID (connections/vnet1to2, connections/vnet2to1) and the connection's
/// properties under `outputs.resource.value` (Vnet2Vnet, `enableBgp: true`, vgw1→vgw2 and
/// vgw2→vgw1). Both are read from there; the deployments themselves are counted as skipped.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn recording_active_active_vnet_connection() {
    let (whole, _) = recording("test_network_active_active_vnet_connection.yaml");
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
    assert_eq!(l.skipped.get("Microsoft.Resources/deployments"), Some(&2));
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
    // Where a connection's fields are: in the deployment result's body, under its output.
    let place = l
        .places
        .iter()
        .find(|p| p.subject.contains("vnet1to2"))
        .unwrap_or_else(|| panic!("{:?}", l.places));
    assert!(
        place
            .path
            .ends_with(".response.body.string.properties.outputs.resource.value"),
        "{}",
        place.path
    );
}

/// Every file of ../shared/samples is accepted by detection alone (with the parameters the
/// templates need), or rejected with a message that names what is missing.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn every_shared_sample_is_read_or_rejected_clearly() {
    let dir = shared_samples();
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
            match read(&[file_source(&path)], &[]) {
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
                        "2023-09-01_VirtualNetworkGatewayConnectionGet.json" => {
                            "no VNets or gateways"
                        }
                        _ => panic!("{}: rejected: {e}", path.display()),
                    };
                    assert!(e.contains(expected) && e.contains(name), "{e}");
                    if name == "qs-point-to-site.azuredeploy.json" {
                        // Every parameter without a defaultValue is named in one message (the
                        // template's eleven, read off its `parameters`).
                        assert!(
                            e.contains(
                                "parameter 'virtualNetworkName' has no value (no defaultValue); \
                             pass --param virtualNetworkName=VALUE or --parameters FILE \
                             (Resource Manager also needs values for vnetAddressPrefix, \
                             gatewaySubnetPrefix, gatewayPublicIPName, gatewayName, gatewaySku, \
                             vpnClientAddressPoolPrefix, clientRootCertName, clientRootCertData, \
                             revokedCertName, revokedCertThumbprint, which have none either)"
                            ),
                            "{e}"
                        );
                    }
                }
            }
        }
    }
    assert_eq!(seen, 19);
}

// ------------------------------------------------------------------------------------------
// Issue 9: real exports nobody here wrote (`../shared/samples/exports/`). Expected values were
// read off the recordings by hand: the last successful (2xx) body of each resource.

fn export(sub: &str, name: &str) -> Source {
    file_source(&shared_samples().join("exports").join(sub).join(name))
}

fn gateway<'t>(t: &'t Topology, name: &str) -> &'t p2s_sim::model::Gateway {
    t.vnets
        .iter()
        .filter_map(|v| v.gateway.as_ref())
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no gateway {name}"))
}

/// Gateways without P2S carry Azure's default stub in PUT and list responses: no P2S, and so no
/// P2S002 error that would fail `--check` on every ordinary S2S hub.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_default_p2s_stub_is_no_p2s() {
    // nat_rule: vnet-gateway-name last seen in the RG list with the OpenVPN/IkeV2 stub;
    // vnet-gateway-name1 last seen in a GET without the block. Both VNets use 10.0.0.0/16.
    let l = ok(
        &[export(
            "azure-cli-recordings",
            "test_network_vnet_gateway_nat_rule.yaml",
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(gateway(t, "vnet-gateway-name").p2s, None);
    assert_eq!(gateway(t, "vnet-gateway-name1").p2s, None);
    assert_eq!(
        (space(t, "vnet"), space(t, "vnet1")),
        (
            vec!["10.0.0.0/16".to_string()],
            vec!["10.0.0.0/16".to_string()]
        )
    );
    assert!(analyze(t).gateways.is_empty());
    let codes = finding_codes(t, "2026-12-01");
    assert!(!codes.contains(&"P2S002"), "{codes:?}");
    // The same for the other S2S-only recordings: Basic with the [SSTP] stub (edge zone),
    // VpnGw2 Gen2 (private IP), VpnGw1 hub with gateway transit (peering sync), VpnGw1 with an
    // IPsec branch 10.61/16 + 10.62/16 (connection ipsec).
    for (file, gw) in [
        ("test_network_vnet_gateway_edge_zone.yaml", "vnet-gateway"),
        (
            "test_network_vnet_gateway_with_enable_private_ip_address.yaml",
            "vg-000004",
        ),
        ("test_network_vnet_peering_sync.yaml", "gateway1"),
        ("test_network_vpn_connection_ipsec.yaml", "gw1"),
    ] {
        let l = ok(&[export("azure-cli-recordings", file)], &[]);
        assert_eq!(gateway(&l.topology, gw).p2s, None, "{file}");
        assert!(
            !finding_codes(&l.topology, "2026-12-01").contains(&"P2S002"),
            "{file}"
        );
    }
    let l = ok(
        &[export(
            "azure-cli-recordings",
            "test_network_vpn_connection_ipsec.yaml",
        )],
        &[],
    );
    assert_eq!(
        space(&l.topology, "vnet1"),
        ["10.11.0.0/16", "10.12.0.0/16"]
    );
    let lng = &l.topology.local_networks[0];
    assert_eq!((lng.name.as_str(), lng.address_space.len()), ("lgw1", 2));
    // ExpressRoute (with a P2S-looking stub) and LocalGateway gateways are skipped and counted.
    for (file, skipped) in [
        (
            "test_network_vpn_gateway_sku.yaml",
            "Microsoft.Network/virtualNetworkGateways (ExpressRoute)",
        ),
        (
            "test_network_vnet_gateway_local_gateway.yaml",
            "Microsoft.Network/virtualNetworkGateways (LocalGateway)",
        ),
    ] {
        let l = ok(&[export("azure-cli-recordings", file)], &[]);
        assert_eq!(l.skipped.get(skipped), Some(&1), "{file}: {:?}", l.skipped);
        assert!(analyze(&l.topology).gateways.is_empty(), "{file}");
    }
    // REST example list: vpngw1 has an empty block (protocols []) → no P2S; vpngw2 has OpenVPN +
    // RADIUS and no pool → P2S with P2S002.
    let l = ok(
        &[export(
            "rest-api-examples",
            "2024-03-01_VirtualNetworkGatewayList.json",
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(gateway(t, "vpngw1").p2s, None);
    let p2s = gateway(t, "vpngw2").p2s.clone().unwrap();
    assert!(p2s.address_pool.is_empty());
    assert_eq!(p2s.tunnel_types, [TunnelType::OpenVpn]);
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Radius]);
    assert!(finding_codes(t, "2026-12-01").contains(&"P2S002"));
}

/// A pool without any authentication: P2S, error P2S009; a public pool: warning POOL006.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_pool_without_auth_and_public_pools_are_flagged() {
    // allow_traffic: gw VpnGw2, pool 40.1.0.0/24 (public), [OpenVPN], no auth at all.
    let l = ok(
        &[export(
            "azure-cli-recordings",
            "test_network_vnet_gateway_allow_traffic.yaml",
        )],
        &[],
    );
    let p2s = gateway(&l.topology, "gw").p2s.clone().unwrap();
    assert_eq!(p2s.address_pool[0].to_string(), "40.1.0.0/24");
    assert!(p2s.auth_types.is_empty());
    let codes = finding_codes(&l.topology, "2026-12-01");
    assert!(
        codes.contains(&"P2S009") && codes.contains(&"POOL006"),
        "{codes:?}"
    );
    // aad (batch 1): AAD was added and then removed again by the last PUT, so the last body has
    // pool 201.169.0.0/16 (public) and no authentication.
    let (whole, _) = recording("test_network_vpn_gateway_aad.yaml");
    let l = ok(&[whole], &[]);
    let p2s = gateway(&l.topology, "gw").p2s.clone().unwrap();
    assert_eq!(p2s.address_pool[0].to_string(), "201.169.0.0/16");
    assert!(p2s.auth_types.is_empty());
    let codes = finding_codes(&l.topology, "2026-12-01");
    assert!(
        codes.contains(&"P2S009") && codes.contains(&"POOL006"),
        "{codes:?}"
    );
}

/// Templates with nested children of other types (Microsoft.Web/sites → `sourcecontrols`,
/// `config`) and a UTF-8 BOM read with their parameters file.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_templates_with_nested_children_of_other_types() {
    let template = export("arm-templates", "azurestack-hybrid-azure.azuredeploy.json");
    let params = export(
        "arm-templates",
        "azurestack-hybrid-azure.azuredeploy.parameters.json",
    );
    let options = ReadOptions {
        parameters: ParameterValues::from_sources(&[params], &[]).unwrap(),
        ..Default::default()
    };
    let l = load(&[template], &options).unwrap_or_else(|e| panic!("{e}"));
    let t = &l.topology;
    // Parameters file: VNet 10.100.104.0/22, LNG 1.2.3.4 with 10.100.100.0/22; the gateway
    // (api 2015-05-01-preview) has no sku and no P2S.
    assert_eq!(space(t, "myVnet"), ["10.100.104.0/22"]);
    assert_eq!(
        t.local_networks[0].address_space[0].to_string(),
        "10.100.100.0/22"
    );
    let g = t.vnets[0].gateway.as_ref().unwrap();
    assert_eq!((g.sku, g.p2s.is_none()), (None, true));
    assert_eq!(
        l.skipped.get("Microsoft.Web/sites/sourcecontrols"),
        Some(&1)
    );
    assert_eq!(l.skipped.get("Microsoft.Web/sites/config"), Some(&1));
}

/// The whole `vpnClientConfiguration` is one expression fed by a parameter object (the element
/// of the master template's `vpnArray` that its linked deployment passes as `vpnObj`).
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_template_whose_p2s_block_is_one_expression() {
    let params: serde_json::Value = serde_json::from_str(
        &export(
            "arm-templates",
            "canada-ca-vpn-20190430.1.vpn.parameters.json",
        )
        .text,
    )
    .unwrap();
    let vpn_obj = params["parameters"]["vpnArray"]["value"][0].to_string();
    let l = ok(
        &[export("arm-templates", "canada-ca-vpn-20190430.1.vpn.json")],
        &[("vpnObj", &vpn_obj)],
    );
    let g = gateway(&l.topology, "vnet-core-vpn");
    assert_eq!(g.sku, Some(Sku::Basic));
    let p2s = g.p2s.clone().unwrap();
    assert_eq!(p2s.address_pool[0].to_string(), "172.16.1.0/24");
    assert_eq!(p2s.tunnel_types, [TunnelType::Sstp]);
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Certificate]);
    // SSTP can no longer be enabled from 2026-03-31 (DATE002) and stops on 2027-03-31.
    assert!(finding_codes(&l.topology, "2026-12-01").contains(&"DATE002"));
}

/// REST examples that are operation results, not resources: nothing to analyse, exit 2.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_that_hold_no_resource_are_errors() {
    for name in [
        "2024-03-01_NetworkInterfaceEffectiveRouteTableList.json",
        "2024-03-01_VirtualNetworkGatewayGetVpnclientConnectionHealth.json",
        "2024-03-01_VirtualNetworkGatewaySetVpnClientIpsecParameters.json",
        "2024-03-01_VirtualNetworkGatewayNatRuleList.json",
        "2024-03-01_VirtualNetworkGatewaysListConnections.json",
        // A connection alone (its gateways are not in the file).
        "2024-03-01_VirtualNetworkGatewayConnectionCreate.json",
        "2024-03-01_VirtualNetworkGatewayConnectionsList.json",
    ] {
        let e = read(&[export("rest-api-examples", name)], &[]).unwrap_err();
        assert!(
            e.contains(name) && e.contains("no VNets or gateways in this file"),
            "{e}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// The remaining files of `exports/`, each read and its facts worked out by hand from the file.

fn vnet_space(t: &Topology, name: &str) -> Vec<String> {
    t.vnets
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no VNet {name}"))
        .address_space
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// A portal "Export template" of three VNets: names from the parameters' defaults, subnets
/// (inline and as 9 child resources) skipped, no gateway.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_portal_template_of_three_vnets() {
    let l = ok(
        &[export(
            "arm-templates",
            "az700-m02-portal-export-3vnets.azuredeploy.json",
        )],
        &[],
    );
    let t = &l.topology;
    let names: Vec<&str> = t.vnets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["CoreServicesVnet", "ManufacturingVnet", "ResearchVnet"]
    );
    assert_eq!(vnet_space(t, "CoreServicesVnet"), ["10.20.0.0/16"]);
    assert_eq!(vnet_space(t, "ManufacturingVnet"), ["10.30.0.0/16"]);
    assert_eq!(vnet_space(t, "ResearchVnet"), ["10.40.0.0/16"]);
    assert!(t.vnets.iter().all(|v| v.gateway.is_none()));
    assert!(t.peerings.is_empty() && t.connections.is_empty());
    assert_eq!(l.skipped.values().sum::<usize>(), 9);
}

/// The master template's copy count needs `vpnArray` (no default): the error names the
/// parameter, where it is used (line 27, column 30) and the flag.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_master_template_without_its_array_parameter_names_it() {
    let e = read(
        &[export(
            "arm-templates",
            "canada-ca-vpn-20190430.1.azuredeploy.json",
        )],
        &[],
    )
    .unwrap_err();
    assert!(e.contains("canada-ca-vpn-20190430.1.azuredeploy.json: resources[0].copy.count (line 27, column 30)"), "{e}");
    assert!(
        e.contains(
            "parameter 'vpnArray' has no value (no defaultValue); pass --param vpnArray=VALUE"
        ),
        "{e}"
    );
}

/// With its parameters file the master template reads, but all it deploys is a linked
/// template per `vpnArray` entry (`templateLink.uri` built from `deployment()`): no VNet or
/// gateway, and the error says the link cannot be fetched and to pass the linked template.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_master_template_deploying_only_linked_templates_says_so() {
    let parameters = export(
        "arm-templates",
        "canada-ca-vpn-20190430.1.vpn.parameters.json",
    );
    let options = ReadOptions {
        format: None,
        parameters: ParameterValues::from_sources(&[parameters], &[]).unwrap(),
        as_of: None,
    };
    let e = load(
        &[export(
            "arm-templates",
            "canada-ca-vpn-20190430.1.azuredeploy.json",
        )],
        &options,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no VNets or gateways"), "{e}");
    assert!(
        e.contains("resources[0]")
            && e.contains("'vpn-Deploy-vnet-core'")
            && e.contains("links its template")
            && e.contains("pass the linked template as another input"),
        "{e}"
    );
}

/// Azure Stack side of the hybrid sample: every network parameter defaults to "". The error is
/// at the VNet's prefix (line 447, column 13) and names the expression and the flag; with the
/// parameters given, the VNet, its gateway (no sku property) and the local network with one
/// parameter prefix and the literal 172.16.0.0/24.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_template_with_empty_default_parameters() {
    let file = "azurestack-hybrid-azurestack.azuredeploy.json";
    let e = read(&[export("arm-templates", file)], &[]).unwrap_err();
    assert!(e.contains(&format!("{file}: resources[3].properties.addressSpace.addressPrefixes[0] (line 447, column 13): empty prefix")), "{e}");
    assert!(e.ends_with("; the template computes this value as \"[parameters('AddressPrefix')]\" from parameter 'AddressPrefix': set with --param AddressPrefix=VALUE or --parameters FILE"), "{e}");
    let l = ok(
        &[export("arm-templates", file)],
        &[
            ("AddressPrefix", "10.100.100.0/22"),
            ("Subnet", "10.100.100.0/24"),
            ("GatewaySubnet", "10.100.101.0/24"),
            ("LocalGatewayIPAddress", "1.2.3.4"),
            ("LocalGatewayAddressPrefix", "10.100.104.0/22"),
        ],
    );
    let t = &l.topology;
    assert_eq!(vnet_space(t, "myVnet"), ["10.100.100.0/22"]);
    let g = gateway(t, "Az-Virt-Gateway");
    assert_eq!((g.sku, g.p2s.is_none()), (None, true));
    assert_eq!(t.local_networks.len(), 1);
    let lng: Vec<String> = t.local_networks[0]
        .address_space
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(lng, ["10.100.104.0/22", "172.16.0.0/24"]);
    assert!(t.connections.is_empty());
}

/// A recorded subnet peering (`peerCompleteVnets: false`, Subnet2 of vnet2 with Subnet1 of
/// vnet1): its peered space 10.0.0.0/27 is a part of vnet1 (10.0.0.0/27 + 10.0.1.0/27) by
/// design, so no out-of-sync finding (PEER009); the peering is one-way (PEER005).
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_recorded_subnet_peering_is_not_out_of_sync() {
    let l = ok(
        &[export(
            "azure-cli-recordings",
            "test_network_vnet_peering_with_params.yaml",
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(vnet_space(t, "vnet1"), ["10.0.0.0/27", "10.0.1.0/27"]);
    assert_eq!(vnet_space(t, "vnet2"), ["20.0.0.0/27"]);
    assert_eq!(t.peerings.len(), 1);
    assert_eq!(peering(t, "vnet2", "vnet1"), (false, false));
    assert_eq!(t.peerings[0].remote_address_space, None);
    let codes = finding_codes(t, "2026-12-01");
    assert!(
        codes.contains(&"PEER005") && !codes.contains(&"PEER009"),
        "{codes:?}"
    );
}

/// NAT rules on a VpnGw2 without P2S: the gateway, its VNet and the local network are read;
/// the connection conn1 (IPsec to lgw1, no BGP) exists only in a deployment's result (its
/// `outputs.resource.value`), and is read from there (deletions are ignored, as everywhere in
/// a recording).
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_recorded_nat_rule_gateway() {
    let l = ok(
        &[export(
            "azure-cli-recordings",
            "test_network_vpn_connection_nat_rule.yaml",
        )],
        &[],
    );
    let t = &l.topology;
    assert_eq!(vnet_space(t, "vnet"), ["10.0.0.0/16"]);
    let g = gateway(t, "vnet-gateway-name");
    assert_eq!((g.sku, g.p2s.is_none()), (Some(Sku::VpnGw2), true));
    let lng: Vec<String> = t.local_networks[0]
        .address_space
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        (t.local_networks[0].name.as_str(), lng),
        (
            "lgw1",
            vec!["10.61.0.0/16".to_string(), "10.62.0.0/16".to_string()]
        )
    );
    let conns: Vec<(&str, &str, ConnectionPeer, bool)> = t
        .connections
        .iter()
        .map(|c| (c.name.as_str(), c.gateway.as_str(), c.peer.clone(), c.bgp))
        .collect();
    assert_eq!(
        conns,
        [(
            "conn1",
            "vnet-gateway-name",
            ConnectionPeer::LocalNetwork("lgw1".into()),
            false
        )]
    );
    assert_eq!(l.skipped.get("Microsoft.Resources/deployments"), Some(&2));
}

/// REST examples of single resources.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn exports_rest_examples_of_single_resources() {
    // A VNet with no peerings.
    let t = ok(
        &[export(
            "rest-api-examples",
            "2024-03-01_VirtualNetworkGet.json",
        )],
        &[],
    )
    .topology;
    assert_eq!(vnet_space(&t, "test-vnet"), ["10.0.0.0/16"]);
    assert!(t.peerings.is_empty());

    // A gateway without its VNet: OpenVPN with a RADIUS server and no pool or auth list (the
    // 201 body is the last success): Radius inferred (an assumption), no pool (P2S002), the
    // custom route offered.
    let l = ok(
        &[export(
            "rest-api-examples",
            "2024-03-01_VirtualNetworkGatewayUpdate.json",
        )],
        &[],
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("virtualNetworks/vnet1 of gateway")),
        "{:?}",
        l.warnings
    );
    let t = &l.topology;
    let g = gateway(t, "vpngw");
    let p2s = g.p2s.as_ref().unwrap();
    assert_eq!((g.sku, g.bgp.is_none()), (Some(Sku::VpnGw1), true));
    assert_eq!(p2s.tunnel_types, [TunnelType::OpenVpn]);
    assert_eq!(p2s.auth_types, [p2s_sim::model::AuthType::Radius]);
    assert!(p2s.address_pool.is_empty());
    assert_eq!(g.custom_routes[0].to_string(), "101.168.0.6/32");
    assert!(
        g.assumed.iter().any(|a| a.contains("inferred Radius")),
        "{:?}",
        g.assumed
    );
    assert!(finding_codes(t, "2026-12-01").contains(&"P2S002"));

    // A peering alone: vnet2 from the peering's remote space; vnet1 unknown (this example
    // carries no local space), said.
    let l = ok(
        &[export(
            "rest-api-examples",
            "2024-03-01_VirtualNetworkPeeringCreate.json",
        )],
        &[],
    );
    assert_eq!(vnet_space(&l.topology, "vnet2"), ["12.0.0.0/8"]);
    assert!(vnet_space(&l.topology, "vnet1").is_empty());
    assert!(l
        .warnings
        .iter()
        .any(|w| w.contains("address space is unknown")));

    // The subnet peering example carries vnet1's space (localVirtualNetworkAddressSpace).
    let l = ok(
        &[export(
            "rest-api-examples",
            "2024-03-01_VirtualNetworkSubnetPeeringCreate.json",
        )],
        &[],
    );
    assert_eq!(
        vnet_space(&l.topology, "vnet1"),
        ["212.0.0.0/16", "13.0.0.0/8", "2002:2002::/64"]
    );
    assert_eq!(
        vnet_space(&l.topology, "vnet2"),
        ["12.0.0.0/8", "2001:2001::/64"]
    );
    assert!(
        !l.warnings
            .iter()
            .any(|w| w.contains("address space is unknown")),
        "{:?}",
        l.warnings
    );
    assert_eq!(peering(&l.topology, "vnet1", "vnet2"), (false, false));
}

/// `vpnGatewayGeneration` as the real files write it (read off by hand): Generation1 on the
/// VpnGw2 of the ipsec recording and the VpnGw1 of the aad recording, Generation2 on the VpnGw2
/// of the private-IP export, `None` on the REST example's VpnGw1 (read as not given). All are
/// pairs Azure makes, so none is SKU004.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn generations_of_real_exports() {
    use p2s_sim::model::GatewayGeneration::{Generation1, Generation2};
    let (ipsec, _) = recording("test_network_vnet_gateway_ipsec.yaml");
    let (aad, _) = recording("test_network_vpn_gateway_aad.yaml");
    let private_ip = export(
        "azure-cli-recordings",
        "test_network_vnet_gateway_with_enable_private_ip_address.yaml",
    );
    let rest = file_source(&local().join("2023-09-01_VirtualNetworkGatewayGet.json"));
    for (source, gw, sku, generation) in [
        (ipsec, "gw1", Sku::VpnGw2, Some(Generation1)),
        (aad, "gw", Sku::VpnGw1, Some(Generation1)),
        (private_ip, "vg-000004", Sku::VpnGw2, Some(Generation2)),
        (rest, "vpngw", Sku::VpnGw1, None),
    ] {
        let name = source.name.clone();
        let t = ok(&[source], &[]).topology;
        let g = gateway(&t, gw);
        assert_eq!((g.sku, g.generation), (Some(sku), generation), "{name}");
        assert!(
            !finding_codes(&t, "2026-12-01").contains(&"SKU004"),
            "{name}"
        );
    }
}

/// The real AAD quickstart (OpenVPN, AAD) deployed with pools of three sizes: /24 and /29 (the
/// active-passive minimum) connect; /30 is a pool Azure rejects (P2S003), so the openvpn kind
/// fails with config-rejected although its selector count (VNet + pool = 2) is fine.
#[test]
fn real_template_with_a_pool_azure_rejects_fails_every_client() {
    let template = local().join("qs-point-to-site-aad.azuredeploy.json");
    for (pool, verdict, reasons) in [
        ("172.16.0.0/24", "connects", vec![]),
        ("172.16.0.0/29", "connects", vec![]),
        ("172.16.0.0/30", "fails", vec!["config-rejected"]),
    ] {
        let report = p2s(["analyze", "--format", "json", "--as-of", "2026-12-01"])
            .arg(&template)
            .args(["--param", &format!("vpnClientAddressPool={pool}")])
            .expect_code(0)
            .json();
        let client = &report["gateways"][0]["clients"][0];
        assert_eq!(client["client"], "openvpn", "{pool}");
        assert_eq!(client["selectors"], 2, "{pool}");
        assert_eq!(client["verdict"], verdict, "{pool}");
        let codes: Vec<&str> = client["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, reasons, "{pool}");
    }
}
