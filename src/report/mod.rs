//! The serializable result of an analysis: the one shape every output format is drawn from.
//!
//! Field names are part of the interface (`--format json`, batch JSON Lines) and stay stable.
//! Route lists longer than [`ListLimit`] are left out (`null`) and only their count is given, so a
//! topology with a million prefixes still gives a readable report; `--full` prints everything.

use rayon::prelude::*;
use serde::Serialize;

pub mod batch;
pub mod pipeline;

use crate::engine::{Analysis, ClientAnalysis, GatewayAnalysis, LimitCheck, RouteSet};
use crate::model::Topology;
use crate::prefix::{net_text, IpNet, NetText};
use crate::verdicts::findings::{Finding, GatewayCapacity, Severity};
use crate::verdicts::population::{Impact, Population};
use crate::verdicts::{FleetReport, GatewayVerdicts, Reason, Verdict};

/// The JSON Schema of [`Report`] (`analyze --format json`, and each `batch --format jsonl`
/// record's `report`), generated from the types; checked in as `docs/report.schema.json`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).expect("a schema is JSON")
}

/// How many prefixes a list may have before only its count is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListLimit(pub Option<usize>);

impl Default for ListLimit {
    fn default() -> Self {
        ListLimit(Some(10_000))
    }
}

impl ListLimit {
    pub const UNLIMITED: ListLimit = ListLimit(None);

    fn list(self, set: &RouteSet) -> Option<PrefixList> {
        match self.0 {
            Some(max) if set.len() > max => None,
            _ => Some(PrefixList(set.clone())),
        }
    }
}

/// A route list of the report. It holds the analysis' [`RouteSet`] (shared, not copied) and
/// writes its prefixes one by one as it is serialized or rendered, so `--full` on a topology
/// whose gateways each learn a million prefixes costs no text until it is written, and a
/// closed pipe stops the writing at once. Serialized as an array of prefix strings.
#[derive(Clone, Debug, PartialEq)]
pub struct PrefixList(RouteSet);

impl PrefixList {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = IpNet> + '_ {
        self.0.iter()
    }

    /// The first `n` prefixes as text.
    pub fn first(&self, n: usize) -> Vec<String> {
        self.iter().take(n).map(|p| net_text(&p)).collect()
    }

    /// Every prefix as text.
    pub fn texts(&self) -> Vec<String> {
        self.iter().map(|p| net_text(&p)).collect()
    }

    /// The prefixes separated by `separator`.
    pub fn join(&self, separator: &str) -> String {
        let mut text = String::new();
        for (i, p) in self.iter().enumerate() {
            if i > 0 {
                text.push_str(separator);
            }
            text.push_str(NetText::new(&p).as_str());
        }
        text
    }
}

impl Serialize for PrefixList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|p| NetText::new(&p)))
    }
}

impl schemars::JsonSchema for PrefixList {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PrefixList".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Prefixes in CIDR notation, sorted, distinct.",
            "type": "array",
            "items": {"type": "string"}
        })
    }
}

fn texts(list: &[IpNet]) -> Vec<String> {
    list.iter().map(net_text).collect()
}

#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Report {
    pub gateways: Vec<GatewayReport>,
    pub findings: Vec<FindingReport>,
    /// Gateways of the topology that have no point-to-site configuration (file order), filled
    /// by [`Report::with_gateways_without_p2s`].
    pub gateways_without_p2s: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct GatewayReport {
    pub name: String,
    pub vnet: String,
    pub pool: PoolReport,
    /// `None` when longer than the list limit; see `advertised_count`.
    pub advertised: Option<PrefixList>,
    pub advertised_count: usize,
    pub clients: Vec<ClientReport>,
    pub assumptions: Vec<AssumptionReport>,
    /// How many clients of each protocol can connect (SKU and pool), see `findings::capacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<GatewayCapacity>,
    /// With `--clients`: the share of users who cannot connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<Impact>,
    /// With `--fleet`: every device group's verdict on this gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<FleetReport>,
}

#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct PoolReport {
    pub prefixes: Vec<String>,
    pub sstp: Option<Vec<String>>,
    pub ikev2: Option<Vec<String>>,
}

