//! `p2s-sim review`: data-driven change cases (`tests/review_change_cases/*.yaml`: a Terraform
//! plan or ARM what-if written by hand in the documented shapes, with the comparison worked out
//! by hand), the exit-code contract, and the two-exports form on real exports.

use std::path::Path;

use p2s_sim::plan::review::{self, Context};
use p2s_sim::read::Source;
use p2s_sim::report::ListLimit;
use p2s_sim::verdicts::findings::{Date, Options};
use serde_json::Value;

use crate::helpers::*;

fn cases_dir() -> std::path::PathBuf {
    repo().join("tests/review_change_cases")
}

fn options(as_of: &str) -> Options {
    Options::at(Date::parse(as_of).expect("as_of"))
}

/// Runs one case through the library; failures are pushed, not panicked.
fn run_case(path: &Path, case: &Value, failures: &mut Vec<String>) {
    let name = path.display().to_string();
    let file = cases_dir().join(case["change"].as_str().expect("change"));
    let source = Source {
        name: file.display().to_string(),
        text: read(&file),
    };
    let change = match review::read_change(&source) {
        Ok(c) => c,
        Err(e) => return failures.push(format!("{name}: {e}")),
    };
    if let Some(actions) = case.get("actions") {
        let got: Vec<Value> = change
            .actions
            .iter()
            .map(|(r, a)| serde_json::json!([r, a]))
            .collect();
        if &Value::Array(got.clone()) != actions {
            failures.push(format!("{name}: actions {got:?}, expected {actions}"));
        }
    }
    let all_unknown = case["all_unknown"].as_bool().unwrap_or(false);
    if change.all_unknown != all_unknown {
        return failures.push(format!("{name}: all_unknown is {}", change.all_unknown));
    }
    let check_assumptions = |assumptions: &[String], failures: &mut Vec<String>| {
        let text = assumptions.join("\n");
        for needle in case["assumptions_contain"].as_array().into_iter().flatten() {
            if !text.contains(needle.as_str().unwrap()) {
                failures.push(format!("{name}: assumptions {text:?} lack {needle}"));
            }
        }
    };
    if all_unknown {
        return check_assumptions(&change.assumptions, failures);
    }
    let as_of = case["as_of"].as_str().expect("as_of");
    let opts = options(as_of);
    let day = Some(opts.as_of);
    let sides = review::load_side(&change.before, day)
        .and_then(|b| Ok((b, review::load_side(&change.after, day)?)));
    let ((before, wb), (after, wa)) = match sides {
        Ok(s) => s,
        Err(e) => return failures.push(format!("{name}: {e}")),
    };
    // What the plan or what-if reader says, then what the readers of each side say.
    let all: Vec<String> = change
        .assumptions
        .iter()
        .chain(&wb)
        .chain(&wa)
        .cloned()
        .collect();
    check_assumptions(&all, failures);
    let ctx = Context {
        options: &opts,
        fleet: None,
        population: None,
        limit: ListLimit::UNLIMITED,
        deny_warnings: false,
    };
    let result = review::review(&before, &after, &ctx);
    let actual = serde_json::to_value(&result).unwrap();
    if let Some(summary) = case.get("summary") {
        if &actual["summary"] != summary {
            failures.push(format!(
                "{name}: summary {}, expected {summary}",
                actual["summary"]
            ));
        }
    }
    if let Some(fails) = case["check_fails"].as_bool() {
        if result.worse.is_empty() == fails {
            failures.push(format!("{name}: worse = {:?}", result.worse));
        }
    }
    if let Some(n) = case["worse_count"].as_u64() {
        if result.worse.len() as u64 != n {
            failures.push(format!("{name}: worse = {:?}", result.worse));
        }
    }
    if let Some(codes) = case.get("findings_added_codes") {
        let got: Vec<&str> = result
            .findings_added
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        if &serde_json::json!(got) != codes {
            failures.push(format!("{name}: findings added {got:?}, expected {codes}"));
        }
    }
    // `comparison.gateways` is a map by name in the cases, as in the what-if cases.
    check_subset(&case["expect"], &actual, &name, failures);
}

