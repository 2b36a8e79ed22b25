//! The common shape every Azure export is reduced to: a list of resources with an ID, a type and
//! a JSON body, plus careful accessors that turn a wrong value into a located error.
//!
//! Azure shows the same resource in several shapes. ARM/REST and Resource Graph nest the
//! interesting fields under `"properties"`; `az ... -o json` flattens them to the top level;
//! PowerShell capitalises them (the PowerShell reader lower-cases the first letter, after which
//! it looks like `az` output). So every field is read as `obj.properties.X`, falling back to
//! `obj.X` (spec §9 "parser should read `obj.properties.X ?? obj.X`"), and keys are compared
//! ignoring ASCII case. One reader then serves all of them, see [`resolve`](super::resolve).
//!
//! Errors say where: the file, the JSON path of the value (`value[2].properties.addressSpace
//! .addressPrefixes[1]`), and the resource ID, so a user can find the value in a file of
//! thousands of lines.
//!
//! ARM templates add one twist: an expression that could not be evaluated is stored as a marker
//! object ([`unevaluated`]) instead of failing at once, because most values in a template
//! (locations, passwords, tags) are never needed. The accessors here turn a marker into an
//! error the moment the analysis reads it.

use serde_json::{Map, Value};

use crate::model::schema::PrefixText;
use crate::model::TopologyError;

/// The key of the marker object left where a template expression could not be evaluated.
pub(crate) const UNEVALUATED: &str = "$p2s-sim unevaluated";

/// A marker for an expression that could not be evaluated, with the reason.
pub(crate) fn unevaluated(expression: &str, reason: &str) -> Value {
    let mut inner = Map::new();
    inner.insert("expression".into(), Value::String(cut(expression)));
    inner.insert("reason".into(), Value::String(reason.into()));
    let mut outer = Map::new();
    outer.insert(UNEVALUATED.into(), Value::Object(inner));
    Value::Object(outer)
}

/// `Some((expression, reason))` when `value` is an [`unevaluated`] marker.
pub(crate) fn as_unevaluated(value: &Value) -> Option<(&str, &str)> {
    let inner = value.as_object()?.get(UNEVALUATED)?.as_object()?;
    Some((
        inner.get("expression")?.as_str().unwrap_or(""),
        inner.get("reason")?.as_str().unwrap_or(""),
    ))
}

/// One Azure resource, whatever format it came from.
#[derive(Clone, Debug)]
pub(crate) struct RawResource {
    /// The file it came from (for error messages).
    pub file: String,
    /// JSON path of the resource object inside the file, e.g. `value[2]` or `resources[4]`.
    pub path: String,
    /// The resource type as written (`Microsoft.Network/virtualNetworks`, or lower-cased by
    /// Resource Graph); compare with [`RawResource::is`].
    pub rtype: String,
    /// The full resource ID (synthesised for templates and Terraform plans).
    pub id: String,
    /// The resource object (fields under `properties` or flattened).
    pub body: Value,
    /// For a body a reader rewrote into the ARM shape (Terraform): ARM paths relative to the
    /// resource (`.properties.addressSpace.addressPrefixes`) → where that value is in the file
    /// (`.values.address_space`), so errors and origins name the user's place.
    pub aliases: &'static [(&'static str, &'static str)],
}

impl RawResource {
    pub fn is(&self, rtype: &str) -> bool {
        self.rtype.eq_ignore_ascii_case(rtype)
    }

    /// A view of the body for reading fields.
    pub fn root(&self) -> Field<'_> {
        Field {
            value: Some(&self.body),
            path: self.path.clone(),
            file: &self.file,
            id: &self.id,
            base_len: self.path.len(),
            aliases: self.aliases,
        }
    }
}

pub(crate) const VNET: &str = "Microsoft.Network/virtualNetworks";
pub(crate) const PEERING: &str = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";
pub(crate) const GATEWAY: &str = "Microsoft.Network/virtualNetworkGateways";
pub(crate) const LOCAL_GATEWAY: &str = "Microsoft.Network/localNetworkGateways";
pub(crate) const CONNECTION: &str = "Microsoft.Network/connections";
/// Read only to count a gateway's NAT rules (SKU005).
pub(crate) const NAT_RULE: &str = "Microsoft.Network/virtualNetworkGateways/natRules";