/// One client kind on one gateway: the routes it installs, its count against its limit, what
/// it can reach and what must be added by hand, and (with verdicts) whether it connects.
#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct ClientReport {
    pub client: String,
    pub routes: Option<PrefixList>,
    pub route_count: usize,
    #[serde(flatten)]
    pub check: LimitCheck,
    pub reachable: Option<PrefixList>,
    pub reachable_count: usize,
    pub manual_routes: Option<PrefixList>,
    pub manual_route_count: usize,
    /// Whether this client kind connects (see [`crate::verdicts`]); `None` until
    /// [`Report::with_verdicts`] is applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<Reason>>,
    /// Windows native IKEv2 kinds only: `windows-sstp` when IKEv2 fails and SSTP connects,
    /// else `null`; absent for other kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Option<String>>,
}

#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct AssumptionReport {
    pub code: String,
    pub text: String,
}

/// A client kind's selectors against its limit on one gateway: the part of a
/// [`ClientReport`] a sweep step keeps (`SweepRow::clients`), so a step says what the report
/// says. Serialized as `{client, selectors, limit, status}`, the status `ok` or `over-limit`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClientSelectors {
    pub client: String,
    #[serde(flatten)]
    pub check: LimitCheck,
}

impl From<&ClientReport> for ClientSelectors {
    fn from(c: &ClientReport) -> ClientSelectors {
        ClientSelectors {
            client: c.client.clone(),
            check: c.check,
        }
    }
}

impl ClientReport {
    /// The codes of the reasons for the verdict, in order (empty before verdicts are added).
    pub fn reason_codes(&self) -> Vec<&str> {
        self.reasons
            .iter()
            .flatten()
            .map(|r| r.code.as_str())
            .collect()
    }
}

/// A configuration finding (filled by the findings rules).
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
pub struct FindingReport {
    pub code: String,
    pub severity: Severity,
    pub subject: String,
    pub message: String,
    pub source: String,
}

impl GatewayReport {
    /// How many prefixes this gateway's lists hold: about how many lines its JSON takes.
    pub fn listed_prefixes(&self) -> usize {
        let len = |list: &Option<PrefixList>| list.as_ref().map_or(0, PrefixList::len);
        len(&self.advertised)
            + self
                .clients
                .iter()
                .map(|c| len(&c.routes) + len(&c.reachable) + len(&c.manual_routes))
                .sum::<usize>()
    }
}

impl Report {
    /// The report without its gateways, for a writer that renders them itself.
    pub fn without_gateways(&self) -> Report {
        Report {
            gateways: Vec::new(),
            findings: self.findings.clone(),
            gateways_without_p2s: self.gateways_without_p2s.clone(),
        }
    }

    pub fn new(analysis: &Analysis, findings: Vec<FindingReport>, limit: ListLimit) -> Report {
        Report {
            // Each gateway's lists are formatted on its own thread (collect keeps the order).
            gateways: analysis
                .gateways
                .par_iter()
                .map(|g| GatewayReport::new(g, limit))
                .collect(),
            findings,
            gateways_without_p2s: Vec::new(),
        }
    }

    /// Names the gateways of `topology` that have no P2S configuration (so outputs can say so
    /// instead of leaving them out silently).
    pub fn with_gateways_without_p2s(mut self, topology: &Topology) -> Report {
        self.gateways_without_p2s = topology
            .gateways()
            .filter(|(_, g)| g.p2s.is_none())
            .map(|(_, g)| g.name.clone())
            .collect();
        self
    }

