//! The options every command that reads a topology shares, and the one function that loads it.
//!
//! Formats are detected per file (`p2s-sim analyze vnets.json gateways.json template.json`);
//! `--input-format` forces one. ARM templates take `--parameters FILE` and `--param name=value`.
//! What the readers want the user to know goes to stderr: assumptions (warnings), and a one-line
//! summary of skipped resources (`--verbose` lists each one).

use std::path::PathBuf;

use p2s_sim::model::Topology;
use p2s_sim::read::{self, InputFormat, Loaded, ParameterValues, ReadOptions, Source};
use p2s_sim::verdicts::findings::Date;

use super::{read_source, Failure};

/// `--input-format` values (the library's [`InputFormat`]).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    /// The native p2s-sim YAML/JSON topology.
    Native,
    /// ARM/REST resource JSON (one resource, an array, or {"value": [...]}).
    Rest,
    /// `az ... -o json` output.
    Az,
    /// Azure Resource Graph results ({"data": [...]} or an array).
    Graph,
    /// `Get-Az... | ConvertTo-Json -Depth 10`.
    Powershell,
    /// An ARM template (azuredeploy.json).
    Template,
    /// `terraform show -json` (state or plan).
    Terraform,
    /// An Azure CLI test recording (vcrpy YAML): its REST response bodies.
    Recording,
}

impl From<FormatArg> for InputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Native => InputFormat::Native,
            FormatArg::Rest => InputFormat::Rest,
            FormatArg::Az => InputFormat::Az,
            FormatArg::Graph => InputFormat::Graph,
            FormatArg::Powershell => InputFormat::PowerShell,
            FormatArg::Template => InputFormat::Template,
            FormatArg::Terraform => InputFormat::Terraform,
            FormatArg::Recording => InputFormat::Recording,
        }
    }
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "expected NAME=VALUE, e.g. --param gatewaySku=VpnGw2 (got '{text}')"
        )),
    }
}

/// How topology files are read (flattened into `analyze`, `whatif`, ...).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Read every file in this format instead of detecting it per file.
    #[arg(long, value_enum, ignore_case = true, value_name = "FORMAT")]
    pub input_format: Option<FormatArg>,
    /// ARM parameters file for template inputs ({"parameters": {"x": {"value": ...}}});
    /// repeatable, later files win.
    #[arg(long = "parameters", value_name = "FILE")]
    pub parameters: Vec<PathBuf>,
    /// One ARM template parameter, NAME=VALUE (repeatable; beats --parameters and defaults).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// List every skipped resource, and the detected format of each file, on stderr.
    #[arg(long)]
    pub verbose: bool,
}

/// Reads and merges the given files into one topology. `as_of` is the deployment day for
/// defaults Azure changed over time (`--as-of` where the command has it).
pub fn load(args: &InputArgs, files: &[PathBuf], as_of: Option<Date>) -> Result<Topology, Failure> {
    Ok(load_full(args, files, as_of)?.topology)
}

/// Like [`load`], with everything the readers found out (for `convert`).
pub fn load_full(
    args: &InputArgs,
    files: &[PathBuf],
    as_of: Option<Date>,
) -> Result<Loaded, Failure> {
    Ok(load_with_sources(args, files, as_of)?.0)
}

/// Like [`load_full`], keeping the text of each file (read once) for outputs that point into
/// it (SARIF locations).
pub fn load_with_sources(
    args: &InputArgs,
    files: &[PathBuf],
    as_of: Option<Date>,
) -> Result<(Loaded, Vec<Source>), Failure> {
    let sources = files
        .iter()
        .map(|p| read_source(p))
        .collect::<Result<Vec<_>, _>>()?;
    let parameter_files = args
        .parameters
        .iter()
        .map(|p| read_source(p))
        .collect::<Result<Vec<_>, _>>()?;
    let options = ReadOptions {
        format: args.input_format.map(InputFormat::from),
        parameters: ParameterValues::from_sources(&parameter_files, &args.params)?,
        as_of,
    };
    let loaded = read::load(&sources, &options)?;
    report(args, &loaded);
    Ok((loaded, sources))
}

/// Prints what the user should know about how the inputs were read.
fn report(args: &InputArgs, loaded: &Loaded) {
    if args.verbose {
        for (file, format) in &loaded.formats {
            eprintln!("p2s-sim: {file}: read as {} ({format})", format.describe());
        }
    }
    for w in &loaded.warnings {
        eprintln!("p2s-sim: warning: {w}");
    }
    if let Some(summary) = loaded.skipped_summary() {
        if args.verbose {
            eprintln!("p2s-sim: {summary}:");
        } else {
            eprintln!("p2s-sim: {summary} (--verbose lists them)");
        }
    }
    if args.verbose {
        for line in &loaded.skipped_list {
            eprintln!("p2s-sim:   {line}");
        }
    }
}
