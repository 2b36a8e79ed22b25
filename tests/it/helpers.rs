//! Small fluent helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use p2s_sim::input::{read_topology, Source};
use p2s_sim::report::{ListLimit, Report};
use p2s_sim::routing::{analyze, Analysis};
use p2s_sim::topology::Topology;
use serde_json::Value;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds a topology from native text, panicking with the error message on failure.
pub fn topology(text: &str) -> Topology {
    read_topology(&[Source {
        name: "test.yaml".into(),
        text: text.into(),
    }])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The error message for a topology that must be rejected.
pub fn rejection(text: &str) -> String {
    match read_topology(&[Source {
        name: "bad.yaml".into(),
        text: text.into(),
    }]) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

pub fn analysis(text: &str) -> Analysis {
    analyze(&topology(text))
}

pub fn report_json(topology: &Topology) -> serde_json::Value {
    let report = Report::new(&analyze(topology), Vec::new(), ListLimit::UNLIMITED);
    serde_json::to_value(report).expect("report serializes")
}

/// The report with verdicts for `as_of`, as the binary builds it (without capacity).
pub fn report_json_at(topology: &Topology, as_of: &str) -> serde_json::Value {
    let day = p2s_sim::findings::Date::parse(as_of).expect("valid day");
    let analysis = analyze(topology);
    let verdicts = p2s_sim::verdicts::judge(topology, &analysis, day);
    let report = Report::new(&analysis, Vec::new(), ListLimit::UNLIMITED).with_verdicts(&verdicts);
    serde_json::to_value(report).expect("report serializes")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `p2s-sim` as a command ready for arguments.
pub fn p2s_sim() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("p2s-sim").expect("binary built");
    cmd.current_dir(repo());
    // The same bytes whatever the caller's terminal settings.
    for var in ["COLUMNS", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(var);
    }
    cmd
}

/// A gateway with P2S and the given tunnel types, in a VNet with the given prefixes.
pub fn hub(prefixes: &[String], pool: &str, tunnels: &str) -> String {
    format!(
        "vnets:\n  - name: hub\n    address_space: [{}]\n    gateway:\n      name: hub-gw\n      sku: VpnGw2\n      p2s:\n        address_pool: [{pool}]\n        tunnel_types: [{tunnels}]\n        auth_types: [Certificate]\n",
        prefixes.join(", ")
    )
}

/// Every key of `expected` matches `actual`; `gateways` and `clients` are maps keyed by name.
pub fn check_subset(expected: &Value, actual: &Value, at: &str, failures: &mut Vec<String>) {
    check_against(expected, actual, at, false, failures)
}

/// Like [`check_subset`], and the `clients` maps must list exactly the client kinds present.
pub fn check_exact_clients(expected: &Value, actual: &Value, at: &str, failures: &mut Vec<String>) {
    check_against(expected, actual, at, true, failures)
}

fn check_against(
    expected: &Value,
    actual: &Value,
    at: &str,
    exact: bool,
    failures: &mut Vec<String>,
) {
    match expected {
        Value::Object(map) => {
            for (key, want) in map {
                let place = format!("{at}.{key}");
                match key.as_str() {
                    "gateways" | "clients" => {
                        let id_field = if key == "gateways" { "name" } else { "client" };
                        let items = actual[key.as_str()].as_array().cloned().unwrap_or_default();
                        let names: Vec<&str> =
                            items.iter().filter_map(|i| i[id_field].as_str()).collect();
                        let wanted: Vec<&str> = want
                            .as_object()
                            .unwrap()
                            .keys()
                            .map(|k| k.as_str())
                            .collect();
                        if exact && key == "clients" && names != wanted {
                            failures.push(format!("{place}: kinds {names:?}, expected {wanted:?}"));
                        }
                        for (name, sub) in want.as_object().unwrap() {
                            match items.iter().find(|i| i[id_field] == name.as_str()) {
                                Some(item) => check_against(
                                    sub,
                                    item,
                                    &format!("{place}[{name}]"),
                                    exact,
                                    failures,
                                ),
                                None => failures.push(format!("{place}: no {name}")),
                            }
                        }
                    }
                    // Reachability is the same for every client of a gateway.
                    "reachable" if actual.get("clients").is_some() => {
                        for c in actual["clients"].as_array().unwrap() {
                            check_against(want, &c["reachable"], &place, exact, failures);
                        }
                    }
                    _ => check_against(want, &actual[key.as_str()], &place, exact, failures),
                }
            }
        }
        _ if expected != actual => {
            failures.push(format!("{at}: got {actual}, expected {expected}"))
        }
        _ => {}
    }
}
