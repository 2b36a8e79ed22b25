//! The Terraform plan reader: `terraform show -json plan.out` → two `terraform show -json`
//! *state* documents (before, after) that the ordinary Terraform reader understands.
//!
//! Documented shape (Terraform "JSON Output Format"): `format_version` (major 1), `prior_state`
//! (a state: `values.root_module`), `planned_values` (the state after apply, *without* the
//! attributes unknown until apply), `resource_changes[]` (`address`, `change.actions`, `before`,
//! `after`, `after_unknown`) and `configuration` (the modules as written, with each expression's
//! `references`).
//!
//! Before = `prior_state.values`. After = `planned_values`, with every attribute that
//! `after_unknown` marks unknown and that p2s-sim needs patched:
//!
//! - `id` of a resource the plan creates: a placeholder built from its name and resource group
//!   (subscription `terraform-plan`), so references to it resolve;
//! - a reference such as `remote_virtual_network_id`, `virtual_network_gateway_id` or
//!   `ip_configuration[].subnet_id`: followed through the `configuration` expression's
//!   `references`, in the module instance the resource lives in (`module.spokes["a"]`); a
//!   `var.x` goes up to the module call's argument, `module.m.out` down to the output's
//!   expression (when `m` has one instance); a target with `count`/`for_each` instances
//!   is the instance with the same key as the referring resource (the `each.key` pattern);
//! - anything else (a name, an address space, a reference that cannot be followed) is not
//!   guessed: the resource or the attribute is left out and an [assumption](PlanRead::assumptions)
//!   says so.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::model::TopologyError;

/// The Terraform resource types p2s-sim reads (see `read::terraform`).
pub const RELEVANT_TYPES: [&str; 5] = [
    "azurerm_virtual_network",
    "azurerm_virtual_network_peering",
    "azurerm_virtual_network_gateway",
    "azurerm_local_network_gateway",
    "azurerm_virtual_network_gateway_connection",
];

/// Attributes that hold the ID of another resource, top level or `block.attribute`.
const REFERENCE_KEYS: [&str; 5] = [
    "remote_virtual_network_id",
    "virtual_network_gateway_id",
    "local_network_gateway_id",
    "peer_virtual_network_gateway_id",
    "ip_configuration.subnet_id",
];

const PLAN_SUBSCRIPTION: &str = "terraform-plan";

/// The type a resource left out of the after side gets (it then matches no reader).
const LEFT_OUT: &str = "p2s-sim-left-out-until-apply";

/// One resource the plan changes (P2S-relevant types only), for the review's change list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResourceAction {
    pub address: String,
    /// `create`, `update`, `delete`, `replace`, `read` (Terraform's `actions`, joined).
    pub action: String,
}

/// What [`read_plan`] makes of a plan.
#[derive(Clone, Debug, Default)]
pub struct PlanRead {
    /// A `terraform show -json` state document of the state before, or `None` (empty state).
    pub before: Option<Value>,
    /// The same for the planned state after apply.
    pub after: Option<Value>,
    pub actions: Vec<ResourceAction>,
    /// What could not be known until apply, and what p2s-sim did about it.
    pub assumptions: Vec<String>,
    /// True when the plan changes P2S-relevant resources but none of them can be placed
    /// before apply (every name unknown): nothing to compare, and no guess.
    pub all_unknown: bool,
}

/// True for the JSON of `terraform show -json` on a saved plan.
pub fn looks_like(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.contains_key("format_version")
            && (o.contains_key("planned_values") || o.contains_key("resource_changes"))
    })
}

fn err(file: &str, place: &str, message: String) -> TopologyError {
    TopologyError {
        file: file.to_string(),
        place: place.to_string(),
        message,
    }
}

