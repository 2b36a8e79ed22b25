//! The review itself: two topologies (before, after) → what the change does to every P2S client.
//!
//! It is `whatif`'s comparison ([`crate::plan::whatif::compare`], with verdicts, re-download and stale
//! package files) plus what a reviewer needs to say yes or no:
//!
//! - findings added and removed ([`crate::verdicts::findings::check`] on both sides, matched by code and
//!   subject, so a finding whose numbers change is neither);
//! - reachability lost or gained per gateway and client kind (what a client that connects can
//!   reach; a kind that does not connect, or is not offered, reaches nothing);
//! - device groups whose verdict changes (`--fleet`);
//! - [`Review::worse`]: everything that makes `--check` fail — a client kind or device group
//!   whose verdict drops (connects → partial → fails with a fallback → fails or not offered), a
//!   new error finding, and with `deny_warnings` a new warning;
//! - [`Review::summary`]: one line, the first thing printed.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::engine::Analysis;
use crate::facts::catalog;
use crate::facts::clients::client_kind;
use crate::facts::dates::SSTP_NO_NEW;
use crate::model::{Topology, TunnelType};
use crate::plan::whatif::{self, Comparison};
use crate::prefix::PrefixSet;
use crate::report::pipeline::{analyze, Analyzed, Options as AnalyzeOptions};
use crate::report::{FindingReport, ListLimit};
use crate::verdicts::changes::{
    group_changes, rank, text_or_absent, verdict_changes, GroupChange, VerdictChange,
};
use crate::verdicts::findings::{Finding, Options, Severity};
use crate::verdicts::population::Population;
use crate::verdicts::{self, Fleet, GatewayVerdicts};

/// What the review needs besides the two topologies.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub options: &'a Options,
    pub fleet: Option<&'a Fleet>,
    pub population: Option<&'a Population>,
    pub limit: ListLimit,
    /// A new warning finding makes the change worse too (`--deny warnings`).
    pub deny_warnings: bool,
}

/// Prefixes one client kind on one gateway can reach no more, or can reach now.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ReachChange {
    pub gateway: String,
    pub client: String,
    pub lost: Vec<String>,
    pub gained: Vec<String>,
}

impl ReachChange {
    /// "hub-gw windows-ikev2: loses 10.1.0.0/16; gains 10.9.0.0/24" (long lists as the first
    /// eight and a count).
    pub fn line(&self) -> String {
        const SHOWN: usize = 8;
        let list = |l: &[String]| {
            if l.len() > SHOWN {
                format!("{}, ... ({} prefixes)", l[..SHOWN].join(", "), l.len())
            } else {
                l.join(", ")
            }
        };
        let mut parts = Vec::new();
        if !self.lost.is_empty() {
            parts.push(format!("loses {}", list(&self.lost)));
        }
        if !self.gained.is_empty() {
            parts.push(format!("gains {}", list(&self.gained)));
        }
        format!("{} {}: {}", self.gateway, self.client, parts.join("; "))
    }
}

/// The result of a review (the JSON shape of `p2s-sim review`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Review {
    /// One line a reviewer reads in five seconds.
    pub summary: String,
    /// What makes `--check` fail, one sentence each (empty: nothing got worse).
    pub worse: Vec<String>,
    /// What the change fixes (a verdict that rises, an error finding that goes away).
    pub better: Vec<String>,
    /// What Azure refuses to deploy, one sentence each (also in `worse`): SSTP enabled from
    /// 2026-03-31. `whatif --check` fails on these as on the topology after the change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
    pub comparison: Comparison,
    pub verdict_changes: Vec<VerdictChange>,
    pub findings_added: Vec<FindingReport>,
    pub findings_removed: Vec<FindingReport>,
    pub reachability: Vec<ReachChange>,
    /// Device groups whose verdict or tunnel type changes; `None` without a fleet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet_changes: Option<Vec<GroupChange>>,
    /// Distinct (gateway, client kind) pairs that must download the VPN client package again.
    pub redownload_count: usize,
}

/// Findings added and removed by a change (matched by code and subject), errors first; what
/// `review` and `whatif` print.
pub fn findings_diff(
    before: &[Finding],
    after: &[Finding],
) -> (Vec<FindingReport>, Vec<FindingReport>) {
    (
        findings_not_in(before, after),
        findings_not_in(after, before),
    )
}

/// Findings in `b` whose (code, subject) is not in `a`, errors first.
fn findings_not_in(a: &[Finding], b: &[Finding]) -> Vec<FindingReport> {
    let keys: BTreeSet<(&str, &str)> = a.iter().map(|f| (f.code, f.subject.as_str())).collect();
    let mut out: Vec<FindingReport> = b
        .iter()
        .filter(|f| !keys.contains(&(f.code, f.subject.as_str())))
        .map(FindingReport::from)
        .collect();
    out.sort_by(|x, y| (x.severity, &x.code, &x.subject).cmp(&(y.severity, &y.code, &y.subject)));
    out.dedup();
    out
}

