//! Configuration findings: what Azure will reject, what will hurt, and what is worth knowing,
//! found in a [`Topology`] and its [`Analysis`] before anything is deployed.
//!
//! # What a finding is
//!
//! A [`Finding`] is one rule matched at one place. It carries
//! - a **code** such as `PEER008`, stable across releases: the same mistake always has the same
//!   code, so scripts, `--check` allow-lists and tickets can refer to it;
//! - a **severity** ([`Severity`]):
//!   - `error`: Azure rejects the configuration, or clients cannot connect or cannot reach what
//!     the configuration is meant to give them;
//!   - `warning`: Azure accepts it and it works, but something hurts (a spoke left out, a route
//!     that collides with home networks, a deadline coming);
//!   - `info`: a fact worth knowing that needs no change now;
//! - the **subject**: the resource it is about (gateway, VNet, connection or local network name;
//!   a peering is written `vnet->remote`);
//! - a one-line **message** that says what is wrong here and what to change;
//! - the **source**: the Azure article that documents the rule.
//!
//! Every code has a [`Rule`] in the catalog ([`rules`], [`explain`]): its title, severity, why it
//! matters, how to fix it and its source. `p2s-sim explain CODE` prints it.
//!
//! # How codes are built and kept stable
//!
//! A code is an area and a three-digit number: `P2S` (the gateway's point-to-site settings),
//! `POOL` (the client address pool against other address space), `PEER` (VNet peering and gateway
//! transit), `CONN` (gateway connections), `LIM` (documented resource limits), `ROUTE` (custom
//! routes), `NET` (networks clients connect from), `DATE` (dated product changes, see `--as-of`),
//! `SKU` (gateway SKU facts) and `CAP` (client capacity, see `--expected-clients`). Numbers are
//! never reused or renumbered: a retired rule keeps its code out of use, a new rule takes the next
//! free number of its area. A code always has the same severity.
//!
//! # Order and determinism
//!
//! [`check`] returns findings sorted by severity (errors first), then code, subject and message,
//! so the same topology gives the same bytes in every output format and on every thread count.
//! The rules do no I/O, never panic, and skip names that do not resolve (a `Topology` from
//! [`crate::model::build`] has none, but one built by hand may).
//!
//! # Dates
//!
//! Some rules depend on the day (SSTP retirement, Basic SKU and IKEv2, legacy SKU migration).
//! The engine never reads the clock: the caller passes [`Options::as_of`] (the CLI's `--as-of`,
//! default today).
//!
//! # Example
//!
//! ```
//! use p2s_sim::verdicts::findings::{check, explain, Date, Options, Severity};
//! use p2s_sim::read::{read_topology, Source};
//!
//! let yaml = "
//! vnets:
//!   - name: hub
//!     address_space: [10.0.0.0/16]
//!     gateway:
//!       sku: VpnGw1AZ
//!       p2s: {address_pool: [10.0.255.0/24], tunnel_types: [IkeV2], auth_types: [Certificate]}
//! ";
//! let topology = read_topology(&[Source { name: "hub.yaml".into(), text: yaml.into() }]).unwrap();
//! let analysis = p2s_sim::engine::analyze(&topology);
//! let findings = check(&topology, &analysis, &Options::at(Date::parse("2026-01-15").unwrap()));
//! assert_eq!(findings.len(), 1);
//! let f = &findings[0];
//! assert_eq!((f.code, f.severity, f.subject.as_str()), ("POOL001", Severity::Error, "hub-gw"));
//! assert!(f.message.contains("10.0.255.0/24"));
//! assert_eq!(explain(f.code).unwrap().title, "Address pool overlaps the gateway's VNet");
//! ```

mod capacity;
mod client_networks;
mod connections;
mod dates;
mod index;
mod limits;
mod p2s;
mod peering;
mod pool;
mod sku;

pub use crate::facts::catalog::{self, explain, rules, Rule, Severity};
pub use crate::facts::dates::{
    effective_sku, Date, DateError, BASIC_IKEV2, LINUX_AVC_RETIRED, SSTP_END, SSTP_NO_NEW,
};
pub use crate::facts::skus::{sku_row, Generation, P2sLimit, SkuRow, SKU_TABLE};
pub use capacity::{capacity, GatewayCapacity, LimitKind, ProtocolCapacity, SharedLimit};
pub use client_networks::{HomeRange, HOME_RANGES};
pub use limits::{Measure, RESOURCE_LIMIT_RULES};
pub(crate) use p2s::rejected_by_azure;

