//! `p2s-sim review`: what a change from the pipeline (a Terraform plan, an ARM what-if, or two
//! sets of exports) does to every P2S client, for people (table), CI (json, `--check`) and
//! pull-request comments (markdown).

use std::io::Write;
use std::path::PathBuf;

use comfy_table::{presets, Table};

use p2s_sim::model::Topology;
use p2s_sim::plan::review::{self, ChangeKind, Context, ReachChange, Review};
use p2s_sim::plan::whatif::ClientSide;
use p2s_sim::report::ListLimit;
use p2s_sim::verdicts::population::Population;

use super::clients_args::ClientsArgs;
use super::findings_args::{Deny, FindingArgs};
use super::fleet_args::FleetArgs;
use super::input_args::{self, InputArgs};
use super::page::markdown_cell;
use super::{read_source, stdout_writer, CmdResult, Exit, Failure};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// Blocks and tables, for people.
    Table,
    /// The whole review as one JSON document.
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// A self-contained HTML page with before/after bars, to share or attach.
    Html,
}

/// Review a change before it is made: what a Terraform plan, an ARM/Bicep what-if or two sets
/// of exports change for every P2S client.
///
/// The first line is a one-line summary; then, per gateway and client kind, selectors, status
/// and verdict before and after, routes added and removed, who must re-download the VPN client
/// package and which package files go stale; verdict changes, findings added and removed,
/// reachability lost or gained, and device groups whose verdict changes (--fleet).
///
/// --check exits 1 when the change makes something worse: a client kind or device group that
/// connected no longer does (as well), or a new error finding (a new warning with --deny
/// warnings). Pin --as-of in CI so that dated rules do not change the answer overnight.
///
/// Examples:
///   terraform show -json plan.out > plan.json && p2s-sim review plan.json --check --as-of 2026-12-01
///   az deployment group what-if -g rg -f main.bicep --no-pretty-print -o json > whatif.json
///   p2s-sim review whatif.json --format markdown > comment.md
///   p2s-sim review --before export-2026-11.json --after export-2026-12.json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ReviewArgs {
    /// A Terraform plan JSON or an ARM what-if JSON (`-` reads standard input).
    #[arg(value_name = "CHANGE", conflicts_with_all = ["before", "after"], required_unless_present_all = ["before", "after"])]
    change: Option<PathBuf>,
    /// The files of the network before (any input format; several form one topology).
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "after")]
    before: Vec<PathBuf>,
    /// The files of the network after.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "before")]
    after: Vec<PathBuf>,
    #[arg(long, value_enum, ignore_case = true, default_value_t = ReviewFormat::Table)]
    format: ReviewFormat,
    /// Exit with code 1 when the change makes something worse.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    clients: ClientsArgs,
    /// Lists longer than this are shown as a count only.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    list_limit: usize,
    #[command(flatten)]
    findings: FindingArgs,
    #[command(flatten)]
    fleet: FleetArgs,
    #[command(flatten)]
    input: InputArgs,
}

/// Where the two sides came from, and what the user should know about how they were read.
struct Provenance {
    kind: ChangeKind,
    files: Vec<String>,
    actions: Vec<(String, String)>,
    assumptions: Vec<String>,
}

fn load_change(
    args: &ReviewArgs,
    as_of: p2s_sim::verdicts::findings::Date,
) -> Result<Result<(Topology, Topology, Provenance), Provenance>, Failure> {
    if let Some(path) = &args.change {
        let i = &args.input;
        if i.input_format.is_some() || !i.parameters.is_empty() || !i.params.is_empty() {
            return Err(Failure(format!(
                "{}: --input-format, --parameters and --param apply to --before/--after files; \
                 a change file is detected as a Terraform plan or an ARM what-if by its content",
                path.display()
            )));
        }
        let source = read_source(path)?;
        let change = review::read_change(&source)?;
        let mut prov = Provenance {
            kind: change.kind,
            files: vec![source.name.clone()],
            actions: change.actions,
            assumptions: change.assumptions,
        };
        if change.all_unknown {
            return Ok(Err(prov));
        }
        let (before, wb) = review::load_side(&change.before, Some(as_of))?;
        let (after, wa) = review::load_side(&change.after, Some(as_of))?;
        prov.assumptions.extend(wb);
        prov.assumptions.extend(wa);
        return Ok(Ok((before, after, prov)));
    }
    let before = input_args::load_full(&args.input, &args.before, Some(as_of))?;
    let after = input_args::load_full(&args.input, &args.after, Some(as_of))?;
    let files = args
        .before
        .iter()
        .chain(&args.after)
        .map(|p| p.display().to_string())
        .collect();
    Ok(Ok((
        before.topology,
        after.topology,
        Provenance {
            kind: ChangeKind::Exports,
            files,
            actions: Vec::new(),
            assumptions: Vec::new(),
        },
    )))
}