/// What a client kind on a gateway reaches: the gateway's reachable set when it connects at
/// all (its verdict is not `fails` without a fallback), else nothing.
fn reach(
    analysis: &Analysis,
    verdicts: &[GatewayVerdicts],
    gateway: &str,
    client: &str,
) -> PrefixSet {
    let Some(g) = analysis.gateways.iter().find(|g| g.name == gateway) else {
        return PrefixSet::new();
    };
    let connects = verdicts
        .iter()
        .find(|v| v.gateway == gateway)
        .and_then(|v| v.client(client))
        .is_some_and(|c| c.judgement.verdict != verdicts::Verdict::Fails || c.fallback.is_some());
    if connects && g.clients.iter().any(|c| c.kind.id == client) {
        PrefixSet::from_prefixes(g.reachable.iter())
    } else {
        PrefixSet::new()
    }
}

fn texts(set: &PrefixSet) -> Vec<String> {
    set.to_prefixes().iter().map(|p| p.to_string()).collect()
}

/// Reviews the change from `before` to `after`.
pub fn review(before: &Topology, after: &Topology, ctx: &Context<'_>) -> Review {
    let options = AnalyzeOptions {
        findings: ctx.options,
        limit: ctx.limit,
        population: ctx.population,
        fleet: ctx.fleet,
    };
    let (b, a) = (analyze(before, &options), analyze(after, &options));
    review_analyzed(&b, &a, ctx)
}

