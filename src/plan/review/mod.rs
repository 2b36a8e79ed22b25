//! Change review (`p2s-sim review`): what a change the pipeline is about to make does to every
//! point-to-site client.
//!
//! A change is two states of one network. They come from what a pipeline already produces:
//!
//! 1. a **Terraform plan** (`terraform show -json plan.out`): [`plan`] turns it into the state
//!    before (`prior_state`) and the planned state after (`planned_values`, with what is
//!    unknown until apply resolved through the plan's `configuration`, or named in an
//!    assumption);
//! 2. an **ARM/Bicep what-if** (`az deployment group what-if --no-pretty-print -o json`):
//!    [`arm_whatif`] turns `changes[]` into the resources before and after;
//! 3. **two sets of exports** (`--before FILE... --after FILE...`, any input format): read as
//!    they are by [`crate::read::load`].
//!
//! [`read_change`] tells the first two apart by content. Each side is then an ordinary input
//! file (a Terraform state document, or an ARM `{"value": [...]}` list) loaded by the ordinary
//! readers ([`load_side`]), so a plan is read exactly like a state. [`review`] (in `change.rs`)
//! compares the two topologies: `whatif`'s comparison, findings added and removed, reachability,
//! fleets, what is worse (for `--check`) and a one-line summary.
//!
//! Like the rest of the library, nothing here does I/O: the binary reads the files.

pub mod arm_whatif;
mod change;
pub mod plan;

pub use change::{findings_diff, review, review_analyzed, Context, ReachChange, Review};

use serde_json::Value;

use crate::model::{Topology, TopologyError};
use crate::read::{self, InputFormat, ReadOptions, Source};
use crate::verdicts::findings::Date;

/// Which kind of change file it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    TerraformPlan,
    ArmWhatIf,
    Exports,
}

impl ChangeKind {
    pub fn describe(self) -> &'static str {
        match self {
            ChangeKind::TerraformPlan => "Terraform plan",
            ChangeKind::ArmWhatIf => "ARM what-if",
            ChangeKind::Exports => "two exports",
        }
    }
}

/// One side of a change, as a file the ordinary readers understand (`None`: nothing on that
/// side, e.g. a plan that creates everything).
#[derive(Clone, Debug)]
pub struct Side {
    pub source: Option<Source>,
    pub format: InputFormat,
    /// How a place in `source` reads in the change file: (prefix in `source`, prefix in the
    /// change file), e.g. (`value[2]`, `changes[5].after`); applied to error messages.
    pub places: Vec<(String, String)>,
}

/// A change file, split into its two sides.
#[derive(Clone, Debug)]
pub struct ChangeFile {
    pub kind: ChangeKind,
    pub before: Side,
    pub after: Side,
    /// The P2S-relevant resources it changes: (address or ID, action), file order.
    pub actions: Vec<(String, String)>,
    pub assumptions: Vec<String>,
    /// Every P2S-relevant resource the plan changes is unknown until apply (no comparison).
    pub all_unknown: bool,
}

const RUN_INSTEAD: &str = "run `terraform show -json plan.out > plan.json` on a saved plan, or \
    `az deployment group what-if --no-pretty-print -o json > whatif.json`; to compare two \
    exports, pass them with --before FILE --after FILE";