/// IDs compare case-insensitively (Azure itself is inconsistent: `resourceGroups` vs
/// `resourcegroups`, upper-case resource group names in some APIs).
pub(crate) fn id_key(id: &str) -> String {
    id.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// The last segment of an ID: the resource's own name.
pub(crate) fn id_name(id: &str) -> &str {
    id.trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(id)
}

/// The resource group named in an ID, if any.
pub(crate) fn id_resource_group(id: &str) -> Option<&str> {
    segment_after(id, "resourcegroups")
}

/// The subscription named in an ID, if any.
pub(crate) fn id_subscription(id: &str) -> Option<&str> {
    segment_after(id, "subscriptions")
}

fn segment_after<'a>(id: &'a str, key: &str) -> Option<&'a str> {
    let mut parts = id.split('/');
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case(key) {
            return parts.next().filter(|s| !s.is_empty());
        }
    }
    None
}

/// The resource type an ID names: `.../providers/Microsoft.Network/virtualNetworks/a/virtualNetworkPeerings/b`
/// → `Microsoft.Network/virtualNetworks/virtualNetworkPeerings`.
pub(crate) fn id_type(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest: Vec<&str> = id[at + "/providers/".len()..]
        .trim_end_matches('/')
        .split('/')
        .collect();
    if rest.len() < 3 {
        return None;
    }
    let mut out = format!("{}/{}", rest[0], rest[1]);
    let mut i = 3;
    while i < rest.len() {
        out.push('/');
        out.push_str(rest[i]);
        i += 2;
    }
    Some(out)
}

/// The ID of the resource that contains this one (`.../virtualNetworks/v/subnets/s` →
/// `.../virtualNetworks/v`), if the ID names a child resource.
pub(crate) fn id_parent(id: &str) -> Option<&str> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")? + "/providers/".len();
    let rest = id[at..].trim_end_matches('/');
    let segments = rest.split('/').count();
    if segments < 5 {
        return None;
    }
    // Drop the last two segments (child type and child name).
    let mut cut = id.trim_end_matches('/').len();
    for _ in 0..2 {
        cut = id[..cut].rfind('/')?;
    }
    Some(&id[..cut])
}

/// Builds an ID like ARM's `resourceId()` does.
pub(crate) fn make_id(subscription: &str, group: &str, rtype: &str, names: &[&str]) -> String {
    let types: Vec<&str> = rtype.trim_matches('/').split('/').collect();
    let mut id = format!(
        "/subscriptions/{subscription}/resourceGroups/{group}/providers/{}/{}",
        types.first().copied().unwrap_or(""),
        types.get(1).copied().unwrap_or("")
    );
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            id.push('/');
            id.push_str(types.get(i + 1).copied().unwrap_or(""));
        }
        id.push('/');
        id.push_str(name);
    }
    id
}

/// A value inside a resource, with where it is (for errors).
#[derive(Clone, Debug)]
pub(crate) struct Field<'a> {
    pub value: Option<&'a Value>,
    /// The path as read (see [`Field::place`] for the user's).
    pub path: String,
    file: &'a str,
    id: &'a str,
    /// The length of the resource's own path at the start of `path`, and its aliases
    /// ([`RawResource::aliases`]).
    base_len: usize,
    aliases: &'static [(&'static str, &'static str)],
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn get_ci<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<(&'v String, &'v Value)> {
    obj.get_key_value(key)
        .or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
}

impl<'a> Field<'a> {
    /// A field view over any JSON value (used for nested objects that are not resources).
    pub fn new(value: Option<&'a Value>, path: String, file: &'a str, id: &'a str) -> Self {
        Field {
            value,
            path,
            file,
            id,
            base_len: 0,
            aliases: &[],
        }
    }

    /// Where this value is in the user's file (`value[2].properties.addressSpace.addressPrefixes`):
    /// the path read, through the resource's aliases.
    pub fn place(&self) -> String {
        let (base, rest) = self.path.split_at(self.base_len.min(self.path.len()));
        let alias = self
            .aliases
            .iter()
            .filter(|(from, _)| {
                rest.strip_prefix(from)
                    .is_some_and(|r| r.is_empty() || r.starts_with('[') || r.starts_with('.'))
            })
            .max_by_key(|(from, _)| from.len());
        let path = match alias {
            Some((from, to)) => format!("{base}{to}{}", &rest[from.len()..]),
            None => self.path.clone(),
        };
        path.trim_start_matches('.').to_string()
    }

