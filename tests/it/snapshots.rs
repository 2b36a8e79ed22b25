//! Snapshots of every output format for the bundled hub-and-spoke (review changes with
//! `cargo insta review`).

use crate::helpers::*;

fn render(format: &str) -> String {
    let out = p2s_sim()
        .args([
            "analyze",
            "--format",
            format,
            "datasets/scenarios/hub-spoke.yaml",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
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
