//! Criterion benches of the prefix engine at 10k / 100k / 1M prefixes, on the real BGP lists
//! in `../shared/data` when present and on synthetic lists (fixed seed) always. Each
//! hand-written piece is measured next to the crate or std code it replaces:
//!
//! * `parse`: the byte lexer (`PrefixReader::feed`) vs `str::parse::<IpNet>` per line;
//! * `sort`: the radix sort vs `sort_unstable`;
//! * `aggregate`: text → aggregate, ours vs `ipnet::IpNet::aggregate` vs the `iprange` crate;
//! * `format`: `write_aggregate` vs `Display` of each `IpNet`;
//! * `union` / `intersection` / `difference` / `covers` / `overlaps` / `summarize` / `count`.
//!
//! Run: `cargo bench --bench prefix` (or `-- aggregate` for one group).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ipnet::{Ipv4Net, Ipv6Net};
use iprange::IpRange;
use p2s_sim::prefix::{internals, overlaps, summarize, IpNet, PrefixReader, PrefixSet};

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// One input list: a name ("bgp_v4", "synth_v4", ...) and its text, N lines.
struct Input {
    name: String,
    n: usize,
    text: String,
}

fn data_dir() -> Option<PathBuf> {
    let d = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    d.is_dir().then_some(d)
}

/// The first `n` lines of a real list (cycled if shorter), if the data is present.
fn real(file: &str, n: usize) -> Option<Input> {
    let text = std::fs::read_to_string(data_dir()?.join(file)).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for i in 0..n {
        out.push_str(lines[i % lines.len()]);
        out.push('\n');
    }
    Some(Input {
        name: file.trim_end_matches(".txt").to_string(),
        n,
        text: out,
    })
}

/// Synthetic lists like the shared `gen_synth.py`: half inside 64 hot blocks (overlap and
/// adjacency), lengths /16../28 (IPv4) or /32../64 inside 2000::/3 (IPv6). Fixed seed.
fn synth(v6: bool, n: usize) -> Input {
    let mut x: u64 = 0x2024_0601_dead_beef;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let hot: Vec<u64> = (0..64).map(|_| next()).collect();
    let mut text = String::with_capacity(n * 20);
    for _ in 0..n {
        let r = next();
        let in_hot = r & 1 == 0;
        if v6 {
            let len = 32 + (r >> 8) % 33;
            let hi = if in_hot {
                (hot[(r >> 1) as usize % 64] & !0xffff_ffff) | (next() & 0xffff_ffff)
            } else {
                next()
            };
            let hi = (hi & !(0b111 << 61)) | (0b001 << 61); // 2000::/3
            let a = (hi as u128) << 64;
            let net = Ipv6Net::new(a.into(), len as u8).unwrap().trunc();
            writeln!(text, "{net}").unwrap();
        } else {
            let len = 16 + (r >> 8) % 13;
            let a = if in_hot {
                (hot[(r >> 1) as usize % 64] as u32 & 0xfff0_0000) | (next() as u32 & 0x000f_ffff)
            } else {
                next() as u32
            };
            let net = Ipv4Net::new(a.into(), len as u8).unwrap().trunc();
            writeln!(text, "{net}").unwrap();
        }
    }
    Input {
        name: if v6 { "synth_v6" } else { "synth_v4" }.to_string(),
        n,
        text,
    }
}

fn inputs() -> Vec<Input> {
    let mut v = Vec::new();
    for &n in &SIZES {
        v.extend(real("bgp_v4.txt", n));
        v.push(synth(false, n));
        // The real IPv6 table has 287k lines: at 1M it would only repeat itself.
        if n <= 100_000 {
            v.extend(real("bgp_v6.txt", n));
        }
        v.push(synth(true, n));
    }
    v
}

fn read_set(text: &str) -> PrefixSet {
    let mut r = PrefixReader::new(false);
    r.feed(text.as_bytes()).unwrap();
    r.finish().unwrap().0
}

