//! The analysis report in every format (`analyze --format`): a person reads `table` and
//! `markdown`, a program `json` and `csv`, CI `sarif` and `junit`, a mail `html`. Every format
//! shows the same facts, findings included. [`ReportOut`] is the report's [`Rendered`].

use std::io::{self, Write};

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use p2s_sim::report::{plural, ClientReport, GatewayReport, PrefixList, Report};
use p2s_sim::verdicts::findings::Severity;
use p2s_sim::verdicts::{FleetReport, Reason, Verdict};

use p2s_sim::read::locate::Place;
use p2s_sim::read::Source;

use super::csv_client::{client_fields, client_table};
use super::csv_out::CsvRows;
use super::junit::JunitOut;
use super::output::{format_subset, pretty_json_spread, Rendered};
use super::sarif::SarifOut;
use super::term::{paint, wrap, RenderOptions, Tone};

format_subset! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
    pub enum ReportFormat {
        /// One block per gateway, for people.
        Table,
        /// The full report as one JSON document.
        Json,
        /// One row per gateway and client.
        Csv,
        /// Like table, as Markdown (for pull requests and wikis).
        Markdown,
        /// SARIF 2.1.0: one result per finding, for code scanning (GitHub, Azure DevOps).
        Sarif,
        /// JUnit XML: a test case per gateway and client kind, and per error finding (CI reports).
        Junit,
        /// One self-contained HTML page with charts, to share or attach.
        Html,
    }
}

/// The report with what its formats need besides it: the terminal's width and colour for the
/// table, and the input files and where the readers found each resource (SARIF points into
/// them).
pub struct ReportOut<'a> {
    pub report: &'a Report,
    pub options: RenderOptions,
    pub inputs: Vec<Source>,
    pub places: Vec<Place>,
}

impl Rendered for ReportOut<'_> {
    fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        TableOut(self.options).write(self.report, out)
    }
    fn markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        MarkdownOut.write(self.report, out)
    }
    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        // The gateways' route lists are most of a large report: rendered on all threads.
        pretty_json_spread(
            &self.report.without_gateways(),
            "gateways",
            &self.report.gateways,
            GatewayReport::listed_prefixes,
            out,
        )
    }
    fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        CsvOut.write(self.report, out)
    }
    fn html(&self, out: &mut dyn Write) -> io::Result<()> {
        super::html::write_document(self.report, out)
    }
    fn sarif(&self, out: &mut dyn Write) -> io::Result<()> {
        SarifOut {
            inputs: &self.inputs,
            places: &self.places,
        }
        .write(self.report, out)
    }
    fn junit(&self, out: &mut dyn Write) -> io::Result<()> {
        JunitOut.write(self.report, out)
    }
}

fn list_or_count(list: &Option<PrefixList>, count: usize) -> String {
    match list {
        Some(items) if items.is_empty() => "-".to_string(),
        Some(items) => items.join(" "),
        None => format!(
            "({}; --full lists them)",
            plural(count, "prefix", "prefixes")
        ),
    }
}

/// How many prefixes a table cell shows before it gives a count and the first few.
const CELL_ITEMS: usize = 4;

/// A table cell's prefix list: whole when short (or with `--full`), else "21 prefixes:
/// 10.50.0.0/22 10.51.0.0/16 10.52.0.0/16 10.53.0.0/16 ... (--full)".
fn cell_list(list: &Option<PrefixList>, count: usize, full: bool) -> String {
    match list {
        Some(items) if !full && items.len() > CELL_ITEMS => format!(
            "{}: {} ... (--full)",
            plural(count, "prefix", "prefixes"),
            items.first(CELL_ITEMS - 1).join(" ")
        ),
        // Listed under the table: a cell of a million prefixes would take the table layout
        // quadratic time.
        Some(items) if items.len() > CELL_ITEMS => {
            format!("{} (below)", plural(count, "prefix", "prefixes"))
        }
        _ => list_or_count(list, count),
    }
}

