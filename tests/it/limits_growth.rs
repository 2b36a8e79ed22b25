//! Headroom and sweeps against every limit the report holds (issue 10): client selectors, VNet
//! prefixes per gateway, peerings per VNet, BGP routes on a BGP neighbour, prefixes per local
//! network. Values worked out by hand in the comments; the headroom also against a from-scratch
//! oracle (the spokes added by `whatif::apply`, the pipeline run again).

use p2s_sim::model::Topology;
use p2s_sim::plan::whatif::{self, GatewayHeadroom, LimitHeadroom, Scenario, Strategy, SweepKind};
use p2s_sim::verdicts::findings;
use p2s_sim::Analyzed;

use crate::helpers::*;

/// Two hubs with P2S, one BGP domain (Vnet2Vnet with BGP both ways). hub-a: 2 own prefixes,
/// pool, hub-b's VNet (direct, Vnet2Vnet) and spoke-b's 3 prefixes (learned over BGP): 7
/// selectors, 3 BGP routes. hub-b: own 1, its transit spoke's 3, pool 1, 5 custom routes, hub-a's
/// 2 (direct): 12 selectors, 0 BGP routes (what it learns from hub-a it also has directly).
pub(crate) const TWO_HUBS: &str = "
vnets:
  - name: hub-a
    address_space: [10.0.0.0/16, 10.10.0.0/16]
    gateway:
      name: hub-a-gw
      sku: VpnGw1
      bgp: {asn: 65001}
      p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2, OpenVPN], auth_types: [Certificate]}
  - name: hub-b
    address_space: [10.20.0.0/16]
    gateway:
      name: hub-b-gw
      sku: VpnGw1
      bgp: {asn: 65002}
      custom_routes: [192.168.100.0/24, 192.168.101.0/24, 192.168.102.0/24, 192.168.103.0/24, 192.168.104.0/24]
      p2s: {address_pool: [172.17.0.0/24], tunnel_types: [IkeV2], auth_types: [Certificate]}
  - name: spoke-b
    address_space: [10.21.0.0/16, 10.22.0.0/16, 10.23.0.0/16]
peerings:
  - {vnet: hub-b, remote: spoke-b, allow_gateway_transit: true}
  - {vnet: spoke-b, remote: hub-b, use_remote_gateways: true}
connections:
  - {name: a-to-b, type: Vnet2Vnet, gateway: hub-a-gw, remote_gateway: hub-b-gw, bgp: true}
  - {name: b-to-a, type: Vnet2Vnet, gateway: hub-b-gw, remote_gateway: hub-a-gw, bgp: true}
";

fn rules() -> findings::Options {
    findings::Options::at(findings::Date::parse("2026-12-01").unwrap())
}

fn pipeline(t: &Topology) -> Analyzed {
    let rules = rules();
    p2s_sim::analyze(t, &p2s_sim::AnalyzeOptions::new(&rules))
}

/// (label, used, max, more prefixes, more spokes, over) per limit.
fn table(room: &GatewayHeadroom) -> Vec<(String, usize, usize, usize, usize, bool)> {
    room.limits
        .iter()
        .map(|l| (l.label(), l.used, l.max, l.prefixes, l.spokes, l.over))
        .collect()
}

fn row(
    label: &str,
    used: usize,
    max: usize,
    prefixes: usize,
    spokes: usize,
) -> (String, usize, usize, usize, usize, bool) {
    (label.to_string(), used, max, prefixes, spokes, used > max)
}

