//! Readers: turn the files users have into a [`Topology`].
//!
//! Every reader produces the native schema ([`NativeFile`]) plus where each piece came from, and
//! [`topology::build`](crate::topology::build) resolves names once for all of them, so several
//! files (even of different formats) form one topology. Errors name the file and the place in it:
//! a line and column for syntax errors, a path such as `vnets[3].address_space[1]` otherwise.
//!
//! Readers parse text; they do not open files (the binary does), so they are easy to test.

mod native;

pub use native::parse_native;

use crate::topology::{self, schema::NativeFile, Located, Topology, TopologyError};

/// The text of one input file.
#[derive(Clone, Debug)]
pub struct Source {
    /// What error messages call it: the path as given, or `<stdin>`.
    pub name: String,
    pub text: String,
}

/// Parses every source and builds one topology from all of them.
pub fn read_topology(sources: &[Source]) -> Result<Topology, TopologyError> {
    let files = sources
        .iter()
        .map(|s| {
            Ok(Located {
                source: s.name.clone(),
                value: parse_native(&s.name, &s.text)?,
            })
        })
        .collect::<Result<Vec<Located<NativeFile>>, TopologyError>>()?;
    topology::build(&files)
}
