//! Headroom: how many more prefixes (or spokes of k prefixes) a gateway's VNet takes before each
//! limit the report holds is crossed, and which limit goes first.
//!
//! Read off one pipeline result ([`crate::analyze`]): the report's client entries and the
//! resource-limit [`Measure`]s the LIM findings were drawn from. Exact, not a search: a new
//! spoke's prefixes are fresh address space (what `add_spokes` takes), and the engine's rules
//! (spec §0, §2) say where each new prefix counts, one each:
//!
//! - on the gateway itself: one more selector or route for every client kind that counts
//!   (own VNet + transit peers are in `advertised` and in the Windows package), and one more
//!   VNet prefix (`vnet-prefixes`, LIM002);
//! - on every other P2S gateway of its BGP domain (the gateways sharing its BGP-learned list):
//!   one more route learned over BGP (`bgp-routes`, LIM003; a fresh prefix overlaps none of the
//!   neighbour's own prefixes, so it is not dropped), hence one more selector or route for
//!   every client kind there that counts (all of them count `advertised`);
//! - and each spoke, whatever its prefixes, is one more peering on the hub VNet (`peerings`,
//!   LIM006).
//!
//! So the headroom of a limit is `max − used` units: prefixes for the first two, spokes for the
//! peerings. Limits the spokes do not move are left out: the gateway's own `bgp-routes` (its
//! spokes are its own VNet prefixes, not learned), the prefixes per local network (LIM001), and
//! a neighbour's `vnet-prefixes` (the spokes are not its transit peers).

use serde::Serialize;

use crate::report::pipeline::Analyzed;
use crate::report::{ClientReport, GatewayReport};
use crate::verdicts::findings::{catalog, Measure};

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct GatewayHeadroom {
    pub gateway: String,
    pub vnet: String,
    pub prefixes_per_spoke: usize,
    pub limits: Vec<LimitHeadroom>,
    /// The limit crossed first when spokes are added (the fewest more spokes, then the fewest
    /// more prefixes; ties: table order), by [`LimitHeadroom::label`].
    pub first_crossed: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LimitHeadroom {
    /// A client kind, `vnet-prefixes`, `peerings` or `bgp-routes`.
    pub limit: String,
    /// The BGP neighbour whose limit this is (the new spokes' prefixes reach it as routes
    /// learned over BGP); absent for the gateway's own limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    pub used: usize,
    pub max: usize,
    /// More prefixes that still fit (0 when already over); for `peerings`, the prefixes of the
    /// spokes that still fit.
    pub prefixes: usize,
    /// More spokes of `prefixes_per_spoke` prefixes that still fit.
    pub spokes: usize,
    pub over: bool,
}

impl LimitHeadroom {
    /// The limit as tables name it: `windows-ikev2`, or `bgp-routes on hub-eus-gw` for a
    /// neighbour's.
    pub fn label(&self) -> String {
        match &self.gateway {
            Some(g) => format!("{} on {g}", self.limit),
            None => self.limit.clone(),
        }
    }
}

/// What one new spoke adds to a limit: one per prefix, or one per spoke (a peering).
#[derive(Clone, Copy)]
enum Unit {
    Prefix,
    Spoke,
}

struct Counted<'a> {
    limit: &'a str,
    gateway: Option<&'a str>,
    used: usize,
    max: usize,
    unit: Unit,
}

impl Counted<'_> {
    fn headroom(&self, k: usize) -> LimitHeadroom {
        let room = self.max.saturating_sub(self.used);
        let (prefixes, spokes) = match self.unit {
            Unit::Prefix => (room, room / k.max(1)),
            Unit::Spoke => (room.saturating_mul(k), room),
        };
        LimitHeadroom {
            limit: self.limit.to_string(),
            gateway: self.gateway.map(str::to_string),
            used: self.used,
            max: self.max,
            prefixes,
            spokes,
            over: self.used > self.max,
        }
    }
}

/// Every client kind of a report gateway that counts against a limit.
fn client_limits<'a>(
    clients: &'a [ClientReport],
    gateway: Option<&'a str>,
) -> impl Iterator<Item = Counted<'a>> {
    clients.iter().filter_map(move |c| {
        Some(Counted {
            limit: &c.client,
            gateway,
            used: c.selectors?,
            max: c.limit?,
            unit: Unit::Prefix,
        })
    })
}

/// Headroom of one gateway of the report (`index` into `analyzed.report.gateways`).
fn gateway_headroom(analyzed: &Analyzed, index: usize, k: usize) -> GatewayHeadroom {
    let report: &GatewayReport = &analyzed.report.gateways[index];
    let engine = &analyzed.analysis.gateways[index];
    let measure = |code: &str, subject: &str| -> Option<&Measure> {
        analyzed
            .measures
            .iter()
            .find(|m| m.code == code && m.subject == subject)
    };
    let resource = |limit: &'static str, m: Option<&Measure>, gateway, unit| {
        m.map(|m| Counted {
            limit,
            gateway,
            used: m.count,
            max: m.max,
            unit,
        })
    };
    let mut counted: Vec<Counted> = client_limits(&report.clients, None).collect();
    counted.extend(resource(
        "vnet-prefixes",
        measure(catalog::LIM002.code, &report.name),
        None,
        Unit::Prefix,
    ));
    counted.extend(resource(
        "peerings",
        measure(catalog::LIM006.code, &report.vnet),
        None,
        Unit::Spoke,
    ));
    // The other P2S gateways of this gateway's BGP domain share its BGP-learned list.
    for (i, neighbour) in analyzed.report.gateways.iter().enumerate() {
        let theirs = &analyzed.analysis.gateways[i].advertised;
        if i == index || !theirs.shares_learned_list(&engine.advertised) {
            continue;
        }
        let name = Some(neighbour.name.as_str());
        counted.extend(client_limits(&neighbour.clients, name));
        counted.extend(resource(
            "bgp-routes",
            measure(catalog::LIM003.code, &neighbour.name),
            name,
            Unit::Prefix,
        ));
    }
    let limits: Vec<LimitHeadroom> = counted.iter().map(|c| c.headroom(k)).collect();
    let first_crossed = limits
        .iter()
        .min_by_key(|l| (l.spokes, l.prefixes, !l.over))
        .map(LimitHeadroom::label);
    GatewayHeadroom {
        gateway: report.name.clone(),
        vnet: report.vnet.clone(),
        prefixes_per_spoke: k,
        limits,
        first_crossed,
    }
}

/// Per gateway of the report, what still fits when spokes of `prefixes_per_spoke` prefixes are
/// peered with its VNet.
pub fn headroom(analyzed: &Analyzed, prefixes_per_spoke: usize) -> Vec<GatewayHeadroom> {
    (0..analyzed.report.gateways.len())
        .map(|i| gateway_headroom(analyzed, i, prefixes_per_spoke))
        .collect()
}