/// Checks `format_version`: Terraform promises that a change of the major version breaks
/// readers and a minor version only adds fields.
pub fn check_format_version(file: &str, value: &Value) -> Result<(), TopologyError> {
    let version = value.get("format_version").and_then(Value::as_str);
    match version.and_then(|v| v.split('.').next()) {
        Some("1") => Ok(()),
        _ => Err(err(
            file,
            "format_version",
            format!(
                "unsupported format_version {}; p2s-sim reads version 1.x, what Terraform 1.0 and \
                 later print: run `terraform show -json plan.out` with Terraform 1.x",
                version.map_or("(missing)".to_string(), |v| format!("\"{v}\""))
            ),
        )),
    }
}

/// A module instance path: `module.a["x"].module.b[0]` → [("a", Some("[\"x\"]")), ("b", Some("[0]"))].
fn parse_module_path(path: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix("module.")?;
        let end = rest.find(['[', '.']).unwrap_or(rest.len());
        let name = rest[..end].to_string();
        rest = &rest[end..];
        let mut key = None;
        if rest.starts_with('[') {
            let close = bracket_end(rest)?;
            key = Some(rest[..=close].to_string());
            rest = &rest[close + 1..];
        }
        steps.push((name, key));
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    Some(steps)
}

/// The index of the `]` closing the bracket `text` starts with (quoted keys may hold `]`).
fn bracket_end(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// One resource instance of `planned_values` (or `prior_state`).
struct Instance {
    module: String,
    mode: String,
    rtype: String,
    name: String,
    /// The instance key as Terraform prints it in addresses (`[0]`, `["a"]`), if any.
    index: Option<String>,
    address: String,
    /// JSON pointer of its `values` in the document.
    pointer: String,
}

fn index_text(index: Option<&Value>) -> Option<String> {
    match index? {
        Value::Null => None,
        Value::String(s) => Some(format!("[{}]", Value::String(s.clone()))),
        other => Some(format!("[{other}]")),
    }
}

fn collect(module: &Value, module_address: &str, pointer: &str, out: &mut Vec<Instance>) {
    if let Some(list) = module.get("resources").and_then(Value::as_array) {
        for (i, r) in list.iter().enumerate() {
            let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            out.push(Instance {
                module: module_address.to_string(),
                mode: text("mode"),
                rtype: text("type"),
                name: text("name"),
                index: index_text(r.get("index")),
                address: text("address"),
                pointer: format!("{pointer}/resources/{i}/values"),
            });
        }
    }
    if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
        for (i, c) in children.iter().enumerate() {
            let address = c.get("address").and_then(Value::as_str).unwrap_or("");
            collect(c, address, &format!("{pointer}/child_modules/{i}"), out);
        }
    }
}

/// The configuration of a module instance path (instance keys ignored: every instance of a
/// module call shares one configuration).
fn config_module<'v>(config: &'v Value, steps: &[(String, Option<String>)]) -> Option<&'v Value> {
    let mut m = config.get("root_module")?;
    for (name, _) in steps {
        m = m.get("module_calls")?.get(name)?.get("module")?;
    }
    Some(m)
}

