//! The fix for manual routes, in the form each client takes (`p2s-sim profile routes`).
//!
//! The analysis lists, per client kind, the *manual routes*: networks the client can reach but
//! does not install by itself (Windows native clients and BGP-learned networks, spec §0.4).
//! There are three ways to give them to clients:
//!
//! * **Azure VPN Client**: `<clientconfig><includeroutes>` in `azurevpnconfig.xml`, one
//!   `<route>` per prefix ([`include_fragment`]); [`merge`] adds them to the user's own file and
//!   keeps every other byte.
//! * **Windows native**: `Add-VpnConnectionRoute` per prefix on each machine ([`powershell`]).
//! * **Gateway side**: custom routes (`az network vnet-gateway update --custom-routes`,
//!   `Set-AzVirtualNetworkGateway -CustomRoute`), pushed to every client — but each one is one
//!   more traffic selector for every client kind (spec §2), so [`gateway_plan`] re-runs the
//!   analysis with them, says which client kinds they would push over their limit, and offers
//!   a summarised set ([`crate::prefix::summarize`]) that fits without covering the pool or the
//!   users' own networks.
//!
//! Two counts per client kind: `after`, the engine's (selectors are per distinct prefix, so a
//! custom route equal to a prefix already offered adds nothing), and `worst`, one more selector
//! per custom route added, whether or not its prefix is already offered. Which one the gateway
//! does is undocumented (spec §2, §6: custom routes count toward limits \[I\]); a kind is *pushed
//! over* when either count exceeds its limit, and the summary is sized so that neither does.

use crate::engine::{analyze, Status};
use crate::model::Topology;
use crate::prefix::{canonical_list, summarize, AddressCount, IpNet, PrefixSet};

use super::azurevpn;
use super::xml::{self, Element};
use super::ProfileError;

/// `<route><destination>10.1.0.0</destination><mask>16</mask></route>`.
pub fn route_element(p: &IpNet) -> String {
    format!(
        "<route><destination>{}</destination><mask>{}</mask></route>",
        p.network(),
        p.prefix_len()
    )
}

/// The `<clientconfig>` block with one include route per prefix, indented by two spaces.
pub fn include_fragment(routes: &[IpNet]) -> String {
    let mut out = String::from("<clientconfig>\n  <includeroutes>\n");
    for r in routes {
        out.push_str("    ");
        out.push_str(&route_element(r));
        out.push('\n');
    }
    out.push_str("  </includeroutes>\n</clientconfig>\n");
    out
}

/// The user's profile with routes added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// Routes added, canonical order.
    pub added: Vec<IpNet>,
    /// Routes the profile already included (left as they are).
    pub present: Vec<IpNet>,
}

/// The indentation before `pos` when only whitespace stands between the line start and `pos`.
fn indent_at(text: &str, pos: usize) -> Option<&str> {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let ind = &text[line_start..pos];
    (line_start > 0 && ind.chars().all(|c| c == ' ' || c == '\t')).then_some(ind)
}

/// Text to insert at `pos` (where `pos` is preceded by its line's indentation): each line at
/// `depth` units deeper than that indentation, each followed by a line break and the
/// indentation again, so whatever stood at `pos` keeps its place. One-line files stay one line.
fn lines_before(text: &str, pos: usize, lines: &[(usize, String)], nl: &str) -> String {
    match indent_at(text, pos) {
        Some(ind) => lines
            .iter()
            .map(|(d, l)| format!("{}{l}{nl}{ind}", "  ".repeat(*d)))
            .collect(),
        None => lines.iter().map(|(_, l)| l.as_str()).collect(),
    }
}

/// Lines that replace an element starting at `pos`: joined by a line break and the indentation.
fn lines_replacing(text: &str, pos: usize, lines: &[(usize, String)], nl: &str) -> String {
    match indent_at(text, pos) {
        Some(ind) => lines
            .iter()
            .map(|(d, l)| format!("{}{l}", "  ".repeat(*d)))
            .collect::<Vec<_>>()
            .join(&format!("{nl}{ind}")),
        None => lines.iter().map(|(_, l)| l.as_str()).collect(),
    }
}

