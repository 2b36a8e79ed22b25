//! Benchmarks of the analysis engine: analyze, what-if, sweep and batch, each at three sizes
//! (small, 10x, 100x), plus the scale target of issue 6 (1,000 hubs, 50,000 spokes, 1,000,000
//! prefixes). Topologies come from the seeded generator, so every run measures the same input.
//!
//! Run: `cargo bench --bench engine` (add `-- scale` for the big one only, `-- issue16` for the
//! phases of `analyze --format json` on the 30 MB topology of issue 16: reading the native
//! JSON, the routing engine, the findings and the report's lists, and writing the JSON).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use p2s_sim::engine::analyze;
use p2s_sim::model::generate::{generate, GenerateOptions};
use p2s_sim::model::Topology;
use p2s_sim::plan::whatif::{self, AddSpokes, Change, Scenario, Strategy, SweepKind};
use p2s_sim::read::{read_topology, to_native, Loaded, Source};
use p2s_sim::report::batch;
use p2s_sim::report::ListLimit;
use p2s_sim::report::Report;
use p2s_sim::verdicts::findings::{self, Date, Options};

/// small / 10x / 100x: hubs grow tenfold, every hub with 10 spokes of 4 prefixes, a branch,
/// linked to its 3 next hubs by Vnet2Vnet with BGP.
const SIZES: [(&str, usize); 3] = [("small", 10), ("10x", 100), ("100x", 1000)];

fn topology(hubs: usize, spokes: usize, prefixes: usize) -> Topology {
    generate(&GenerateOptions {
        hubs,
        spokes_per_hub: spokes,
        prefixes_per_vnet: prefixes,
        local_networks: 1,
        v2v_mesh: true,
        mesh_degree: 3,
        bgp: true,
        seed: 42,
    })
    .expect("generates")
}

fn prefix_count(t: &Topology) -> u64 {
    t.vnets.iter().map(|v| v.address_space.len() as u64).sum()
}

fn bench_analyze(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    for (name, hubs) in SIZES {
        let t = topology(hubs, 10, 4);
        group.throughput(Throughput::Elements(prefix_count(&t)));
        group.bench_with_input(BenchmarkId::from_parameter(name), &t, |b, t| {
            b.iter(|| analyze(t))
        });
    }
    group.finish();
}

fn bench_whatif(c: &mut Criterion) {
    let mut group = c.benchmark_group("whatif");
    let scenario = Scenario {
        changes: vec![Change::AddSpokes(AddSpokes {
            hub: "hub-0001".into(),
            count: 40,
            prefixes_per_spoke: 2,
            prefix_length: 24,
            base: None,
            transit: true,
            name: None,
        })],
    };
    for (name, hubs) in SIZES {
        let t = topology(hubs, 10, 4);
        let before = analyze(&t);
        group.bench_with_input(BenchmarkId::from_parameter(name), &t, |b, t| {
            b.iter(|| {
                let after = whatif::apply(t, &scenario, "bench").unwrap();
                whatif::compare(&before, &analyze(&after), ListLimit::default())
            })
        });
    }
    group.finish();
}

fn bench_sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    let steps = whatif::parse_steps("0..100:10").unwrap();
    let rules = findings::Options::at(findings::Date::parse("2026-12-01").unwrap());
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 2,
    };
    for (name, hubs) in SIZES {
        let t = topology(hubs, 10, 4);
        group.bench_with_input(BenchmarkId::from_parameter(name), &t, |b, t| {
            let plan = whatif::SweepPlan {
                hub: "hub-0001",
                watch: None,
                kind: &kind,
                steps: &steps,
                flag: "--add-spokes 0..100:10",
            };
            b.iter(|| whatif::sweep(t, &plan, &rules).unwrap())
        });
    }
    group.finish();
}

/// Issue 16: the 2,001-step spoke sweep on the bundled hub-and-spoke, each step from the
/// previous one's state (`incremental`) against every step analysed in full (`from-scratch`).
fn bench_sweep_2001_steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep-2001-steps");
    group.sample_size(10);
    let text = include_str!("../datasets/scenarios/hub-spoke.yaml");
    let t = p2s_sim::read::read_topology(&[p2s_sim::read::Source {
        name: "hub-spoke.yaml".into(),
        text: text.into(),
    }])
    .expect("the bundled topology reads");
    let steps = whatif::parse_steps("0..2000:1").unwrap();
    let rules = findings::Options::at(findings::Date::parse("2026-12-01").unwrap());
    let kind = SweepKind::Spokes {
        prefixes_per_spoke: 2,
    };
    for (name, strategy) in [
        ("incremental", Strategy::Incremental),
        ("from-scratch", Strategy::FromScratch),
    ] {
        group.bench_function(name, |b| {
            let plan = whatif::SweepPlan {
                hub: "hub-weu",
                watch: None,
                kind: &kind,
                steps: &steps,
                flag: "--add-spokes 0..2000:1",
            };
            b.iter(|| whatif::sweep_with(&t, &plan, &rules, strategy).unwrap())
        });
    }
    group.finish();
}