fn module_address(steps: &[(String, Option<String>)]) -> String {
    steps
        .iter()
        .map(|(n, k)| format!("module.{n}{}", k.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join(".")
}

struct Resolver<'a> {
    config: &'a Value,
    instances: &'a [Instance],
    ids: &'a HashMap<String, String>,
}

impl Resolver<'_> {
    /// The references of `key` (`attr` or `block.attr`) in the configuration of `inst`.
    fn references(&self, inst: &Instance, key: &str) -> Vec<String> {
        let Some(steps) = parse_module_path(&inst.module) else {
            return Vec::new();
        };
        let Some(module) = config_module(self.config, &steps) else {
            return Vec::new();
        };
        let Some(resource) = module
            .get("resources")
            .and_then(Value::as_array)
            .and_then(|l| {
                l.iter().find(|r| {
                    r.get("type").and_then(Value::as_str) == Some(inst.rtype.as_str())
                        && r.get("name").and_then(Value::as_str) == Some(inst.name.as_str())
                        && r.get("mode").and_then(Value::as_str).unwrap_or("managed") == inst.mode
                })
            })
        else {
            return Vec::new();
        };
        let exprs = resource.get("expressions");
        let expr = match key.split_once('.') {
            None => exprs.and_then(|e| e.get(key)).cloned(),
            Some((block, attr)) => {
                // A block is a list of objects of expressions; every instance is the same.
                exprs
                    .and_then(|e| e.get(block))
                    .and_then(Value::as_array)
                    .and_then(|l| l.first())
                    .and_then(|b| b.get(attr))
                    .cloned()
            }
        };
        refs_of(expr.as_ref())
    }

    /// The ID a list of references (in module instance `steps`, for a resource of instance key
    /// `index`) points at, if it can be known.
    fn resolve(
        &self,
        refs: &[String],
        steps: &[(String, Option<String>)],
        index: Option<&str>,
        depth: usize,
    ) -> Option<String> {
        if depth > 32 {
            return None;
        }
        for r in refs {
            if let Some(rest) = r.strip_prefix("module.") {
                // `module.NAME.OUTPUT`: the output's expression, in the child module instance
                // (the only one: with count/for_each the instance cannot be told).
                let mut parts = rest.splitn(2, '.');
                let (Some(call), Some(output)) = (parts.next(), parts.next()) else {
                    continue;
                };
                if call.contains('[') {
                    continue;
                }
                let output = output.split(['.', '[']).next().unwrap_or(output);
                let module = config_module(self.config, steps);
                let expr = module
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|c| c.get(call))
                    .and_then(|c| c.get("module"))
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"));
                let prefix = module_address(steps);
                let instances: BTreeSet<&str> = self
                    .instances
                    .iter()
                    .filter_map(|i| {
                        let rest = if prefix.is_empty() {
                            Some(i.module.as_str())
                        } else {
                            i.module.strip_prefix(&prefix)?.strip_prefix('.')
                        }?;
                        let head = rest.strip_prefix("module.")?;
                        let end = head.find('.').unwrap_or(head.len());
                        let head = &head[..end];
                        let name = head.split('[').next().unwrap_or(head);
                        (name == call).then_some(head)
                    })
                    .collect();
                let [only] = instances.into_iter().collect::<Vec<_>>()[..] else {
                    continue;
                };
                let key = only.find('[').map(|i| only[i..].to_string());
                let mut child = steps.to_vec();
                child.push((call.to_string(), key));
                if let Some(id) = self.resolve(&refs_of(expr), &child, index, depth + 1) {
                    return Some(id);
                }
                continue;
            }
            if let Some(var) = r.strip_prefix("var.") {
                let var = var.split(['.', '[']).next().unwrap_or(var);
                let (call, parent) = steps.split_last()?;
                let module = config_module(self.config, parent)?;
                let expr = module
                    .get("module_calls")
                    .and_then(|c| c.get(&call.0))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(var));
                // In the parent, the instance key of the module call plays the role of each.key.
                if let Some(id) = self.resolve(&refs_of(expr), parent, call.1.as_deref(), depth + 1)
                {
                    return Some(id);
                }
                continue;
            }
            let text = r.strip_prefix("data.").map_or(r.as_str(), |t| t);
            let mode = if r.starts_with("data.") {
                "data"
            } else {
                "managed"
            };
            let mut parts = text.splitn(2, '.');
            let (Some(rtype), Some(rest)) = (parts.next(), parts.next()) else {
                continue;
            };
            if !rtype.starts_with("azurerm_") {
                continue;
            }
            let name_end = rest.find(['[', '.']).unwrap_or(rest.len());
            let name = &rest[..name_end];
            let literal = rest[name_end..]
                .starts_with('[')
                .then(|| bracket_end(&rest[name_end..]).map(|e| &rest[name_end..=name_end + e]))
                .flatten()
                .filter(|k| !k.contains("each.") && !k.contains("count."));
            let module = module_address(steps);
            let candidates: Vec<&Instance> = self
                .instances
                .iter()
                .filter(|i| {
                    i.module == module && i.rtype == rtype && i.name == name && i.mode == mode
                })
                .collect();
            let chosen = match (literal, candidates.as_slice()) {
                (Some(k), list) => list.iter().find(|i| i.index.as_deref() == Some(k)),
                (None, [one]) => Some(one),
                (None, list) => list
                    .iter()
                    .find(|i| index.is_some() && i.index.as_deref() == index),
            };
            if let Some(id) = chosen.and_then(|i| self.ids.get(&i.address)) {
                return Some(id.clone());
            }
        }
        None
    }
}

