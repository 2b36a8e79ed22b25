//! Property tests of the prefix engine against a naive oracle: explicit address intervals
//! on u128, membership decided by scanning every input interval.

use std::net::{Ipv4Addr, Ipv6Addr};

use p2s_sim::prefix::{
    canonical_list, internals, overlaps, parse_prefix, summarize, AddressCount, Infeasible, IpNet,
    PrefixSet,
};
use proptest::prelude::*;

// ---------------------------------------------------------------- the oracle

/// (family, first, last): family 4 or 6, addresses as u128 (IPv4 in the low 32 bits).
type Iv = (u8, u128, u128);

fn width(fam: u8) -> u32 {
    if fam == 4 {
        32
    } else {
        128
    }
}

fn fam_max(fam: u8) -> u128 {
    if fam == 4 {
        u32::MAX as u128
    } else {
        u128::MAX
    }
}

fn iv_of(p: &IpNet) -> Iv {
    let (fam, a, len) = match p {
        IpNet::V4(n) => (4u8, u32::from(n.addr()) as u128, n.prefix_len()),
        IpNet::V6(n) => (6u8, u128::from(n.addr()), n.prefix_len()),
    };
    let host = if len as u32 == width(fam) {
        0
    } else {
        fam_max(fam) >> len
    };
    let s = a & !host;
    (fam, s, s | host)
}

fn contains(ivs: &[Iv], fam: u8, x: u128) -> bool {
    ivs.iter().any(|&(f, s, e)| f == fam && s <= x && x <= e)
}

