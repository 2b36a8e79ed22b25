//! [`summarize`]: summarize-to-fit — cover a set with at most K prefixes that avoid a
//! forbidden set, adding the fewest extra addresses. Optimal, by dynamic programming.
//!
//! # The algorithm
//!
//! Any cover by prefixes can be reduced to disjoint prefixes (of two nested prefixes the
//! inner one is redundant), so a solution is a set of nodes of the binary trie of addresses.
//! Build the compressed trie (Patricia) whose leaves are the aggregate prefixes of S and whose
//! inner nodes are the branch points where both halves hold part of S. A prefix on the path
//! between two such nodes is never better than the lower node: it costs strictly more extra
//! addresses and touches whatever the lower node touches. So, for each node N with children L
//! and R, and `f_N[k]` = fewest extra addresses to cover S ∩ N with at most k prefixes inside N:
//!
//! * leaf (a prefix fully in S): `f[0] = ∞`, `f[k ≥ 1] = 0`;
//! * inner: `f_N[k] = min( |N| − |S ∩ N|  if k ≥ 1 and N touches nothing in F,
//!                         min over a + b = k of f_L[a] + f_R[b] )`.
//!
//! Arrays are cut at `min(K, leaves)`, which bounds the total work by O(n·K) (the classic
//! tree-knapsack argument). IPv4 and IPv6 are solved separately and combined by one more
//! min-plus step, since K is shared. That plain program is kept as
//! [`summarize_reference`] (the oracle of the tests and benches).
//!
//! [`summarize`] computes the same optimum faster (module `fast`): the cost is *not* convex
//! in the count (a node whose children are not exactly its halves makes a kink), so a price
//! per prefix (Lagrangian relaxation) alone is not exact; it is used to bound the excess any
//! entry of an optimal cover can have, and the program above runs on exact-count entries
//! within that bound only, merging convex stretches (ties at the price) in linear time. Cost:
//! O(n log C) for the price search (C the largest node cost) plus the restricted program,
//! which stays near-linear on real and synthetic tables for any K. Its worst case is still
//! the plain program's O(n·K), reached by a family of tied, non-convex nodes (module `fast`,
//! "Worst case"; `benches/summarize-worst-case.sh`).

mod fast;

use ipnet::IpNet;

use super::count::AddressCount;
use super::parse::{v4_net, v6_net};
use super::range::{self, host_mask, Bits};
use super::set::PrefixSet;

/// A cover found by [`summarize`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// At most `max` prefixes, canonical order; their union covers the set and avoids `forbid`.
    pub prefixes: Vec<IpNet>,
    /// Addresses covered by `prefixes` that are not in the set.
    pub extra: AddressCount,
}

/// Why [`summarize`] found no cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Infeasible {
    /// Every cover that avoids `forbid` needs more than `max` prefixes; `min_count` is the
    /// smallest number that works.
    TooFew { min_count: usize },
    /// The set itself shares addresses with `forbid` (listed here as aggregated prefixes), so
    /// no cover can avoid it.
    SetTouchesForbid { common: Vec<IpNet> },
}

impl std::fmt::Display for Infeasible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Infeasible::TooFew { min_count } => write!(
                f,
                "the limit is too small: the smallest possible is {min_count} prefixes (covering \
                 the set and avoiding any forbidden set; IPv4 and IPv6 never share a prefix)"
            ),
            Infeasible::SetTouchesForbid { common } => {
                let shown: Vec<String> = common.iter().take(5).map(|p| p.to_string()).collect();
                write!(
                    f,
                    "the set itself overlaps the forbidden set ({} prefix(es) in common: {}{})",
                    common.len(),
                    shown.join(", "),
                    if common.len() > 5 { ", …" } else { "" }
                )
            }
        }
    }
}

impl std::error::Error for Infeasible {}

/// Summarize-to-fit: at most `max` prefixes that cover `set`, share no address with `forbid`,
/// and add the fewest addresses outside `set`. Among optimal covers, one with the fewest
/// prefixes is returned.
///
/// Tie-break (deterministic): least extra, then fewest prefixes; at each trie node, for a
/// given count, the split that gives the lower half the fewest prefixes. (The previous plain
/// dynamic program, `summarize_reference`, returns the same cost and count on every input;
/// it gave byte-identical lists on every table and random case tried.)
///
/// Cost: immediate when `max >= n` (the aggregate itself) for the n prefixes of the aggregate
/// of `set`; otherwise O(n log C) for a search on a price per prefix (C the largest extra of a
/// single node; about 32 passes for IPv4) plus a dynamic program restricted to the entries
/// that price leaves possible. Worst-case inputs could make that O(n · min(max, n)) like the
/// plain program, but on the IPv4 BGP table (178k aggregated prefixes) and a synthetic 1M list
/// (433k aggregated) it takes 0.4–2.5 s for any bound, where the plain program took up to
/// 211 s at `max` = n/2 (whole-process timings in the README).
///
/// ```
/// use p2s_sim::prefix::{parse_prefix, summarize, PrefixSet};
/// let p = |s| parse_prefix(s).unwrap();
/// let set = PrefixSet::from_prefixes([p("10.0.0.0/24"), p("10.0.2.0/24"), p("10.0.8.0/24")]);
/// let s = summarize(&set, 2, &PrefixSet::new()).unwrap();
/// assert_eq!(s.prefixes, vec![p("10.0.0.0/22"), p("10.0.8.0/24")]);
/// assert_eq!(s.extra.to_u128(), Some(512));
/// ```
pub fn summarize(set: &PrefixSet, max: usize, forbid: &PrefixSet) -> Result<Summary, Infeasible> {
    summarize_with(set, max, forbid, fast::Trial::Auto)
}

