//! Command-line front end: argument parsing, reading files, rendering, exit codes.
//!
//! Exit codes follow ripgrep's convention: 0 = fine, 1 = findings (`--check`), 2 = error.
//! A closed pipe (`p2s-sim ... | head`) ends the program quietly.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use p2s_sim::read::Source;

mod analysis_args;
mod analyze;
mod batch;
mod check_args;
mod clients_args;
mod conventions;
mod convert;
mod csv_client;
mod csv_out;
mod explain;
mod findings_args;
mod fleet_args;
mod generate;
mod html;
mod input_args;
mod junit;
mod list_args;
mod memory;
mod output;
mod page;
mod prefixes;
mod profile;
mod render;
mod review;
mod sarif;
mod term;
mod whatif;

/// Simulate the routes and IKEv2 traffic selectors that Azure VPN Gateway gives point-to-site
/// VPN clients, and check them against each client's limit.
///
/// Start with `p2s-sim analyze TOPOLOGY` (a native YAML file or your Azure exports); then
/// `whatif`, `headroom` and `sweep` plan changes, `review` checks a Terraform plan or ARM what-if, `batch` runs many topologies, `profile check`
/// says whether users' VPN client package is stale, `explain CODE` explains a finding. Exit codes: 0 fine, 1 findings (with --check), 2 bad input.
#[derive(Parser, Debug)]
#[command(name = "p2s-sim", version = conventions::VERSION)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Analyze(analyze::AnalyzeArgs),
    Whatif(whatif::WhatifArgs),
    Review(review::ReviewArgs),
    Headroom(whatif::HeadroomArgs),
    Sweep(whatif::SweepArgs),
    Batch(batch::BatchArgs),
    Generate(generate::GenerateArgs),
    /// Prefix-set operations: aggregate, union, intersect, diff, overlaps, summarize.
    Prefixes(prefixes::PrefixesArgs),
    Convert(convert::ConvertArgs),
    /// VPN client profiles: is a downloaded package stale, and the routes it lacks.
    Profile(profile::ProfileArgs),
    /// Explain a finding code: the rule, why it matters, how to fix it, the source.
    Explain(explain::ExplainArgs),
    Completions(conventions::CompletionsArgs),
    Man(conventions::ManArgs),
}

/// The exit codes, the same in every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Nothing to report, or `--check` not asked.
    Fine = 0,
    /// `--check` (or `--deny warnings`) found something: a client over its limit, an error
    /// finding, a change that makes things worse, a stale profile.
    Findings = 1,
    /// Bad input: the message names the file, the place and what to change.
    BadInput = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// What a command ends with: an exit code, or an error to print (exit 2).
pub(crate) type CmdResult = Result<ExitCode, Failure>;

/// A user-facing error: the message already names the file and the place.
#[derive(Debug)]
pub(crate) struct Failure(pub String);

/// Marks a failure that only means the reader of our output went away.
const BROKEN_PIPE: &str = "\0broken pipe";

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure(BROKEN_PIPE.to_string())
        } else {
            Failure(e.to_string())
        }
    }
}

impl From<serde_json::Error> for Failure {
    /// Writing JSON fails only when the output does (a closed pipe stays quiet).
    fn from(e: serde_json::Error) -> Self {
        Failure::from(io::Error::from(e))
    }
}

impl From<p2s_sim::model::TopologyError> for Failure {
    fn from(e: p2s_sim::model::TopologyError) -> Self {
        Failure(e.to_string())
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(&cli.command, &mut stdout_writer());
    match result {
        Ok(code) => code,
        Err(Failure(msg)) if msg == BROKEN_PIPE => Exit::Fine.into(),
        Err(Failure(msg)) => {
            eprintln!("p2s-sim: error: {msg}");
            Exit::BadInput.into()
        }
    }
}

/// Runs one command. The commands that print a result write it to `out` (standard output,
/// or a buffer in the contract test); the others write files or standard output themselves.
fn run(command: &Command, out: &mut dyn Write) -> CmdResult {
    match command {
        Command::Analyze(args) => analyze::run(args, out),
        Command::Whatif(args) => whatif::run_whatif(args, out),
        Command::Review(args) => review::run(args, out),
        Command::Headroom(args) => whatif::run_headroom(args, out),
        Command::Sweep(args) => whatif::run_sweep(args, out),
        Command::Batch(args) => batch::run(args, out),
        Command::Generate(args) => generate::run(args),
        Command::Prefixes(args) => prefixes::run(args),
        Command::Explain(args) => explain::run(args, out),
        Command::Convert(args) => convert::run(args),
        Command::Profile(args) => profile::run(args, out),
        Command::Completions(args) => conventions::run_completions(args),
        Command::Man(args) => conventions::run_man(args),
    }
}

/// Buffered standard output.
pub(crate) fn stdout_writer() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(1 << 16, io::stdout().lock())
}

/// Reads one input as a stream, exactly once: `-` is standard input, and pipes, FIFOs and
/// process substitution (`<(az network vnet list -o json)`) work like regular files because
/// nothing asks for the size or reads twice. Text is UTF-8 (a byte-order mark is dropped by the
/// readers) or UTF-16 with a byte-order mark (what Windows PowerShell 5.1's `Out-File` and `>`
/// write).
pub(crate) fn read_source(path: &Path) -> Result<Source, Failure> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure(format!("<stdin>: cannot read: {e}")))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let name = path.display().to_string();
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| Failure(format!("{name}: cannot read: {e}")))?;
        (name, bytes)
    };
    let text = p2s_sim::read::text::blank_json_comments(decode_text(&name, bytes)?);
    Ok(Source { name, text })
}

