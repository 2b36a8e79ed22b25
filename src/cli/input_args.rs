//! The options every command that reads a topology shares, and the one function that loads it.

use std::path::PathBuf;

use p2s_sim::topology::Topology;

use super::{read_sources, Failure};

/// How topology files are read (flattened into `analyze`, `whatif`, ...).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {}

/// Reads and merges the given files into one topology.
pub fn load(_args: &InputArgs, files: &[PathBuf]) -> Result<Topology, Failure> {
    let sources = read_sources(files)?;
    Ok(p2s_sim::input::read_topology(&sources)?)
}