fn parse_std(text: &str) -> Vec<IpNet> {
    text.lines().map(|l| l.parse::<IpNet>().unwrap()).collect()
}

fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    g
}

fn bench_parse_and_aggregate(c: &mut Criterion) {
    let inputs = inputs();
    let mut g = group(c, "parse");
    for i in &inputs {
        g.throughput(Throughput::Elements(i.n as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("{}/lexer", i.name), i.n),
            i,
            |b, i| {
                b.iter(|| {
                    let mut r = PrefixReader::new(false);
                    r.feed(i.text.as_bytes()).unwrap();
                    black_box(r.stats())
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/lexer_only", i.name), i.n),
            i,
            |b, i| {
                b.iter(|| {
                    i.text
                        .as_bytes()
                        .split(|&c| c == b'\n')
                        .filter(|l| internals::lex(l))
                        .count()
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/std_parse", i.name), i.n),
            i,
            |b, i| b.iter(|| black_box(parse_std(&i.text))),
        );
    }
    g.finish();

    let mut g = group(c, "aggregate");
    for i in &inputs {
        g.throughput(Throughput::Elements(i.n as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("{}/ours_text_to_text", i.name), i.n),
            i,
            |b, i| {
                b.iter(|| {
                    let set = read_set(&i.text);
                    let mut out = Vec::new();
                    set.write_aggregate(&mut out);
                    black_box(out)
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/ipnet_text_to_text", i.name), i.n),
            i,
            |b, i| {
                b.iter(|| {
                    let agg = IpNet::aggregate(&parse_std(&i.text));
                    let mut out = String::new();
                    for p in agg {
                        writeln!(out, "{p}").unwrap();
                    }
                    black_box(out)
                })
            },
        );
        let parsed = parse_std(&i.text);
        g.bench_with_input(
            BenchmarkId::new(format!("{}/ours_from_ipnets", i.name), i.n),
            &parsed,
            |b, p| b.iter(|| black_box(PrefixSet::from_prefixes(p.iter().copied()).to_prefixes())),
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/ipnet_aggregate", i.name), i.n),
            &parsed,
            |b, p| b.iter(|| black_box(IpNet::aggregate(p))),
        );
        if i.n <= 100_000 || i.name.ends_with("v4") {
            g.bench_with_input(
                BenchmarkId::new(format!("{}/iprange_crate", i.name), i.n),
                &parsed,
                |b, p| {
                    b.iter(|| {
                        let mut r4: IpRange<Ipv4Net> = IpRange::new();
                        let mut r6: IpRange<Ipv6Net> = IpRange::new();
                        for n in p {
                            match n {
                                IpNet::V4(n) => {
                                    r4.add(*n);
                                }
                                IpNet::V6(n) => {
                                    r6.add(*n);
                                }
                            }
                        }
                        r4.simplify();
                        r6.simplify();
                        black_box((r4.iter().count(), r6.iter().count()))
                    })
                },
            );
        }
    }
    g.finish();
}

fn bench_sort_and_format(c: &mut Criterion) {
    let inputs = inputs();
    let mut g = group(c, "sort");
    for i in inputs.iter().filter(|i| i.name.ends_with("v4")) {
        let keys: Vec<u64> = parse_std(&i.text)
            .iter()
            .map(|p| match p {
                IpNet::V4(n) => {
                    (u32::from(n.network()) as u64) << 32 | u32::from(n.broadcast()) as u64
                }
                IpNet::V6(_) => 0,
            })
            .collect();
        g.throughput(Throughput::Elements(i.n as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("{}/radix", i.name), i.n),
            &keys,
            |b, k| {
                b.iter(|| {
                    let mut v = k.clone();
                    internals::radix_sort_v4(&mut v);
                    black_box(v)
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/std_sort_unstable", i.name), i.n),
            &keys,
            |b, k| {
                b.iter(|| {
                    let mut v = k.clone();
                    v.sort_unstable_by_key(|x| x >> 32);
                    black_box(v)
                })
            },
        );
    }
    for i in inputs.iter().filter(|i| i.name.ends_with("v6")) {
        // Packed as the bulk path keeps them: start | len (lengths up to /120 here).
        let keys: Vec<u128> = parse_std(&i.text)
            .iter()
            .filter_map(|p| match p {
                IpNet::V6(n) if n.prefix_len() <= 120 => {
                    Some(u128::from(n.network()) | n.prefix_len() as u128)
                }
                _ => None,
            })
            .collect();
        g.throughput(Throughput::Elements(i.n as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("{}/radix", i.name), i.n),
            &keys,
            |b, k| {
                b.iter(|| {
                    let mut v = k.clone();
                    internals::radix_sort_v6(&mut v);
                    black_box(v)
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/std_sort_unstable", i.name), i.n),
            &keys,
            |b, k| {
                b.iter(|| {
                    let mut v = k.clone();
                    v.sort_unstable();
                    black_box(v)
                })
            },
        );
    }
    g.finish();

    let mut g = group(c, "format");
    for i in &inputs {
        let set = read_set(&i.text);
        let prefixes = set.to_prefixes();
        g.throughput(Throughput::Elements(prefixes.len() as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("{}/write_aggregate", i.name), i.n),
            &set,
            |b, s| {
                b.iter(|| {
                    let mut out = Vec::with_capacity(1 << 16);
                    s.write_aggregate(&mut out);
                    black_box(out)
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}/ipnet_display", i.name), i.n),
            &prefixes,
            |b, ps| {
                b.iter(|| {
                    let mut out = String::with_capacity(1 << 16);
                    for p in ps {
                        writeln!(out, "{p}").unwrap();
                    }
                    black_box(out)
                })
            },
        );
    }
    g.finish();
}

fn bench_set_ops(c: &mut Criterion) {
    let inputs = inputs();
    let mut g = group(c, "setops");
    for i in &inputs {
        // Two halves of the list (odd and even lines): realistic partial overlap.
        let (mut ta, mut tb) = (String::new(), String::new());
        for (k, l) in i.text.lines().enumerate() {
            let t = if k % 2 == 0 { &mut ta } else { &mut tb };
            t.push_str(l);
            t.push('\n');
        }
        let (a, b) = (read_set(&ta), read_set(&tb));
        let probes: Vec<IpNet> = parse_std(&tb).into_iter().step_by(10).collect();
        g.throughput(Throughput::Elements(i.n as u64));
        g.bench_function(BenchmarkId::new(format!("{}/union", i.name), i.n), |bn| {
            bn.iter(|| black_box(a.union(&b)))
        });
        g.bench_function(
            BenchmarkId::new(format!("{}/intersection", i.name), i.n),
            |bn| bn.iter(|| black_box(a.intersection(&b))),
        );
        g.bench_function(
            BenchmarkId::new(format!("{}/difference", i.name), i.n),
            |bn| bn.iter(|| black_box(a.difference(&b))),
        );
        g.bench_function(
            BenchmarkId::new(format!("{}/contains_set+intersects", i.name), i.n),
            |bn| bn.iter(|| black_box((a.contains_set(&b), a.intersects(&b)))),
        );
        g.bench_function(
            BenchmarkId::new(format!("{}/covers+overlaps_n/10_probes", i.name), i.n),
            |bn| {
                bn.iter(|| {
                    probes
                        .iter()
                        .filter(|p| a.covers(p) || a.overlaps(p))
                        .count()
                })
            },
        );
        g.bench_function(
            BenchmarkId::new(format!("{}/address_count", i.name), i.n),
            |bn| bn.iter(|| black_box(a.address_count())),
        );
        // Overlaps among 8 labelled lists (lines dealt round-robin).
        let mut labelled: Vec<(usize, Vec<IpNet>)> = (0..8).map(|k| (k, Vec::new())).collect();
        for (k, p) in parse_std(&i.text).into_iter().enumerate() {
            labelled[k % 8].1.push(p);
        }
        g.bench_function(
            BenchmarkId::new(format!("{}/overlaps_8_lists", i.name), i.n),
            |bn| bn.iter(|| black_box(overlaps(&labelled))),
        );
        let full = a.union(&b);
        for k in [100usize, 1000] {
            g.bench_function(
                BenchmarkId::new(format!("{}/summarize_max_{k}", i.name), i.n),
                |bn| bn.iter(|| black_box(summarize(&full, k, &PrefixSet::new()).map(|s| s.extra))),
            );
        }
    }
    g.finish();
}

/// `summarize` at 100k and 1M input lines with K = 1000 and K = half the aggregate, next to
/// the plain O(n·K) dynamic program it replaced (`internals::summarize_reference`) where that
/// finishes in seconds. `cargo bench --bench prefix -- summarize`.
fn bench_summarize(c: &mut Criterion) {
    let mut g = group(c, "summarize");
    for n in [100_000usize, 1_000_000] {
        let inputs: Vec<Input> = real("bgp_v4.txt", n)
            .into_iter()
            .chain([synth(false, n), synth(true, n)])
            .collect();
        for i in &inputs {
            let set = read_set(&i.text);
            let none = PrefixSet::new();
            let half = set.prefix_count() / 2;
            g.throughput(Throughput::Elements(i.n as u64));
            for (label, k) in [
                ("max_1000".to_string(), 1000),
                (format!("max_half_{half}"), half),
            ] {
                g.bench_function(
                    BenchmarkId::new(format!("{}/summarize_{label}", i.name), i.n),
                    |bn| bn.iter(|| black_box(summarize(&set, k, &none).map(|s| s.extra))),
                );
                // The reference is O(n·K): about n·K/10^9 seconds.
                if (set.prefix_count() as u64) * (k as u64) <= 1_000_000_000 {
                    g.bench_function(
                        BenchmarkId::new(format!("{}/reference_dp_{label}", i.name), i.n),
                        |bn| {
                            bn.iter(|| {
                                black_box(
                                    internals::summarize_reference(&set, k, &none).map(|s| s.extra),
                                )
                            })
                        },
                    );
                }
            }
        }
    }
    g.finish();
}

/// The worst known family for `summarize` (src/prefix/summarize/fast.rs, "Worst case"): `m`
/// kinked /24s, one per /20, at K = 2m + 1; the time grows with m², as the plain program's
/// (benched next to it).
/// `cargo bench --bench prefix -- summarize_worst`; whole processes up to 192,000 prefixes:
/// `benches/summarize-worst-case.sh`.
fn bench_summarize_worst(c: &mut Criterion) {
    let mut g = group(c, "summarize_worst");
    for m in [1000usize, 2000, 4000] {
        let mut text = String::new();
        for i in 0..m {
            let block = format!("{}.{}.{}", 11 + (i >> 12), (i >> 4) & 255, (i & 15) * 16);
            text.push_str(&format!("{block}.0/32\n{block}.127/32\n{block}.128/26\n"));
        }
        let set = read_set(&text);
        let none = PrefixSet::new();
        g.throughput(Throughput::Elements(3 * m as u64));
        g.bench_function(BenchmarkId::new("tied_blocks_max_2m_plus_1", 3 * m), |bn| {
            bn.iter(|| black_box(summarize(&set, 2 * m + 1, &none).map(|s| s.extra)))
        });
        g.bench_function(
            BenchmarkId::new("reference_dp_max_2m_plus_1", 3 * m),
            |bn| {
                bn.iter(|| {
                    black_box(
                        internals::summarize_reference(&set, 2 * m + 1, &none).map(|s| s.extra),
                    )
                })
            },
        );
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_parse_and_aggregate,
    bench_sort_and_format,
    bench_set_ops,
    bench_summarize,
    bench_summarize_worst
);
criterion_main!(benches);
