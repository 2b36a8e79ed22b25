//! A sorted list of distinct prefixes that may share most of its entries with other lists.
//!
//! Gateways of one BGP domain learn the same (possibly huge) list of prefixes; each keeps only a
//! small list of its own entries plus the shared list minus a few index ranges (what its filter
//! drops). Counting is then O(ranges) and nothing is copied: a topology with a million prefixes in
//! one domain costs one list, not one per gateway.
//!
//! A gateway's own entries are split the same way: the VNet prefixes it serves (its own VNet and
//! transit spokes, often the bulk) are one list shared by its package, advertised and reachable
//! sets ([`Own::base`]); each set adds its few other entries (pool, custom routes, connected
//! networks) beside it.

use std::ops::Range;
use std::sync::Arc;

use super::prefix_list::PrefixList;
use crate::prefix::{net_cmp, net_lt, IpNet};

/// Sorted, distinct prefixes: `local ∪ (shared − dropped)`, with `local ∩ shared-kept = ∅`.
#[derive(Clone, Debug, Default)]
pub struct RouteSet {
    local: Own,
    shared: Arc<PrefixList>,
    /// Sorted, disjoint, non-adjacent index ranges into `shared` that are not in this set.
    dropped: Vec<Range<usize>>,
}

impl PartialEq for RouteSet {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl RouteSet {
    /// A set from any prefixes (sorted and de-duplicated here).
    pub fn from_list(list: Vec<IpNet>) -> RouteSet {
        RouteSet::from_own(Own::new(Arc::default(), list))
    }

    /// A set of own entries only.
    pub(crate) fn from_own(local: Own) -> RouteSet {
        RouteSet {
            local,
            ..RouteSet::default()
        }
    }

    /// `local ∪ (shared − dropped)`; entries of `local` also present in `shared` are dropped from
    /// the shared side so that every prefix is counted once.
    pub(crate) fn with_shared(
        local: Own,
        shared: Arc<PrefixList>,
        mut dropped: Vec<Range<usize>>,
    ) -> RouteSet {
        // `local` is sorted: each search gallops on from where the previous one ended, which
        // stays within a few cache lines of the shared list instead of 20 misses per entry.
        // Found entries come in ascending order and mostly in runs (a hub's spokes lie side by
        // side in the domain's list): extend the last range instead of sorting a thousand
        // one-entry ranges afterwards (extending a range given in `dropped` is as right: the
        // ranges stand for the union of what is dropped).
        let mut cursor = 0;
        for p in local.iter() {
            match search_from(&shared, cursor, &p) {
                Ok(i) => {
                    match dropped.last_mut() {
                        Some(run) if run.end == i => run.end = i + 1,
                        _ => dropped.push(i..i + 1),
                    }
                    cursor = i + 1;
                }
                Err(i) => cursor = i,
            }
        }
        RouteSet {
            local,
            dropped: merge_ranges(dropped),
            shared,
        }
    }

    /// This set minus the shared entries in `more` (index ranges into the same shared list) and
    /// minus the local entries for which `drop_local` is true.
    pub(crate) fn without(
        &self,
        more: Vec<Range<usize>>,
        drop_local: impl Fn(&IpNet) -> bool,
    ) -> RouteSet {
        let mut dropped = self.dropped.clone();
        dropped.extend(more);
        RouteSet {
            local: self.local.without(drop_local),
            shared: Arc::clone(&self.shared),
            dropped: merge_ranges(dropped),
        }
    }

    pub(crate) fn shared(&self) -> &PrefixList {
        &self.shared
    }

    pub fn len(&self) -> usize {
        let dropped: usize = self.dropped.iter().map(|r| r.len()).sum();
        self.local.len() + self.shared.len() - dropped
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The prefixes in canonical order (IPv4 before IPv6, then address, then length).
    pub fn iter(&self) -> impl Iterator<Item = IpNet> + '_ {
        Merge {
            local: self.local.iter().peekable(),
            shared: self.kept_shared().peekable(),
        }
    }

