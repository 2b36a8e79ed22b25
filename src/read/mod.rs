//! Readers: turn the files users have into a [`Topology`].
//!
//! Users do not write topologies by hand; they export what they have. Every file is read in
//! its own format (detected from its content, or forced with [`ReadOptions::format`]):
//!
//! | format | module | typical command |
//! |---|---|---|
//! | native YAML/JSON | `native` | written by hand, or by `p2s-sim convert` |
//! | ARM/REST JSON | `rest` | `az rest --method get --url .../virtualNetworks?api-version=2023-09-01` |
//! | `az` CLI JSON | `az_cli` | `az network vnet list -o json` |
//! | Resource Graph | `resource_graph` | `az graph query -q "resources \| where type =~ '...'"` |
//! | PowerShell | `powershell` | `Get-AzVirtualNetwork \| ConvertTo-Json -Depth 10` |
//! | ARM template | `arm_template` (+ [`arm_expr`]) | `azuredeploy.json` |
//! | Terraform | `terraform` | `terraform show -json` |
//! | vcrpy recording | [`recording`] | Azure CLI test recordings (read for their REST bodies) |
//!
//! The Azure formats become a common list of resources (`resources`), and `resolve` applies the
//! resolution rules (IDs, peerings, external VNets, names) to *all* Azure files at once, so the
//! outputs of `az network vnet list` and `az network vnet-gateway list` form one topology. The
//! result is native [`NativeFile`]s (one per input file), and
//! [`model::build`] checks and resolves them together with any native
//! files: each element made from a resource carries its [`Origin`](crate::model::Origin), so the
//! builder's errors name the file and the place in it — a JSON path such as
//! `value[2].properties.addressSpace.addressPrefixes[1]` plus the resource ID — and a reader
//! checks only what its format alone can tell (syntax: a line and column; kinds of values;
//! references by ID; template expressions).
//!
//! Readers parse text; they do not open files (the binary does), so they are easy to test.

pub mod arm_expr;
mod arm_template;
mod az_cli;
mod json_split;
pub mod locate;
mod native;
mod powershell;
pub mod recording;
mod resolve;
mod resource_graph;
mod resources;
mod rest;
mod terraform;
pub mod text;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

pub use arm_template::ParameterValues;
pub(crate) use native::from_yaml;
pub use native::{parse_document, parse_native, yaml_message};

use crate::model::{self, schema::NativeFile, Located, Topology, TopologyError};
use crate::verdicts::findings::Date;

/// The text of one input file.
#[derive(Clone, Debug)]
pub struct Source {
    /// What error messages call it: the path as given, or `<stdin>`.
    pub name: String,
    pub text: String,
}

/// The input formats (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputFormat {
    Native,
    Rest,
    Az,
    Graph,
    PowerShell,
    Template,
    Terraform,
    Recording,
}

impl InputFormat {
    pub const ALL: &'static [InputFormat] = &[
        InputFormat::Native,
        InputFormat::Rest,
        InputFormat::Az,
        InputFormat::Graph,
        InputFormat::PowerShell,
        InputFormat::Template,
        InputFormat::Terraform,
        InputFormat::Recording,
    ];

    /// The name used by `--input-format`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Native => "native",
            InputFormat::Rest => "rest",
            InputFormat::Az => "az",
            InputFormat::Graph => "graph",
            InputFormat::PowerShell => "powershell",
            InputFormat::Template => "template",
            InputFormat::Terraform => "terraform",
            InputFormat::Recording => "recording",
        }
    }

    /// A human description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            InputFormat::Native => "native p2s-sim topology",
            InputFormat::Rest => "ARM/REST resource JSON",
            InputFormat::Az => "az CLI JSON",
            InputFormat::Graph => "Azure Resource Graph result",
            InputFormat::PowerShell => "Azure PowerShell ConvertTo-Json",
            InputFormat::Template => "ARM template",
            InputFormat::Terraform => "terraform show -json",
            InputFormat::Recording => "vcrpy recording (Azure CLI test)",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        InputFormat::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown input format '{s}'; use one of {}",
                    names.join(", ")
                )
            })
    }
}

