//! One test per finding rule, each with a positive and a negative case, built from native YAML;
//! catalog completeness; capacity with hand-worked numbers.
//!
//! Most cases start from `BASE`, a hub with a correct P2S gateway and one correctly peered
//! spoke, which has no findings at all, and change one thing.

use p2s_sim::engine::analyze;
use p2s_sim::model::TunnelType;
use p2s_sim::prefix::parse_prefix;
use p2s_sim::verdicts::findings::{
    capacity, check, explain, rules, Date, Finding, LimitKind, Options, Severity,
};

use crate::helpers::*;

const BASE: &str = "
vnets:
  - name: hub
    address_space: [10.0.0.0/22]
    gateway:
      name: hub-gw
      sku: VpnGw1AZ
      p2s:
        address_pool: [172.16.0.0/24]
        tunnel_types: [IkeV2]
        auth_types: [Certificate]
  - name: spoke
    address_space: [10.1.0.0/16]
peerings:
  - {vnet: hub, remote: spoke, allow_gateway_transit: true}
  - {vnet: spoke, remote: hub, use_remote_gateways: true}
";

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// After Basic gained IKEv2, before SSTP stopped being available: no date rule fires on BASE.
fn opts() -> Options {
    Options::at(day("2025-12-01"))
}

fn run_with(yaml: &str, options: &Options) -> Vec<Finding> {
    let t = topology(yaml);
    let a = analyze(&t);
    check(&t, &a, options)
}

fn run(yaml: &str) -> Vec<Finding> {
    run_with(yaml, &opts())
}

fn with<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

/// Exactly one finding with this code; returns it.
fn one(findings: &[Finding], code: &str) -> Finding {
    let hits = with(findings, code);
    assert_eq!(hits.len(), 1, "expected one {code}, got {findings:#?}");
    hits[0].clone()
}

fn none(findings: &[Finding], code: &str) {
    assert!(
        with(findings, code).is_empty(),
        "unexpected {code}: {findings:#?}"
    );
}

fn replace(yaml: &str, from: &str, to: &str) -> String {
    assert!(yaml.contains(from), "'{from}' not in the YAML");
    yaml.replacen(from, to, 1)
}

// ---- baseline --------------------------------------------------------------------------------

#[test]
fn base_topology_has_no_findings() {
    assert_eq!(run(BASE), vec![]);
}

#[test]
fn findings_are_sorted_by_severity_code_subject_and_take_severity_and_source_from_the_catalog() {
    let yaml = replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw1");
    let yaml = replace(
        &yaml,
        "address_pool: [172.16.0.0/24]",
        "address_pool: [10.0.0.0/30]",
    );
    let yaml = replace(
        &yaml,
        "tunnel_types: [IkeV2]",
        "tunnel_types: [IkeV2, SSTP]",
    );
    let f = run(&yaml);
    assert_eq!(
        codes(&f),
        vec!["P2S003", "POOL001", "DATE001", "SKU002"],
        "{f:#?}"
    );
    for x in &f {
        let rule = explain(x.code).unwrap();
        assert_eq!((x.severity, x.source), (rule.severity, rule.source));
    }
    let sorted = {
        let mut s = f.clone();
        s.sort_by(|a, b| (a.severity, a.code, &a.subject).cmp(&(b.severity, b.code, &b.subject)));
        s
    };
    assert_eq!(f, sorted);
}

#[test]
fn findings_convert_to_report_rows() {
    let f = run(&replace(BASE, "172.16.0.0/24", "10.0.3.0/24"));
    let r = p2s_sim::report::FindingReport::from(&f[0]);
    assert_eq!(
        (r.code.as_str(), r.severity.as_str(), r.subject.as_str()),
        ("POOL001", "error", "hub-gw")
    );
    assert_eq!(
        (r.message.as_str(), r.source.as_str()),
        (f[0].message.as_str(), f[0].source)
    );
    let json = serde_json::to_value(&f[0]).unwrap();
    assert_eq!(json["severity"], "error");
    assert_eq!(json["code"], "POOL001");
}

// ---- catalog ---------------------------------------------------------------------------------

#[test]
fn every_code_has_an_explain_text_and_a_source() {
    assert!(rules().len() >= 40);
    for r in rules() {
        let e = explain(&r.code.to_lowercase()).expect("lookup ignores case");
        assert_eq!(e.code, r.code);
        assert!(e.title.len() > 10, "{}", r.code);
        assert!(e.why.len() > 40, "{}: why", r.code);
        assert!(e.fix.len() > 20, "{}: fix", r.code);
        assert!(
            e.source.contains("learn.microsoft.com") || e.source.contains(".md"),
            "{}: source must name an Azure article: {}",
            r.code,
            e.source
        );
    }
}

