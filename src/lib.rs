//! # p2s-sim
//!
//! Simulates which routes and IKEv2 traffic selectors an Azure VPN Gateway gives its
//! point-to-site (P2S) clients, and whether each kind of client stays under its limit.
//!
//! Data flows one way (see `ARCHITECTURE.md`):
//!
//! ```text
//! files ──input──▶ Topology ──routing──▶ Analysis ──(binary renders)──▶ table / json / csv / md
//!                                ▲
//!                    prefix (the set engine, used by everything)
//! ```
//!
//! The engine (everything except [`input`] and the binary's `cli`) does no I/O.

pub mod engine;
pub mod facts;
#[doc(hidden)]
pub mod fuzzing;
pub mod model;
pub mod plan;
pub mod prefix;
pub mod profile;
pub mod read;
pub mod report;
pub mod verdicts;

pub use report::pipeline::{analyze, Analyzed, Options as AnalyzeOptions};
