//! What-if analysis: apply changes to a topology and see what breaks, and when.
//!
//! - [`Scenario`] + [`apply`]: a list of changes (add spokes, prefixes, a branch, a Vnet2Vnet
//!   link; set a gateway's SKU, tunnels, BGP, custom routes; remove a peering), checked and
//!   applied in order.
//! - [`compare`]: before/after per gateway and client, status changes, who must re-download.
//! - [`headroom`]: how many more prefixes or spokes fit before each limit the report holds,
//!   exactly, from one pipeline result.
//! - [`sweep`]: one pipeline result per step of a growing change (or extrapolated from two,
//!   where that is exact), in parallel, in step order.
//!
//! Like the routing engine, nothing here does I/O.

mod apply;
mod compare;
mod headroom;
mod scenario;
mod sweep;

pub use apply::{apply, free_prefixes};
pub use compare::{
    compare, ClientChange, ClientSide, Comparison, GatewayChange, SideCells, StatusChange,
};
pub use headroom::{headroom, GatewayHeadroom, LimitHeadroom};
pub use scenario::*;
pub use sweep::{
    parse_steps, sweep, sweep_with, FirstBreak, Strategy, SweepKind, SweepPlan, SweepResult,
    SweepRow,
};
