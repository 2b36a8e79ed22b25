//! `p2s-sim batch`: many topologies at once, in parallel, one record each.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use comfy_table::{presets, Table};
use serde::Serialize;

use p2s_sim::report::batch::{self, Shard};
use p2s_sim::report::{findings_phrase, plural, Report};
use p2s_sim::verdicts::population::Population;

use super::analysis_args::AnalysisArgs;
use super::csv_client::{client_fields, client_table};
use super::csv_out::CsvRows;
use super::input_args;
use super::output::{format_subset, render, Rendered};
use super::page::{Page, Style};
use super::render::summary_tone;
use super::term::{paint, TermArgs, Tone};
use super::{CmdResult, Exit, Failure};
use p2s_sim::verdicts::findings::Severity;

format_subset! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
    pub enum BatchFormat {
        /// A summary line for the whole run, one line per topology and a summary table.
        Table,
        /// The same as Markdown: the summary line, a list item per topology, the totals table.
        Markdown,
        /// One JSON record per topology, written as each finishes (summary on stderr).
        Jsonl,
        /// One row per gateway and client (summary on stderr).
        Csv,
    }
}

/// Analyse many topologies in parallel, one record each.
///
/// Each FILE is one topology; each DIRECTORY is one topology made of all the files in it (as
/// `analyze` merges several files).
///
/// The table starts with one line for the whole run (topologies, how many have a client over
/// its limit, errors and warnings, unreadable topologies), then one line per topology (its
/// `analyze` summary), then the totals.
///
/// A topology that cannot be read gets an error record and the run goes on. Records come in
/// input order (directories expanded in name order) whatever --jobs is, unless --unordered.
/// Exit code: 2 if any input failed, 1 with --check if any topology fails the check `analyze
/// --check` makes (a client over its limit, an error finding; warnings too with --deny warnings),
/// else 0.
///
/// With --fleet, every topology is judged for the same device groups: the table line gives the
/// devices that connect / partially connect / fail per gateway, JSON Lines the whole `fleet`
/// of each gateway, CSV one totals row per gateway (the fleet_* columns).
///
/// Spread one batch over many machines with --shard I/N (I from 0 to N-1): every process takes
/// the same deterministic share of the inputs (every N-th in name order, whatever order the
/// shell lists them in), e.g. a Kubernetes indexed Job with
/// `--shard $JOB_COMPLETION_INDEX/8`, then `cat shard-*.jsonl > all.jsonl`.
///
/// Examples:
///   p2s-sim batch exports/*/ --format jsonl > results.jsonl
///   p2s-sim batch --jobs 2 --check tenants/
///   p2s-sim batch --shard 0/4 --format jsonl exports/*.json
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
#[command(mut_arg("check", |a| a.help(
    "Exit with code 1 when any topology fails what `analyze --check` checks: a client over its \
     limit or an error finding (or a warning, with --deny warnings)"
)))]
pub struct BatchArgs {
    /// Topology files or directories.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, ignore_case = true, default_value_t = BatchFormat::Table)]
    format: BatchFormat,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Write records as they finish instead of in input order.
    #[arg(long)]
    unordered: bool,
    /// Take only share I of N of the inputs (0-based), for job arrays across machines.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    #[command(flatten)]
    analysis: AnalysisArgs,
    #[command(flatten)]
    term: TermArgs,
}

struct Job {
    name: String,
    files: Vec<PathBuf>,
}

fn expand(paths: &[PathBuf]) -> Result<Vec<Job>, Failure> {
    let mut jobs = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Failure(format!("{name}: cannot list: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            files.sort();
            jobs.push(Job { name, files });
        } else {
            jobs.push(Job {
                name,
                files: vec![path.clone()],
            });
        }
    }
    Ok(jobs)
}

#[derive(Serialize)]
#[serde(untagged)]
enum Record<'a> {
    Ok {
        topology: &'a str,
        #[serde(flatten)]
        report: &'a Report,
    },
    Failed {
        topology: &'a str,
        error: &'a str,
    },
}

