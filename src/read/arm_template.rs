//! ARM templates (`azuredeploy.json`): the resources a deployment *would* create.
//!
//! A template is `{"$schema": ".../deploymentTemplate.json#", "parameters": {...},
//! "variables": {...}, "resources": [...]}`. This reader evaluates it the way Azure Resource
//! Manager would, with [`arm_expr`](super::arm_expr):
//!
//! - parameter values: `--param name=value` beats a parameters file (`--parameters FILE`, the
//!   standard `{"parameters": {"x": {"value": ...}}}` shape) beats the template's `defaultValue`.
//!   `--param` text is converted to the declared type (int, bool, array/object as JSON).
//! - variables are evaluated when first used (and only then), including `copy` variables.
//! - resources: `condition` (false → left out), `copy` loops with `copyIndex()`, property `copy`
//!   loops, and child resources nested under `resources` (a peering under its VNet gets the full
//!   type `Microsoft.Network/virtualNetworks/virtualNetworkPeerings` and name `vnet/peering`).
//!   Symbolic-name templates (`"resources": {"hub": {...}}`) work too; `existing` resources are
//!   not deployed by the template and are left out. Nested deployments
//!   (`Microsoft.Resources/deployments`) with an inline `template` are expanded in place, in
//!   `outer` (default) or `inner` expression scope, in the deployment's `resourceGroup`; linked
//!   templates (`templateLink`) cannot be followed and are skipped like other resource types.
//! - resource IDs (`resourceId()`) use a placeholder subscription
//!   `00000000-0000-0000-0000-000000000000` and resource group `resource-group`;
//!   `resourceGroup().location` is `location`. They only need to be consistent inside the
//!   template; pass `--param location=westeurope` where a name is built from the location.
//!
//! Laziness is the point: every string of a resource is evaluated, but one that fails (a
//! password parameter without a value, `reference()` to runtime state, `uniqueString()`) only
//! becomes a marker. Only when the analysis reads a marked value is it an error, which then
//! names the resource, the JSON path and the expression. So locations, passwords, shared keys
//! and tags never block an analysis, even without defaults.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use serde_json::{Map, Value};

use super::arm_expr::{evaluate_string, is_expression, value_size, Scope, MAX_VALUE_BYTES};
use super::resources::{make_id, unevaluated, RawResource};
use super::Source;
use crate::model::TopologyError;

pub(crate) const PLACEHOLDER_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
pub(crate) const PLACEHOLDER_GROUP: &str = "resource-group";
pub(crate) const PLACEHOLDER_LOCATION: &str = "location";

/// True for a deployment template.
pub(crate) fn looks_like(value: &Value) -> bool {
    let Some(o) = value.as_object() else {
        return false;
    };
    let schema = o.get("$schema").and_then(Value::as_str).unwrap_or("");
    schema.contains("deploymentTemplate")
        || (o.contains_key("resources")
            && (o.contains_key("contentVersion")
                || o.contains_key("variables")
                || o.contains_key("parameters")))
}

/// True for a deployment parameters file (which belongs after `--parameters`).
pub(crate) fn is_parameters_file(value: &Value) -> bool {
    value
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("deploymentParameters"))
}

/// Parameter values given from outside the template.
#[derive(Debug, Default, Clone)]
pub struct ParameterValues {
    /// From parameters files, in order (later files win), already parsed.
    pub files: Vec<(String, Map<String, Value>)>,
    /// `--param name=value`, as text.
    pub params: Vec<(String, String)>,
}

impl ParameterValues {
    /// Parses parameters files (`{"parameters": {"x": {"value": ...}}}`).
    pub fn from_sources(
        files: &[Source],
        params: &[(String, String)],
    ) -> Result<Self, TopologyError> {
        let mut out = ParameterValues {
            files: Vec::new(),
            params: params.to_vec(),
        };
        for f in files {
            let err = |place: String, message: String| TopologyError {
                file: f.name.clone(),
                place,
                message,
            };
            let value: Value = serde_json::from_str(f.text.trim_start_matches('\u{feff}'))
                .map_err(|e| {
                    err(
                        format!("line {}, column {}", e.line(), e.column()),
                        format!("not valid JSON: {e}"),
                    )
                })?;
            let Some(params) = value.get("parameters").and_then(Value::as_object) else {
                return Err(err(
                    String::new(),
                    "not an ARM parameters file: expected {\"parameters\": {\"name\": {\"value\": ...}}}".into(),
                ));
            };
            let mut values = Map::new();
            for (name, spec) in params {
                match spec.get("value") {
                    Some(v) => {
                        values.insert(name.clone(), v.clone());
                    }
                    // Key Vault references: secrets, never needed by the analysis.
                    None if spec.get("reference").is_some() => {}
                    None => {
                        return Err(err(
                            format!("parameters.{name}"),
                            "expected {\"value\": ...} (or a Key Vault \"reference\")".into(),
                        ))
                    }
                }
            }
            out.files.push((f.name.clone(), values));
        }
        Ok(out)
    }
}