/// A rule names its code as a catalog constant (`catalog::POOL001`), so the compiler rejects a
/// code the catalog lacks; this checks the other way: no catalog entry is left unused.
#[test]
fn every_catalog_rule_is_emitted_by_some_rule() {
    let dir = repo().join("src/verdicts/findings");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "catalog.rs" {
            text.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    for r in rules() {
        assert!(
            text.contains(&format!("catalog::{}", r.code)),
            "{} is in the catalog but no rule emits it",
            r.code
        );
    }
}

// ---- P2S -------------------------------------------------------------------------------------

#[test]
fn p2s001_policy_based_gateway() {
    let f = run(&replace(
        BASE,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      vpn_type: PolicyBased",
    ));
    assert_eq!(one(&f, "P2S001").subject, "hub-gw");
    assert_eq!(one(&f, "P2S001").severity, Severity::Error);
    none(
        &run(&replace(
            BASE,
            "sku: VpnGw1AZ",
            "sku: VpnGw1AZ\n      vpn_type: RouteBased",
        )),
        "P2S001",
    );
}

#[test]
fn p2s002_no_address_pool() {
    let f = run(&replace(
        BASE,
        "address_pool: [172.16.0.0/24]",
        "address_pool: []",
    ));
    assert_eq!(one(&f, "P2S002").subject, "hub-gw");
    none(&run(BASE), "P2S002");
}

#[test]
fn p2s003_pool_smaller_than_29_or_28_active_active() {
    let small = replace(BASE, "172.16.0.0/24", "172.16.0.0/30");
    assert!(one(&run(&small), "P2S003")
        .message
        .contains("172.16.0.0/30"));
    none(
        &run(&replace(BASE, "172.16.0.0/24", "172.16.0.0/29")),
        "P2S003",
    );
    let aa = replace(
        BASE,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      active_active: true",
    );
    let f = run(&replace(&aa, "172.16.0.0/24", "172.16.0.0/29"));
    assert!(one(&f, "P2S003").message.contains("/28"));
    none(
        &run(&replace(&aa, "172.16.0.0/24", "172.16.0.0/28")),
        "P2S003",
    );
}

#[test]
fn p2s004_sstp_with_openvpn() {
    let f = run(&replace(BASE, "[IkeV2]", "[SSTP, OpenVPN]"));
    one(&f, "P2S004");
    none(
        &run(&replace(BASE, "[IkeV2]", "[IkeV2, OpenVPN]")),
        "P2S004",
    );
}

#[test]
fn p2s005_aad_without_openvpn() {
    let aad = replace(BASE, "auth_types: [Certificate]", "auth_types: [AAD]");
    one(&run(&aad), "P2S005");
    none(
        &run(&replace(&aad, "[IkeV2]", "[IkeV2, OpenVPN]")),
        "P2S005",
    );
}

/// Spec §3 tunnel × auth: IKEv2 + OpenVPN takes RADIUS, Cert, AAD + RADIUS or AAD + Cert.
#[test]
fn p2s010_aad_alone_with_ikev2_and_openvpn() {
    let both = replace(BASE, "[IkeV2]", "[IkeV2, OpenVPN]");
    let aad = replace(&both, "auth_types: [Certificate]", "auth_types: [AAD]");
    assert_eq!(one(&run(&aad), "P2S010").subject, "hub-gw");
    none(&run(&aad), "P2S005");
    for fine in [
        "[AAD, Certificate]",
        "[AAD, Radius]",
        "[Certificate]",
        "[Radius]",
    ] {
        let f = run(&replace(&both, "[Certificate]", fine));
        none(&f, "P2S010");
    }
    // OpenVPN alone takes AAD alone; IKEv2 alone with AAD is P2S005's.
    none(
        &run(&replace(&aad, "[IkeV2, OpenVPN]", "[OpenVPN]")),
        "P2S010",
    );
    let ikev2 = replace(BASE, "auth_types: [Certificate]", "auth_types: [AAD]");
    none(&run(&ikev2), "P2S010");
}

#[test]
fn p2s006_radius_on_basic() {
    let basic = replace(BASE, "sku: VpnGw1AZ", "sku: Basic");
    let basic = replace(&basic, "[IkeV2]", "[SSTP]");
    let f = run(&replace(&basic, "[Certificate]", "[Radius]"));
    assert_eq!(one(&f, "P2S006").subject, "hub-gw");
    none(&run(&basic), "P2S006");
    // RADIUS is fine on VpnGw SKUs.
    none(&run(&replace(BASE, "[Certificate]", "[Radius]")), "P2S006");
}

#[test]
fn p2s007_ikev2_on_basic_depends_on_the_date() {
    let basic = replace(BASE, "sku: VpnGw1AZ", "sku: Basic");
    let before = run_with(&basic, &Options::at(day("2025-10-31")));
    assert!(one(&before, "P2S007").message.contains("2025-11-01"));
    none(&run_with(&basic, &Options::at(day("2025-11-01"))), "P2S007");
    none(&run_with(BASE, &Options::at(day("2025-10-31"))), "P2S007");
}

#[test]
fn p2s008_openvpn_on_basic() {
    let basic = replace(BASE, "sku: VpnGw1AZ", "sku: Basic");
    one(&run(&replace(&basic, "[IkeV2]", "[OpenVPN]")), "P2S008");
    none(&run(&basic), "P2S008");
    none(&run(&replace(BASE, "[IkeV2]", "[OpenVPN]")), "P2S008");
}

// ---- POOL ------------------------------------------------------------------------------------

#[test]
fn pool001_overlaps_own_vnet() {
    let f = run(&replace(BASE, "172.16.0.0/24", "10.0.3.128/25"));
    let x = one(&f, "POOL001");
    assert_eq!(x.subject, "hub-gw");
    assert!(x.message.contains("10.0.3.128/25"), "{}", x.message);
    none(&run(BASE), "POOL001");
}

#[test]
fn pool002_overlaps_transit_spoke() {
    let yaml = replace(BASE, "172.16.0.0/24", "10.1.255.0/24");
    let x = one(&run(&yaml), "POOL002");
    assert!(
        x.message.contains("'spoke' at 10.1.255.0/24"),
        "{}",
        x.message
    );
    // Not a transit spoke (no use_remote_gateways): no POOL002 (PEER008 instead).
    let plain = replace(
        &yaml,
        "remote: hub, use_remote_gateways: true",
        "remote: hub",
    );
    let f = run(&plain);
    none(&f, "POOL002");
    one(&f, "PEER008");
}

const SITE: &str = "
local_networks:
  - name: branch
    address_space: [172.16.0.0/16]
connections:
  - {name: hub-to-branch, type: IPsec, gateway: hub-gw, local_network: branch}
";

#[test]
fn pool003_overlaps_connected_network() {
    let x = one(&run(&format!("{BASE}{SITE}")), "POOL003");
    assert!(
        x.message.contains("'branch' at 172.16.0.0/24"),
        "{}",
        x.message
    );
    assert_eq!(x.severity, Severity::Warning);
    // A local network no connection uses does not count.
    let unconnected = SITE.split("connections:").next().unwrap();
    none(&run(&format!("{BASE}{unconnected}")), "POOL003");
}

/// hub (BGP) == Vnet2Vnet BGP == hub2 (BGP) -- static IPsec -- site 172.16.0.0/26: hub learns
/// 172.16.0.0/26 over BGP.
fn bgp_pair(bgp: bool) -> String {
    let yaml = replace(
        BASE,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      bgp: {asn: 65515}",
    );
    let hub2 = "  - name: hub2
    address_space: [10.50.0.0/16]
    gateway:
      name: hub2-gw
      sku: VpnGw1AZ
      bgp: {asn: 65516}
peerings:";
    format!(
        "{}local_networks:
  - name: far-site
    address_space: [172.16.0.0/26]
connections:
  - {{name: a, type: Vnet2Vnet, gateway: hub-gw, remote_gateway: hub2-gw, bgp: {bgp}}}
  - {{name: b, type: Vnet2Vnet, gateway: hub2-gw, remote_gateway: hub-gw, bgp: {bgp}}}
  - {{name: c, type: IPsec, gateway: hub2-gw, local_network: far-site}}
",
        replace(&yaml, "peerings:", hub2)
    )
}

#[test]
fn pool004_overlaps_bgp_learned_prefix() {
    let f = run(&bgp_pair(true));
    let x = one(&f, "POOL004");
    assert!(x.message.contains("172.16.0.0/26"), "{}", x.message);
    none(&f, "POOL003");
    none(&run(&bgp_pair(false)), "POOL004");
}

#[test]
fn pool005_overlaps_another_gateways_pool() {
    let second = "  - name: other
    address_space: [10.60.0.0/16]
    gateway:
      name: other-gw
      sku: VpnGw1AZ
      p2s:
        address_pool: [172.16.0.128/25]
        tunnel_types: [IkeV2]
peerings:";
    let yaml = replace(BASE, "peerings:", second);
    let x = one(&run(&yaml), "POOL005");
    assert_eq!(x.subject, "hub-gw");
    assert!(
        x.message.contains("'other-gw' at 172.16.0.128/25"),
        "{}",
        x.message
    );
    none(
        &run(&replace(&yaml, "172.16.0.128/25", "172.17.0.0/24")),
        "POOL005",
    );
}

// ---- PEER ------------------------------------------------------------------------------------

#[test]
fn peer001_remote_has_no_gateway() {
    let yaml = "
vnets:
  - {name: a, address_space: [10.1.0.0/16]}
  - {name: b, address_space: [10.2.0.0/16]}
peerings:
  - {vnet: a, remote: b, use_remote_gateways: true}
  - {vnet: b, remote: a, allow_gateway_transit: true}
";
    assert_eq!(one(&run(yaml), "PEER001").subject, "a->b");
    none(&run(BASE), "PEER001");
}

#[test]
fn peer002_remote_does_not_allow_transit() {
    let yaml = replace(
        BASE,
        "remote: spoke, allow_gateway_transit: true",
        "remote: spoke",
    );
    let x = one(&run(&yaml), "PEER002");
    assert_eq!(x.subject, "spoke->hub");
    assert!(x.message.contains("hub->spoke"), "{}", x.message);
    none(&run(BASE), "PEER002");
}

const TWO_HUBS: &str = "
vnets:
  - name: hub1
    address_space: [10.0.0.0/16]
    gateway: {name: gw1, sku: VpnGw1AZ}
  - name: hub2
    address_space: [10.2.0.0/16]
    gateway: {name: gw2, sku: VpnGw1AZ}
peerings:
  - {vnet: hub1, remote: hub2, allow_gateway_transit: true}
  - {vnet: hub2, remote: hub1, use_remote_gateways: true}
";

#[test]
fn peer003_use_remote_with_own_gateway() {
    assert_eq!(one(&run(TWO_HUBS), "PEER003").subject, "hub2->hub1");
    none(&run(BASE), "PEER003");
}

#[test]
fn peer004_more_than_one_use_remote() {
    let yaml = format!(
        "{TWO_HUBS}  - {{vnet: hub2, remote: spoke, allow_gateway_transit: true}}
  - {{vnet: spoke, remote: hub2, use_remote_gateways: true}}
  - {{vnet: hub1, remote: spoke, allow_gateway_transit: true}}
  - {{vnet: spoke, remote: hub1, use_remote_gateways: true}}
"
    );
    let yaml = replace(
        &yaml,
        "peerings:",
        "  - {name: spoke, address_space: [10.9.0.0/16]}\npeerings:",
    );
    let x = one(&run(&yaml), "PEER004");
    assert_eq!(x.subject, "spoke");
    assert!(
        x.message
            .starts_with("2 peerings use remote gateways (hub1, hub2)"),
        "{}",
        x.message
    );
    none(&run(BASE), "PEER004");
}

#[test]
fn peer005_one_way_peering() {
    let yaml = replace(
        BASE,
        "  - {vnet: spoke, remote: hub, use_remote_gateways: true}\n",
        "",
    );
    let x = one(&run(&yaml), "PEER005");
    assert_eq!(x.subject, "hub->spoke");
    assert!(x.message.contains("create spoke->hub"), "{}", x.message);
    none(&run(BASE), "PEER005");
}

#[test]
fn peer006_transit_allowed_on_both_ends() {
    let yaml = replace(
        BASE,
        "remote: hub, use_remote_gateways: true",
        "remote: hub, allow_gateway_transit: true",
    );
    let f = run(&yaml);
    assert_eq!(one(&f, "PEER006").subject, "hub->spoke");
    none(&run(BASE), "PEER006");
}

#[test]
fn peer007_overlapping_peered_vnets() {
    let yaml = replace(BASE, "10.1.0.0/16", "10.0.2.0/24");
    let x = one(&run(&yaml), "PEER007");
    assert_eq!(x.subject, "hub->spoke");
    assert!(
        x.message.contains("overlap at 10.0.2.0/24"),
        "{}",
        x.message
    );
    none(&run(BASE), "PEER007");
}

#[test]
fn peer008_landing_zone_mistake() {
    let yaml = replace(
        BASE,
        "remote: hub, use_remote_gateways: true",
        "remote: hub",
    );
    let x = one(&run(&yaml), "PEER008");
    assert_eq!(x.subject, "spoke->hub");
    assert_eq!(x.severity, Severity::Warning);
    none(&run(BASE), "PEER008");
    // A landing zone with one good spoke and one that forgot the flag: only that one.
    let zone = format!(
        "{}  - {{vnet: hub, remote: sandbox, allow_gateway_transit: true}}
  - {{vnet: sandbox, remote: hub}}
",
        replace(
            BASE,
            "peerings:",
            "  - {name: sandbox, address_space: [10.5.0.0/16]}\npeerings:"
        )
    );
    assert_eq!(one(&run(&zone), "PEER008").subject, "sandbox->hub");
    // A spoke that uses another hub's gateway is not a mistake here (only one may be used).
    let other_hub = format!(
        "{TWO_HUBS}  - {{vnet: hub1, remote: spoke, allow_gateway_transit: true}}
  - {{vnet: spoke, remote: hub1}}
  - {{vnet: hub2, remote: spoke, allow_gateway_transit: true}}
  - {{vnet: spoke, remote: hub2, use_remote_gateways: true}}
"
    );
    let other_hub = replace(
        &other_hub,
        "peerings:",
        "  - {name: spoke, address_space: [10.9.0.0/16]}\npeerings:",
    );
    none(&run(&other_hub), "PEER008");
}

#[test]
fn peer009_peering_out_of_sync() {
    let yaml = replace(
        BASE,
        "remote: spoke, allow_gateway_transit: true",
        "remote: spoke, allow_gateway_transit: true, remote_address_space: [10.9.0.0/16]",
    );
    let x = one(&run(&yaml), "PEER009");
    assert_eq!(x.subject, "hub->spoke");
    assert!(
        x.message.contains("missing 10.1.0.0/16; stale 10.9.0.0/16"),
        "{}",
        x.message
    );
    let synced = replace(&yaml, "[10.9.0.0/16]", "[10.1.0.0/16]");
    none(&run(&synced), "PEER009");
}

// ---- CONN ------------------------------------------------------------------------------------

#[test]
fn conn001_one_way_vnet2vnet() {
    let yaml = bgp_pair(true);
    let one_way = replace(
        &yaml,
        "  - {name: b, type: Vnet2Vnet, gateway: hub2-gw, remote_gateway: hub-gw, bgp: true}\n",
        "",
    );
    assert_eq!(one(&run(&one_way), "CONN001").subject, "a");
    none(&run(&yaml), "CONN001");
}

#[test]
fn conn002_bgp_on_connection_without_gateway_bgp() {
    let yaml = format!("{BASE}{SITE}").replace(
        "local_network: branch}",
        "local_network: branch, bgp: true}",
    );
    let f = run(&yaml);
    assert_eq!(one(&f, "CONN002").subject, "hub-to-branch");
    let with_bgp = replace(
        &yaml,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      bgp: {asn: 65515}",
    );
    none(&run(&with_bgp), "CONN002");
}

#[test]
fn conn003_bgp_on_connection_whose_far_end_has_no_bgp() {
    let yaml = format!("{BASE}{SITE}").replace(
        "local_network: branch}",
        "local_network: branch, bgp: true}",
    );
    let yaml = replace(
        &yaml,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      bgp: {asn: 65515}",
    );
    let x = one(&run(&yaml), "CONN003");
    assert!(
        x.message.contains("local network 'branch'"),
        "{}",
        x.message
    );
    let site_bgp = replace(
        &yaml,
        "address_space: [172.16.0.0/16]",
        "address_space: [172.16.0.0/16]\n    bgp: {asn: 65050}",
    );
    none(&run(&site_bgp), "CONN003");
    // A remote gateway without BGP.
    let v2v = replace(&bgp_pair(true), "      bgp: {asn: 65516}\n", "");
    let f = run(&v2v);
    assert_eq!(one(&f, "CONN003").subject, "a");
    assert_eq!(one(&f, "CONN002").subject, "b");
}

#[test]
fn conn004_vnet2vnet_bgp_one_direction() {
    let yaml = replace(
        &bgp_pair(true),
        "remote_gateway: hub-gw, bgp: true",
        "remote_gateway: hub-gw, bgp: false",
    );
    assert_eq!(one(&run(&yaml), "CONN004").subject, "b");
    none(&run(&bgp_pair(true)), "CONN004");
    none(&run(&bgp_pair(false)), "CONN004");
}

fn many_sites(sku: &str, vpn_type: &str, n: usize) -> String {
    let mut yaml = format!(
        "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n    gateway: {{name: gw, sku: {sku}, vpn_type: {vpn_type}}}\nlocal_networks:\n"
    );
    for i in 0..n {
        yaml += &format!("  - {{name: site{i}, address_space: [192.168.{i}.0/24]}}\n");
    }
    yaml += "connections:\n";
    for i in 0..n {
        yaml += &format!("  - {{name: c{i}, type: IPsec, gateway: gw, local_network: site{i}}}\n");
    }
    yaml
}

#[test]
fn conn005_more_tunnels_than_the_sku_allows() {
    let x = one(&run(&many_sites("Basic", "RouteBased", 11)), "CONN005");
    assert!(
        x.message
            .starts_with("11 S2S/Vnet2Vnet connections but Basic allows 10"),
        "{}",
        x.message
    );
    none(&run(&many_sites("Basic", "RouteBased", 10)), "CONN005");
    one(&run(&many_sites("VpnGw1AZ", "RouteBased", 31)), "CONN005");
    none(&run(&many_sites("VpnGw4AZ", "RouteBased", 31)), "CONN005");
    // The spec §3 boundaries: 30 on VpnGw1–3(AZ), 100 on VpnGw4/5(AZ).
    none(&run(&many_sites("VpnGw1AZ", "RouteBased", 30)), "CONN005");
    none(&run(&many_sites("VpnGw4AZ", "RouteBased", 100)), "CONN005");
    let x = one(&run(&many_sites("VpnGw5", "RouteBased", 101)), "CONN005");
    assert!(
        x.message
            .starts_with("101 S2S/Vnet2Vnet connections but VpnGw5 allows 100"),
        "{}",
        x.message
    );
}

#[test]
fn conn006_multi_site_on_policy_based() {
    let x = one(&run(&many_sites("Basic", "PolicyBased", 2)), "CONN006");
    assert!(
        x.message.contains("has 2 S2S and 0 Vnet2Vnet"),
        "{}",
        x.message
    );
    none(&run(&many_sites("Basic", "PolicyBased", 1)), "CONN006");
}

// ---- LIM -------------------------------------------------------------------------------------

fn prefixes(n: usize, first_octet: u32) -> String {
    (0..n)
        .map(|i| format!("{first_octet}.{}.{}.0/24", i / 256, i % 256))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn lim001_local_network_over_1000_prefixes() {
    let site = |n| {
        format!(
            "vnets: []\nlocal_networks:\n  - {{name: big, address_space: [{}]}}\n",
            prefixes(n, 20)
        )
    };
    let x = one(&run(&site(1001)), "LIM001");
    assert_eq!(x.subject, "big");
    assert!(
        x.message.starts_with("1001 address prefixes"),
        "{}",
        x.message
    );
    none(&run(&site(1000)), "LIM001");
}

#[test]
fn lim002_over_600_vnet_prefixes_own_plus_transit_spokes() {
    // 300 own + 301 in the transit spoke = 601.
    let yaml = replace(BASE, "[10.0.0.0/22]", &format!("[{}]", prefixes(300, 20)));
    let big = replace(&yaml, "[10.1.0.0/16]", &format!("[{}]", prefixes(301, 21)));
    let x = one(&run(&big), "LIM002");
    assert!(x.message.starts_with("601 VNet prefixes"), "{}", x.message);
    let ok = replace(&yaml, "[10.1.0.0/16]", &format!("[{}]", prefixes(300, 21)));
    none(&run(&ok), "LIM002");
    // A spoke that is not a transit peer does not count.
    let not_transit = replace(
        &big,
        "remote: hub, use_remote_gateways: true",
        "remote: hub",
    );
    none(&run(&not_transit), "LIM002");
}

/// A hub peered with `n` spokes (one /24 each, no gateway transit).
fn peered_hub(n: usize) -> String {
    let mut yaml = String::from("vnets:\n  - {name: hub, address_space: [10.0.0.0/16]}\n");
    for i in 0..n {
        yaml += &format!(
            "  - {{name: s{i}, address_space: [20.{}.{}.0/24]}}\n",
            i / 256,
            i % 256
        );
    }
    yaml += "peerings:\n";
    for i in 0..n {
        yaml += &format!("  - {{vnet: hub, remote: s{i}}}\n  - {{vnet: s{i}, remote: hub}}\n");
    }
    yaml
}

#[test]
fn lim006_lim007_peerings_per_vnet_over_1000_and_over_500() {
    // Each spoke holds one peering (to the hub); the hub holds n.
    let over = run(&peered_hub(1001));
    let x = one(&over, "LIM006");
    assert_eq!(x.subject, "hub");
    assert!(x.message.starts_with("1001 peerings"), "{}", x.message);
    assert_eq!(x.severity, Severity::Error);
    none(&over, "LIM007");
    let at_limit = run(&peered_hub(1000));
    none(&at_limit, "LIM006");
    let y = one(&at_limit, "LIM007");
    assert_eq!((y.subject.as_str(), y.severity), ("hub", Severity::Warning));
    assert!(y.message.starts_with("1000 peerings"), "{}", y.message);
    one(&run(&peered_hub(501)), "LIM007");
    let fine = run(&peered_hub(500));
    none(&fine, "LIM006");
    none(&fine, "LIM007");
}

fn learned(sites: usize, per_site: usize) -> String {
    let mut yaml = bgp_pair(true).replace(
        "local_networks:\n  - name: far-site\n    address_space: [172.16.0.0/26]\n",
        "local_networks:\n",
    );
    yaml = yaml.replace(
        "  - {name: c, type: IPsec, gateway: hub2-gw, local_network: far-site}\n",
        "",
    );
    for s in 0..sites {
        yaml = yaml.replace(
            "local_networks:\n",
            &format!(
                "local_networks:\n  - {{name: s{s}, address_space: [{}]}}\n",
                prefixes(per_site, 30 + s as u32)
            ),
        );
        yaml +=
            &format!("  - {{name: c{s}, type: IPsec, gateway: hub2-gw, local_network: s{s}}}\n");
    }
    yaml
}

#[test]
fn lim003_over_4000_bgp_routes() {
    // hub learns the 5 × 801 = 4005 site prefixes of hub2 over BGP (hub2's own VNet is directly
    // connected, so not counted as learned).
    let x = one(&run(&learned(5, 801)), "LIM003");
    assert_eq!(x.subject, "hub-gw");
    assert!(
        x.message.starts_with("4005 routes learned over BGP"),
        "{}",
        x.message
    );
    none(&run(&learned(5, 800)), "LIM003");
}

#[test]
fn lim004_client_over_its_limit() {
    // 254 own prefixes + 1 transit spoke... use no spoke: 254 + pool = 255 is at the limit.
    let at_limit = replace(BASE, "[10.0.0.0/22]", &format!("[{}]", prefixes(253, 20)));
    // 253 own + 1 spoke + 1 pool = 255 selectors: exactly the limit.
    let f = run(&at_limit);
    none(&f, "LIM004");
    one(&f, "LIM005");
    let over = replace(BASE, "[10.0.0.0/22]", &format!("[{}]", prefixes(254, 20)));
    let f = run(&over);
    let hits = with(&f, "LIM004");
    let mut kinds: Vec<&str> = hits
        .iter()
        .map(|x| x.message.split(' ').next().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec!["ios-ikev2", "linux-ikev2", "macos-ikev2", "windows-ikev2"]
    );
    assert!(
        hits[0]
            .message
            .contains("256 prefixes, above their limit of 255"),
        "{}",
        hits[0].message
    );
    // OpenVPN: 1,000 routes.
    let ovpn = replace(BASE, "[IkeV2]", "[OpenVPN]");
    let ovpn_over = replace(&ovpn, "[10.0.0.0/22]", &format!("[{}]", prefixes(999, 20)));
    let x = one(&run(&ovpn_over), "LIM004");
    assert!(
        x.message.starts_with("openvpn clients get 1001 prefixes"),
        "{}",
        x.message
    );
    let ovpn_ok = replace(&ovpn, "[10.0.0.0/22]", &format!("[{}]", prefixes(998, 20)));
    none(&run(&ovpn_ok), "LIM004");
}

#[test]
fn lim005_legacy_windows_over_25_is_a_warning() {
    // own 23 + spoke 1 + pool 1 = 25: at the legacy limit.
    let ok = replace(BASE, "[10.0.0.0/22]", &format!("[{}]", prefixes(23, 20)));
    none(&run(&ok), "LIM005");
    let over = replace(BASE, "[10.0.0.0/22]", &format!("[{}]", prefixes(24, 20)));
    let f = run(&over);
    let x = one(&f, "LIM005");
    assert_eq!(x.severity, Severity::Warning);
    assert!(
        x.message
            .starts_with("windows-ikev2-legacy clients get 26 prefixes"),
        "{}",
        x.message
    );
    none(&f, "LIM004");
}

// ---- ROUTE -----------------------------------------------------------------------------------

#[test]
fn route001_default_custom_route() {
    let yaml = replace(
        BASE,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      custom_routes: [0.0.0.0/0]",
    );
    let x = one(&run(&yaml), "ROUTE001");
    assert!(
        x.message.contains("0.0.0.0/1 and 128.0.0.0/1"),
        "{}",
        x.message
    );
    let split = replace(
        BASE,
        "sku: VpnGw1AZ",
        "sku: VpnGw1AZ\n      custom_routes: [0.0.0.0/1, 128.0.0.0/1]",
    );
    none(&run(&split), "ROUTE001");
    // The /1 pair is forced tunnelling (ROUTE002, info); the default route itself is not.
    let x = one(&run(&split), "ROUTE002");
    assert!(x.message.contains("0.0.0.0/0"), "{}", x.message);
    none(&run(&yaml), "ROUTE002");
    // Only routes that cover everything: not one /1 alone; 0.0.0.0/2 + 64.0.0.0/2 + 128.0.0.0/1 do.
    let half = replace(&split, "[0.0.0.0/1, 128.0.0.0/1]", "[0.0.0.0/1]");
    none(&run(&half), "ROUTE002");
    let quarters = replace(
        &split,
        "[0.0.0.0/1, 128.0.0.0/1]",
        "[0.0.0.0/2, 64.0.0.0/2, 128.0.0.0/1]",
    );
    one(&run(&quarters), "ROUTE002");
}

// ---- NET -------------------------------------------------------------------------------------

#[test]
fn net001_route_collides_with_a_client_network() {
    let mut o = opts();
    o.client_networks = vec![parse_prefix("10.0.1.0/24").unwrap()];
    let f = run_with(BASE, &o);
    let x = one(&f, "NET001");
    assert_eq!(x.subject, "hub-gw");
    assert!(
        x.message
            .starts_with("route 10.0.0.0/22 collides with client network 10.0.1.0/24"),
        "{}",
        x.message
    );
    // The pool is a route too.
    o.client_networks = vec![parse_prefix("172.16.0.0/16").unwrap()];
    assert!(one(&run_with(BASE, &o), "NET001")
        .message
        .contains("172.16.0.0/24"));
    // One finding per client network, listing every colliding route.
    o.client_networks = vec![
        parse_prefix("10.0.0.0/8").unwrap(),
        parse_prefix("192.168.1.0/24").unwrap(),
    ];
    assert!(one(&run_with(BASE, &o), "NET001")
        .message
        .starts_with("routes 10.0.0.0/22, 10.1.0.0/16 collide with client network 10.0.0.0/8"));
    o.client_networks = vec![parse_prefix("192.168.1.0/24").unwrap()];
    none(&run_with(BASE, &o), "NET001");
}

#[test]
fn net002_common_home_ranges() {
    let yaml = replace(BASE, "[10.0.0.0/22]", "[10.0.0.0/16]");
    let mut o = opts();
    none(&run_with(&yaml, &o), "NET002");
    o.home_networks = true;
    let f = run_with(&yaml, &o);
    let hits = with(&f, "NET002");
    assert_eq!(hits.len(), 2, "{hits:#?}");
    assert!(
        hits[0]
            .message
            .contains("home range 10.0.0.0/24 (Comcast Xfinity"),
        "{}",
        hits[0].message
    );
    assert!(
        hits[1]
            .message
            .contains("home range 10.0.1.0/24 (Apple AirPort"),
        "{}",
        hits[1].message
    );
    none(
        &run_with(BASE.replace("10.0.0.0/22", "10.50.0.0/16").as_str(), &o),
        "NET002",
    );
}

// ---- DATE ------------------------------------------------------------------------------------

#[test]
fn date001_to_003_sstp_retirement_by_date() {
    let sstp = replace(BASE, "[IkeV2]", "[IkeV2, SSTP]");
    let at = |d: &str| {
        codes(&run_with(&sstp, &Options::at(day(d))))
            .into_iter()
            .filter(|c| c.starts_with("DATE"))
            .collect::<Vec<_>>()
    };
    assert_eq!(at("2026-03-30"), vec!["DATE001"]);
    assert_eq!(at("2026-03-31"), vec!["DATE002"]);
    assert_eq!(at("2027-03-30"), vec!["DATE002"]);
    assert_eq!(at("2027-03-31"), vec!["DATE003"]);
    assert_eq!(explain("DATE003").unwrap().severity, Severity::Error);
    assert!(codes(&run_with(BASE, &Options::at(day("2027-04-01")))).is_empty());
}

#[test]
fn date004_005_legacy_sku_migration() {
    let legacy = replace(BASE, "sku: VpnGw1AZ", "sku: Standard");
    let f = run_with(&legacy, &Options::at(day("2026-06-30")));
    assert!(one(&f, "DATE004").message.contains("VpnGw1AZ"));
    none(&f, "DATE005");
    let f = run_with(&legacy, &Options::at(day("2026-07-01")));
    assert!(one(&f, "DATE005").message.contains("write sku: VpnGw1AZ"));
    none(&f, "DATE004");
    let hp = replace(BASE, "sku: VpnGw1AZ", "sku: HighPerformance");
    assert!(one(&run(&hp), "DATE004").message.contains("VpnGw2AZ"));
    none(&run(BASE), "DATE004");
}

// ---- SKU -------------------------------------------------------------------------------------

#[test]
fn sku001_no_sku_and_sku002_non_az() {
    let f = run(&replace(BASE, "      sku: VpnGw1AZ\n", ""));
    assert_eq!(one(&f, "SKU001").severity, Severity::Info);
    let f = run(&replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw3"));
    assert!(one(&f, "SKU002").message.contains("VpnGw3AZ"));
    none(&f, "SKU001");
    none(&run(BASE), "SKU002");
}

#[test]
fn sku003_bgp_on_basic() {
    let basic = replace(BASE, "sku: VpnGw1AZ", "sku: Basic");
    let basic = replace(&basic, "[IkeV2]", "[SSTP]");
    let with_bgp = replace(&basic, "sku: Basic", "sku: Basic\n      bgp: {asn: 65515}");
    let x = one(&run(&with_bgp), "SKU003");
    assert_eq!(
        (x.subject.as_str(), x.severity),
        ("hub-gw", Severity::Error)
    );
    none(&run(&basic), "SKU003");
    none(&run(&bgp_pair(true)), "SKU003");
}

#[test]
fn sku004_sku_not_made_in_the_generation() {
    // Spec §3: VpnGw1 (and Basic) only Generation1, VpnGw4/5 only Generation2, VpnGw2/3 both;
    // Standard and HighPerformance have no generation and are not checked.
    let at = |sku: &str, generation: &str| {
        run(&replace(
            BASE,
            "sku: VpnGw1AZ",
            &format!("sku: {sku}\n      generation: {generation}"),
        ))
    };
    for (sku, generation, only) in [
        ("VpnGw1", "Generation2", "Generation1"),
        ("VpnGw1AZ", "Generation2", "Generation1"),
        ("Basic", "Generation2", "Generation1"),
        ("VpnGw4", "Generation1", "Generation2"),
        ("VpnGw5AZ", "Generation1", "Generation2"),
    ] {
        let f = at(sku, generation);
        let x = one(&f, "SKU004");
        assert_eq!(
            (x.subject.as_str(), x.severity),
            ("hub-gw", Severity::Error),
            "{sku}"
        );
        assert_eq!(
            x.message,
            format!(
                "{sku} is made only in {only}, not in {generation}: Azure does not create this \
                 gateway; set generation: {only} or pick a {generation} SKU"
            )
        );
    }
    for (sku, generation) in [
        ("VpnGw1AZ", "Generation1"),
        ("VpnGw2", "Generation1"),
        ("VpnGw2AZ", "Generation2"),
        ("VpnGw3", "generation2"),
        ("VpnGw4AZ", "Generation2"),
        ("Standard", "Generation1"),
        ("HighPerformance", "Generation2"),
    ] {
        none(&at(sku, generation), "SKU004");
    }
    none(
        &run(&replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw4")),
        "SKU004",
    );
}

#[test]
fn sku005_nat_rules_on_a_sku_without_nat() {
    // Spec §3 (FAQ): "NAT: VpnGw2-5 / 2AZ-5AZ only". Basic, VpnGw1(AZ), Standard and
    // HighPerformance with NAT rules: error; without rules, or on VpnGw2+: nothing.
    let at = |sku: &str, rules: u32| {
        run(&replace(
            BASE,
            "sku: VpnGw1AZ",
            &format!("sku: {sku}\n      nat_rules: {rules}"),
        ))
    };
    for sku in ["VpnGw1", "VpnGw1AZ", "Basic", "Standard", "HighPerformance"] {
        let f = at(sku, 2);
        let x = one(&f, "SKU005");
        assert_eq!(
            (x.subject.as_str(), x.severity),
            ("hub-gw", Severity::Error),
            "{sku}"
        );
        assert_eq!(
            x.message,
            format!(
                "2 NAT rule(s) on {sku}, which has no NAT (VpnGw2–5 and VpnGw2AZ–5AZ only): \
                 resize to VpnGw2AZ or larger, or remove the rules"
            )
        );
        none(&at(sku, 0), "SKU005");
    }
    for sku in ["VpnGw2", "VpnGw2AZ", "VpnGw3", "VpnGw4AZ", "VpnGw5"] {
        none(&at(sku, 3), "SKU005");
    }
    // No SKU: not checked (SKU001 says the checks were skipped).
    none(
        &run(&replace(BASE, "sku: VpnGw1AZ", "nat_rules: 1")),
        "SKU005",
    );
}

#[test]
fn a_generation_azure_does_not_know_is_an_input_error_at_its_place() {
    let text = replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw2\n      generation: Gen2");
    let e = p2s_sim::read::read_topology(&[p2s_sim::read::Source {
        name: "t.yaml".into(),
        text,
    }])
    .unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("t.yaml"), "{shown}");
    assert!(shown.contains("vnets[0].gateway.generation"), "{shown}");
    assert!(shown.contains("Generation1 or Generation2"), "{shown}");
}

// ---- CAP -------------------------------------------------------------------------------------

fn expecting(pairs: &[(TunnelType, u32)]) -> Options {
    let mut o = opts();
    o.expected_clients = pairs.to_vec();
    o
}

#[test]
fn cap001_expected_clients_exceed_capacity() {
    // VpnGw1AZ, IKEv2 only, /24: SKU 250, pool 256 − 1 = 255.
    let f = run_with(BASE, &expecting(&[(TunnelType::IkeV2, 300)]));
    let hits = with(&f, "CAP001");
    let msgs: Vec<&str> = hits.iter().map(|x| x.message.as_str()).collect();
    assert_eq!(
        msgs,
        vec![
            "300 expected IkeV2 clients but the SKU (VpnGw1AZ) allows 250: 50 cannot connect; \
             resize the gateway",
            "300 expected IkeV2 clients but the pool part has 255 usable addresses: 45 cannot \
             connect; enlarge the address pool",
        ]
    );
    none(
        &run_with(BASE, &expecting(&[(TunnelType::IkeV2, 250)])),
        "CAP001",
    );
}

#[test]
fn cap002_expected_clients_for_a_disabled_tunnel() {
    let f = run_with(BASE, &expecting(&[(TunnelType::OpenVpn, 10)]));
    assert!(one(&f, "CAP002")
        .message
        .starts_with("10 OpenVPN clients expected"));
    none(
        &run_with(BASE, &expecting(&[(TunnelType::IkeV2, 10)])),
        "CAP002",
    );
}

// ---- capacity --------------------------------------------------------------------------------

fn cap(yaml: &str, options: &Options) -> p2s_sim::verdicts::findings::GatewayCapacity {
    let t = topology(yaml);
    let a = analyze(&t);
    let mut all = capacity(&t, &a, options);
    assert_eq!(all.len(), 1);
    all.remove(0)
}

/// (protocol, by_sku, by_pool, max_clients, binding)
type Row = (String, Option<u64>, u64, u64, &'static str);

fn rows(c: &p2s_sim::verdicts::findings::GatewayCapacity) -> Vec<Row> {
    c.protocols
        .iter()
        .map(|p| {
            (
                p.protocol.clone(),
                p.by_sku,
                p.by_pool,
                p.max_clients,
                p.binding,
            )
        })
        .collect()
}

fn row(p: &str, sku: Option<u64>, pool: u64, max: u64, binding: &'static str) -> Row {
    (p.to_string(), sku, pool, max, binding)
}

#[test]
fn capacity_vpngw1_slash24_sstp_and_ikev2_is_bound_by_the_pool_halves() {
    // /24 halved: SSTP 172.16.0.0/25, IKEv2 172.16.0.128/25, 128 addresses each, 127 usable
    // (one kept per part). SSTP min(128, 127) = 127; IKEv2 min(250, 127) = 127.
    let yaml = replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw1");
    let c = cap(&replace(&yaml, "[IkeV2]", "[IkeV2, SSTP]"), &opts());
    assert_eq!(c.sku.as_deref(), Some("VpnGw1"));
    assert_eq!(
        rows(&c),
        vec![
            row("IkeV2", Some(250), 127, 127, "pool"),
            row("SSTP", Some(128), 127, 127, "pool"),
        ]
    );
    assert_eq!(c.protocols[0].pool, vec!["172.16.0.128/25"]);
    assert_eq!(c.protocols[1].pool, vec!["172.16.0.0/25"]);
    assert_eq!(c.protocols[1].pool_addresses, 128);
    assert!(c.assumptions[0].contains("addresses − 1 per contiguous pool part"));
}

#[test]
fn capacity_large_pool_gives_sstp_128_and_ikev2_the_rest_with_an_assumption() {
    // /22 = 1024: SSTP the first /25 (127 usable), IKEv2 the other 896 in one range (895 usable).
    let yaml = replace(BASE, "172.16.0.0/24", "172.16.0.0/22");
    let c = cap(&replace(&yaml, "[IkeV2]", "[IkeV2, SSTP]"), &opts());
    assert_eq!(
        rows(&c),
        vec![
            row("IkeV2", Some(250), 895, 250, "sku"),
            row("SSTP", Some(128), 127, 127, "pool"),
        ]
    );
    assert_eq!(c.protocols[0].pool_addresses, 896);
    assert!(
        c.assumptions
            .iter()
            .any(|a| a.contains("pool larger than /24")),
        "{:#?}",
        c.assumptions
    );
}

#[test]
fn capacity_ikev2_and_openvpn_share_sku_and_pool() {
    // VpnGw2AZ: IKEv2/OpenVPN 500 shared; unsplit /24: 255 usable shared.
    let yaml = replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw2AZ");
    let yaml = replace(&yaml, "[IkeV2]", "[IkeV2, OpenVPN]");
    let o = expecting(&[(TunnelType::IkeV2, 200), (TunnelType::OpenVpn, 100)]);
    let c = cap(&yaml, &o);
    assert_eq!(
        rows(&c),
        vec![
            row("IkeV2", Some(500), 255, 255, "pool"),
            row("OpenVPN", Some(500), 255, 255, "pool"),
        ]
    );
    type Limit = (LimitKind, Vec<String>, u64, Option<u64>, Option<u64>);
    let l: Vec<Limit> = c
        .limits
        .iter()
        .map(|l| {
            (
                l.kind,
                l.protocols.clone(),
                l.limit,
                l.expected,
                l.shortfall,
            )
        })
        .collect();
    let both = vec!["IkeV2".to_string(), "OpenVPN".to_string()];
    assert_eq!(
        l,
        vec![
            (LimitKind::Sku, both.clone(), 500, Some(300), None),
            (LimitKind::Pool, both, 255, Some(300), Some(45)),
        ]
    );
    let f = run_with(&yaml, &o);
    assert!(one(&f, "CAP001")
        .message
        .starts_with("300 expected IkeV2+OpenVPN clients"));
}

#[test]
fn capacity_basic_legacy_unknown_and_large_skus() {
    // Basic, SSTP: total 128; pool /24 unsplit: 255 usable -> 128, the SKU binds.
    let basic = replace(BASE, "sku: VpnGw1AZ", "sku: Basic");
    let c = cap(&replace(&basic, "[IkeV2]", "[SSTP]"), &opts());
    assert_eq!(rows(&c), vec![row("SSTP", Some(128), 255, 128, "sku")]);
    // Basic IKEv2 before November 2025: not supported; after: shares the 128 (assumption).
    let c = cap(&basic, &Options::at(day("2025-10-01")));
    assert_eq!(
        rows(&c),
        vec![row("IkeV2", Some(0), 255, 0, "sku (not supported)")]
    );
    let c = cap(&basic, &Options::at(day("2025-11-01")));
    assert_eq!(rows(&c), vec![row("IkeV2", Some(128), 255, 128, "sku")]);
    assert!(c.assumptions.iter().any(|a| a.contains("P2S total of 128")));
    // No SKU: the pool alone.
    let c = cap(&replace(BASE, "      sku: VpnGw1AZ\n", ""), &opts());
    assert_eq!(
        rows(&c),
        vec![row("IkeV2", None, 255, 255, "pool (SKU unknown)")]
    );
    // Standard after June 2026 is computed as VpnGw1AZ.
    let std_sstp = replace(
        &replace(BASE, "sku: VpnGw1AZ", "sku: Standard"),
        "[IkeV2]",
        "[SSTP]",
    );
    let c = cap(&std_sstp, &Options::at(day("2026-07-01")));
    assert_eq!(c.effective_sku.as_deref(), Some("VpnGw1AZ"));
    assert_eq!(rows(&c), vec![row("SSTP", Some(128), 255, 128, "sku")]);
    // VpnGw5AZ with a /16: 10,000 by SKU, 65,535 by pool.
    let big = replace(
        &replace(BASE, "sku: VpnGw1AZ", "sku: VpnGw5AZ"),
        "172.16.0.0/24",
        "172.16.0.0/16",
    );
    assert_eq!(
        rows(&cap(&big, &opts())),
        vec![row("IkeV2", Some(10_000), 65_535, 10_000, "sku")]
    );
}

#[test]
fn capacity_serializes_to_json() {
    let c = cap(BASE, &opts());
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["gateway"], "hub-gw");
    assert_eq!(v["protocols"][0]["max_clients"], 250);
    assert_eq!(v["limits"][0]["kind"], "sku");
}

// ---- robustness ------------------------------------------------------------------------------

#[test]
fn hand_built_topology_with_dangling_names_does_not_panic() {
    use p2s_sim::model::{Connection, ConnectionPeer, Peering};
    let mut t = topology(BASE);
    t.peerings.push(Peering {
        vnet: "ghost".into(),
        remote: "hub".into(),
        allow_gateway_transit: true,
        use_remote_gateways: true,
        remote_address_space: None,
    });
    t.peerings.push(Peering {
        vnet: "hub".into(),
        remote: "hub".into(),
        allow_gateway_transit: true,
        use_remote_gateways: true,
        remote_address_space: Some(vec![]),
    });
    t.connections.push(Connection {
        name: "dangling".into(),
        gateway: "nope-gw".into(),
        peer: ConnectionPeer::Gateway("hub-gw".into()),
        bgp: true,
    });
    t.connections.push(Connection {
        name: "to-nowhere".into(),
        gateway: "hub-gw".into(),
        peer: ConnectionPeer::LocalNetwork("missing".into()),
        bgp: true,
    });
    let a = analyze(&t);
    let mut o = opts();
    o.home_networks = true;
    o.expected_clients = vec![(TunnelType::Sstp, 5)];
    let f = check(&t, &a, &o);
    // The dangling connection from an unknown gateway is skipped; the one to a missing local
    // network still has a gateway without BGP.
    assert_eq!(one(&f, "CONN002").subject, "to-nowhere");
    // Capacity is for the one real P2S gateway; the dangling names add none.
    let gateways: Vec<String> = capacity(&t, &a, &o)
        .into_iter()
        .map(|c| c.gateway)
        .collect();
    assert_eq!(gateways, ["hub-gw"]);
}
