//! The ARM/Bicep what-if reader: `az deployment group what-if --no-pretty-print -o json` (and
//! `az deployment sub what-if`, and the REST `whatIf` response) → two ARM resource lists
//! (before, after) that the ordinary REST reader understands.
//!
//! Documented shape (REST "Deployments - What If", `WhatIfOperationResult`): `status`, `error`,
//! and `changes[]` (under `properties` in the raw REST response), each a `WhatIfChange` with
//! `resourceId`, `changeType`, `before` and `after` (full resource bodies), `delta` and
//! `unsupportedReason`. How each change type becomes the two sides:
//!
//! | changeType | before | after |
//! |---|---|---|
//! | Create | — | `after` |
//! | Delete | `before` | — |
//! | Modify, Deploy, NoChange | `before` | `after` (`before` when absent) |
//! | Ignore, Unsupported | `before` | `before`, named in an assumption |
//!
//! A what-if only lists the resources of the deployment's scope and template, so both sides
//! are *those* resources, not the whole network: what the template does not mention is not
//! compared. A change of another resource type is skipped by the REST reader as usual.

use serde_json::{json, Value};

use crate::model::TopologyError;

/// What [`read_whatif`] makes of a what-if result.
#[derive(Clone, Debug, Default)]
pub struct WhatIfRead {
    /// `{"value": [...]}` of the resources before, or `None` when there are none.
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// (resource ID, change type) of every change, in file order.
    pub actions: Vec<(String, String)>,
    pub assumptions: Vec<String>,
    /// Where each entry of `before` / `after` is in the what-if file (`changes[3].after`).
    pub before_places: Vec<String>,
    pub after_places: Vec<String>,
}

fn changes_of(value: &Value) -> Option<&Vec<Value>> {
    value
        .get("changes")
        .or_else(|| value.pointer("/properties/changes"))
        .and_then(Value::as_array)
}

/// True for a what-if result (an object with `changes[]` of objects with `changeType`, or a
/// `status` and `error` and no changes).
pub fn looks_like(value: &Value) -> bool {
    match changes_of(value) {
        Some(list) => list.iter().all(|c| c.get("changeType").is_some()),
        None => {
            value.get("status").is_some()
                && (value.get("error").is_some() || value.pointer("/properties").is_some())
                && value.get("format_version").is_none()
        }
    }
}

fn err(file: &str, place: &str, message: String) -> TopologyError {
    TopologyError {
        file: file.to_string(),
        place: place.to_string(),
        message,
    }
}

/// The body of one side, with `id` set from `resourceId` when the body lacks it.
fn body(side: &Value, id: &str) -> Value {
    let mut b = side.clone();
    if let Some(o) = b.as_object_mut() {
        o.entry("id".to_string())
            .or_insert_with(|| Value::String(id.to_string()));
    }
    b
}

/// Reads a what-if result (already parsed and recognised by [`looks_like`]).
pub fn read_whatif(file: &str, value: &Value) -> Result<WhatIfRead, TopologyError> {
    let status = value.get("status").and_then(Value::as_str);
    let error = value
        .get("error")
        .or_else(|| value.pointer("/properties/error"))
        .filter(|e| !e.is_null());
    if status.is_some_and(|s| !s.eq_ignore_ascii_case("Succeeded")) || error.is_some() {
        let code = error
            .and_then(|e| e.get("code"))
            .and_then(Value::as_str)
            .unwrap_or("(no code)");
        let message = error
            .and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .unwrap_or("(no message)");
        return Err(err(
            file,
            if error.is_some() { "error" } else { "status" },
            format!(
                "the what-if did not succeed (status {}): {code}: {message}; fix the template or \
                 parameters and run `az deployment group what-if --no-pretty-print -o json` again",
                status.unwrap_or("(missing)")
            ),
        ));
    }
    let Some(changes) = changes_of(value) else {
        return Err(err(
            file,
            "changes",
            "this what-if result has no `changes`: run `az deployment group what-if \
             --no-pretty-print -o json` (the default result format, FullResourcePayloads, not \
             ResourceIdOnly)"
                .into(),
        ));
    };
    let mut read = WhatIfRead::default();
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for (i, c) in changes.iter().enumerate() {
        let place = format!("changes[{i}]");
        let Some(id) = c.get("resourceId").and_then(Value::as_str) else {
            return Err(err(file, &place, "a change without `resourceId`".into()));
        };
        let kind = c.get("changeType").and_then(Value::as_str).unwrap_or("");
        let b = c.get("before").filter(|v| v.is_object());
        let a = c.get("after").filter(|v| v.is_object());
        let needs_body = |side: Option<&'_ Value>, which: &str| -> Result<Value, TopologyError> {
            side.map(|v| body(v, id)).ok_or_else(|| {
                err(
                    file,
                    &format!("{place}.{which}"),
                    format!(
                        "{id}: changeType {kind} without a `{which}` body; run the what-if with \
                         the full resource payloads (not --result-format ResourceIdOnly)"
                    ),
                )
            })
        };
        match kind {
            "Create" => {
                after.push(needs_body(a, "after")?);
                read.after_places.push(format!("{place}.after"));
            }
            "Delete" => {
                before.push(needs_body(b, "before")?);
                read.before_places.push(format!("{place}.before"));
            }
            "Modify" | "Deploy" | "NoChange" => {
                let bb = b.or(a);
                let aa = a.or(b);
                before.push(needs_body(bb, "before")?);
                after.push(needs_body(aa, "after")?);
                let side = |s: Option<&Value>, name: &str, other: &str| {
                    format!("{place}.{}", if s.is_some() { name } else { other })
                };
                read.before_places.push(side(b, "before", "after"));
                read.after_places.push(side(a, "after", "before"));
                if a.is_none() {
                    read.assumptions.push(format!(
                        "{id}: what-if gives no `after` for this {kind}; read as unchanged"
                    ));
                }
            }
            "Ignore" | "Unsupported" => {
                if let Some(bb) = b {
                    before.push(body(bb, id));
                    after.push(body(bb, id));
                    read.before_places.push(format!("{place}.before"));
                    read.after_places.push(format!("{place}.before"));
                }
                let reason = c
                    .get("unsupportedReason")
                    .and_then(Value::as_str)
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                read.assumptions.push(format!(
                    "{id}: what-if marks it {kind}{reason}; {}",
                    if b.is_some() {
                        "taken as it is now, on both sides"
                    } else {
                        "no `before` body either, so it is left out"
                    }
                ));
            }
            other => {
                return Err(err(
                    file,
                    &format!("{place}.changeType"),
                    format!(
                        "unknown changeType {other:?}; expected Create, Delete, Modify, Deploy, \
                         NoChange, Ignore or Unsupported (the output of `az deployment group \
                         what-if --no-pretty-print -o json`)"
                    ),
                ))
            }
        }
        read.actions.push((id.to_string(), kind.to_string()));
    }
    let side = |list: Vec<Value>| (!list.is_empty()).then(|| json!({"value": list}));
    read.before = side(before);
    read.after = side(after);
    Ok(read)
}
