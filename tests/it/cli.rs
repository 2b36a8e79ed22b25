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
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("over-limit"), "{text}");
    assert!(
        text.starts_with(
            "1 gateway with P2S: windows-ikev2-legacy over its limit on hub-gw (31 / 25)"
        ),
        "{text}"
    );
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

/// Every command that reads files reads each one once, as a stream: pipes (`/dev/stdin`), FIFOs
/// and process substitution work like regular files (issue 9).
#[test]
fn inputs_are_read_as_streams_by_every_command() {
    let topology = read(&repo().join("datasets/scenarios/hub-spoke.yaml"));
    let scenario = read(&repo().join("datasets/whatif/add-40-spokes.yaml"));
    let hub = repo().join("datasets/scenarios/hub-spoke.yaml");
    let hub = hub.to_str().unwrap();
    let runs: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["analyze", "--as-of", "2026-12-01", "/dev/stdin"],
            topology.as_str(),
            "Gateway hub-weu-gw",
        ),
        (
            vec!["convert", "--to", "json", "/dev/stdin"],
            topology.as_str(),
            "\"hub-weu\"",
        ),
        (
            vec!["batch", "--format", "jsonl", "/dev/stdin"],
            topology.as_str(),
            "hub-weu-gw",
        ),
        (
            vec!["headroom", "--prefixes-per-spoke", "2", "/dev/stdin"],
            topology.as_str(),
            "hub-weu-gw",
        ),
        (
            vec!["sweep", "/dev/stdin", "--add-spokes", "0..4:2"],
            topology.as_str(),
            "hub-weu-gw",
        ),
        (
            vec!["whatif", hub, "--scenario", "/dev/stdin"],
            scenario.as_str(),
            "hub-weu-gw",
        ),
        (
            vec!["prefixes", "aggregate", "/dev/stdin"],
            "10.0.0.0/24\n10.0.1.0/24\n",
            "10.0.0.0/23",
        ),
    ];
    for (args, input, expected) in runs {
        let out = p2s_sim().args(&args).write_stdin(input).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains(expected),
            "{args:?}: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_named_fifo_is_read_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("export.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let text = read(&repo().join("datasets/scenarios/hub-spoke.yaml"));
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, text).unwrap())
    };
    let out = p2s_sim()
        .args(["analyze", "--as-of", "2026-12-01", "--format", "json"])
        .arg(&fifo)
        .output()
        .unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["gateways"][0]["name"], "hub-weu-gw");
}

/// Reads 10 bytes of a command's output, closes the pipe, and returns its exit code and stderr.
fn close_pipe_early(args: &[&str]) -> (Option<i32>, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("p2s-sim"))
        .current_dir(repo())
        .args(args)
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
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `p2s-sim ... | head` ends every command quietly with exit 0, in every format (issue 10).
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let hub = "datasets/scenarios/hub-spoke.yaml";
    let scenario = "datasets/whatif/add-40-spokes.yaml";
    for format in ["table", "json", "csv"] {
        for args in [
            vec![
                "whatif",
                hub,
                "--scenario",
                scenario,
                "--as-of",
                "2026-12-01",
            ],
            vec!["headroom", hub],
            vec!["sweep", hub, "--add-spokes", "0..900:1"],
        ] {
            let mut args = args.clone();
            args.extend(["--format", format]);
            let (code, stderr) = close_pipe_early(&args);
            assert_eq!(code, Some(0), "{args:?}: {stderr}");
            assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        }
    }
}

/// `batch --check` fails on what `analyze --check` fails on: an error finding counts, not only
/// a client over its limit (issue 10).
#[test]
fn batch_check_means_what_analyze_check_means() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("forced.yaml");
    // custom_routes 0.0.0.0/0 is ROUTE001 (error); every client stays within its limit.
    std::fs::write(
        &bad,
        hub(&["10.0.0.0/16".into()], "172.16.0.0/24", "OpenVPN").replace(
            "      sku: VpnGw2\n",
            "      sku: VpnGw2\n      custom_routes: [0.0.0.0/0]\n",
        ),
    )
    .unwrap();
    let code = |cmd: &str, extra: &[&str], file: &std::path::Path| {
        p2s_sim()
            .args([cmd, "--as-of", "2026-12-01"])
            .args(extra)
            .arg(file)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code("analyze", &["--check"], &bad), Some(1));
    assert_eq!(code("batch", &["--check"], &bad), Some(1));
    assert_eq!(code("batch", &[], &bad), Some(0));
    // The batch CSV carries the finding as a row; the table line counts it.
    let out = p2s_sim()
        .args(["batch", "--as-of", "2026-12-01", "--format", "csv"])
        .arg(&bad)
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.contains(",ROUTE001,error,hub-gw,") && l.split(',').count() >= 17),
        "{csv}"
    );
    let out = p2s_sim()
        .args(["batch", "--as-of", "2026-12-01"])
        .arg(&bad)
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        line.contains("1 error") && !line.contains("1 errors"),
        "{line}"
    );
    // A warning fails only with --deny warnings (which implies --check): POOL006, a public pool.
    let warn = dir.path().join("public-pool.yaml");
    std::fs::write(
        &warn,
        hub(&["10.0.0.0/16".into()], "40.1.0.0/24", "OpenVPN"),
    )
    .unwrap();
    assert_eq!(code("batch", &["--check"], &warn), Some(0));
    assert_eq!(code("batch", &["--deny", "warnings"], &warn), Some(1));
}

/// Names with commas are quoted in every CSV (headroom wrote them raw).
#[test]
fn headroom_csv_quotes_names() {
    let text = hub(&["10.0.0.0/16".into()], "172.16.0.0/24", "OpenVPN")
        .replace("name: hub-gw", "name: \"gw,1\"");
    let out = p2s_sim()
        .args(["headroom", "--format", "csv", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let row = csv.lines().nth(1).unwrap();
    // 1 own prefix + 1 pool entry of 1000 OpenVPN routes: 998 more /24 spokes fit.
    assert_eq!(row, "\"gw,1\",openvpn,2,1000,998,998,false", "{csv}");
}