fn bench_batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    // 20 / 200 / 2,000 tenant topologies of 3 hubs each.
    for (name, tenants) in [("small", 20usize), ("10x", 200), ("100x", 2000)] {
        let jobs: Vec<Topology> = (0..tenants as u64)
            .map(|seed| {
                generate(&GenerateOptions {
                    hubs: 3,
                    spokes_per_hub: 8,
                    prefixes_per_vnet: 2,
                    local_networks: 2,
                    v2v_mesh: true,
                    mesh_degree: 3,
                    bgp: seed % 2 == 0,
                    seed,
                })
                .unwrap()
            })
            .collect();
        group.throughput(Throughput::Elements(tenants as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &jobs, |b, jobs| {
            b.iter(|| {
                let mut gateways = 0;
                batch::run(
                    jobs,
                    2,
                    false,
                    |t| analyze(t).gateways.len(),
                    |_, n| {
                        gateways += n;
                        true
                    },
                )
                .unwrap();
                gateways
            })
        });
    }
    group.finish();
}

fn bench_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    let t = topology_big();
    group.throughput(Throughput::Elements(prefix_count(&t)));
    group.bench_function("analyze-1000-hubs-50000-spokes-1M-prefixes", |b| {
        b.iter(|| analyze(&t))
    });
    group.finish();
}

fn topology_big() -> Topology {
    generate(&GenerateOptions {
        hubs: 1000,
        spokes_per_hub: 50,
        prefixes_per_vnet: 20,
        local_networks: 2,
        v2v_mesh: true,
        mesh_degree: 3,
        bgp: true,
        seed: 42,
    })
    .expect("generates")
}

/// Issue 16: `analyze --format json` of the topology of
/// `generate --hubs 1000 --spokes-per-hub 50 --prefixes-per-vnet 20 --local-networks 1
/// --v2v-mesh --bgp --seed 1` (51,000 VNets, 1.02M prefixes, ~30 MB of JSON), phase by phase.
fn bench_issue16(c: &mut Criterion) {
    let mut group = c.benchmark_group("issue16");
    group.sample_size(10);
    let t = generate(&GenerateOptions {
        hubs: 1000,
        spokes_per_hub: 50,
        prefixes_per_vnet: 20,
        local_networks: 1,
        v2v_mesh: true,
        mesh_degree: 3,
        bgp: true,
        seed: 1,
    })
    .expect("generates");
    let loaded = Loaded {
        topology: t.clone(),
        ..Loaded::default()
    };
    let text = serde_json::to_string_pretty(&to_native(&loaded)).expect("serializes");
    let source = [Source {
        name: "big.json".into(),
        text,
    }];
    group.throughput(Throughput::Bytes(source[0].text.len() as u64));
    group.bench_function("read-native-json-30MB", |b| {
        b.iter(|| read_topology(&source).expect("reads"))
    });
    group.throughput(Throughput::Elements(prefix_count(&t)));
    let analysis = analyze(&t);
    group.bench_function("analyze", |b| b.iter(|| analyze(&t)));
    let options = Options::at(Date::new(2026, 12, 1).expect("a day"));
    group.bench_function("findings", |b| {
        b.iter(|| findings::check(&t, &analysis, &options))
    });
    group.bench_function("report-lists", |b| {
        b.iter(|| Report::new(&analysis, Vec::new(), ListLimit(Some(10_000))))
    });
    let report = Report::new(&analysis, Vec::new(), ListLimit(Some(10_000)));
    group.bench_function("write-json", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(64 << 20);
            serde_json::to_writer_pretty(&mut out, &report).expect("writes");
            out.len()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_analyze,
    bench_whatif,
    bench_sweep,
    bench_sweep_2001_steps,
    bench_batch,
    bench_scale,
    bench_issue16
);
criterion_main!(benches);
