//! The terminal: the verdict summary first, tables that fit `COLUMNS`, colour only when asked
//! (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`).

use crate::helpers::*;

const AS_OF: &str = "2026-12-01";
const HUB_SPOKE: &str = "datasets/scenarios/hub-spoke.yaml";
const HOSTILE: &str = "tests/data/hostile-names.yaml";

fn analyze(extra: &[&str]) -> P2s {
    p2s(["analyze", "--as-of", AS_OF]).args(extra)
}

/// Removes ANSI SGR sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A hub with 30 prefixes (31 selectors with the pool): over the legacy Windows limit of 25.
fn over_limit_hub() -> String {
    let many: Vec<String> = (0..30).map(|i| format!("10.{i}.0.0/16")).collect();
    hub(&many, "172.16.0.0/24", "IkeV2")
}

#[test]
fn summary_lines() {
    let text = analyze(&[HUB_SPOKE]).env("COLUMNS", "200").stdout_ok();
    let head: Vec<&str> = text.lines().take(2).collect();
    insta::assert_snapshot!("summary_hub_spoke", head.join("\n"));
    let text = analyze(&["-"]).stdin(over_limit_hub()).stdout_ok();
    insta::assert_snapshot!("summary_over_limit", text.lines().next().unwrap());
}

#[test]
fn summary_counts_findings_and_pluralises() {
    // No gateway at all with P2S: said so, and no "within limits" claim.
    let text = analyze(&["-"]).stdin(
        "vnets:\n  - name: a\n    address_space: [10.0.0.0/16]\n    gateway: {name: a-gw, sku: VpnGw1}\n",
    ).stdout_ok();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("no gateway with P2S: no errors"),
        "{text}"
    );
    assert_eq!(lines.next(), Some("a-gw: no P2S configuration"), "{text}");
    // One prefix is "1 prefix".
    let one = hub(&["10.0.0.0/16".to_string()], "172.16.0.0/24", "OpenVPN");
    let text = analyze(&["-"]).stdin(one).stdout_ok();
    assert!(text.contains("reachable:  1 prefix: 10.0.0.0/16"), "{text}");
    assert!(!text.contains("1 prefixes"), "{text}");
}

#[test]
fn narrow_terminal_table_fits() {
    let text = analyze(&[HUB_SPOKE]).env("COLUMNS", "80").stdout_ok();
    for line in text.lines() {
        // Only unbreakable words (URLs in finding sources) may run past the width.
        assert!(
            line.chars().count() <= 80 || line.split_whitespace().any(|w| w.len() > 40),
            "{} columns: {line}",
            line.chars().count()
        );
    }
    insta::assert_snapshot!("narrow_table_80", text);
}

#[test]
fn long_prefix_cells_are_summarised_unless_full() {
    // 30 prefixes learned over BGP from a neighbour: Windows needs 30 manual routes.
    let spokes: String = (0..30)
        .map(|i| format!("      - 10.{}.0.0/16\n", 100 + i))
        .collect();
    let text = format!(
        "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n    gateway:\n      name: hub-gw\n      sku: VpnGw2\n      bgp: {{asn: 65515}}\n      p2s: {{address_pool: [172.16.0.0/24], tunnel_types: [SSTP], auth_types: [Certificate]}}\n  - name: far\n    address_space:\n{spokes}    gateway: {{name: far-gw, sku: VpnGw2, bgp: {{asn: 65516}}}}\nconnections:\n  - {{name: a, type: Vnet2Vnet, gateway: hub-gw, remote_gateway: far-gw, bgp: true}}\n  - {{name: b, type: Vnet2Vnet, gateway: far-gw, remote_gateway: hub-gw, bgp: true}}\n"
    );
    let short = analyze(&["-"]).stdin(text.clone()).stdout_ok();
    assert!(short.contains("30 prefixes: 10.100.0.0/16"), "{short}");
    assert!(short.contains("10.102.0.0/16 ... (--full)"), "{short}");
    assert!(!short.contains("10.103.0.0/16 ..."), "{short}");
    let full = analyze(&["--full", "-"]).stdin(text).stdout_ok();
    assert!(!full.contains("(--full)"), "{full}");
    assert!(full.contains("10.129.0.0/16"), "{full}");
}

#[test]
fn no_color_wins_over_auto_but_not_over_always() {
    // CLICOLOR_FORCE makes `auto` colour even into a pipe; NO_COLOR turns it off again.
    let forced = analyze(&[HUB_SPOKE]).env("CLICOLOR_FORCE", "1").stdout_ok();
    assert!(forced.contains('\u{1b}'), "{forced}");
    let no_color = analyze(&[HUB_SPOKE])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .stdout_ok();
    assert!(!no_color.contains('\u{1b}'), "{no_color}");
    let plain = analyze(&[HUB_SPOKE]).stdout_ok();
    assert!(!plain.contains('\u{1b}'), "a pipe gets no colour: {plain}");
    assert_eq!(no_color, plain);
    let always = analyze(&["--color", "always", HUB_SPOKE])
        .env("NO_COLOR", "1")
        .stdout_ok();
    assert!(always.contains('\u{1b}'), "{always}");
    let never = analyze(&["--color", "never", HUB_SPOKE])
        .env("CLICOLOR_FORCE", "1")
        .stdout_ok();
    assert_eq!(never, plain);
}