#[test]
fn every_review_change_case_matches_its_hand_worked_results() {
    let mut paths: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 11, "{paths:?}");
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in paths {
        let case: Value = serde_saphyr::from_str(&read(&path)).unwrap();
        if case.get("errors").is_some() {
            continue;
        }
        ran += 1;
        run_case(&path, &case, &mut failures);
    }
    assert!(ran >= 10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_bad_change_file_exits_2_naming_file_place_and_what_to_run() {
    let case: Value = serde_saphyr::from_str(&read(&cases_dir().join("error-cases.yaml"))).unwrap();
    let errors = case["errors"].as_array().unwrap();
    assert!(errors.len() >= 8, "{} error cases", errors.len());
    let mut failures = Vec::new();
    for e in errors {
        let file = format!("tests/review_change_cases/{}", e["file"].as_str().unwrap());
        let out = p2s(["review", &file, "--as-of", "2026-12-01", "--check"]).run();
        let stderr = out.stderr();
        if out.code() != Some(2) {
            failures.push(format!("{file}: exit {:?}", out.code()));
        }
        if !out.stdout_bytes().is_empty() {
            failures.push(format!("{file}: printed to stdout"));
        }
        for needle in e["needles"].as_array().unwrap() {
            if !stderr.contains(needle.as_str().unwrap()) {
                failures.push(format!("{file}: {stderr:?} lacks {needle}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn review_cmd(args: &[&str]) -> (Option<i32>, String) {
    let out = p2s(["review"]).args(args).run();
    (out.code(), out.into_stdout())
}

#[test]
fn check_fails_only_when_the_change_makes_something_worse() {
    let dir = "tests/review_change_cases/inputs";
    let at = ["--as-of", "2026-12-01"];
    let run = |file: &str, extra: &[&str]| {
        let path = format!("{dir}/{file}");
        let mut args = vec![path.as_str()];
        args.extend(at);
        args.extend(extra);
        review_cmd(&args).0
    };
    // A lost tunnel type fails --check; without --check the review is only printed.
    assert_eq!(run("switch-tunnels.whatif.json", &["--check"]), Some(1));
    assert_eq!(run("switch-tunnels.whatif.json", &[]), Some(0));
    assert_eq!(run("destroy-gateway.plan.json", &["--check"]), Some(1));
    assert_eq!(run("create-spoke.plan.json", &["--check"]), Some(0));
    // Adding SSTP to IKEv2 breaks no client, but from 2026-03-31 Azure refuses to enable SSTP
    // (spec §3): the deployment fails, so --check fails without --deny warnings; the day before,
    // enabling it is only DATE001 (info) and nothing is denied.
    assert_eq!(run("add-sstp.whatif.json", &["--check"]), Some(1));
    let path = format!("{dir}/add-sstp.whatif.json");
    for (day, code) in [("2026-03-30", 0), ("2026-03-31", 1), ("2025-12-01", 0)] {
        let (got, out) = review_cmd(&[&path, "--as-of", day, "--check", "--deny", "warnings"]);
        assert_eq!(got, Some(code), "as of {day}: {out}");
        assert_eq!(
            out.contains("Azure refuses SSTP on"),
            code == 1,
            "as of {day}: {out}"
        );
    }
    // Everything unknown until apply: said, exit 0, even with --check.
    let path = format!("{dir}/all-unknown.plan.json");
    let (code, out) = review_cmd(&[&path, "--as-of", "2026-12-01", "--check"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("nothing to review: every P2S-relevant resource"),
        "{out}"
    );
    assert!(out.contains("name is unknown until apply"), "{out}");
}

#[test]
fn the_summary_is_the_first_line_in_every_format_and_names_shares_with_clients() {
    let file = "tests/review_change_cases/inputs/switch-tunnels.whatif.json";
    let expected = "this change breaks openvpn on hub-gw (connects → absent, 40 % of users); \
                    Azure refuses SSTP on hub-gw (not enabled since 2026-03-31, DATE002); 5 \
                    client(s) must re-download the package";
    let base = [
        file,
        "--as-of",
        "2026-12-01",
        "--clients",
        "windows-ikev2=60%,openvpn=40%",
    ];
    let (_, table) = review_cmd(&base);
    assert_eq!(table.lines().next(), Some(expected));
    let (_, md) = review_cmd(&[&base[..], &["--format", "markdown"]].concat());
    assert_eq!(
        md.lines().next(),
        Some(format!("**p2s-sim review:** {expected}").as_str())
    );
    assert!(md.contains("| client | selectors before |"), "{md}");
    let (_, json) = review_cmd(&[&base[..], &["--format", "json"]].concat());
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"], expected);
    assert_eq!(v["change"]["kind"], "arm-what-if");
    // Same input, same bytes.
    assert_eq!(
        review_cmd(&[&base[..], &["--format", "json"]].concat()).1,
        json
    );
}

#[test]
fn before_and_after_files_compare_a_native_topology_with_itself_as_no_change() {
    let f = "datasets/scenarios/hub-spoke.yaml";
    let (code, out) = review_cmd(&[
        "--before",
        f,
        "--after",
        f,
        "--as-of",
        "2026-12-01",
        "--check",
    ]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("this change does not change what any P2S client gets"),
        "{out}"
    );
}

const RECORDING: &str =
    "../shared/samples/exports/azure-cli-recordings/test_network_vnet_gateway_allow_traffic.yaml";

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn two_real_exports_of_the_same_network_change_nothing() {
    let (code, out) = review_cmd(&[
        "--before",
        RECORDING,
        "--after",
        RECORDING,
        "--as-of",
        "2026-12-01",
        "--check",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out.lines().next(),
        Some("this change does not change what any P2S client gets (1 gateway(s) compared)")
    );
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn a_real_export_against_a_hand_edited_native_file() {
    // The recording's network: VNet 10.0.0.0/16 with gateway gw (OpenVPN only, pool
    // 40.1.0.0/24): openvpn installs 2 routes. The hand-edited file adds 10.1.0.0/16 to the
    // VNet: 3 routes, one added. Only OpenVPN, so no Windows package and no re-download.
    let (code, json) = review_cmd(&[
        "--before",
        RECORDING,
        "--after",
        "tests/review_change_cases/inputs/allow-traffic-plus-prefix.yaml",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{json}");
    let v: Value = serde_json::from_str(&json).unwrap();
    let mut failures = Vec::new();
    let expected: Value = serde_json::json!({
        "redownload_count": 0,
        "change": {"kind": "exports"},
        "comparison": {"gateways": {"gw": {
            "advertised_before": 2, "advertised_after": 3, "redownload": [],
            "clients": {"openvpn": {
                "before": {"selectors": 2}, "after": {"selectors": 3},
                "routes_added": ["10.1.0.0/16"], "routes_removed": []}}}}}
    });
    check_subset(&expected, &v, "review", &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn whatif_prints_findings_added_and_removed_too() {
    // Enabling SSTP after 2026-03-31 is DATE002 (a warning); before that day it is DATE001.
    let args = [
        "whatif",
        "datasets/scenarios/1-isolated-vnet.yaml",
        "--scenario",
        "tests/review_change_cases/inputs/isolated-to-sstp.scenario.yaml",
        "--format",
        "json",
    ];
    let codes = |as_of: &str| {
        let v = p2s(args).args(["--as-of", as_of]).run().json();
        let added: Vec<String> = v["findings_added"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        (added, v["findings_removed"].as_array().unwrap().len())
    };
    assert_eq!(codes("2026-12-01"), (vec!["DATE002".to_string()], 0));
    assert_eq!(codes("2025-12-01"), (vec!["DATE001".to_string()], 0));
    let out = p2s(&args[..4]).args(["--as-of", "2026-12-01"]).run();
    let text = out.stdout();
    assert!(
        text.contains("Findings added:\n  warning DATE002 vnet1-gw: SSTP can no longer be enabled"),
        "{text}"
    );
}

#[test]
fn fleet_groups_whose_verdict_changes_are_listed_and_a_lost_group_fails_check() {
    // Worked by hand from the example fleet: OpenVPN goes, so the Android OpenVPN phones
    // (150) no longer connect; SSTP comes, so Windows 8.1 kiosks (SSTP only, 12) and the
    // travel laptops behind UDP-blocking networks (IKEv2 is UDP, SSTP is TCP 443; 40) now do.
    let (code, json) = review_cmd(&[
        "tests/review_change_cases/inputs/switch-tunnels.whatif.json",
        "--as-of",
        "2026-12-01",
        "--fleet",
        "datasets/fleets/example-fleet.yaml",
        "--format",
        "json",
        "--check",
    ]);
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&json).unwrap();
    let changes: Vec<(String, u64, String, String)> = v["fleet_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["group"].as_str().unwrap().to_string(),
                c["devices"].as_u64().unwrap(),
                c["verdict_before"].as_str().unwrap().to_string(),
                c["verdict_after"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        changes,
        [
            (s("kiosks"), 12, s("fails"), s("connects")),
            (s("field-phones"), 150, s("connects"), s("fails")),
            (s("travel-laptops"), 40, s("fails"), s("connects")),
        ]
    );
    let summary = v["summary"].as_str().unwrap();
    assert!(
        summary.contains("; 150 device(s) of the fleet lose their connection"),
        "{summary}"
    );
    assert!(v["worse"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w == "device group field-phones on hub-gw (150 devices): connects → fails"));
}

#[test]
fn input_options_with_a_change_file_are_refused_with_the_reason() {
    let out = p2s([
        "review",
        "tests/review_change_cases/inputs/create-spoke.plan.json",
    ])
    .args(["--input-format", "rest", "--as-of", "2026-12-01"])
    .expect_code(2);
    let err = out.stderr();
    assert!(
        err.contains("create-spoke.plan.json: --input-format"),
        "{err}"
    );
    assert!(err.contains("apply to --before/--after"), "{err}");
}

/// `whatif` on the real recording (gateway gw: OpenVPN only, pool 40.1.0.0/24, no
/// authentication type — P2S009 on both sides, so `--check` fails either way).
fn whatif_on_the_recording(changes: &str, as_of: &str) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.yaml");
    std::fs::write(&scenario, format!("changes:\n  - {changes}\n")).unwrap();
    let out = p2s(["whatif", RECORDING, "--scenario"])
        .args([
            scenario.to_str().unwrap(),
            "--as-of",
            as_of,
            "--check",
            "--format",
            "json",
        ])
        .run();
    (out.code(), out.json())
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn a_new_authentication_type_on_a_real_recording_renews_the_whole_package() {
    // Worked by hand: OpenVPN is the only kind, so only openvpn re-downloads; OpenVPN-only
    // packages have no Windows installers, so the stale files are the generic settings and
    // both OpenVPN profiles.
    let (_, v) = whatif_on_the_recording(
        "set_gateway: {gateway: gw, auth_types: [AAD]}",
        "2026-12-01",
    );
    let gw = &v["gateways"][0];
    assert_eq!(gw["name"], "gw");
    assert_eq!(gw["redownload"], serde_json::json!(["openvpn"]));
    assert_eq!(
        gw["stale_profile_files"],
        serde_json::json!([
            "AzureVPN/azurevpnconfig.xml",
            "Generic/VpnSettings.xml",
            "OpenVPN/vpnconfig.ovpn"
        ])
    );
    assert!(
        gw["redownload_reason"]
            .as_str()
            .unwrap()
            .contains("(authentication types)"),
        "{gw}"
    );
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn sstp_enabled_on_a_real_recording_is_refused_from_the_cut_off_day() {
    let change = "set_gateway: {gateway: gw, tunnel_types: [IkeV2, SSTP]}";
    // 2026-03-30: enabling SSTP is DATE001 (info), nothing refused.
    let (code, v) = whatif_on_the_recording(change, "2026-03-30");
    assert_eq!(code, Some(1), "P2S009 on the recording: {v}");
    assert!(v.get("refused").is_none(), "{v}");
    let added: Vec<&str> = v["findings_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        added.contains(&"DATE001") && !added.contains(&"DATE002"),
        "{added:?}"
    );
    // New tunnel types: every kind of the new configuration re-downloads, windows-sstp too.
    let ikev2 = ["windows-ikev2", "windows-ikev2-legacy"];
    let others = ["macos-ikev2", "ios-ikev2", "linux-ikev2"];
    let with_sstp = [&ikev2[..], &["windows-sstp"], &others[..]].concat();
    assert_eq!(v["gateways"][0]["redownload"], serde_json::json!(with_sstp));
    // 2026-03-31: DATE002, and the change itself is refused: SSTP downloads nothing.
    let (code, v) = whatif_on_the_recording(change, "2026-03-31");
    assert_eq!(code, Some(1));
    assert_eq!(
        v["refused"],
        serde_json::json!(["SSTP is enabled on gw by this change, which Azure refuses since 2026-03-31: the deployment fails (DATE002); use IKEv2 or OpenVPN"])
    );
    let without = [&ikev2[..], &others[..]].concat();
    assert_eq!(v["gateways"][0]["redownload"], serde_json::json!(without));
}