/// [`summarize`] with the restricted program's trial pass always taken, at Δ / `divisor`
/// (for tests: the same answer whatever the divisor).
pub(crate) fn summarize_forcing_trial(
    set: &PrefixSet,
    max: usize,
    forbid: &PrefixSet,
    divisor: u128,
) -> Result<Summary, Infeasible> {
    summarize_with(set, max, forbid, fast::Trial::Forced(divisor))
}

fn summarize_with(
    set: &PrefixSet,
    max: usize,
    forbid: &PrefixSet,
    trial: fast::Trial,
) -> Result<Summary, Infeasible> {
    if let Some(done) = trivial(set, max, forbid) {
        return done;
    }
    fast::solve(set, max, forbid, trial)
}

/// The two answers that need no search: the set touches `forbid`, or it fits as it is.
fn trivial(set: &PrefixSet, max: usize, forbid: &PrefixSet) -> Option<Result<Summary, Infeasible>> {
    let common = set.intersection(forbid);
    if !common.is_empty() {
        return Some(Err(Infeasible::SetTouchesForbid {
            common: common.to_prefixes(),
        }));
    }
    if set.prefix_count() <= max {
        return Some(Ok(Summary {
            prefixes: set.to_prefixes(),
            extra: AddressCount::ZERO,
        }));
    }
    None
}

/// The plain O(n · min(max, n)) dynamic program (see the module docs), kept as the oracle
/// that tests and benches compare [`summarize`] against: same cost and prefix count on every
/// input.
pub(crate) fn summarize_reference(
    set: &PrefixSet,
    max: usize,
    forbid: &PrefixSet,
) -> Result<Summary, Infeasible> {
    if let Some(done) = trivial(set, max, forbid) {
        return done;
    }
    let t4 = Tree::<u32>::build(&set.v4, &forbid.v4, max);
    let t6 = Tree::<u128>::build(&set.v6, &forbid.v6, max);
    let min_count = t4.min_count + t6.min_count;
    if min_count > max {
        return Err(Infeasible::TooFew { min_count });
    }
    // Combine: k4 + k6 <= max, minimizing (extra, k4 + k6). Both cost arrays are
    // non-increasing, so for each k4 the best IPv6 budget is the largest allowed one, and
    // the fewest IPv6 prefixes at that cost is the first index holding the same cost.
    let f4 = t4.root_costs();
    let f6 = t6.root_costs();
    let mut best: Option<(AddressCount, usize, usize, usize)> = None;
    for (k4, &c4) in f4.iter().enumerate().take(max.saturating_add(1)) {
        let top6 = (max - k4).min(f6.len() - 1);
        let c6 = f6[top6];
        if c4 == INF || c6 == INF {
            continue;
        }
        let k6 = f6[..=top6].partition_point(|&c| c > c6);
        let cand = (
            AddressCount::new(c4) + AddressCount::new(c6),
            k4 + k6,
            k4,
            k6,
        );
        if best.is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
            best = Some(cand);
        }
    }
    let (extra, _, k4, k6) = best.ok_or(Infeasible::TooFew { min_count })?;
    let mut prefixes = Vec::new();
    t4.collect(k4, &mut |s, l| prefixes.push(IpNet::V4(v4_net(s, l))));
    t6.collect(k6, &mut |s, l| prefixes.push(IpNet::V6(v6_net(s, l))));
    Ok(Summary { prefixes, extra })
}

const INF: u128 = u128::MAX;
const TAKE_SELF: u32 = u32::MAX;

struct Node<T> {
    start: T,
    len: u8,
    /// Children (arena indices); `None` for a leaf.
    kids: Option<(usize, usize)>,
    /// For each budget k: `TAKE_SELF`, or the budget given to the left child.
    choice: Vec<u32>,
}

struct Tree<T> {
    nodes: Vec<Node<T>>,
    root: Option<usize>,
    root_costs: Vec<u128>,
    min_count: usize,
}