    /// `properties.key`, else `key` (keys compared ignoring case). Absent when neither exists.
    pub fn get(&self, key: &str) -> Field<'a> {
        let obj = self.value.and_then(Value::as_object);
        if let Some(obj) = obj {
            if let Some((_, Value::Object(props))) = get_ci(obj, "properties") {
                if let Some((k, v)) = get_ci(props, key) {
                    return self.child(Some(v), format!("{}.properties.{k}", self.path));
                }
            }
            if let Some((k, v)) = get_ci(obj, key) {
                return self.child(Some(v), format!("{}.{k}", self.path));
            }
        }
        self.child(None, format!("{}.{key}", self.path))
    }

    /// Follows several keys (`get("a").get("b")`).
    pub fn at(&self, keys: &[&str]) -> Field<'a> {
        keys.iter().fold(self.clone(), |f, k| f.get(k))
    }

    fn child(&self, value: Option<&'a Value>, path: String) -> Field<'a> {
        Field {
            value,
            path,
            file: self.file,
            id: self.id,
            base_len: self.base_len,
            aliases: self.aliases,
        }
    }

    /// Absent or `null`.
    pub fn is_missing(&self) -> bool {
        matches!(self.value, None | Some(Value::Null))
    }

    /// An error located at this field.
    pub fn error(&self, message: impl Into<String>) -> TopologyError {
        let message = message.into();
        let message = if self.id.is_empty() {
            message
        } else {
            format!("{message} (resource {})", self.id)
        };
        TopologyError {
            file: self.file.to_string(),
            place: self.place(),
            message,
        }
    }

    /// Fails when the value is an unevaluated template expression.
    fn evaluated(&self) -> Result<Option<&'a Value>, TopologyError> {
        match self.value {
            Some(v) => match as_unevaluated(v) {
                Some((expr, reason)) => Err(self.error(format!(
                    "the analysis needs this value but cannot evaluate the expression {expr}: {reason}"
                ))),
                None => Ok(Some(v)),
            },
            None => Ok(None),
        }
    }

    fn wrong(&self, expected: &str, found: &Value) -> TopologyError {
        self.error(format!(
            "expected {expected}, found {} ({}); fix the value or re-export the resource",
            kind_of(found),
            short(found)
        ))
    }

    /// Text (`null` and absent are `None`).
    pub fn str(&self) -> Result<Option<&'a str>, TopologyError> {
        match self.evaluated()? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.wrong("text", other)),
        }
    }

    /// Text that must be there.
    pub fn required_str(&self, what: &str) -> Result<&'a str, TopologyError> {
        match self.str()? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.error(format!("missing {what}; the export must include it"))),
        }
    }

    /// true/false; absent and `null` are `false`. Accepts "true"/"false" text (some tools
    /// write booleans as strings).
    pub fn bool(&self) -> Result<bool, TopologyError> {
        match self.evaluated()? {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
            Some(other) => Err(self.wrong("true or false", other)),
        }
    }

    /// A non-negative whole number (numbers written as text are accepted).
    pub fn u64(&self) -> Result<Option<u64>, TopologyError> {
        match self.evaluated()? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => {
                Ok(s.trim().parse::<u64>().ok())
            }
            Some(other) => Err(self.wrong("a whole number", other)),
        }
    }

    /// The elements of a list (absent and `null` are empty).
    pub fn items(&self) -> Result<Vec<Field<'a>>, TopologyError> {
        match self.evaluated()? {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(list)) => Ok(list
                .iter()
                .enumerate()
                .map(|(i, v)| self.child(Some(v), format!("{}[{i}]", self.path)))
                .collect()),
            Some(other) => Err(self.wrong("a list", other)),
        }
    }

    /// A list of prefixes as text, one to one with the list in the file (so `[i]` stays `[i]`);
    /// [`build`](crate::model::build) checks each, at this place.
    pub fn prefixes(&self) -> Result<Vec<PrefixText>, TopologyError> {
        self.items()?
            .iter()
            .map(|f| match f.str()? {
                Some(s) => Ok(PrefixText::from(s.trim())),
                None => Err(f.error("expected a prefix, found null")),
            })
            .collect()
    }
}

/// A short rendering of a value for error messages.
/// The reason of an unevaluated marker, saying where it came from once: a chain of variables
/// keeps only the innermost expression, so the message stays short however long the chain.
pub(crate) fn marker_reason(reason: &str, expression: &str) -> String {
    if reason.contains(" (in [") {
        reason.to_string()
    } else {
        format!("{reason} (in {})", cut(expression))
    }
}

/// Longest piece of input quoted in an error message, in characters.
pub(crate) const QUOTE_CHARS: usize = 120;