    /// How many findings have this severity.
    pub fn finding_count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The verdict at a glance, one line: "2 gateways with P2S: windows-ikev2-legacy over its
    /// limit on hub-weu-gw (27 / 25); 1 error, 2 warnings", or "1 gateway with P2S: all clients
    /// within limits; no errors". Client kinds that fail for other reasons than the limit are
    /// named too ("windows-sstp fails on hub-weu-gw (sstp-retired)").
    pub fn summary(&self) -> String {
        const SHOWN: usize = 3;
        let mut over = Vec::new();
        let mut fails = Vec::new();
        for g in &self.gateways {
            for c in &g.clients {
                if c.check.is_over() {
                    let count = match (c.check.selectors, c.check.limit) {
                        (Some(n), Some(l)) => format!(" ({n} / {l})"),
                        _ => String::new(),
                    };
                    over.push(format!("{} over its limit on {}{count}", c.client, g.name));
                } else if c.verdict == Some(Verdict::Fails) {
                    let codes = c.reason_codes();
                    let why = if codes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", codes.join(", "))
                    };
                    fails.push(format!("{} fails on {}{why}", c.client, g.name));
                }
            }
        }
        let shorten = |mut items: Vec<String>| {
            if items.len() > SHOWN {
                let more = items.len() - SHOWN;
                items.truncate(SHOWN);
                items.push(format!("{more} more"));
            }
            items.join(", ")
        };
        let mut parts = Vec::new();
        if over.is_empty() {
            if !self.gateways.is_empty() {
                parts.push("all clients within limits".to_string());
            }
        } else {
            parts.push(shorten(over));
        }
        if !fails.is_empty() {
            parts.push(shorten(fails));
        }
        let (errors, warnings) = (
            self.finding_count(Severity::Error),
            self.finding_count(Severity::Warning),
        );
        parts.push(findings_phrase(errors, warnings));
        let head = match self.gateways.len() {
            0 => "no gateway with P2S".to_string(),
            n => plural(n, "gateway with P2S", "gateways with P2S"),
        };
        format!("{head}: {}", parts.join("; "))
    }

    /// "hub-neu-gw: no P2S configuration" (several names comma-separated), or `None`.
    pub fn without_p2s_line(&self) -> Option<String> {
        (!self.gateways_without_p2s.is_empty()).then(|| {
            format!(
                "{}: no P2S configuration",
                self.gateways_without_p2s.join(", ")
            )
        })
    }

    /// Adds the population impact to every gateway (the analysis the report was made from),
    /// following the verdicts when they are given (matched by gateway name).
    pub fn with_population(
        mut self,
        analysis: &Analysis,
        population: Option<&Population>,
        verdicts: &[GatewayVerdicts],
    ) -> Report {
        if let Some(population) = population {
            for (report, gateway) in self.gateways.iter_mut().zip(&analysis.gateways) {
                let v = verdicts.iter().find(|v| v.gateway == gateway.name);
                report.population = Some(population.impact(gateway, v));
            }
        }
        self
    }

    /// Adds every client kind's verdict, reasons and fallback, and the assumptions they rest on
    /// (matched by gateway name and client kind).
    pub fn with_verdicts(mut self, verdicts: &[GatewayVerdicts]) -> Report {
        for g in &mut self.gateways {
            let Some(v) = verdicts.iter().find(|v| v.gateway == g.name) else {
                continue;
            };
            for c in &mut g.clients {
                if let Some(cv) = v.client(&c.client) {
                    c.verdict = Some(cv.judgement.verdict);
                    c.reasons = Some(cv.judgement.reasons.clone());
                    c.fallback = cv.can_fall_back.then(|| cv.fallback.map(str::to_string));
                }
            }
            for a in &v.assumptions {
                push_assumption(&mut g.assumptions, a.code, &a.text);
            }
        }
        self
    }

    /// Attaches each gateway's fleet verdicts (matched by gateway name), with their assumptions.
    pub fn with_fleet(mut self, fleets: Vec<(String, FleetReport)>) -> Report {
        for (name, fleet) in fleets {
            if let Some(g) = self.gateways.iter_mut().find(|g| g.name == name) {
                for a in &fleet.assumptions {
                    push_assumption(&mut g.assumptions, a.code, &a.text);
                }
                g.fleet = Some(fleet);
            }
        }
        self
    }

    /// Attaches each gateway's capacity (matched by gateway name).
    pub fn with_capacity(mut self, capacity: Vec<GatewayCapacity>) -> Report {
        for c in capacity {
            if let Some(g) = self.gateways.iter_mut().find(|g| g.name == c.gateway) {
                g.capacity = Some(c);
            }
        }
        self
    }

    /// How many (gateway, client kind) pairs are over their limit.
    pub fn over_limit_count(&self) -> usize {
        self.gateways
            .iter()
            .flat_map(|g| &g.clients)
            .filter(|c| c.check.is_over())
            .count()
    }

    /// What `--check` means in every command: a client over its limit or an error finding, and
    /// with `--deny warnings` a warning finding too.
    pub fn fails_check(&self, deny_warnings: bool) -> bool {
        self.any_over_limit()
            || self.findings.iter().any(|f| {
                f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
            })
    }

    /// True when any client of any gateway is over its limit.
    pub fn any_over_limit(&self) -> bool {
        self.over_limit_count() > 0
    }
}

