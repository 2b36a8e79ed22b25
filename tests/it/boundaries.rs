//! Boundary cases of the model, each worked out by hand.

use p2s_sim::engine::Status;

use crate::helpers::*;

fn prefixes(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect()
}

fn texts(set: &p2s_sim::engine::RouteSet) -> Vec<String> {
    set.iter().map(|p| p.to_string()).collect()
}

fn client<'a>(a: &'a p2s_sim::engine::Analysis, id: &str) -> &'a p2s_sim::engine::ClientAnalysis {
    a.gateways[0]
        .clients
        .iter()
        .find(|c| c.kind.id == id)
        .unwrap_or_else(|| panic!("no client {id}"))
}

#[test]
fn legacy_windows_connects_with_25_selectors_and_fails_with_26() {
    // 24 VNet prefixes + 1 pool entry (IKEv2 only: no split) = 25 selectors.
    let a = analysis(&hub(&prefixes(24), "172.16.0.0/24", "IkeV2"));
    let legacy = client(&a, "windows-ikev2-legacy");
    assert_eq!(
        (
            legacy.check.selectors,
            legacy.check.limit,
            legacy.check.status
        ),
        (Some(25), Some(25), Status::Ok)
    );
    let a = analysis(&hub(&prefixes(25), "172.16.0.0/24", "IkeV2"));
    let legacy = client(&a, "windows-ikev2-legacy");
    assert_eq!(
        (legacy.check.selectors, legacy.check.status),
        (Some(26), Status::OverLimit)
    );
    assert_eq!(client(&a, "windows-ikev2").check.status, Status::Ok);
    assert_eq!(client(&a, "macos-ikev2").check.status, Status::Ok);
}

#[test]
fn the_sstp_ikev2_split_adds_one_selector() {
    // 23 prefixes + two pool halves = 25: still fine; 24 + 2 = 26: over.
    let a = analysis(&hub(&prefixes(23), "172.16.0.0/24", "IkeV2, SSTP"));
    assert_eq!(client(&a, "windows-ikev2-legacy").check.selectors, Some(25));
    assert_eq!(client(&a, "windows-ikev2-legacy").check.status, Status::Ok);
    let a = analysis(&hub(&prefixes(24), "172.16.0.0/24", "IkeV2, SSTP"));
    assert_eq!(
        client(&a, "windows-ikev2-legacy").check.status,
        Status::OverLimit
    );
    let sstp = client(&a, "windows-sstp");
    assert_eq!(
        (sstp.check.selectors, sstp.check.limit, sstp.check.status),
        (None, None, Status::Ok)
    );
}

#[test]
fn openvpn_takes_1000_routes_and_not_1001() {
    let a = analysis(&hub(&prefixes(999), "172.16.0.0/24", "OpenVPN"));
    let ovpn = client(&a, "openvpn");
    assert_eq!(
        (ovpn.check.selectors, ovpn.check.limit, ovpn.check.status),
        (Some(1000), Some(1000), Status::Ok)
    );
    assert_eq!(a.gateways[0].clients.len(), 1, "only OpenVPN is enabled");
    let a = analysis(&hub(&prefixes(1000), "172.16.0.0/24", "OpenVPN"));
    assert_eq!(client(&a, "openvpn").check.selectors, Some(1001));
    assert_eq!(client(&a, "openvpn").check.status, Status::OverLimit);
}

#[test]
fn pools_of_24_and_26_are_split_in_halves() {
    for (pool, sstp, ikev2) in [
        ("172.16.0.0/24", "172.16.0.0/25", "172.16.0.128/25"),
        ("172.16.0.64/26", "172.16.0.64/27", "172.16.0.96/27"),
    ] {
        let a = analysis(&hub(&["10.0.0.0/16".into()], pool, "SSTP, IkeV2"));
        let split = a.gateways[0].pool.split.clone().expect("split");
        assert_eq!(split.sstp, vec![sstp.parse().unwrap()]);
        assert_eq!(split.ikev2, vec![ikev2.parse().unwrap()]);
        let adv: Vec<String> = texts(&a.gateways[0].advertised);
        assert_eq!(adv, vec!["10.0.0.0/16", sstp, ikev2]);
    }
}