#[derive(Default)]
struct Summary {
    topologies: usize,
    failed: usize,
    gateways: usize,
    clients_over_limit: usize,
    topologies_over_limit: usize,
    /// Topologies that fail `--check` (over a limit, an error finding, or a warning with
    /// `--deny warnings`).
    topologies_failing_check: usize,
    error_findings: usize,
    warning_findings: usize,
}

impl Summary {
    /// The whole run at a glance: "3 topologies: 1 with a client over its limit; 2 errors,
    /// 1 warning; 1 unreadable", or "2 topologies: all clients within limits; no errors".
    fn line(&self) -> String {
        let read = self.topologies - self.failed;
        let mut parts = Vec::new();
        if self.topologies_over_limit > 0 {
            parts.push(format!(
                "{} with a client over its limit",
                self.topologies_over_limit
            ));
        } else if self.gateways > 0 {
            parts.push("all clients within limits".to_string());
        }
        if read > 0 {
            parts.push(findings_phrase(self.error_findings, self.warning_findings));
        }
        if self.failed > 0 {
            parts.push(format!("{} unreadable", self.failed));
        }
        format!(
            "{}: {}",
            plural(self.topologies, "topology", "topologies"),
            parts.join("; ")
        )
    }

    fn tone(&self) -> Tone {
        if self.topologies_over_limit > 0 || self.error_findings > 0 || self.failed > 0 {
            Tone::Bad
        } else if self.warning_findings > 0 {
            Tone::Warn
        } else {
            Tone::Plain
        }
    }

    const HEADER: [&'static str; 8] = [
        "topologies",
        "failed",
        "gateways",
        "clients over limit",
        "topologies over limit",
        "errors",
        "warnings",
        "topologies failing --check",
    ];

    fn row(&self) -> Vec<String> {
        [
            self.topologies,
            self.failed,
            self.gateways,
            self.clients_over_limit,
            self.topologies_over_limit,
            self.error_findings,
            self.warning_findings,
            self.topologies_failing_check,
        ]
        .iter()
        .map(|n| n.to_string())
        .collect()
    }

    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_header(Self::HEADER.to_vec())
            .add_row(self.row());
        t.force_no_tty();
        t
    }

    /// The totals as a Markdown table.
    fn markdown(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let header: Vec<String> = Self::HEADER.iter().map(|h| h.to_string()).collect();
        Page::new(out, Style::Markdown).table(&header, &[self.row()])
    }
}

/// The columns of `batch --format csv`, in order; new columns are only ever added at the end.
const BATCH_CSV_COLUMNS: [&str; 17] = client_table(
    "topology",
    [
        "error",
        "verdict",
        "fleet_connects",
        "fleet_partial",
        "fleet_fails",
        "finding_code",
        "finding_severity",
        "finding_subject",
        "finding_message",
    ],
);

/// What `batch` prints for one topology: its report, or why it could not be read.
struct RecordOut<'a> {
    name: &'a str,
    result: &'a Result<Report, String>,
    color: bool,
}

impl RecordOut<'_> {
    /// "; fleet devices hub-gw: 8 connect, 0 partial, 2 fail" (empty without --fleet).
    fn fleet_part(report: &Report) -> String {
        let fleet: Vec<String> = report
            .gateways
            .iter()
            .filter_map(|g| {
                g.fleet.as_ref().map(|f| {
                    format!(
                        "{}: {} connect, {} partial, {} fail",
                        g.name, f.totals.connects, f.totals.partial, f.totals.fails
                    )
                })
            })
            .collect();
        if fleet.is_empty() {
            String::new()
        } else {
            format!("; fleet devices {}", fleet.join("; "))
        }
    }
}