/// The qualified name and the start tag without `nil`, of an empty element `<a:x i:nil="true"/>`.
fn reopen(tag: &str) -> (String, String) {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end()
        .trim_end_matches('/');
    let qname: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
    let mut attrs = String::new();
    let mut rest = &inner[qname.len()..];
    // Attributes are name="value" or name='value'; keep all but the nil one, as written.
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = after[1..].find(q) else {
            break;
        };
        let value = &after[..close + 2];
        let local = name.rsplit(':').next().unwrap_or(name);
        if !local.eq_ignore_ascii_case("nil") {
            attrs.push_str(&format!(" {name}={value}"));
        }
        rest = &after[close + 2..];
    }
    (qname.clone(), format!("<{qname}{attrs}>"))
}

/// Where a new child named `name` goes in `parent`: DataContract profiles keep children in
/// alphabetical order, so before the first child that sorts after it, else before the close.
/// Returns the offset and how many levels deeper than the text at that offset the child sits.
fn child_slot(parent: &Element, name: &str) -> Option<(usize, usize)> {
    match parent
        .children
        .iter()
        .find(|c| c.name.to_ascii_lowercase().as_str() > name)
    {
        Some(next) => Some((next.start, 0)),
        None => parent.close.map(|c| (c, 1)),
    }
}

/// Adds include routes to an Azure VPN Client profile, keeping every byte outside the inserted
/// text, and checks the result by reading it again.
pub fn merge(file: &str, text: &str, routes: &[IpNet]) -> Result<Merged, ProfileError> {
    let before = azurevpn::parse(file, text)?;
    let had = before.include_prefixes();
    let wanted = canonical_list(routes.iter().copied());
    let (present, added): (Vec<IpNet>, Vec<IpNet>) =
        wanted.iter().copied().partition(|p| had.contains(p));
    if added.is_empty() {
        return Ok(Merged {
            text: text.to_string(),
            added,
            present,
        });
    }
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let root = xml::parse(text).map_err(|e| ProfileError::xml(file, text, e))?;
    let route_lines = |depth: usize| -> Vec<(usize, String)> {
        added.iter().map(|r| (depth, route_element(r))).collect()
    };
    let wrap = |open: String, close: String, depth: usize, inner: Vec<(usize, String)>| {
        let mut v = vec![(depth, open)];
        v.extend(inner);
        v.push((depth, close));
        v
    };
    let includes = |d: usize| {
        wrap(
            "<includeroutes>".into(),
            "</includeroutes>".into(),
            d,
            route_lines(d + 1),
        )
    };
    // A self-closing `<x/>` written out as an open and a close tag around `inner`.
    let reopened = |el: &Element, inner: Vec<(usize, String)>| {
        let (qname, open) = reopen(&text[el.start..el.end]);
        let lines = wrap(open, format!("</{qname}>"), 0, inner);
        (
            el.start,
            el.end,
            lines_replacing(text, el.start, &lines, nl),
        )
    };
    // (start, end, replacement): the one edit.
    let edit: (usize, usize, String) = match root.child("clientconfig") {
        None => {
            let (pos, shift) = child_slot(&root, "clientconfig").ok_or_else(|| {
                ProfileError::new(
                    file,
                    xml::place(text, root.start),
                    "<AzVpnProfile/> is empty",
                )
            })?;
            let lines = wrap(
                "<clientconfig>".into(),
                "</clientconfig>".into(),
                shift,
                includes(shift + 1),
            );
            (pos, pos, lines_before(text, pos, &lines, nl))
        }
        Some(cc) if cc.close.is_none() => reopened(cc, includes(1)),
        Some(cc) => match cc.child("includeroutes") {
            None => {
                let (pos, shift) = child_slot(cc, "includeroutes").expect("has a close tag");
                (pos, pos, lines_before(text, pos, &includes(shift), nl))
            }
            Some(inc) if inc.close.is_none() => reopened(inc, route_lines(1)),
            Some(inc) => {
                let pos = inc.close.expect("checked");
                (pos, pos, lines_before(text, pos, &route_lines(1), nl))
            }
        },
    };
    let (start, end, insert) = edit;
    let merged = format!("{}{insert}{}", &text[..start], &text[end..]);
    let after = azurevpn::parse(file, &merged).map_err(|e| {
        ProfileError::new(
            file,
            "",
            format!("merging the routes made a profile that does not read back ({e}); please report this"),
        )
    })?;
    let now = after.include_prefixes();
    if let Some(missing) = wanted.iter().find(|p| !now.contains(p)) {
        return Err(ProfileError::new(
            file,
            "",
            format!("merged profile does not include {missing} when read back; please report this"),
        ));
    }
    Ok(Merged {
        text: merged,
        added,
        present,
    })
}

