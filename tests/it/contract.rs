//! One CLI contract: `--check` and `--deny warnings` mean the same in every command (a client
//! over its limit or an error finding; warnings too with `--deny`), and every command sees
//! every finding because they all run the library's one pipeline (`p2s_sim::analyze`).

use serde_json::Value;

use super::helpers::{p2s, repo, write};

const HUB_SPOKE: &str = "datasets/scenarios/hub-spoke.yaml";

/// A scenario that breaks things without changing any client's status: a default route
/// (ROUTE001, an error) and the hub's half of the spoke-app peering removed.
fn breaking_scenario(dir: &tempfile::TempDir) -> String {
    let path = write(
        dir.path(),
        "break.yaml",
        "changes:\n  - set_gateway: {gateway: hub-weu-gw, custom_routes: [0.0.0.0/0]}\n  - remove_peering: {vnet: hub-weu, remote: spoke-app}\n",
    );
    path.to_str().unwrap().to_string()
}

fn code(args: &[&str]) -> i32 {
    p2s(args).run().code().expect("exited")
}

#[test]
fn whatif_check_fails_on_an_added_error_finding_though_no_status_changes() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = breaking_scenario(&dir);
    let base = [
        "whatif",
        HUB_SPOKE,
        "--scenario",
        &scenario,
        "--as-of",
        "2026-12-01",
    ];
    assert_eq!(
        code(&base),
        0,
        "without --check the change is only reported"
    );
    let check = [&base[..], &["--check"]].concat();
    assert_eq!(code(&check), 1, "ROUTE001 is an error after the change");

    let json: Value = p2s(base).args(["--format", "json"]).json_ok();
    assert_eq!(json["status_changes"], Value::Array(vec![]));
    let added: Vec<(&str, &str)> = json["findings_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert!(added.contains(&("ROUTE001", "error")), "{added:?}");
    // Worked by hand: hub-weu-gw offers IKEv2 and SSTP, so six client kinds; spoke-app
    // (10.1.0.0/16) was reachable through the transit peering, and nothing else changes.
    let lost: Vec<(String, Value, Value)> = json["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {}",
                    r["gateway"].as_str().unwrap(),
                    r["client"].as_str().unwrap()
                ),
                r["lost"].clone(),
                r["gained"].clone(),
            )
        })
        .collect();
    let kinds = [
        "windows-ikev2",
        "windows-ikev2-legacy",
        "windows-sstp",
        "macos-ikev2",
        "ios-ikev2",
        "linux-ikev2",
    ];
    let expected: Vec<(String, Value, Value)> = kinds
        .iter()
        .map(|k| {
            (
                format!("hub-weu-gw {k}"),
                serde_json::json!(["10.1.0.0/16"]),
                serde_json::json!([]),
            )
        })
        .collect();
    assert_eq!(lost, expected);

    let text = p2s(base).stdout_ok();
    assert!(
        text.contains("Reachability changes:\n  hub-weu-gw windows-ikev2: loses 10.1.0.0/16\n"),
        "{text}"
    );
}

#[test]
fn whatif_deny_warnings_counts_the_warnings_after_the_change() {
    // hub-spoke.yaml has two warnings and no error; adding a prefix to a spoke keeps it so.
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "grow.yaml",
        "changes:\n  - add_prefixes: {vnet: spoke-app, prefixes: [10.9.0.0/24]}\n",
    );
    let scenario = scenario.to_str().unwrap();
    let base = [
        "whatif",
        HUB_SPOKE,
        "--scenario",
        scenario,
        "--as-of",
        "2026-12-01",
    ];
    assert_eq!(code(&[&base[..], &["--check"]].concat()), 0);
    assert_eq!(code(&[&base[..], &["--deny", "warnings"]].concat()), 1);
    assert_eq!(
        code(&["analyze", HUB_SPOKE, "--as-of", "2026-12-01", "--check"]),
        0
    );
    assert_eq!(
        code(&[
            "analyze",
            HUB_SPOKE,
            "--as-of",
            "2026-12-01",
            "--deny",
            "warnings"
        ]),
        1
    );
}