/// A table that fits `width` columns (cells wrap), coloured only when asked.
fn fitted_table(options: &RenderOptions, indent: u16) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(options.width.saturating_sub(indent));
    if options.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// `label` and "N prefixes: a, b, ..." (or the count alone), wrapped under the label.
fn labelled_list(
    out: &mut dyn Write,
    label: &str,
    list: &Option<PrefixList>,
    count: usize,
    width: u16,
) -> io::Result<()> {
    let text = format!(
        "{}: {}",
        plural(count, "prefix", "prefixes"),
        list_or_count(list, count)
    );
    for line in wrap(label, &" ".repeat(label.len()), &text, width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The colour of a report's summary line: red with a client over its limit, a client kind
/// that fails or an error finding; yellow with a warning.
pub(crate) fn summary_tone(report: &Report) -> Tone {
    if report.any_over_limit()
        || report.finding_count(Severity::Error) > 0
        || report
            .gateways
            .iter()
            .flat_map(|g| &g.clients)
            .any(|c| c.verdict == Some(Verdict::Fails))
    {
        Tone::Bad
    } else if report.finding_count(Severity::Warning) > 0 {
        Tone::Warn
    } else {
        Tone::Plain
    }
}

/// The first lines of the table format: the verdict summary and the gateways without P2S.
pub(crate) fn write_summary(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        paint(&report.summary(), summary_tone(report), options.color)
    )?;
    if let Some(line) = report.without_p2s_line() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn selectors(c: &ClientReport) -> String {
    match (c.check.selectors, c.check.limit) {
        (Some(n), Some(max)) => format!("{n} / {max}"),
        (Some(n), None) => n.to_string(),
        _ => "n/a".to_string(),
    }
}

/// The status as every format spells it (`ok`, `over-limit`).
fn status(c: &ClientReport) -> &str {
    c.check.status.as_str()
}

/// "connects", "fails: sstp-retired", "fails: selector-limit; falls back to windows-sstp".
fn verdict_cell(c: &ClientReport) -> String {
    let Some(v) = c.verdict else {
        return "-".to_string();
    };
    let mut text = v.as_str().to_string();
    let codes = c.reason_codes();
    if !codes.is_empty() {
        text = format!("{text}: {}", codes.join(", "));
    }
    if let Some(Some(f)) = &c.fallback {
        text = format!("{text}; falls back to {f}");
    }
    text
}

/// One line per distinct reason, naming the client kinds it applies to:
/// "windows-sstp: sstp-retired: SSTP connections stopped ... (source: ...)".
fn reason_lines(g: &GatewayReport) -> Vec<String> {
    let mut seen: Vec<(&Reason, Vec<&str>)> = Vec::new();
    for c in &g.clients {
        for r in c.reasons.iter().flatten() {
            match seen
                .iter_mut()
                .find(|(x, _)| x.code == r.code && x.text == r.text)
            {
                Some((_, clients)) => clients.push(&c.client),
                None => seen.push((r, vec![&c.client])),
            }
        }
    }
    seen.iter()
        .map(|(r, clients)| {
            format!(
                "{}: {}: {} (source: {})",
                clients.join(", "),
                r.code,
                r.text,
                r.source
            )
        })
        .collect()
}

fn fleet_rows(f: &FleetReport) -> Vec<[String; 9]> {
    f.groups
        .iter()
        .map(|g| {
            [
                g.group.clone(),
                g.devices.to_string(),
                format!("{} {}", g.os, g.version),
                g.app.clone(),
                g.client.clone().unwrap_or_else(|| "-".into()),
                g.verdict.as_str().to_string(),
                g.via.clone().unwrap_or_else(|| "-".into()),
                if g.reasons.is_empty() {
                    "-".into()
                } else {
                    g.reasons
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                if g.needs.is_empty() {
                    "-".into()
                } else {
                    // The short form ("KB4057142", "registry value DisableCertReqPayload = 1");
                    // JSON and CSV carry the whole text.
                    g.needs
                        .iter()
                        .map(|n| n.split(" (").next().unwrap_or(n))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            ]
        })
        .collect()
}

const FLEET_HEADER: [&str; 9] = [
    "group", "devices", "os", "app", "client", "verdict", "via", "reasons", "needs",
];

/// "fleet: 662 devices connect, 0 partially, 12 fail"
fn fleet_totals_line(f: &FleetReport) -> String {
    format!(
        "fleet: {} devices connect, {} partially, {} fail",
        f.totals.connects, f.totals.partial, f.totals.fails
    )
}

/// "fleet per protocol: IkeV2 420 devices (capacity 127), SSTP 12 devices (capacity 127)"
fn fleet_protocol_line(f: &FleetReport) -> String {
    let parts: Vec<String> = f
        .protocols
        .iter()
        .map(|p| {
            let cap = p
                .capacity
                .map(|c| format!(" (capacity {c})"))
                .unwrap_or_default();
            format!("{} {} devices{cap}", p.protocol, p.devices)
        })
        .collect();
    format!("fleet per protocol: {}", parts.join(", "))
}

fn pool_line(g: &GatewayReport) -> String {
    let pool = if g.pool.prefixes.is_empty() {
        "(none)".to_string()
    } else {
        g.pool.prefixes.join(" ")
    };
    match (&g.pool.sstp, &g.pool.ikev2) {
        (Some(s), Some(i)) => format!(
            "{pool}, split: SSTP {} | IKEv2 {}",
            s.join(" "),
            i.join(" ")
        ),
        _ => pool,
    }
}

struct TableOut(RenderOptions);

impl TableOut {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let options = &self.0;
        write_summary(report, options, out)?;
        if report.gateways.is_empty() {
            writeln!(out, "No gateway with a point-to-site configuration.")?;
        }
        for g in &report.gateways {
            writeln!(out)?;
            writeln!(out, "Gateway {} (VNet {})", g.name, g.vnet)?;
            for line in wrap(
                "  pool:       ",
                "              ",
                &pool_line(g),
                options.width,
            ) {
                writeln!(out, "{line}")?;
            }
            labelled_list(
                out,
                "  advertised: ",
                &g.advertised,
                g.advertised_count,
                options.width,
            )?;
            let mut table = fitted_table(options, 2);
            let header = [
                "client",
                "selectors / limit",
                "status",
                "verdict",
                "routes",
                "manual routes",
            ];
            table.set_header(header.to_vec());
            for c in &g.clients {
                let status_cell = if !c.check.is_over() {
                    Cell::new(status(c))
                } else {
                    Cell::new(status(c)).fg(Color::Red)
                };
                let verdict_cell = match c.verdict {
                    Some(Verdict::Fails) => Cell::new(verdict_cell(c)).fg(Color::Red),
                    Some(Verdict::Partial) => Cell::new(verdict_cell(c)).fg(Color::Yellow),
                    _ => Cell::new(verdict_cell(c)),
                };
                table.add_row(vec![
                    Cell::new(&c.client),
                    Cell::new(selectors(c)),
                    status_cell,
                    verdict_cell,
                    Cell::new(c.route_count),
                    Cell::new(cell_list(
                        &c.manual_routes,
                        c.manual_route_count,
                        options.full,
                    )),
                ]);
            }
            let rows: Vec<Vec<String>> = g
                .clients
                .iter()
                .map(|c| {
                    vec![
                        c.client.clone(),
                        selectors(c),
                        c.check.status.to_string(),
                        verdict_cell(c),
                        String::new(),
                        cell_list(&c.manual_routes, c.manual_route_count, options.full),
                    ]
                })
                .collect();
            super::page::keep_words(&mut table, &header, &rows, options.width);
            for line in table.to_string().lines() {
                writeln!(out, "  {line}")?;
            }
            for c in &g.clients {
                match &c.manual_routes {
                    Some(list) if options.full && list.len() > CELL_ITEMS => {
                        let first = format!("  {} manual routes: ", c.client);
                        for line in wrap(&first, "    ", &list.join(" "), options.width) {
                            writeln!(out, "{line}")?;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(c) = g.clients.first() {
                labelled_list(
                    out,
                    "  reachable:  ",
                    &c.reachable,
                    c.reachable_count,
                    options.width,
                )?;
            }
            for line in reason_lines(g) {
                for line in wrap("  why ", "      ", &line, options.width) {
                    writeln!(out, "{line}")?;
                }
            }
            if let Some(line) = capacity_line(g) {
                writeln!(out, "  {line}")?;
            }
            if let Some(line) = population_line(g) {
                writeln!(out, "  {line}")?;
            }
            if let Some(f) = &g.fleet {
                let mut table = fitted_table(options, 2);
                table.set_header(FLEET_HEADER.to_vec());
                let rows = fleet_rows(f);
                let texts: Vec<Vec<String>> = rows.iter().map(|r| r.to_vec()).collect();
                super::page::keep_words(&mut table, &FLEET_HEADER, &texts, options.width);
                for row in rows {
                    let tone = match row[5].as_str() {
                        "fails" => Some(Color::Red),
                        "partial" => Some(Color::Yellow),
                        _ => None,
                    };
                    table.add_row(row.iter().enumerate().map(|(i, text)| match tone {
                        Some(c) if i == 5 => Cell::new(text).fg(c),
                        _ => Cell::new(text),
                    }));
                }
                for line in table.to_string().lines() {
                    writeln!(out, "  {line}")?;
                }
                writeln!(out, "  {}", fleet_totals_line(f))?;
                writeln!(out, "  {}", fleet_protocol_line(f))?;
                for w in &f.warnings {
                    let text = format!("warning: {w}");
                    writeln!(out, "  {}", paint(&text, Tone::Warn, options.color))?;
                }
            }
            for a in &g.assumptions {
                let text = format!("[{}]: {}", a.code, a.text);
                for line in wrap("  assumption ", "    ", &text, options.width) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        render_findings_text(report, options, out)
    }
}

/// "capacity (VpnGw2AZ): IkeV2 127 clients (pool), SSTP 127 clients (pool)"
fn capacity_line(g: &GatewayReport) -> Option<String> {
    let c = g.capacity.as_ref()?;
    let sku = c
        .effective_sku
        .as_deref()
        .or(c.sku.as_deref())
        .unwrap_or("SKU unknown");
    let protocols: Vec<String> = c
        .protocols
        .iter()
        .map(|p| {
            let expected = p
                .expected
                .map(|e| format!(", {e} expected"))
                .unwrap_or_default();
            format!(
                "{} {} clients ({}{expected})",
                p.protocol, p.max_clients, p.binding
            )
        })
        .collect();
    Some(format!("capacity ({sku}): {}", protocols.join(", ")))
}

/// "users unable to connect: 25% (over limit: windows-ikev2-legacy 15%; not offered: openvpn 10%)"
fn population_line(g: &GatewayReport) -> Option<String> {
    let p = g.population.as_ref()?;
    let shares = |list: &[p2s_sim::verdicts::population::Share]| {
        list.iter()
            .map(|s| format!("{} {}%", s.client, s.percent))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !p.over_limit.is_empty() {
        parts.push(format!("over limit: {}", shares(&p.over_limit)));
    }
    if !p.not_offered.is_empty() {
        parts.push(format!("not offered: {}", shares(&p.not_offered)));
    }
    if let Some(list) = p.fails.as_ref().filter(|l| !l.is_empty()) {
        parts.push(format!("fails: {}", shares(list)));
    }
    if let Some(list) = p.falls_back.as_ref().filter(|l| !l.is_empty()) {
        parts.push(format!("falls back to SSTP: {}", shares(list)));
    }
    let detail = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    };
    Some(format!(
        "users unable to connect: {}%{detail}",
        p.unable_to_connect
    ))
}

fn render_findings_text(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    if report.findings.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Findings ({}):", report.findings.len())?;
    for f in &report.findings {
        let tone = match f.severity.as_str() {
            "error" => Tone::Bad,
            "warning" => Tone::Warn,
            _ => Tone::Plain,
        };
        let text = format!(
            "{} [{}]: {} (source: {})",
            f.code, f.subject, f.message, f.source
        );
        let first = format!("  {} ", f.severity);
        for (i, line) in wrap(&first, "    ", &text, options.width)
            .into_iter()
            .enumerate()
        {
            // Colour the severity word only (wrapping counted it uncoloured).
            let line = if i == 0 {
                line.replacen(
                    f.severity.as_str(),
                    &paint(f.severity.as_str(), tone, options.color),
                    1,
                )
            } else {
                line
            };
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

struct CsvOut;

/// The CSV columns, in order. New columns are only ever added at the end.
const CSV_COLUMNS: [&str; 27] = client_table(
    "record",
    [
        "routes",
        "reachable_count",
        "manual_route_count",
        "manual_routes",
        "code",
        "severity",
        "subject",
        "message",
        "source",
        "verdict",
        "reasons",
        "fallback",
        "group",
        "os",
        "version",
        "app",
        "devices",
        "via",
        "needs",
    ],
);

/// One table, one row per record: `client` rows (a gateway and client kind; `message` and
/// `source` carry the verdict's reasons), and per gateway
/// its `assumption`, `capacity`, `population`, `fleet` (one per device group) and `fleet-totals`
/// rows, then `finding` rows, a `no-p2s` row per gateway without P2S and one `summary` row (the
/// verdict at a glance). The `record` column says which; columns a record does not use are
/// empty.
impl CsvOut {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut csv = CsvRows::new(out);
        csv.row(CSV_COLUMNS)?;
        let list = |l: &Option<PrefixList>| l.as_ref().map(|v| v.join(" ")).unwrap_or_default();
        let mut row = |fields: &[(&str, String)]| csv.named_row(&CSV_COLUMNS, fields);
        for g in &report.gateways {
            let at = |record: &str| {
                vec![
                    ("record", record.to_string()),
                    ("gateway", g.name.clone()),
                    ("vnet", g.vnet.clone()),
                ]
            };
            for c in &g.clients {
                let mut f = vec![("record", "client".to_string())];
                f.extend(client_fields(g, c));
                f.extend([
                    ("routes", list(&c.routes)),
                    ("reachable_count", c.reachable_count.to_string()),
                    ("manual_route_count", c.manual_route_count.to_string()),
                    ("manual_routes", list(&c.manual_routes)),
                    (
                        "verdict",
                        c.verdict
                            .map(|v| v.as_str().to_string())
                            .unwrap_or_default(),
                    ),
                    (
                        "reasons",
                        c.reasons
                            .iter()
                            .flatten()
                            .map(|r| r.code.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    ("fallback", c.fallback.clone().flatten().unwrap_or_default()),
                    (
                        "message",
                        c.reasons
                            .iter()
                            .flatten()
                            .map(|r| format!("{}: {}", r.code, r.text))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    (
                        "source",
                        c.reasons
                            .iter()
                            .flatten()
                            .map(|r| r.source)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                ]);
                row(&f)?;
            }
            for a in &g.assumptions {
                let mut f = at("assumption");
                f.extend([("code", a.code.clone()), ("message", a.text.clone())]);
                row(&f)?;
            }
            if let Some(line) = capacity_line(g) {
                let mut f = at("capacity");
                f.push(("message", line));
                row(&f)?;
            }
            if let Some(line) = population_line(g) {
                let mut f = at("population");
                f.push(("message", line));
                row(&f)?;
            }
            if let Some(fleet) = &g.fleet {
                for gr in &fleet.groups {
                    let mut f = at("fleet");
                    f.extend([
                        ("client", gr.client.clone().unwrap_or_default()),
                        ("route_count", gr.route_count.to_string()),
                        ("manual_route_count", gr.manual_route_count.to_string()),
                        ("message", gr.reason_texts.join("; ")),
                        ("verdict", gr.verdict.as_str().to_string()),
                        (
                            "reasons",
                            gr.reasons
                                .iter()
                                .map(|r| r.as_str())
                                .collect::<Vec<_>>()
                                .join(" "),
                        ),
                        ("group", gr.group.clone()),
                        ("os", gr.os.clone()),
                        ("version", gr.version.clone()),
                        ("app", gr.app.clone()),
                        ("devices", gr.devices.to_string()),
                        ("via", gr.via.clone().unwrap_or_default()),
                        ("needs", gr.needs.join("; ")),
                    ]);
                    row(&f)?;
                }
                let mut f = at("fleet-totals");
                let mut message = format!(
                    "{}; {}",
                    fleet_totals_line(fleet),
                    fleet_protocol_line(fleet)
                );
                for w in &fleet.warnings {
                    message.push_str("; warning: ");
                    message.push_str(w);
                }
                f.push(("message", message));
                row(&f)?;
            }
        }
        for fd in &report.findings {
            row(&[
                ("record", "finding".to_string()),
                ("code", fd.code.clone()),
                ("severity", fd.severity.to_string()),
                ("subject", fd.subject.clone()),
                ("message", fd.message.clone()),
                ("source", fd.source.clone()),
            ])?;
        }
        for name in &report.gateways_without_p2s {
            row(&[
                ("record", "no-p2s".to_string()),
                ("gateway", name.clone()),
                ("message", "no P2S configuration".to_string()),
            ])?;
        }
        row(&[
            ("record", "summary".to_string()),
            ("message", report.summary()),
        ])?;
        csv.finish()
    }
}

struct MarkdownOut;

impl MarkdownOut {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "**{}**", report.summary())?;
        if let Some(line) = report.without_p2s_line() {
            writeln!(out)?;
            writeln!(out, "{line}")?;
        }
        if report.gateways.is_empty() {
            writeln!(out)?;
            writeln!(out, "No gateway with a point-to-site configuration.")?;
        }
        for g in &report.gateways {
            writeln!(out)?;
            writeln!(out, "## Gateway `{}` (VNet `{}`)", g.name, g.vnet)?;
            writeln!(out)?;
            writeln!(out, "- pool: {}", pool_line(g))?;
            writeln!(
                out,
                "- advertised ({}): {}",
                g.advertised_count,
                list_or_count(&g.advertised, g.advertised_count)
            )?;
            writeln!(out)?;
            writeln!(
                out,
                "| client | selectors / limit | status | verdict | routes installed | manual routes |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for c in &g.clients {
                let st = if !c.check.is_over() {
                    "ok".to_string()
                } else {
                    format!("**{}**", c.check.status)
                };
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    c.client,
                    selectors(c),
                    st,
                    verdict_cell(c),
                    c.route_count,
                    list_or_count(&c.manual_routes, c.manual_route_count)
                )?;
            }
            let reasons = reason_lines(g);
            if !reasons.is_empty() {
                writeln!(out)?;
                for line in &reasons {
                    writeln!(out, "- why {line}")?;
                }
            }
            if capacity_line(g).is_some() || population_line(g).is_some() {
                writeln!(out)?;
            }
            if let Some(line) = capacity_line(g) {
                writeln!(out, "- {line}")?;
            }
            if let Some(line) = population_line(g) {
                writeln!(out, "- {line}")?;
            }
            if let Some(f) = &g.fleet {
                writeln!(out)?;
                writeln!(out, "| {} |", FLEET_HEADER.join(" | "))?;
                writeln!(out, "|{}", "---|".repeat(FLEET_HEADER.len()))?;
                for row in fleet_rows(f) {
                    writeln!(out, "| {} |", row.join(" | "))?;
                }
                writeln!(out)?;
                writeln!(out, "- {}", fleet_totals_line(f))?;
                writeln!(out, "- {}", fleet_protocol_line(f))?;
                for w in &f.warnings {
                    writeln!(out, "- warning: {w}")?;
                }
            }
            if !g.assumptions.is_empty() {
                writeln!(out)?;
                for a in &g.assumptions {
                    writeln!(out, "- assumption `{}`: {}", a.code, a.text)?;
                }
            }
        }
        if !report.findings.is_empty() {
            writeln!(out)?;
            writeln!(out, "## Findings")?;
            writeln!(out)?;
            writeln!(out, "| severity | code | subject | message | source |")?;
            writeln!(out, "|---|---|---|---|---|")?;
            for f in &report.findings {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    f.severity, f.code, f.subject, f.message, f.source
                )?;
            }
        }
        Ok(())
    }
}
