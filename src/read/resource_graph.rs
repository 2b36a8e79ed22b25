//! Azure Resource Graph results (`az graph query -q "..." -o json`, `Search-AzGraph`, the
//! portal's Resource Graph Explorer download as JSON).
//!
//! `az graph query` prints `{"count": n, "data": [...], "skip_token": ..., "total_records": n}`;
//! `Search-AzGraph | ConvertTo-Json` and the portal give the bare array. Each row is a resource
//! with `properties` (as in REST), but `type` is lower-cased (`microsoft.network/virtualnetworks`),
//! which is why types and IDs are always compared ignoring case. A query must keep `id`, `type`
//! and `properties` (e.g. `resources | where type =~ 'microsoft.network/virtualnetworks'`
//! without a `project` that drops them).

use serde_json::Value;

use super::resources::{raw_from_list, RawResource};
use crate::model::TopologyError;

/// True for the `{"data": [...]}` envelope of `az graph query`.
pub(crate) fn is_envelope(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.get("data").is_some_and(|d| d.is_array() || d.is_object())
            && !o.contains_key("id")
            && (o.contains_key("count")
                || o.contains_key("total_records")
                || o.contains_key("totalRecords")
                || o.len() == 1)
    })
}

pub(crate) fn read(file: &str, value: &Value) -> Result<Vec<RawResource>, TopologyError> {
    match value {
        Value::Array(list) => raw_from_list(file, "", list),
        Value::Object(obj) => match obj.get("data") {
            Some(Value::Array(list)) => raw_from_list(file, "data", list),
            Some(Value::Object(_)) => Err(TopologyError {
                file: file.to_string(),
                place: "data".into(),
                message: "this Resource Graph result is in table form (columns/rows); re-run the query with `az graph query -q ... -o json` (the default object form)".into(),
            }),
            _ => Err(TopologyError {
                file: file.to_string(),
                place: String::new(),
                message: "expected a Resource Graph result {\"data\": [...]}".into(),
            }),
        },
        _ => Err(TopologyError {
            file: file.to_string(),
            place: String::new(),
            message: "expected a Resource Graph result (an array or {\"data\": [...]})".into(),
        }),
    }
}
