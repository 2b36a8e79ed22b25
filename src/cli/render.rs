//! Output formats, behind one trait: a person reads `table` and `markdown`, a program `json` and
//! `csv`. Every format shows the same facts, findings included.

use std::io::{self, Write};

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use p2s_sim::report::{ClientReport, GatewayReport, Report};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One block per gateway, for people.
    Table,
    /// The full report as one JSON document.
    Json,
    /// One row per gateway and client.
    Csv,
    /// Like table, as Markdown (for pull requests and wikis).
    Markdown,
}

pub trait Render {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

impl Format {
    pub fn renderer(self) -> Box<dyn Render> {
        match self {
            Format::Table => Box::new(TableOut),
            Format::Json => Box::new(JsonOut),
            Format::Csv => Box::new(CsvOut),
            Format::Markdown => Box::new(MarkdownOut),
        }
    }
}

fn list_or_count(list: &Option<Vec<String>>, count: usize) -> String {
    match list {
        Some(items) if items.is_empty() => "-".to_string(),
        Some(items) => items.join(" "),
        None => format!("({count} prefixes; --full lists them)"),
    }
}

fn selectors(c: &ClientReport) -> String {
    match (c.selectors, c.limit) {
        (Some(n), Some(max)) => format!("{n} / {max}"),
        (Some(n), None) => n.to_string(),
        _ => "n/a".to_string(),
    }
}

fn status(c: &ClientReport) -> &str {
    if c.status == "ok" {
        "ok"
    } else {
        "OVER LIMIT"
    }
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

struct TableOut;

impl Render for TableOut {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        if report.gateways.is_empty() {
            writeln!(out, "No gateway with a point-to-site configuration.")?;
        }
        for (i, g) in report.gateways.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "Gateway {} (VNet {})", g.name, g.vnet)?;
            writeln!(out, "  pool:       {}", pool_line(g))?;
            writeln!(
                out,
                "  advertised: {} prefixes: {}",
                g.advertised_count,
                list_or_count(&g.advertised, g.advertised_count)
            )?;
            let mut table = Table::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(vec![
                    "client",
                    "selectors / limit",
                    "status",
                    "routes installed",
                    "manual routes",
                ]);
            for c in &g.clients {
                let status_cell = if c.status == "ok" {
                    Cell::new(status(c))
                } else {
                    Cell::new(status(c)).fg(Color::Red)
                };
                table.add_row(vec![
                    Cell::new(&c.client),
                    Cell::new(selectors(c)),
                    status_cell,
                    Cell::new(c.route_count),
                    Cell::new(list_or_count(&c.manual_routes, c.manual_route_count)),
                ]);
            }
            table.force_no_tty();
            for line in table.to_string().lines() {
                writeln!(out, "  {line}")?;
            }
            if let Some(c) = g.clients.first() {
                writeln!(
                    out,
                    "  reachable:  {} prefixes: {}",
                    c.reachable_count,
                    list_or_count(&c.reachable, c.reachable_count)
                )?;
            }
            if let Some(line) = capacity_line(g) {
                writeln!(out, "  {line}")?;
            }
            if let Some(line) = population_line(g) {
                writeln!(out, "  {line}")?;
            }
            for a in &g.assumptions {
                writeln!(out, "  assumption [{}]: {}", a.code, a.text)?;
            }
        }
        render_findings_text(report, out)
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
    let shares = |list: &[p2s_sim::population::Share]| {
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

fn render_findings_text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.findings.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Findings ({}):", report.findings.len())?;
    for f in &report.findings {
        writeln!(
            out,
            "  {} {} [{}]: {} (source: {})",
            f.severity, f.code, f.subject, f.message, f.source
        )?;
    }
    Ok(())
}

struct JsonOut;

impl Render for JsonOut {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)
    }
}

struct CsvOut;

pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One table, one row per record: `client` rows (a gateway and client kind), and per gateway
/// its `assumption`, `capacity` and `population` rows, then `finding` rows. The `record` column
/// says which; columns a record does not use are empty.
impl Render for CsvOut {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "record,gateway,vnet,client,selectors,limit,status,route_count,routes,reachable_count,manual_route_count,manual_routes,code,severity,subject,message,source"
        )?;
        let opt = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
        let list = |l: &Option<Vec<String>>| l.as_ref().map(|v| v.join(" ")).unwrap_or_default();
        let mut row = |fields: [&str; 17]| -> io::Result<()> {
            let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            writeln!(out, "{}", fields.join(","))
        };
        for g in &report.gateways {
            for c in &g.clients {
                row([
                    "client",
                    &g.name,
                    &g.vnet,
                    &c.client,
                    &opt(c.selectors),
                    &opt(c.limit),
                    &c.status,
                    &c.route_count.to_string(),
                    &list(&c.routes),
                    &c.reachable_count.to_string(),
                    &c.manual_route_count.to_string(),
                    &list(&c.manual_routes),
                    "",
                    "",
                    "",
                    "",
                    "",
                ])?;
            }
            for a in &g.assumptions {
                row([
                    "assumption",
                    &g.name,
                    &g.vnet,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    &a.code,
                    "",
                    "",
                    &a.text,
                    "",
                ])?;
            }
            if let Some(line) = capacity_line(g) {
                row([
                    "capacity", &g.name, &g.vnet, "", "", "", "", "", "", "", "", "", "", "", "",
                    &line, "",
                ])?;
            }
            if let Some(line) = population_line(g) {
                row([
                    "population",
                    &g.name,
                    &g.vnet,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    &line,
                    "",
                ])?;
            }
        }
        for f in &report.findings {
            row([
                "finding",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                &f.code,
                &f.severity,
                &f.subject,
                &f.message,
                &f.source,
            ])?;
        }
        Ok(())
    }
}

struct MarkdownOut;

impl Render for MarkdownOut {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        if report.gateways.is_empty() {
            writeln!(out, "No gateway with a point-to-site configuration.")?;
        }
        for (i, g) in report.gateways.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
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
                "| client | selectors / limit | status | routes installed | manual routes |"
            )?;
            writeln!(out, "|---|---|---|---|---|")?;
            for c in &g.clients {
                let st = if c.status == "ok" {
                    "ok".to_string()
                } else {
                    "**OVER LIMIT**".to_string()
                };
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    c.client,
                    selectors(c),
                    st,
                    c.route_count,
                    list_or_count(&c.manual_routes, c.manual_route_count)
                )?;
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
