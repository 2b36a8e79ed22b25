//! What-if, headroom, sweep and batch: data-driven cases with hand-worked results
//! (`tests/whatif_cases/*.yaml`) and the properties that tie the commands together.

use std::path::Path;

use p2s_sim::engine::{analyze, Status};
use p2s_sim::model::{Topology, TopologyError};
use p2s_sim::plan::whatif::{self, Scenario, SweepKind};
use p2s_sim::report::ListLimit;
use p2s_sim::verdicts::findings;
use serde_json::Value;

use crate::helpers::*;

/// The rules the pipeline runs with in these tests (what sweeps and headroom read does not
/// depend on the day).
fn rules() -> findings::Options {
    findings::Options::at(findings::Date::parse("2026-12-01").unwrap())
}

/// A sweep as the library runs it, its own change named `--sweep-flag` in errors.
fn sweep_with(
    base: &Topology,
    hub: &str,
    watch: Option<&str>,
    kind: &SweepKind,
    steps: &[usize],
    strategy: whatif::Strategy,
) -> Result<whatif::SweepResult, TopologyError> {
    let plan = whatif::SweepPlan {
        hub,
        watch,
        kind,
        steps,
        flag: "--sweep-flag",
    };
    whatif::sweep_with(base, &plan, &rules(), strategy)
}

/// [`sweep_with`] the default (incremental) way.
fn sweep(
    base: &Topology,
    hub: &str,
    watch: Option<&str>,
    kind: &SweepKind,
    steps: &[usize],
) -> Result<whatif::SweepResult, TopologyError> {
    sweep_with(base, hub, watch, kind, steps, whatif::Strategy::Incremental)
}

/// The headroom of a topology, from the pipeline as `headroom` runs it.
fn headroom_of(base: &Topology, prefixes_per_spoke: usize) -> Vec<whatif::GatewayHeadroom> {
    let rules = rules();
    whatif::headroom(
        &p2s_sim::analyze(base, &p2s_sim::AnalyzeOptions::new(&rules)),
        prefixes_per_spoke,
    )
}