#[test]
fn headroom_of_the_bundled_hub_and_spoke_reads_every_limit_of_the_report() {
    // hub-weu-gw: 12 selectors (own 10.0.0.0/22 and 4 transit-spoke prefixes = 5 VNet
    // prefixes, the pool split in 2 for SSTP + IKEv2, 3 branch prefixes, hub-neu's VNet and
    // its spoke). Spokes of 2: legacy Windows 25 − 12 = 13 prefixes, 6 spokes; the others
    // 255 − 12 = 243, 121 spokes; VNet prefixes 600 − 5 = 595, 297 spokes; hub-weu has 4
    // peerings: 996 more spokes, their 1,992 prefixes. hub-neu-gw has no P2S: no neighbour rows,
    // and hub-weu's own BGP routes do not move with its own spokes (left out).
    let base = topology(&read(&repo().join("datasets/scenarios/hub-spoke.yaml")));
    let rooms = whatif::headroom(&pipeline(&base), 2);
    assert_eq!(rooms.len(), 1);
    assert_eq!(
        table(&rooms[0]),
        [
            row("windows-ikev2", 12, 255, 243, 121),
            row("windows-ikev2-legacy", 12, 25, 13, 6),
            row("macos-ikev2", 12, 255, 243, 121),
            row("ios-ikev2", 12, 255, 243, 121),
            row("linux-ikev2", 12, 255, 243, 121),
            row("vnet-prefixes", 5, 600, 595, 297),
            row("peerings", 4, 1000, 1992, 996),
        ]
    );
    assert_eq!(
        rooms[0].first_crossed.as_deref(),
        Some("windows-ikev2-legacy")
    );
}

#[test]
fn headroom_counts_the_spokes_prefixes_on_every_bgp_neighbour() {
    // Spokes on hub-a reach hub-b as routes learned over BGP: one more BGP route and one more
    // selector there per prefix. hub-b's legacy Windows has 25 − 12 = 13 left, fewer than
    // hub-a's own 25 − 7 = 18, so it is crossed first (at 14 one-prefix spokes).
    let base = topology(TWO_HUBS);
    let rooms = whatif::headroom(&pipeline(&base), 1);
    assert_eq!(
        table(&rooms[0]),
        [
            row("windows-ikev2", 7, 255, 248, 248),
            row("windows-ikev2-legacy", 7, 25, 18, 18),
            row("macos-ikev2", 7, 255, 248, 248),
            row("ios-ikev2", 7, 255, 248, 248),
            row("linux-ikev2", 7, 255, 248, 248),
            row("openvpn", 7, 1000, 993, 993),
            row("vnet-prefixes", 2, 600, 598, 598),
            row("peerings", 0, 1000, 1000, 1000),
            row("windows-ikev2 on hub-b-gw", 12, 255, 243, 243),
            row("windows-ikev2-legacy on hub-b-gw", 12, 25, 13, 13),
            row("macos-ikev2 on hub-b-gw", 12, 255, 243, 243),
            row("ios-ikev2 on hub-b-gw", 12, 255, 243, 243),
            row("linux-ikev2 on hub-b-gw", 12, 255, 243, 243),
            row("bgp-routes on hub-b-gw", 0, 4000, 4000, 4000),
        ]
    );
    assert_eq!(
        rooms[0].first_crossed.as_deref(),
        Some("windows-ikev2-legacy on hub-b-gw")
    );
    // hub-b's spokes reach hub-a: its 3 BGP routes (spoke-b) leave 3,997; 8-prefix spokes:
    // ⌊3,997 / 8⌋ = 499. hub-b has one peering: 999 spokes, 7,992 prefixes.
    let rooms = whatif::headroom(&pipeline(&base), 8);
    let b = table(&rooms[1]);
    assert!(
        b.contains(&row("bgp-routes on hub-a-gw", 3, 4000, 3997, 499)),
        "{b:?}"
    );
    assert!(b.contains(&row("peerings", 1, 1000, 7992, 999)), "{b:?}");
    assert!(b.contains(&row("vnet-prefixes", 4, 600, 596, 74)), "{b:?}");
}