/// How to read the inputs.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Force this format for every file (otherwise detected per file).
    pub format: Option<InputFormat>,
    /// Values for ARM template parameters.
    pub parameters: ParameterValues,
    /// The day taken as the deployment day for defaults that Azure changed over time (the
    /// protocols of a Basic gateway created without `vpnClientProtocols`); `--as-of`.
    pub as_of: Option<Date>,
}

/// A loaded topology and what the user should know about how it was read.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub topology: Topology,
    /// The format of each file, in input order.
    pub formats: Vec<(String, InputFormat)>,
    /// Resources of types that do not matter for P2S routing, counted per type.
    pub skipped: BTreeMap<String, usize>,
    /// One line per skipped resource or left-out template resource (for `--verbose`).
    pub skipped_list: Vec<String>,
    /// Assumptions and gaps (defaults applied, VNets outside the export, ...).
    pub warnings: Vec<String>,
    /// Where the resources of Azure inputs are declared (JSON paths), for SARIF locations.
    pub places: Vec<locate::Place>,
}

impl Loaded {
    /// The one-line summary of skipped resources, or `None` when nothing was skipped.
    pub fn skipped_summary(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let total: usize = self.skipped.values().sum();
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|(t, n)| {
                if t == resources::NOT_A_RESOURCE {
                    format!("{n} JSON value(s) that are not Azure resources")
                } else {
                    format!("{n} {}", t.rsplit('/').next().unwrap_or(t))
                }
            })
            .collect();
        Some(format!(
            "skipped {total} resource(s) that do not affect P2S routes: {}",
            parts.join(", ")
        ))
    }
}

/// Guesses the format of one file from its content.
/// The top-level keys of the native format.
const NATIVE_KEYS: [&str; 4] = ["vnets", "peerings", "local_networks", "connections"];

pub fn detect(text: &str) -> InputFormat {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.trim_start().chars().next();
    if !matches!(first, Some('{') | Some('[')) {
        return if recording::looks_like(text) {
            InputFormat::Recording
        } else {
            InputFormat::Native
        };
    }
    // A native JSON file opens with one of its own keys: no need to parse it twice (this
    // matters for the 30 MB topologies `generate` writes).
    let after_brace = text.trim_start()[1..].trim_start();
    if NATIVE_KEYS.iter().any(|k| {
        after_brace
            .strip_prefix('"')
            .is_some_and(|r| r.starts_with(k) && r[k.len()..].starts_with('"'))
    }) {
        return InputFormat::Native;
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        // Not JSON: the native reader gives the best syntax error.
        return InputFormat::Native;
    };
    detect_value(&value)
}

fn detect_value(value: &serde_json::Value) -> InputFormat {
    use serde_json::Value;
    if arm_template::looks_like(value) {
        return InputFormat::Template;
    }
    if terraform::looks_like(value) {
        return InputFormat::Terraform;
    }
    if let Value::Object(o) = value {
        if NATIVE_KEYS.iter().any(|k| o.contains_key(*k)) {
            return InputFormat::Native;
        }
        if rest::is_spec_example(value) {
            return InputFormat::Rest;
        }
        if resource_graph::is_envelope(value) {
            return InputFormat::Graph;
        }
        if az_cli::unwrap(value).is_some() {
            return InputFormat::Az;
        }
        if let Some(Value::Array(_)) = o.get("value") {
            return InputFormat::Rest;
        }
    }
    if value.as_array().is_some_and(Vec::is_empty) {
        // What `az ... list -o json` prints when nothing matched.
        return InputFormat::Az;
    }
    if powershell::looks_like(value) {
        return InputFormat::PowerShell;
    }
    let first = match value {
        Value::Array(l) => l.first(),
        other => Some(other),
    };
    match first.and_then(Value::as_object) {
        Some(o) if o.contains_key("properties") => {
            let lower_type = o
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.contains('/') && t == t.to_ascii_lowercase());
            if lower_type {
                InputFormat::Graph
            } else {
                InputFormat::Rest
            }
        }
        Some(o) if o.contains_key("id") => InputFormat::Az,
        _ => InputFormat::Native,
    }
}