/// Most memory all values built while reading one template may take together (estimated as in
/// [`value_size`]), nested deployments and copy loops included.
pub const MAX_TEMPLATE_BYTES: usize = 256 << 20;
/// Longest chain of variables and parameters whose values refer to the next one.
pub const MAX_REFERENCE_DEPTH: usize = 64;
/// What one resource (or copy iteration) costs at least, so empty loops count too.
const RESOURCE_COST: usize = 4096;
/// ARM's limit on a copy loop's count ("count can't exceed 800").
pub const MAX_COPY: i64 = 800;

/// The budget of one template read, shared by its nested deployments.
#[derive(Default)]
struct Budget {
    used: Cell<usize>,
    /// The first place the budget ran out, and why.
    exceeded: RefCell<Option<String>>,
    /// The resource being expanded, for the message.
    place: RefCell<String>,
}

impl Budget {
    fn charge(&self, bytes: usize) -> Result<(), String> {
        let used = self.used.get().saturating_add(bytes);
        self.used.set(used);
        if used > MAX_TEMPLATE_BYTES {
            let message = format!(
                "the template builds more than {} MiB of values (copy loops, concat, union, replace, ...); p2s-sim stops there (no flag raises it: a network template needs far less, so look for a loop or a variable that doubles itself)",
                MAX_TEMPLATE_BYTES >> 20
            );
            let mut e = self.exceeded.borrow_mut();
            if e.is_none() {
                *e = Some(message.clone());
            }
            return Err(message);
        }
        Ok(())
    }

    fn exhausted(&self) -> bool {
        self.exceeded.borrow().is_some()
    }
}

struct Template<'a> {
    file: &'a str,
    budget: &'a Budget,
    /// The resource group resource IDs are built in (a nested deployment may name another).
    group: String,
    declared: Map<String, Value>,
    given: HashMap<String, Value>,
    variables: Map<String, Value>,
    cache: RefCell<HashMap<String, Result<Value, String>>>,
    in_progress: RefCell<Vec<String>>,
}

#[derive(Clone)]
struct TScope<'t> {
    t: &'t Template<'t>,
    copies: Vec<(String, i64)>,
}

impl TScope<'_> {
    /// A parameter's value: given, else its default (evaluated), else an error naming every
    /// parameter still without one.
    fn parameter_value(&self, declared_name: &str, decl: &Value) -> Result<Value, String> {
        let t = self.t;
        if let Some(v) = t.given.get(&declared_name.to_ascii_lowercase()) {
            // A nested deployment may pass a value its parent could not evaluate.
            return match first_marker(v) {
                Some(reason) => Err(format!(
                    "parameter '{declared_name}' (passed by the parent deployment): {reason}"
                )),
                None => Ok(v.clone()),
            };
        }
        match decl.get("defaultValue") {
            Some(default) => {
                let v = deep_eval(default, &t.root());
                match first_marker(&v) {
                    Some(reason) => Err(format!("the default value of parameter '{declared_name}' cannot be evaluated: {reason}")),
                    None => Ok(v),
                }
            }
            None => {
                // Resource Manager asks for every such parameter before it deploys: name
                // them all, so one run tells what to pass.
                let others: Vec<&str> = t
                    .declared
                    .iter()
                    .filter(|(n, d)| {
                        *n != declared_name
                            && d.get("defaultValue").is_none()
                            && !t.given.contains_key(&n.to_ascii_lowercase())
                    })
                    .map(|(n, _)| n.as_str())
                    .collect();
                let also = if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (Resource Manager also needs values for {}, which have none either)",
                        others.join(", ")
                    )
                };
                Err(format!(
                    "parameter '{declared_name}' has no value (no defaultValue); pass --param {declared_name}=VALUE or --parameters FILE{also}"
                ))
            }
        }
    }

    fn with(&self, name: &str, index: i64) -> Self {
        let mut copies = self.copies.clone();
        copies.push((name.to_string(), index));
        TScope { t: self.t, copies }
    }
}