pub fn run(args: &ReviewArgs) -> CmdResult {
    let options = args.findings.options()?;
    let population: Option<Population> = args.clients.population.clone();
    let fleet = args.fleet.load()?;
    let mut out = stdout_writer();
    let (before, after, prov) = match load_change(args, options.as_of)? {
        Ok(sides) => sides,
        Err(prov) => {
            let summary = format!(
                "nothing to review: every P2S-relevant resource in {} is unknown until apply \
                 (no guess made); review again after apply (--before/--after on the state), or \
                 give those resources names known at plan time",
                prov.files.join(", ")
            );
            match args.format {
                ReviewFormat::Json => {
                    let document = UnknownJson {
                        summary: &summary,
                        all_unknown: true,
                        change: ChangeJson::of(&prov),
                    };
                    serde_json::to_writer_pretty(&mut out, &document)?;
                    writeln!(out)?;
                }
                ReviewFormat::Html => out.write_all(
                    super::html::review_unknown_document(&summary, &prov.assumptions).as_bytes(),
                )?,
                ReviewFormat::Table | ReviewFormat::Markdown => {
                    writeln!(out, "{summary}")?;
                    for a in &prov.assumptions {
                        writeln!(out, "- {a}")?;
                    }
                }
            }
            out.flush()?;
            return Ok(Exit::Fine.into());
        }
    };
    let ctx = Context {
        options: &options,
        fleet: fleet.as_ref(),
        population: population.as_ref(),
        limit: ListLimit(Some(args.list_limit)),
        deny_warnings: args.findings.deny == Some(Deny::Warnings),
    };
    let result = review::review(&before, &after, &ctx);
    match args.format {
        ReviewFormat::Json => {
            let document = ReviewJson {
                review: &result,
                change: ChangeJson::of(&prov),
            };
            serde_json::to_writer_pretty(&mut out, &document)?;
            writeln!(out)?;
        }
        ReviewFormat::Table => render(&mut out, &result, &prov, false)?,
        ReviewFormat::Html => {
            let source = super::html::ReviewSource {
                from: prov.from(),
                actions: prov.action_lines(),
                assumptions: &prov.assumptions,
            };
            out.write_all(super::html::review_document(&result, &source).as_bytes())?;
        }
        ReviewFormat::Markdown => render(&mut out, &result, &prov, true)?,
    }
    out.flush()?;
    let gate = args.check || args.findings.deny.is_some();
    Ok(if gate && !result.worse.is_empty() {
        Exit::Findings.into()
    } else {
        Exit::Fine.into()
    })
}

impl Provenance {
    /// "Terraform plan plan.json": what the change is and its files.
    fn from(&self) -> String {
        format!("{} {}", self.kind.describe(), self.files.join(", "))
    }

    /// "update azurerm_virtual_network.hub", one per changed resource.
    fn action_lines(&self) -> Vec<String> {
        self.actions
            .iter()
            .map(|(res, a)| format!("{a} {res}"))
            .collect()
    }
}

/// The JSON shape of `review`: the review's fields, then what the change was.
#[derive(serde::Serialize)]
struct ReviewJson<'a> {
    #[serde(flatten)]
    review: &'a Review,
    change: ChangeJson<'a>,
}

/// The JSON of a plan whose every value is unknown: nothing to review yet.
#[derive(serde::Serialize)]
struct UnknownJson<'a> {
    summary: &'a str,
    all_unknown: bool,
    change: ChangeJson<'a>,
}

#[derive(serde::Serialize)]
struct ChangeJson<'a> {
    kind: &'a ChangeKind,
    files: &'a [String],
    resources: Vec<ResourceAction<'a>>,
    assumptions: &'a [String],
}

#[derive(serde::Serialize)]
struct ResourceAction<'a> {
    resource: &'a str,
    action: &'a str,
}