/// Parses every source and builds one topology from all of them (formats detected).
pub fn read_topology(sources: &[Source]) -> Result<Topology, TopologyError> {
    Ok(load(sources, &ReadOptions::default())?.topology)
}

fn json_of(source: &Source) -> Result<serde_json::Value, TopologyError> {
    let text = source.text.trim_start_matches('\u{feff}');
    serde_json::from_str(text).map_err(|e| TopologyError {
        file: source.name.clone(),
        place: format!("line {}, column {}", e.line(), e.column()),
        message: format!("not valid JSON: {e}"),
    })
}

/// Refuses a `--param` that no template among `sources` declares, before any template is
/// evaluated (a template would otherwise fail first on a parameter the flag misspelt).
fn check_params_declared(sources: &[Source], options: &ReadOptions) -> Result<(), TopologyError> {
    if options.parameters.params.is_empty() {
        return Ok(());
    }
    let mut declared = Vec::new();
    for source in sources {
        if options.format.unwrap_or_else(|| detect(&source.text)) == InputFormat::Template {
            let value = json_of(source)?;
            declared.push((
                source.name.clone(),
                arm_template::declared_parameters(&value),
            ));
        }
    }
    if declared.is_empty() {
        return Ok(()); // no template at all: said after reading, as for --parameters
    }
    arm_template::check_params_declared(&options.parameters, &declared)
}

/// Reads every source (each in its format) and builds one topology.
pub fn load(sources: &[Source], options: &ReadOptions) -> Result<Loaded, TopologyError> {
    load_all(sources, options).map_err(|e| with_line_column(e, sources))
}

/// An error at a path of a file, with the line and column of that place added
/// (`value[2].properties.addressSpace.addressPrefixes[1] (line 40, column 15)`), found by
/// walking the file along the path (JSON by its text, YAML by its parser's events): the builder
/// and the readers know where a value is in the file's structure, an editor wants the line.
/// Places that are not a path of the file (a line already given, a flag) are left as they are.
/// [`load`] applies it; what-if scenario errors get it from the scenario's source.
pub fn with_line_column(mut e: TopologyError, sources: &[Source]) -> TopologyError {
    let Some(source) = sources.iter().find(|s| s.name == e.file) else {
        return e;
    };
    if e.place.is_empty() || e.place.contains("line ") {
        return e;
    }
    let text = source.text.trim_start_matches('\u{feff}');
    let found = if matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) {
        locate::json_path_offset(&source.text, &e.place).map(|offset| {
            add_template_expression(&mut e, &source.text, offset);
            // A byte order mark takes no column.
            let mark = source.text.len() - text.len();
            locate::line_column(text, offset.saturating_sub(mark))
        })
    } else {
        locate::yaml_path_line_column(text, &e.place)
    };
    if let Some((line, column)) = found {
        e.place = format!("{} (line {line}, column {column})", e.place);
    }
    e
}

/// A value an ARM template computes is fixed where its expression gets its input, not where the
/// error points: the message shows the expression and the parameters to pass.
fn add_template_expression(e: &mut TopologyError, text: &str, offset: usize) {
    let Some(Ok(written)) = serde_json::Deserializer::from_str(&text[offset..])
        .into_iter::<String>()
        .next()
    else {
        return;
    };
    let quoted = resources::cut(&written);
    if !arm_expr::is_expression(&written)
        || e.message.contains(quoted.as_str())
        || detect(text) != InputFormat::Template
    {
        return;
    }
    let mut parameters: Vec<&str> = Vec::new();
    let mut rest = written.as_str();
    while let Some(at) = rest.find("parameters('") {
        rest = &rest[at + "parameters('".len()..];
        let Some(end) = rest.find('\'') else { break };
        if !parameters.contains(&&rest[..end]) {
            parameters.push(&rest[..end]);
        }
        rest = &rest[end..];
    }
    e.message.push_str(&format!(
        "; the template computes this value as \"{quoted}\""
    ));
    if !parameters.is_empty() {
        let flags: Vec<String> = parameters
            .iter()
            .map(|p| format!("--param {}=VALUE", resources::cut(p)))
            .collect();
        let names: Vec<String> = parameters
            .iter()
            .map(|p| format!("'{}'", resources::cut(p)))
            .collect();
        let noun = if names.len() == 1 {
            "parameter"
        } else {
            "parameters"
        };
        e.message.push_str(&format!(
            " from {noun} {}: set with {} or --parameters FILE",
            names.join(", "),
            flags.join(" ")
        ));
    }
}