#[test]
fn batch_and_analyze_agree_on_check_for_an_error_finding() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join(HUB_SPOKE))
        .unwrap()
        .replacen(
            "      bgp: {asn: 65515}\n",
            "      bgp: {asn: 65515}\n      custom_routes: [0.0.0.0/0]\n",
            1,
        );
    let file = write(dir.path(), "default-route.yaml", &text);
    let file = file.to_str().unwrap();
    for command in ["analyze", "batch"] {
        assert_eq!(
            code(&[command, file, "--as-of", "2026-12-01", "--check"]),
            1,
            "{command}"
        );
        assert_eq!(
            code(&[command, file, "--as-of", "2026-12-01"]),
            0,
            "{command}"
        );
    }
}

fn stdout(args: &[&str]) -> String {
    // Wide enough that no table cell wraps.
    p2s(args).env("COLUMNS", "400").stdout_ok()
}

#[test]
fn format_values_ignore_case() {
    let lower = stdout(&[
        "analyze",
        HUB_SPOKE,
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    for spelling in ["JSON", "Json"] {
        let other = stdout(&[
            "analyze",
            HUB_SPOKE,
            "--as-of",
            "2026-12-01",
            "--format",
            spelling,
        ]);
        assert_eq!(other, lower, "{spelling}");
    }
}

/// Markdown is drawn from the same rows as the table: every table row of the terminal page is
/// a row of the Markdown page, cell for cell.
fn same_rows(table: &str, markdown: &str) {
    let terminal_rows: Vec<Vec<String>> = table
        .lines()
        .filter(|l| l.trim_start().starts_with('│'))
        .map(|l| {
            l.trim()
                .trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let markdown_rows: Vec<Vec<String>> = markdown
        .lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert!(!markdown_rows.is_empty(), "{markdown}");
    // Headers included, the rows are the same (batch's one-line records are not a table).
    assert_eq!(terminal_rows, markdown_rows, "{table}\n{markdown}");
}

#[test]
fn plan_commands_review_batch_and_profile_check_print_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = breaking_scenario(&dir);
    let cases: [(&str, Vec<&str>); 6] = [
        (
            "whatif",
            vec![
                "whatif",
                HUB_SPOKE,
                "--scenario",
                &scenario,
                "--as-of",
                "2026-12-01",
            ],
        ),
        ("headroom", vec!["headroom", HUB_SPOKE, "-k", "2"]),
        (
            "sweep",
            vec![
                "sweep",
                HUB_SPOKE,
                "--add-spokes",
                "296..302:2",
                "--prefixes-per-spoke",
                "2",
            ],
        ),
        ("batch", vec!["batch", HUB_SPOKE, "--as-of", "2026-12-01"]),
        (
            "review",
            vec![
                "review",
                "tests/review_change_cases/inputs/remove-peering.plan.json",
                "--as-of",
                "2026-12-01",
            ],
        ),
        (
            "profile_check",
            vec!["profile", "check", "datasets/profiles/hub-spoke", HUB_SPOKE],
        ),
    ];
    for (name, args) in cases {
        let table = stdout(&args);
        let markdown = stdout(&[&args[..], &["--format", "markdown"]].concat());
        same_rows(&table, &markdown);
        insta::assert_snapshot!(format!("{name}_markdown"), markdown);
    }
}

/// The peak resident memory of a running process, from `/proc/PID/status` (kB).
#[cfg(target_os = "linux")]
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// `analyze --full` writes its lists as it goes: 30 hubs in a BGP mesh give every gateway the
/// same 30,600 prefixes in ten lists, about 9 million prefixes (over 200 MB of JSON) that the
/// report used to hold as text before the first byte was written. Reading the first megabyte
/// and closing the pipe ends the run quietly, and memory stays at what the analysis needs.
#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "needs /proc")]
fn full_output_streams_with_bounded_memory_and_a_closed_pipe_ends_it_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let file = mesh(&dir, 30, 50, 20, 1);
    let file = file.as_str();
    for format in ["json", "table", "csv", "markdown", "html"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("p2s-sim"))
            .args([
                "analyze",
                "--full",
                "--as-of",
                "2026-12-01",
                "--format",
                format,
                file,
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = vec![0u8; 1 << 20];
        stdout
            .read_exact(&mut first)
            .expect("at least a megabyte of output");
        let peak_mb = peak_rss_kb(child.id()) / 1024;
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            peak_mb < 150,
            "{format}: {peak_mb} MB before the first megabyte was read"
        );
    }
}

/// Every command, in every format it has, ends quietly with exit 0 when the reader of its
/// output goes away (`p2s-sim ... | head -1`). The mesh topology makes the outputs of analyze,
/// batch and review far larger than a pipe's buffer, so the closed pipe is really hit.
#[test]
fn a_closed_pipe_ends_every_command_in_every_format_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mesh = mesh(&dir, 12, 20, 10, 3);
    let mesh = mesh.as_str();
    // 65,536 lower halves of /24s: nothing merges, the aggregate is as long as the list.
    let list: String = (0..65_536u32)
        .map(|i| format!("10.{}.{}.0/25\n", i >> 8, i & 255))
        .collect();
    let prefixes = write(dir.path(), "prefixes.txt", &list);
    let prefixes = prefixes.to_str().unwrap();
    let scenario = "datasets/whatif/add-40-spokes.yaml";
    let day = ["--as-of", "2026-12-01"];
    let formats = |command: &str| -> Vec<&'static str> {
        match command {
            "analyze" => vec!["table", "json", "csv", "markdown", "sarif", "junit", "html"],
            "whatif" | "headroom" | "sweep" => vec!["table", "markdown", "json", "csv", "html"],
            "review" => vec!["table", "json", "markdown", "html"],
            "batch" => vec!["table", "markdown", "jsonl", "csv"],
            "profile check" => vec!["table", "json", "markdown"],
            "explain" => vec!["text", "json"],
            "convert" => vec!["yaml", "json"],
            _ => vec![""],
        }
    };
    let commands: Vec<(&str, Vec<&str>)> = vec![
        ("analyze", [&["analyze", mesh, "--full"][..], &day].concat()),
        (
            "whatif",
            [&["whatif", HUB_SPOKE, "--scenario", scenario][..], &day].concat(),
        ),
        ("headroom", vec!["headroom", mesh]),
        (
            "sweep",
            vec!["sweep", HUB_SPOKE, "--add-spokes", "0..900:1"],
        ),
        (
            "review",
            [
                &["review", "--before", HUB_SPOKE, "--after", mesh][..],
                &day,
            ]
            .concat(),
        ),
        (
            "batch",
            [&["batch", mesh, mesh, mesh, mesh][..], &day].concat(),
        ),
        ("generate", vec!["generate", "--hubs", "40"]),
        ("prefixes", vec!["prefixes", "aggregate", prefixes]),
        ("convert", vec!["convert", mesh]),
        (
            "profile check",
            vec!["profile", "check", "datasets/profiles/hub-spoke", HUB_SPOKE],
        ),
        (
            "profile routes",
            vec![
                "profile",
                "routes",
                mesh,
                "--gateway",
                "hub-0001-gw",
                "--client",
                "windows-ikev2",
            ],
        ),
        ("explain", vec!["explain", "--list"]),
        ("completions", vec!["completions", "bash"]),
        ("man", vec!["man"]),
    ];
    // Every command of `p2s-sim --help` is here (help itself aside).
    let help = p2s(["--help"]).stdout_ok();
    let listed: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    for c in &listed {
        assert!(
            commands
                .iter()
                .any(|(name, _)| name.split(' ').next() == Some(*c)),
            "{c} is not checked"
        );
    }
    for (name, args) in &commands {
        for format in formats(name) {
            let mut args = args.clone();
            if !format.is_empty() {
                args.extend(["--format", format]);
            }
            let (first, out) = p2s(&args).close_after_first_line();
            let stderr = out.stderr().to_string();
            assert!(!first.is_empty(), "{args:?}: {stderr}");
            assert_eq!(out.code(), Some(0), "{args:?}: {stderr}");
            assert!(!stderr.contains("rror"), "{args:?}: {stderr}");
        }
    }
}