/// Resource Manager refuses a deployment whose parameter value is not among the declared
/// `allowedValues` (each element, for an array parameter); strings compare without case, to
/// refuse only what is surely refused.
fn check_allowed_values(name: &str, decl: &Value, value: &Value) -> Result<(), String> {
    let Some(Value::Array(allowed)) = decl.get("allowedValues") else {
        return Ok(());
    };
    let is_allowed = |v: &Value| {
        allowed.iter().any(|a| match (a, v) {
            (Value::String(a), Value::String(v)) => a.eq_ignore_ascii_case(v),
            _ => a == v,
        })
    };
    let offending: Vec<&Value> = match value {
        Value::Array(items) if !allowed.iter().any(Value::is_array) => {
            items.iter().filter(|v| !is_allowed(v)).collect()
        }
        v if is_allowed(v) => Vec::new(),
        v => vec![v],
    };
    if offending.is_empty() {
        return Ok(());
    }
    let list = |values: &[&Value]| {
        values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(format!(
        "parameter '{name}' is {}, which the template does not allow (allowedValues: {}); \
         Resource Manager would refuse the deployment: pass one of them",
        list(&offending),
        list(&allowed.iter().collect::<Vec<_>>())
    ))
}

fn lookup<'m>(map: &'m Map<String, Value>, name: &str) -> Option<(&'m String, &'m Value)> {
    map.get_key_value(name)
        .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
}

impl Template<'_> {
    /// An error at `place` in this template's file.
    fn error(&self, place: String, message: String) -> TopologyError {
        TopologyError {
            file: self.file.to_string(),
            place,
            message,
        }
    }

    /// Evaluates a cached value (`param:x` / `var:x`) once, detecting cycles.
    fn cached(
        &self,
        key: String,
        compute: impl FnOnce() -> Result<Value, String>,
    ) -> Result<Value, String> {
        if let Some(v) = self.cache.borrow().get(&key) {
            return v.clone();
        }
        if self.in_progress.borrow().contains(&key) {
            return Err(format!("{key} refers to itself"));
        }
        if self.in_progress.borrow().len() >= MAX_REFERENCE_DEPTH {
            return Err(format!(
                "{key}: variables and parameters refer to each other more than {MAX_REFERENCE_DEPTH} deep; p2s-sim stops there (no flag raises it): shorten the chain"
            ));
        }
        self.in_progress.borrow_mut().push(key.clone());
        let result = compute();
        self.in_progress.borrow_mut().retain(|k| k != &key);
        self.cache.borrow_mut().insert(key, result.clone());
        result
    }

    fn root(&self) -> TScope<'_> {
        TScope {
            t: self,
            copies: Vec::new(),
        }
    }
}

impl Scope for TScope<'_> {
    fn parameter(&self, name: &str) -> Result<Value, String> {
        let t = self.t;
        let Some((declared_name, decl)) = lookup(&t.declared, name) else {
            return Err(format!("the template declares no parameter '{name}'"));
        };
        let key = format!("parameter '{declared_name}'");
        t.cached(key, || {
            let value = self.parameter_value(declared_name, decl)?;
            check_allowed_values(declared_name, decl, &value)?;
            Ok(value)
        })
    }

    fn variable(&self, name: &str) -> Result<Value, String> {
        let t = self.t;
        if let Some((declared_name, v)) = lookup(&t.variables, name).filter(|(k, _)| *k != "copy") {
            let key = format!("variable '{declared_name}'");
            return t.cached(key, || {
                let value = deep_eval(v, &t.root());
                match (&value, first_marker(&value)) {
                    // A plain expression variable that failed: fail (the marker is the whole value).
                    (Value::Object(o), Some(reason))
                        if o.contains_key(super::resources::UNEVALUATED) =>
                    {
                        Err(reason)
                    }
                    _ => Ok(value),
                }
            });
        }
        // `"variables": {"copy": [{"name": "x", "count": n, "input": ...}]}`
        if let Some(Value::Array(loops)) = t.variables.get("copy") {
            for l in loops {
                if l.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                {
                    let key = format!("variable '{name}'");
                    return t.cached(key, || {
                        let count = eval_count(
                            l.get("count"),
                            &format!("variables.copy '{name}'"),
                            &t.root(),
                        )?;
                        let input = l.get("input").cloned().unwrap_or(Value::Null);
                        Ok(Value::Array(copy_items(count, name, &input, &t.root())?))
                    });
                }
            }
        }
        Err(format!("the template declares no variable '{name}'"))
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Result<i64, String> {
        match loop_name {
            None => self
                .copies
                .last()
                .map(|(_, i)| *i)
                .ok_or_else(|| "copyIndex() outside a copy loop".to_string()),
            Some(n) => self
                .copies
                .iter()
                .rev()
                .find(|(name, _)| name.eq_ignore_ascii_case(n))
                .map(|(_, i)| *i)
                .ok_or_else(|| format!("copyIndex('{n}') outside the copy loop '{n}'")),
        }
    }

    fn subscription_id(&self) -> String {
        PLACEHOLDER_SUBSCRIPTION.into()
    }
    fn resource_group(&self) -> String {
        self.t.group.clone()
    }
    fn location(&self) -> String {
        PLACEHOLDER_LOCATION.into()
    }
    fn charge(&self, bytes: usize) -> Result<(), String> {
        self.t.budget.charge(bytes)
    }
}

