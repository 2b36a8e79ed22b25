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
//! peerings. Of the neighbours, each limit is shown for the one with the least room (a BGP domain
//! of a thousand hubs would otherwise give each gateway thousands of rows), with how many
//! neighbours have that limit. Limits the spokes do not move are left out: the gateway's own `bgp-routes` (its
//! spokes are its own VNet prefixes, not learned), the prefixes per local network (LIM001), and
//! a neighbour's `vnet-prefixes` (the spokes are not its transit peers).

use std::collections::HashMap;

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
    /// For a neighbour's limit: how many BGP neighbours have it; the row is the one with the
    /// least room (ties: report order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<usize>,
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
        match (&self.gateway, self.neighbours) {
            (Some(g), Some(n)) if n > 1 => {
                format!("{} on {g} (the tightest of {n} BGP neighbours)", self.limit)
            }
            (Some(g), _) => format!("{} on {g}", self.limit),
            (None, _) => self.limit.clone(),
        }
    }
}

/// What one new spoke adds to a limit: one per prefix, or one per spoke (a peering).
#[derive(Clone, Copy)]
enum Unit {
    Prefix,
    Spoke,
}

#[derive(Clone, Copy)]
struct Counted<'a> {
    limit: &'a str,
    gateway: Option<&'a str>,
    neighbours: Option<usize>,
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
            neighbours: self.neighbours,
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
            neighbours: None,
            used: c.check.selectors?,
            max: c.check.limit?,
            unit: Unit::Prefix,
        })
    })
}

/// The resource-limit measures of an analysis, by code and subject.
type Measures<'a> = HashMap<(&'a str, &'a str), &'a Measure>;

/// The limits of a gateway's BGP neighbours that its new spokes move (every client kind that
/// counts, and the BGP routes it learns), each for the neighbour with the least room. Built once
/// per analysis in linear time: per BGP domain and limit, the two tightest gateways (a gateway's
/// own entry is never its neighbour, so the second stands in).
struct Neighbours<'a> {
    /// Per gateway (report index), its domain's index in `domains`.
    domain_of: Vec<usize>,
    domains: Vec<Vec<Tightest<'a>>>,
    /// Per gateway, the limits it has itself.
    has: Vec<Vec<&'a str>>,
}

/// One limit in one BGP domain: how many gateways have it and the two with the least room.
struct Tightest<'a> {
    limit: &'a str,
    count: usize,
    /// `(room, within, index, counted)`, least first; `within` sorts an over limit first.
    best: Vec<(usize, bool, usize, Counted<'a>)>,
}

impl<'a> Neighbours<'a> {
    fn of(analyzed: &'a Analyzed, measures: &Measures<'a>) -> Self {
        let gateways = &analyzed.report.gateways;
        let mut domain_index: HashMap<usize, usize> = HashMap::new();
        let mut domains: Vec<Vec<Tightest<'a>>> = Vec::new();
        let mut domain_of = Vec::with_capacity(gateways.len());
        let mut has = Vec::with_capacity(gateways.len());
        for (i, report) in gateways.iter().enumerate() {
            let list = analyzed.analysis.gateways[i].advertised.learned_list_id();
            let d = *domain_index.entry(list).or_insert_with(|| {
                domains.push(Vec::new());
                domains.len() - 1
            });
            domain_of.push(d);
            let name = Some(report.name.as_str());
            let bgp = measures
                .get(&(catalog::LIM003.code, report.name.as_str()))
                .map(|m| Counted {
                    limit: "bgp-routes",
                    gateway: name,
                    neighbours: None,
                    used: m.count,
                    max: m.max,
                    unit: Unit::Prefix,
                });
            let mut own = Vec::new();
            for counted in client_limits(&report.clients, name).chain(bgp) {
                own.push(counted.limit);
                let limits = &mut domains[d];
                let slot = match limits.iter().position(|t| t.limit == counted.limit) {
                    Some(at) => at,
                    None => {
                        limits.push(Tightest {
                            limit: counted.limit,
                            count: 0,
                            best: Vec::with_capacity(3),
                        });
                        limits.len() - 1
                    }
                };
                let entry = &mut limits[slot];
                entry.count += 1;
                let room = counted.max.saturating_sub(counted.used);
                let within = counted.used <= counted.max;
                entry.best.push((room, within, i, counted));
                entry
                    .best
                    .sort_by_key(|&(room, within, i, _)| (room, within, i));
                entry.best.truncate(2);
            }
            has.push(own);
        }
        Neighbours {
            domain_of,
            domains,
            has,
        }
    }

    /// Gateway `index`'s neighbour limits, in the order the domain first met them.
    fn of_gateway(&self, index: usize) -> impl Iterator<Item = Counted<'a>> + '_ {
        self.domains[self.domain_of[index]]
            .iter()
            .filter_map(move |t| {
                let (_, _, _, counted) = t.best.iter().find(|b| b.2 != index)?;
                // When this gateway has the limit too, one fewer of the count is a neighbour.
                let has_own = self.has[index].contains(&t.limit);
                Some(Counted {
                    neighbours: Some(t.count - usize::from(has_own)),
                    ..*counted
                })
            })
    }
}

/// Headroom of one gateway of the report (`index` into `analyzed.report.gateways`).
fn gateway_headroom(
    analyzed: &Analyzed,
    measures: &Measures<'_>,
    neighbours: &Neighbours<'_>,
    index: usize,
    k: usize,
) -> GatewayHeadroom {
    let report: &GatewayReport = &analyzed.report.gateways[index];
    let resource = |limit: &'static str, code: &str, subject: &str, unit| {
        measures.get(&(code, subject)).map(|m| Counted {
            limit,
            gateway: None,
            neighbours: None,
            used: m.count,
            max: m.max,
            unit,
        })
    };
    let mut counted: Vec<Counted> = client_limits(&report.clients, None).collect();
    counted.extend(resource(
        "vnet-prefixes",
        catalog::LIM002.code,
        &report.name,
        Unit::Prefix,
    ));
    counted.extend(resource(
        "peerings",
        catalog::LIM006.code,
        &report.vnet,
        Unit::Spoke,
    ));
    counted.extend(neighbours.of_gateway(index));
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
    let measures: Measures = analyzed
        .measures
        .iter()
        .map(|m| ((m.code, m.subject.as_str()), m))
        .collect();
    let neighbours = Neighbours::of(analyzed, &measures);
    (0..analyzed.report.gateways.len())
        .map(|i| gateway_headroom(analyzed, &measures, &neighbours, i, prefixes_per_spoke))
        .collect()
}
