//! Snapshots of every output format for the bundled hub-and-spoke (review changes with
//! `cargo insta review`).

use crate::helpers::*;

/// Every snapshot is for one day (SSTP retirement and other dated rules depend on it).
const AS_OF: &str = "2026-12-01";

fn render(format: &str) -> String {
    run(&["analyze", "--as-of", AS_OF, "--format", format, HUB_SPOKE])
}

#[test]
fn table() {
    insta::assert_snapshot!(render("table"));
}

#[test]
fn json() {
    insta::assert_snapshot!(render("json"));
}

#[test]
fn csv() {
    insta::assert_snapshot!(render("csv"));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(render("markdown"));
}

fn run(args: &[&str]) -> String {
    p2s(args).stdout_ok()
}

const HUB_SPOKE: &str = "datasets/scenarios/hub-spoke.yaml";
const FORTY: &str = "datasets/whatif/add-40-spokes.yaml";
const POPULATION: &str = "windows-ikev2-legacy=15%,windows-ikev2=60%,macos-ikev2=10%,openvpn=15%";

#[test]
fn whatif_table() {
    insta::assert_snapshot!(run(&[
        "whatif",
        "--as-of",
        AS_OF,
        HUB_SPOKE,
        "--scenario",
        FORTY,
        "--clients",
        POPULATION
    ]));
}

#[test]
fn whatif_csv() {
    insta::assert_snapshot!(run(&[
        "whatif",
        "--as-of",
        AS_OF,
        HUB_SPOKE,
        "--scenario",
        FORTY,
        "--format",
        "csv"
    ]));
}

#[test]
fn whatif_json() {
    insta::assert_snapshot!(run(&[
        "whatif",
        "--as-of",
        AS_OF,
        HUB_SPOKE,
        "--scenario",
        FORTY,
        "--format",
        "json"
    ]));
}

#[test]
fn headroom_table() {
    insta::assert_snapshot!(run(&["headroom", "-k", "2", HUB_SPOKE]));
}

#[test]
fn sweep_table_and_csv() {
    insta::assert_snapshot!(run(&[
        "sweep",
        HUB_SPOKE,
        "--add-spokes",
        "0..20:4",
        "--clients",
        POPULATION
    ]));
    insta::assert_snapshot!(run(&[
        "sweep",
        HUB_SPOKE,
        "--add-custom-routes",
        "0..20:5",
        "--format",
        "csv"
    ]));
}

/// The README's worked fleet example ("Who can connect") is the real output: its lines, in
/// order, with `...` where lines are left out.
#[test]
fn readme_fleet_example_is_the_real_output() {
    let readme = read(&repo().join("README.md"));
    let command = "p2s-sim analyze --as-of 2026-12-01 --fleet datasets/fleets/example-fleet.yaml datasets/scenarios/hub-spoke.yaml";
    let at = readme.find(command).expect("the example's command");
    let rest = &readme[at..];
    let start = rest.find("```text\n").unwrap() + "```text\n".len();
    let block = &rest[start..start + rest[start..].find("```").unwrap()];
    let out = run(&[
        "analyze",
        "--as-of",
        AS_OF,
        "--fleet",
        "datasets/fleets/example-fleet.yaml",
        HUB_SPOKE,
    ]);
    let lines: Vec<&str> = out.lines().collect();
    let mut next = 0;
    let mut skipping = false;
    for want in block.lines() {
        if want == "..." {
            skipping = true;
            continue;
        }
        let found = if skipping {
            lines[next..]
                .iter()
                .position(|l| *l == want)
                .map(|i| next + i)
        } else {
            (lines.get(next) == Some(&want)).then_some(next)
        };
        let Some(i) = found else {
            panic!(
                "README line not in the output (at line {}): {want}\n{out}",
                next + 1
            );
        };
        next = i + 1;
        skipping = false;
    }
    assert!(next > 20, "the example shows the fleet table");
}

/// The bundled example fleet on the bundled hub-and-spoke (the README's worked example).
#[test]
fn fleet_table() {
    insta::assert_snapshot!(run(&[
        "analyze",
        "--as-of",
        AS_OF,
        "--fleet",
        "datasets/fleets/example-fleet.yaml",
        HUB_SPOKE
    ]));
}