/// A generated topology of `hubs` hubs in a Vnet2Vnet + BGP mesh (every gateway learns every
/// prefix), written to `dir/mesh.json`; returns its path.
fn mesh(dir: &tempfile::TempDir, hubs: u32, spokes: u32, prefixes: u32, seed: u32) -> String {
    let path = dir.path().join("mesh.json");
    let path = path.to_str().unwrap().to_string();
    let (hubs, spokes, prefixes, seed) = (
        hubs.to_string(),
        spokes.to_string(),
        prefixes.to_string(),
        seed.to_string(),
    );
    p2s([
        "generate",
        "--hubs",
        &hubs,
        "--spokes-per-hub",
        &spokes,
        "--prefixes-per-vnet",
        &prefixes,
        "--local-networks",
        "1",
        "--v2v-mesh",
        "--bgp",
        "--seed",
        &seed,
        "--out",
        &path,
    ])
    .expect_code(0);
    path
}

/// The gate is one flag group: on hub-spoke.yaml (two warnings, no error, no client over its
/// limit) every command that gates passes without flags and with `--check`, and fails with
/// `--deny warnings` (any case), which implies `--check`; `review` of a change to nothing has
/// nothing worse to fail on, whatever the flags.
#[test]
fn check_and_deny_combine_the_same_way_in_every_gating_command() {
    let dir = tempfile::tempdir().unwrap();
    let nothing = write(dir.path(), "nothing.yaml", "changes: []\n");
    let nothing = nothing.to_str().unwrap();
    let date = ["--as-of", "2026-12-01"];
    let commands: [Vec<&str>; 3] = [
        vec!["analyze", HUB_SPOKE],
        vec!["batch", HUB_SPOKE],
        vec!["whatif", HUB_SPOKE, "--scenario", nothing],
    ];
    for command in &commands {
        let with = |flags: &[&str]| code(&[&command[..], &date[..], flags].concat());
        assert_eq!(with(&[]), 0, "{command:?}");
        assert_eq!(with(&["--check"]), 0, "{command:?}");
        assert_eq!(with(&["--deny", "warnings"]), 1, "{command:?}");
        assert_eq!(with(&["--check", "--deny", "WARNINGS"]), 1, "{command:?}");
    }
    let review = ["review", "--before", HUB_SPOKE, "--after", HUB_SPOKE];
    assert_eq!(
        code(&[&review[..], &date[..], &["--deny", "warnings"]].concat()),
        0
    );
}