/// Builds a copy loop's list, counting each item against the budget (and stopping once it is
/// spent, so nested loops of 800 × 800 × ... end early).
fn copy_items(
    count: i64,
    name: &str,
    input: &Value,
    scope: &TScope<'_>,
) -> Result<Vec<Value>, String> {
    let mut items = Vec::new();
    for i in 0..count {
        let item = deep_eval(input, &scope.with(name, i));
        let size =
            value_size(&item, MAX_VALUE_BYTES).map_err(|e| format!("copy loop '{name}': {e}"))?;
        scope.t.budget.charge(size.saturating_add(RESOURCE_COST))?;
        items.push(item);
    }
    Ok(items)
}

/// The reason of the first marker inside a value, if any.
fn first_marker(v: &Value) -> Option<String> {
    if let Some((expr, reason)) = super::resources::as_unevaluated(v) {
        return Some(super::resources::marker_reason(reason, expr));
    }
    match v {
        Value::Array(l) => l.iter().find_map(first_marker),
        Value::Object(o) => o.values().find_map(first_marker),
        _ => None,
    }
}

fn eval_count(count: Option<&Value>, what: &str, scope: &TScope<'_>) -> Result<i64, String> {
    let v = match count {
        None => return Err("a copy loop without count".into()),
        Some(Value::String(s)) => evaluate_string(s, scope)?,
        Some(other) => other.clone(),
    };
    match v.as_i64() {
        Some(n) if (0..=MAX_COPY).contains(&n) => Ok(n),
        Some(n) => {
            let message = format!(
                "{what}: copy count {n} is out of ARM's range 0..{MAX_COPY} (Azure rejects such a template)"
            );
            // Not lazy: the template cannot be deployed, whether or not the value is read.
            let mut fatal = scope.t.budget.exceeded.borrow_mut();
            if fatal.is_none() {
                *fatal = Some(message.clone());
            }
            Err(message)
        }
        None => Err(format!("copy count {v} is not a number")),
    }
}