/// [`TWO_HUBS`] and a third hub, hub-c (one prefix, IKEv2), joined to hub-a by Vnet2Vnet with
/// BGP: one domain of three. The domain list is the 7 VNet prefixes of hub-a (2), hub-b (1),
/// spoke-b (3) and hub-c (1).
fn three_hubs() -> String {
    let with_hub_c = TWO_HUBS.replace(
        "  - name: spoke-b\n",
        "  - name: hub-c
    address_space: [10.30.0.0/16]
    gateway:
      name: hub-c-gw
      sku: VpnGw1
      bgp: {asn: 65003}
      p2s: {address_pool: [172.18.0.0/24], tunnel_types: [IkeV2], auth_types: [Certificate]}
  - name: spoke-b\n",
    );
    with_hub_c
        + "  - {name: a-to-c, type: Vnet2Vnet, gateway: hub-a-gw, remote_gateway: hub-c-gw, bgp: true}
  - {name: c-to-a, type: Vnet2Vnet, gateway: hub-c-gw, remote_gateway: hub-a-gw, bgp: true}
"
}

#[test]
fn headroom_shows_each_neighbour_limit_for_the_tightest_neighbour() {
    // hub-a: own 2, pool, hub-b and hub-c (direct), spoke-b's 3 (learned): 8 selectors.
    // hub-b: 12 as in TWO_HUBS plus hub-c's prefix (learned): 13 selectors, 1 BGP route.
    // hub-c: own, pool, hub-a's 2 (direct), hub-b and spoke-b (learned, 4): 8 selectors,
    // 4 BGP routes. From hub-a, the client limits are tightest on hub-b (13 used) and the BGP
    // routes on hub-c (4 used); hub-b's legacy Windows (25 − 13 = 12) goes first.
    let base = topology(&three_hubs());
    let rooms = whatif::headroom(&pipeline(&base), 1);
    let of_two = |what: &str| format!("{what} (the tightest of 2 BGP neighbours)");
    assert_eq!(
        table(&rooms[0]),
        [
            row("windows-ikev2", 8, 255, 247, 247),
            row("windows-ikev2-legacy", 8, 25, 17, 17),
            row("macos-ikev2", 8, 255, 247, 247),
            row("ios-ikev2", 8, 255, 247, 247),
            row("linux-ikev2", 8, 255, 247, 247),
            row("openvpn", 8, 1000, 992, 992),
            row("vnet-prefixes", 2, 600, 598, 598),
            row("peerings", 0, 1000, 1000, 1000),
            row(&of_two("windows-ikev2 on hub-b-gw"), 13, 255, 242, 242),
            row(&of_two("windows-ikev2-legacy on hub-b-gw"), 13, 25, 12, 12),
            row(&of_two("macos-ikev2 on hub-b-gw"), 13, 255, 242, 242),
            row(&of_two("ios-ikev2 on hub-b-gw"), 13, 255, 242, 242),
            row(&of_two("linux-ikev2 on hub-b-gw"), 13, 255, 242, 242),
            row(&of_two("bgp-routes on hub-c-gw"), 4, 4000, 3996, 3996),
        ]
    );
    assert_eq!(
        rooms[0].first_crossed.as_deref(),
        Some(of_two("windows-ikev2-legacy on hub-b-gw").as_str())
    );
    // From hub-c, hub-a (8 used) and hub-b (13) are the neighbours: hub-b is tightest for the
    // clients, hub-a has no BGP route to spare less than hub-b's 1 (hub-a learns spoke-b: 3).
    let c = table(&rooms[2]);
    assert!(
        c.contains(&row(
            &of_two("windows-ikev2-legacy on hub-b-gw"),
            13,
            25,
            12,
            12
        )),
        "{c:?}"
    );
    assert!(
        c.contains(&row(&of_two("bgp-routes on hub-a-gw"), 3, 4000, 3997, 3997)),
        "{c:?}"
    );
    // The oracle: what the tightest neighbour shows is where a from-scratch what-if crosses.
    for k in [1, 8] {
        check_against_the_oracle("three hubs", &base, k);
    }
}