const HUB_AND_SPOKES: &str = "\
vnets:
  - name: hub
    address_space: [10.0.0.0/16]
    gateway:
      name: hub-gw
      p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2]}
  - {name: good, address_space: [10.1.0.0/16]}
  - {name: lazy, address_space: [10.2.0.0/16]}
  - {name: oneway, address_space: [10.3.0.0/16]}
  - {name: beyond, address_space: [10.4.0.0/16]}
  - {name: reverse, address_space: [10.5.0.0/16]}
peerings:
  - {vnet: hub, remote: good, allow_gateway_transit: true}
  - {vnet: good, remote: hub, use_remote_gateways: true}
  # spoke without use_remote_gateways
  - {vnet: hub, remote: lazy, allow_gateway_transit: true}
  - {vnet: lazy, remote: hub}
  # one-way: the spoke side never exists
  - {vnet: hub, remote: oneway, allow_gateway_transit: true}
  # peer of a peer, with perfect flags toward 'good'
  - {vnet: good, remote: beyond, allow_gateway_transit: true}
  - {vnet: beyond, remote: good, use_remote_gateways: true}
  # one-way from the spoke side only
  - {vnet: reverse, remote: hub, use_remote_gateways: true}
";

#[test]
fn only_directly_peered_spokes_with_both_flags_count() {
    let a = analysis(HUB_AND_SPOKES);
    let adv: Vec<String> = texts(&a.gateways[0].advertised);
    assert_eq!(adv, vec!["10.0.0.0/16", "10.1.0.0/16", "172.16.0.0/24"]);
    let reach: Vec<String> = texts(&a.gateways[0].reachable);
    assert_eq!(reach, vec!["10.0.0.0/16", "10.1.0.0/16"]);
}

#[test]
fn a_spoke_with_its_own_gateway_is_not_a_transit_peer() {
    let text = "\
vnets:
  - name: hub
    address_space: [10.0.0.0/16]
    gateway: {name: hub-gw, p2s: {address_pool: [172.16.0.0/24], tunnel_types: [OpenVPN]}}
  - name: spoke
    address_space: [10.1.0.0/16]
    gateway: {name: spoke-gw}
peerings:
  - {vnet: hub, remote: spoke, allow_gateway_transit: true}
  - {vnet: spoke, remote: hub, use_remote_gateways: true}
";
    assert_eq!(analysis(text).gateways[0].advertised.len(), 2);
}

const TWO_HUBS: &str = "\
vnets:
  - name: a
    address_space: [10.0.0.0/16]
    gateway: {name: a-gw, bgp: {}, p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2]}}
  - name: b
    address_space: [10.9.0.0/16, 10.0.128.0/17]
    gateway: {name: b-gw, bgp: {asn: 65010}}
local_networks:
  - {name: default-route-site, address_space: [0.0.0.0/0, 192.168.50.0/24], bgp: {asn: 65020}}
connections:
  - {name: a-b, type: Vnet2Vnet, gateway: a-gw, remote_gateway: b-gw, bgp: true}
  - {name: b-a, type: Vnet2Vnet, gateway: b-gw, remote_gateway: a-gw, bgp: BGP_BACK}
  - {name: b-site, type: IPsec, gateway: b-gw, local_network: default-route-site, bgp: true}
";