/// "1 prefix", "2 prefixes", "0 prefixes".
/// The findings part of a summary line: "no errors", "no errors, 2 warnings", "1 error",
/// "3 errors, 1 warning".
pub fn findings_phrase(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => "no errors".to_string(),
        (0, w) => format!("no errors, {}", plural(w, "warning", "warnings")),
        (e, 0) => plural(e, "error", "errors"),
        (e, w) => format!(
            "{}, {}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings")
        ),
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn push_assumption(list: &mut Vec<AssumptionReport>, code: &str, text: &str) {
    if !list.iter().any(|a| a.code == code) {
        list.push(AssumptionReport {
            code: code.to_string(),
            text: text.to_string(),
        });
    }
}

impl GatewayReport {
    fn new(g: &GatewayAnalysis, limit: ListLimit) -> GatewayReport {
        GatewayReport {
            name: g.name.clone(),
            vnet: g.vnet.clone(),
            pool: PoolReport {
                prefixes: texts(&g.pool.prefixes),
                sstp: g.pool.split.as_ref().map(|s| texts(&s.sstp)),
                ikev2: g.pool.split.as_ref().map(|s| texts(&s.ikev2)),
            },
            advertised: limit.list(&g.advertised),
            advertised_count: g.advertised.len(),
            clients: g.clients.iter().map(|c| client(g, c, limit)).collect(),
            assumptions: g
                .assumptions
                .iter()
                .map(|a| AssumptionReport {
                    code: a.code.to_string(),
                    text: a.text.clone(),
                })
                .collect(),
            capacity: None,
            population: None,
            fleet: None,
        }
    }
}

fn client(g: &GatewayAnalysis, c: &ClientAnalysis, limit: ListLimit) -> ClientReport {
    let routes = g.routes(c);
    ClientReport {
        client: c.kind.id.to_string(),
        routes: limit.list(routes),
        route_count: routes.len(),
        check: c.check,
        reachable: limit.list(&g.reachable),
        reachable_count: g.reachable.len(),
        manual_routes: limit.list(&c.manual_routes),
        manual_route_count: c.manual_routes.len(),
        verdict: None,
        reasons: None,
        fallback: None,
    }
}

impl From<&Finding> for FindingReport {
    fn from(f: &Finding) -> Self {
        FindingReport {
            code: f.code.to_string(),
            severity: f.severity,
            subject: f.subject.clone(),
            message: f.message.clone(),
            source: f.source.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_findings(severities: &[Severity]) -> Report {
        Report {
            gateways: Vec::new(),
            findings: severities
                .iter()
                .map(|&severity| FindingReport {
                    code: "X".into(),
                    severity,
                    subject: String::new(),
                    message: String::new(),
                    source: String::new(),
                })
                .collect(),
            gateways_without_p2s: Vec::new(),
        }
    }

    #[test]
    fn check_fails_on_errors_and_on_warnings_when_denied() {
        let error = with_findings(&[Severity::Info, Severity::Error]);
        let warning = with_findings(&[Severity::Warning, Severity::Info]);
        let info = with_findings(&[Severity::Info]);
        assert!(error.fails_check(false));
        assert!(!warning.fails_check(false));
        assert!(warning.fails_check(true));
        assert!(!info.fails_check(true));
        assert!(!with_findings(&[]).fails_check(true));
    }
}