fn decode_text(name: &str, bytes: Vec<u8>) -> Result<String, Failure> {
    if let Some(text) = p2s_sim::read::text::utf16_with_bom(&bytes) {
        return text.map_err(|_| Failure(format!("{name}: not valid UTF-16 text")));
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure(format!(
            "{name}: not UTF-8 text (byte {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod contract {
    //! The CLI contract, checked on the clap definition of every command.

    use clap::CommandFactory;

    fn every_command() -> Vec<(String, clap::Command)> {
        fn walk(prefix: &str, cmd: &clap::Command, all: &mut Vec<(String, clap::Command)>) {
            for sub in cmd.get_subcommands() {
                let name = format!("{prefix} {}", sub.get_name()).trim().to_string();
                all.push((name.clone(), sub.clone()));
                walk(&name, sub, all);
            }
        }
        let mut all = Vec::new();
        walk("", &super::Cli::command(), &mut all);
        all
    }

    #[test]
    fn enum_values_ignore_case_everywhere() {
        let mut strict = Vec::new();
        for (name, cmd) in every_command() {
            for arg in cmd.get_arguments() {
                let takes_values = arg.get_action().takes_values();
                if takes_values
                    && !arg.get_possible_values().is_empty()
                    && !arg.is_ignore_case_set()
                {
                    strict.push(format!("{name} --{}", arg.get_id()));
                }
            }
        }
        assert!(strict.is_empty(), "case-sensitive values: {strict:?}");
    }

    #[test]
    fn every_command_that_prints_a_table_prints_markdown() {
        let mut formats = 0;
        let mut missing = Vec::new();
        for (name, cmd) in every_command() {
            let Some(format) = cmd.get_arguments().find(|a| a.get_id() == "format") else {
                continue;
            };
            let values: Vec<String> = format
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            if values.iter().any(|v| v == "table") {
                formats += 1;
                if !values.iter().any(|v| v == "markdown") {
                    missing.push(name);
                }
            }
        }
        // analyze, whatif, review, headroom, sweep, batch, profile check
        assert_eq!(formats, 7, "commands with a table format");
        assert!(missing.is_empty(), "no markdown: {missing:?}");
    }

    /// A command line for every command that prints a result; `--format VALUE` is appended.
    const SAMPLES: &[(&str, &[&str])] = &[
        (
            "analyze",
            &[
                "analyze",
                "datasets/scenarios/hub-spoke.yaml",
                "--as-of",
                "2026-12-01",
            ],
        ),
        (
            "whatif",
            &[
                "whatif",
                "datasets/scenarios/hub-spoke.yaml",
                "--scenario",
                "datasets/whatif/add-40-spokes.yaml",
                "--as-of",
                "2026-12-01",
            ],
        ),
        (
            "review",
            &[
                "review",
                "tests/review_change_cases/inputs/remove-peering.plan.json",
                "--as-of",
                "2026-12-01",
            ],
        ),
        (
            "headroom",
            &["headroom", "datasets/scenarios/hub-spoke.yaml"],
        ),
        (
            "sweep",
            &[
                "sweep",
                "datasets/scenarios/hub-spoke.yaml",
                "--add-spokes",
                "0..20:10",
            ],
        ),
        (
            "batch",
            &[
                "batch",
                "--jobs",
                "2",
                "datasets/scenarios/1-isolated-vnet.yaml",
                "datasets/scenarios/hub-spoke.yaml",
            ],
        ),
        ("explain", &["explain", "NET002"]),
        (
            "profile check",
            &[
                "profile",
                "check",
                "datasets/profiles/hub-spoke",
                "datasets/scenarios/hub-spoke.yaml",
            ],
        ),
    ];

    /// Every `--format` value of every command reaches `output::render` with the format of
    /// the same name and writes something: no command writes a format beside the one trait.
    #[test]
    fn every_format_of_every_command_goes_through_the_one_renderer() {
        use super::output::seen;
        use clap::Parser;

        let with_format: Vec<(String, Vec<String>)> = every_command()
            .into_iter()
            .filter_map(|(name, cmd)| {
                let format = cmd.get_arguments().find(|a| a.get_id() == "format")?;
                let values = format.get_possible_values();
                Some((
                    name,
                    values.iter().map(|v| v.get_name().to_string()).collect(),
                ))
            })
            .collect();
        let sampled: Vec<&str> = SAMPLES.iter().map(|(name, _)| *name).collect();
        let names: Vec<&str> = with_format.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            {
                let mut n = names.clone();
                n.sort();
                n
            },
            {
                let mut s = sampled.clone();
                s.sort();
                s
            },
            "every command with --format has a sample here"
        );
        for (name, argv) in SAMPLES {
            let values = &with_format
                .iter()
                .find(|(n, _)| n == name)
                .expect("sampled")
                .1;
            for value in values {
                let format = ["--format", value.as_str()];
                let args = ["p2s-sim"].iter().chain(argv.iter()).chain(format.iter());
                let cli = super::Cli::try_parse_from(args)
                    .unwrap_or_else(|e| panic!("{name} --format {value}: {e}"));
                seen::take();
                let mut out = Vec::new();
                if let Err(super::Failure(msg)) = super::run(&cli.command, &mut out) {
                    panic!("{name} --format {value}: {msg}");
                }
                let rendered: Vec<&str> = seen::take().iter().map(|f| f.name()).collect();
                assert!(
                    !rendered.is_empty() && rendered.iter().all(|f| f == value),
                    "{name} --format {value} rendered {rendered:?}"
                );
                assert!(!out.is_empty(), "{name} --format {value} wrote nothing");
            }
        }
    }
}
