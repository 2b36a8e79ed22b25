//! The entry points the fuzz targets (`fuzz/`) and the regression replay (`tests/it/regressions.rs`)
//! drive, so a crash found by fuzzing replays through exactly the same code under stable
//! `cargo test`. Each takes arbitrary bytes named like a file and returns `Ok` or an error that
//! names that file; a panic is a bug. Not a stable API.

use std::sync::OnceLock;

use crate::engine::{self, Analysis};
use crate::model::{Topology, TopologyError};
use crate::plan::whatif::{self, Scenario};
use crate::prefix::PrefixReader;
use crate::profile::Package;
use crate::read::{self, arm_expr, ReadOptions, Source};
use crate::report::ListLimit;
use crate::verdicts::findings::{self, Date};
use crate::verdicts::fleet::{parse_fleet, AppDefaults};

/// A located error, whatever reader produced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub file: String,
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.place, self.message)
    }
}

impl From<TopologyError> for Failure {
    fn from(e: TopologyError) -> Self {
        Failure {
            file: e.file,
            place: e.place,
            message: e.message,
        }
    }
}

impl From<crate::profile::ProfileError> for Failure {
    fn from(e: crate::profile::ProfileError) -> Self {
        Failure {
            file: e.file,
            place: e.place,
            message: e.message,
        }
    }
}

/// One entry point: a file name and its bytes.
pub type EntryPoint = fn(&str, &[u8]) -> Result<(), Failure>;

/// The targets, by the name of their fuzz target and regression folder.
pub const TARGETS: &[(&str, EntryPoint)] = &[
    ("read_topology", read_topology),
    ("arm_expr", arm_expression),
    ("prefixes", prefixes),
    ("scenario", scenario),
    ("fleet", fleet),
    ("profile", profile),
    ("review", review),
];

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn as_of() -> Date {
    Date::parse("2026-01-01").expect("a valid date")
}

/// The bundled hub-and-spoke topology, the base of the scenario and profile targets.
fn base() -> &'static (Topology, Analysis) {
    static BASE: OnceLock<(Topology, Analysis)> = OnceLock::new();
    BASE.get_or_init(|| {
        let text = include_str!("../datasets/scenarios/hub-spoke.yaml");
        let topology = read::read_topology(&[Source {
            name: "hub-spoke.yaml".into(),
            text: text.into(),
        }])
        .expect("the bundled hub-and-spoke topology reads");
        let analysis = engine::analyze(&topology);
        (topology, analysis)
    })
}

/// Format detection, every reader, build, analysis and findings on one file.
pub fn read_topology(name: &str, data: &[u8]) -> Result<(), Failure> {
    let source = Source {
        name: name.into(),
        text: text(data),
    };
    let loaded = read::load(&[source], &ReadOptions::default())?;
    let analysis = engine::analyze(&loaded.topology);
    let found = findings::check(&loaded.topology, &analysis, &findings::Options::at(as_of()));
    let report = crate::report::Report::new(&analysis, Vec::new(), ListLimit::default());
    std::hint::black_box((found.len(), report.over_limit_count()));
    Ok(())
}

struct FuzzScope;

impl arm_expr::Scope for FuzzScope {
    fn parameter(&self, name: &str) -> Result<serde_json::Value, String> {
        match name {
            "list" => Ok(serde_json::json!(["10.0.0.0/16", "10.1.0.0/16"])),
            "n" => Ok(serde_json::json!(3)),
            "obj" => Ok(serde_json::json!({"a": {"b": [1, 2, 3]}})),
            _ => Ok(serde_json::Value::String(name.to_string())),
        }
    }
    fn variable(&self, name: &str) -> Result<serde_json::Value, String> {
        Err(format!("no variable '{name}'"))
    }
    fn copy_index(&self, _: Option<&str>) -> Result<i64, String> {
        Ok(1)
    }
    fn subscription_id(&self) -> String {
        "sub".into()
    }
    fn resource_group(&self) -> String {
        "rg".into()
    }
    fn location(&self) -> String {
        "westeurope".into()
    }
}

/// One ARM template expression (`[concat(...)]`), evaluated alone.
pub fn arm_expression(name: &str, data: &[u8]) -> Result<(), Failure> {
    let text = text(data);
    let value = arm_expr::evaluate_string(&text, &FuzzScope).map_err(|message| Failure {
        file: name.into(),
        place: "expression".into(),
        message,
    })?;
    arm_expr::value_size(&value, usize::MAX).map_err(|message| Failure {
        file: name.into(),
        place: "expression".into(),
        message,
    })?;
    Ok(())
}