impl Rendered for RecordOut<'_> {
    /// The verdict at a glance, as the first line of `analyze`.
    fn table(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let (name, color) = (self.name, self.color);
        match self.result {
            Ok(report) => {
                let line = format!("{name}: {}{}", report.summary(), Self::fleet_part(report));
                writeln!(out, "{}", paint(&line, summary_tone(report), color))
            }
            Err(error) => writeln!(
                out,
                "{}",
                paint(&format!("{name}: FAILED: {error}"), Tone::Bad, color)
            ),
        }
    }

    fn markdown(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let name = self.name;
        match self.result {
            Ok(report) => writeln!(
                out,
                "- `{name}`: {}{}",
                report.summary(),
                Self::fleet_part(report)
            ),
            Err(error) => writeln!(out, "- `{name}`: **FAILED**: {error}"),
        }
    }

    fn jsonl(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let topology = self.name;
        let record = match self.result {
            Ok(report) => Record::Ok { topology, report },
            Err(error) => Record::Failed { topology, error },
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)
    }

    fn csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let name = self.name;
        let mut csv = CsvRows::new(out);
        let report = match self.result {
            Ok(report) => report,
            Err(error) => {
                csv.named_row(
                    &BATCH_CSV_COLUMNS,
                    &[
                        ("topology", name.to_string()),
                        ("status", "error".into()),
                        ("error", error.clone()),
                    ],
                )?;
                return csv.finish();
            }
        };
        for g in &report.gateways {
            for c in &g.clients {
                let mut f = vec![("topology", name.to_string())];
                f.extend(client_fields(g, c));
                f.push((
                    "verdict",
                    c.verdict.map(|v| v.as_str()).unwrap_or_default().into(),
                ));
                csv.named_row(&BATCH_CSV_COLUMNS, &f)?;
            }
            if let Some(f) = &g.fleet {
                csv.named_row(
                    &BATCH_CSV_COLUMNS,
                    &[
                        ("topology", name.to_string()),
                        ("gateway", g.name.clone()),
                        ("vnet", g.vnet.clone()),
                        ("fleet_connects", f.totals.connects.to_string()),
                        ("fleet_partial", f.totals.partial.to_string()),
                        ("fleet_fails", f.totals.fails.to_string()),
                    ],
                )?;
            }
        }
        // Findings, one row each (every format carries them).
        for f in &report.findings {
            csv.named_row(
                &BATCH_CSV_COLUMNS,
                &[
                    ("topology", name.to_string()),
                    ("finding_code", f.code.clone()),
                    ("finding_severity", f.severity.to_string()),
                    ("finding_subject", f.subject.clone()),
                    ("finding_message", f.message.clone()),
                ],
            )?;
        }
        csv.finish()
    }
}

/// What `batch --format table|markdown` prints once every record is in: the run at a glance
/// first, then the records (one line each), then the totals.
struct RunOut<'a> {
    summary: &'a Summary,
    records: &'a [u8],
    color: bool,
}

impl Rendered for RunOut<'_> {
    fn table(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let summary = self.summary;
        writeln!(
            out,
            "{}",
            paint(&summary.line(), summary.tone(), self.color)
        )?;
        out.write_all(self.records)?;
        writeln!(out)?;
        writeln!(out, "{}", summary.table())
    }

    fn markdown(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "**{}**\n", self.summary.line())?;
        out.write_all(self.records)?;
        writeln!(out)?;
        self.summary.markdown(out)
    }
}

/// What the summary needs from one analysed topology.
struct Counts {
    gateways: usize,
    over: usize,
    errors: usize,
    warnings: usize,
    fails_check: bool,
}

impl Counts {
    fn of(report: &Report, args: &BatchArgs) -> Counts {
        Counts {
            gateways: report.gateways.len(),
            over: report.over_limit_count(),
            errors: report.finding_count(Severity::Error),
            warnings: report.finding_count(Severity::Warning),
            fails_check: report.fails_check(args.analysis.check.deny_warnings()),
        }
    }
}

