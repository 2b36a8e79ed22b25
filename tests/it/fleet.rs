//! Data-driven verdict and fleet cases (`tests/fleet_cases/*.yaml`), run through the binary's
//! JSON output: a topology, a fleet (inline groups, a fleet file, or raw text that must be
//! rejected), the day, and hand-worked expected verdicts per client kind and per group.
//!
//! Case file keys:
//! - `as_of` (required: no case depends on today), `topology` (native topology),
//!   `extra_prefixes: N` (appends N /24s from 10.128.0.0 to the first VNet, for the 255/256 and
//!   1000/1001 boundaries), `clients` (a `--clients` population), `fleet_app` (`--fleet-app`);
//! - the fleet: `fleet` (inline groups file), `fleet_file` (a path in the repository) or
//!   `fleet_text` + `fleet_ext` (raw text written to a file);
//! - what must come out: `expect.clients.<kind>` (any report field; `reasons` as codes),
//!   `expect.groups.<name>` (any group field), `expect.totals`, `expect.protocols.<tunnel>`,
//!   `expect.warnings_contain`, `expect.assumptions` (codes that must be present),
//!   `expect.population`; or `expect_error` (substrings of the exit-2 message).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::*;

fn cases() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fleet_cases"))
        .expect("tests/fleet_cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn topology_json(case: &Value) -> Value {
    let mut topo = case["topology"].clone();
    if let Some(n) = case["extra_prefixes"].as_u64() {
        let space = topo["vnets"][0]["address_space"]
            .as_array_mut()
            .expect("first VNet has an address_space");
        for i in 0..n {
            let (a, b) = (128 + i / 256, i % 256);
            space.push(Value::String(format!("10.{a}.{b}.0/24")));
        }
    }
    topo
}