/// Reviews a change of which both sides are analysed already (`whatif` prints their reports).
pub fn review_analyzed(b: &Analyzed, a: &Analyzed, ctx: &Context<'_>) -> Review {
    let (ab, aa) = (&b.analysis, &a.analysis);
    let (vb, va) = (&b.verdicts, &a.verdicts);
    let mut comparison = whatif::compare(ab, aa, ctx.limit).with_verdicts(vb, va);
    let mut changes = verdict_changes(vb, va);
    let (fb, fa) = (&b.findings, &a.findings);
    let (findings_added, findings_removed) = findings_diff(fb, fa);

    // Gateways this change gives SSTP on a day Azure no longer lets it be enabled (spec §3):
    // DATE002 appears with the change, so the deployment is refused. An SSTP kind there is not
    // offered after all: it changes no verdict or status, reaches nothing and downloads no
    // package (`refused` says what happens instead).
    let sstp_refused: Vec<&str> = findings_added
        .iter()
        .filter(|f| f.code == catalog::DATE002.code)
        .map(|f| f.subject.as_str())
        .collect();
    let is_refused = |gateway: &str, client: &str| {
        sstp_refused.contains(&gateway)
            && client_kind(client).is_some_and(|k| k.tunnel == TunnelType::Sstp)
    };
    changes.retain(|v| !is_refused(&v.gateway, &v.client));
    comparison
        .status_changes
        .retain(|c| !is_refused(&c.gateway, &c.client));
    for g in &mut comparison.gateways {
        let name = g.name.clone();
        g.redownload.retain(|c| !is_refused(&name, c));
        if g.redownload.is_empty() {
            g.redownload_reason.clear();
        }
    }

    let mut reachability = Vec::new();
    for g in &comparison.gateways {
        for c in g.clients.iter().filter(|c| !is_refused(&g.name, &c.client)) {
            let (rb, ra) = (
                reach(ab, vb, &g.name, &c.client),
                reach(aa, va, &g.name, &c.client),
            );
            let (lost, gained) = (rb.difference(&ra), ra.difference(&rb));
            if !lost.is_empty() || !gained.is_empty() {
                reachability.push(ReachChange {
                    gateway: g.name.clone(),
                    client: c.client.clone(),
                    lost: texts(&lost),
                    gained: texts(&gained),
                });
            }
        }
    }

    let fleet_changes = ctx.fleet.map(|_| group_changes(&b.fleets(), &a.fleets()));

    // Worse and better, in output order.
    let selectors = |gw: &str, client: &str| -> Option<String> {
        let c = comparison
            .gateways
            .iter()
            .find(|g| g.name == gw)?
            .clients
            .iter()
            .find(|c| c.client == client)?;
        let (b, a) = (
            c.before.as_ref()?.check.selectors?,
            c.after.as_ref()?.check.selectors?,
        );
        (b != a).then(|| format!("{b} → {a} selectors"))
    };
    let share = |client: &str| -> Option<String> {
        ctx.population
            .and_then(|p| p.share(client))
            .map(|s| format!("{s} % of users"))
    };
    let describe = |v: &VerdictChange| -> String {
        let mut detail: Vec<String> = Vec::new();
        detail.extend(selectors(&v.gateway, &v.client));
        detail.push(format!(
            "{} → {}",
            text_or_absent(&v.before),
            text_or_absent(&v.after)
        ));
        detail.extend(share(&v.client));
        format!("{} on {} ({})", v.client, v.gateway, detail.join(", "))
    };
    let mut worse = Vec::new();
    let mut better = Vec::new();
    let (mut broken, mut fixed, mut offered) = (Vec::new(), Vec::new(), Vec::new());
    // In output order: gateways as compared, client kinds in client-table order.
    let ordered = comparison.gateways.iter().flat_map(|g| {
        g.clients.iter().filter_map(|c| {
            changes
                .iter()
                .find(|v| v.gateway == g.name && v.client == c.client)
        })
    });
    for v in ordered {
        match rank(v.after).cmp(&rank(v.before)) {
            std::cmp::Ordering::Less => {
                worse.push(format!("{} no longer connects as before", describe(v)));
                broken.push(describe(v));
            }
            std::cmp::Ordering::Greater if v.before.is_none() => {
                better.push(format!("{} is newly offered", describe(v)));
                offered.push(format!("{} on {}", v.client, v.gateway));
            }
            std::cmp::Ordering::Greater => {
                better.push(format!("{} connects better", describe(v)));
                fixed.push(describe(v));
            }
            std::cmp::Ordering::Equal => {}
        }
    }
    let mut groups_broken = 0u64;
    for c in fleet_changes.iter().flatten() {
        if rank(c.verdict_after.map(Into::into)) < rank(c.verdict_before.map(Into::into)) {
            groups_broken += c.devices;
            worse.push(format!(
                "device group {} on {} ({} devices): {} → {}",
                c.group,
                c.gateway,
                c.devices,
                text_or_absent(&c.verdict_before),
                text_or_absent(&c.verdict_after)
            ));
        }
    }
    let mut new_bad = Vec::new();
    let refused: Vec<String> = sstp_refused
        .iter()
        .map(|gw| {
            format!(
                "SSTP is enabled on {gw} by this change, which Azure refuses since {SSTP_NO_NEW}: \
                 the deployment fails (DATE002); use IKEv2 or OpenVPN"
            )
        })
        .collect();
    worse.extend(refused.iter().cloned());
    for f in &findings_added {
        if f.code == catalog::DATE002.code {
            continue; // said above
        }
        let counts =
            f.severity == Severity::Error || (ctx.deny_warnings && f.severity == Severity::Warning);
        if counts {
            worse.push(format!(
                "new {} {} on {}: {}",
                f.severity, f.code, f.subject, f.message
            ));
            new_bad.push(f.code.clone());
        }
    }
    for f in findings_removed
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        better.push(format!("error {} on {} goes away", f.code, f.subject));
    }
    let redownload: BTreeSet<(&str, &str)> = comparison
        .gateways
        .iter()
        .flat_map(|g| {
            g.redownload
                .iter()
                .map(move |c| (g.name.as_str(), c.as_str()))
        })
        .collect();

    // The one line.
    let list = |items: &[String]| -> String {
        match items.len() {
            0..=3 => items.join("; "),
            n => format!("{}; and {} more", items[..3].join("; "), n - 3),
        }
    };
    let mut parts = Vec::new();
    if broken.is_empty() {
        parts.push("this change breaks no client".to_string());
    } else {
        parts.push(format!("this change breaks {}", list(&broken)));
    }
    if groups_broken > 0 {
        parts.push(format!(
            "{groups_broken} device(s) of the fleet lose their connection"
        ));
    }
    if !sstp_refused.is_empty() {
        parts.push(format!(
            "Azure refuses SSTP on {} (not enabled since {SSTP_NO_NEW}, DATE002)",
            sstp_refused.join(", ")
        ));
    }
    new_bad.dedup();
    if !new_bad.is_empty() {
        parts.push(format!("new findings {}", new_bad.join(", ")));
    }
    if !fixed.is_empty() {
        parts.push(format!("fixes {}", list(&fixed)));
    }
    if !offered.is_empty() {
        parts.push(format!("newly offered: {}", list(&offered)));
    }
    let lost = reachability.iter().filter(|r| !r.lost.is_empty()).count();
    // A kind that is newly offered is said above, not counted again.
    let gained = reachability
        .iter()
        .filter(|r| !r.gained.is_empty())
        .filter(|r| !offered.contains(&format!("{} on {}", r.client, r.gateway)))
        .count();
    if lost > 0 && broken.is_empty() {
        parts.push(format!("{lost} client kind(s) reach less"));
    }
    if gained > 0 {
        parts.push(format!("{gained} client kind(s) reach more"));
    }
    if !redownload.is_empty() {
        parts.push(format!(
            "{} client(s) must re-download the package",
            redownload.len()
        ));
    }
    let nothing = broken.is_empty()
        && fixed.is_empty()
        && offered.is_empty()
        && new_bad.is_empty()
        && redownload.is_empty()
        && reachability.is_empty()
        && comparison.status_changes.is_empty()
        && comparison.gateways.iter().all(|g| {
            g.advertised_before == g.advertised_after
                && g.clients
                    .iter()
                    .all(|c| c.routes_added_count == 0 && c.routes_removed_count == 0)
        });
    let summary = if nothing {
        format!(
            "this change does not change what any P2S client gets ({} gateway(s) compared)",
            comparison.gateways.len()
        )
    } else {
        parts.join("; ")
    };
    Review {
        summary,
        worse,
        better,
        refused,
        redownload_count: redownload.len(),
        comparison,
        verdict_changes: changes,
        findings_added,
        findings_removed,
        reachability,
        fleet_changes,
    }
}
