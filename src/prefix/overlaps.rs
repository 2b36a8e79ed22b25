//! [`overlaps`]: which of many labelled prefix lists overlap which, and where.

use std::collections::BTreeMap;

use ipnet::IpNet;

use super::range::Bits;
use super::set::PrefixSet;

/// Two inputs that share addresses: `a < b`, and `common` is the shared part as canonical
/// aggregated prefixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap<L, C = Vec<IpNet>> {
    pub a: L,
    pub b: L,
    pub common: C,
}

/// Overlaps among many labelled lists: one entry per pair of labels whose addresses
/// intersect, sorted by `(a, b)`, with the intersection as aggregated prefixes.
///
/// Inputs with the same label are merged first. A label never overlaps itself. Runs in
/// O(n log n + output) for n prefixes in total: each list is aggregated, then one sweep over
/// all ranges by start address keeps only the ranges still open (at most one per label,
/// because a label's own ranges are disjoint).
///
/// ```
/// use p2s_sim::prefix::{overlaps, parse_prefix};
/// let p = |s| parse_prefix(s).unwrap();
/// let out = overlaps(&[("hub", vec![p("10.0.0.0/16")]), ("spoke", vec![p("10.0.1.0/24"), p("10.1.0.0/16")])]);
/// assert_eq!(out.len(), 1);
/// assert_eq!((out[0].a, out[0].b, out[0].common.clone()), ("hub", "spoke", vec![p("10.0.1.0/24")]));
/// ```
pub fn overlaps<L: Clone + Ord>(inputs: &[(L, Vec<IpNet>)]) -> Vec<Overlap<L>> {
    let mut by_label: BTreeMap<&L, Vec<IpNet>> = BTreeMap::new();
    for (l, ps) in inputs {
        by_label.entry(l).or_default().extend(ps.iter().copied());
    }
    let labels: Vec<&L> = by_label.keys().copied().collect();
    let sets: Vec<PrefixSet> = by_label
        .into_values()
        .map(PrefixSet::from_prefixes)
        .collect();
    set_overlaps(&sets)
        .into_iter()
        .map(|o| Overlap {
            a: labels[o.a].clone(),
            b: labels[o.b].clone(),
            common: o.common.to_prefixes(),
        })
        .collect()
}

/// Like [`overlaps`], for sets already built: one entry per pair of indices `a < b` into
/// `sets` whose sets intersect, sorted by `(a, b)`, with the common addresses as a set.
pub fn set_overlaps(sets: &[PrefixSet]) -> Vec<Overlap<usize, PrefixSet>> {
    // pair (i, j), i < j  ->  common ranges per family
    let mut pairs: BTreeMap<(usize, usize), Common> = BTreeMap::new();
    sweep(sets.iter().map(|s| s.v4.as_slice()), |i, j, r| {
        pairs.entry((i, j)).or_default().0.push(r)
    });
    sweep(sets.iter().map(|s| s.v6.as_slice()), |i, j, r| {
        pairs.entry((i, j)).or_default().1.push(r)
    });
    pairs
        .into_iter()
        .map(|((a, b), (v4, v6))| Overlap {
            a,
            b,
            common: PrefixSet::from_ranges(v4, v6),
        })
        .collect()
}

type Common = (Vec<(u32, u32)>, Vec<(u128, u128)>);

/// Calls `emit(i, j, range)` (i < j) for every intersection of a range of list i with a
/// range of list j. Each list must be normal (sorted, disjoint).
fn sweep<'a, T: Bits>(
    lists: impl Iterator<Item = &'a [(T, T)]>,
    mut emit: impl FnMut(usize, usize, (T, T)),
) {
    let mut all: Vec<(T, T, usize)> = Vec::new();
    for (i, l) in lists.enumerate() {
        all.extend(l.iter().map(|&(s, e)| (s, e, i)));
    }
    all.sort_unstable_by_key(|&(s, _, i)| (s, i));
    let mut open: Vec<(T, T, usize)> = Vec::new();
    for &(s, e, i) in &all {
        open.retain(|o| o.1 >= s);
        for &(os, oe, oi) in &open {
            debug_assert_ne!(oi, i);
            let r = (os.max(s), oe.min(e));
            let (a, b) = if oi < i { (oi, i) } else { (i, oi) };
            emit(a, b, r);
        }
        open.push((s, e, i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefix::parse_prefix;

    #[test]
    fn merges_same_labels_and_skips_disjoint() {
        let p = |s| parse_prefix(s).unwrap();
        let out = overlaps(&[
            (3, vec![p("10.0.0.0/8")]),
            (1, vec![p("10.1.0.0/16")]),
            (2, vec![p("192.168.0.0/16")]),
            (1, vec![p("10.2.0.0/16"), p("2001:db8::/32")]),
            (2, vec![p("2001:db8:1::/48")]),
        ]);
        assert_eq!(
            out,
            vec![
                Overlap {
                    a: 1,
                    b: 2,
                    common: vec![p("2001:db8:1::/48")]
                },
                Overlap {
                    a: 1,
                    b: 3,
                    common: vec![p("10.1.0.0/16"), p("10.2.0.0/16")]
                },
            ]
        );
    }
}
