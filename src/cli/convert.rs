//! `p2s-sim convert`: any supported input (Azure exports, templates, Terraform, native files)
//! to one native topology file, to edit for what-if runs.
//!
//! The output is what the analysis sees: analysing it gives the same result as analysing the
//! inputs (tested in `tests/it/input_convert_cli.rs`).

use std::io::Write;
use std::path::PathBuf;

use p2s_sim::read;

use super::input_args::{self, InputArgs};
use super::{stdout_writer, CmdResult, Exit, Failure};

/// Output syntax of `convert`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertTo {
    Yaml,
    Json,
}

/// Write the native p2s-sim topology equivalent to the inputs.
///
/// Reads any supported input (native YAML/JSON, ARM/REST JSON, `az -o json`, Resource Graph,
/// PowerShell ConvertTo-Json, ARM templates, `terraform show -json`; several files form one
/// topology) and prints one native topology: edit it and run `p2s-sim analyze` on it.
///
/// Examples:
///   p2s-sim convert vnets.json gateways.json > network.yaml
///   p2s-sim convert azuredeploy.json --param deployVpnGateway=Yes --to json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ConvertArgs {
    /// Input files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output syntax.
    #[arg(long, visible_alias = "format", value_enum, ignore_case = true, default_value_t = ConvertTo::Yaml)]
    pub to: ConvertTo,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: &ConvertArgs) -> CmdResult {
    let loaded = input_args::load_full(&args.input, &args.files, None)?;
    let native = read::to_native(&loaded);
    let text = match args.to {
        ConvertTo::Yaml => serde_saphyr::to_string(&native)
            .map_err(|e| Failure(format!("cannot write YAML: {e}")))?,
        ConvertTo::Json => {
            let mut t = serde_json::to_string_pretty(&native)
                .map_err(|e| Failure(format!("cannot write JSON: {e}")))?;
            t.push('\n');
            t
        }
    };
    let mut out = stdout_writer();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(Exit::Fine.into())
}