    pub fn to_vec(&self) -> Vec<IpNet> {
        self.iter().collect()
    }

    pub fn contains(&self, prefix: &IpNet) -> bool {
        self.local.contains(prefix) || self.keeps_shared(prefix)
    }

    /// How many of `sorted` (sorted and distinct, in canonical order) are in this set; one
    /// galloping pass over each list instead of a binary search per prefix.
    pub fn count_contained(&self, sorted: &[IpNet]) -> usize {
        let (mut at_base, mut at_extra, mut at_shared) = (0, 0, 0);
        let mut n = 0;
        for p in sorted {
            let in_base = gallop(&self.local.base, &mut at_base, p);
            let in_extra = gallop(&self.local.extra, &mut at_extra, p);
            let in_shared = match search_from(&self.shared, at_shared, p) {
                Ok(i) => {
                    at_shared = i + 1;
                    !self.is_dropped(i)
                }
                Err(i) => {
                    at_shared = i;
                    false
                }
            };
            if in_base || in_extra || in_shared {
                n += 1;
            }
        }
        n
    }

    /// Whether `prefix` is a kept entry of the shared list.
    fn keeps_shared(&self, prefix: &IpNet) -> bool {
        match self.shared.binary_search(prefix) {
            Ok(i) => !self.is_dropped(i),
            Err(_) => false,
        }
    }

    fn is_dropped(&self, index: usize) -> bool {
        let after = self.dropped.partition_point(|r| r.start <= index);
        after > 0 && self.dropped[after - 1].contains(&index)
    }

    /// The entries that share at least one address with `prefix` (its subnets, itself and its
    /// supernets), in canonical order; costs O(log n + hits), whatever the size of the set.
    pub fn overlapping(&self, prefix: &IpNet) -> Vec<IpNet> {
        let mut out = self.local.overlapping(prefix);
        out.extend(self.shared_overlapping(prefix));
        out.sort_unstable();
        out
    }

    /// How many entries come from the shared list (and not from this gateway's own ones): for
    /// an advertised set, the routes learned over BGP.
    pub fn shared_len(&self) -> usize {
        self.len() - self.local.len()
    }

    /// An identifier of the shared list, equal for two sets exactly when they keep parts of
    /// the same list (valid while both live): for advertised sets, when the two gateways are in
    /// one BGP domain, so its gateways are grouped in one pass.
    pub fn learned_list_id(&self) -> usize {
        Arc::as_ptr(&self.shared) as usize
    }

    /// The kept entries of the shared list that share an address with `prefix`, in list order.
    pub fn shared_overlapping(&self, prefix: &IpNet) -> Vec<IpNet> {
        merge_ranges(overlapping(&self.shared, prefix))
            .into_iter()
            .flat_map(|r| {
                r.filter(|&i| !self.is_dropped(i))
                    .map(|i| self.shared.at(i))
            })
            .collect()
    }