fn refs_of(expr: Option<&Value>) -> Vec<String> {
    expr.and_then(|e| e.get("references"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn is_unknown(unknown: Option<&Value>, key: &str) -> bool {
    unknown.and_then(|u| u.get(key)) == Some(&Value::Bool(true))
}

/// The ID a resource created by the plan will get, built from its names: under its VNet's ID
/// when that VNet is in the plan (subnets, peerings), else under subscription `terraform-plan`.
fn placeholder_id(
    rtype: &str,
    values: &Map<String, Value>,
    vnets: &HashMap<(String, String), String>,
) -> Option<String> {
    let s = |k: &str| values.get(k).and_then(Value::as_str);
    let group = s("resource_group_name")?;
    let name = s("name")?;
    let child = |kind: &str| -> Option<String> {
        let vnet = s("virtual_network_name")?;
        vnets
            .get(&(group.to_ascii_lowercase(), vnet.to_ascii_lowercase()))
            .map(|id| format!("{id}/{kind}/{name}"))
    };
    match rtype {
        "azurerm_subnet" => {
            if let Some(id) = child("subnets") {
                return Some(id);
            }
        }
        "azurerm_virtual_network_peering" => {
            if let Some(id) = child("virtualNetworkPeerings") {
                return Some(id);
            }
        }
        _ => {}
    }
    let (provider, path) = match rtype {
        "azurerm_virtual_network" => ("virtualNetworks", name.to_string()),
        "azurerm_subnet" => (
            "virtualNetworks",
            format!("{}/subnets/{name}", s("virtual_network_name")?),
        ),
        "azurerm_virtual_network_peering" => (
            "virtualNetworks",
            format!(
                "{}/virtualNetworkPeerings/{name}",
                s("virtual_network_name")?
            ),
        ),
        "azurerm_virtual_network_gateway" => ("virtualNetworkGateways", name.to_string()),
        "azurerm_local_network_gateway" => ("localNetworkGateways", name.to_string()),
        "azurerm_virtual_network_gateway_connection" => ("connections", name.to_string()),
        _ => return None,
    };
    Some(format!(
        "/subscriptions/{PLAN_SUBSCRIPTION}/resourceGroups/{group}/providers/Microsoft.Network/{provider}/{path}"
    ))
}

/// Reads a plan (already parsed and recognised by [`looks_like`]).
pub fn read_plan(file: &str, plan: &Value) -> Result<PlanRead, TopologyError> {
    check_format_version(file, plan)?;
    if plan.get("errored") == Some(&Value::Bool(true)) {
        return Err(err(
            file,
            "errored",
            "this plan errored (\"errored\": true): Terraform could not finish planning; fix the \
             errors `terraform plan` printed and save a new plan"
                .into(),
        ));
    }
    let version = plan.get("format_version").cloned().unwrap_or(Value::Null);
    let mut read = PlanRead::default();
    let state_doc = |values: &Value| json!({"format_version": version, "values": values});

    // Before: the prior state, as it is.
    if let Some(values) = plan.pointer("/prior_state/values") {
        if values.get("root_module").is_some() {
            read.before = Some(state_doc(values));
        }
    }

    // The changes, by address.
    let mut changes: HashMap<String, &Value> = HashMap::new();
    let mut relevant_changes = 0usize;
    if let Some(list) = plan.get("resource_changes").and_then(Value::as_array) {
        for (i, rc) in list.iter().enumerate() {
            let address = rc.get("address").and_then(Value::as_str).ok_or_else(|| {
                err(
                    file,
                    &format!("resource_changes[{i}]"),
                    "a resource change without `address`: is this the output of `terraform show -json plan.out`?".into(),
                )
            })?;
            let change = rc.get("change").unwrap_or(&Value::Null);
            changes.insert(address.to_string(), change);
            let rtype = rc.get("type").and_then(Value::as_str).unwrap_or("");
            let actions: Vec<&str> = change
                .get("actions")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if RELEVANT_TYPES.contains(&rtype) && actions != ["no-op"] && !actions.is_empty() {
                relevant_changes += 1;
                let action = match actions.as_slice() {
                    ["delete", "create"] | ["create", "delete"] => "replace".to_string(),
                    other => other.join(", "),
                };
                read.actions.push(ResourceAction {
                    address: address.to_string(),
                    action,
                });
            }
        }
    }

    // After: the planned values, patched.
    let Some(planned) = plan.get("planned_values") else {
        return Err(err(
            file,
            "planned_values",
            "this plan has no `planned_values`; run `terraform show -json plan.out` on a plan \
             saved with `terraform plan -out plan.out`"
                .into(),
        ));
    };
    let mut after = planned.clone();
    let mut instances = Vec::new();
    if let Some(root) = planned.get("root_module") {
        collect(root, "", "/root_module", &mut instances);
    }
    let unknown_of = |i: &Instance| changes.get(&i.address).and_then(|c| c.get("after_unknown"));

    // Names first: a resource without a name cannot be placed, whatever else is known.
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut placeholders = 0usize;
    let mut drop: Vec<&Instance> = Vec::new();
    // VNets whose ID is known, by (resource group, name), for the IDs of their children.
    let mut parents: HashMap<(String, String), String> = HashMap::new();
    for inst in instances
        .iter()
        .filter(|i| i.rtype == "azurerm_virtual_network")
    {
        let Some(v) = after.pointer(&inst.pointer).and_then(Value::as_object) else {
            continue;
        };
        let text = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
        };
        if let (Some(group), Some(name)) = (text("resource_group_name"), text("name")) {
            let id = v
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| placeholder_id(&inst.rtype, v, &HashMap::new()));
            if let Some(id) = id {
                parents.insert((group, name), id);
            }
        }
    }
    for inst in &instances {
        if inst.mode != "managed" && inst.mode != "data" {
            continue;
        }
        let values = after.pointer(&inst.pointer).and_then(Value::as_object);
        let Some(values) = values else { continue };
        if let Some(id) = values.get("id").and_then(Value::as_str) {
            ids.insert(inst.address.clone(), id.to_string());
            continue;
        }
        let relevant =
            RELEVANT_TYPES.contains(&inst.rtype.as_str()) || inst.rtype == "azurerm_subnet";
        if !relevant {
            continue;
        }
        match placeholder_id(&inst.rtype, values, &parents) {
            Some(id) => {
                placeholders += usize::from(RELEVANT_TYPES.contains(&inst.rtype.as_str()));
                ids.insert(inst.address.clone(), id);
            }
            None if RELEVANT_TYPES.contains(&inst.rtype.as_str()) => {
                let unknown = unknown_of(inst);
                let missing: Vec<&str> = ["name", "resource_group_name", "virtual_network_name"]
                    .into_iter()
                    .filter(|k| is_unknown(unknown, k))
                    .collect();
                read.assumptions.push(format!(
                    "{}: {} unknown until apply; this resource is left out of the after side \
                     (not guessed)",
                    inst.address,
                    if missing.is_empty() {
                        "its name or resource group is".to_string()
                    } else {
                        format!("{} is", missing.join(", "))
                    }
                ));
                drop.push(inst);
            }
            None => {}
        }
    }
    if placeholders > 0 {
        read.assumptions.push(format!(
            "{placeholders} resource(s) get their ID on apply; p2s-sim names them by resource \
             group and name (under their VNet's ID, or in subscription `{PLAN_SUBSCRIPTION}`)"
        ));
    }
    let resolver = Resolver {
        config: plan.get("configuration").unwrap_or(&Value::Null),
        instances: &instances,
        ids: &ids,
    };
    let mut unresolvable: Vec<String> = Vec::new();
    for inst in &instances {
        if !RELEVANT_TYPES.contains(&inst.rtype.as_str())
            || drop.iter().any(|d| d.address == inst.address)
        {
            continue;
        }
        let unknown = unknown_of(inst);
        let steps = parse_module_path(&inst.module).unwrap_or_default();
        let Some(values) = after
            .pointer_mut(&inst.pointer)
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if let Some(id) = ids.get(&inst.address) {
            values
                .entry("id".to_string())
                .or_insert_with(|| Value::String(id.clone()));
        }
        // Sets `attr` of `object` to the id the references of `key` lead to, or records that
        // they lead nowhere (`shown` names the attribute in the assumption).
        let mut resolve_into =
            |object: &mut Map<String, Value>, key: &str, attr: &str, shown: &str| {
                let refs = resolver.references(inst, key);
                match resolver.resolve(&refs, &steps, inst.index.as_deref(), 0) {
                    Some(id) => {
                        object.insert(attr.to_string(), Value::String(id));
                    }
                    None => {
                        read.assumptions
                            .push(unresolved(&inst.address, shown, &refs));
                        unresolvable.push(inst.pointer.clone());
                    }
                }
            };
        for key in REFERENCE_KEYS {
            match key.split_once('.') {
                None => {
                    if !is_unknown(unknown, key) {
                        continue;
                    }
                    resolve_into(values, key, key, key);
                }
                Some((block, attr)) => {
                    let Some(blocks) = values.get_mut(block).and_then(Value::as_array_mut) else {
                        continue;
                    };
                    for (n, b) in blocks.iter_mut().enumerate() {
                        let unknown_here = unknown
                            .and_then(|u| u.get(block))
                            .and_then(|l| l.get(n))
                            .and_then(|o| o.get(attr))
                            == Some(&Value::Bool(true));
                        let Some(b) = b.as_object_mut() else { continue };
                        if !unknown_here || b.get(attr).is_some_and(|v| !v.is_null()) {
                            continue;
                        }
                        resolve_into(b, key, attr, &format!("{block}[{n}].{attr}"));
                    }
                }
            }
        }
        for key in [
            "address_space",
            "vpn_client_configuration",
            "custom_route",
            "bgp_settings",
        ] {
            if is_unknown(unknown, key) {
                read.assumptions.push(format!(
                    "{}: {key} is unknown until apply; read as absent (not guessed)",
                    inst.address
                ));
            }
        }
    }
    // Leave out what cannot be placed: without `values` the Terraform reader skips a resource,
    // and its index (what error messages cite) stays that of the plan.
    let mut pointers: Vec<String> = drop.iter().map(|i| i.pointer.clone()).collect();
    pointers.extend(unresolvable);
    for pointer in &pointers {
        if let Some(resource) = pointer
            .strip_suffix("/values")
            .and_then(|p| after.pointer_mut(p))
            .and_then(Value::as_object_mut)
        {
            resource.remove("values");
            resource.insert("type".into(), Value::String(LEFT_OUT.into()));
        }
    }
    let dropped: Vec<&str> = instances
        .iter()
        .filter(|i| pointers.contains(&i.pointer))
        .map(|i| i.address.as_str())
        .collect();
    read.all_unknown = relevant_changes > 0
        && read
            .actions
            .iter()
            .all(|a| dropped.contains(&a.address.as_str()));
    if after.get("root_module").is_some() {
        read.after = Some(state_doc(&after));
    }
    Ok(read)
}

fn unresolved(address: &str, key: &str, refs: &[String]) -> String {
    let via = if refs.is_empty() {
        "the configuration gives no reference to follow".to_string()
    } else {
        format!(
            "its references ({}) do not lead to a resource of this plan",
            refs.join(", ")
        )
    };
    format!(
        "{address}: {key} is unknown until apply and {via}; the resource is left out of the \
         after side (not guessed)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_parse_with_keys() {
        assert_eq!(
            parse_module_path(r#"module.a["x]y"].module.b[0]"#).unwrap(),
            vec![
                ("a".to_string(), Some(r#"["x]y"]"#.to_string())),
                ("b".to_string(), Some("[0]".to_string()))
            ]
        );
        assert_eq!(parse_module_path("").unwrap(), vec![]);
        assert!(parse_module_path("nonsense").is_none());
    }

    /// A resource of `planned_values`, values as given.
    fn r(address: &str, rtype: &str, name: &str, index: Option<Value>, values: Value) -> Value {
        let mut o = json!({"address": address, "mode": "managed", "type": rtype, "name": name, "values": values});
        if let Some(i) = index {
            o["index"] = i;
        }
        o
    }

    fn unknown(address: &str, keys: Value) -> Value {
        json!({"address": address, "type": "", "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": keys}})
    }

    #[test]
    fn var_references_go_up_to_the_module_call_and_count_instances_pair_up() {
        let vnet = |n: &str| json!({"name": n, "resource_group_name": "rg", "address_space": ["10.0.0.0/16"]});
        let peering = |vnet: &str, n: &str| json!({"name": n, "resource_group_name": "rg", "virtual_network_name": vnet});
        let plan = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {
                "resources": [
                    r("azurerm_virtual_network.hub", "azurerm_virtual_network", "hub", None, vnet("hub")),
                    r("azurerm_virtual_network.spoke[0]", "azurerm_virtual_network", "spoke", Some(json!(0)), vnet("s0")),
                    r("azurerm_virtual_network.spoke[1]", "azurerm_virtual_network", "spoke", Some(json!(1)), vnet("s1")),
                    r("azurerm_virtual_network_peering.from_hub[0]", "azurerm_virtual_network_peering", "from_hub", Some(json!(0)), peering("hub", "h0")),
                    r("azurerm_virtual_network_peering.from_hub[1]", "azurerm_virtual_network_peering", "from_hub", Some(json!(1)), peering("hub", "h1")),
                ],
                "child_modules": [{"address": "module.edge[\"x\"]", "resources": [
                    r("module.edge[\"x\"].azurerm_virtual_network_peering.to_hub", "azurerm_virtual_network_peering", "to_hub", None, peering("edge", "e")),
                ]}]
            }},
            "resource_changes": [
                unknown("azurerm_virtual_network_peering.from_hub[0]", json!({"remote_virtual_network_id": true})),
                unknown("azurerm_virtual_network_peering.from_hub[1]", json!({"remote_virtual_network_id": true})),
                unknown("module.edge[\"x\"].azurerm_virtual_network_peering.to_hub", json!({"remote_virtual_network_id": true})),
            ],
            "configuration": {"root_module": {
                "resources": [{"mode": "managed", "type": "azurerm_virtual_network_peering", "name": "from_hub",
                    "expressions": {"remote_virtual_network_id": {"references": ["azurerm_virtual_network.spoke", "count.index"]}}}],
                "module_calls": {"edge": {
                    "expressions": {"hub_id": {"references": ["azurerm_virtual_network.hub.id", "azurerm_virtual_network.hub"]}},
                    "module": {"resources": [{"mode": "managed", "type": "azurerm_virtual_network_peering", "name": "to_hub",
                        "expressions": {"remote_virtual_network_id": {"references": ["var.hub_id"]}}}]}}}
            }}
        });
        let read = read_plan("p.json", &plan).unwrap();
        assert!(
            read.assumptions.iter().all(|a| !a.contains("not guessed")),
            "{:?}",
            read.assumptions
        );
        let after = read.after.unwrap();
        let remote = |pointer: &str| {
            after
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let base = "/subscriptions/terraform-plan/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks";
        let rv = "values/remote_virtual_network_id";
        assert_eq!(
            remote(&format!("/values/root_module/resources/3/{rv}")),
            format!("{base}/s0")
        );
        assert_eq!(
            remote(&format!("/values/root_module/resources/4/{rv}")),
            format!("{base}/s1")
        );
        assert_eq!(
            remote(&format!(
                "/values/root_module/child_modules/0/resources/0/{rv}"
            )),
            format!("{base}/hub")
        );
        // The hub side's peering hangs under the hub's ID.
        assert_eq!(
            remote("/values/root_module/resources/3/values/id"),
            format!("{base}/hub/virtualNetworkPeerings/h0")
        );
    }

    #[test]
    fn module_outputs_lead_to_the_resource_inside_the_module() {
        let plan = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {
                "resources": [r("azurerm_virtual_network_peering.to_shared", "azurerm_virtual_network_peering", "to_shared", None,
                    json!({"name": "p", "resource_group_name": "rg", "virtual_network_name": "hub"}))],
                "child_modules": [{"address": "module.shared", "resources": [
                    r("module.shared.azurerm_virtual_network.this", "azurerm_virtual_network", "this", None,
                      json!({"name": "shared", "resource_group_name": "rg2", "address_space": ["10.9.0.0/16"]})),
                ]}]
            }},
            "resource_changes": [unknown("azurerm_virtual_network_peering.to_shared", json!({"remote_virtual_network_id": true}))],
            "configuration": {"root_module": {
                "resources": [{"mode": "managed", "type": "azurerm_virtual_network_peering", "name": "to_shared",
                    "expressions": {"remote_virtual_network_id": {"references": ["module.shared.vnet_id", "module.shared"]}}}],
                "module_calls": {"shared": {"module": {
                    "outputs": {"vnet_id": {"expression": {"references": ["azurerm_virtual_network.this.id", "azurerm_virtual_network.this"]}}},
                    "resources": []}}}
            }}
        });
        let read = read_plan("p.json", &plan).unwrap();
        let after = read.after.unwrap();
        assert_eq!(
            after.pointer("/values/root_module/resources/0/values/remote_virtual_network_id"),
            Some(&json!("/subscriptions/terraform-plan/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/shared"))
        );
        // Without the output in the configuration it cannot be known: left out and named.
        let mut plan = plan;
        plan["configuration"]["root_module"]["module_calls"]["shared"]["module"]["outputs"] =
            json!({});
        let read = read_plan("p.json", &plan).unwrap();
        assert!(
            read.assumptions
                .iter()
                .any(|a| a.contains("to_shared: remote_virtual_network_id is unknown")),
            "{:?}",
            read.assumptions
        );
        let after = read.after.unwrap();
        assert_eq!(
            after.pointer("/values/root_module/resources/0/values"),
            None
        );
        assert_eq!(
            after.pointer("/values/root_module/resources/0/type"),
            Some(&json!(LEFT_OUT))
        );
    }

    #[test]
    fn only_major_version_1_is_read() {
        assert!(check_format_version("f", &json!({"format_version": "1.2"})).is_ok());
        let e = check_format_version("f", &json!({"format_version": "0.1"})).unwrap_err();
        assert!(e.to_string().contains("\"0.1\""), "{e}");
    }
}