fn load_all(sources: &[Source], options: &ReadOptions) -> Result<Loaded, TopologyError> {
    let mut loaded = Loaded::default();
    let mut natives: Vec<Located<NativeFile>> = Vec::new();
    let mut resources = Vec::new();
    let mut azure_files = Vec::new();
    let mut any_template = false;
    check_params_declared(sources, options)?;
    // Azure files and how many resources of the modelled types each holds.
    let mut modelled_per_file: Vec<(String, usize)> = Vec::new();
    for source in sources {
        let name = source.name.as_str();
        let format = options.format.unwrap_or_else(|| detect(&source.text));
        loaded.formats.push((source.name.clone(), format));
        let mut from_azure = |list: Vec<resources::RawResource>| {
            let modelled = list
                .iter()
                .filter(|r| resources::is_modelled(&r.rtype))
                .count();
            modelled_per_file.push((source.name.clone(), modelled));
            resources.extend(list);
            azure_files.push(source.name.clone());
        };
        match format {
            InputFormat::Native => {
                let text = source.text.trim_start_matches('\u{feff}').trim_start();
                // The common case first: a valid native JSON file parses straight into the model
                // (one pass, no `serde_json::Value` of a 30 MB file). A parameters file or other
                // JSON never parses as a native file (unknown fields are refused), so any failure
                // falls back to the checks below, which give the same errors as before.
                if text.starts_with('{') {
                    if let Some(value) = native::parse_native_json_fast(text) {
                        natives.push(Located {
                            source: source.name.clone(),
                            value,
                        });
                        continue;
                    }
                }
                if text.starts_with('{') || text.starts_with('[') {
                    // JSON of any kind: report syntax errors as such, before field errors.
                    let v = json_of(source)?;
                    if arm_template::is_parameters_file(&v) {
                        return Err(TopologyError {
                            file: source.name.clone(),
                            place: String::new(),
                            message: "this is an ARM parameters file, not a topology; pass it with --parameters next to its template".into(),
                        });
                    }
                    let native_keys = v.as_object().is_some_and(|o| {
                        o.is_empty()
                            || ["vnets", "peerings", "local_networks", "connections"]
                                .iter()
                                .any(|k| o.contains_key(*k))
                    });
                    if options.format.is_none() && !native_keys {
                        return Err(TopologyError {
                            file: source.name.clone(),
                            place: String::new(),
                            message: "cannot tell what this JSON is: not a p2s-sim topology (vnets, peerings, ...), \
                                      nor Azure resources (objects with \"id\"), an ARM template ($schema, resources), \
                                      a Resource Graph result ({\"data\": [...]}) or terraform show -json (format_version); \
                                      see docs/input-formats.md, or force a format with --input-format"
                                .into(),
                        });
                    }
                }
                natives.push(Located {
                    source: source.name.clone(),
                    value: parse_native(name, &source.text)?,
                });
            }
            InputFormat::Recording => {
                let (list, note) = recording::read(name, &source.text)?;
                loaded.warnings.push(note);
                from_azure(list);
            }
            other => {
                let value = json_of(source)?;
                let list = match other {
                    InputFormat::Rest => rest::read(name, &value)?,
                    InputFormat::Az => az_cli::read(name, &value)?,
                    InputFormat::Graph => resource_graph::read(name, &value)?,
                    InputFormat::PowerShell => powershell::read(name, &value)?,
                    InputFormat::Terraform => terraform::read(name, &value)?,
                    InputFormat::Template => {
                        any_template = true;
                        let seen = loaded.skipped_list.len();
                        let list = arm_template::read(
                            name,
                            &value,
                            &options.parameters,
                            &mut loaded.skipped_list,
                        )?;
                        // A linked template may hold the very gateway: said, not only in
                        // --verbose.
                        let linked = loaded.skipped_list[seen..]
                            .iter()
                            .filter(|n| n.contains(arm_template::LINKS))
                            .cloned();
                        loaded.warnings.extend(linked.collect::<Vec<_>>());
                        list
                    }
                    InputFormat::Native | InputFormat::Recording => unreachable!("handled above"),
                };
                from_azure(list);
            }
        }
    }
    if !any_template
        && (!options.parameters.params.is_empty() || !options.parameters.files.is_empty())
    {
        // Flags, not a file: named as flags.
        return Err(TopologyError {
            file: String::new(),
            place: String::new(),
            message: "--param and --parameters give ARM template parameters, but no input is an \
                      ARM template: pass the template among the inputs, or drop the flags"
                .into(),
        });
    }
    let has_content = |natives: &[Located<NativeFile>]| {
        natives.iter().any(|n| {
            let v = &n.value;
            !(v.vnets.is_empty() && v.local_networks.is_empty())
        })
    };
    let natives_have_content = has_content(&natives);
    for (file, modelled) in &modelled_per_file {
        if *modelled == 0 && (modelled_per_file.len() > 1 || natives_have_content) {
            loaded.warnings.push(format!(
                "{file}: holds no VNet, peering, gateway, local network gateway or connection; \
                 nothing read from it (check the export command if that is unexpected)"
            ));
        }
    }
    if !azure_files.is_empty() {
        let resolved = resolve::resolve(resources, &azure_files, options.as_of)?;
        loaded.skipped = resolved.skipped;
        loaded.skipped_list.extend(resolved.skipped_list);
        loaded.warnings.extend(resolved.warnings);
        loaded.places = resolved.places;
        natives.extend(resolved.files);
        if !has_content(&natives) {
            // A failed or mistyped export must not turn a CI gate green.
            let many = azure_files.len() > 1;
            let here = if many { "these files" } else { "this file" };
            let linked: Vec<&str> = loaded
                .warnings
                .iter()
                .filter(|w| w.contains(arm_template::LINKS))
                .map(String::as_str)
                .collect();
            let linked = if linked.is_empty() {
                String::new()
            } else {
                format!("; {}", linked.join("; "))
            };
            let only_terraform = loaded
                .formats
                .iter()
                .filter(|(f, _)| azure_files.contains(f))
                .all(|(_, format)| *format == InputFormat::Terraform);
            // What to check first depends on what the input holds: a connection without its
            // gateway, a Terraform state or plan with none of the resources, an empty export.
            let message = if loaded.warnings.iter().any(|w| w.contains("left out (add")) {
                format!(
                    "no VNets or gateways in {here}, only a connection whose gateway is not in the \
                     input: a connection alone cannot be analysed; add the export of its gateway \
                     and the gateway's VNet (az network vnet-gateway show, az network vnet show){linked}"
                )
            } else if only_terraform {
                format!(
                    "no VNets or gateways in {here}: the Terraform state or plan holds no \
                     azurerm_virtual_network, azurerm_virtual_network_gateway, \
                     azurerm_local_network_gateway or azurerm_virtual_network_gateway_connection \
                     (a plan of another module or workspace, or one that creates nothing?){linked}"
                )
            } else {
                format!(
                    "no VNets or gateways in {here}: check the export command (an empty `az ... list`, \
                     a Resource Graph query that matched nothing, or the wrong resource group); \
                     p2s-sim reads virtualNetworks, virtualNetworkPeerings, virtualNetworkGateways, \
                     localNetworkGateways and connections{linked}"
                )
            };
            return Err(TopologyError {
                file: azure_files.join(", "),
                place: String::new(),
                message,
            });
        }
    }
    loaded.topology = model::build(&mut natives)?;
    // A native file of a large topology is a million small strings: free them off the caller's
    // path (the caller goes on to analyse; this thread only returns memory to the allocator).
    if natives.iter().map(|n| n.value.vnets.len()).sum::<usize>() > 10_000 {
        std::thread::spawn(move || drop(natives));
    }
    Ok(loaded)
}

/// The native form of loaded inputs (what `p2s-sim convert` writes).
pub fn to_native(loaded: &Loaded) -> NativeFile {
    model::to_native(&loaded.topology)
}
