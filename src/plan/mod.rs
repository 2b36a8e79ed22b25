//! Changes before they are made: [`whatif`] applies a scenario of changes to the model (and
//! plans capacity with headroom and sweeps), [`review`] reads a Terraform plan, an ARM what-if
//! or two sets of exports; both compare the two sides through the one pipeline
//! ([`crate::analyze`]).

pub mod review;
pub mod whatif;