use crate::engine::Analysis;
use crate::model::{Topology, TunnelType};
use crate::prefix::IpNet;

/// What the rules need besides the topology: the day, and what the user knows about clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The day dated rules are evaluated for (`--as-of`).
    pub as_of: Date,
    /// Networks clients connect from (`--client-network`, repeatable).
    pub client_networks: Vec<IpNet>,
    /// Also check the common home-router ranges of [`HOME_RANGES`] (`--home-networks`).
    pub home_networks: bool,
    /// Clients expected at the same time, per tunnel type, per gateway (`--expected-clients`).
    pub expected_clients: Vec<(TunnelType, u32)>,
}

impl Options {
    /// Options with nothing but the day set.
    pub fn at(as_of: Date) -> Options {
        Options {
            as_of,
            client_networks: Vec::new(),
            home_networks: false,
            expected_clients: Vec::new(),
        }
    }

    /// Expected clients for one tunnel type (the sum if it was given twice).
    pub fn expected(&self, tunnel: TunnelType) -> Option<u32> {
        let mut found = None;
        for &(t, n) in &self.expected_clients {
            if t == tunnel {
                found = Some(found.unwrap_or(0u32).saturating_add(n));
            }
        }
        found
    }
}

/// One rule matched at one place.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub subject: String,
    pub message: String,
    pub source: &'static str,
}

/// Collects findings; each is built from its catalog rule so code, severity and source always
/// agree with `explain`.
pub(crate) struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            findings: Vec::new(),
        }
    }

    /// Adds a finding of a catalog rule (`catalog::POOL001`): its code, severity and source
    /// come from the catalog, so a rule cannot name a code the catalog lacks.
    pub(crate) fn add(&mut self, rule: Rule, subject: impl Into<String>, message: String) {
        self.findings.push(Finding {
            code: rule.code,
            severity: rule.severity,
            subject: subject.into(),
            message,
            source: rule.source,
        });
    }
}

/// Every finding for a topology, sorted by (severity, code, subject, message).
pub fn check(topology: &Topology, analysis: &Analysis, options: &Options) -> Vec<Finding> {
    check_measured(topology, analysis, options).0
}

/// [`check`], and Azure's resource limits measured on every resource (LIM001 prefixes per
/// local network, LIM002 VNet prefixes per gateway, LIM003 BGP routes per gateway, LIM006
/// peerings per VNet), over or not, in topology order: the numbers the findings with those
/// codes were drawn from (a finding of [`RESOURCE_LIMIT_RULES`] exactly where its measure is
/// over), which the pipeline keeps so sweeps and headroom follow them without measuring again.
pub fn check_measured(
    topology: &Topology,
    analysis: &Analysis,
    options: &Options,
) -> (Vec<Finding>, Vec<Measure>) {
    use rayon::prelude::*;
    let index = index::Index::new(topology, analysis);
    let index = &index;
    let measures = limits::measures(index);
    let measured = &measures;
    // The rules only read the index: run them on all threads, each into its own sink, and
    // concatenate in this order (the sort below is total anyway: the source follows the code).
    type Rule<'r> = &'r (dyn Fn(&mut Sink) + Sync);
    let rules: [Rule; 9] = [
        &|s| p2s::check(index, options, s),
        &|s| pool::check(index, s),
        &|s| peering::check(index, s),
        &|s| connections::check(index, options, s),
        &|s| limits::check(index, measured, s),
        &|s| client_networks::check(index, options, s),
        &|s| dates::check(index, options, s),
        &|s| sku::check(index, s),
        &|s| capacity::check(index, options, s),
    ];
    let sinks: Vec<Vec<Finding>> = rules
        .par_iter()
        .map(|rule| {
            let mut sink = Sink::new();
            rule(&mut sink);
            sink.findings
        })
        .collect();
    let mut findings: Vec<Finding> = sinks.into_iter().flatten().collect();
    findings.sort_by(|a, b| {
        (a.severity, a.code, &a.subject, &a.message)
            .cmp(&(b.severity, b.code, &b.subject, &b.message))
    });
    findings.dedup();
    (findings, measures)
}

/// "a, b, c and 4 more": a short list for a one-line message.
pub(crate) fn short_list<T: std::fmt::Display>(items: &[T], max: usize) -> String {
    let shown: Vec<String> = items.iter().take(max).map(|i| i.to_string()).collect();
    let rest = items.len().saturating_sub(max);
    if rest > 0 {
        format!("{} and {rest} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
