//! `p2s-sim prefixes ...`: prefix-list tools on the prefix-set engine.
//!
//! Every subcommand reads one prefix per line from files or standard input, and prints
//! canonical prefixes (IPv4 before IPv6, ascending), one per line.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use p2s_sim::prefix::{
    set_overlaps, summarize, AddressCount, Infeasible, PrefixReader, PrefixSet, ReadStats,
};

use super::{CmdResult, Exit, Failure};

/// The input and output rules, shown under every `prefixes` help page.
macro_rules! input_help {
    () => {
        "\
Input: one prefix per line (10.0.0.0/8, 2001:db8::/32); a bare address means /32 or /128; \
host bits are cleared (10.1.2.3/16 reads as 10.1.0.0/16); '#' starts a comment; blank \
lines are ignored. FILE '-' (or no FILE) reads standard input. A bad line stops the \
command with FILE:LINE and the text (exit 2) unless --skip-invalid is given.

Output: canonical prefixes, one per line, IPv4 before IPv6, ascending by address. \
Exit codes: 0 done, 1 finding (summarize cannot fit), 2 error."
    };
}
const INPUT_HELP: &str = input_help!();

/// Prefix-list tools: aggregate, set algebra, overlaps, and summarize-to-fit.
///
/// All of them treat a list of prefixes as the set of addresses it covers, so duplicates,
/// nesting and overlaps never change a result, and every result is printed as its
/// aggregate: the shortest exact list of CIDR prefixes.
#[derive(clap::Args, Debug)]
#[command(after_help = INPUT_HELP)]
pub struct PrefixesArgs {
    #[command(subcommand)]
    op: PrefixOp,
}

#[derive(clap::Subcommand, Debug)]
enum PrefixOp {
    /// Merge all inputs into the minimal exact list of prefixes.
    ///
    /// Duplicates and nested prefixes vanish, adjacent blocks merge (10.0.0.0/25 and
    /// 10.0.0.128/25 become 10.0.0.0/24). The result covers exactly the same addresses.
    #[command(
        after_help = concat!("Example:\n  printf '10.0.0.0/25\\n10.0.0.128/25\\n10.0.0.7\\n' | p2s-sim prefixes aggregate\n  10.0.0.0/24\n\n  p2s-sim prefixes aggregate --stats routes-*.txt > merged.txt", "\n\n", input_help!())
    )]
    Aggregate(Inputs),
    /// Addresses in at least one input (the same result as aggregate).
    #[command(after_help = concat!("Example:\n  p2s-sim prefixes union hub.txt spokes.txt onprem.txt", "\n\n", input_help!()))]
    Union(Inputs),
    /// Addresses in every input.
    ///
    /// With one input, that input's aggregate.
    #[command(
        after_help = concat!("Example:\n  p2s-sim prefixes intersect advertised.txt allowed.txt   # advertised routes that are allowed", "\n\n", input_help!())
    )]
    Intersect(Inputs),
    /// Addresses in the FIRST input that are in none of the others.
    #[command(
        after_help = concat!("Example:\n  echo 10.0.0.0/8 | p2s-sim prefixes diff - used.txt   # the free part of 10/8\n\nNote: the order matters: diff A B is A minus B.", "\n\n", input_help!())
    )]
    Diff(Inputs),
    /// Which inputs share addresses, and which addresses.
    ///
    /// Each input is one labelled set (its file name). Prints one line per common prefix:
    /// FILE_A <TAB> FILE_B <TAB> PREFIX, pairs in argument order. With --pairs, one line per
    /// overlapping pair: FILE_A <TAB> FILE_B <TAB> prefixes <TAB> addresses. No output means no
    /// overlap. Runs in O(n log n).
    #[command(
        after_help = concat!("Example:\n  p2s-sim prefixes overlaps vnet-a.txt vnet-b.txt vnet-c.txt\n  vnet-a.txt\tvnet-c.txt\t10.1.2.0/24", "\n\n", input_help!())
    )]
    Overlaps {
        #[command(flatten)]
        inputs: Inputs,
        /// One summary line per overlapping pair instead of one line per prefix.
        #[arg(long)]
        pairs: bool,
    },
    /// Cover all inputs with at most --max prefixes, adding the fewest extra addresses.
    ///
    /// The cover is optimal (dynamic programming over the prefix trie, not greedy): no list of
    /// at most K prefixes that contains every input address and touches nothing in --forbid
    /// adds fewer addresses. The number of extra addresses goes to standard error. If no such
    /// cover exists, says so with the smallest possible count (exit 1); if the inputs themselves
    /// overlap --forbid, says which prefixes (exit 1).
    #[command(
        after_help = concat!("Example: bring a route list under a client's limit of 25 routes without\nswallowing the on-premises ranges:\n  p2s-sim prefixes summarize --max 25 --forbid onprem.txt routes.txt", "\n\n", input_help!())
    )]
    Summarize {
        /// At most this many prefixes.
        #[arg(long, value_name = "K")]
        max: usize,
        /// Addresses the cover must not touch (a prefix file).
        #[arg(long, value_name = "FILE")]
        forbid: Option<PathBuf>,
        #[command(flatten)]
        inputs: Inputs,
    },
}