impl<'a> ChangeJson<'a> {
    fn of(prov: &'a Provenance) -> ChangeJson<'a> {
        ChangeJson {
            kind: &prov.kind,
            files: &prov.files,
            resources: prov
                .actions
                .iter()
                .map(|(resource, action)| ResourceAction { resource, action })
                .collect(),
            assumptions: &prov.assumptions,
        }
    }
}

/// A list section: `heading` then one item per line (`-` bullets in Markdown, indented else).
fn section(out: &mut dyn Write, md: bool, heading: &str, items: &[String]) -> std::io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    if md {
        writeln!(out, "\n### {heading}\n")?;
        for i in items {
            writeln!(out, "- {}", markdown_cell(i))?;
        }
    } else {
        writeln!(out, "\n{heading}:")?;
        for i in items {
            writeln!(out, "  {i}")?;
        }
    }
    Ok(())
}

fn side_text(s: &Option<ClientSide>) -> (String, String, String) {
    match s {
        None => ("absent".into(), "absent".into(), "absent".into()),
        Some(s) => (
            match (s.selectors, s.limit) {
                (Some(n), Some(l)) => format!("{n} / {l}"),
                (Some(n), None) => n.to_string(),
                _ => "n/a".into(),
            },
            s.status.clone(),
            s.verdict.clone().unwrap_or_else(|| "-".into()),
        ),
    }
}

fn render(out: &mut dyn Write, r: &Review, prov: &Provenance, md: bool) -> std::io::Result<()> {
    if md {
        writeln!(out, "**p2s-sim review:** {}", markdown_cell(&r.summary))?;
    } else {
        writeln!(out, "{}", r.summary)?;
    }
    let from = prov.from();
    if md {
        writeln!(out, "\n_{}_", markdown_cell(&from))?;
    } else {
        writeln!(out, "\nChange: {from}")?;
    }
    section(out, md, "Resources changed", &prov.action_lines())?;
    section(out, md, "What makes --check fail", &r.worse)?;
    section(out, md, "What gets better", &r.better)?;
    for g in &r.comparison.gateways {
        let count = |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
        let head = format!(
            "Gateway {}: advertised {} -> {}",
            g.name,
            count(g.advertised_before),
            count(g.advertised_after)
        );
        let header = [
            "client",
            "selectors before",
            "after",
            "status before",
            "after",
            "verdict before",
            "after",
            "routes +/-",
        ];
        let rows: Vec<Vec<String>> = g
            .clients
            .iter()
            .map(|c| {
                let (sb, stb, vb) = side_text(&c.before);
                let (sa, sta, va) = side_text(&c.after);
                vec![
                    c.client.clone(),
                    sb,
                    sa,
                    stb,
                    sta,
                    vb,
                    va,
                    format!("+{} -{}", c.routes_added_count, c.routes_removed_count),
                ]
            })
            .collect();
        if md {
            writeln!(out, "\n### {}\n", markdown_cell(&head))?;
            writeln!(out, "| {} |", header.join(" | "))?;
            writeln!(out, "|{}", "---|".repeat(header.len()))?;
            for row in &rows {
                let cells: Vec<String> = row.iter().map(|c| markdown_cell(c)).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
            writeln!(out)?;
        } else {
            writeln!(out, "\n{head}")?;
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED)
                .set_header(header.to_vec());
            t.force_no_tty();
            for row in rows {
                t.add_row(row);
            }
            for line in t.to_string().lines() {
                writeln!(out, "  {line}")?;
            }
        }
        let bullet = if md { "- " } else { "  " };
        for line in super::whatif::package_lines(g) {
            writeln!(out, "{bullet}{line}")?;
        }
    }
    let verdicts: Vec<String> = r
        .verdict_changes
        .iter()
        .map(|v| format!("{} {}: {} -> {}", v.gateway, v.client, v.before, v.after))
        .collect();
    section(out, md, "Verdict changes", &verdicts)?;
    let finding = |f: &p2s_sim::report::FindingReport| {
        format!("{} {} {}: {}", f.severity, f.code, f.subject, f.message)
    };
    section(
        out,
        md,
        "Findings added",
        &r.findings_added.iter().map(finding).collect::<Vec<_>>(),
    )?;
    section(
        out,
        md,
        "Findings removed",
        &r.findings_removed.iter().map(finding).collect::<Vec<_>>(),
    )?;
    let reach: Vec<String> = r.reachability.iter().map(ReachChange::line).collect();
    section(out, md, "Reachability", &reach)?;
    if let Some(changes) = &r.fleet_changes {
        let items: Vec<String> = changes.iter().map(|c| c.line("->")).collect();
        if items.is_empty() {
            writeln!(out, "\nNo device group changes verdict or tunnel type.")?;
        } else {
            section(out, md, "Device groups that change", &items)?;
        }
    }
    section(out, md, "Assumptions", &prov.assumptions)?;
    Ok(())
}