/// `--list-limit` is one flag with one default (10,000) in every command that prints route
/// lists; batch used to cut at 1,000. A limit of 3 turns hub-spoke's 12 advertised routes into
/// a count in batch as in analyze.
#[test]
fn list_limit_is_the_same_flag_with_the_same_default_everywhere() {
    for command in ["analyze", "whatif", "review", "batch"] {
        let help = stdout(&[command, "--help"]);
        let at = help.find("--list-limit <N>").expect(command);
        let entry = &help[at..help[at..].find("\n\n  ").map_or(help.len(), |e| at + e)];
        assert!(entry.contains("[default: 10000]"), "{command}: {entry}");
    }
    for (command, format) in [("analyze", "json"), ("batch", "jsonl")] {
        let run = |limit: &[&str]| {
            let args = [
                command,
                HUB_SPOKE,
                "--as-of",
                "2026-12-01",
                "--format",
                format,
            ];
            let out = stdout(&[&args[..], limit].concat());
            out.split_whitespace().collect::<String>()
        };
        let cut = run(&["--list-limit", "3"]);
        assert!(
            cut.contains("\"advertised\":null,\"advertised_count\":12"),
            "{command}: {cut}"
        );
        let whole = run(&[]);
        assert!(whole.contains("\"advertised\":[\""), "{command}: {whole}");
    }
}

/// The JSON report renders its gateways on all threads, a window at a time: the bytes are the
/// same on one thread as on several, for 300 gateways (more than one window of 256) with lists
/// cut and in full.
#[test]
fn the_json_report_is_the_same_bytes_on_one_thread_and_on_several() {
    let dir = tempfile::tempdir().unwrap();
    let path = mesh(&dir, 300, 1, 1, 7);
    for extra in [&["--list-limit", "100"][..], &["--full"][..]] {
        let run = |threads: &str| {
            p2s([
                "analyze",
                "--as-of",
                "2026-12-01",
                "--format",
                "json",
                &path,
            ])
            .args(extra)
            .env("RAYON_NUM_THREADS", threads)
            .expect_code(0)
            .into_stdout()
        };
        let one = run("1");
        let report: serde_json::Value = serde_json::from_str(&one).unwrap();
        assert_eq!(
            report["gateways"].as_array().unwrap().len(),
            300,
            "{extra:?}"
        );
        assert_eq!(report["gateways"][299]["name"], "hub-0300-gw", "{extra:?}");
        for threads in ["2", "3"] {
            assert!(run(threads) == one, "{extra:?}: {threads} threads differ");
        }
    }
}