/// A PowerShell single-quoted string.
pub fn ps_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `Add-VpnConnectionRoute` lines, one per prefix.
pub fn powershell(routes: &[IpNet], connection: &str, all_users: bool) -> String {
    routes
        .iter()
        .map(|r| {
            format!(
                "Add-VpnConnectionRoute -ConnectionName {} -DestinationPrefix {r}{}\n",
                ps_quote(connection),
                if all_users { " -AllUserConnection" } else { "" }
            )
        })
        .collect()
}

/// `az network vnet-gateway update … --custom-routes …`: replaces the whole list.
pub fn az_command(resource_group: &str, gateway: &str, custom_routes: &[IpNet]) -> String {
    let list: Vec<String> = custom_routes.iter().map(|r| r.to_string()).collect();
    format!(
        "az network vnet-gateway update --resource-group {resource_group} --name {gateway} \
         --custom-routes {}\n",
        list.join(" ")
    )
}

/// `Set-AzVirtualNetworkGateway -CustomRoute …`: replaces the whole list.
pub fn set_az_command(resource_group: &str, gateway: &str, custom_routes: &[IpNet]) -> String {
    let list: Vec<String> = custom_routes.iter().map(|r| r.to_string()).collect();
    format!(
        "$gw = Get-AzVirtualNetworkGateway -ResourceGroupName {resource_group} -Name {}\n\
         Set-AzVirtualNetworkGateway -VirtualNetworkGateway $gw -CustomRoute {}\n",
        ps_quote(gateway),
        list.join(",")
    )
}

/// One counted client kind: its count now and with the custom routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCost {
    pub client: &'static str,
    pub before: usize,
    /// The engine's count with the custom routes (distinct prefixes).
    pub after: usize,
    /// `before` + one per custom route added: the count if the gateway never merges a custom
    /// route with a prefix it already offers.
    pub worst: usize,
    pub limit: usize,
    /// Over its limit already before the change.
    pub was_over: bool,
    /// `after` or `worst` is above the limit.
    pub over: bool,
}

/// What pushing routes from the gateway costs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayPlan {
    pub gateway: String,
    /// The gateway's custom routes now.
    pub existing: Vec<IpNet>,
    /// The whole list to set (the commands replace it): existing ∪ routes.
    pub custom_routes: Vec<IpNet>,
    pub costs: Vec<ClientCost>,
    /// Set when some client kind would go over its limit: a summarised set that fits, or why
    /// there is none.
    pub summary: Option<Result<SummaryPlan, String>>,
}

impl GatewayPlan {
    /// Client kinds the exact routes would push over their limit.
    pub fn pushed_over(&self) -> Vec<&'static str> {
        pushed_over(&self.costs)
    }
}

fn pushed_over(costs: &[ClientCost]) -> Vec<&'static str> {
    costs
        .iter()
        .filter(|c| c.over && !c.was_over)
        .map(|c| c.client)
        .collect()
}

/// The summarised alternative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryPlan {
    /// Covers every route, avoids the forbidden ranges.
    pub prefixes: Vec<IpNet>,
    /// The whole list to set: existing ∪ prefixes.
    pub custom_routes: Vec<IpNet>,
    /// Addresses the summary covers beyond the routes (they would enter the tunnel too).
    pub extra: AddressCount,
    pub costs: Vec<ClientCost>,
}

/// Counted client kinds of `gateway` with these custom routes: (kind, count, limit, status).
fn counts(topology: &Topology, gateway: &str) -> Vec<(&'static str, usize, usize, Status)> {
    analyze(topology)
        .gateways
        .iter()
        .filter(|g| g.name == gateway)
        .flat_map(|g| g.clients.iter())
        .filter_map(|c| {
            Some((
                c.kind.id,
                c.check.selectors?,
                c.check.limit?,
                c.check.status,
            ))
        })
        .collect()
}

