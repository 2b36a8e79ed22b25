//! Data-driven: every `datasets/scenarios/NAME.yaml` is analysed along every path (native YAML,
//! the JSON form written by `convert`, the binary's `--format json`) and compared with
//! `NAME.expected.yaml`, whose values were worked out by hand.

use std::path::Path;

use serde_json::Value;

use crate::helpers::*;

fn scenario_files() -> Vec<std::path::PathBuf> {
    case_files("datasets/scenarios")
}

/// `NAME.yaml` files with a `NAME.expected.yaml` beside them, sorted.
fn case_files(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = repo().join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("datasets/scenarios exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.ends_with(".yaml") && !name.ends_with(".expected.yaml")
        })
        .collect();
    files.sort();
    files
}

fn expected_for(path: &Path) -> Value {
    let expected_path = path.with_extension("expected.yaml");
    serde_saphyr::from_str(&read(&expected_path))
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()))
}

#[test]
fn every_scenario_matches_its_hand_worked_results() {
    let files = scenario_files();
    assert!(files.len() >= 9, "eight spec §1 rows plus a hub-and-spoke");
    let mut failures = Vec::new();
    for path in &files {
        let topo = topology(&read(path));
        let actual = report_json(&topo);
        check_exact_clients(
            &expected_for(path),
            &actual,
            &path.display().to_string(),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Independent review cases (`tests/review_cases/`, see its README): each expected file lists
/// only the fields its author worked out by hand.
#[test]
fn every_review_case_matches_its_hand_worked_results() {
    let files = case_files("tests/review_cases");
    assert!(files.len() >= 50);
    let mut failures = Vec::new();
    for path in &files {
        let actual = report_json(&topology(&read(path)));
        check_subset(
            &expected_for(path),
            &actual,
            &path.display().to_string(),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_json_form_gives_the_same_results_as_the_yaml() {
    for path in scenario_files()
        .into_iter()
        .chain(case_files("tests/review_cases"))
    {
        let topo = topology(&read(&path));
        let json = serde_json::to_string(&p2s_sim::model::to_native(&topo)).unwrap();
        let again = topology(&json);
        assert_eq!(again, topo, "{}", path.display());
        assert_eq!(
            report_json(&again),
            report_json(&topo),
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_binary_prints_the_same_json() {
    for path in scenario_files() {
        let topo = topology(&read(&path));
        let mut printed = p2s(["analyze", "--as-of", "2026-12-01", "--format", "json"])
            .arg(&path)
            .json_ok();
        // The binary adds capacity (the findings' business); routes and limits must agree.
        for g in printed["gateways"].as_array_mut().unwrap() {
            g.as_object_mut().unwrap().remove("capacity");
        }
        assert_eq!(
            printed["gateways"],
            report_json_at(&topo, "2026-12-01")["gateways"],
            "{}",
            path.display()
        );
    }
}