#[derive(clap::Args, Debug)]
struct Inputs {
    /// Prefix files; '-' or none reads standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Skip lines that are not prefixes (the count goes to standard error) instead of failing.
    #[arg(long)]
    skip_invalid: bool,
    /// Print counts and timings to standard error.
    #[arg(long)]
    stats: bool,
}

impl Inputs {
    fn paths(&self) -> Vec<PathBuf> {
        if self.files.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.files.clone()
        }
    }
}

/// One input read: its display name, set and counts.
struct Loaded {
    name: String,
    set: PrefixSet,
    stats: ReadStats,
    /// Aggregated prefixes and addresses of this input (only computed for --stats).
    summary: Option<(usize, AddressCount)>,
}

pub fn run(args: &PrefixesArgs) -> CmdResult {
    let t0 = Instant::now();
    let (op_name, inputs) = match &args.op {
        PrefixOp::Aggregate(i) => ("aggregate", i),
        PrefixOp::Union(i) => ("union", i),
        PrefixOp::Intersect(i) => ("intersect", i),
        PrefixOp::Diff(i) => ("diff", i),
        PrefixOp::Overlaps { inputs, .. } => ("overlaps", inputs),
        PrefixOp::Summarize { inputs, .. } => ("summarize", inputs),
    };
    let mut paths = inputs.paths();
    let forbid_path = match &args.op {
        PrefixOp::Summarize {
            forbid: Some(f), ..
        } => Some(f.clone()),
        _ => None,
    };
    if let Some(f) = &forbid_path {
        paths.push(f.clone());
    }
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Failure("standard input ('-') can be read only once".into()));
    }
    match &args.op {
        PrefixOp::Diff(_) if paths.len() < 2 => {
            return Err(Failure(
                "diff needs at least two inputs: FIRST minus the others".into(),
            ))
        }
        PrefixOp::Overlaps { .. } if paths.len() < 2 => {
            return Err(Failure(
                "overlaps needs at least two inputs to compare".into(),
            ))
        }
        _ => {}
    }
    let mut loaded = paths
        .iter()
        .map(|p| load(p, inputs.skip_invalid, inputs.stats))
        .collect::<Result<Vec<_>, _>>()?;
    let t_read = t0.elapsed();
    // The forbid file was read last.
    let forbid = if forbid_path.is_some() {
        loaded.pop()
    } else {
        None
    };

    let mut out = Vec::with_capacity(1 << 20);
    let mut code = Exit::Fine.into();
    let mut result: Option<PrefixSet> = None;
    let mut note: Option<String> = None;
    match &args.op {
        PrefixOp::Aggregate(_) | PrefixOp::Union(_) => result = Some(union_all(&mut loaded)),
        PrefixOp::Intersect(_) => {
            let mut it = loaded.iter();
            let first = it.next().map(|l| l.set.clone()).unwrap_or_default();
            result = Some(it.fold(first, |acc, l| acc.intersection(&l.set)));
        }
        PrefixOp::Diff(_) => {
            let rest = union_all(&mut loaded[1..]);
            result = Some(loaded[0].set.difference(&rest));
        }
        PrefixOp::Overlaps { pairs, .. } => {
            let sets: Vec<PrefixSet> = loaded.iter().map(|l| l.set.clone()).collect();
            for o in set_overlaps(&sets) {
                let (a, b) = (&loaded[o.a].name, &loaded[o.b].name);
                if *pairs {
                    writeln!(
                        out,
                        "{a}\t{b}\t{}\t{}",
                        o.common.prefix_count(),
                        o.common.address_count()
                    )
                    .expect("writing to a Vec cannot fail");
                } else {
                    for p in o.common.to_prefixes() {
                        writeln!(out, "{a}\t{b}\t{p}").expect("writing to a Vec cannot fail");
                    }
                }
            }
        }
        PrefixOp::Summarize { max, .. } => {
            let set = union_all(&mut loaded);
            let forbid_set = forbid.as_ref().map(|f| f.set.clone()).unwrap_or_default();
            match summarize(&set, *max, &forbid_set) {
                Ok(s) => {
                    for p in &s.prefixes {
                        writeln!(out, "{p}").expect("writing to a Vec cannot fail");
                    }
                    note = Some(format!(
                        "summarized {} prefixes into {} (at most {max}), adding {} addresses not in the input",
                        set.prefix_count(),
                        s.prefixes.len(),
                        s.extra
                    ));
                }
                Err(e) => {
                    let msg = match &e {
                        Infeasible::TooFew { .. } => {
                            format!("cannot summarize into {max} prefix(es): {e}")
                        }
                        Infeasible::SetTouchesForbid { .. } => format!("cannot summarize: {e}"),
                    };
                    eprintln!("p2s-sim: {msg}");
                    code = Exit::Findings.into();
                }
            }
        }
    }
    let t_compute = t0.elapsed();
    if let Some(set) = &result {
        set.write_aggregate(&mut out);
    }
    let t_format = t0.elapsed();
    let written = write_stdout(&out);
    if let Some(n) = &note {
        eprintln!("p2s-sim: {n}");
    }
    if inputs.stats {
        print_stats(
            op_name,
            &loaded,
            forbid.as_ref(),
            result.as_ref(),
            &out,
            [t_read, t_compute, t_format, t0.elapsed()],
        );
    }
    match written {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Exit::Fine.into()),
        Err(e) => Err(Failure(format!("cannot write output: {e}"))),
    }
}