/// Evaluates every expression inside a value; failures become markers (see module docs).
fn deep_eval(v: &Value, scope: &TScope<'_>) -> Value {
    match v {
        Value::String(s) if is_expression(s) || s.starts_with("[[") => {
            match evaluate_string(s, scope) {
                Ok(v) => v,
                Err(reason) => unevaluated(s, &reason),
            }
        }
        Value::Array(l) => Value::Array(l.iter().map(|x| deep_eval(x, scope)).collect()),
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                if k == "copy" {
                    if let Value::Array(loops) = x {
                        for l in loops {
                            let Some(name) = l.get("name").and_then(Value::as_str) else {
                                continue;
                            };
                            let input = l.get("input").cloned().unwrap_or(Value::Null);
                            let value = match eval_count(
                                l.get("count"),
                                &format!("property copy loop '{name}'"),
                                scope,
                            )
                            .and_then(|n| copy_items(n, name, &input, scope))
                            {
                                Ok(items) => Value::Array(items),
                                Err(reason) => unevaluated(
                                    &l.get("count").map(|c| c.to_string()).unwrap_or_default(),
                                    &reason,
                                ),
                            };
                            out.insert(name.to_string(), value);
                        }
                        continue;
                    }
                }
                out.insert(k.clone(), deep_eval(x, scope));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

const DEPLOYMENT: &str = "Microsoft.Resources/deployments";

/// The words of the note on a deployment whose template is linked, which the loader also
/// shows as a warning (the resources behind it may be the ones the analysis needs).
pub(crate) const LINKS: &str = "links its template";

/// A nested deployment with an inline template (linked templates cannot be followed).
fn relevant_deployment(obj: &Map<String, Value>) -> bool {
    obj.get("properties")
        .and_then(|p| p.get("template"))
        .is_some_and(Value::is_object)
}

/// Expands a nested deployment's inline template in place.
///
/// With `expressionEvaluationOptions.scope: inner`, the inner template has its own parameters
/// (given by the deployment's `parameters`, evaluated in the parent) and variables; with the
/// default `outer` scope its expressions see the parent's parameters and variables. A
/// `resourceGroup` on the deployment puts the inner resources in that group.
fn nested_deployment(
    t: &Template<'_>,
    obj: &Map<String, Value>,
    place: &str,
    name: &str,
    scope: &TScope<'_>,
    out: &mut Vec<RawResource>,
    notes: &mut Vec<String>,
) -> Result<(), TopologyError> {
    let err = |place: String, message: String| t.error(place, message);
    let props = &obj["properties"];
    let inner = &props["template"];
    let group = match obj.get("resourceGroup") {
        Some(Value::String(g)) => match evaluate_string(g, scope) {
            Ok(Value::String(g)) => g,
            Ok(other) => {
                return Err(err(
                    format!("{place}.resourceGroup"),
                    format!("expected a resource group name, got {other}"),
                ))
            }
            Err(reason) => {
                return Err(err(
                    format!("{place}.resourceGroup"),
                    format!("cannot evaluate {g}: {reason}"),
                ))
            }
        },
        _ => scope.resource_group(),
    };
    let inner_scope = props
        .pointer("/expressionEvaluationOptions/scope")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
    notes.push(format!(
        "{}: {place}: nested deployment '{name}' expanded ({} scope)",
        t.file,
        if inner_scope { "inner" } else { "outer" }
    ));
    let Some(list) = resource_list(
        inner.get("resources"),
        &format!("{place}.properties.template.resources"),
    ) else {
        return Ok(());
    };
    // Each expansion copies the scope's declarations: count them, so nested loops of
    // deployments cannot multiply a big template for free.
    let copied = [&t.declared, &t.variables]
        .iter()
        .map(|m| {
            value_size(&Value::Object((*m).clone()), MAX_TEMPLATE_BYTES)
                .unwrap_or(MAX_TEMPLATE_BYTES)
        })
        .sum::<usize>();
    t.budget
        .charge(copied)
        .map_err(|reason| err(place.to_string(), reason))?;
    if !inner_scope {
        let template = Template {
            file: t.file,
            budget: t.budget,
            group,
            declared: t.declared.clone(),
            given: t.given.clone(),
            variables: t.variables.clone(),
            cache: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(Vec::new()),
        };
        let outer = TScope {
            t: &template,
            copies: scope.copies.clone(),
        };
        return expand(&template, &list, None, &outer, out, notes);
    }
    let mut given = HashMap::new();
    if let Some(Value::Object(params)) = props.get("parameters") {
        for (k, v) in params {
            if let Some(value) = v.get("value") {
                given.insert(k.to_ascii_lowercase(), deep_eval(value, scope));
            }
        }
    }
    let object = |key: &str| match inner.get(key) {
        Some(Value::Object(o)) => o.clone(),
        _ => Map::new(),
    };
    let template = Template {
        file: t.file,
        budget: t.budget,
        group,
        declared: object("parameters"),
        given,
        variables: object("variables"),
        cache: RefCell::new(HashMap::new()),
        in_progress: RefCell::new(Vec::new()),
    };
    let root = template.root();
    expand(&template, &list, None, &root, out, notes)
}

/// A nested child's type is relative to its parent's (`subnets`, `blobServices/containers`,
/// `providers/diagnosticSettings`) unless it starts with a resource-provider namespace
/// (`Microsoft.Network/...`), which always contains a dot.
fn is_relative_type(rtype: &str) -> bool {
    !rtype.split('/').next().unwrap_or("").contains('.')
}

/// The full type of a resource declared under `parent` (ARM: a nested child's type and name
/// both continue the parent's, with equal segment counts).
fn qualified_type(rtype: &str, parent: Option<&str>) -> String {
    match parent {
        Some(p) if is_relative_type(rtype) => format!("{p}/{rtype}"),
        _ => rtype.to_string(),
    }
}

/// Whether the analysis reads resources of this type (the others are only counted).
fn is_relevant(rtype: &str, parent: Option<&str>) -> bool {
    super::resources::is_modelled(&qualified_type(rtype, parent))
}

/// The names of the parameters `template` declares.
pub(crate) fn declared_parameters(template: &Value) -> Vec<String> {
    match template.get("parameters") {
        Some(Value::Object(o)) => o.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Refuses a `--param` that none of the templates declares (names compare without case, as
/// in Resource Manager); `declared` holds each template's file and parameter names.
pub(crate) fn check_params_declared(
    values: &ParameterValues,
    declared: &[(String, Vec<String>)],
) -> Result<(), TopologyError> {
    for (name, _) in &values.params {
        let known = declared
            .iter()
            .any(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)));
        if known {
            continue;
        }
        let each: Vec<String> = declared
            .iter()
            .map(|(file, names)| {
                let names = if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                };
                format!("{file} declares {names}")
            })
            .collect();
        let files: Vec<&str> = declared.iter().map(|(f, _)| f.as_str()).collect();
        return Err(TopologyError {
            file: files.join(", "),
            place: String::new(),
            message: format!(
                "--param {name}: no template declares such a parameter ({}); fix the name or \
                 drop the flag",
                each.join("; ")
            ),
        });
    }
    Ok(())
}

/// Reads a template; returns its resources and notes for `--verbose`.
pub(crate) fn read(
    file: &str,
    value: &Value,
    values: &ParameterValues,
    notes: &mut Vec<String>,
) -> Result<Vec<RawResource>, TopologyError> {
    let err = |place: String, message: String| TopologyError {
        file: file.to_string(),
        place,
        message,
    };
    let declared = match value.get("parameters") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o.clone(),
        Some(_) => {
            return Err(err(
                "parameters".into(),
                "expected an object of parameter declarations".into(),
            ))
        }
    };
    let variables = match value.get("variables") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o.clone(),
        Some(_) => return Err(err("variables".into(), "expected an object".into())),
    };
    let mut given: HashMap<String, Value> = HashMap::new();
    for (source, map) in &values.files {
        for (name, v) in map {
            if lookup(&declared, name).is_none() {
                notes.push(format!(
                    "{source}: parameter '{name}' is not declared by {file}; ignored"
                ));
                continue;
            }
            given.insert(name.to_ascii_lowercase(), v.clone());
        }
    }
    for (name, text) in &values.params {
        // Several templates (a main one and its linked ones) each take the --param they
        // declare; one no template declares is refused by `check_params_declared`.
        let Some((declared_name, decl)) = lookup(&declared, name) else {
            notes.push(format!(
                "--param {name}: not declared by {file}; ignored there"
            ));
            continue;
        };
        let kind = decl
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string")
            .to_ascii_lowercase();
        let v = match kind.as_str() {
            "int" => Value::from(text.trim().parse::<i64>().map_err(|_| {
                err(String::new(), format!("--param {name}={text}: parameter '{declared_name}' is an int"))
            })?),
            "bool" => Value::Bool(match text.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(err(String::new(), format!("--param {name}={text}: parameter '{declared_name}' is a bool (true or false)")))
                }
            }),
            "array" | "object" | "secureobject" => serde_json::from_str(text).map_err(|e| {
                err(String::new(), format!("--param {name}: parameter '{declared_name}' is an {kind}; give it as JSON ({e})"))
            })?,
            _ => Value::String(text.clone()),
        };
        given.insert(declared_name.to_ascii_lowercase(), v);
    }
    let budget = Budget::default();
    let template = Template {
        file,
        budget: &budget,
        group: PLACEHOLDER_GROUP.into(),
        declared,
        given,
        variables,
        cache: RefCell::new(HashMap::new()),
        in_progress: RefCell::new(Vec::new()),
    };
    let list = match resource_list(value.get("resources"), "resources") {
        Some(list) => list,
        _ => {
            return Err(err(
                "resources".into(),
                "a template needs a \"resources\" list".into(),
            ))
        }
    };
    let mut out = Vec::new();
    let result = expand(&template, &list, None, &template.root(), &mut out, notes);
    // A spent budget or an impossible copy count is the template's fault wherever it showed.
    if let Some(message) = budget.exceeded.borrow_mut().take() {
        return Err(err(budget.place.borrow().clone(), message));
    }
    result?;
    Ok(out)
}