/// Reason codes of a client report (objects) or a group report (strings).
fn codes(reasons: &Value) -> Value {
    Value::Array(
        reasons
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|r| r.get("code").cloned().unwrap_or_else(|| r.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn compare_fields(expected: &Value, actual: &Value, at: &str, failures: &mut Vec<String>) {
    for (key, want) in expected.as_object().expect("a map of fields") {
        let got = if key == "reasons" {
            codes(&actual[key.as_str()])
        } else {
            actual.get(key.as_str()).cloned().unwrap_or(Value::Null)
        };
        if &got != want {
            failures.push(format!("{at}.{key}: got {got}, expected {want}"));
        }
    }
}

fn run_case(path: &Path, rows_seen: &mut std::collections::BTreeSet<String>) -> Vec<String> {
    let name = path.display().to_string();
    let case: Value = serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let as_of = case["as_of"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: every case pins as_of"));
    let dir = tempfile::tempdir().unwrap();
    let topo = write(
        dir.path(),
        "topology.json",
        &topology_json(&case).to_string(),
    );
    let fleet = if let Some(f) = case.get("fleet") {
        write(dir.path(), "fleet.json", &f.to_string())
    } else if let Some(f) = case["fleet_file"].as_str() {
        repo().join(f)
    } else {
        let text = case["fleet_text"]
            .as_str()
            .expect("fleet, fleet_file or fleet_text");
        let ext = case["fleet_ext"].as_str().unwrap_or("yaml");
        write(dir.path(), &format!("fleet.{ext}"), text)
    };
    let mut cmd = p2s(["analyze", "--format", "json", "--as-of", as_of, "--fleet"]).arg(&fleet);
    if let Some(app) = case["fleet_app"].as_str() {
        cmd = cmd.args(["--fleet-app", app]);
    }
    if let Some(clients) = case["clients"].as_str() {
        cmd = cmd.args(["--clients", clients]);
    }
    let out = cmd.arg(&topo).run();
    let stderr = out.stderr();
    let mut failures = Vec::new();
    if let Some(wanted) = case.get("expect_error") {
        if out.code() != Some(2) {
            failures.push(format!("{name}: exit {:?}, expected 2", out.code()));
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked: {stderr}"));
        }
        let file = fleet.display().to_string();
        if !stderr.contains(&file) {
            failures.push(format!(
                "{name}: error does not name the file {file}: {stderr}"
            ));
        }
        for w in wanted.as_array().unwrap() {
            let w = w.as_str().unwrap();
            if !stderr.contains(w) {
                failures.push(format!("{name}: error lacks '{w}': {stderr}"));
            }
        }
        return failures;
    }
    if out.code() != Some(0) {
        return vec![format!("{name}: failed: {stderr}")];
    }
    let report = out.json();
    let gw = &report["gateways"][0];
    let expect = &case["expect"];
    if let Some(clients) = expect["clients"].as_object() {
        for (id, want) in clients {
            let Some(c) = gw["clients"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["client"] == id.as_str())
            else {
                failures.push(format!("{name}: no client {id}"));
                continue;
            };
            compare_fields(want, c, &format!("{name}: clients[{id}]"), &mut failures);
        }
    }
    let fleet = &gw["fleet"];
    for g in fleet["groups"].as_array().into_iter().flatten() {
        if let Some(row) = g["mapping"].as_str() {
            rows_seen.insert(row.to_string());
        }
    }
    if let Some(groups) = expect["groups"].as_object() {
        let actual = fleet["groups"].as_array().cloned().unwrap_or_default();
        if actual.len() != groups.len() {
            failures.push(format!(
                "{name}: {} groups reported, {} expected",
                actual.len(),
                groups.len()
            ));
        }
        for (group, want) in groups {
            match actual.iter().find(|g| g["group"] == group.as_str()) {
                Some(g) => {
                    compare_fields(want, g, &format!("{name}: groups[{group}]"), &mut failures)
                }
                None => failures.push(format!("{name}: no group {group}")),
            }
        }
    }
    if let Some(want) = expect.get("totals") {
        compare_fields(
            want,
            &fleet["totals"],
            &format!("{name}: totals"),
            &mut failures,
        );
    }
    if let Some(protocols) = expect["protocols"].as_object() {
        for (t, want) in protocols {
            match fleet["protocols"]
                .as_array()
                .and_then(|l| l.iter().find(|p| p["protocol"] == t.as_str()))
            {
                Some(p) => {
                    compare_fields(want, p, &format!("{name}: protocols[{t}]"), &mut failures)
                }
                None => failures.push(format!("{name}: no protocol {t}")),
            }
        }
    }
    let warnings = fleet["warnings"].as_array().cloned().unwrap_or_default();
    for w in expect["warnings_contain"].as_array().into_iter().flatten() {
        let w = w.as_str().unwrap();
        if !warnings
            .iter()
            .any(|x| x.as_str().unwrap_or("").contains(w))
        {
            failures.push(format!(
                "{name}: no warning containing '{w}' in {warnings:?}"
            ));
        }
    }
    if expect.get("warnings_contain").is_none() && !warnings.is_empty() && fleet.is_object() {
        failures.push(format!("{name}: unexpected warnings {warnings:?}"));
    }
    for a in expect["assumptions"].as_array().into_iter().flatten() {
        let found = gw["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == *a);
        if !found {
            failures.push(format!("{name}: assumption {a} missing"));
        }
    }
    if let Some(want) = expect.get("population") {
        compare_fields(
            want,
            &gw["population"],
            &format!("{name}: population"),
            &mut failures,
        );
    }
    failures
}

#[test]
fn fleet_cases() {
    let all = cases();
    assert!(all.len() >= 15, "only {} fleet cases", all.len());
    let mut rows_seen = std::collections::BTreeSet::new();
    let failures: Vec<String> = all
        .iter()
        .flat_map(|p| run_case(p, &mut rows_seen))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // Every row of the mapping table is exercised by at least one case.
    let missing: Vec<&str> = p2s_sim::verdicts::os::OS_TABLE
        .iter()
        .map(|r| r.label)
        .filter(|l| !rows_seen.contains(*l))
        .collect();
    assert!(
        missing.is_empty(),
        "mapping rows without a case: {missing:?}"
    );
}

/// The bundled example fleet goes with the bundled hub-and-spoke, in every output format.
#[test]
fn example_fleet_runs_in_every_format() {
    for format in ["table", "json", "csv", "markdown"] {
        let text = p2s([
            "analyze",
            "--as-of",
            "2026-12-01",
            "--format",
            format,
            "--fleet",
        ])
        .args([
            "datasets/fleets/example-fleet.yaml",
            "datasets/scenarios/hub-spoke.yaml",
        ])
        .stdout_ok();
        assert!(text.contains("finance-laptops"), "{format}");
        if format == "csv" {
            let fleet_rows = text.lines().filter(|l| l.starts_with("fleet,")).count();
            assert_eq!(fleet_rows, 10, "one fleet row per group");
        }
    }
}

/// `whatif --fleet`: turning SSTP off for OpenVPN moves the SSTP-only and UDP-blocked Windows
/// groups to `fails` and the Android OpenVPN phones to `connects`.
#[test]
fn whatif_lists_groups_that_change() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "s.yaml",
        "changes:\n  - set_gateway: {gateway: hub-weu-gw, tunnel_types: [IkeV2, OpenVPN]}\n",
    );
    let v = p2s([
        "whatif",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
        "--fleet",
    ])
    .args(["datasets/fleets/example-fleet.yaml", "--scenario"])
    .arg(&scenario)
    .arg("datasets/scenarios/hub-spoke.yaml")
    .json_ok();
    let changes: Vec<(String, u64, String, String)> = v["fleet"]["changes"]
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
        vec![
            (s("kiosks"), 12, s("connects"), s("fails")),
            (s("field-phones"), 150, s("fails"), s("connects")),
            (s("travel-laptops"), 40, s("connects"), s("fails")),
        ]
    );
}

/// `batch --fleet`: the totals per topology.
#[test]
fn batch_gives_fleet_totals_per_topology() {
    let line = p2s([
        "batch",
        "--as-of",
        "2026-12-01",
        "--format",
        "jsonl",
        "--fleet",
    ])
    .args([
        "datasets/fleets/example-fleet.yaml",
        "datasets/scenarios/hub-spoke.yaml",
    ])
    .stdout_ok();
    let v: Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    // Hand-worked from datasets/fleets/example-fleet.yaml on hub-spoke (IKEv2 + SSTP): fails =
    // legacy-pcs 5 (Windows 7) + design-macs 80 (UDP blocked, macOS has no fallback) +
    // field-phones 150 (no OpenVPN) = 235; the other 665 of 900 devices connect.
    assert_eq!(
        v["gateways"][0]["fleet"]["totals"],
        serde_json::json!({"connects": 665, "partial": 0, "fails": 235})
    );
    let text = p2s(["batch", "--as-of", "2026-12-01", "--fleet"])
        .args([
            "datasets/fleets/example-fleet.yaml",
            "datasets/scenarios/hub-spoke.yaml",
        ])
        .run()
        .into_stdout();
    assert!(
        text.contains(
            "hub-spoke.yaml: 1 gateway with P2S: all clients within limits; no errors, 2 warnings; \
             fleet devices hub-weu-gw: 665 connect, 0 partial, 235 fail"
        ),
        "{text}"
    );
}

/// Every Windows client release in `devices/dataforgeeks_win_releases.json` (build numbers
/// from Microsoft's release-health pages), at its first build (revision 0, no update), with the
/// built-in client. Worked by hand from the spec's Windows table (vpn-gateway-vpn-faq.md and
/// KB5005625 / KB5005624 / KB5005611): 21H2 (19044) and later ship the traffic-selector fix;
/// every earlier Windows 10 build has no fix at revision 0 and is the 25-selector client, and
/// 1607, 1703 and 1709 also still need their IKEv2 update.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn every_windows_release_in_the_release_history_maps_onto_a_row() {
    use p2s_sim::facts::dates::Date;
    use p2s_sim::verdicts::fleet::{App, Os, Version};
    use p2s_sim::verdicts::os::map;
    let file = shared_samples().join("devices/dataforgeeks_win_releases.json");
    let releases: Value = serde_json::from_str(&read(&file)).unwrap();
    let expected_needs = [
        ("10.0.14393", "KB4057142"),
        ("10.0.15063", "KB4057144"),
        ("10.0.16299", "KB4089848"),
    ];
    let as_of = Date::new(2026, 12, 1).unwrap();
    let mut seen = 0;
    for r in releases["data"].as_array().unwrap() {
        if r["os_type"] != "client" {
            continue;
        }
        let full = r["full_version"].as_str().unwrap();
        let build: u32 = r["os_build"].as_str().unwrap().parse().unwrap();
        let version = Version::parse(&format!("{full}.0")).unwrap();
        let m = map(Os::Windows, App::Native, &version, as_of);
        let want = if build >= 19044 {
            "windows-ikev2"
        } else {
            "windows-ikev2-legacy"
        };
        assert_eq!(m.kind.map(|k| k.id), Some(want), "{full} ({})", m.row);
        assert!(m.unsupported.is_none(), "{full}: {:?}", m.unsupported);
        let kb = expected_needs.iter().find(|(v, _)| *v == full);
        assert_eq!(
            m.needs.iter().any(|n| n.starts_with("KB")),
            kb.is_some(),
            "{full}: {:?}",
            m.needs
        );
        if let Some((_, kb)) = kb {
            assert!(
                m.needs.iter().any(|n| n.starts_with(kb)),
                "{full}: {:?}",
                m.needs
            );
        }
        seen += 1;
    }
    // 1507 … 22H2 of Windows 10, 21H2 … 26H1 of Windows 11.
    assert_eq!(seen, 20);
}
