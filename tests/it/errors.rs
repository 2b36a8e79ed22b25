//! Every error path of the native format names the file, the place and the fix.

use crate::helpers::*;

/// (topology text, what the message must contain: place first, then words of the explanation)
const CASES: &[(&str, &[&str])] = &[
    (
        "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16, 10.1.0.0/33]\n",
        &["bad.yaml", "vnets[0].address_space[1]", "10.1.0.0/33"],
    ),
    (
        "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n  - name: hub\n    address_space: [10.1.0.0/16]\n",
        &["vnets[1]", "duplicate VNet name 'hub'", "vnets[0]"],
    ),
    (
        "vnets:\n  - name: a\n    gateway: {name: gw}\n  - name: b\n    gateway: {name: gw}\n",
        &["vnets[1].gateway", "duplicate gateway name 'gw'"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway: {name: gw, sku: VpnGw9}\n",
        &["vnets[0].gateway.sku", "VpnGw9", "VpnGw1"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway: {name: gw, vpn_type: Static}\n",
        &["vnets[0].gateway.vpn_type", "RouteBased or PolicyBased"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway: {name: gw, bgp: {asn: 4294967296}}\n",
        &["vnets[0].gateway.bgp.asn", "out of range"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway: {name: gw, custom_routes: [banana]}\n",
        &["vnets[0].gateway.custom_routes[0]", "banana"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway:\n      name: gw\n      p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2, L2TP]}\n",
        &["vnets[0].gateway.p2s.tunnel_types[1]", "L2TP", "IkeV2, SSTP or OpenVPN"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway:\n      name: gw\n      p2s: {address_pool: [172.16.0.0/24], tunnel_types: []}\n",
        &["vnets[0].gateway.p2s.tunnel_types", "at least one"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway:\n      name: gw\n      p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2], auth_types: [Kerberos]}\n",
        &["vnets[0].gateway.p2s.auth_types[0]", "Kerberos", "Certificate"],
    ),
    (
        "vnets:\n  - name: hub\n    gateway:\n      name: gw\n      p2s: {address_pool: [172.16.0/24], tunnel_types: [IkeV2]}\n",
        &["vnets[0].gateway.p2s.address_pool[0]", "172.16.0/24"],
    ),
    (
        "vnets:\n  - {name: hub}\npeerings:\n  - {vnet: hub, remote: spoke}\n",
        &["peerings[0].remote", "no VNet named 'spoke'"],
    ),
    (
        "vnets:\n  - {name: hub}\npeerings:\n  - {vnet: hub, remote: hub}\n",
        &["peerings[0].remote", "itself"],
    ),
    (
        "vnets:\n  - {name: a}\n  - {name: b}\npeerings:\n  - {vnet: a, remote: b}\n  - {vnet: a, remote: b}\n",
        &["peerings[1]", "second peering", "peerings[0]"],
    ),
    (
        // Two repeated pairs, the later in name order repeated first: the error is at the
        // first repeat in the file (peerings[2], of c -> d), naming the first of its pair, and
        // a third a -> b changes nothing.
        "vnets:\n  - {name: a}\n  - {name: b}\n  - {name: c}\n  - {name: d}\npeerings:\n  - {vnet: a, remote: b}\n  - {vnet: c, remote: d}\n  - {vnet: c, remote: d}\n  - {vnet: a, remote: b}\n  - {vnet: a, remote: b}\n",
        &["peerings[2]", "second peering from 'c' to 'd'", "peerings[1]"],
    ),
    (
        "local_networks:\n  - {name: site, address_space: [10.0.0.0/8], bgp: {asn: 0}}\n",
        &["local_networks[0].bgp.asn", "out of range"],
    ),
    (
        "local_networks:\n  - {name: site, bgp: {asn: 65000, peer_ip: 10.0.0.300}}\n",
        &["local_networks[0].bgp.peer_ip", "10.0.0.300"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nconnections:\n  - {name: c, type: IPsec, gateway: gw, local_network: nowhere}\n",
        &["connections[0].local_network", "no local network named 'nowhere'"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nconnections:\n  - {name: c, type: IPsec, gateway: gw}\n",
        &["connections[0]", "needs local_network"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nconnections:\n  - {name: c, type: Vnet2Vnet, gateway: gw}\n",
        &["connections[0]", "needs remote_gateway"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nconnections:\n  - {name: c, type: Vnet2Vnet, gateway: gw, remote_gateway: gw}\n",
        &["connections[0].remote_gateway", "itself"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nconnections:\n  - {name: c, type: ExpressRoute, gateway: gw}\n",
        &["connections[0].type", "ExpressRoute", "IPsec or Vnet2Vnet"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nconnections:\n  - {name: c, type: IPsec, gateway: nope, local_network: x}\n",
        &["connections[0].gateway", "no gateway named 'nope'"],
    ),
    (
        "vnets:\n  - {name: hub, gateway: {name: gw}}\nlocal_networks:\n  - {name: s}\nconnections:\n  - {name: c, type: IPsec, gateway: gw, local_network: s, remote_gateway: gw}\n",
        &["connections[0].remote_gateway", "Vnet2Vnet"],
    ),
    (
        "vnets:\n  - name: hub\n    adress_space: [10.0.0.0/16]\n",
        &["line 2", "adress_space", "spelling"],
    ),
    (
        "vnets:\n  - address_space: [10.0.0.0/16]\n",
        &["line 2", "name"],
    ),
    (
        "vnets:\n  - name: hub\n    address_space: 10.0.0.0/16\n",
        &["line 3"],
    ),
    ("", &["empty"]),
    (
        "{\"vnets\": [{\"name\": \"hub\", \"address_space\": [\"10.0.0.0/16\"], \"gatway\": {}}]}",
        &["vnets[0]", "gatway", "line 1"],
    ),
    ("{\"vnets\": [", &["line 1", "EOF"]),
];

#[test]
fn every_error_names_the_place_and_what_is_wrong() {
    let mut failures = Vec::new();
    for (text, needles) in CASES {
        let message = rejection(text);
        for needle in *needles {
            if !message.contains(needle) {
                failures.push(format!(
                    "{text:?}\n  message: {message}\n  missing: {needle}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_binary_exits_2_and_names_the_file() {
    let out = p2s(["analyze", "-"])
        .stdin("vnets:\n  - name: hub\n    address_space: [10.0.0.0/40]\n")
        .run();
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert!(err.contains("<stdin>: vnets[0].address_space[0]"), "{err}");
    let out = p2s(["analyze", "no/such/file.yaml"]).run();
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("no/such/file.yaml"));
}

#[test]
fn references_may_cross_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n    gateway: {name: gw, p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2]}}\n").unwrap();
    std::fs::write(&b, "vnets:\n  - {name: spoke, address_space: [10.1.0.0/16]}\npeerings:\n  - {vnet: hub, remote: spoke, allow_gateway_transit: true}\n  - {vnet: spoke, remote: hub, use_remote_gateways: true}\n  - {vnet: spoke, remote: ghost}\n").unwrap();
    let out = p2s(["analyze"]).args([&a, &b]).run();
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert!(err.contains("b.yaml: peerings[2].remote"), "{err}");
    std::fs::write(&b, "vnets:\n  - {name: spoke, address_space: [10.1.0.0/16]}\npeerings:\n  - {vnet: hub, remote: spoke, allow_gateway_transit: true}\n  - {vnet: spoke, remote: hub, use_remote_gateways: true}\n").unwrap();
    let out = p2s(["analyze", "--as-of", "2026-12-01", "--format", "csv"])
        .args([&a, &b])
        .run();
    assert_eq!(out.code(), Some(0));
    assert!(out
        .stdout()
        .contains("10.0.0.0/16 10.1.0.0/16 172.16.0.0/24"));
}

/// The exact message of a file that `analyze` must refuse (exit 2).
fn refused(name: &str, text: &str) -> String {
    refused_by(&["analyze"], name, text)
}

/// The message `command` (its last argument the file) refuses the file `name` with, the
/// temporary path written as `name`.
fn refused_by(command: &[&str], name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, text);
    let out = p2s(command).arg(&path).run();
    assert_eq!(out.code(), Some(2), "{}", out.stderr());
    out.stderr()
        .trim_end()
        .replace(&path.display().to_string(), name)
}

#[test]
fn a_yaml_file_gives_the_line_and_column_of_the_place() {
    // A comment first, block style: the second prefix's `-` is at column 7, its value at 9.
    let sites = "# Sites reached over S2S.\nvnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\nlocal_networks:\n  - name: branch\n    address_space:\n      - 192.168.0.0/24\n      - 192.168.1.300/24\n";
    assert_eq!(
        refused("sites.yaml", sites),
        "p2s-sim: error: sites.yaml: local_networks[0].address_space[1] (line 9, column 9): \
         \"192.168.1.300/24\" is not an IPv4 or IPv6 address or prefix (expected e.g. 10.0.0.0/8 \
         or 2001:db8::/32); write a prefix such as 10.1.0.0/16 or fd00:1::/48"
    );
    // Flow style on line 9: `  - {vnet: spoke, remote: ` is 26 characters, the quote is 27.
    let peerings = "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n  - name: spoke\n    address_space: [10.1.0.0/16]\npeerings:\n  - vnet: hub\n    remote: spoke\n  - {vnet: spoke, remote: \"ghost\"}\n";
    assert_eq!(
        refused("peerings.yaml", peerings),
        "p2s-sim: error: peerings.yaml: peerings[1].remote (line 9, column 27): no VNet named \
         'ghost'; define it under vnets or fix the name"
    );
}

/// A what-if scenario that names what the topology lacks, or adds taken space, is refused at
/// the change's place in the scenario file, with its line and column, YAML or JSON.
#[test]
fn a_scenario_error_gives_the_line_and_column_in_the_scenario_file() {
    let whatif = ["whatif", "datasets/scenarios/hub-spoke.yaml", "--scenario"];
    let refused_scenario = |name: &str, text: &str| refused_by(&whatif, name, text);
    // `      hub: ` is 11 characters: the name starts at column 12 of line 4.
    let yaml = "changes:\n  - add_prefixes: {vnet: spoke-app, prefixes: [10.9.0.0/24]}\n  - add_spokes:\n      hub: nowhere\n      count: 2\n";
    assert_eq!(
        refused_scenario("grow.yaml", yaml),
        "p2s-sim: error: grow.yaml: changes[1].add_spokes.hub (line 4, column 12): no VNet or \
         gateway named 'nowhere'"
    );
    // `{"changes": [{"add_prefixes": {"vnet": "spoke-app", "prefixes": ` is 64 characters: the
    // list opens at column 65. spoke-app is 10.1.0.0/16 in hub-spoke.yaml.
    let json =
        r#"{"changes": [{"add_prefixes": {"vnet": "spoke-app", "prefixes": ["10.1.0.0/24"]}}]}"#;
    assert_eq!(
        refused_scenario("grow.json", json),
        "p2s-sim: error: grow.json: changes[0].add_prefixes.prefixes (line 1, column 65): \
         10.1.0.0/24 overlaps VNet 'spoke-app' (10.1.0.0/16); choose free address space"
    );
}
