//! `p2s-sim review`: what a change from the pipeline (a Terraform plan, an ARM what-if, or two
//! sets of exports) does to every P2S client, for people (table), CI (json, `--check`) and
//! pull-request comments (markdown).

use std::io::{self, Write};
use std::path::PathBuf;

use p2s_sim::model::Topology;
use p2s_sim::plan::review::{self, ChangeKind, Context, ReachChange, Review};
use p2s_sim::verdicts::population::Population;

use super::analysis_args::AnalysisArgs;
use super::input_args;
use super::output::{format_subset, pretty_json, render, Rendered};
use super::page::{markdown_cell, Page, Style};
use super::{read_source, CmdResult, Exit, Failure};

format_subset! {
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
#[command(mut_arg("check", |a| a.help(
    "Exit with code 1 when the change makes something worse: a client kind or device group \
     that connected no longer does (as well), or a new error finding (a new warning too, with \
     --deny warnings)"
)))]
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
    #[command(flatten)]
    analysis: AnalysisArgs,
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
        let i = &args.analysis.input;
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
    let before = input_args::load_full(&args.analysis.input, &args.before, Some(as_of))?;
    let after = input_args::load_full(&args.analysis.input, &args.after, Some(as_of))?;
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

pub fn run(args: &ReviewArgs, out: &mut dyn Write) -> CmdResult {
    let options = args.analysis.findings.options()?;
    let population: Option<Population> = args.analysis.clients.population.clone();
    let fleet = args.analysis.fleet.load()?;
    let (before, after, prov) = match load_change(args, options.as_of)? {
        Ok(sides) => sides,
        Err(prov) => {
            let summary = format!(
                "nothing to review: every P2S-relevant resource in {} is unknown until apply \
                 (no guess made); review again after apply (--before/--after on the state), or \
                 give those resources names known at plan time",
                prov.files.join(", ")
            );
            render(
                &UnknownOut {
                    summary: &summary,
                    prov: &prov,
                },
                args.format,
                out,
            )?;
            out.flush()?;
            return Ok(Exit::Fine.into());
        }
    };
    let ctx = Context {
        options: &options,
        fleet: fleet.as_ref(),
        population: population.as_ref(),
        limit: args.analysis.lists.limit(),
        deny_warnings: args.analysis.check.deny_warnings(),
    };
    let result = review::review(&before, &after, &ctx);
    let output = ReviewOut {
        review: &result,
        prov: &prov,
    };
    render(&output, args.format, out)?;
    out.flush()?;
    Ok(if args.analysis.check.gates() && !result.worse.is_empty() {
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

/// A list section: `heading` then one item per line, after a blank line on the terminal;
/// nothing when there are no items. Items are text, not markup (escaped in Markdown).
fn section(page: &mut Page, heading: &str, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    page.gap()?;
    page.list(heading, items)
}

/// What `review` prints: the review and where the change came from.
struct ReviewOut<'a> {
    review: &'a Review,
    prov: &'a Provenance,
}

impl Rendered for ReviewOut<'_> {
    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        let document = ReviewJson {
            review: self.review,
            change: ChangeJson::of(self.prov),
        };
        pretty_json(&document, out)
    }

    fn html(&self, out: &mut dyn Write) -> io::Result<()> {
        let prov = self.prov;
        let source = super::html::ReviewSource {
            from: prov.from(),
            actions: prov.action_lines(),
            assumptions: &prov.assumptions,
        };
        out.write_all(super::html::review_document(self.review, &source).as_bytes())
    }

    fn page(&self, page: &mut Page) -> io::Result<()> {
        let (r, prov) = (self.review, self.prov);
        let from = prov.from();
        match page.style() {
            Style::Terminal => {
                page.line(&r.summary)?;
                page.gap()?;
                page.line(&format!("Change: {from}"))?;
            }
            Style::Markdown => {
                page.line(&format!(
                    "**p2s-sim review:** {}",
                    markdown_cell(&r.summary)
                ))?;
                page.line(&format!("_{}_", markdown_cell(&from)))?;
            }
        }
        section(page, "Resources changed", &prov.action_lines())?;
        section(page, "What makes --check fail", &r.worse)?;
        section(page, "What gets better", &r.better)?;
        for g in &r.comparison.gateways {
            let header = super::whatif::comparison_header(true);
            let rows: Vec<Vec<String>> = g
                .clients
                .iter()
                .map(|c| super::whatif::comparison_row(c, true))
                .collect();
            page.gap()?;
            page.heading(&super::whatif::gateway_heading(g))?;
            page.table(&header, &rows)?;
            for line in super::whatif::package_lines(g) {
                page.item(&line)?;
            }
            page.end_list()?;
        }
        let verdicts: Vec<String> = r.verdict_changes.iter().map(|v| v.line("->")).collect();
        section(page, "Verdict changes", &verdicts)?;
        let finding = |f: &p2s_sim::report::FindingReport| {
            format!("{} {} {}: {}", f.severity, f.code, f.subject, f.message)
        };
        section(
            page,
            "Findings added",
            &r.findings_added.iter().map(finding).collect::<Vec<_>>(),
        )?;
        section(
            page,
            "Findings removed",
            &r.findings_removed.iter().map(finding).collect::<Vec<_>>(),
        )?;
        let reach: Vec<String> = r.reachability.iter().map(ReachChange::line).collect();
        section(page, "Reachability", &reach)?;
        if let Some(changes) = &r.fleet_changes {
            let items: Vec<String> = changes.iter().map(|c| c.line("->")).collect();
            if items.is_empty() {
                page.gap()?;
                page.line("No device group changes verdict or tunnel type.")?;
            } else {
                section(page, "Device groups that change", &items)?;
            }
        }
        section(page, "Assumptions", &prov.assumptions)
    }
}

/// What `review` prints when every value of the plan is unknown until apply: nothing to
/// review yet, and why.
struct UnknownOut<'a> {
    summary: &'a str,
    prov: &'a Provenance,
}

impl Rendered for UnknownOut<'_> {
    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        let document = UnknownJson {
            summary: self.summary,
            all_unknown: true,
            change: ChangeJson::of(self.prov),
        };
        pretty_json(&document, out)
    }

    fn html(&self, out: &mut dyn Write) -> io::Result<()> {
        let html = super::html::review_unknown_document(self.summary, &self.prov.assumptions);
        out.write_all(html.as_bytes())
    }

    // The same lines in both styles: a sentence and its assumptions.
    fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.summary)?;
        for a in &self.prov.assumptions {
            writeln!(out, "- {a}")?;
        }
        Ok(())
    }

    fn markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        self.table(out)
    }
}