fn expand(
    t: &Template<'_>,
    list: &[(String, &Value)],
    parent: Option<(&str, &str)>,
    scope: &TScope<'_>,
    out: &mut Vec<RawResource>,
    notes: &mut Vec<String>,
) -> Result<(), TopologyError> {
    let err = |place: String, message: String| t.error(place, message);
    for (path, r) in list {
        let Some(obj) = r.as_object() else {
            return Err(err(path.clone(), "expected a resource object".into()));
        };
        if obj.get("existing").and_then(Value::as_bool) == Some(true) {
            notes.push(format!(
                "{}: {path}: an `existing` resource, not deployed by the template; left out",
                t.file
            ));
            continue;
        }
        let iterations: Vec<(String, TScope<'_>)> = match obj.get("copy") {
            Some(Value::Object(copy)) => {
                let name = copy.get("name").and_then(Value::as_str).unwrap_or("copy");
                *t.budget.place.borrow_mut() = format!("{path}.copy.count");
                let count = eval_count(copy.get("count"), &format!("copy loop '{name}'"), scope)
                    .map_err(|reason| {
                        err(
                            format!("{path}.copy.count"),
                            format!(
                                "cannot evaluate the copy count {}: {reason}",
                                copy.get("count").map(|c| c.to_string()).unwrap_or_default()
                            ),
                        )
                    })?;
                (0..count)
                    .map(|i| (format!("{path}(copy {name}={i})"), scope.with(name, i)))
                    .collect()
            }
            _ => vec![(path.clone(), scope.clone())],
        };
        for (place, scope) in iterations {
            if t.budget.exhausted() {
                // Reported by `read` with the place where it happened.
                return Ok(());
            }
            *t.budget.place.borrow_mut() = place.clone();
            t.budget
                .charge(RESOURCE_COST)
                .map_err(|reason| err(place.clone(), reason))?;
            let needed = |key: &str| -> Result<Value, TopologyError> {
                match obj.get(key) {
                    Some(Value::String(s)) => evaluate_string(s, &scope).map_err(|reason| {
                        err(
                            format!("{place}.{key}"),
                            format!("cannot evaluate {s}: {reason}"),
                        )
                    }),
                    Some(other) => Ok(other.clone()),
                    None => Ok(Value::Null),
                }
            };
            // Resources the analysis does not read never block it: a name or condition that
            // cannot be evaluated only matters for the five network types.
            let is_deployment = obj
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case(DEPLOYMENT));
            let relevant = match obj.get("type").map(|t| {
                evaluate_string(&t.as_str().map(str::to_string).unwrap_or_default(), &scope)
            }) {
                Some(Ok(Value::String(t))) => {
                    is_relevant(&t, parent.map(|p| p.0))
                        || (t.eq_ignore_ascii_case(DEPLOYMENT) && relevant_deployment(obj))
                }
                _ => true,
            };
            if obj.contains_key("condition") {
                let condition = match needed("condition") {
                    Err(e) if !relevant => {
                        notes.push(format!(
                            "{}: {place}: {}; not a network resource the analysis reads, left out",
                            t.file, e.message
                        ));
                        continue;
                    }
                    other => other?,
                };
                match condition {
                    Value::Bool(true) => {}
                    Value::Bool(false) => {
                        notes.push(format!(
                            "{}: {place}: condition is false; not deployed",
                            t.file
                        ));
                        continue;
                    }
                    other => {
                        return Err(err(
                            format!("{place}.condition"),
                            format!("the condition evaluates to {other}, not true/false"),
                        ))
                    }
                }
            }
            let Value::String(rtype) = needed("type")? else {
                return Err(err(
                    format!("{place}.type"),
                    "a resource needs a type".into(),
                ));
            };
            let name = match needed("name") {
                Ok(Value::String(name)) => name,
                Ok(_) => {
                    return Err(err(
                        format!("{place}.name"),
                        "a resource needs a name (text)".into(),
                    ))
                }
                // A deployment's own name is never needed either.
                Err(_) if !relevant || is_deployment => {
                    // Only listed by --verbose: any unique stand-in will do.
                    let stand_in = place.replace(['/', '[', ']', '(', ')', ' ', '='], "_");
                    let segments = match parent {
                        Some(_) if is_relative_type(&rtype) => rtype.split('/').count(),
                        _ => rtype.split('/').count().saturating_sub(1),
                    };
                    vec![stand_in; segments.max(1)].join("/")
                }
                Err(e) => return Err(e),
            };
            let (full_type, full_name) = match parent {
                Some((ptype, pname)) if is_relative_type(&rtype) => {
                    (format!("{ptype}/{rtype}"), format!("{pname}/{name}"))
                }
                _ => (rtype.clone(), name.clone()),
            };
            let names: Vec<&str> = full_name.split('/').collect();
            if names.len() + 1 != full_type.split('/').count() {
                if !relevant {
                    notes.push(format!(
                        "{}: {place}: {full_type} '{full_name}': name and type segments do not \
                         match; not a network resource the analysis reads, left out",
                        t.file
                    ));
                    continue;
                }
                return Err(err(
                    format!("{place}.name"),
                    format!(
                        "the name '{full_name}' has {} segment(s) but type {full_type} needs {}",
                        names.len(),
                        full_type.split('/').count() - 1
                    ),
                ));
            }
            if full_type.eq_ignore_ascii_case(DEPLOYMENT) && relevant_deployment(obj) {
                nested_deployment(t, obj, &place, &full_name, &scope, out, notes)?;
                continue;
            }
            if full_type.eq_ignore_ascii_case(DEPLOYMENT) {
                if let Some(link) = obj.get("properties").and_then(|p| p.get("templateLink")) {
                    let written = link
                        .get("uri")
                        .or_else(|| link.get("relativePath"))
                        .or_else(|| link.get("id"))
                        .and_then(Value::as_str)
                        .unwrap_or("no uri");
                    // The link as deployed where it can be worked out, else as written.
                    let uri = match evaluate_string(written, &scope) {
                        Ok(Value::String(uri)) => uri,
                        _ => written.to_string(),
                    };
                    notes.push(format!(
                        "{}: {place}: deployment '{full_name}' {LINKS} ({uri}), which p2s-sim \
                         cannot fetch: the resources it deploys are not read; pass the linked \
                         template as another input (with what the deployment passes it as \
                         --param or --parameters)",
                        t.file
                    ));
                }
            }
            let id = make_id(
                PLACEHOLDER_SUBSCRIPTION,
                &scope.resource_group(),
                &full_type,
                &names,
            );
            let mut body = Map::new();
            // Resources the analysis does not read are only counted: their properties are
            // never evaluated, so an expression there can neither fail nor cost anything.
            for (k, v) in obj.iter().filter(|_| relevant) {
                if matches!(
                    k.as_str(),
                    "resources"
                        | "copy"
                        | "condition"
                        | "dependsOn"
                        | "comments"
                        | "metadata"
                        | "type"
                        | "name"
                ) {
                    continue;
                }
                body.insert(k.clone(), deep_eval(v, &scope));
            }
            body.insert("id".into(), Value::String(id.clone()));
            body.insert("type".into(), Value::String(full_type.clone()));
            body.insert("name".into(), Value::String(full_name.clone()));
            out.push(RawResource {
                file: t.file.to_string(),
                path: place.clone(),
                rtype: full_type.clone(),
                id,
                body: Value::Object(body),
                aliases: &[],
            });
            if let Some(children) = obj.get("resources") {
                let list: Vec<(String, &Value)> = match children {
                    Value::Array(l) => l
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (format!("{place}.resources[{i}]"), c))
                        .collect(),
                    _ => {
                        return Err(err(
                            format!("{place}.resources"),
                            "expected a list of child resources".into(),
                        ))
                    }
                };
                expand(t, &list, Some((&full_type, &full_name)), &scope, out, notes)?;
            }
        }
    }
    Ok(())
}

/// The resources of a template, each with its JSON path: `resources` is an array, or (in
/// language version 2.0) an object keyed by symbolic name.
fn resource_list<'v>(resources: Option<&'v Value>, path: &str) -> Option<Vec<(String, &'v Value)>> {
    match resources? {
        Value::Array(l) => Some(
            l.iter()
                .enumerate()
                .map(|(i, r)| (format!("{path}[{i}]"), r))
                .collect(),
        ),
        Value::Object(o) => Some(o.iter().map(|(k, r)| (format!("{path}.{k}"), r)).collect()),
        _ => None,
    }
}
