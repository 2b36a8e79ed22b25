//! `p2s-sim generate`: synthetic topologies for tests and benchmarks.

use std::io::Write;
use std::path::PathBuf;

use p2s_sim::model::generate::{generate, GenerateOptions};
use p2s_sim::model::to_native;

use super::{stdout_writer, CmdResult, Exit, Failure};

/// Generate a realistic synthetic topology, the same for the same seed.
///
/// Hub-and-spoke per region, hubs linked by Vnet2Vnet (optionally with BGP), branch offices on
/// every hub.
///
/// The output is the native format: JSON when --out ends in .json, YAML otherwise.
///
/// Examples:
///   p2s-sim generate --hubs 3 --spokes-per-hub 20 --v2v-mesh --bgp --out lab.yaml
///   p2s-sim generate --hubs 1000 --spokes-per-hub 50 --prefixes-per-vnet 20 --v2v-mesh --bgp --out big.json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 2)]
    hubs: usize,
    #[arg(long, default_value_t = 10)]
    spokes_per_hub: usize,
    #[arg(long, default_value_t = 2)]
    prefixes_per_vnet: usize,
    /// Branch offices (local network gateways) per hub.
    #[arg(long, default_value_t = 1)]
    local_networks: usize,
    /// Link hubs with Vnet2Vnet connections (each hub with its next --mesh-degree hubs).
    #[arg(long)]
    v2v_mesh: bool,
    #[arg(long, default_value_t = 3)]
    mesh_degree: usize,
    /// Enable BGP on gateways, branches and connections.
    #[arg(long)]
    bgp: bool,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (default: standard output, YAML).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: &GenerateArgs) -> CmdResult {
    let topology = generate(&GenerateOptions {
        hubs: args.hubs,
        spokes_per_hub: args.spokes_per_hub,
        prefixes_per_vnet: args.prefixes_per_vnet,
        local_networks: args.local_networks,
        v2v_mesh: args.v2v_mesh,
        mesh_degree: args.mesh_degree,
        bgp: args.bgp,
        seed: args.seed,
    })
    .map_err(|e| Failure(e.to_string()))?;
    let native = to_native(&topology);
    let json = args.out.as_ref().is_some_and(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let text = if json {
        serde_json::to_string(&native).map_err(|e| Failure(e.to_string()))?
    } else {
        serde_saphyr::to_string(&native).map_err(|e| Failure(e.to_string()))?
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure(format!("{}: cannot write: {e}", path.display())))?,
        None => {
            let mut out = stdout_writer();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Exit::Fine.into())
}