/// Input quoted in a message, cut to [`QUOTE_CHARS`] characters with "…" (and the full length)
/// so a hostile 30 KB expression does not fill the terminal.
pub(crate) fn cut(text: &str) -> String {
    let n = text.chars().count();
    if n > QUOTE_CHARS {
        let head: String = text.chars().take(QUOTE_CHARS - 1).collect();
        format!("{head}… ({n} characters)")
    } else {
        text.to_string()
    }
}

pub(crate) fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The type given to values that are not Azure resources (see [`raw_from_object`]).
pub(crate) const NOT_A_RESOURCE: &str = "(not a resource)";

fn not_a_resource(file: &str, path: String, value: &Value) -> RawResource {
    RawResource {
        file: file.to_string(),
        id: String::new(),
        path,
        rtype: NOT_A_RESOURCE.to_string(),
        body: value.clone(),
        aliases: &[],
    }
}

/// True for the resource types the analysis reads (the others are skipped and counted).
pub(crate) fn is_modelled(rtype: &str) -> bool {
    [VNET, PEERING, GATEWAY, LOCAL_GATEWAY, CONNECTION, NAT_RULE]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(rtype))
}

/// Turns one resource object into a [`RawResource`]; `path` is where it is in the file.
///
/// The type comes from `type`, else from the ID. A value with neither `id` nor `type` is not a
/// resource (an operation status, an effective route, a client session): it becomes a
/// [`NOT_A_RESOURCE`] entry that the resolver skips and counts, so it never stops a read.
pub(crate) fn raw_from_object(
    file: &str,
    path: String,
    value: &Value,
) -> Result<RawResource, TopologyError> {
    let here = Field::new(Some(value), path.clone(), file, "");
    let Some(obj) = value.as_object() else {
        return Ok(not_a_resource(file, path, value));
    };
    let id = match get_ci(obj, "id") {
        Some((_, Value::String(s))) => Some(s.clone()),
        Some((_, Value::Null)) | None => None,
        Some((_, other)) => return Err(here.get("id").wrong("a resource ID", other)),
    };
    let rtype = match get_ci(obj, "type") {
        Some((_, Value::String(s))) if s.contains('/') => Some(s.clone()),
        _ => None,
    }
    .or_else(|| id.as_deref().and_then(id_type));
    let (Some(id), Some(rtype)) = (id, rtype.clone()) else {
        let name = get_ci(obj, "name").and_then(|(_, v)| v.as_str());
        return Ok(match (rtype, name) {
            // A resource of a known type without an ID cannot be referenced: say so.
            (Some(t), Some(n)) => RawResource {
                file: file.to_string(),
                id: format!("{t}/{n}"),
                path,
                rtype: t,
                body: value.clone(),
                aliases: &[],
            },
            // Not a resource at all (an operation status, an effective route, a client
            // session): skipped and counted like any type the analysis does not read.
            _ => not_a_resource(file, path, value),
        });
    };
    Ok(RawResource {
        file: file.to_string(),
        path,
        rtype,
        id,
        body: value.clone(),
        aliases: &[],
    })
}

/// Every element of a list of resource objects.
pub(crate) fn raw_from_list(
    file: &str,
    path: &str,
    list: &[Value],
) -> Result<Vec<RawResource>, TopologyError> {
    list.iter()
        .enumerate()
        .map(|(i, v)| raw_from_object(file, format!("{path}[{i}]"), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_taken_apart() {
        let id = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub/virtualNetworkPeerings/p1";
        assert_eq!(id_type(id).unwrap(), PEERING);
        assert_eq!(id_name(id), "p1");
        assert_eq!(id_resource_group(id), Some("rg1"));
        assert_eq!(id_subscription(id), Some("s1"));
        assert_eq!(
            id_parent(id).unwrap(),
            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub"
        );
        assert_eq!(
            id_parent(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v"
            ),
            None
        );
        assert_eq!(make_id("s1", "rg1", PEERING, &["hub", "p1"]), id);
    }

    #[test]
    fn fields_fall_back_from_properties_and_ignore_case() {
        let v: Value = serde_json::json!({"properties": {"allowGatewayTransit": true}, "UseRemoteGateways": "true"});
        let r = RawResource {
            file: "f".into(),
            path: "[0]".into(),
            rtype: PEERING.into(),
            id: "x".into(),
            body: v,
            aliases: &[],
        };
        assert!(r.root().get("allowGatewayTransit").bool().unwrap());
        assert!(r.root().get("useRemoteGateways").bool().unwrap());
        let e = r.root().get("allowGatewayTransit").u64().unwrap_err();
        assert_eq!(e.place, "[0].properties.allowGatewayTransit");
    }
}