#[test]
fn bgp_never_brings_the_default_route_or_an_overlap_with_the_own_vnet() {
    let a = analysis(&TWO_HUBS.replace("BGP_BACK", "true"));
    let adv: Vec<String> = texts(&a.gateways[0].advertised);
    // b's 10.0.128.0/17 overlaps a's own 10.0.0.0/16 (dropped), 0.0.0.0/0 is never learned;
    // b's VNet is also directly connected, so 10.0.128.0/17 comes in as a static prefix of the
    // Vnet2Vnet link (statics are not filtered), while 10.9.0.0/16 and the site come from BGP.
    assert_eq!(
        adv,
        vec![
            "10.0.0.0/16",
            "10.0.128.0/17",
            "10.9.0.0/16",
            "172.16.0.0/24",
            "192.168.50.0/24"
        ]
    );
    let reach: Vec<String> = texts(&a.gateways[0].reachable);
    // b's whole VNet is directly connected over BGP: reachable as configured (direct statics
    // are not filtered); the site comes from BGP; the default route never does.
    assert_eq!(
        reach,
        vec![
            "10.0.0.0/16",
            "10.0.128.0/17",
            "10.9.0.0/16",
            "192.168.50.0/24"
        ]
    );
}

#[test]
fn bgp_needs_both_directions_of_a_vnet2vnet_link() {
    let a = analysis(&TWO_HUBS.replace("BGP_BACK", "false"));
    let adv: Vec<String> = texts(&a.gateways[0].advertised);
    // The link still carries b's VNet statically, but nothing is learned over it.
    assert_eq!(
        adv,
        vec![
            "10.0.0.0/16",
            "10.0.128.0/17",
            "10.9.0.0/16",
            "172.16.0.0/24"
        ]
    );
    let reach: Vec<String> = texts(&a.gateways[0].reachable);
    assert_eq!(reach, vec!["10.0.0.0/16"]);
}

#[test]
fn a_one_way_vnet2vnet_connection_carries_nothing() {
    let text = TWO_HUBS.replace("BGP_BACK", "true").replace(
        "  - {name: b-a, type: Vnet2Vnet, gateway: b-gw, remote_gateway: a-gw, bgp: true}\n",
        "",
    );
    let a = analysis(&text);
    let adv: Vec<String> = texts(&a.gateways[0].advertised);
    assert_eq!(adv, vec!["10.0.0.0/16", "172.16.0.0/24"]);
}

#[test]
fn a_gateway_without_bgp_learns_nothing_even_on_bgp_connections() {
    let text = TWO_HUBS
        .replace("BGP_BACK", "true")
        .replace("a-gw, bgp: {}, ", "a-gw, ");
    let a = analysis(&text);
    let reach: Vec<String> = texts(&a.gateways[0].reachable);
    assert_eq!(reach, vec!["10.0.0.0/16"]);
    assert_eq!(
        a.gateways[0].advertised.len(),
        4,
        "own, b's two statics, pool"
    );
}

#[test]
fn host_bits_are_rejected_and_duplicates_counted_once() {
    // Azure rejects 10.0.0.1/16 (InvalidCIDRNotation: "the address prefix should be
    // 10.0.0.0/16"), so the topology reader does too, naming the element and the fix.
    let e = rejection(&hub(
        &["10.0.0.1/16".into(), "10.0.0.0/16".into()],
        "172.16.0.0/24",
        "IkeV2",
    ));
    assert!(
        e.contains("vnets[0].address_space[0]") && e.contains("should be 10.0.0.0/16"),
        "{e}"
    );
    let a = analysis(&hub(
        &[
            "10.0.0.0/16".into(),
            "10.0.0.0/16".into(),
            "fd00::/64".into(),
        ],
        "172.16.0.0/24",
        "IkeV2",
    ));
    let adv: Vec<String> = texts(&a.gateways[0].advertised);
    assert_eq!(adv, vec!["10.0.0.0/16", "172.16.0.0/24", "fd00::/64"]);
}

#[test]
fn custom_routes_are_installed_by_every_client_and_counted() {
    let text = hub(&["10.0.0.0/16".into()], "172.16.0.0/24", "IkeV2, OpenVPN").replace(
        "      sku: VpnGw2\n",
        "      sku: VpnGw2\n      custom_routes: [0.0.0.0/1, 128.0.0.0/1]\n",
    );
    let a = analysis(&text);
    let win = client(&a, "windows-ikev2");
    assert_eq!(win.check.selectors, Some(4));
    assert_eq!(a.gateways[0].routes(win).len(), 4);
    assert_eq!(client(&a, "openvpn").check.selectors, Some(4));
}