#[test]
fn color_always_marks_what_is_wrong_and_only_adds_colour() {
    let coloured = analyze(&["--color", "always", "-"])
        .stdin(over_limit_hub())
        .stdout_ok();
    let plain = analyze(&["--color", "never", "-"])
        .stdin(over_limit_hub())
        .stdout_ok();
    assert_eq!(strip_ansi(&coloured), plain);
    // The summary line is red (it names a client over its limit) ...
    let first = coloured.lines().next().unwrap();
    assert!(first.starts_with("\u{1b}["), "{first:?}");
    assert!(
        first.contains("31m") || first.contains("38;5;9m"),
        "{first:?}"
    );
    // ... and so is the over-limit cell, while an ok cell has no colour.
    let legacy = coloured
        .lines()
        .find(|l| l.contains("windows-ikev2-legacy"))
        .unwrap();
    assert!(legacy.contains('\u{1b}'), "{legacy:?}");
    let ok_row = coloured
        .lines()
        .find(|l| l.contains("macos-ikev2"))
        .unwrap();
    assert!(!ok_row.contains('\u{1b}'), "{ok_row:?}");
}

#[test]
fn whatif_and_batch_start_with_the_verdict() {
    let text = p2s([
        "whatif",
        "--as-of",
        AS_OF,
        HUB_SPOKE,
        "--scenario",
        "datasets/whatif/add-40-spokes.yaml",
    ])
    .stdout_ok();
    assert!(
        text.starts_with(
            "after the change: 1 gateway with P2S: windows-ikev2-legacy over its limit on \
             hub-weu-gw (93 / 25)"
        ),
        "{text}"
    );
    let text = p2s(["batch", "--as-of", AS_OF, HUB_SPOKE]).stdout_ok();
    assert!(
        text.starts_with(
            "1 topology: all clients within limits; no errors, 2 warnings\n\
             datasets/scenarios/hub-spoke.yaml: 1 gateway with P2S: all clients within limits"
        ),
        "{text}"
    );
}

/// `batch`: the whole run in the first line, then a line per topology; `--color` as `analyze`.
#[test]
fn batch_sums_up_the_run_first_and_colours_like_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "vnets: [\n").unwrap();
    let batch = |extra: &[&str]| {
        // An unreadable topology: exit 2, the others still reported.
        p2s(["batch", "--as-of", AS_OF, "--jobs", "1"])
            .args(extra)
            .args([HUB_SPOKE, HOSTILE])
            .arg(&broken)
            .expect_code(2)
            .into_stdout()
    };
    // By hand: hub-spoke is within limits with 0 errors and 2 warnings; the hostile names
    // have windows-ikev2-legacy at 28 of 25 with 1 error and 2 warnings; broken.yaml does not
    // parse. So 3 topologies, 1 over a limit, 1 error, 4 warnings, 1 unreadable.
    let plain = batch(&[]);
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(
        lines[0],
        "3 topologies: 1 with a client over its limit; 1 error, 4 warnings; 1 unreadable"
    );
    assert!(lines[1].starts_with("datasets/scenarios/hub-spoke.yaml: 1 gateway with P2S"));
    assert!(lines[2].starts_with(
        "tests/data/hostile-names.yaml: 1 gateway with P2S: windows-ikev2-legacy over its limit"
    ));
    assert!(lines[3].contains("broken.yaml: FAILED: "), "{plain}");
    assert!(!plain.contains('\u{1b}'), "a pipe gets no colour: {plain}");
    let coloured = batch(&["--color", "always"]);
    assert_eq!(strip_ansi(&coloured), plain);
    let first = coloured.lines().next().unwrap();
    assert!(
        first.starts_with("\u{1b}[") && first.contains("31m"),
        "{first:?}"
    );
    // hub-spoke has warnings only: yellow; the hostile names are over a limit: red.
    let hub = coloured.lines().nth(1).unwrap();
    assert!(hub.contains("33m") && !hub.contains("31m"), "{hub:?}");
    assert!(coloured.lines().nth(2).unwrap().contains("31m"));
    // NO_COLOR wins over auto (even forced), not over always; never wins over CLICOLOR_FORCE.
    let batch = |args: &[&str], env: &[(&str, &str)]| {
        let cmd = p2s(["batch", "--as-of", AS_OF]).args(args);
        env.iter().fold(cmd, |c, (k, v)| c.env(k, v)).stdout_ok()
    };
    let forced = [("CLICOLOR_FORCE", "1")];
    assert!(!batch(&[HUB_SPOKE], &[forced[0], ("NO_COLOR", "1")]).contains('\u{1b}'));
    assert!(batch(&[HUB_SPOKE], &forced).contains('\u{1b}'));
    assert!(!batch(&["--color", "never", HUB_SPOKE], &forced).contains('\u{1b}'));
}

/// Runs `p2s-sim ARGS` on a pseudo-terminal of 40 rows and `cols` columns (util-linux
/// `script`, in every Debian base system) and returns what it printed, `\r` removed.
fn on_a_terminal(cols: u16, env: &str, args: &str) -> String {
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("p2s-sim");
    let command = format!("stty rows 40 cols {cols}; {env} '{}' {args}", bin.display());
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(repo())
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("util-linux script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().replace('\r', "")
}

#[test]
fn a_terminal_gets_its_width_and_colour() {
    let args = format!("analyze --as-of {AS_OF} {HUB_SPOKE}");
    let text = on_a_terminal(90, "", &args);
    assert!(text.contains('\u{1b}'), "auto colours a terminal: {text}");
    let plain = strip_ansi(&text);
    for line in plain.lines() {
        assert!(
            line.chars().count() <= 90 || line.contains("https://"),
            "{} columns: {line}",
            line.chars().count()
        );
    }
    // It uses the width it has: wider than 80 columns, where a pipe would get 120.
    assert!(plain.lines().any(|l| l.chars().count() > 80), "{plain}");
    let no_color = on_a_terminal(90, "NO_COLOR=1", &args);
    assert!(!no_color.contains('\u{1b}'), "{no_color}");
    assert_eq!(no_color, plain);
}