/// `base` with `count` spokes of `k` prefixes peered with `hub`, as a what-if adds them.
fn with_spokes(base: &Topology, hub: &str, count: usize, k: usize) -> Result<Topology, String> {
    if count == 0 {
        return Ok(base.clone());
    }
    let text = format!(
        "changes:\n  - add_spokes: {{hub: {hub}, count: {count}, prefixes_per_spoke: {k}}}\n"
    );
    let scenario = Scenario::parse("oracle.yaml", &text).unwrap();
    whatif::apply(base, &scenario, "oracle.yaml").map_err(|e| e.to_string())
}

/// Whether a headroom limit of `room` is over in `analyzed`, read the way a user reads the
/// report: a client entry's status, or the LIM finding on the resource.
fn is_over(analyzed: &Analyzed, room: &GatewayHeadroom, limit: &LimitHeadroom) -> bool {
    let gateway = limit.gateway.as_deref().unwrap_or(&room.gateway);
    let finding = |code: &str, subject: &str| {
        analyzed
            .report
            .findings
            .iter()
            .any(|f| f.code == code && f.subject == subject)
    };
    match limit.limit.as_str() {
        "vnet-prefixes" => finding("LIM002", gateway),
        "bgp-routes" => finding("LIM003", gateway),
        "peerings" => finding("LIM006", &room.vnet),
        client => analyzed
            .report
            .gateways
            .iter()
            .find(|g| g.name == gateway)
            .and_then(|g| g.clients.iter().find(|c| c.client == client))
            .is_some_and(|c| c.check.is_over()),
    }
}

/// The oracle: for every limit within reach, `spokes` more spokes keep it within its limit and
/// one more crosses it (so the first crossed limit is crossed exactly at its headroom + 1).
/// Past 1,000 peerings on the hub a what-if refuses the spokes: that is the peerings limit.
fn check_against_the_oracle(name: &str, base: &Topology, k: usize) {
    let rooms = whatif::headroom(&pipeline(base), k);
    for room in &rooms {
        let mut runs: std::collections::BTreeMap<usize, Result<Analyzed, String>> =
            Default::default();
        let mut at = |n: usize| {
            runs.entry(n)
                .or_insert_with(|| with_spokes(base, &room.vnet, n, k).map(|t| pipeline(&t)))
                .clone()
        };
        for limit in room.limits.iter().filter(|l| !l.over && l.spokes < 1000) {
            let what = format!("{name}, k = {k}, {}: {}", room.gateway, limit.label());
            let before = at(limit.spokes).unwrap();
            assert!(
                !is_over(&before, room, limit),
                "{what}: over at {}",
                limit.spokes
            );
            match at(limit.spokes + 1) {
                Ok(after) => assert!(is_over(&after, room, limit), "{what}: not over at +1"),
                Err(e) => assert!(
                    limit.limit == "peerings" && e.contains("1001 peerings"),
                    "{what}: {e}"
                ),
            }
        }
        let first = room.first_crossed.as_deref().expect("a limit");
        let fewest = room.limits.iter().map(|l| l.spokes).min().unwrap();
        let crossed = room.limits.iter().find(|l| l.label() == first).unwrap();
        assert_eq!(crossed.spokes, fewest, "{name}: {first}");
        // Nothing the headroom leaves out crosses earlier: up to the fewest spokes, no client
        // on any gateway and no resource limit is over that was not over already.
        if fewest < 1000 {
            let base_over = everything_over(&at(0).unwrap());
            let then = everything_over(&at(fewest).unwrap());
            assert!(
                then.is_subset(&base_over),
                "{name}, k = {k}, {}: {then:?}",
                room.gateway
            );
        }
    }
}

/// Every client over its limit (gateway, kind) and every resource-limit finding (code,
/// resource) of a report.
fn everything_over(analyzed: &Analyzed) -> std::collections::BTreeSet<(String, String)> {
    let clients = analyzed.report.gateways.iter().flat_map(|g| {
        g.clients
            .iter()
            .filter(|c| c.check.is_over())
            .map(|c| (g.name.clone(), c.client.clone()))
    });
    let resources = analyzed
        .report
        .findings
        .iter()
        .filter(|f| ["LIM001", "LIM002", "LIM003", "LIM006"].contains(&f.code.as_str()))
        .map(|f| (f.code.clone(), f.subject.clone()));
    clients.chain(resources).collect()
}