/// The what-if cases, in name order.
fn case_paths() -> Vec<std::path::PathBuf> {
    let dir = repo().join("tests/whatif_cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

/// A case's base topology and the topology after its scenario.
fn case_topologies(path: &Path) -> Result<(Topology, Topology), String> {
    let case: Value = serde_saphyr::from_str(&read(path)).map_err(|e| e.to_string())?;
    let dir = path.parent().unwrap();
    let base = topology(&read(&dir.join(case["base"].as_str().expect("base"))));
    let scenario = match case["scenario"].as_str() {
        Some(file) => {
            let p = dir.join(file);
            Scenario::parse(&p.display().to_string(), &read(&p)).map_err(|e| e.to_string())?
        }
        None => {
            let inline = serde_json::json!({"changes": case["changes"]}).to_string();
            Scenario::parse("case", &inline).map_err(|e| e.to_string())?
        }
    };
    let after = whatif::apply(&base, &scenario, "case").map_err(|e| e.to_string())?;
    Ok((base, after))
}

fn run_case(path: &Path) -> Result<Value, String> {
    let (base, after) = case_topologies(path)?;
    let comparison = whatif::compare(&analyze(&base), &analyze(&after), ListLimit::UNLIMITED);
    Ok(serde_json::to_value(comparison).unwrap())
}

#[test]
fn every_whatif_case_matches_its_hand_worked_results() {
    let paths = case_paths();
    assert!(paths.len() >= 8);
    let mut failures = Vec::new();
    for path in paths {
        let case: Value = serde_saphyr::from_str(&read(&path)).unwrap();
        let name = path.display().to_string();
        match (run_case(&path), case.get("error")) {
            (Ok(actual), None) => check_subset(&case["expect"], &actual, &name, &mut failures),
            (Err(message), Some(needles)) => {
                for needle in needles.as_array().unwrap() {
                    if !message.contains(needle.as_str().unwrap()) {
                        failures.push(format!("{name}: message {message:?} lacks {needle}"));
                    }
                }
            }
            (Ok(_), Some(_)) => failures.push(format!("{name}: expected an error")),
            (Err(message), None) => failures.push(format!("{name}: {message}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_first_breaking_step_for_legacy_windows_is_where_headroom_ends() {
    // Isolated VNet: 10.1.0.0/16 + pool = 2 selectors. Legacy Windows takes 25, so 23 more
    // prefixes fit: one-prefix spokes break at 24, two-prefix spokes at 12 (2 + 24 = 26).
    let base = topology(&read(
        &repo().join("datasets/scenarios/1-isolated-vnet.yaml"),
    ));
    for (k, expected) in [(1usize, 24usize), (2, 12), (3, 8)] {
        let rooms = headroom_of(&base, k);
        let legacy = rooms[0]
            .limits
            .iter()
            .find(|l| l.limit == "windows-ikev2-legacy")
            .unwrap();
        assert_eq!(legacy.prefixes, 23);
        assert_eq!(legacy.spokes + 1, expected, "k = {k}");
        assert_eq!(
            rooms[0].first_crossed.as_deref(),
            Some("windows-ikev2-legacy")
        );
        let steps: Vec<usize> = (0..=40).collect();
        let result = sweep(
            &base,
            "vnet1",
            None,
            &SweepKind::Spokes {
                prefixes_per_spoke: k,
            },
            &steps,
        )
        .unwrap();
        let first = |id: &str| {
            result
                .first_breaking
                .iter()
                .find(|f| f.client == id)
                .unwrap()
                .step
        };
        assert_eq!(first("windows-ikev2-legacy"), Some(expected), "k = {k}");
        assert_eq!(first("windows-ikev2"), None);
        assert_eq!(first("openvpn"), None);
    }
}

#[test]
fn headroom_equals_what_a_sweep_finds_for_every_limit_and_gateway() {
    let base = topology(&read(&repo().join("datasets/scenarios/hub-spoke.yaml")));
    let rooms = headroom_of(&base, 1);
    let steps: Vec<usize> = (0..=260).collect();
    let result = sweep(
        &base,
        "hub-weu",
        None,
        &SweepKind::Spokes {
            prefixes_per_spoke: 1,
        },
        &steps,
    )
    .unwrap();
    for l in &rooms[0].limits {
        if let Some(f) = result.first_breaking.iter().find(|f| f.client == l.limit) {
            assert_eq!(f.step, Some(l.spokes + 1), "{}", l.limit);
        }
    }
}

#[test]
fn local_prefix_and_custom_route_sweeps_count_one_selector_per_prefix() {
    let base = topology(&read(
        &repo().join("datasets/scenarios/1-isolated-vnet.yaml"),
    ));
    let steps = whatif::parse_steps("0..30:5").unwrap();
    assert_eq!(steps, vec![0, 5, 10, 15, 20, 25, 30]);
    for kind in [
        SweepKind::LocalPrefixes { bgp: false },
        SweepKind::LocalPrefixes { bgp: true },
        SweepKind::CustomRoutes,
    ] {
        let r = sweep(&base, "vnet1-gw", None, &kind, &steps).unwrap();
        let adv: Vec<usize> = r.rows.iter().map(|row| row.advertised).collect();
        assert_eq!(adv, vec![2, 7, 12, 17, 22, 27, 32], "{kind:?}");
        let first = r
            .first_breaking
            .iter()
            .find(|f| f.client == "windows-ikev2-legacy")
            .unwrap();
        assert_eq!(first.step, Some(25), "{kind:?}");
    }
    assert!(whatif::parse_steps("10..0").is_err());
    assert!(whatif::parse_steps("0..10:0").is_err());
}

#[test]
fn sweeps_give_the_same_rows_on_one_thread_and_many() {
    let base = topology(&read(&repo().join("datasets/scenarios/hub-spoke.yaml")));
    let steps = whatif::parse_steps("0..200:7").unwrap();
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 2,
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let many = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let a = one.install(|| sweep(&base, "hub-weu", None, &kind, &steps).unwrap());
    let b = many.install(|| sweep(&base, "hub-weu", None, &kind, &steps).unwrap());
    assert_eq!(a, b);
}

#[test]
fn batch_goes_on_past_a_broken_file_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in ["1-isolated-vnet", "4-multi-s2s-bgp", "hub-spoke"]
        .iter()
        .enumerate()
    {
        std::fs::copy(
            repo().join(format!("datasets/scenarios/{name}.yaml")),
            dir.path().join(format!("{i}-{name}.yaml")),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("1a-broken.yaml"),
        "vnets:\n  - name: x\n    address_space: [10.0.0.0/99]\n",
    )
    .unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let out = p2s(["batch", "--as-of", "2026-12-01", "--format", "jsonl"])
        .args(&paths)
        .run();
    assert_eq!(out.code(), Some(2), "a failed input means exit 2");
    let records: Vec<Value> = out
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let got: Vec<&str> = records
        .iter()
        .map(|r| r["topology"].as_str().unwrap())
        .collect();
    assert_eq!(got, names, "input order");
    let broken = records
        .iter()
        .find(|r| r["topology"].as_str().unwrap().ends_with("1a-broken.yaml"))
        .unwrap();
    assert!(
        broken["error"]
            .as_str()
            .unwrap()
            .contains("address_space[0]"),
        "{broken}"
    );
    assert_eq!(records[0]["gateways"][0]["advertised_count"], 2);
    // the whole directory as one topology: the four files merged fail together
    let out = p2s(["batch", "--as-of", "2026-12-01", "--format", "jsonl"])
        .arg(dir.path())
        .run();
    assert_eq!(out.stdout().lines().count(), 1);
}

#[test]
fn batch_output_is_byte_identical_for_any_thread_count_and_shards_cover_all() {
    let mut paths: Vec<_> = std::fs::read_dir(repo().join("datasets/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.yaml"))
        .collect();
    paths.sort();
    let run = |extra: &[&str]| {
        p2s(["batch", "--as-of", "2026-12-01"])
            .args(extra)
            .args(&paths)
            .stdout_ok()
    };
    for format in ["jsonl", "csv", "table"] {
        let one = run(&["--format", format, "--jobs", "1"]);
        let four = run(&["--format", format, "--jobs", "4"]);
        assert_eq!(one, four, "{format}");
    }
    let all = run(&["--format", "jsonl"]);
    let mut sharded: Vec<String> = (0..3)
        .flat_map(|i| {
            run(&["--format", "jsonl", "--shard", &format!("{i}/3")])
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut whole: Vec<String> = all.lines().map(String::from).collect();
    sharded.sort();
    whole.sort();
    assert_eq!(sharded, whole);
    let unordered = run(&["--format", "jsonl", "--unordered", "--jobs", "4"]);
    let mut u: Vec<&str> = unordered.lines().collect();
    u.sort();
    let mut w: Vec<&str> = all.lines().collect();
    w.sort();
    assert_eq!(u, w);
}

#[cfg(unix)]
#[test]
fn batch_into_a_closed_pipe_ends_quietly() {
    let path = repo().join("datasets/scenarios/hub-spoke.yaml");
    let (first, out) = p2s([
        "batch",
        "--as-of",
        "2026-12-01",
        "--format",
        "jsonl",
        "--jobs",
        "2",
    ])
    .args(std::iter::repeat_n(&path, 400))
    .close_after_first_line();
    let record: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(record["gateways"][0]["advertised_count"], 12);
    assert_eq!(out.code(), Some(0));
    assert!(!out.stderr().contains("error"), "{}", out.stderr());
}

#[test]
fn a_sweep_on_a_bgp_neighbour_shows_when_the_other_hubs_clients_break() {
    // hub-spoke: hub-neu (no P2S) is hub-weu's BGP neighbour; every spoke added to hub-neu is
    // learned by hub-weu (12 selectors), so legacy Windows on hub-weu breaks at 14 new spokes.
    let base = topology(&read(&repo().join("datasets/scenarios/hub-spoke.yaml")));
    let steps: Vec<usize> = (0..=20).collect();
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 1,
    };
    let r = sweep(&base, "hub-neu", Some("hub-weu-gw"), &kind, &steps).unwrap();
    let first = r
        .first_breaking
        .iter()
        .find(|f| f.client == "windows-ikev2-legacy")
        .unwrap();
    assert_eq!(first.step, Some(14));
    assert_eq!(r.rows[3].advertised, 15);
    let e = sweep(&base, "hub-neu", None, &kind, &steps).unwrap_err();
    assert!(
        e.message.contains("--gateway") && e.message.contains("hub-weu-gw"),
        "{e}"
    );
    // Errors about flags name the flag, not a file.
    assert_eq!(
        e.to_string(),
        "--hub: VNet 'hub-neu' has no gateway with a P2S configuration: name the gateway whose \
         clients to watch with --gateway (P2S gateways: hub-weu-gw)"
    );
    let e = sweep(&base, "nowhere", None, &kind, &steps).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--hub nowhere: no VNet or gateway of that name"
    );
}

/// Sweeps respect Azure's resource limits, not only selector limits, and never call the first
/// step of a range "breaking" when the state before it was already over (issue 10).
#[test]
fn sweep_reports_the_first_step_azure_rejects_and_never_blames_a_range_start() {
    let base = topology(&read(&repo().join("datasets/scenarios/hub-spoke.yaml")));
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 2,
    };
    // By hand: hub-weu's VNet prefixes with transit spokes are 10.0.0.0/22, spoke-app,
    // spoke-data (2) and spoke-shared = 5 (spoke-sandbox does not use remote gateways); with
    // n new spokes of 2 prefixes, 5 + 2n > 600 first at n = 298 (LIM002).
    let steps: Vec<usize> = (290..=300).collect();
    let r = sweep(&base, "hub-weu", None, &kind, &steps).unwrap();
    let lim = r
        .first_rejected
        .iter()
        .find(|f| f.client == "LIM002")
        .unwrap();
    assert_eq!((lim.step, lim.already_over), (Some(298), false));
    assert!(!lim.range_starts_over);
    let row = |n: usize| r.rows.iter().find(|row| row.step == n).unwrap();
    assert!(row(297).rejected.is_empty());
    assert_eq!(row(298).rejected, ["LIM002"]);
    // A range that starts over says so instead of naming its first step as the break.
    let r = sweep(&base, "hub-weu", None, &kind, &[300, 310]).unwrap();
    let lim = r
        .first_rejected
        .iter()
        .find(|f| f.client == "LIM002")
        .unwrap();
    assert_eq!((lim.step, lim.range_starts_over), (Some(300), true));
    // windows-ikev2-legacy: 12 selectors today (hub-spoke.expected.yaml), + 2 per spoke: over 25
    // from n = 7; a range 10..20 starts over, so no "breaking step" 10 without that note.
    let r = sweep(&base, "hub-weu", None, &kind, &[10, 20]).unwrap();
    let legacy = r
        .first_breaking
        .iter()
        .find(|f| f.client == "windows-ikev2-legacy")
        .unwrap();
    assert_eq!((legacy.step, legacy.range_starts_over), (Some(10), true));
    // Already over before the sweep: no step of the range breaks it.
    let many: Vec<String> = (0..601)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect();
    let over = topology(&hub(&many, "172.16.0.0/24", "OpenVPN"));
    let r = sweep(&over, "hub", None, &kind, &[0, 1]).unwrap();
    let lim = r
        .first_rejected
        .iter()
        .find(|f| f.client == "LIM002")
        .unwrap();
    assert_eq!((lim.step, lim.already_over), (None, true));
}

/// Past Azure's 1,000 peerings per VNet a sweep goes on and marks the steps rejected (LIM006)
/// instead of refusing the whole sweep; a what-if scenario is still refused up front.
#[test]
fn sweep_past_1000_peerings_marks_the_steps_rejected_by_azure() {
    let base = topology(&read(&repo().join("datasets/scenarios/hub-spoke.yaml")));
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 2,
    };
    // By hand: hub-weu holds 4 peerings (to spoke-app, -data, -shared, -sandbox); each new
    // spoke adds one, so 996 spokes give 1,000 and 997 give 1,001 (over). LIM002 (600 VNet
    // prefixes) is over from 298 spokes on (test above).
    let r = sweep(&base, "hub-weu", None, &kind, &[0, 995, 996, 997, 2000]).unwrap();
    let rejected: Vec<(usize, Vec<String>)> = r
        .rows
        .iter()
        .map(|row| (row.step, row.rejected.clone()))
        .collect();
    let codes = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rejected,
        [
            (0, codes(&[])),
            (995, codes(&["LIM002"])),
            (996, codes(&["LIM002"])),
            (997, codes(&["LIM002", "LIM006"])),
            (2000, codes(&["LIM002", "LIM006"])),
        ]
    );
    let lim = r
        .first_rejected
        .iter()
        .find(|f| f.client == "LIM006")
        .unwrap();
    assert_eq!((lim.step, lim.already_over), (Some(997), false));
    // windows-ikev2-legacy: 12 + 2 per spoke at 2,000 spokes.
    let legacy = r.rows[4]
        .clients
        .iter()
        .find(|c| c.client == "windows-ikev2-legacy")
        .unwrap();
    assert_eq!(legacy.check.selectors, Some(12 + 2 * 2000));
    let scenario = Scenario::parse(
        "s.yaml",
        "changes:\n  - add_spokes: {hub: hub-weu, count: 997, prefixes_per_spoke: 1}\n",
    )
    .unwrap();
    let e = whatif::apply(&base, &scenario, "s.yaml").unwrap_err();
    assert!(e.message.contains("1001 peerings"), "{}", e.message);
}

mod incremental_sweeps {
    use p2s_sim::model::generate::{generate, GenerateOptions};
    use p2s_sim::plan::whatif::{Strategy as SweepStrategy, SweepKind};
    use proptest::prelude::*;

    use super::sweep_with;
    use crate::helpers::*;

    fn kind() -> impl Strategy<Value = SweepKind> {
        prop_oneof![
            (1..4usize).prop_map(|p| SweepKind::Spokes {
                prefixes_per_spoke: p
            }),
            any::<bool>().prop_map(|bgp| SweepKind::LocalPrefixes { bgp }),
            Just(SweepKind::CustomRoutes),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Each step from the previous one's state gives exactly what the pipeline gives on
        /// every step: rows (client cells and rejected codes), first breaking and first
        /// rejected steps, and errors.
        #[test]
        fn equal_the_from_scratch_sweep_on_random_topologies_and_ranges(
            dataset in 0..5usize,
            hubs in 1..4usize,
            spokes in 0..4usize,
            prefixes in 1..4usize,
            local_networks in 0..3usize,
            v2v in any::<bool>(),
            bgp in any::<bool>(),
            seed in 0..1000u64,
            kind in kind(),
            start in 0..30usize,
            // Small steps, and steps that reach past 1,000 prefixes per local network
            // (LIM001), 600 VNet prefixes (LIM002) and 1,000 peerings (LIM006).
            step in prop_oneof![1..40usize, 100..450usize],
            // Start near 4,000 new prefixes: past the BGP routes of a neighbour (LIM003).
            far in any::<bool>(),
            count in 1..12usize,
            hub_pick in 0..4usize,
            watch_other in any::<bool>(),
        ) {
            let files = [
                "hub-spoke.yaml",
                "4-multi-s2s-bgp.yaml",
                "8-multi-vnet-s2s-branch-bgp.yaml",
                "2-multi-peered.yaml",
            ];
            let base = if dataset == 4 {
                topology(crate::limits_growth::TWO_HUBS)
            } else if dataset == 0 {
                generate(&GenerateOptions {
                    hubs,
                    spokes_per_hub: spokes,
                    prefixes_per_vnet: prefixes,
                    local_networks,
                    v2v_mesh: v2v,
                    mesh_degree: 2,
                    bgp,
                    seed,
                })
                .unwrap()
            } else {
                topology(&read(&repo().join("datasets/scenarios").join(files[dataset])))
            };
            let p2s: Vec<String> = base
                .gateways()
                .filter(|(_, g)| g.p2s.is_some())
                .map(|(_, g)| g.name.clone())
                .collect();
            prop_assume!(!p2s.is_empty());
            let hub = &p2s[hub_pick % p2s.len()];
            let watch = (watch_other && p2s.len() > 1).then(|| p2s[(hub_pick + 1) % p2s.len()].as_str());
            let start = if far { start + 3990 } else { start };
            let steps: Vec<usize> = (0..count).map(|i| start + i * step).collect();
            let run = |s| sweep_with(&base, hub, watch, &kind, &steps, s);
            let fast = run(SweepStrategy::Incremental);
            let full = run(SweepStrategy::FromScratch);
            prop_assert_eq!(fast, full);
        }
    }
}

/// On a real Azure quickstart template (datasets/samples, provenance there): the hub VNet
/// 10.1.0.0/16 and the pool 172.16.0.0/24 are OpenVPN's 2 routes; each spoke of 2 prefixes adds
/// 2, so 2 + 2n: 1,000 at n = 499 (ok), 1,002 at n = 500 (over 1,000). VNet prefixes 1 + 2n pass
/// 600 at n = 300 (LIM002); peerings pass 1,000 at n = 1,001 (LIM006). Both strategies agree.
#[test]
fn sweep_of_a_real_template_counts_by_hand_and_both_strategies_agree() {
    let text = read(&repo().join("datasets/samples/qs-point-to-site-aad.azuredeploy.json"));
    let base = p2s_sim::read::read_topology(&[p2s_sim::read::Source {
        name: "qs-point-to-site-aad.azuredeploy.json".into(),
        text,
    }])
    .unwrap();
    let gw = base
        .gateways()
        .find(|(_, g)| g.p2s.is_some())
        .unwrap()
        .1
        .name
        .clone();
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 2,
    };
    let steps = [0, 299, 300, 499, 500, 1001];
    let run = |s| sweep_with(&base, &gw, None, &kind, &steps, s).unwrap();
    let r = run(whatif::Strategy::Incremental);
    assert_eq!(r, run(whatif::Strategy::FromScratch));
    let got: Vec<(usize, usize, Status, Vec<String>)> = r
        .rows
        .iter()
        .map(|row| {
            let c = &row.clients[0];
            assert_eq!(c.client, "openvpn");
            (
                row.step,
                c.check.selectors.unwrap(),
                c.check.status,
                row.rejected.clone(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        [
            (0, 2, Status::Ok, s(&[])),
            (299, 600, Status::Ok, s(&[])),
            (300, 602, Status::Ok, s(&["LIM002"])),
            (499, 1000, Status::Ok, s(&["LIM002"])),
            (500, 1002, Status::OverLimit, s(&["LIM002"])),
            (1001, 2004, Status::OverLimit, s(&["LIM002", "LIM006"])),
        ]
    );
}

/// The same agreement on a real azure-cli test recording with a P2S gateway.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn incremental_and_full_sweeps_agree_on_a_real_recording() {
    let path = repo().join(
        "../shared/samples/exports/azure-cli-recordings/test_network_vnet_gateway_allow_traffic.yaml",
    );
    let base = p2s_sim::read::read_topology(&[p2s_sim::read::Source {
        name: "test_network_vnet_gateway_allow_traffic.yaml".into(),
        text: read(&path),
    }])
    .unwrap();
    let gw = base
        .gateways()
        .find(|(_, g)| g.p2s.is_some())
        .unwrap()
        .1
        .name
        .clone();
    for kind in [
        SweepKind::Spokes {
            prefixes_per_spoke: 3,
        },
        SweepKind::CustomRoutes,
        SweepKind::LocalPrefixes { bgp: false },
    ] {
        let steps: Vec<usize> = (0..=400).step_by(20).collect();
        let run = |s| sweep_with(&base, &gw, None, &kind, &steps, s).unwrap();
        let r = run(whatif::Strategy::Incremental);
        assert_eq!(r, run(whatif::Strategy::FromScratch), "{kind:?}");
        // One selector per new prefix: the last step adds 400 units to step 0's count.
        let per_unit = if let SweepKind::Spokes { .. } = kind {
            3
        } else {
            1
        };
        let (first, last) = (&r.rows[0].clients[0], &r.rows[20].clients[0]);
        assert_eq!(
            last.check.selectors.unwrap(),
            first.check.selectors.unwrap() + 400 * per_unit,
            "{kind:?}"
        );
    }
}

#[test]
fn markdown_pages_escape_names_in_headings_and_items() {
    // A gateway name with markup in it: `<` would open an HTML tag and `|` a table cell.
    let dir = tempfile::tempdir().unwrap();
    let text =
        read(&repo().join("datasets/scenarios/hub-spoke.yaml")).replace("hub-weu-gw", "gw<b>|1");
    let topo = write(dir.path(), "t.yaml", &text);
    let topo = topo.to_str().unwrap();
    let page = p2s(["headroom", topo, "--format", "markdown"]).stdout_ok();
    assert!(
        page.starts_with("### Gateway gw&lt;b>\\|1 (VNet hub-weu)\n"),
        "{page}"
    );
    let scenario = write(
        dir.path(),
        "s.yaml",
        "changes:\n  - add_spokes: {hub: hub-weu, count: 20, prefixes_per_spoke: 1}\n",
    );
    let args = ["whatif", topo, "--scenario", scenario.to_str().unwrap()];
    let page = p2s(args)
        .args(["--as-of", "2026-12-01", "--format", "markdown"])
        .run();
    let page = page.stdout();
    // The legacy Windows client crosses 25 (12 + 20 selectors): a status-change item.
    assert!(
        page.contains("\n- gw&lt;b>\\|1 windows-ikev2-legacy: ok -> over-limit\n"),
        "{page}"
    );
    assert!(!page.contains("gw<b>"), "{page}");
}

/// Each side of a what-if comparison is the report's own verdict on that topology: for every
/// non-error case, the count, limit, status and verdict of each client kind before and after
/// are those `analyze` gives the base and the changed topology (one type, one pipeline).
#[test]
fn comparison_sides_are_the_reports_client_entries() {
    let options = rules();
    let fleet = None;
    let analyze_options = p2s_sim::AnalyzeOptions {
        findings: &options,
        limit: ListLimit::UNLIMITED,
        population: None,
        fleet,
    };
    let mut compared = 0;
    for path in case_paths() {
        // Error cases have no after side.
        let Ok((base, after)) = case_topologies(&path) else {
            continue;
        };
        let (b, a) = (
            p2s_sim::analyze(&base, &analyze_options),
            p2s_sim::analyze(&after, &analyze_options),
        );
        let review = p2s_sim::plan::review::review_analyzed(
            &b,
            &a,
            &p2s_sim::plan::review::Context {
                options: &options,
                fleet,
                population: None,
                limit: ListLimit::UNLIMITED,
                deny_warnings: false,
            },
        );
        let entry = |side: &p2s_sim::Analyzed, gw: &str, client: &str| {
            side.report
                .gateways
                .iter()
                .find(|g| g.name == gw)
                .and_then(|g| g.clients.iter().find(|c| c.client == client))
                .map(|c| (c.check, c.verdict))
        };
        for g in &review.comparison.gateways {
            for c in &g.clients {
                let side =
                    |s: &Option<whatif::ClientSide>| s.as_ref().map(|s| (s.check, s.verdict));
                for (got, analyzed) in [(&c.before, &b), (&c.after, &a)] {
                    let wanted = entry(analyzed, &g.name, &c.client);
                    assert_eq!(side(got), wanted, "{path:?} {} {}", g.name, c.client);
                }
                compared += 1;
            }
        }
    }
    // The cases hold 25 client kinds on their gateways; a loop that compared nothing fails.
    assert!(compared >= 25, "{compared}");
}