pub fn run(args: &BatchArgs, out: &mut dyn Write) -> CmdResult {
    let population: Option<Population> = args.analysis.clients.population.clone();
    let options = args.analysis.findings.options()?;
    let fleet = args.analysis.fleet.load()?;
    let mut jobs = expand(&args.paths)?;
    if let Some(shard) = args.shard {
        jobs = shard.pick(jobs, |job| job.name.clone());
    }
    let threads = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let limit = args.analysis.lists.limit();
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} topologies {elapsed}")
                .expect("valid template"),
        );
        bar
    });
    let color = args.term.options(false).color;
    // The table's first line sums up the whole run, so its records wait in memory (one line
    // each); JSON Lines and CSV stream.
    let mut table_lines: Vec<u8> = Vec::new();
    if args.format == BatchFormat::Csv {
        let mut csv = CsvRows::new(&mut *out);
        csv.row(BATCH_CSV_COLUMNS)?;
        csv.finish()?;
    }
    let mut summary = Summary::default();
    let mut pipe_closed = false;
    let mut write_error: Option<std::io::Error> = None;
    // Each worker also sums up and renders its own record (and frees its report): the calling
    // thread only adds counts and copies bytes, so it never becomes the bottleneck of a run of
    // small topologies.
    batch::run(
        &jobs,
        threads,
        args.unordered,
        |job| -> (Option<Counts>, std::io::Result<Vec<u8>>) {
            let result = input_args::load(&args.analysis.input, &job.files, Some(options.as_of))
                .map_err(|f| f.0)
                .map(|topology| {
                    let options = p2s_sim::AnalyzeOptions {
                        findings: &options,
                        limit,
                        population: population.as_ref(),
                        fleet: fleet.as_ref(),
                    };
                    p2s_sim::analyze(&topology, &options).report
                });
            let counts = result.as_ref().ok().map(|report| Counts::of(report, args));
            let mut bytes = Vec::new();
            let record = RecordOut {
                name: &job.name,
                result: &result,
                color,
            };
            let written = render(&record, args.format, &mut bytes);
            (counts, written.map(|_| bytes))
        },
        |_, (counts, rendered)| {
            summary.topologies += 1;
            match counts {
                Some(c) => {
                    summary.gateways += c.gateways;
                    summary.clients_over_limit += c.over;
                    summary.topologies_over_limit += usize::from(c.over > 0);
                    summary.error_findings += c.errors;
                    summary.warning_findings += c.warnings;
                    summary.topologies_failing_check += usize::from(c.fails_check);
                }
                None => summary.failed += 1,
            }
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            let sink: &mut dyn Write =
                if matches!(args.format, BatchFormat::Table | BatchFormat::Markdown) {
                    &mut table_lines
                } else {
                    &mut *out
                };
            let written = rendered
                .and_then(|bytes| sink.write_all(&bytes))
                .and_then(|_| {
                    if args.format == BatchFormat::Jsonl {
                        out.flush()
                    } else {
                        Ok(())
                    }
                });
            match written {
                Ok(()) => true,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    pipe_closed = true;
                    false
                }
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        },
    )
    .map_err(|e| Failure(format!("cannot start {threads} threads: {e}")))?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if pipe_closed {
        return Ok(Exit::Fine.into());
    }
    if let Some(e) = write_error {
        return Err(e.into());
    }
    match args.format {
        BatchFormat::Table | BatchFormat::Markdown => {
            let run = RunOut {
                summary: &summary,
                records: &table_lines,
                color,
            };
            let written = render(&run, args.format, out).and_then(|_| out.flush());
            match written {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(Exit::Fine.into())
                }
                other => other?,
            }
        }
        _ => {
            out.flush()?;
            eprintln!("{}", summary.table());
        }
    }
    Ok(if summary.failed > 0 {
        Exit::BadInput.into()
    } else if args.analysis.check.gates() && summary.topologies_failing_check > 0 {
        Exit::Findings.into()
    } else {
        Exit::Fine.into()
    })
}
