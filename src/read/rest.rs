//! ARM/REST resource JSON: what `GET https://management.azure.com/...` returns, what
//! `az rest` prints, and what the portal's "JSON view" shows.
//!
//! Accepted shapes: one resource object, a JSON array of them, or a list envelope
//! `{"value": [...], "nextLink": ...}` (every REST list operation answers with one). Fields are
//! under `"properties"`. The examples in `Azure/azure-rest-api-specs` wrap a response in
//! `{"parameters": {...}, "responses": {"200": {"body": ...}}}`; the body of the first 2xx
//! response is read, so those examples can be used as they are.

use serde_json::Value;

use super::resources::{raw_from_list, raw_from_object, RawResource};
use crate::model::TopologyError;

/// True for the `{"parameters": ..., "responses": {...}}` wrapper of REST API spec examples.
pub(crate) fn is_spec_example(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.get("responses").is_some_and(Value::is_object) && !o.contains_key("resources")
    })
}

pub(crate) fn read(file: &str, value: &Value) -> Result<Vec<RawResource>, TopologyError> {
    read_at(file, "", value)
}

pub(crate) fn read_at(
    file: &str,
    path: &str,
    value: &Value,
) -> Result<Vec<RawResource>, TopologyError> {
    if is_spec_example(value) {
        let responses = value["responses"].as_object().expect("checked");
        let mut codes: Vec<&String> = responses.keys().filter(|c| c.starts_with('2')).collect();
        codes.sort();
        for code in codes {
            if let Some(body) = responses[code].get("body") {
                return read_at(file, &format!("{path}responses.{code}.body"), body);
            }
        }
        return Err(TopologyError {
            file: file.to_string(),
            place: format!("{path}responses"),
            message: "this REST API example has no 2xx response with a body, so there is no resource to read".into(),
        });
    }
    match value {
        Value::Array(list) => raw_from_list(file, path, list),
        Value::Object(obj) => match obj.get("value") {
            Some(Value::Array(list)) if !obj.contains_key("id") => raw_from_list(
                file,
                &format!("{path}{}value", if path.is_empty() { "" } else { "." }),
                list,
            ),
            _ => Ok(vec![raw_from_object(file, path.to_string(), value)?]),
        },
        other => Err(TopologyError {
            file: file.to_string(),
            place: path.to_string(),
            message: format!(
                "expected a resource, a list of resources or {{\"value\": [...]}}, found {other}"
            ),
        }),
    }
}
