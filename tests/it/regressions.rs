//! Replays `tests/regressions/<target>/*` (inputs found by fuzzing, and hostile cases kept
//! beside them) through the same entry points as the fuzz targets (`p2s_sim::fuzzing`):
//! no input may panic, and an input that is refused gets an error naming its file and a place.
//! Add a crash, timeout or OOM from `fuzz/artifacts/TARGET/` by copying it into the folder;
//! `TARGET/corpus/` holds the target's minimised fuzz corpus (docs/fuzzing.md).

use p2s_sim::fuzzing::TARGETS;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::helpers::repo;

#[test]
fn every_regression_input_replays_without_a_panic() {
    let root = repo().join("tests/regressions");
    let mut replayed = 0;
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&root).expect("tests/regressions exists") {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let target = dir.file_name().unwrap().to_string_lossy().to_string();
        let Some((_, run)) = TARGETS.iter().find(|(name, _)| *name == target) else {
            problems.push(format!("{}: no fuzz target of that name", dir.display()));
            continue;
        };
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        // The target's minimised fuzz corpus (`cargo fuzz cmin`), replayed the same way.
        if let Ok(corpus) = std::fs::read_dir(dir.join("corpus")) {
            files.extend(corpus.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let bytes = std::fs::read(&file).unwrap();
            replayed += 1;
            match catch_unwind(AssertUnwindSafe(|| run(&name, &bytes))) {
                Err(_) => problems.push(format!("{target}/{name}: panicked")),
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    if e.file != name {
                        problems.push(format!(
                            "{target}/{name}: the error names '{}', not the file: {e}",
                            e.file
                        ));
                    }
                    if e.message.trim().is_empty() {
                        problems.push(format!("{target}/{name}: an empty message"));
                    }
                    if e.place.trim().is_empty() && !FILE_WIDE.iter().any(|m| e.message.contains(m))
                    {
                        problems.push(format!("{target}/{name}: the error names no place: {e}"));
                    }
                }
            }
        }
    }
    assert!(
        replayed > 0,
        "no regression inputs found under {}",
        root.display()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Errors about the file as a whole, which have no place inside it.
const FILE_WIDE: &[&str] = &[
    "the file is empty",
    "cannot tell what this JSON is",
    "no VNets or gateways in",
    "not a zip",
    "ARM parameters file",
    "not a VPN client profile",
    "this is neither a Terraform plan",
    "not valid UTF-16 text",
    "missing field `groups`",
];