#[test]
fn headroom_is_where_a_from_scratch_what_if_crosses_each_limit() {
    let dir = repo().join("datasets/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.yaml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 9);
    for path in &files {
        let base = topology(&read(path));
        for k in [1, 3] {
            check_against_the_oracle(&path.display().to_string(), &base, k);
        }
    }
    // The BGP neighbour: with 8-prefix spokes hub-b's BGP routes (0 + 8n > 4,000 at n = 501)
    // and hub-a's (3 + 8n > 4,000 at n = 500) are within reach.
    for k in [1, 8] {
        check_against_the_oracle("two hubs", &topology(TWO_HUBS), k);
    }
}

fn run(base: &Topology, plan: &whatif::SweepPlan<'_>) -> whatif::SweepResult {
    let fast = whatif::sweep_with(base, plan, &rules(), Strategy::Incremental).unwrap();
    let full = whatif::sweep_with(base, plan, &rules(), Strategy::FromScratch).unwrap();
    assert_eq!(fast, full, "{plan:?}");
    fast
}

fn rejected(r: &whatif::SweepResult) -> Vec<(usize, Vec<String>)> {
    r.rows
        .iter()
        .map(|row| (row.step, row.rejected.clone()))
        .collect()
}

fn codes(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

/// (code, first step, already over, range starts over) per resource limit crossed.
fn firsts(r: &whatif::SweepResult) -> Vec<(String, Option<usize>, bool, bool)> {
    r.first_rejected
        .iter()
        .map(|f| {
            (
                f.client.clone(),
                f.step,
                f.already_over,
                f.range_starts_over,
            )
        })
        .collect()
}

#[test]
fn sweeps_mark_each_resource_limit_where_worked_out_by_hand_both_ways() {
    let isolated = topology(&read(
        &repo().join("datasets/scenarios/1-isolated-vnet.yaml"),
    ));
    // LIM001: one local network past 1,000 prefixes (1,100 and 1,200).
    let steps = whatif::parse_steps("0..1200:100").unwrap();
    let kind = SweepKind::LocalPrefixes { bgp: false };
    let plan = whatif::SweepPlan {
        hub: "vnet1-gw",
        watch: None,
        kind: &kind,
        steps: &steps,
        flag: "--add-local-prefixes 0..1200:100",
    };
    let r = run(&isolated, &plan);
    let mut want: Vec<(usize, Vec<String>)> = (0..=10).map(|i| (i * 100, codes(&[]))).collect();
    want.push((1100, codes(&["LIM001"])));
    want.push((1200, codes(&["LIM001"])));
    assert_eq!(rejected(&r), want);
    assert_eq!(firsts(&r), [("LIM001".into(), Some(1100), false, false)]);

    // LIM002: 3-prefix spokes, 1 + 3n VNet prefixes > 600 from n = 200.
    let steps = whatif::parse_steps("0..300:50").unwrap();
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 3,
    };
    let plan = whatif::SweepPlan {
        hub: "vnet1",
        steps: &steps,
        kind: &kind,
        flag: "--add-spokes 0..300:50",
        ..plan
    };
    let r = run(&isolated, &plan);
    assert_eq!(
        rejected(&r),
        [
            (0, codes(&[])),
            (50, codes(&[])),
            (100, codes(&[])),
            (150, codes(&[])),
            (200, codes(&["LIM002"])),
            (250, codes(&["LIM002"])),
            (300, codes(&["LIM002"])),
        ]
    );
    assert_eq!(firsts(&r), [("LIM002".into(), Some(200), false, false)]);

    // LIM003 on the BGP neighbour: a BGP branch on hub-a with n prefixes is learned by hub-b,
    // 0 + n > 4,000 from 4,001; the branch is past 1,000 prefixes (LIM001) from the range's
    // first step on, so that break is "at or before 3,990", not "at 3,990".
    let two = topology(TWO_HUBS);
    let steps = whatif::parse_steps("3990..4010:10").unwrap();
    let kind = SweepKind::LocalPrefixes { bgp: true };
    let plan = whatif::SweepPlan {
        hub: "hub-a-gw",
        watch: Some("hub-b-gw"),
        kind: &kind,
        steps: &steps,
        flag: "--add-local-prefixes 3990..4010:10",
    };
    let r = run(&two, &plan);
    assert_eq!(
        rejected(&r),
        [
            (3990, codes(&["LIM001"])),
            (4000, codes(&["LIM001"])),
            (4010, codes(&["LIM001", "LIM003"])),
        ]
    );
    assert_eq!(
        firsts(&r),
        [
            ("LIM001".into(), Some(3990), false, true),
            ("LIM003".into(), Some(4010), false, false),
        ]
    );
    // hub-b's clients see every learned prefix: 12 + 4,010.
    assert_eq!(r.rows[2].clients[0].check.selectors, Some(12 + 4010));

    // LIM003 from spokes: 8-prefix spokes on hub-a, 8n > 4,000 on hub-b from n = 501; hub-a's
    // VNet prefixes 2 + 8n > 600 from n = 75, so LIM002 is over from the range's first step.
    let steps = [499, 501, 503];
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 8,
    };
    let plan = whatif::SweepPlan {
        hub: "hub-a",
        kind: &kind,
        steps: &steps,
        flag: "--add-spokes",
        ..plan
    };
    let r = run(&two, &plan);
    assert_eq!(
        rejected(&r),
        [
            (499, codes(&["LIM002"])),
            (501, codes(&["LIM002", "LIM003"])),
            (503, codes(&["LIM002", "LIM003"])),
        ]
    );
    assert_eq!(
        firsts(&r),
        [
            ("LIM002".into(), Some(499), false, true),
            ("LIM003".into(), Some(501), false, false),
        ]
    );
}

