//! The binary's contract: exit codes, `--check`, broken pipes, help.

use crate::helpers::*;

#[test]
fn check_exits_1_only_when_a_client_is_over_its_limit() {
    let many: Vec<String> = (0..30).map(|i| format!("10.{i}.0.0/16")).collect();
    let over = hub(&many, "172.16.0.0/24", "IkeV2");
    let out = p2s(["analyze", "--as-of", "2026-12-01", "--check", "-"])
        .stdin(over.clone())
        .run();
    assert_eq!(out.code(), Some(1));
    let text = out.stdout();
    assert!(text.contains("over-limit"), "{text}");
    assert!(
        text.starts_with(
            "1 gateway with P2S: windows-ikev2-legacy over its limit on hub-gw (31 / 25)"
        ),
        "{text}"
    );
    let out = p2s(["analyze", "--as-of", "2026-12-01", "-"])
        .stdin(over)
        .run();
    assert_eq!(out.code(), Some(0), "without --check the report is all");
    let fine = hub(&many[..3], "172.16.0.0/24", "IkeV2");
    p2s(["analyze", "--as-of", "2026-12-01", "--check", "-"])
        .stdin(fine)
        .expect_code(0);
}

#[test]
fn long_lists_are_counted_not_printed_unless_asked() {
    let many: Vec<String> = (0..300)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect();
    let text = hub(&many, "172.16.0.0/24", "OpenVPN");
    let v = p2s(["analyze", "--as-of", "2026-12-01", "--format", "json"])
        .args(["--list-limit", "100", "-"])
        .stdin(text.clone())
        .run()
        .json();
    assert_eq!(v["gateways"][0]["advertised"], serde_json::Value::Null);
    assert_eq!(v["gateways"][0]["advertised_count"], 301);
    assert_eq!(
        v["gateways"][0]["clients"][0]["routes"],
        serde_json::Value::Null
    );
    let v = p2s([
        "analyze",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
        "--full",
        "-",
    ])
    .stdin(text)
    .run()
    .json();
    assert_eq!(
        v["gateways"][0]["advertised"].as_array().unwrap().len(),
        301
    );
}

#[test]
fn help_teaches_with_examples() {
    let out = p2s(["analyze", "--help"]).run();
    let help = out.stdout();
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--format"));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    let many: Vec<String> = (0..2000)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect();
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), hub(&many, "172.16.0.0/24", "OpenVPN")).unwrap();
    let (first, out) = p2s([
        "analyze",
        "--as-of",
        "2026-12-01",
        "--full",
        "--format",
        "json",
    ])
    .arg(path.path())
    .close_after_first_line();
    assert_eq!(first, "{\n");
    assert!(out.stderr().is_empty(), "{}", out.stderr());
    assert_eq!(out.code(), Some(0));
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
            vec![
                "batch",
                "--as-of",
                "2026-12-01",
                "--format",
                "jsonl",
                "/dev/stdin",
            ],
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
            vec![
                "whatif",
                "--as-of",
                "2026-12-01",
                hub,
                "--scenario",
                "/dev/stdin",
            ],
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
        let out = p2s(&args).stdin(input).run();
        let stdout = out.stdout();
        assert!(
            out.code() == Some(0) && stdout.contains(expected),
            "{args:?}: {}\n{stdout}",
            out.stderr()
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
    let out = p2s(["analyze", "--as-of", "2026-12-01", "--format", "json"])
        .arg(&fifo)
        .run();
    writer.join().unwrap();
    let report = out.expect_code(0).json();
    assert_eq!(report["gateways"][0]["name"], "hub-weu-gw");
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
            let (first, out) = p2s(&args).close_after_first_line();
            let (code, stderr) = (out.code(), out.stderr());
            assert!(!first.is_empty(), "{args:?}: {stderr}");
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
        p2s([cmd, "--as-of", "2026-12-01"])
            .args(extra)
            .arg(file)
            .run()
            .code()
    };
    assert_eq!(code("analyze", &["--check"], &bad), Some(1));
    assert_eq!(code("batch", &["--check"], &bad), Some(1));
    assert_eq!(code("batch", &[], &bad), Some(0));
    // The batch CSV carries the finding as a row; the table line counts it.
    let csv = p2s(["batch", "--as-of", "2026-12-01", "--format", "csv"])
        .arg(&bad)
        .run()
        .into_stdout();
    assert!(
        csv.lines()
            .any(|l| l.contains(",ROUTE001,error,hub-gw,") && l.split(',').count() >= 17),
        "{csv}"
    );
    let line = p2s(["batch", "--as-of", "2026-12-01"])
        .arg(&bad)
        .run()
        .into_stdout();
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
    let csv = p2s(["headroom", "--format", "csv", "-"])
        .stdin(text)
        .run()
        .into_stdout();
    let row = csv.lines().nth(1).unwrap();
    // 1 own prefix + 1 pool entry of 1000 OpenVPN routes: 998 more /24 spokes fit.
    assert_eq!(row, "\"gw,1\",openvpn,2,1000,998,998,false", "{csv}");
}