fn union_all(loaded: &mut [Loaded]) -> PrefixSet {
    match loaded {
        [] => PrefixSet::new(),
        [one] => std::mem::take(&mut one.set),
        many => many
            .iter()
            .fold(PrefixSet::new(), |acc, l| acc.union(&l.set)),
    }
}

fn write_stdout(out: &[u8]) -> io::Result<()> {
    let mut w = io::stdout().lock();
    w.write_all(out)?;
    w.flush()
}

/// Reads one input in 2 MiB chunks, without holding the whole file.
fn load(path: &Path, skip_invalid: bool, stats: bool) -> Result<Loaded, Failure> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let mut src: Box<dyn Read> = if stdin {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).map_err(|e| Failure(format!("{name}: cannot read: {e}")))?)
    };
    let mut reader = PrefixReader::new(skip_invalid);
    let mut buf = vec![0u8; 2 << 20];
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure(format!("{name}: cannot read: {e}"))),
        };
        reader
            .feed(&buf[..n])
            .map_err(|e| Failure(format!("{name}:{}: {}", e.line, e.error)))?;
    }
    let bad = |e: p2s_sim::prefix::BadLine| Failure(format!("{name}:{}: {}", e.line, e.error));
    reader.end_input().map_err(bad)?;
    if let Some(first) = reader.first_skipped() {
        let n = reader.stats().skipped;
        eprintln!(
            "p2s-sim: {name}: skipped {n} invalid line{} (first: line {}: {})",
            if n == 1 { "" } else { "s" },
            first.line,
            first.error
        );
    }
    let (set, read) = reader.finish().map_err(bad)?;
    let summary = stats.then(|| (set.prefix_count(), set.address_count()));
    Ok(Loaded {
        name,
        set,
        stats: read,
        summary,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn print_stats(
    op: &str,
    loaded: &[Loaded],
    forbid: Option<&Loaded>,
    result: Option<&PrefixSet>,
    out: &[u8],
    t: [Duration; 4],
) {
    let mut e = io::stderr().lock();
    let all: Vec<&Loaded> = loaded.iter().chain(forbid).collect();
    let sum = |f: fn(&ReadStats) -> u64| all.iter().map(|l| f(&l.stats)).sum::<u64>();
    let (lines, pfx, v4, skipped) = (
        sum(|s| s.lines),
        sum(|s| s.prefixes),
        sum(|s| s.ipv4),
        sum(|s| s.skipped),
    );
    let _ = writeln!(
        e,
        "{op}: {} input(s), {lines} lines, {pfx} prefixes in ({v4} IPv4, {} IPv6), {skipped} invalid skipped",
        all.len(),
        pfx - v4
    );
    for l in &all {
        let (agg, addrs) = l.summary.unwrap_or_default();
        let _ = writeln!(
            e,
            "  {}: {} prefixes -> {agg} aggregated, {addrs} addresses",
            l.name, l.stats.prefixes
        );
    }
    if let Some(r) = result {
        let (v4_out, v6_out) = r.prefix_counts();
        let _ = writeln!(
            e,
            "out: {} prefixes ({v4_out} IPv4, {v6_out} IPv6), {} IPv4 + {} IPv6 addresses",
            v4_out + v6_out,
            r.ipv4_address_count(),
            r.ipv6_address_count()
        );
    } else {
        let _ = writeln!(
            e,
            "out: {} lines",
            out.iter().filter(|&&b| b == b'\n').count()
        );
    }
    let _ = writeln!(
        e,
        "time: read+parse+sort {}, {op} {}, format {}, total {}",
        ms(t[0]),
        ms(t[1] - t[0]),
        ms(t[2] - t[1]),
        ms(t[3])
    );
}
