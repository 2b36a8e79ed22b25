//! On every real prefix list in `../shared/data/` (see its PROVENANCE.md), the aggregate
//! equals what the `ipnet` and `iprange` crates produce. Ignored ("needs ../shared") when the
//! data is absent (build.rs).

use std::path::PathBuf;

use ipnet::{Ipv4Net, Ipv6Net};
use iprange::IpRange;
use p2s_sim::prefix::{parse_prefix, IpNet, PrefixReader, PrefixSet};

use crate::helpers::*;

/// The `.txt` lists of `../shared/data`, by name; there must be some.
fn lists() -> Vec<(String, Vec<u8>)> {
    let d = shared_data();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
        .expect("data dir is readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .txt prefix lists in {}", d.display());
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).expect("readable"),
            )
        })
        .collect()
}

fn parse_all(bytes: &[u8]) -> Vec<IpNet> {
    std::str::from_utf8(bytes)
        .expect("UTF-8")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| parse_prefix(l).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn aggregate_equals_ipnet_and_iprange_on_real_lists() {
    let lists = lists();
    for (name, bytes) in &lists {
        let input = parse_all(bytes);
        // Ours, through the bulk path (fed in odd-sized chunks) and through from_prefixes.
        let mut r = PrefixReader::new(false);
        for chunk in bytes.chunks(65_521) {
            r.feed(chunk).unwrap();
        }
        let (set, stats) = r.finish().unwrap();
        assert_eq!(stats.prefixes as usize, input.len(), "{name}");
        // Fed whole: large blocks take the two-thread path.
        let mut whole = PrefixReader::new(false);
        whole.feed(bytes).unwrap();
        assert_eq!(whole.finish().unwrap(), (set.clone(), stats), "{name}");
        let ours = set.to_prefixes();
        assert_eq!(
            PrefixSet::from_prefixes(input.iter().copied()),
            set,
            "{name}"
        );

        // ipnet's aggregate.
        let mut by_ipnet = IpNet::aggregate(&input);
        by_ipnet.sort();
        assert_eq!(
            ours, by_ipnet,
            "{name}: differs from ipnet::IpNet::aggregate"
        );

        // The iprange crate (one range per family).
        let mut r4: IpRange<Ipv4Net> = IpRange::new();
        let mut r6: IpRange<Ipv6Net> = IpRange::new();
        for p in &input {
            match p {
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
        let mut by_iprange: Vec<IpNet> = r4
            .iter()
            .map(IpNet::V4)
            .chain(r6.iter().map(IpNet::V6))
            .collect();
        by_iprange.sort();
        assert_eq!(ours, by_iprange, "{name}: differs from the iprange crate");

        // The hand formatter prints exactly the Display form.
        let mut text = Vec::new();
        set.write_aggregate(&mut text);
        let want: String = ours.iter().map(|p| format!("{p}\n")).collect();
        assert_eq!(String::from_utf8(text).unwrap(), want, "{name}");
        eprintln!("{name}: {} prefixes -> {}", input.len(), ours.len());
    }
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn set_identities_on_real_lists() {
    let sets: Vec<(String, PrefixSet)> = lists()
        .into_iter()
        .filter(|(n, _)| n.starts_with("azure") || n.starts_with("aws"))
        .map(|(n, b)| {
            let mut r = PrefixReader::new(false);
            r.feed(&b).unwrap();
            (n, r.finish().unwrap().0)
        })
        .collect();
    assert!(sets.len() >= 2, "azure* and aws* lists in ../shared/data");
    for (na, a) in &sets {
        for (nb, b) in &sets {
            let (i, d, u) = (a.intersection(b), a.difference(b), a.union(b));
            assert_eq!(d.union(&i), *a, "{na} {nb}");
            assert!(!d.intersects(b), "{na} {nb}");
            assert_eq!(u.difference(b), d, "{na} {nb}");
            assert!(u.contains_set(a) && u.contains_set(b));
            assert_eq!(a.intersects(b), !i.is_empty());
            assert_eq!(d.address_count() + i.address_count(), a.address_count());
            for p in a.to_prefixes().iter().step_by(97) {
                assert!(u.covers(p) && a.covers(p) && a.overlaps(p));
                assert_eq!(b.covers(p), i.covers(p));
            }
        }
    }
}

/// `summarize` on the real AWS IPv4 list (1,752 prefixes aggregated), at budgets from 100 to
/// half of that (where the trial pass runs): the same cover as the program under the proven
/// bound alone,
/// and the cost and count of the plain dynamic program.
#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn summarize_on_a_real_list_equals_the_plain_program() {
    use p2s_sim::prefix::internals;
    let bytes = std::fs::read(shared_data().join("aws_v4.txt")).expect("aws_v4.txt");
    let set = PrefixSet::from_prefixes(parse_all(&bytes));
    let n = set.prefix_count();
    assert!(n > 1_000, "aggregate of {n} prefixes");
    let none = PrefixSet::new();
    for max in [100, 300, n / 4, n / 2] {
        let got = p2s_sim::prefix::summarize(&set, max, &none).unwrap();
        let proven = internals::summarize_forcing_trial(&set, max, &none, 1).unwrap();
        assert_eq!(got, proven, "max {max}");
        let oracle = internals::summarize_reference(&set, max, &none).unwrap();
        assert_eq!(
            (got.extra, got.prefixes.len()),
            (oracle.extra, oracle.prefixes.len()),
            "max {max}"
        );
    }
}