/// Parses a change file and splits it into before and after.
pub fn read_change(source: &Source) -> Result<ChangeFile, TopologyError> {
    let file = source.name.as_str();
    let text = source.text.trim_start_matches('\u{feff}');
    let fail = |place: String, message: String| TopologyError {
        file: file.to_string(),
        place,
        message,
    };
    if text.trim().is_empty() {
        return Err(fail(
            String::new(),
            format!("the file is empty; {RUN_INSTEAD}"),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let place = format!("line {}, column {}", e.line(), e.column());
        if e.is_eof() {
            fail(
                place,
                format!("the JSON ends early: the file is truncated (an interrupted or size-limited write?); {RUN_INSTEAD}"),
            )
        } else {
            fail(place, format!("not valid JSON ({e}); {RUN_INSTEAD}"))
        }
    })?;
    let name = |side: &str| format!("{file} ({side})");
    if plan::looks_like(&value) {
        let read = plan::read_plan(file, &value)?;
        let side = |doc: Option<Value>, which: &str| Side {
            source: doc.map(|d| Source {
                name: name(which),
                text: d.to_string(),
            }),
            format: InputFormat::Terraform,
            places: vec![("values".to_string(), format!("{which}.values"))],
        };
        return Ok(ChangeFile {
            kind: ChangeKind::TerraformPlan,
            before: side(read.before, "prior_state"),
            after: Side {
                places: vec![("values".to_string(), "planned_values".to_string())],
                ..side(read.after, "planned_values")
            },
            actions: read
                .actions
                .into_iter()
                .map(|a| (a.address, a.action))
                .collect(),
            assumptions: read.assumptions,
            all_unknown: read.all_unknown,
        });
    }
    if arm_whatif::looks_like(&value) {
        let read = arm_whatif::read_whatif(file, &value)?;
        let side = |doc: Option<Value>, which: &str, places: &[String]| Side {
            source: doc.map(|d| Source {
                name: name(which),
                text: d.to_string(),
            }),
            format: InputFormat::Rest,
            places: places
                .iter()
                .enumerate()
                .map(|(k, p)| (format!("value[{k}]"), p.clone()))
                .collect(),
        };
        return Ok(ChangeFile {
            kind: ChangeKind::ArmWhatIf,
            before: side(read.before, "before", &read.before_places),
            after: side(read.after, "after", &read.after_places),
            actions: read.actions,
            assumptions: read.assumptions,
            all_unknown: false,
        });
    }
    let what = if value.get("format_version").is_some() && value.get("values").is_some() {
        "a Terraform *state* (`values`), not a plan".to_string()
    } else {
        format!(
            "neither a Terraform plan (format_version + planned_values/resource_changes) nor an \
             ARM what-if result (changes[] with changeType); it reads as {}",
            read::detect(text).describe()
        )
    };
    Err(fail(
        String::new(),
        format!("this is {what}; {RUN_INSTEAD}"),
    ))
}

/// The P2S-relevant ARM types (what decides whether a side is empty).
const MODELLED: [&str; 5] = [
    "microsoft.network/virtualnetworks",
    "microsoft.network/virtualnetworks/virtualnetworkpeerings",
    "microsoft.network/virtualnetworkgateways",
    "microsoft.network/localnetworkgateways",
    "microsoft.network/connections",
];

fn mentions_modelled(side: &Side) -> bool {
    let Some(s) = &side.source else { return false };
    match side.format {
        InputFormat::Terraform => plan::RELEVANT_TYPES
            .iter()
            .any(|t| s.text.contains(&format!("\"type\":\"{t}\""))),
        _ => {
            let lower = s.text.to_ascii_lowercase();
            MODELLED
                .iter()
                .any(|t| lower.contains(&format!("\"type\":\"{t}\"")))
        }
    }
}

/// Reads one side (an empty side is an empty network) and the readers' warnings.
pub fn load_side(
    side: &Side,
    as_of: Option<Date>,
) -> Result<(Topology, Vec<String>), TopologyError> {
    let Some(source) = side.source.as_ref().filter(|_| mentions_modelled(side)) else {
        return Ok((Topology::default(), Vec::new()));
    };
    let options = ReadOptions {
        format: Some(side.format),
        as_of,
        ..ReadOptions::default()
    };
    let loaded = read::load(std::slice::from_ref(source), &options).map_err(|mut e| {
        e.place = in_change_file(&e.place, &side.places);
        e
    })?;
    Ok((loaded.topology, loaded.warnings))
}

/// A place in a side's document, as it reads in the change file.
fn in_change_file(place: &str, places: &[(String, String)]) -> String {
    for (from, to) in places {
        if let Some(rest) = place.strip_prefix(from.as_str()) {
            if rest.is_empty() || rest.starts_with(['.', '[', ' ']) {
                return format!("{to}{rest}");
            }
        }
    }
    place.to_string()
}