/// The set as sorted disjoint non-adjacent intervals, computed from elementary segments:
/// every boundary of every input interval cuts the line, and each segment is in or out as
/// a whole, decided by `member` at its first address.
fn oracle_set(inputs: &[&[Iv]], member: impl Fn(&[bool]) -> bool) -> Vec<Iv> {
    let mut out: Vec<Iv> = Vec::new();
    for fam in [4u8, 6] {
        let mut cuts: Vec<u128> = vec![0];
        for ivs in inputs {
            for &(f, s, e) in ivs.iter() {
                if f == fam {
                    cuts.push(s);
                    if e < fam_max(fam) {
                        cuts.push(e + 1);
                    }
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for (i, &c) in cuts.iter().enumerate() {
            let end = if i + 1 < cuts.len() {
                cuts[i + 1] - 1
            } else {
                fam_max(fam)
            };
            let m: Vec<bool> = inputs.iter().map(|ivs| contains(ivs, fam, c)).collect();
            if member(&m) {
                match out.last_mut() {
                    Some(l) if l.0 == fam && l.2 + 1 == c => l.2 = end,
                    _ => out.push((fam, c, end)),
                }
            }
        }
    }
    out
}

fn ivs(ps: &[IpNet]) -> Vec<Iv> {
    ps.iter().map(iv_of).collect()
}

/// The intervals a PrefixSet holds, read back through its public API.
fn set_ivs(s: &PrefixSet) -> Vec<Iv> {
    let mut v: Vec<Iv> = s
        .ipv4_ranges()
        .iter()
        .map(|&(a, b)| (4, a as u128, b as u128))
        .collect();
    v.extend(s.ipv6_ranges().iter().map(|&(a, b)| (6, a, b)));
    v
}

/// The set a list of prefixes covers, through the oracle.
fn oracle_of_prefixes(ps: &[IpNet]) -> Vec<Iv> {
    let v = ivs(ps);
    oracle_set(&[&v], |m| m[0])
}

fn oracle_count(set: &[Iv]) -> AddressCount {
    let mut total = AddressCount::ZERO;
    for &(f, s, e) in set {
        if f == 6 && s == 0 && e == u128::MAX {
            total += AddressCount::ALL_IPV6;
        } else {
            total += AddressCount::new(e - s + 1);
        }
    }
    total
}

/// Checks `out` is the aggregate of the oracle set `want`: canonical order, exact union,
/// and every prefix maximal (its parent is not inside the set), which makes it minimal.
fn check_aggregate(out: &[IpNet], want: &[Iv]) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        canonical_list(out.iter().copied()),
        out.to_vec(),
        "not canonical"
    );
    prop_assert_eq!(oracle_of_prefixes(out), want.to_vec(), "wrong addresses");
    for p in out {
        prop_assert_eq!(p.trunc(), *p);
        if p.prefix_len() > 0 {
            let parent = iv_of(&p.supernet().unwrap());
            let inside = want
                .iter()
                .any(|&(f, s, e)| f == parent.0 && s <= parent.1 && parent.2 <= e);
            prop_assert!(!inside, "{} is not maximal", p);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- generators

/// Prefixes clustered around a few bases (so they overlap, nest and touch), with the edge
/// lengths /0, /1, /32, /128 over-represented.
fn arb_prefix() -> impl Strategy<Value = IpNet> {
    let v4 = (
        0usize..4,
        any::<u32>(),
        prop_oneof![Just(0u8), Just(1), Just(32), 20u8..=32, 0u8..=32],
    )
        .prop_map(|(b, r, len)| {
            let bases = [0u32, 0x0a00_0000, 0xffff_ff00, 0xc0a8_0000];
            let a = if b == 3 { r } else { bases[b] ^ (r & 0x3ff) };
            IpNet::new(Ipv4Addr::from(a).into(), len).unwrap().trunc()
        });
    let v6 = (
        0usize..4,
        any::<u128>(),
        prop_oneof![Just(0u8), Just(1), Just(128), 116u8..=128, 0u8..=128],
    )
        .prop_map(|(b, r, len)| {
            let bases = [
                0u128,
                0x2001_0db8u128 << 96,
                u128::MAX - 0xfff,
                0xfe80u128 << 112,
            ];
            let a = if b == 3 { r } else { bases[b] ^ (r & 0xfff) };
            IpNet::new(Ipv6Addr::from(a).into(), len).unwrap().trunc()
        });
    prop_oneof![v4, v6]
}

fn arb_list() -> impl Strategy<Value = Vec<IpNet>> {
    prop::collection::vec(arb_prefix(), 0..24)
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn aggregate_matches_oracle(a in arb_list()) {
        let set = PrefixSet::from_prefixes(a.clone());
        let want = oracle_of_prefixes(&a);
        prop_assert_eq!(set_ivs(&set), want.clone());
        let agg = set.to_prefixes();
        check_aggregate(&agg, &want)?;
        prop_assert_eq!(set.prefix_count(), agg.len());
        // Second oracle: ipnet's own aggregate.
        let mut by_ipnet = IpNet::aggregate(&a);
        by_ipnet.sort();
        prop_assert_eq!(agg.clone(), by_ipnet);
        prop_assert_eq!(set.is_empty(), a.is_empty());
        prop_assert_eq!(set.address_count(), oracle_count(&want));
        // Round trip.
        prop_assert_eq!(PrefixSet::from_prefixes(agg), set);
    }

    #[test]
    fn algebra_matches_oracle(a in arb_list(), b in arb_list()) {
        let (sa, sb) = (PrefixSet::from_prefixes(a.clone()), PrefixSet::from_prefixes(b.clone()));
        let (ia, ib) = (ivs(&a), ivs(&b));
        let union = oracle_set(&[&ia, &ib], |m| m[0] || m[1]);
        let inter = oracle_set(&[&ia, &ib], |m| m[0] && m[1]);
        let diff = oracle_set(&[&ia, &ib], |m| m[0] && !m[1]);
        prop_assert_eq!(set_ivs(&sa.union(&sb)), union.clone());
        prop_assert_eq!(set_ivs(&sa.intersection(&sb)), inter.clone());
        prop_assert_eq!(set_ivs(&sa.difference(&sb)), diff.clone());
        check_aggregate(&sa.union(&sb).to_prefixes(), &union)?;
        check_aggregate(&sa.intersection(&sb).to_prefixes(), &inter)?;
        check_aggregate(&sa.difference(&sb).to_prefixes(), &diff)?;
        prop_assert_eq!(sa.intersects(&sb), !inter.is_empty());
        prop_assert_eq!(sa.contains_set(&sb), oracle_set(&[&ib, &ia], |m| m[0] && !m[1]).is_empty());
        prop_assert_eq!(sa.address_count(), oracle_count(&oracle_set(&[&ia], |m| m[0])));
    }

    #[test]
    fn covers_and_overlaps_match_oracle(a in arb_list(), probes in prop::collection::vec(arb_prefix(), 1..16)) {
        let set = PrefixSet::from_prefixes(a.clone());
        let want = oracle_of_prefixes(&a);
        for p in &probes {
            let (f, s, e) = iv_of(p);
            let covers = want.iter().any(|&(g, x, y)| g == f && x <= s && e <= y);
            let overlaps = want.iter().any(|&(g, x, y)| g == f && x <= e && s <= y);
            prop_assert_eq!(set.covers(p), covers, "covers {}", p);
            prop_assert_eq!(set.overlaps(p), overlaps, "overlaps {}", p);
        }
    }

    #[test]
    fn overlaps_among_lists_match_oracle(lists in prop::collection::vec((0u8..5, arb_list()), 0..6)) {
        let out = overlaps(&lists);
        let mut labels: Vec<u8> = lists.iter().map(|l| l.0).collect();
        labels.sort_unstable();
        labels.dedup();
        let mut want = Vec::new();
        for (i, &x) in labels.iter().enumerate() {
            for &y in &labels[i + 1..] {
                let gather = |l: u8| -> Vec<Iv> { lists.iter().filter(|p| p.0 == l).flat_map(|p| ivs(&p.1)).collect() };
                let (gx, gy) = (gather(x), gather(y));
                let common = oracle_set(&[&gx, &gy], |m| m[0] && m[1]);
                if !common.is_empty() {
                    want.push((x, y, common));
                }
            }
        }
        prop_assert_eq!(out.len(), want.len());
        for (o, (x, y, common)) in out.iter().zip(&want) {
            prop_assert_eq!((o.a, o.b), (*x, *y));
            check_aggregate(&o.common, common)?;
        }
    }

    #[test]
    fn parse_prefix_agrees_with_std(a in any::<u128>(), len in 0u8..=140, v4 in any::<bool>(), pad in "[ \t]{0,2}") {
        let (text, max, ip) = if v4 {
            let ip = Ipv4Addr::from(a as u32);
            (format!("{pad}{ip}/{len}{pad}"), 32, std::net::IpAddr::from(ip))
        } else {
            let ip = Ipv6Addr::from(a);
            (format!("{pad}{ip}/{len}{pad}"), 128, std::net::IpAddr::from(ip))
        };
        match parse_prefix(&text) {
            Ok(p) => {
                prop_assert!(len <= max);
                prop_assert_eq!(p, IpNet::new(ip, len).unwrap().trunc());
            }
            Err(e) => {
                prop_assert!(len > max);
                let want = format!("above {}", max);
                prop_assert!(e.to_string().contains(&want));
            }
        }
    }

    #[test]
    fn parse_prefix_never_panics(s in "\\PC{0,40}") {
        // Whatever it is given: a prefix that reads back as itself, or an error that says why.
        match parse_prefix(&s) {
            Ok(p) => prop_assert_eq!(parse_prefix(&p.to_string()).unwrap(), p),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

// ---------------------------------------------------------------- summarize vs brute force

/// A tiny world: an IPv4 universe at 10.0.0.0 and an IPv6 universe at 2001:db8:: of 2^u
/// addresses each (u = 0 means the family is absent); IPv4 addresses are bits 0..8 of a
/// mask, IPv6 addresses bits 8..16. Candidates: every prefix inside a universe, plus the
/// universe's parent and /0, which cover their family's whole universe.
struct Cand {
    net: IpNet,
    mask: u32,
    fam: usize,
    /// Addresses of the candidate, wrapping (so ::/0 is 0 = 2^128 mod 2^128).
    size: u128,
    /// The universe's parent or /0 (covers the whole universe and more).
    ancestor: bool,
}

fn candidates(u: [u32; 2]) -> Vec<Cand> {
    let mut v = Vec::new();
    for (fam, base, w) in [
        (0usize, 0x0a00_0000u128, 32u32),
        (1, 0x2001_0db8u128 << 96, 128),
    ] {
        if u[fam] == 0 {
            continue;
        }
        let ulen = w - u[fam];
        for len in ulen..=w {
            let size = 1u32 << (w - len);
            for i in 0..(1u32 << (len - ulen)) {
                let off = i * size;
                let m = ((1u32 << size) - 1) << off;
                v.push(Cand {
                    net: mk(fam, base + off as u128, len as u8),
                    mask: m << (8 * fam),
                    fam,
                    size: size as u128,
                    ancestor: false,
                });
            }
        }
        let all = ((1u32 << (1 << u[fam])) - 1) << (8 * fam);
        for len in [0u32, ulen - 1] {
            let size = if w - len == 128 {
                0
            } else {
                1u128 << (w - len)
            };
            v.push(Cand {
                net: mk(fam, base, len as u8),
                mask: all,
                fam,
                size,
                ancestor: true,
            });
        }
    }
    v
}

fn mk(fam: usize, a: u128, len: u8) -> IpNet {
    let ip: std::net::IpAddr = if fam == 0 {
        Ipv4Addr::from(a as u32).into()
    } else {
        Ipv6Addr::from(a).into()
    };
    IpNet::new(ip, len).unwrap().trunc()
}

fn set_of_mask(m: u32, cands: &[Cand]) -> PrefixSet {
    PrefixSet::from_prefixes(
        cands
            .iter()
            .filter(|c| c.size == 1 && c.mask & m != 0)
            .map(|c| c.net),
    )
}

/// Extra addresses of a cover: per family, the union's size (the largest ancestor if one
/// is chosen, else the number of distinct addresses) minus the set's addresses.
fn extra_of(chosen: &[&Cand], s_mask: u32) -> AddressCount {
    let mut total = AddressCount::ZERO;
    for fam in 0..2 {
        let mine: Vec<&&Cand> = chosen.iter().filter(|c| c.fam == fam).collect();
        let s_here = (s_mask >> (8 * fam) & 0xff).count_ones() as u128;
        let ancestor = mine
            .iter()
            .filter(|c| c.ancestor)
            .map(|c| c.size.wrapping_sub(1))
            .max();
        let size = match ancestor {
            Some(s_minus_1) => s_minus_1.wrapping_add(1),
            None => mine.iter().fold(0u32, |m, c| m | c.mask).count_ones() as u128,
        };
        if !mine.is_empty() {
            total += AddressCount::new(size.wrapping_sub(s_here));
        }
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn summarize_matches_brute_force(shape in 0usize..4, s_mask in any::<u16>(), f_mask in any::<u16>(), overlap in any::<bool>(), max in 0usize..6) {
        let u = [[3, 0], [0, 3], [2, 2], [2, 1]][shape];
        let cands = candidates(u);
        let world = cands.iter().fold(0u32, |m, c| m | c.mask);
        let s_mask = s_mask as u32 & world;
        let f_mask = if overlap { f_mask as u32 & world } else { f_mask as u32 & world & !s_mask };
        let (set, forbid) = (set_of_mask(s_mask, &cands), set_of_mask(f_mask, &cands));
        let got = summarize(&set, max, &forbid);
        // The reference dynamic program agrees on cost and count (or on the error).
        let oracle = internals::summarize_reference(&set, max, &forbid);
        match (&got, &oracle) {
            (Ok(g), Ok(o)) => {
                prop_assert_eq!(g.extra, o.extra);
                prop_assert_eq!(g.prefixes.len(), o.prefixes.len());
            }
            (g, o) => prop_assert_eq!(g, o),
        }
        if s_mask & f_mask != 0 {
            let touches = matches!(got, Err(Infeasible::SetTouchesForbid { .. }));
            prop_assert!(touches, "expected SetTouchesForbid");
            return Ok(());
        }
        // Brute force over every subset of the usable candidates (those avoiding F).
        let usable: Vec<&Cand> = cands.iter().filter(|c| c.mask & f_mask == 0).collect();
        prop_assert!(usable.len() <= 20);
        let mut best: Option<(AddressCount, u32)> = None;
        let mut min_count = u32::MAX;
        for bits in 0u32..(1 << usable.len()) {
            let cover = (0..usable.len()).filter(|i| bits >> i & 1 == 1).fold(0u32, |m, i| m | usable[i].mask);
            if cover & s_mask != s_mask {
                continue;
            }
            let k = bits.count_ones();
            min_count = min_count.min(k);
            if k as usize > max {
                continue;
            }
            let chosen: Vec<&Cand> = (0..usable.len()).filter(|i| bits >> i & 1 == 1).map(|i| usable[i]).collect();
            let extra = extra_of(&chosen, s_mask);
            if best.is_none_or(|b| (extra, k) < b) {
                best = Some((extra, k));
            }
        }
        match (got, best) {
            (Ok(sum), Some((extra, k))) => {
                prop_assert_eq!(sum.extra, extra);
                prop_assert_eq!(sum.prefixes.len() as u32, k);
                // The returned cover itself: covers S, avoids F, has the claimed extra.
                let cov = PrefixSet::from_prefixes(sum.prefixes.clone());
                prop_assert!(cov.contains_set(&set));
                prop_assert!(!cov.intersects(&forbid));
                prop_assert_eq!(canonical_list(sum.prefixes.clone()), sum.prefixes.clone());
                let chosen: Vec<&Cand> = cands.iter().filter(|c| sum.prefixes.contains(&c.net)).collect();
                prop_assert_eq!(chosen.len(), sum.prefixes.len());
                prop_assert_eq!(extra_of(&chosen, s_mask), extra);
            }
            (Err(Infeasible::TooFew { min_count: m }), None) => {
                prop_assert_eq!(m as u32, min_count);
            }
            (g, b) => prop_assert!(false, "summarize gave {:?}, brute force {:?}", g, b),
        }
    }
}

/// Random prefixes inside 10.0.0.0/16 (or 2001:db8::/112 when `v6`), lengths /17.. /32 (or
/// /113.. /128): dense enough for deep tries with kinks, small enough for the reference DP.
fn arb_small_prefixes(v6: bool, n: usize) -> impl Strategy<Value = Vec<IpNet>> {
    prop::collection::vec((any::<u16>(), 1u8..=16), 0..n).prop_map(move |v| {
        v.into_iter()
            .map(|(off, extra)| {
                if v6 {
                    mk(1, (0x2001_0db8u128 << 96) | off as u128, 112 + extra)
                } else {
                    mk(0, 0x0a00_0000 | off as u128, 16 + extra)
                }
            })
            .collect()
    })
}

/// Checks one summary against the reference DP: same outcome, same cost and count, and a
/// cover that is valid (canonical, covers the set, avoids the forbidden set, claimed extra).
fn check_against_reference(
    set: &PrefixSet,
    max: usize,
    forbid: &PrefixSet,
) -> Result<(), TestCaseError> {
    let got = summarize(set, max, forbid);
    let oracle = internals::summarize_reference(set, max, forbid);
    match (&got, &oracle) {
        (Ok(g), Ok(o)) => {
            prop_assert_eq!(g.extra, o.extra);
            prop_assert_eq!(g.prefixes.len(), o.prefixes.len());
            prop_assert!(g.prefixes.len() <= max);
            prop_assert_eq!(canonical_list(g.prefixes.clone()), g.prefixes.clone());
            let cov = PrefixSet::from_prefixes(g.prefixes.clone());
            prop_assert!(cov.contains_set(set));
            prop_assert!(!cov.intersects(forbid));
            let (c, s) = (cov.address_count().to_u128(), set.address_count().to_u128());
            prop_assert_eq!(c.unwrap() - s.unwrap(), g.extra.to_u128().unwrap());
        }
        (g, o) => prop_assert_eq!(g, o),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The fast summarize (Lagrangian-bounded DP) against the plain DP on IPv4 and IPv6 sets
    /// of up to 80 prefixes, alone and together, with and without a forbidden set, for every
    /// budget from the fewest possible to the aggregate's size.
    #[test]
    fn summarize_matches_reference_dp(
        s4 in arb_small_prefixes(false, 40), s6 in arb_small_prefixes(true, 40),
        f4 in arb_small_prefixes(false, 6), f6 in arb_small_prefixes(true, 6),
        fams in 0usize..3, with_forbid in any::<bool>(),
    ) {
        let (s4, s6) = match fams { 0 => (s4, vec![]), 1 => (vec![], s6), _ => (s4, s6) };
        let set = PrefixSet::from_prefixes(s4.into_iter().chain(s6));
        let forbid = if with_forbid {
            PrefixSet::from_prefixes(f4.into_iter().chain(f6)).difference(&set)
        } else {
            PrefixSet::new()
        };
        for max in 0..=set.prefix_count() + 1 {
            check_against_reference(&set, max, &forbid)?;
        }
        // A forbidden set touching the set is reported the same way.
        if let Some(p) = set.to_prefixes().first() {
            check_against_reference(&set, 3, &PrefixSet::from_prefixes([*p]))?;
        }
    }
}

/// The trial pass (a bound smaller than the proven one, then the proven one if needed) gives
/// exactly the answer of the program under the proven bound alone: checked by forcing the
/// trial at divisors from 1 (the proven bound itself) to one that keeps almost nothing.
fn check_forced_trial(
    set: &PrefixSet,
    max: usize,
    forbid: &PrefixSet,
) -> Result<(), TestCaseError> {
    let oracle = internals::summarize_reference(set, max, forbid);
    let plain = internals::summarize_forcing_trial(set, max, forbid, 1);
    for divisor in [2, 4, 64, 1 << 20, u128::MAX] {
        let trial = internals::summarize_forcing_trial(set, max, forbid, divisor);
        prop_assert_eq!(&trial, &plain, "divisor {}", divisor);
        match (&trial, &oracle) {
            (Ok(t), Ok(o)) => {
                prop_assert_eq!(t.extra, o.extra);
                prop_assert_eq!(t.prefixes.len(), o.prefixes.len());
            }
            (t, o) => prop_assert_eq!(t, o),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// On sets of up to 80 prefixes, every budget: the forced trial at every divisor.
    #[test]
    fn summarize_trial_pass_is_exact(
        s4 in arb_small_prefixes(false, 40), s6 in arb_small_prefixes(true, 40),
        f4 in arb_small_prefixes(false, 6), with_forbid in any::<bool>(),
    ) {
        let set = PrefixSet::from_prefixes(s4.into_iter().chain(s6));
        let forbid = if with_forbid {
            PrefixSet::from_prefixes(f4).difference(&set)
        } else {
            PrefixSet::new()
        };
        for max in 0..=set.prefix_count() + 1 {
            check_forced_trial(&set, max, &forbid)?;
        }
    }

    /// On sets of up to 600 prefixes, budgets above 64 (where `summarize` itself takes the
    /// trial when the greedy count is far from the budget): against the plain program.
    #[test]
    fn summarize_matches_reference_dp_on_wide_budgets(
        s4 in prop::collection::vec((any::<u32>(), 20u8..=32), 200..800), step in 10usize..60,
    ) {
        // Scattered over 10.0.0.0/8: deep tries, many kinks, greedy counts far from the budget.
        let set = PrefixSet::from_prefixes(
            s4.into_iter().map(|(off, len)| mk(0, 0x0a00_0000 | (off & 0x00ff_ffff) as u128, len)),
        );
        let mut max = 65;
        while max < set.prefix_count() {
            check_against_reference(&set, max, &PrefixSet::new())?;
            max += step;
        }
    }
}

/// The cost is not convex in the count, so a price per prefix alone cannot be exact: here
/// 1, 2, 3 prefixes cost 190, 126, 0 extra addresses, and 2 lies above the chord.
#[test]
fn summarize_non_convex_budget() {
    let p = |s| parse_prefix(s).unwrap();
    let set = PrefixSet::from_prefixes([p("10.0.0.0/32"), p("10.0.0.127/32"), p("10.0.0.128/26")]);
    let none = PrefixSet::new();
    let costs: Vec<u128> = (1..=3)
        .map(|k| summarize(&set, k, &none).unwrap().extra.to_u128().unwrap())
        .collect();
    assert_eq!(costs, vec![190, 126, 0]);
    let s = summarize(&set, 2, &none).unwrap();
    assert_eq!(s.prefixes, vec![p("10.0.0.0/25"), p("10.0.0.128/26")]);
}

/// The worst case of the fast program (`benches/summarize-worst-case.sh`): that kinked /24 in
/// each of `m` separate /20s. Worked by hand: blocks never merge (a /20 costs thousands), a
/// block at 3 prefixes saves 190 for 2 more (95 each), at 2 saves 64 for 1 more, so with
/// `b = K − m` spare prefixes the best is `b / 2` blocks at 3 and, if `b` is odd, one at 2.
#[test]
fn summarize_tied_non_convex_blocks() {
    let m = 40u32;
    let mut text = String::new();
    for i in 0..m {
        let block = format!("11.{}.{}", i >> 4, (i & 15) * 16);
        text.push_str(&format!("{block}.0/32\n{block}.127/32\n{block}.128/26\n"));
    }
    let set = PrefixSet::from_prefixes(text.lines().map(|l| parse_prefix(l).unwrap()));
    assert_eq!(set.prefix_count(), 3 * m as usize);
    let none = PrefixSet::new();
    for k in m..=3 * m {
        let spare = k - m;
        let (at3, at2) = (
            (spare / 2).min(m),
            if spare < 2 * m { spare % 2 } else { 0 },
        );
        let want = 190 * (m - at3 - at2) + 126 * at2;
        let got = summarize(&set, k as usize, &none).unwrap();
        assert_eq!(got.extra.to_u128(), Some(want as u128), "K = {k}");
        assert_eq!(got.prefixes.len() as u32, m + 2 * at3 + at2, "K = {k}");
    }
}

#[test]
fn summarize_examples() {
    let p = |s| parse_prefix(s).unwrap();
    let set = PrefixSet::from_prefixes([
        p("10.0.0.0/24"),
        p("10.0.2.0/24"),
        p("10.0.8.0/24"),
        p("2001:db8::/48"),
    ]);
    let none = PrefixSet::new();
    // Enough room: the aggregate itself.
    assert_eq!(
        summarize(&set, 4, &none).unwrap().prefixes,
        set.to_prefixes()
    );
    // One prefix per family at the least: 10.0.0.0/20 and 2001:db8::/48.
    let s = summarize(&set, 2, &none).unwrap();
    assert_eq!(s.prefixes, vec![p("10.0.0.0/20"), p("2001:db8::/48")]);
    assert_eq!(s.extra, AddressCount::new(4096 - 768));
    assert_eq!(
        summarize(&set, 1, &none),
        Err(Infeasible::TooFew { min_count: 2 })
    );
    // Forbid 10.0.4.0/24: the /20 and /21 are out, 10.0.0.0/22 + 10.0.8.0/24 remain.
    let forbid = PrefixSet::from_prefixes([p("10.0.4.0/24")]);
    let s = summarize(&set, 3, &forbid).unwrap();
    assert_eq!(
        s.prefixes,
        vec![p("10.0.0.0/22"), p("10.0.8.0/24"), p("2001:db8::/48")]
    );
    assert_eq!(
        summarize(&set, 2, &forbid),
        Err(Infeasible::TooFew { min_count: 3 })
    );
    let touching = PrefixSet::from_prefixes([p("10.0.0.128/25")]);
    assert_eq!(
        summarize(&set, 9, &touching),
        Err(Infeasible::SetTouchesForbid {
            common: vec![p("10.0.0.128/25")]
        })
    );
    // All of IPv6 but one address, squeezed into one prefix: ::/0 with one extra address.
    let most =
        PrefixSet::from_prefixes([p("::/0")]).difference(&PrefixSet::from_prefixes([p("::1/128")]));
    let s = summarize(&most, 1, &none).unwrap();
    assert_eq!(
        (s.prefixes, s.extra),
        (vec![p("::/0")], AddressCount::new(1))
    );
}

// ---------------------------------------------------------------- the bulk text path

/// Text that looks like prefixes, with the usual ways of being almost right.
fn arb_prefix_text() -> impl Strategy<Value = String> {
    prop_oneof![
        arb_prefix().prop_map(|p| p.to_string()),
        arb_prefix().prop_map(|p| p.addr().to_string()),
        arb_prefix().prop_map(|p| format!("{:?}", p.addr()).replace("::", ":0:")),
        (arb_prefix(), 0u16..300).prop_map(|(p, l)| format!("{}/{l}", p.addr())),
        "[0-9a-fA-F:./]{0,24}",
        "([0-9]{1,4}\\.){0,4}[0-9]{0,4}(/[0-9]{0,4})?",
        "(::)?([0-9a-f]{0,5}:){0,8}[0-9a-f]{0,5}(::)?(/[0-9]{1,3})?",
        "::ffff:([0-9]{1,3}\\.){3}[0-9]{1,3}",
        // Dotted quads with octets that are sometimes zero-padded or too big.
        (
            prop::collection::vec(
                prop_oneof![4 => (0u16..=255).prop_map(|o| o.to_string()), 1 => "0[0-9]{1,2}", 1 => "[0-9]{3,4}"],
                4
            ),
            prop::option::of(prop_oneof![(0u8..=40).prop_map(|l| l.to_string()), "0[0-9]{1,3}".boxed()])
        )
            .prop_map(|(o, len)| match len {
                Some(l) => format!("{}/{l}", o.join(".")),
                None => o.join("."),
            }),
        // n hex groups with "::" at some position (or none), and maybe a length.
        (
            prop::collection::vec("[0-9a-fA-F]{1,4}", 0..10),
            0usize..12,
            prop::option::of(0u16..140)
        )
            .prop_map(|(groups, gap, len)| {
                let mut t = String::new();
                for (k, g) in groups.iter().enumerate() {
                    if k == gap {
                        t.push_str("::");
                    } else if k > 0 {
                        t.push(':');
                    }
                    t.push_str(g);
                }
                if gap >= groups.len() && gap < 11 {
                    t.push_str("::");
                }
                if let Some(l) = len {
                    t.push_str(&format!("/{l}"));
                }
                t
            }),
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// The hand-written byte parser accepts exactly what `parse_prefix` (std-based) accepts,
    /// with the same result.
    #[test]
    fn bulk_lexer_agrees_with_parse_prefix(text in arb_prefix_text()) {
        let std_result = parse_prefix(&text);
        // With a newline the line takes the fused fast paths; without one, the general path.
        let read = |t: &str| {
            let mut r = p2s_sim::prefix::PrefixReader::new(false);
            r.feed(t.as_bytes()).and_then(|_| r.finish())
        };
        let fed = read(&format!("{text}\n"));
        let fed_last_line = read(&text);
        // A '#' starts a comment in files; a line of whitespace is blank.
        let stripped = text.split('#').next().unwrap().trim_matches(|c: char| matches!(c, ' ' | '\t' | '\r' | '\x0b' | '\x0c'));
        if text.starts_with('\u{feff}') || text.contains('\n') || stripped.is_empty() || text.contains('#') || stripped != text.trim() {
            return Ok(());
        }
        prop_assert_eq!(
            fed.as_ref().map(|x| &x.0).map_err(|e| e.line),
            fed_last_line.as_ref().map(|x| &x.0).map_err(|e| e.line)
        );
        match (std_result, fed) {
            (Ok(p), Ok((set, stats))) => {
                prop_assert_eq!(stats.prefixes, 1);
                prop_assert_eq!(set, PrefixSet::from_prefixes([p]));
            }
            (Err(_), Err(bad)) => prop_assert_eq!(bad.line, 1),
            (a, b) => prop_assert!(false, "parse_prefix {:?} but bulk reader {:?}", a, b.map(|x| x.0)),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Chunked reading, comments, blank lines and CRLF give the same set as `from_prefixes`,
    /// and the hand formatter prints exactly `to_prefixes()` through `Display`.
    #[test]
    fn bulk_reader_and_formatter_match(a in arb_list(), cuts in prop::collection::vec(0usize..2000, 0..6), crlf in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from("# header");
        text.push_str(nl);
        for (i, p) in a.iter().enumerate() {
            match i % 3 {
                0 => text.push_str(&format!("{p}{nl}")),
                1 => text.push_str(&format!("  {p}\t# note{nl}{nl}")),
                _ => text.push_str(&format!("{}{nl}", if p.prefix_len() == p.max_prefix_len() { p.addr().to_string() } else { p.to_string() })),
            }
        }
        let bytes = text.as_bytes();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
        cuts.push(0);
        cuts.push(bytes.len());
        cuts.sort_unstable();
        let mut r = p2s_sim::prefix::PrefixReader::new(false);
        for w in cuts.windows(2) {
            r.feed(&bytes[w[0]..w[1]]).unwrap();
        }
        let (set, stats) = r.finish().unwrap();
        prop_assert_eq!(stats.prefixes as usize, a.len());
        prop_assert_eq!(&set, &PrefixSet::from_prefixes(a.clone()));
        let mut out = Vec::new();
        set.write_aggregate(&mut out);
        let want: String = set.to_prefixes().iter().map(|p| format!("{p}\n")).collect();
        prop_assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}

#[test]
fn bulk_reader_reports_line_numbers_and_skips() {
    let text = b"10.0.0.0/8\n\n# c\n10.0.0.0/33\n1.2.3.4\n";
    let mut r = p2s_sim::prefix::PrefixReader::new(false);
    let err = r.feed(text).unwrap_err();
    assert_eq!(err.line, 4);
    assert!(err.to_string().contains("10.0.0.0/33"), "{err}");
    let mut r = p2s_sim::prefix::PrefixReader::new(true);
    r.feed(text).unwrap();
    r.feed(b"junk").unwrap(); // unterminated last line
    r.end_input().unwrap();
    assert_eq!(r.first_skipped().map(|b| b.line), Some(4));
    let (set, stats) = r.finish().unwrap();
    assert_eq!((stats.lines, stats.prefixes, stats.skipped), (6, 2, 2));
    assert_eq!(set.to_prefixes().len(), 2);
}
