//! `az ... -o json` output (Azure CLI).
//!
//! The CLI prints the REST resource with the `properties` wrapper removed (fields at the top
//! level, keys sorted) and adds `resourceGroup`. `list` commands print a JSON array; several
//! `create` commands wrap the result in one extra object: `{"newVNet": {...}}`
//! (`az network vnet create`), `{"vnetGateway": {...}}`, `{"resource": {...}}`. Such a wrapper
//! (an object whose only value is a resource) is unwrapped. Reading itself is shared with the
//! REST reader: every field is looked up as `properties.X`, then `X`.

use serde_json::Value;

use super::resources::RawResource;
use crate::model::TopologyError;

/// `Some((key, inner))` when `value` is a one-key wrapper around a resource.
pub(crate) fn unwrap(value: &Value) -> Option<(&str, &Value)> {
    let obj = value.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (key, inner) = obj.iter().next()?;
    let inner_obj = inner.as_object()?;
    (inner_obj.contains_key("id") || inner_obj.contains_key("type"))
        .then_some((key.as_str(), inner))
}

pub(crate) fn read(file: &str, value: &Value) -> Result<Vec<RawResource>, TopologyError> {
    match unwrap(value) {
        Some((key, inner)) => super::rest::read_at(file, key, inner),
        None => super::rest::read(file, value),
    }
}