    /// Entries of this set's shared list that are not in `other`'s shared list: what changed in
    /// a BGP domain between two analyses. Empty at no cost when both share the same list.
    pub fn shared_minus(&self, other: &RouteSet) -> Vec<IpNet> {
        if Arc::ptr_eq(&self.shared, &other.shared) {
            return Vec::new();
        }
        let mut theirs = other.shared.iter().peekable();
        let mut out = Vec::new();
        for p in self.shared.iter() {
            while theirs.peek().is_some_and(|q| net_lt(q, &p)) {
                theirs.next();
            }
            if theirs.peek() != Some(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The prefixes of this set that `before` lacks, where `new_shared` is
    /// `self.shared_minus(before)` (computed once per pair of domains). Costs the size of the
    /// local lists, of `new_shared` and of `before`'s dropped entries — never the size of the
    /// shared list, so comparing every gateway of a large BGP domain stays linear.
    pub fn added_since(&self, before: &RouteSet, new_shared: &[IpNet]) -> Vec<IpNet> {
        let mut out: Vec<IpNet> = self.local.iter().filter(|p| !before.contains(p)).collect();
        let before_local = |p: &IpNet| before.local.contains(p);
        // New in the domain and kept here.
        out.extend(
            new_shared
                .iter()
                .filter(|p| self.keeps_shared(p) && !before_local(p)),
        );
        // In both domains, dropped before but kept now (say, an own prefix went away).
        out.extend(
            before
                .dropped
                .iter()
                .flat_map(|r| before.shared.range(r.clone()))
                .filter(|p| self.keeps_shared(p) && !before_local(p)),
        );
        out.sort_unstable();
        out.dedup();
        out
    }

    fn kept_shared(&self) -> impl Iterator<Item = IpNet> + '_ {
        let mut start = 0;
        let mut gaps = Vec::with_capacity(self.dropped.len() + 1);
        for r in &self.dropped {
            gaps.push(start..r.start);
            start = r.end;
        }
        gaps.push(start..self.shared.len());
        gaps.into_iter().flat_map(move |r| self.shared.range(r))
    }
}

/// The entries a set holds itself: `base ∪ extra`, each sorted and distinct, disjoint.
#[derive(Clone, Debug, Default)]
pub(crate) struct Own {
    /// Shared by the sets of one gateway that all hold it (its VNet prefixes).
    base: Arc<PrefixList>,
    extra: PrefixList,
}

impl Own {
    /// `base` (sorted, distinct) and any `extra` prefixes (sorted and de-duplicated here,
    /// those already in `base` left out).
    pub(crate) fn new(base: Arc<PrefixList>, mut extra: Vec<IpNet>) -> Own {
        extra.sort_unstable_by(net_cmp);
        extra.dedup();
        extra.retain(|p| base.binary_search(p).is_err());
        Own {
            base,
            extra: PrefixList::from_sorted(extra),
        }
    }

    fn len(&self) -> usize {
        self.base.len() + self.extra.len()
    }

    fn iter(&self) -> Merge<impl Iterator<Item = IpNet> + '_, impl Iterator<Item = IpNet> + '_> {
        Merge {
            local: self.base.iter().peekable(),
            shared: self.extra.iter().peekable(),
        }
    }

    fn contains(&self, prefix: &IpNet) -> bool {
        self.base.binary_search(prefix).is_ok() || self.extra.binary_search(prefix).is_ok()
    }

    /// The entries that share an address with `prefix`, unordered.
    fn overlapping(&self, prefix: &IpNet) -> Vec<IpNet> {
        [&*self.base, &self.extra]
            .into_iter()
            .flat_map(|list| {
                merge_ranges(overlapping(list, prefix))
                    .into_iter()
                    .flat_map(move |r| list.range(r))
            })
            .collect()
    }

    /// Without the entries `drop` picks; the base stays shared when it loses none.
    fn without(&self, drop: impl Fn(&IpNet) -> bool) -> Own {
        let base = if self.base.iter().any(|p| drop(&p)) {
            Arc::new(PrefixList::from_sorted(
                self.base.iter().filter(|p| !drop(p)),
            ))
        } else {
            Arc::clone(&self.base)
        };
        Own {
            base,
            extra: PrefixList::from_sorted(self.extra.iter().filter(|p| !drop(p))),
        }
    }
}

/// Whether `p` is in the sorted, distinct `list`, searching from `*cursor` (all entries before
/// it sort below `p`) and moving the cursor past what sorts below or equal to `p`.
fn gallop(list: &PrefixList, cursor: &mut usize, p: &IpNet) -> bool {
    match search_from(list, *cursor, p) {
        Ok(i) => {
            *cursor = i + 1;
            true
        }
        Err(i) => {
            *cursor = i;
            false
        }
    }
}

/// Two sorted, disjoint streams merged into one sorted stream.
struct Merge<A: Iterator<Item = IpNet>, B: Iterator<Item = IpNet>> {
    local: std::iter::Peekable<A>,
    shared: std::iter::Peekable<B>,
}

impl<A: Iterator<Item = IpNet>, B: Iterator<Item = IpNet>> Iterator for Merge<A, B> {
    type Item = IpNet;
    fn next(&mut self) -> Option<IpNet> {
        match (self.local.peek(), self.shared.peek()) {
            (Some(a), Some(b)) if net_cmp(a, b) != std::cmp::Ordering::Greater => self.local.next(),
            (Some(_), Some(_)) => self.shared.next(),
            (Some(_), None) => self.local.next(),
            (None, _) => self.shared.next(),
        }
    }
}

/// Sorts and merges overlapping or adjacent ranges, in place. The result is trimmed to its
/// length: a gateway's own prefixes come in as one range each (a million on a large BGP
/// domain) and merge into a few, which a set keeps for its lifetime.
pub(crate) fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_unstable_by_key(|r| r.start);
    ranges.dedup_by(|next, kept| {
        let touches = next.start <= kept.end;
        if touches {
            kept.end = kept.end.max(next.end);
        }
        touches
    });
    ranges.shrink_to_fit();
    ranges
}

/// The lowest and highest address of a prefix, as probes that sort around every prefix starting
/// in it: `(network, len)` sorts before any subnet, `(broadcast, max)` after the last one.
fn probes(prefix: &IpNet, from_len: u8) -> (IpNet, IpNet) {
    let low = IpNet::new(prefix.network(), from_len).expect("length within the family");
    let high = IpNet::new(prefix.broadcast(), prefix.max_prefix_len()).expect("max length");
    (low, high)
}

/// `list.binary_search(p)` for a sorted, distinct list whose entries before `from` are all
/// below `p`.
pub(crate) fn search_from(list: &PrefixList, from: usize, p: &IpNet) -> Result<usize, usize> {
    let i = list.lower_bound_from(from, p);
    if list.get(i).as_ref() == Some(p) {
        Ok(i)
    } else {
        Err(i)
    }
}

/// Indices of the entries of a sorted, distinct list that lie inside `prefix` (equal or subnets).
#[cfg(test)]
pub(crate) fn contained_in(list: &PrefixList, prefix: &IpNet) -> Range<usize> {
    contained_in_from(list, prefix, 0)
}

/// [`contained_in`] for a caller that knows every entry before `from` sorts below `prefix`
/// (walking ascending, disjoint prefixes: pass the end of the previous range). A `from` that
/// does not hold is detected and ignored.
pub(crate) fn contained_in_from(list: &PrefixList, prefix: &IpNet, from: usize) -> Range<usize> {
    let (low, high) = probes(prefix, prefix.prefix_len());
    let from = if from > 0 && from <= list.len() && net_lt(&list.at(from - 1), &low) {
        from
    } else {
        0
    };
    let start = list.lower_bound_from(from, &low);
    let end = list.upper_bound_from(start, &high);
    start..end
}

/// Indices of the entries of a sorted, distinct list that share at least one address with
/// `prefix`: its subnets, itself and its supernets.
pub(crate) fn overlapping(list: &PrefixList, prefix: &IpNet) -> Vec<Range<usize>> {
    let (low, high) = probes(prefix, 0);
    let mut out = Vec::with_capacity(1 + usize::from(prefix.prefix_len()));
    out.push(list.lower_bound_from(0, &low)..list.upper_bound_from(0, &high));
    for len in 0..prefix.prefix_len() {
        let supernet = IpNet::new(prefix.network(), len)
            .expect("shorter length is valid")
            .trunc();
        if let Ok(i) = list.binary_search(&supernet) {
            out.push(i..i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn list(items: &[&str]) -> Vec<IpNet> {
        let mut v: Vec<IpNet> = items.iter().map(|s| p(s)).collect();
        v.sort();
        v.dedup();
        v
    }

    fn packed(items: &[&str]) -> PrefixList {
        PrefixList::from_sorted(list(items))
    }

    #[test]
    fn overlapping_finds_subnets_supernets_and_nothing_else() {
        let l = packed(&[
            "0.0.0.0/0",
            "10.0.0.0/8",
            "10.1.0.0/16",
            "10.1.2.0/24",
            "10.2.0.0/16",
            "11.0.0.0/8",
            "::/0",
            "fd00::/8",
        ]);
        let hits: Vec<IpNet> = merge_ranges(overlapping(&l, &p("10.1.0.0/16")))
            .into_iter()
            .flat_map(|r| l.range(r))
            .collect();
        assert_eq!(
            hits,
            list(&["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"])
        );
        let inside: Vec<IpNet> = l.range(contained_in(&l, &p("10.0.0.0/8"))).collect();
        assert_eq!(
            inside,
            list(&["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.2.0.0/16"])
        );
        assert_eq!(
            l.range(contained_in(&l, &p("fd00::/7")))
                .collect::<Vec<_>>(),
            list(&["fd00::/8"])
        );
    }

    #[test]
    fn merge_ranges_joins_overlapping_and_adjacent_ranges_and_keeps_no_spare_room() {
        // Unsorted, with an empty range, a duplicate, a contained one and two adjacent ones.
        let ranges = vec![9..12, 0..2, 5..5, 2..4, 10..11, 0..2, 20..21, 12..13];
        let merged = merge_ranges(ranges);
        assert_eq!(merged, vec![0..4, 9..13, 20..21]);
        assert_eq!(merged.capacity(), merged.len());
        // A million one-entry ranges in a row become one range.
        let many: Vec<Range<usize>> = (0..1_000_000).map(|i| i..i + 1).collect();
        let merged = merge_ranges(many);
        assert_eq!(merged, vec![0..1_000_000]);
        assert_eq!(merged.capacity(), 1);
    }

    /// Own entries: `base` (the shared part) and `extra`.
    fn own(base: &[&str], extra: &[&str]) -> Own {
        Own::new(Arc::new(packed(base)), list(extra))
    }

    fn one_range(start: usize, end: usize) -> Vec<Range<usize>> {
        std::iter::once(start..end).collect()
    }

    /// Naive oracle: set difference over the materialised lists.
    fn naive_added(after: &RouteSet, before: &RouteSet) -> Vec<IpNet> {
        let b = before.to_vec();
        after.iter().filter(|p| !b.contains(p)).collect()
    }

    #[test]
    fn added_since_equals_the_naive_difference() {
        let a = Arc::new(packed(&[
            "10.0.0.0/16",
            "10.1.0.0/16",
            "10.2.0.0/16",
            "10.3.0.0/16",
        ]));
        let b = Arc::new(packed(&[
            "10.1.0.0/16",
            "10.2.0.0/16",
            "10.3.0.0/16",
            "10.4.0.0/16",
        ]));
        let cases = [
            (
                RouteSet::with_shared(own(&[], &["9.0.0.0/8"]), a.clone(), one_range(1, 2)),
                RouteSet::with_shared(own(&[], &["8.0.0.0/8", "10.2.0.0/16"]), b.clone(), vec![]),
            ),
            (
                RouteSet::with_shared(own(&[], &[]), a.clone(), one_range(0, 4)),
                RouteSet::with_shared(own(&[], &["10.0.0.0/16"]), a.clone(), one_range(2, 3)),
            ),
            (
                RouteSet::with_shared(own(&[], &["10.4.0.0/16"]), b.clone(), vec![]),
                RouteSet::with_shared(own(&[], &[]), a.clone(), vec![]),
            ),
        ];
        for (before, after) in &cases {
            for (x, y) in [(before, after), (after, before)] {
                let new_shared = y.shared_minus(x);
                assert_eq!(y.added_since(x, &new_shared), naive_added(y, x));
            }
        }
    }

    #[test]
    fn overlapping_skips_dropped_entries_and_reads_both_parts() {
        let shared = Arc::new(packed(&[
            "10.0.0.0/8",
            "10.1.0.0/16",
            "10.1.1.0/24",
            "10.2.0.0/16",
        ]));
        let set = RouteSet::with_shared(
            own(&[], &["10.1.2.0/24", "11.0.0.0/8"]),
            shared,
            one_range(1, 2),
        );
        assert_eq!(
            set.overlapping(&p("10.1.0.0/16")),
            list(&["10.0.0.0/8", "10.1.1.0/24", "10.1.2.0/24"])
        );
        assert!(set.overlapping(&p("12.0.0.0/8")).is_empty());
    }

    #[test]
    fn shared_set_counts_each_prefix_once() {
        let shared = Arc::new(packed(&[
            "10.0.0.0/16",
            "10.1.0.0/16",
            "10.2.0.0/16",
            "10.3.0.0/16",
        ]));
        let set = RouteSet::with_shared(
            own(&[], &["10.1.0.0/16", "9.0.0.0/8"]),
            shared,
            one_range(3, 4),
        );
        assert_eq!(
            set.to_vec(),
            list(&["9.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"])
        );
        assert_eq!(set.len(), 4);
        assert!(set.contains(&p("10.2.0.0/16")));
        assert!(!set.contains(&p("10.3.0.0/16")));
        let less = set.without(one_range(0, 1), |q| q.prefix_len() == 8);
        assert_eq!(less.to_vec(), list(&["10.1.0.0/16", "10.2.0.0/16"]));
        assert_eq!(less.len(), 2);
    }

    /// Every query of a set whose own entries are split into a base and extras (overlapping
    /// ones among them, which the base keeps) agrees with the same set built from one list.
    #[test]
    fn a_shared_base_gives_the_same_set_as_one_list() {
        let shared = Arc::new(packed(&[
            "10.0.0.0/16",
            "10.1.0.0/16",
            "10.9.0.0/16",
            "fd00::/8",
        ]));
        let base = ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/24"];
        let extra = ["9.0.0.0/8", "10.2.0.0/16", "10.3.0.128/25", "fd01::/16"];
        let split = RouteSet::with_shared(own(&base, &extra), Arc::clone(&shared), one_range(2, 3));
        let all: Vec<&str> = base.iter().chain(&extra).copied().collect();
        let whole = RouteSet::with_shared(own(&[], &all), shared, one_range(2, 3));
        let expected = list(&[
            "9.0.0.0/8",
            "10.0.0.0/16",
            "10.1.0.0/16",
            "10.2.0.0/16",
            "10.3.0.0/24",
            "10.3.0.128/25",
            "fd00::/8",
            "fd01::/16",
        ]);
        for set in [&split, &whole] {
            assert_eq!(set.to_vec(), expected);
            assert_eq!(set.len(), 8);
            // 10.0.0.0/16 and fd00::/8 come from the shared list; 10.1.0.0/16 is own.
            assert_eq!(set.shared_len(), 2);
            assert!(set.contains(&p("10.3.0.0/24")) && set.contains(&p("fd01::/16")));
            assert!(!set.contains(&p("10.9.0.0/16")));
            let probe = list(&["9.0.0.0/8", "10.1.0.0/16", "10.3.0.128/25", "10.9.0.0/16"]);
            assert_eq!(set.count_contained(&probe), 3);
            assert_eq!(
                set.overlapping(&p("10.3.0.0/16")),
                list(&["10.3.0.0/24", "10.3.0.128/25"])
            );
            let less = set.without(Vec::new(), |q| q.prefix_len() >= 24);
            assert_eq!(
                less.to_vec(),
                list(&[
                    "9.0.0.0/8",
                    "10.0.0.0/16",
                    "10.1.0.0/16",
                    "10.2.0.0/16",
                    "fd00::/8",
                    "fd01::/16"
                ])
            );
        }
        // Dropping nothing from the base keeps it shared, not copied.
        let kept = split.without(Vec::new(), |q| q.prefix_len() == 8);
        assert!(Arc::ptr_eq(&kept.local.base, &split.local.base));
        assert_eq!(kept.len(), 7);
    }
}
