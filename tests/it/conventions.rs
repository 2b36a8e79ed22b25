//! What a command-line tool ships: completions for each shell, a man page, a version with the
//! commit and build day, `explain --format json`.

use std::process::Command;

use crate::helpers::*;

fn stdout(args: &[&str]) -> String {
    p2s(args).stdout_ok()
}

#[test]
fn completions_for_every_shell_know_the_commands_and_flags() {
    for (shell, flag_form) in [
        ("bash", "--format"),
        ("zsh", "--format"),
        ("fish", "-l format"),
        ("powershell", "--format"),
    ] {
        let script = stdout(&["completions", shell]);
        for word in [
            "analyze",
            "whatif",
            "sweep",
            "explain",
            "completions",
            flag_form,
        ] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
        // The formats are offered as values of --format (PowerShell's script completes flags
        // only).
        if shell != "powershell" {
            assert!(
                script.contains("sarif") && script.contains("junit"),
                "{shell}"
            );
        }
    }
    // bash can parse its script.
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p2s-sim.bash");
    std::fs::write(&file, script).unwrap();
    let status = Command::new("bash").arg("-n").arg(&file).status().unwrap();
    assert!(status.success());
    let err = p2s(["completions", "tcsh"]).run();
    assert_eq!(err.code(), Some(2));
    assert!(err.stderr().contains("possible values"));
}

#[test]
fn man_page_documents_every_command() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH p2s-sim 1"), "{page}");
    for cmd in [
        "analyze",
        "whatif",
        "batch",
        "explain",
        "completions",
        "man",
    ] {
        assert!(page.contains(cmd), "no {cmd}");
    }
    let dir = tempfile::tempdir().unwrap();
    stdout(&["man", "--dir", dir.path().to_str().unwrap()]);
    for name in ["p2s-sim.1", "p2s-sim-analyze.1", "p2s-sim-explain.1"] {
        let text = read(&dir.path().join(name));
        assert!(text.contains(".TH"), "{name}");
    }
    let analyze = read(&dir.path().join("p2s-sim-analyze.1"));
    assert!(
        analyze.contains("sarif"),
        "the analyze page lists the formats"
    );
}

#[test]
fn version_names_the_commit_and_build_day() {
    let v = stdout(&["--version"]);
    let v = v.trim();
    let rest = v
        .strip_prefix(concat!("p2s-sim ", env!("CARGO_PKG_VERSION"), " (commit "))
        .unwrap_or_else(|| panic!("{v}"));
    let (commit, day) = rest
        .strip_suffix(')')
        .and_then(|r| r.split_once(", built "))
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{v}"
    );
    assert!(p2s_sim::verdicts::findings::Date::parse(day).is_ok(), "{v}");
    // In a git checkout the commit is the one built; outside one it is "unknown".
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string());
    assert_eq!(commit, head.as_deref().unwrap_or("unknown"), "{v}");
}

#[test]
fn explain_json_has_the_text_fields() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["explain", "--format", "json", "peer008"])).unwrap();
    assert_eq!(v["kind"], "finding");
    assert_eq!(v["code"], "PEER008");
    assert_eq!(v["severity"], "warning");
    for field in ["title", "why", "fix", "source"] {
        assert!(!v[field].as_str().unwrap().is_empty(), "{field}");
    }
    // The text format says the same.
    let text = stdout(&["explain", "PEER008"]);
    assert!(text.starts_with(&format!(
        "PEER008 (warning): {}",
        v["title"].as_str().unwrap()
    )));
    let r: serde_json::Value =
        serde_json::from_str(&stdout(&["explain", "--format", "json", "udp-blocked"])).unwrap();
    assert_eq!(r["kind"], "reason");
    assert!(r["meaning"].as_str().unwrap().contains("UDP"));
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&["explain", "--format", "json", "--list"])).unwrap();
    let text_list = stdout(&["explain", "--list"]);
    assert_eq!(list.as_array().unwrap().len(), text_list.lines().count());
    p2s(["explain", "--format", "json", "PEER999"]).expect_code(2);
}
