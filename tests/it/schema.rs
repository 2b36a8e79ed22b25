//! The JSON report's shape is documented by a JSON Schema generated from the types
//! (`docs/report.schema.json`); real output of every bundled dataset must validate against it.
//! `P2S_UPDATE_SCHEMA=1 cargo test schema` rewrites the checked-in file.

use serde_json::Value;

use super::helpers::{p2s, read, repo};

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .build(&p2s_sim::report::json_schema())
        .expect("the report schema compiles")
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn json(args: &[&str]) -> Value {
    // Exit 1 is a finding under --check; the report is written all the same.
    let out = p2s(args).run();
    assert!(
        out.code().is_some_and(|c| c < 2),
        "{args:?}: {}",
        out.stderr()
    );
    out.json()
}

#[test]
fn checked_in_schema_is_the_generated_one() {
    let path = repo().join("docs/report.schema.json");
    let generated = serde_json::to_string_pretty(&p2s_sim::report::json_schema()).unwrap() + "\n";
    if std::env::var_os("P2S_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    assert_eq!(
        read(&path),
        generated,
        "docs/report.schema.json is stale: run P2S_UPDATE_SCHEMA=1 cargo test schema"
    );
}

#[test]
fn real_reports_validate_against_the_schema() {
    let validator = validator();
    let mut files: Vec<String> = std::fs::read_dir(repo().join("datasets/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.yaml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    // Real exports (copies of ../shared/samples files, provenance in datasets/samples): an ARM
    // quickstart template and a REST example, each with one OpenVPN gateway.
    for sample in [
        "datasets/samples/qs-point-to-site-aad.azuredeploy.json",
        "datasets/samples/2023-09-01_VirtualNetworkGatewayGet.json",
    ] {
        files.push(repo().join(sample).to_string_lossy().into_owned());
    }
    files.push(
        repo()
            .join("tests/data/hostile-names.yaml")
            .to_string_lossy()
            .into_owned(),
    );
    let extras: [&[&str]; 3] = [
        &[],
        &[
            "--fleet",
            "datasets/fleets/example-fleet.yaml",
            "--clients",
            "windows-ikev2-legacy=15%,windows-ikev2=60%,macos-ikev2=10%,openvpn=15%",
            "--expected-clients",
            "ikev2=800,sstp=200",
        ],
        &["--list-limit", "1"],
    ];
    let mut checked = 0;
    for file in &files {
        for extra in extras {
            let args = [
                &[
                    "analyze",
                    file.as_str(),
                    "--as-of",
                    "2026-12-01",
                    "--format",
                    "json",
                ],
                extra,
            ]
            .concat();
            let report = json(&args);
            let found = errors(&validator, &report);
            assert!(found.is_empty(), "{args:?}: {found:#?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * files.len());

    // Every batch record is a report with its topology's name.
    let out = p2s(["batch", "--format", "jsonl", "--as-of", "2026-12-01"])
        .args(&files)
        .stdout_ok();
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), files.len());
    for mut r in records {
        let name = r["topology"].take();
        assert!(name.is_string());
        r.as_object_mut().unwrap().remove("topology");
        let found = errors(&validator, &r);
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}

#[test]
fn the_schema_rejects_what_the_report_never_holds() {
    let validator = validator();
    let mut report = json(&[
        "analyze",
        "datasets/scenarios/hub-spoke.yaml",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    assert!(errors(&validator, &report).is_empty());
    let pristine = report.clone();
    report["gateways"][0]["clients"][0]["status"] = "broken".into();
    assert!(!errors(&validator, &report).is_empty(), "unknown status");
    let mut report = pristine.clone();
    report["findings"][0]["severity"] = "fatal".into();
    assert!(!errors(&validator, &report).is_empty(), "unknown severity");
    let mut report = pristine.clone();
    report["gateways"][0]["clients"][0]["reasons"] =
        serde_json::json!([{"code": "made-up", "text": "", "source": ""}]);
    assert!(
        !errors(&validator, &report).is_empty(),
        "unknown reason code"
    );
    let mut report = pristine;
    report["gateways"][0]
        .as_object_mut()
        .unwrap()
        .remove("advertised_count");
    assert!(!errors(&validator, &report).is_empty(), "missing field");
}
