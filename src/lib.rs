//! # p2s-sim
//!
//! Simulates which routes and IKEv2 traffic selectors an Azure VPN Gateway gives its
//! point-to-site (P2S) clients, and whether each kind of client stays under its limit.
//!
//! Data flows one way (see `ARCHITECTURE.md`):
//!
//! ```text
//! text ──read──▶ Topology ──engine──▶ Analysis ──verdicts──▶ Report ──(binary renders)──▶ table / json / csv / …
//!   (model: names resolved)      ▲                 (findings, capacity, fleets)
//!                    prefix (the set engine, used by everything)
//! ```
//!
//! One pipeline runs it all: [`analyze`]. [`plan`] compares two analyses (what-if, change
//! review, headroom, sweep), [`profile`] checks VPN client packages against one. The library
//! does no I/O: [`read`] parses texts the binary's `cli` read, and reports are values the
//! binary renders.

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
