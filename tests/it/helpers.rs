//! Small fluent helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use p2s_sim::input::{read_topology, Source};
use p2s_sim::report::{ListLimit, Report};
use p2s_sim::routing::{analyze, Analysis};
use p2s_sim::topology::Topology;

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

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `p2s-sim` as a command ready for arguments.
pub fn p2s_sim() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("p2s-sim").expect("binary built");
    cmd.current_dir(repo());
    cmd
}

/// A gateway with P2S and the given tunnel types, in a VNet with the given prefixes.
pub fn hub(prefixes: &[String], pool: &str, tunnels: &str) -> String {
    format!(
        "vnets:\n  - name: hub\n    address_space: [{}]\n    gateway:\n      name: hub-gw\n      sku: VpnGw2\n      p2s:\n        address_pool: [{pool}]\n        tunnel_types: [{tunnels}]\n",
        prefixes.join(", ")
    )
}