/// The bulk prefix path of `p2s-sim prefixes`: the byte lexer fed in two chunks split where the
/// first byte says, strict and skipping, then the aggregate written out.
pub fn prefixes(name: &str, data: &[u8]) -> Result<(), Failure> {
    let split = data
        .first()
        .map_or(0, |b| usize::from(*b) % (data.len() + 1));
    let (a, b) = data.split_at(split);
    for line in data.split(|&c| c == b'\n') {
        std::hint::black_box(crate::prefix::internals::lex(line));
    }
    let mut skipping = PrefixReader::new(true);
    let fail = |e: crate::prefix::BadLine| Failure {
        file: name.into(),
        place: format!("line {}", e.line),
        message: e.error.to_string(),
    };
    skipping.feed(a).map_err(fail)?;
    skipping.feed(b).map_err(fail)?;
    skipping.end_input().map_err(fail)?;
    let (set, _) = skipping.finish().map_err(fail)?;
    let mut out = Vec::new();
    set.write_aggregate(&mut out);
    let mut strict = PrefixReader::new(false);
    strict.feed(a).map_err(fail)?;
    strict.feed(b).map_err(fail)?;
    strict.end_input().map_err(fail)?;
    let (strict_set, _) = strict.finish().map_err(fail)?;
    // What the strict reader accepts, the skipping one reads the same.
    assert_eq!(strict_set, set, "strict and skipping readers disagree");
    Ok(())
}

/// A scenario file parsed and applied to the bundled hub-and-spoke, then compared.
pub fn scenario(name: &str, data: &[u8]) -> Result<(), Failure> {
    let scenario = Scenario::parse(name, &text(data))?;
    let (topology, before) = base();
    let after = whatif::apply(topology, &scenario, name)?;
    let after = engine::analyze(&after);
    let cmp = whatif::compare(before, &after, ListLimit::default());
    std::hint::black_box(&cmp);
    Ok(())
}

/// A fleet file (groups YAML/JSON, Intune CSV, Graph managedDevices JSON).
pub fn fleet(name: &str, data: &[u8]) -> Result<(), Failure> {
    let fleet = parse_fleet(name, &text(data), &AppDefaults::default())?;
    std::hint::black_box(fleet.groups.len());
    Ok(())
}

/// A VNet client profile package: as a zip, and as a lone file, each checked against the
/// bundled hub-and-spoke.
pub fn profile(name: &str, data: &[u8]) -> Result<(), Failure> {
    let (topology, analysis) = base();
    let zip = Package::from_zip(name, data);
    let single = Package::from_single(name, data);
    for p in [zip, single].into_iter().flatten() {
        if let Ok(report) = crate::profile::check(topology, analysis, &p, None) {
            std::hint::black_box(report.any_stale());
        }
    }
    // The lone-file reading is the one a user gets for a non-zip file: report its error.
    Package::from_single(name, data)?;
    Ok(())
}

/// A change file (Terraform plan or ARM what-if) split into its two sides, each side read by the
/// ordinary readers, and the review of the change run on them.
pub fn review(name: &str, data: &[u8]) -> Result<(), Failure> {
    let source = Source {
        name: name.into(),
        text: text(data),
    };
    // A side's errors name the side ("plan.json (prior_state)") and a place already mapped into
    // the change file; the entry point reports the file itself.
    let in_file = |e: TopologyError| Failure {
        file: name.into(),
        place: e.place,
        message: e.message,
    };
    let change = crate::plan::review::read_change(&source).map_err(in_file)?;
    let (before, _) =
        crate::plan::review::load_side(&change.before, Some(as_of())).map_err(in_file)?;
    let (after, _) =
        crate::plan::review::load_side(&change.after, Some(as_of())).map_err(in_file)?;
    let options = findings::Options::at(as_of());
    let ctx = crate::plan::review::Context {
        options: &options,
        fleet: None,
        population: None,
        limit: ListLimit::default(),
        deny_warnings: true,
    };
    let result = crate::plan::review::review(&before, &after, &ctx);
    std::hint::black_box(&result);
    Ok(())
}
