//! vcrpy recordings (the `recordings/*.yaml` of Azure CLI's tests): not an export format, but
//! full of real REST responses.
//!
//! A recording is `interactions: [{request: {method, uri, ...}, response: {body: {string}, status}}]`
//! where `response.body.string` is the raw REST response body. The same resource is usually
//! answered many times (created, polled while `Updating`, updated, listed, deleted at the end of
//! the test). This reader takes every successful (2xx) JSON body that is a resource or a
//! `{"value": [...]}` list of them — provider metadata, operation statuses, validation results
//! and error bodies are skipped —, keeps the *last* version of each resource ID (so a final GET
//! in which a gateway no longer has `vpnClientConfiguration` wins), and ignores deletions (a test recording always
//! ends by cleaning up, which would leave nothing to analyse). The result is "every resource the
//! recording shows, as last seen" — a warning says so, because it is not necessarily a state
//! that existed at one moment. To analyse one particular moment, save the bodies you want as
//! REST JSON files ([`response_bodies`] lists them) and pass those instead.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::resources::{id_key, raw_from_object, RawResource, NOT_A_RESOURCE};
use crate::model::TopologyError;

#[derive(Deserialize)]
struct Recording {
    interactions: Vec<Interaction>,
}

#[derive(Deserialize)]
struct Interaction {
    request: Request,
    response: Response,
}

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    method: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    uri: String,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    body: Option<Body>,
    #[serde(default)]
    status: Option<Status>,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    string: Option<String>,
}

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    code: u16,
}

/// One recorded response.
#[derive(Clone, Debug)]
pub struct RecordedResponse {
    /// Position in `interactions` (0-based).
    pub index: usize,
    pub method: String,
    pub uri: String,
    pub status: u16,
    /// The raw response body (usually JSON).
    pub body: String,
    /// The request body as recorded (Python's `b'...'` bytes notation is undone), if any.
    pub request_body: Option<String>,
}

/// `b'{"a": "it\'s"}'` (how vcrpy records bytes) → `{"a": "it's"}`.
fn undo_bytes_repr(text: &str) -> String {
    let Some(inner) = text.strip_prefix("b'").and_then(|t| t.strip_suffix('\'')) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// True when the YAML text looks like a vcrpy recording.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .is_some_and(|l| l.trim_end() == "interactions:")
}

/// Every response of a recording, in order.
pub fn response_bodies(file: &str, text: &str) -> Result<Vec<RecordedResponse>, TopologyError> {
    let recording: Recording = serde_saphyr::from_str(text).map_err(|e| TopologyError {
        file: file.to_string(),
        place: e
            .location()
            .map(|l| format!("line {}, column {}", l.line(), l.column()))
            .unwrap_or_default(),
        message: format!(
            "not a readable vcrpy recording: {}",
            super::native::yaml_message(&e)
        ),
    })?;
    Ok(recording
        .interactions
        .into_iter()
        .enumerate()
        .map(|(index, i)| RecordedResponse {
            index,
            method: i.request.method,
            uri: i.request.uri,
            status: i.response.status.map(|s| s.code).unwrap_or(0),
            body: i.response.body.and_then(|b| b.string).unwrap_or_default(),
            request_body: i.request.body.as_deref().map(undo_bytes_repr),
        })
        .collect())
}

/// The resources of a recording (last version of each), plus a note for the user.
pub(crate) fn read(file: &str, text: &str) -> Result<(Vec<RawResource>, String), TopologyError> {
    let responses = response_bodies(file, text)?;
    let mut out: Vec<RawResource> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut bodies = 0;
    for r in &responses {
        // Only successful answers describe a resource (429s, 404s after the test's clean-up
        // and error bodies do not); 0 = no status recorded.
        if r.status != 0 && !(200..300).contains(&r.status) {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(&r.body) else {
            continue;
        };
        let base = format!("interactions[{}].response.body.string", r.index);
        let items: Vec<(String, &Value)> = match value.get("value") {
            Some(Value::Array(list)) if value.get("id").is_none() => list
                .iter()
                .enumerate()
                .map(|(j, v)| (format!("{base}.value[{j}]"), v))
                .collect(),
            _ => vec![(base, &value)],
        };
        let mut used = false;
        for (path, item) in items {
            let is_resource = item
                .get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| id.to_ascii_lowercase().contains("/providers/"));
            if !is_resource {
                continue;
            }
            // Provider metadata (`GET /providers/Microsoft.Network`), operation statuses and
            // deployment results have an ID but are not resources of a type p2s-sim reads.
            let deployed = deployed_resource(&path, item);
            let raw = raw_from_object(file, path, item)?;
            if raw.rtype == NOT_A_RESOURCE {
                continue;
            }
            used = true;
            for raw in std::iter::once(Ok(raw))
                .chain(deployed.map(|(path, value)| raw_from_object(file, path, &value)))
            {
                let raw = raw?;
                match index.get(&id_key(&raw.id)) {
                    Some(&i) => out[i] = raw,
                    None => {
                        index.insert(id_key(&raw.id), out.len());
                        out.push(raw);
                    }
                }
            }
        }
        if used {
            bodies += 1;
        }
    }
    let note = format!(
        "{file}: read as a vcrpy test recording, not an export: {} resources from {bodies} of {} response bodies, the last version of each, deletions ignored",
        out.len(),
        responses.len()
    );
    Ok((out, note))
}

/// The resource a deployment result shows, as `az` records it: `az network vpn-connection
/// create` (and other commands built on a template) deploys one resource and outputs its
/// `reference()`, so the result holds the resource's properties under `outputs.<name>.value`
/// and its ID under `outputResources[0].id`, and the recording may have no other body of it.
/// Returned flattened (the properties beside the ID, as `az` prints resources) with its path,
/// so a field's place is its place in the file. Only a deployment of exactly one resource
/// whose one object output carries a `provisioningState` (the mark of a resource's
/// properties) qualifies.
fn deployed_resource(path: &str, deployment: &Value) -> Option<(String, Value)> {
    let kind = deployment.get("type").and_then(Value::as_str)?;
    if !kind.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
        return None;
    }
    let props = deployment.get("properties")?;
    let [only] = props.get("outputResources")?.as_array()?.as_slice() else {
        return None;
    };
    let id = only.get("id")?.as_str()?;
    let outputs = props.get("outputs")?.as_object()?;
    let mut objects = outputs.iter().filter_map(|(name, output)| {
        let value = output.get("value")?.as_object()?;
        value
            .contains_key("provisioningState")
            .then_some((name, value))
    });
    let (name, value) = objects.next()?;
    if objects.next().is_some() {
        return None;
    }
    let mut resource = value.clone();
    resource.insert("id".to_string(), Value::String(id.to_string()));
    Some((
        format!("{path}.properties.outputs.{name}.value"),
        Value::Object(resource),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_notation_is_undone() {
        assert_eq!(
            super::undo_bytes_repr(r#"b'{"k": "[p(\'x\')]"}'"#),
            r#"{"k": "[p('x')]"}"#
        );
        assert_eq!(super::undo_bytes_repr("{}"), "{}");
    }
}