fn with_custom(topology: &Topology, gateway: &str, custom: &[IpNet]) -> Topology {
    let mut t = topology.clone();
    for v in &mut t.vnets {
        if let Some(g) = v.gateway.as_mut().filter(|g| g.name == gateway) {
            g.custom_routes = custom.to_vec();
        }
    }
    t
}

fn costs(
    topology: &Topology,
    gateway: &str,
    existing: &[IpNet],
    custom: &[IpNet],
) -> Vec<ClientCost> {
    let added = custom.iter().filter(|p| !existing.contains(p)).count();
    let before = counts(topology, gateway);
    let after = counts(&with_custom(topology, gateway, custom), gateway);
    before
        .iter()
        .zip(after)
        .map(|(b, a)| {
            let worst = b.1 + added;
            ClientCost {
                client: b.0,
                before: b.1,
                after: a.1,
                worst,
                limit: b.2,
                was_over: b.3 == Status::OverLimit,
                over: a.3 == Status::OverLimit || worst > b.2,
            }
        })
        .collect()
}

/// Re-runs the analysis with `routes` added to the gateway's custom routes and, when that
/// pushes a client kind over its limit, finds the best summarised set that does not: at most
/// as many prefixes as the tightest client kind has room for, never touching `forbid`.
pub fn gateway_plan(
    topology: &Topology,
    gateway: &str,
    routes: &[IpNet],
    forbid: &PrefixSet,
) -> Result<GatewayPlan, String> {
    let existing = topology
        .gateways()
        .find(|(_, g)| g.name == gateway)
        .map(|(_, g)| g.custom_routes.clone())
        .ok_or_else(|| format!("no gateway named '{gateway}'"))?;
    let custom_routes = canonical_list(existing.iter().chain(routes).copied());
    let exact = costs(topology, gateway, &existing, &custom_routes);
    let summary = (!pushed_over(&exact).is_empty()).then(|| {
        let room = exact
            .iter()
            .filter(|c| !c.was_over)
            .map(|c| c.limit.saturating_sub(c.before))
            .min()
            .unwrap_or(0);
        if room == 0 {
            return Err(
                "no summary fits: a client kind is already at its limit, so any new custom \
                 route pushes it over"
                    .to_string(),
            );
        }
        let set = PrefixSet::from_prefixes(routes.iter().copied());
        let mut budget = room;
        loop {
            let s = summarize(&set, budget, forbid).map_err(|e| e.to_string())?;
            let list = canonical_list(existing.iter().chain(&s.prefixes).copied());
            let c = costs(topology, gateway, &existing, &list);
            if pushed_over(&c).is_empty() {
                return Ok(SummaryPlan {
                    prefixes: s.prefixes,
                    custom_routes: list,
                    extra: s.extra,
                    costs: c,
                });
            }
            let overshoot = c
                .iter()
                .filter(|c| c.over && !c.was_over)
                .map(|c| c.after.max(c.worst) - c.limit)
                .max()
                .unwrap_or(1);
            if budget <= overshoot {
                return Err(format!(
                    "no summary fits: even {budget} summarised prefix(es) push a client kind \
                     over its limit"
                ));
            }
            budget -= overshoot;
        }
    });
    Ok(GatewayPlan {
        gateway: gateway.to_string(),
        existing,
        custom_routes,
        costs: exact,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefix::parse_prefix;

    #[test]
    fn reopen_drops_nil_only() {
        let (q, open) = reopen("<clientconfig i:nil=\"true\" />");
        assert_eq!(
            (q.as_str(), open.as_str()),
            ("clientconfig", "<clientconfig>")
        );
        let (q, open) = reopen("<a:x b='1' i:nil=\"true\"/>");
        assert_eq!((q.as_str(), open.as_str()), ("a:x", "<a:x b='1'>"));
    }

    #[test]
    fn one_line_profiles_stay_one_line() {
        let t = "<AzVpnProfile><clientconfig i:nil=\"true\" /><version>1</version></AzVpnProfile>";
        let m = merge("f", t, &[parse_prefix("10.1.0.0/16").unwrap()]).unwrap();
        assert_eq!(
            m.text,
            "<AzVpnProfile><clientconfig><includeroutes><route><destination>10.1.0.0</destination><mask>16</mask></route></includeroutes></clientconfig><version>1</version></AzVpnProfile>"
        );
    }
}