#[test]
fn errors_in_the_sweeps_own_change_name_the_flag() {
    // Private space holds about 86,000 free /24s: 100,000 new local-network prefixes do not fit.
    let out = p2s([
        "sweep",
        "datasets/scenarios/hub-spoke.yaml",
        "--add-local-prefixes",
        "0..100000:50000",
    ])
    .run();
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr(),
        "p2s-sim: error: --add-local-prefixes 0..100000:50000: not enough free private address \
         space for the 100000 new /24 prefixes of the largest step: sweep a smaller range\n"
    );
    // The builder's check on the change the sweep makes: its local network's name is taken.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken.yaml");
    std::fs::write(
        &file,
        "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n    gateway:\n      name: hub-gw\n      \
         p2s: {address_pool: [172.16.0.0/24], tunnel_types: [IkeV2], auth_types: [Certificate]}\n\
         local_networks:\n  - {name: sweep-branch, address_space: [192.168.50.0/24]}\n",
    )
    .unwrap();
    let out = p2s(["sweep", "--add-local-prefixes", "0..10:5"])
        .arg(&file)
        .run();
    assert_eq!(out.code(), Some(2));
    // The name is taken by the file's first local network: the error names it there.
    assert_eq!(
        out.stderr(),
        format!(
            "p2s-sim: error: --add-local-prefixes 0..10:5: duplicate local network name \
             'sweep-branch' (first defined at {}: local_networks[0]); names must be unique per \
             kind — rename one of them\n",
            file.display()
        )
    );
    // add_spokes' own bound, reported by the what-if change the sweep makes.
    let out = p2s([
        "sweep",
        "datasets/scenarios/hub-spoke.yaml",
        "--add-spokes",
        "0..600000:300000",
        "-k",
        "2",
    ])
    .run();
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr(),
        "p2s-sim: error: --add-spokes 0..600000:300000: 600000 spoke(s) × 2 prefixes is more than \
         the 1000000 new prefixes p2s-sim adds in one step (a gateway takes 600 VNet prefixes; no \
         flag raises this)\n"
    );
}
