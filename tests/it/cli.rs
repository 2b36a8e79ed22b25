//! The binary's contract: exit codes, `--check`, broken pipes, help.

use crate::helpers::*;

#[test]
fn check_exits_1_only_when_a_client_is_over_its_limit() {
    let many: Vec<String> = (0..30).map(|i| format!("10.{i}.0.0/16")).collect();
    let over = hub(&many, "172.16.0.0/24", "IkeV2");
    let out = p2s_sim()
        .args(["analyze", "--check", "-"])
        .write_stdin(over.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OVER LIMIT"));
    let out = p2s_sim()
        .args(["analyze", "-"])
        .write_stdin(over)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "without --check the report is all"
    );
    let fine = hub(&many[..3], "172.16.0.0/24", "IkeV2");
    let out = p2s_sim()
        .args(["analyze", "--check", "-"])
        .write_stdin(fine)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn long_lists_are_counted_not_printed_unless_asked() {
    let many: Vec<String> = (0..300)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect();
    let text = hub(&many, "172.16.0.0/24", "OpenVPN");
    let out = p2s_sim()
        .args(["analyze", "--format", "json", "--list-limit", "100", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["gateways"][0]["advertised"], serde_json::Value::Null);
    assert_eq!(v["gateways"][0]["advertised_count"], 301);
    assert_eq!(
        v["gateways"][0]["clients"][0]["routes"],
        serde_json::Value::Null
    );
    let out = p2s_sim()
        .args(["analyze", "--format", "json", "--full", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["gateways"][0]["advertised"].as_array().unwrap().len(),
        301
    );
}

#[test]
fn help_teaches_with_examples() {
    let out = p2s_sim().args(["analyze", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--format"));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let many: Vec<String> = (0..2000)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect();
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), hub(&many, "172.16.0.0/24", "OpenVPN")).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("p2s-sim"))
        .args(["analyze", "--full", "--format", "json"])
        .arg(path.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}