struct Built {
    id: usize,
    costs: Vec<u128>,
    /// |S ∩ N| (wrapping; exact except for the all-of-IPv6 leaf, which has no parent).
    size_in_s: u128,
    /// Fewest prefixes avoiding F that cover S ∩ N.
    min_count: usize,
}

impl<T: Bits> Tree<T> {
    fn build(s: &[(T, T)], forbid: &[(T, T)], max: usize) -> Self {
        // Leaves: the aggregate prefixes of S, ascending.
        let mut leaves: Vec<(T, u8)> = Vec::new();
        for r in s {
            range::split_cidrs(*r, |a, l| leaves.push((a, l)));
        }
        let mut t = Tree {
            nodes: Vec::new(),
            root: None,
            root_costs: vec![0],
            min_count: 0,
        };
        if leaves.is_empty() {
            return t;
        }
        let b = t.solve(&leaves, forbid, max);
        t.root = Some(b.id);
        t.root_costs = b.costs;
        t.min_count = b.min_count;
        t
    }

    fn root_costs(&self) -> &[u128] {
        &self.root_costs
    }

    fn solve(&mut self, leaves: &[(T, u8)], forbid: &[(T, T)], max: usize) -> Built {
        if leaves.len() == 1 {
            let (start, len) = leaves[0];
            let id = self.push(start, len, None, Vec::new());
            let mut costs = vec![INF];
            if max >= 1 {
                costs.push(0);
            }
            let size = host_mask::<T>(len).to_u128().wrapping_add(1);
            return Built {
                id,
                costs,
                size_in_s: size,
                min_count: 1,
            };
        }
        // Branch point: longest common prefix of the first and last leaf.
        let first = leaves[0].0;
        let last = leaves[leaves.len() - 1].0;
        let len = first.xor(last).leading_zeros() as u8; // < WIDTH since first != last
        let (start, end) = range::prefix_range(first, len);
        let bit = T::MAX.shr(len as u32 + 1).not().and(host_mask::<T>(len)); // the bit after the prefix
        let split = leaves.partition_point(|&(a, _)| a.and(bit) == T::ZERO);
        let l = self.solve(&leaves[..split], forbid, max);
        let r = self.solve(&leaves[split..], forbid, max);
        let allowed = !range::overlaps(forbid, (start, end));
        let size_in_s = l.size_in_s.wrapping_add(r.size_in_s);
        let min_count = if allowed {
            1
        } else {
            l.min_count + r.min_count
        };

        let la = l.costs.len() - 1; // highest budget computed for the left child
        let lb = r.costs.len() - 1;
        let top = max.min(la + lb);
        let mut costs = vec![INF; top + 1];
        let mut choice = vec![TAKE_SELF; top + 1];
        let self_cost = host_mask::<T>(len)
            .to_u128()
            .wrapping_add(1)
            .wrapping_sub(size_in_s);
        for (k, slot) in costs.iter_mut().enumerate().skip(1) {
            let mut best = if allowed { self_cost } else { INF };
            let mut pick = TAKE_SELF;
            // a in [max(1, k - lb), min(la, k - 1)]
            let lo = 1.max(k.saturating_sub(lb));
            let hi = la.min(k - 1);
            for a in lo..=hi {
                let (ca, cb) = (l.costs[a], r.costs[k - a]);
                if ca == INF || cb == INF {
                    continue;
                }
                let c = ca + cb; // both < 2^128 - |S|, and disjoint: no overflow
                if c < best {
                    best = c;
                    pick = a as u32;
                }
            }
            *slot = best;
            choice[k] = pick;
        }
        // Children's arrays are non-increasing, hence so is this one (see the module docs):
        // a budget of k is "at most k prefixes".
        debug_assert!(costs.windows(2).all(|w| w[0] >= w[1]));
        let id = self.push(start, len, Some((l.id, r.id)), choice);
        Built {
            id,
            costs,
            size_in_s,
            min_count,
        }
    }

    fn push(&mut self, start: T, len: u8, kids: Option<(usize, usize)>, choice: Vec<u32>) -> usize {
        self.nodes.push(Node {
            start,
            len,
            kids,
            choice,
        });
        self.nodes.len() - 1
    }

    /// Emits the prefixes of the optimal cover of the whole tree with budget `k`.
    fn collect(&self, k: usize, emit: &mut impl FnMut(T, u8)) {
        if let Some(root) = self.root {
            if k > 0 {
                self.collect_node(root, k, emit);
            }
        }
    }

    fn collect_node(&self, id: usize, k: usize, emit: &mut impl FnMut(T, u8)) {
        let n = &self.nodes[id];
        let Some((l, r)) = n.kids else {
            emit(n.start, n.len);
            return;
        };
        let k = k.min(n.choice.len() - 1);
        let c = n.choice[k];
        if c == TAKE_SELF {
            emit(n.start, n.len);
        } else {
            self.collect_node(l, c as usize, emit);
            self.collect_node(r, k - c as usize, emit);
        }
    }
}
