//! `--format html`: one self-contained file to attach or open from an e-mail — no script, no
//! network, no external style or font. The verdict summary first; per gateway an inline SVG
//! chart of each client kind's selectors against its own limit, the client table, the route
//! lists; then the findings with their explain text and source.
//!
//! Every name and text from the topology goes through [`escape`] (names can hold `<`, `&` and
//! quotes). The markup is also well-formed XML (void elements closed), which the tests use to
//! read it back. Elements carry `data-` attributes (`data-gateway`, `data-client`,
//! `data-status`, `data-verdict`, `data-code`, `data-severity`) so tests and scripts can count
//! facts without scraping text.

use std::fmt::Write as _;
use std::io;

use super::term::Tone;

use p2s_sim::plan::review::Review;
use p2s_sim::plan::whatif::GatewayHeadroom;
use p2s_sim::report::PrefixList;
use p2s_sim::report::{plural, ClientReport, FindingReport, GatewayReport, Report};
use p2s_sim::verdicts::findings::explain;
use p2s_sim::verdicts::findings::Severity;
use p2s_sim::verdicts::Verdict;

/// Text for HTML and XML content and attribute values (JUnit and the HTML page): the five
/// entities escaped, and control characters XML 1.0 does not allow left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;\
color:#1b1b1b;max-width:72em}h1{font-size:1.5em}#summary{font-size:1.15em;font-weight:600;\
padding:.6em .8em;border-radius:4px;background:#eef6ee}#summary.bad{background:#fde8e8;\
color:#8a1010}#summary.warn{background:#fff6dd;color:#6b4e00}table{border-collapse:collapse;\
margin:.8em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}td.over-limit,td.fails,span.error,g.over-limit{color:#b00000;font-weight:600}td.partial,span.warning\
{color:#8a6100}ul.prefixes{columns:16em;font-family:ui-monospace,monospace;font-size:.9em}\
section.gateway{border-top:2px solid #ddd;margin-top:1.5em}article.finding{margin:1em 0;\
padding:.5em .8em;border-left:4px solid #ccc}article.finding.error{border-color:#b00000}\
article.finding.warning{border-color:#d8a100}.muted{color:#666}svg text{font-size:12px;\
font-family:system-ui,sans-serif}";

fn status_class(c: &ClientReport) -> &'static str {
    if c.check.is_over() {
        "over-limit"
    } else {
        match c.verdict {
            Some(Verdict::Fails) => "fails",
            Some(Verdict::Partial) => "partial",
            _ => "ok",
        }
    }
}

/// One bar of a [`bars`] chart: `value` against `limit`, labelled, with the group's class
/// (`ok`, `over-limit`, ...) and its `data-` attributes.
struct Bar<'a> {
    label: &'a str,
    value: usize,
    limit: usize,
    over: bool,
    class: &'a str,
    attrs: String,
}

/// A horizontal bar chart, one bar per row: the track is the limit (or the value when above
/// it, so every bar shows where its limit is), the fill is the value, a black line marks the
/// limit. Shared by `analyze` (selectors against each client's limit) and `headroom` (used
/// against each limit).
fn bars(aria: &str, title: &str, legend: &str, rows: &[Bar]) -> String {
    let (label_w, bar_w, row_h) = (170.0, 420.0, 26.0);
    let width = label_w + bar_w + 110.0;
    let height = row_h * rows.len() as f64 + 24.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(aria)
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    for (i, b) in rows.iter().enumerate() {
        let (n, limit) = (b.value, b.limit);
        let y = 8.0 + row_h * i as f64;
        let scale = limit.max(n).max(1) as f64;
        let fill_w = bar_w * n as f64 / scale;
        let limit_x = label_w + bar_w * limit as f64 / scale;
        let colour = if b.over { "#c62828" } else { "#2e7d32" };
        let _ = writeln!(
            svg,
            "<g class=\"bar {}\" {}>\
             <text x=\"0\" y=\"{:.1}\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"16\" fill=\"#eee\"/>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{fill_w:.1}\" height=\"16\" fill=\"{colour}\"/>\
             <line x1=\"{limit_x:.1}\" x2=\"{limit_x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000\" stroke-width=\"2\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{n} / {limit}{}</text></g>",
            b.class,
            b.attrs,
            y + 12.0,
            escape(b.label),
            y - 3.0,
            y + 19.0,
            label_w + bar_w + 8.0,
            y + 12.0,
            if b.over { " over" } else { "" }
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{label_w}\" y=\"{:.1}\" class=\"muted\">{}</text>",
        height - 4.0,
        escape(legend)
    );
    svg.push_str("</svg>\n");
    svg
}

/// Per client kind with a selector count, the count against its own limit.
fn chart(g: &GatewayReport) -> String {
    let rows: Vec<Bar> = g
        .clients
        .iter()
        .filter_map(|c| {
            let (n, limit) = (c.check.selectors?, c.check.limit?);
            Some(Bar {
                label: &c.client,
                value: n,
                limit,
                over: c.check.is_over(),
                class: status_class(c),
                attrs: format!(
                    "data-client=\"{}\" data-selectors=\"{n}\" data-limit=\"{limit}\"",
                    escape(&c.client)
                ),
            })
        })
        .collect();
    if rows.is_empty() {
        return "<p class=\"muted\">No client kind here counts traffic selectors.</p>\n".into();
    }
    bars(
        &format!("selectors against each client's limit on {}", g.name),
        &format!("Selectors against limits, gateway {}", g.name),
        "bar: selectors; black line: the client's limit",
        &rows,
    )
}

fn prefix_list(
    out: &mut String,
    title: &str,
    class: &str,
    list: &Option<PrefixList>,
    count: usize,
) {
    let _ = write!(
        out,
        "<details class=\"{class}\"><summary>{} ({})</summary>",
        escape(title),
        plural(count, "prefix", "prefixes")
    );
    match list {
        Some(items) if items.is_empty() => out.push_str("<p class=\"muted\">none</p>"),
        Some(items) => {
            let _ = write!(out, "<ul class=\"prefixes {class}\">");
            for p in items.iter() {
                let _ = write!(out, "<li>{p}</li>");
            }
            out.push_str("</ul>");
        }
        None => out.push_str(
            "<p class=\"muted\">longer than --list-limit: only the count is given (--full lists it)</p>",
        ),
    }
    out.push_str("</details>\n");
}

/// Opens a gateway's section, headed by its name and VNet (the analyze and headroom pages).
fn open_gateway_section(out: &mut String, gateway: &str, vnet: &str) {
    let gateway = escape(gateway);
    let _ = writeln!(
        out,
        "<section class=\"gateway\" data-gateway=\"{gateway}\">\n<h2>Gateway {gateway} <span class=\"muted\">(VNet {})</span></h2>",
        escape(vnet)
    );
}

fn gateway(out: &mut String, g: &GatewayReport) {
    open_gateway_section(out, &g.name, &g.vnet);
    let _ = writeln!(
        out,
        "<p>pool: {}</p>",
        escape(&if g.pool.prefixes.is_empty() {
            "(none)".to_string()
        } else {
            g.pool.prefixes.join(" ")
        })
    );
    out.push_str(&chart(g));
    out.push_str("<table class=\"clients\"><thead><tr><th>client</th><th>selectors</th><th>limit</th><th>status</th><th>verdict</th><th>routes installed</th><th>manual routes</th></tr></thead><tbody>\n");
    for c in &g.clients {
        let opt = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_else(|| "n/a".into());
        let verdict = c.verdict.map(|v| v.as_str()).unwrap_or("-");
        let reasons = c.reason_codes();
        let _ = writeln!(
            out,
            "<tr data-client=\"{}\" data-status=\"{}\" data-verdict=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.client),
            escape(c.check.status.as_str()),
            verdict,
            escape(&c.client),
            opt(c.check.selectors),
            opt(c.check.limit),
            c.check.status.as_str(),
            escape(c.check.status.as_str()),
            verdict,
            verdict,
            if reasons.is_empty() {
                String::new()
            } else {
                escape(&format!(": {}", reasons.join(", ")))
            },
            c.route_count,
            c.manual_route_count
        );
    }
    out.push_str("</tbody></table>\n");
    let reasons: Vec<String> = g
        .clients
        .iter()
        .flat_map(|c| {
            c.reasons.iter().flatten().map(move |r| {
                format!(
                    "{}: {}: {} (source: {})",
                    c.client, r.code, r.text, r.source
                )
            })
        })
        .collect();
    if !reasons.is_empty() {
        out.push_str("<ul class=\"reasons\">");
        for r in reasons {
            let _ = write!(out, "<li>{}</li>", escape(&r));
        }
        out.push_str("</ul>\n");
    }
    prefix_list(
        out,
        "advertised (traffic selectors)",
        "advertised",
        &g.advertised,
        g.advertised_count,
    );
    if let Some(c) = g.clients.first() {
        prefix_list(
            out,
            "reachable",
            "reachable",
            &c.reachable,
            c.reachable_count,
        );
    }
    for c in &g.clients {
        prefix_list(
            out,
            &format!("{}: routes installed", c.client),
            "installed",
            &c.routes,
            c.route_count,
        );
        if c.manual_route_count > 0 {
            prefix_list(
                out,
                &format!("{}: manual routes", c.client),
                "manual",
                &c.manual_routes,
                c.manual_route_count,
            );
        }
    }
    if !g.assumptions.is_empty() {
        out.push_str("<h3>Assumptions</h3><ul class=\"assumptions\">");
        for a in &g.assumptions {
            let _ = write!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(&a.code),
                escape(&a.text)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// The whole document, written section by section: each gateway's part (its route lists can be
/// long under `--full`) goes out before the next is drawn, so memory holds one section.
pub fn write_document(report: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    let mut out = String::new();
    open_page(&mut out, "p2s-sim report");
    out.push_str("<h1>P2S routes and traffic selectors</h1>\n");
    let class = match super::render::summary_tone(report) {
        Tone::Bad => "bad",
        Tone::Warn => "warn",
        Tone::Plain => "ok",
    };
    summary(&mut out, class, &report.summary());
    if let Some(line) = report.without_p2s_line() {
        let _ = writeln!(out, "<p id=\"no-p2s\">{}</p>", escape(&line));
    }
    for g in &report.gateways {
        gateway(&mut out, g);
        w.write_all(out.as_bytes())?;
        out.clear();
    }
    findings_section(&mut out, "findings", "Findings", &report.findings);
    close_page(&mut out);
    w.write_all(out.as_bytes())
}

/// Opens a section headed by its title and how many items it has, saying `empty` when it has
/// none; the caller writes the items and closes it.
fn open_counted_section(out: &mut String, id: &str, title: &str, count: usize, empty: &str) {
    let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{title} ({count})</h2>");
    if count == 0 {
        let _ = writeln!(out, "<p class=\"muted\">{empty}</p>");
    }
}

/// A section of findings, one article each.
fn findings_section(out: &mut String, id: &str, title: &str, findings: &[FindingReport]) {
    open_counted_section(out, id, title, findings.len(), "none");
    for f in findings {
        finding(out, f);
    }
    out.push_str("</section>\n");
}

/// One finding: severity, code, subject, message and source, with the rule's explain text.
fn finding(out: &mut String, f: &FindingReport) {
    let _ = writeln!(
        out,
        "<article class=\"finding {}\" data-code=\"{}\" data-severity=\"{}\">\
         <h3><span class=\"{}\">{}</span> {} <span class=\"muted\">[{}]</span></h3>\
         <p>{}</p><p class=\"muted\">source: {}</p>",
        escape(f.severity.as_str()),
        escape(&f.code),
        escape(f.severity.as_str()),
        escape(f.severity.as_str()),
        escape(f.severity.as_str()),
        escape(&f.code),
        escape(&f.subject),
        escape(&f.message),
        escape(&f.source)
    );
    if let Some(rule) = explain(&f.code) {
        let _ = writeln!(
            out,
            "<details class=\"explain\"><summary>{}</summary><p><b>Why it matters:</b> {}</p><p><b>How to fix:</b> {}</p><p class=\"muted\">{}</p></details>",
            escape(rule.title),
            escape(rule.why),
            escape(rule.fix),
            escape(rule.source)
        );
    }
    out.push_str("</article>\n");
}

/// The verdict line every page starts with; `class` is `ok`, `warn` or `bad`.
fn summary(out: &mut String, class: &str, text: &str) {
    let _ = writeln!(
        out,
        "<p id=\"summary\" class=\"{class}\">{}</p>",
        escape(text)
    );
}

/// A titled list (`<section id=..>` with one `<li class=..>` per item), left out when empty
/// unless `always`.
fn list_section(
    out: &mut String,
    id: &str,
    title: &str,
    class: &str,
    items: &[String],
    always: bool,
) {
    if items.is_empty() && !always {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"{id}\"><h2>{} ({})</h2>",
        escape(title),
        items.len()
    );
    if items.is_empty() {
        out.push_str("<p class=\"muted\">none</p>");
    } else {
        out.push_str("<ul>");
        for i in items {
            let _ = write!(out, "<li class=\"{class}\">{}</li>", escape(i));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
}

/// The page head and the opening of the body, shared by every report kind.
fn open_page(out: &mut String, title: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
}

fn close_page(out: &mut String) {
    let _ = writeln!(
        out,
        "<footer class=\"muted\"><p>p2s-sim {}</p></footer>\n</body>\n</html>",
        escape(super::conventions::VERSION)
    );
}

const LINE_COLOURS: [&str; 7] = [
    "#1565c0", "#c62828", "#6a1b9a", "#2e7d32", "#ef6c00", "#00838f", "#5d4037",
];

/// `sweep --format html`: a line chart of selectors per step for each client kind, the limit
/// lines in range, and the first breaking step of each kind marked; then the table of steps.
pub fn sweep_document(result: &p2s_sim::plan::whatif::SweepResult) -> String {
    let mut out = String::new();
    open_page(&mut out, "p2s-sim sweep");
    let _ = writeln!(
        out,
        "<h1>Sweep: adding {} to {}</h1>\n<p>clients of gateway {}</p>",
        escape(&result.adding),
        escape(&result.hub),
        escape(&result.gateway)
    );
    let broken: Vec<String> = result
        .first_breaking
        .iter()
        .filter_map(|f| f.step.map(|s| format!("{} at step {s}", f.client)))
        .collect();
    let (class, text) = if broken.is_empty() {
        (
            "ok",
            "no client kind crosses its limit in this range".to_string(),
        )
    } else {
        ("bad", format!("first breaking step: {}", broken.join(", ")))
    };
    summary(&mut out, class, &text);
    let kinds = result.client_kinds();
    let steps: Vec<usize> = result.rows.iter().map(|r| r.step).collect();
    let max_sel = result
        .rows
        .iter()
        .flat_map(|r| r.clients.iter().filter_map(|c| c.check.selectors))
        .max()
        .unwrap_or(0);
    let mut limits: Vec<usize> = result
        .rows
        .iter()
        .flat_map(|r| r.clients.iter().filter_map(|c| c.check.limit))
        .collect();
    limits.sort_unstable();
    limits.dedup();
    // The y axis reaches the highest count, and at least the lowest limit so it shows.
    let y_max = (max_sel.max(limits.first().copied().unwrap_or(1)) as f64 * 1.1).max(1.0);
    let (left, top, w, h) = (60.0, 20.0, 640.0, 320.0);
    let (x_min, x_max) = (
        *steps.first().unwrap_or(&0) as f64,
        *steps.last().unwrap_or(&0) as f64,
    );
    let x = |step: usize| left + w * (step as f64 - x_min) / (x_max - x_min).max(1.0);
    let y = |v: usize| top + h - h * v as f64 / y_max;
    let _ = writeln!(
        out,
        "<svg class=\"chart sweep\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"selectors per step\">",
        left + w + 200.0,
        top + h + 50.0,
        left + w + 200.0,
        top + h + 50.0
    );
    let _ = writeln!(
        out,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#999\"/>\
         <text x=\"{left}\" y=\"{:.1}\">step {x_min}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">step {x_max}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.0}</text>",
        top + h + 16.0,
        left + w,
        top + h + 16.0,
        left - 4.0,
        top + h,
        left - 4.0,
        top + 10.0,
        y_max
    );
    for limit in limits.iter().filter(|&&l| (l as f64) <= y_max) {
        let ly = y(*limit);
        let _ = writeln!(
            out,
            "<g class=\"limit\" data-limit=\"{limit}\"><line x1=\"{left}\" x2=\"{:.1}\" y1=\"{ly:.1}\" y2=\"{ly:.1}\" stroke=\"#000\" stroke-dasharray=\"6 4\"/><text x=\"{:.1}\" y=\"{:.1}\">limit {limit}</text></g>",
            left + w,
            left + w + 6.0,
            ly + 4.0
        );
    }
    let mut drawn = 0usize;
    for (k, kind) in kinds.iter().enumerate() {
        let points: Vec<String> = result
            .rows
            .iter()
            .filter_map(|r| {
                let c = r.clients.iter().find(|c| &c.client == kind)?;
                Some(format!("{:.1},{:.1}", x(r.step), y(c.check.selectors?)))
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
        drawn += 1;
        let _ = writeln!(
            out,
            "<g class=\"series\" data-client=\"{}\"><polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}</text></g>",
            escape(kind),
            points.join(" "),
            left + w + 6.0,
            top + 14.0 * drawn as f64,
            escape(kind)
        );
    }
    for f in &result.first_breaking {
        if let Some(step) = f.step {
            let mx = x(step);
            let _ = writeln!(
                out,
                "<g class=\"first-break\" data-client=\"{}\" data-step=\"{step}\"><line x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#c62828\" stroke-width=\"1\"/><title>{}</title></g>",
                escape(&f.client),
                top + h,
                escape(&format!("{} first over its limit at step {step}", f.client))
            );
        }
    }
    out.push_str("</svg>\n");
    out.push_str("<table class=\"steps\"><thead><tr><th>step</th><th>advertised</th>");
    for k in &kinds {
        let _ = write!(out, "<th>{}</th>", escape(k));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in &result.rows {
        let _ = write!(
            out,
            "<tr data-step=\"{}\"><td>{}</td><td>{}</td>",
            r.step, r.step, r.advertised
        );
        for c in &r.clients {
            let text = match (c.check.selectors, c.check.limit) {
                (Some(n), Some(l)) => format!("{n} / {l}"),
                _ => "n/a".to_string(),
            };
            let ok = !c.check.is_over();
            let class = if ok { "ok" } else { "over-limit" };
            let _ = write!(
                out,
                "<td class=\"{class}\" data-status=\"{}\">{}{}</td>",
                escape(c.check.status.as_str()),
                escape(&text),
                if ok { "" } else { " over-limit" }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    close_page(&mut out);
    out
}

/// A gateway before and after a change (`whatif`, `review`): before/after bars of each client
/// kind's selectors against its limit, the client table, who must download the VPN client
/// package again and which of its files go stale.
fn comparison_gateway(out: &mut String, g: &p2s_sim::plan::whatif::GatewayChange) {
    let (label_w, bar_w, bar_h) = (170.0, 380.0, 12.0);
    let count = |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
    let _ = writeln!(
        out,
        "<section class=\"gateway\" data-gateway=\"{}\">\n<h2>Gateway {}</h2>\n<p>advertised: {} → {}</p>",
        escape(&g.name),
        escape(&g.name),
        count(g.advertised_before),
        count(g.advertised_after)
    );
    let rows: Vec<_> = g
        .clients
        .iter()
        .filter(|c| {
            [&c.before, &c.after].iter().any(|s| {
                s.as_ref()
                    .is_some_and(|s| s.check.selectors.is_some() && s.check.limit.is_some())
            })
        })
        .collect();
    let height = 34.0 * rows.len() as f64 + 24.0;
    let width = label_w + bar_w + 150.0;
    let _ = writeln!(
        out,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"selectors before and after\">"
    );
    for (i, c) in rows.iter().enumerate() {
        let y = 6.0 + 34.0 * i as f64;
        let sides = [("before", &c.before), ("after", &c.after)];
        let scale = sides
            .iter()
            .filter_map(|(_, s)| s.as_ref())
            .flat_map(|s| [s.check.selectors, s.check.limit])
            .flatten()
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let _ = write!(
            out,
            "<g class=\"pair\" data-client=\"{}\"><text x=\"0\" y=\"{:.1}\">{}</text>",
            escape(&c.client),
            y + 14.0,
            escape(&c.client)
        );
        for (j, (side, s)) in sides.iter().enumerate() {
            let Some(s) = s else { continue };
            let (Some(n), Some(limit)) = (s.check.selectors, s.check.limit) else {
                continue;
            };
            let by = y + j as f64 * (bar_h + 2.0);
            let over = s.check.is_over();
            let colour = match (*side, over) {
                (_, true) => "#c62828",
                ("before", false) => "#90a4ae",
                _ => "#2e7d32",
            };
            let lx = label_w + bar_w * limit as f64 / scale;
            let _ = write!(
                out,
                "<g class=\"bar {side}{}\" data-selectors=\"{n}\" data-limit=\"{limit}\"><rect x=\"{label_w}\" y=\"{by:.1}\" width=\"{:.1}\" height=\"{bar_h}\" fill=\"{colour}\"/><line x1=\"{lx:.1}\" x2=\"{lx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\">{side}: {n} / {limit}{}</text></g>",
                if over { " over-limit" } else { "" },
                bar_w * n as f64 / scale,
                by - 1.0,
                by + bar_h + 1.0,
                label_w + bar_w + 8.0,
                by + 10.0,
                if over { " over" } else { "" }
            );
        }
        out.push_str("</g>\n");
    }
    let _ = writeln!(
        out,
        "<text x=\"{label_w}\" y=\"{:.1}\" class=\"muted\">upper bar: before; lower: after; black line: the limit</text></svg>",
        height - 4.0
    );
    out.push_str("<table class=\"clients\"><thead><tr><th>client</th><th>selectors before</th><th>after</th><th>status before</th><th>after</th><th>verdict before</th><th>after</th><th>routes +/-</th></tr></thead><tbody>\n");
    for c in &g.clients {
        let (b, a) = (
            p2s_sim::plan::whatif::ClientSide::cells(c.before.as_ref()),
            p2s_sim::plan::whatif::ClientSide::cells(c.after.as_ref()),
        );
        let _ = writeln!(
            out,
            "<tr data-client=\"{}\" data-status-after=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>+{} -{}</td></tr>",
            escape(&c.client),
            escape(&a.status),
            escape(&c.client),
            b.count,
            a.count,
            escape(&b.status),
            if a.status == "over-limit" { "over-limit" } else { "ok" },
            escape(&a.status),
            escape(&b.verdict),
            escape(&a.verdict),
            c.routes_added_count,
            c.routes_removed_count
        );
    }
    out.push_str("</tbody></table>\n");
    if !g.redownload.is_empty() {
        let _ = writeln!(
            out,
            "<p>re-download: {} — {}</p>",
            escape(&g.redownload.join(", ")),
            escape(&g.redownload_reason)
        );
    }
    if !g.stale_profile_files.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"stale\">stale package files: {}</p>",
            escape(&g.stale_profile_files.join(", "))
        );
    }
    out.push_str("</section>\n");
}

/// `whatif --format html`: the verdict after the change, then per gateway before/after bars of
/// each client kind's selectors against its limit, the client table and the routes that change;
/// then the status changes.
pub fn whatif_document(comparison: &p2s_sim::plan::whatif::Comparison, after: &Report) -> String {
    let mut out = String::new();
    open_page(&mut out, "p2s-sim what-if");
    out.push_str("<h1>What if: before and after the change</h1>\n");
    let class = if after.any_over_limit() || after.finding_count(Severity::Error) > 0 {
        "bad"
    } else if after.finding_count(Severity::Warning) > 0 {
        "warn"
    } else {
        "ok"
    };
    summary(
        &mut out,
        class,
        &format!("after the change: {}", after.summary()),
    );
    for g in &comparison.gateways {
        comparison_gateway(&mut out, g);
    }
    let _ = writeln!(
        out,
        "<section id=\"status-changes\"><h2>Status changes ({})</h2><ul>",
        comparison.status_changes.len()
    );
    for s in &comparison.status_changes {
        let _ = write!(
            out,
            "<li class=\"status-change\">{}</li>",
            escape(&s.line("→"))
        );
    }
    out.push_str("</ul></section>\n");
    close_page(&mut out);
    out
}

/// Where a reviewed change came from, as `review`'s other formats print it.
pub struct ReviewSource<'a> {
    /// "Terraform plan plan.json", "ARM what-if whatif.json", ...
    pub from: String,
    /// "update azurerm_virtual_network.hub", one per changed resource.
    pub actions: Vec<String>,
    pub assumptions: &'a [String],
}

/// `review --format html`: the review's summary line, where the change came from, what makes
/// `--check` fail and what gets better; per gateway before/after bars of each client kind's
/// selectors against its limit and the client table; verdict changes, findings added and
/// removed (with their explain text), reachability lost and gained, device groups that change.
pub fn review_document(r: &Review, source: &ReviewSource) -> String {
    let mut out = String::new();
    open_page(&mut out, "p2s-sim review");
    out.push_str("<h1>Change review</h1>\n");
    let class = if !r.worse.is_empty() {
        "bad"
    } else if r
        .findings_added
        .iter()
        .any(|f| f.severity == Severity::Warning)
    {
        "warn"
    } else {
        "ok"
    };
    summary(&mut out, class, &r.summary);
    let _ = writeln!(out, "<p id=\"change\">Change: {}</p>", escape(&source.from));
    list_section(
        &mut out,
        "resources",
        "Resources changed",
        "resource",
        &source.actions,
        false,
    );
    list_section(
        &mut out,
        "worse",
        "What makes --check fail",
        "worse",
        &r.worse,
        true,
    );
    list_section(
        &mut out,
        "better",
        "What gets better",
        "better",
        &r.better,
        false,
    );
    for g in &r.comparison.gateways {
        comparison_gateway(&mut out, g);
    }
    let verdicts: Vec<String> = r.verdict_changes.iter().map(|v| v.line("→")).collect();
    list_section(
        &mut out,
        "verdict-changes",
        "Verdict changes",
        "verdict-change",
        &verdicts,
        true,
    );
    for (id, title, list) in [
        ("findings-added", "Findings added", &r.findings_added),
        ("findings-removed", "Findings removed", &r.findings_removed),
    ] {
        findings_section(&mut out, id, title, list);
    }
    open_counted_section(
        &mut out,
        "reachability",
        "Reachability",
        r.reachability.len(),
        "no client kind loses or gains a prefix",
    );
    for c in &r.reachability {
        let _ = write!(
            out,
            "<div class=\"reach\" data-gateway=\"{}\" data-client=\"{}\" data-lost=\"{}\" data-gained=\"{}\"><h3>{} {}</h3>",
            escape(&c.gateway),
            escape(&c.client),
            c.lost.len(),
            c.gained.len(),
            escape(&c.gateway),
            escape(&c.client)
        );
        for (class, title, list) in [("lost", "loses", &c.lost), ("gained", "gains", &c.gained)] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(
                out,
                "<p>{} {}:</p><ul class=\"prefixes {class}\">",
                title,
                plural(list.len(), "prefix", "prefixes")
            );
            for p in list {
                let _ = write!(out, "<li>{}</li>", escape(p));
            }
            out.push_str("</ul>");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    if let Some(changes) = &r.fleet_changes {
        let items: Vec<String> = changes.iter().map(|c| c.line("→")).collect();
        list_section(
            &mut out,
            "fleet-changes",
            "Device groups that change",
            "group-change",
            &items,
            true,
        );
    }
    list_section(
        &mut out,
        "assumptions",
        "Assumptions",
        "assumption",
        source.assumptions,
        false,
    );
    close_page(&mut out);
    out
}

/// `review --format html` when every P2S-relevant resource is unknown until apply: the
/// summary that says so, and how the change was read.
pub fn review_unknown_document(summary_text: &str, assumptions: &[String]) -> String {
    let mut out = String::new();
    open_page(&mut out, "p2s-sim review");
    out.push_str("<h1>Change review</h1>\n");
    summary(&mut out, "warn", summary_text);
    list_section(
        &mut out,
        "assumptions",
        "Assumptions",
        "assumption",
        assumptions,
        false,
    );
    close_page(&mut out);
    out
}

/// The headroom at a glance: per gateway the limit crossed first and how much still fits
/// ("hub-weu-gw: first limit crossed: windows-ikev2-legacy, 2 more prefixes fit (2 more
/// spokes of 1)"), or the limit already crossed ("... windows-ikev2-legacy over its limit
/// (27 / 25)").
pub fn headroom_summary(rooms: &[GatewayHeadroom]) -> String {
    if rooms.is_empty() {
        return "no gateway with P2S".to_string();
    }
    rooms
        .iter()
        .map(|g| {
            let first = g
                .first_crossed
                .as_ref()
                .and_then(|name| g.limits.iter().find(|l| &l.label() == name));
            match first {
                None => format!("{}: no limit", g.gateway),
                Some(l) if l.over => format!(
                    "{}: {} over its limit ({} / {})",
                    g.gateway,
                    l.label(),
                    l.used,
                    l.max
                ),
                Some(l) => format!(
                    "{}: first limit crossed: {}, {} more {} fit ({} more {} of {})",
                    g.gateway,
                    l.label(),
                    l.prefixes,
                    if l.prefixes == 1 {
                        "prefix"
                    } else {
                        "prefixes"
                    },
                    l.spokes,
                    if l.spokes == 1 { "spoke" } else { "spokes" },
                    g.prefixes_per_spoke
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `headroom --format html`: the summary, then per gateway a bar per limit (used against it)
/// and the table of how many more prefixes and spokes fit.
pub fn headroom_document(rooms: &[GatewayHeadroom]) -> String {
    let mut out = String::new();
    open_page(&mut out, "p2s-sim headroom");
    out.push_str("<h1>Headroom: how much more fits before each limit</h1>\n");
    let class = if rooms.iter().any(|g| g.limits.iter().any(|l| l.over)) {
        "bad"
    } else {
        "ok"
    };
    summary(&mut out, class, &headroom_summary(rooms));
    for g in rooms {
        open_gateway_section(&mut out, &g.gateway, &g.vnet);
        let labels: Vec<String> = g.limits.iter().map(|l| l.label()).collect();
        let rows: Vec<Bar> = g
            .limits
            .iter()
            .zip(&labels)
            .map(|(l, label)| Bar {
                label,
                value: l.used,
                limit: l.max,
                over: l.over,
                class: if l.over { "over-limit" } else { "ok" },
                attrs: format!(
                    "data-name=\"{}\" data-used=\"{}\" data-max=\"{}\"",
                    escape(label),
                    l.used,
                    l.max
                ),
            })
            .collect();
        out.push_str(&bars(
            &format!("used against each limit on {}", g.gateway),
            &format!("Headroom, gateway {}", g.gateway),
            "bar: used; black line: the limit",
            &rows,
        ));
        let _ = writeln!(
            out,
            "<table class=\"limits\"><thead><tr><th>limit</th><th>used / max</th><th>more prefixes</th><th>more spokes of {}</th></tr></thead><tbody>",
            g.prefixes_per_spoke
        );
        for l in &g.limits {
            let status = if l.over { "over-limit" } else { "ok" };
            let _ = writeln!(
                out,
                "<tr data-name=\"{}\" data-status=\"{status}\" data-prefixes=\"{}\" data-spokes=\"{}\"><td>{}</td><td class=\"{status}\">{} / {}{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.label()),
                l.prefixes,
                l.spokes,
                escape(&l.label()),
                l.used,
                l.max,
                if l.over { " over-limit" } else { "" },
                l.prefixes,
                l.spokes
            );
        }
        out.push_str("</tbody></table>\n");
        if let Some(first) = &g.first_crossed {
            let _ = writeln!(
                out,
                "<p class=\"first-crossed\" data-name=\"{}\">first limit crossed: {}</p>",
                escape(first),
                escape(first)
            );
        }
        out.push_str("</section>\n");
    }
    close_page(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            escape("<a href='x'>&\"</a>\u{7}"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
