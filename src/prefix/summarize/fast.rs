//! The exact solver behind [`super::summarize`]: a Lagrangian bound, then the dynamic program
//! restricted to the entries that bound leaves possible.
//!
//! # Why not the Lagrangian alone
//!
//! With a price λ per output prefix, the best cover of each node's part of the set is found in
//! one O(n) pass (`m_N = min(c_N + λ, m_L + m_R)`), and a binary search on λ finds covers whose
//! count brackets K. That is exact only where the cost as a function of the count is convex,
//! and here it is not: for `10.0.0.0/24` minus everything but `.0`, `.127` and `.128/26`
//! (leaves `.0/32`, `.127/32`, `.128/26`), the best costs for 1, 2, 3 prefixes are 190, 126, 0.
//! The point for 2 lies above the chord from 1 to 3, so no λ selects it. (Any node whose
//! children are not exactly its halves adds such a kink: taking the node costs at least a
//! quarter of it more than taking the two children.)
//!
//! # What is exact
//!
//! Let `e_N(k)` be the least extra for covering S ∩ N with exactly k disjoint prefixes inside N
//! (`e(1) = c_N` when N avoids F; `e(k) = min over a + b = k of e_L(a) + e_R(b)`), and, for a
//! price λ ≥ 0, `Φ_N(k) = e_N(k) + λk`, `m_N = min_k Φ_N(k)`, `ex_N(k) = Φ_N(k) − m_N ≥ 0`.
//! Since `m_N ≤ m_L + m_R`, a split entry has `ex_N(a + b) ≥ ex_L(a) + ex_R(b)`; down the tree
//! the entries an optimal cover uses therefore have excess at most the root's,
//! `ex_root(k*) ≤ UB + λK − m_root =: Δ` for any cover of cost UB with at most K prefixes.
//! With the λ found by the search (the smallest with a Lagrangian cover of at most K
//! prefixes), and UB the cost of the Lagrangian-optimal cover with the most prefixes up to K
//! that a greedy walk over tied nodes finds (`tied_count`), Δ = λ · (K − its count); the
//! dynamic program keeps at each node only the entries with excess ≤ Δ and is still exact:
//! all others are provably unused. When two children's kept excesses are convex (typically
//! long runs of ties at λ), their min-plus convolution is a merge of steps, linear in the
//! widths; otherwise every pair is tried. So the cost is the O(n log C) search plus, per node,
//! the children's widths (their product where not convex): near-linear on real tables, and
//! never worse than the plain O(n · min(K, n)) program in the worst case.
//!
//! The greedy count can fall far short of K (on the synthetic 1M list at K = 5,000), and Δ
//! with it. So where K and that gap are wide, the program first runs under Δ / 64: the best
//! cover it finds (cost C) bounds the optimum, every cover at most that costly has root
//! excess at most C + λK − m_root, and if that is within the trial bound the trial kept every
//! entry the full program would use, ties included, so its answer is the same. Otherwise C
//! gives a Δ at least as tight, and one more pass under it is exact as before.
//!
//! # Worst case
//!
//! Still the plain program's O(n · min(K, n)), and it is reached: put the kinked /24 above in
//! each of M separate /20s (so blocks never merge) and ask for K = 2M + 1. At the price the
//! search finds (95 per prefix) every block ties between 1 and 3 prefixes, so a node over j
//! blocks keeps counts j … 3j, excess 0 on one parity and 31 on the other: wide and not
//! convex, and every merge up the trie is the quadratic one (`benches/summarize-worst-case.sh`
//! times it; 192,000 prefixes take about 12 s, doubling M multiplies the time by about 4).
//! A merge of two subtrees is a (min, +)-convolution of their cost sequences, and for
//! sequences that are not convex no algorithm is known that does it in O(n^(2−ε)) (the
//! (min, +)-convolution conjecture); shortcuts for special shapes (tie parities, one convex
//! side) would move this family, not the bound, so none is taken. What keeps real tables
//! fast is that their windows are narrow or convex.
//!
//! Tie-break (deterministic): least extra, then fewest prefixes; at a node, for a given count,
//! the split giving the left child the fewest prefixes.

use ipnet::IpNet;

use super::super::count::AddressCount;
use super::super::parse::{v4_net, v6_net};
use super::super::range::{self, host_mask, Bits};
use super::super::set::PrefixSet;
use super::{Infeasible, Summary};

const INF: u128 = u128::MAX;

struct Node {
    net: IpNet,
    /// Children (arena indices, both lower than this node's); `None` for a leaf.
    kids: Option<(u32, u32)>,
    /// May be taken as one prefix (touches nothing in F). Leaves always may.
    allowed: bool,
    /// Extra addresses when taken as one prefix (0 for leaves).
    cost: u128,
}

/// A 192-bit non-negative quantity `hi · 2^128 + lo`, enough for `cost + λ · count`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Wide {
    hi: u128,
    lo: u128,
}

impl Wide {
    /// `x + lam · k`.
    fn lin(x: u128, lam: u128, k: u64) -> Wide {
        let a = (lam as u64 as u128) * k as u128;
        let b = (lam >> 64) * k as u128; // < 2^128
        let (lo, c1) = a.overflowing_add(b << 64);
        let (lo, c2) = lo.overflowing_add(x);
        Wide {
            hi: (b >> 64) + c1 as u128 + c2 as u128,
            lo,
        }
    }

    /// `self − other`, saturated to u128 (`self ≥ other`).
    fn sat_sub(self, other: Wide) -> u128 {
        debug_assert!(self >= other);
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        let hi = self.hi - other.hi - borrow as u128;
        if hi > 0 {
            INF
        } else {
            lo
        }
    }
}

struct Forest {
    nodes: Vec<Node>,
    root: Option<u32>,
    min_count: usize,
}

impl Forest {
    fn push(&mut self, n: Node) -> u32 {
        self.nodes.push(n);
        (self.nodes.len() - 1) as u32
    }

    /// Adds the compressed trie of one family; returns its root and fewest prefixes.
    fn add_family<T: Bits>(
        &mut self,
        s: &[(T, T)],
        forbid: &[(T, T)],
        net: fn(T, u8) -> IpNet,
    ) -> Option<(u32, usize)> {
        let mut leaves: Vec<(T, u8)> = Vec::new();
        for r in s {
            range::split_cidrs(*r, |a, l| leaves.push((a, l)));
        }
        if leaves.is_empty() {
            return None;
        }
        let (id, _, min) = self.build(&leaves, forbid, net);
        Some((id, min))
    }

    /// Returns (id, |S ∩ N| wrapping, fewest prefixes).
    fn build<T: Bits>(
        &mut self,
        leaves: &[(T, u8)],
        forbid: &[(T, T)],
        net: fn(T, u8) -> IpNet,
    ) -> (u32, u128, usize) {
        if leaves.len() == 1 {
            let (start, len) = leaves[0];
            let id = self.push(Node {
                net: net(start, len),
                kids: None,
                allowed: true,
                cost: 0,
            });
            return (id, host_mask::<T>(len).to_u128().wrapping_add(1), 1);
        }
        // As in the reference DP: the branch point of the first and last leaf.
        let first = leaves[0].0;
        let last = leaves[leaves.len() - 1].0;
        let len = first.xor(last).leading_zeros() as u8;
        let (start, end) = range::prefix_range(first, len);
        let bit = T::MAX.shr(len as u32 + 1).not().and(host_mask::<T>(len));
        let split = leaves.partition_point(|&(a, _)| a.and(bit) == T::ZERO);
        let (l, ls, lm) = self.build(&leaves[..split], forbid, net);
        let (r, rs, rm) = self.build(&leaves[split..], forbid, net);
        let allowed = !range::overlaps(forbid, (start, end));
        let size_in_s = ls.wrapping_add(rs);
        let cost = host_mask::<T>(len)
            .to_u128()
            .wrapping_add(1)
            .wrapping_sub(size_in_s);
        let id = self.push(Node {
            net: net(start, len),
            kids: Some((l, r)),
            allowed,
            cost,
        });
        (id, size_in_s, if allowed { 1 } else { lm + rm })
    }
}

/// The Lagrangian pass at price `lam`: per node, the best (cost, count) minimizing
/// cost + lam · count, fewest prefixes on ties. Fills `out` (indexed like the nodes).
fn lagrange(nodes: &[Node], lam: u128, out: &mut Vec<(u128, u64)>) {
    out.clear();
    for n in nodes {
        let v = match n.kids {
            None => (0, 1),
            Some((l, r)) => {
                let (cl, kl) = out[l as usize];
                let (cr, kr) = out[r as usize];
                let (cs, ks) = (cl + cr, kl + kr);
                // Self wins (or ties) iff cost + lam <= cs + lam·ks, i.e. cost − cs <= lam·(ks − 1);
                // cost >= c_L + c_R >= cs when N is allowed.
                if n.allowed && Wide::lin(0, lam, ks - 1) >= Wide::lin(n.cost - cs, 0, 0) {
                    (n.cost, 1)
                } else {
                    (cs, ks)
                }
            }
        };
        out.push(v);
    }
}

/// Among the covers optimal at price `lam` (`best` from [`lagrange`]), a count as close to
/// `target` from below as a greedy walk finds: where a node's own prefix ties with its split,
/// either may be taken. Returns the count reached (at least the fewest, `best[root].1`).
fn tied_count(nodes: &[Node], best: &[(u128, u64)], lam: u128, root: usize, target: u64) -> u64 {
    // Per node: the split's fewest prefixes if splitting is optimal (else 0), and the most
    // prefixes of an optimal cover.
    let mut split_min = vec![0u64; nodes.len()];
    let mut most = vec![1u64; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if let Some((l, r)) = n.kids {
            let (l, r) = (l as usize, r as usize);
            let (cs, ks) = (best[l].0 + best[r].0, best[l].1 + best[r].1);
            let split = Wide::lin(cs, lam, ks);
            if !n.allowed || split <= Wide::lin(n.cost, lam, 1) {
                split_min[i] = ks;
                most[i] = most[l] + most[r];
            }
        }
    }
    // Walk down with a target, left child first; each node reaches at most its target.
    fn walk(
        nodes: &[Node],
        split_min: &[u64],
        most: &[u64],
        best: &[(u128, u64)],
        i: usize,
        t: u64,
    ) -> u64 {
        match nodes[i].kids {
            Some((l, r)) if split_min[i] > 0 && (best[i].1 > 1 || t >= split_min[i]) => {
                let (l, r) = (l as usize, r as usize);
                let tl = (t - best[r].1).min(most[l]);
                let a = walk(nodes, split_min, most, best, l, tl);
                let tr = (t - a).min(most[r]);
                a + walk(nodes, split_min, most, best, r, tr)
            }
            _ => 1,
        }
    }
    walk(nodes, &split_min, &most, best, root, target.min(most[root]))
}

/// One node's kept entries: counts `lo .. lo + cost.len()`.
struct Window {
    lo: u32,
    cost: Vec<u128>,
    /// Excess over the node's Lagrangian value (saturated); `INF` where `cost` is `INF`.
    ex: Vec<u128>,
    /// Left child's count for each entry (0 = the node itself, or a leaf).
    left: Vec<u32>,
}

/// Whether the restricted program first tries a smaller bound (see [`solve`]).
#[derive(Clone, Copy)]
pub(crate) enum Trial {
    /// Where the budget and the greedy count's gap are both wide: Δ / 64.
    Auto,
    /// Always, with Δ / the given divisor: for tests, which must reach both outcomes of the
    /// trial (exact, or a tighter Δ for the second pass) on inputs small enough for the oracle.
    Forced(u128),
}

pub(super) fn solve(
    set: &PrefixSet,
    max: usize,
    forbid: &PrefixSet,
    trial: Trial,
) -> Result<Summary, Infeasible> {
    let mut f = Forest {
        nodes: Vec::new(),
        root: None,
        min_count: 0,
    };
    let r4 = f.add_family::<u32>(&set.v4, &forbid.v4, |s, l| IpNet::V4(v4_net(s, l)));
    let r6 = f.add_family::<u128>(&set.v6, &forbid.v6, |s, l| IpNet::V6(v6_net(s, l)));
    f.min_count = r4.map_or(0, |r| r.1) + r6.map_or(0, |r| r.1);
    f.root = match (r4, r6) {
        (Some((a, _)), Some((b, _))) => Some(f.push(Node {
            net: IpNet::V4(v4_net(0, 0)),
            kids: Some((a, b)),
            allowed: false, // IPv4 and IPv6 never share a prefix
            cost: 0,
        })),
        (a, b) => a.or(b).map(|r| r.0),
    };
    if f.min_count > max {
        return Err(Infeasible::TooFew {
            min_count: f.min_count,
        });
    }
    let root = f
        .root
        .expect("a set with more prefixes than max is not empty") as usize;
    let nodes = &f.nodes;

    // Smallest λ whose Lagrangian cover has at most `max` prefixes. λ = the largest node cost
    // makes every allowed node win over its split, giving `min_count`.
    let mut buf = Vec::with_capacity(nodes.len());
    let top = nodes
        .iter()
        .filter(|n| n.allowed)
        .map(|n| n.cost)
        .max()
        .unwrap_or(0)
        .max(1);
    let (mut lo, mut hi) = (0u128, top); // count(lo) > max (λ = 0 keeps the n leaves), count(hi) <= max
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        lagrange(nodes, mid, &mut buf);
        if buf[root].1 as usize <= max {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let lam = hi;
    lagrange(nodes, lam, &mut buf);
    let m = |i: usize| Wide::lin(buf[i].0, lam, buf[i].1);
    // The most prefixes a Lagrangian-optimal cover can have at or below `max`: its cost is
    // m_root − λ·count, so Δ = UB + λ·max − m_root = λ·(max − count).
    let count = tied_count(nodes, &buf, lam, root, max as u64);
    let delta = Wide::lin(0, lam, max as u64 - count).sat_sub(Wide::lin(0, 0, 0));

    // The restricted dynamic program, first under a smaller bound where `max` and the greedy
    // count's gap are wide (why that is exact: the module docs).
    let m_root = m(root);
    let mut proven = delta;
    let mut answer = None;
    let divisor = match trial {
        Trial::Auto if max > 64 && max as u64 - count > 16 => Some(64),
        Trial::Auto => None,
        Trial::Forced(divisor) => Some(divisor.max(1)),
    };
    if let Some(divisor) = divisor {
        let trial = proven / divisor;
        let win = restricted(nodes, &m, lam, trial, max);
        if let Some((extra, k)) = best_at_root(&win[root], max) {
            let needed = Wide::lin(extra, lam, max as u64).sat_sub(m_root);
            if needed <= trial {
                answer = Some((win, extra, k));
            } else {
                proven = proven.min(needed);
            }
        }
    }
    let (win, extra, k) = answer.unwrap_or_else(|| {
        let win = restricted(nodes, &m, lam, proven, max);
        let (extra, k) = best_at_root(&win[root], max).expect("the Lagrangian cover is kept");
        (win, extra, k)
    });
    let mut prefixes = Vec::with_capacity(k);
    collect(nodes, &win, root, k, &mut prefixes);
    Ok(Summary {
        prefixes,
        extra: AddressCount::new(extra),
    })
}

/// The dynamic program over `nodes` (children before parents), keeping at each node only the
/// entries of excess at most `delta` over the Lagrangian value `m` at price `lam`.
fn restricted(
    nodes: &[Node],
    m: &impl Fn(usize) -> Wide,
    lam: u128,
    delta: u128,
    max: usize,
) -> Vec<Window> {
    let mut win: Vec<Window> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let Some((l, r)) = n.kids else {
            win.push(Window {
                lo: 1,
                cost: vec![0],
                ex: vec![0],
                left: vec![0],
            });
            continue;
        };
        let (l, r) = (l as usize, r as usize);
        let mi = m(i);
        // Extra excess of any split entry: m_L + m_R − m_N >= 0.
        let ml = m(l);
        let mr = m(r);
        let mlr = Wide {
            hi: ml.hi + mr.hi + ml.lo.overflowing_add(mr.lo).1 as u128,
            lo: ml.lo.wrapping_add(mr.lo),
        };
        let d = mlr.sat_sub(mi);
        let (wl, wr) = (&win[l], &win[r]);
        let self_ex = if n.allowed {
            Wide::lin(n.cost, lam, 1).sat_sub(mi)
        } else {
            INF
        };
        let take_self = n.allowed && self_ex <= delta;
        let split_lo = (wl.lo + wr.lo) as usize;
        // Counts above `max` are never used: cutting there keeps every width within
        // min(max, leaves), hence the plain program's O(n · min(max, n)) as the worst case.
        let split_hi = (split_lo + wl.cost.len() + wr.cost.len() - 2).min(max);
        let lo_k = if take_self { 1 } else { split_lo };
        let width = (split_hi + 1).saturating_sub(lo_k).max(1);
        let mut cost = vec![INF; width];
        let mut ex = vec![INF; width];
        let mut left = vec![0u32; width];
        if take_self {
            cost[0] = n.cost;
            ex[0] = self_ex;
        }
        if convex(&wl.ex) && convex(&wr.ex) {
            // Min-plus convolution of convex sequences: merge their steps (Minkowski sum),
            // O(width). On equal steps the right child's goes first, so each count gets the
            // smallest left count among the optimal splits, as in the quadratic loop below.
            let (xl, xr) = (&wl.ex, &wr.ex);
            let (mut a, mut b) = (0usize, 0usize);
            loop {
                let k = split_lo + a + b - lo_k;
                if k >= width {
                    break;
                }
                let x = xl[a].saturating_add(xr[b]).saturating_add(d);
                if x <= delta {
                    cost[k] = wl.cost[a] + wr.cost[b];
                    ex[k] = x;
                    left[k] = wl.lo + a as u32;
                }
                let more_l = a + 1 < xl.len();
                let more_r = b + 1 < xr.len();
                // Step of L < step of R  <=>  xl[a+1] + xr[b] < xr[b+1] + xl[a].
                let take_l = match (more_l, more_r) {
                    (false, false) => break,
                    (true, false) => true,
                    (false, true) => false,
                    (true, true) => wsum(xl[a + 1], xr[b]) < wsum(xr[b + 1], xl[a]),
                };
                if take_l {
                    a += 1;
                } else {
                    b += 1;
                }
            }
        } else {
            quadratic(
                wl,
                wr,
                d,
                delta,
                split_lo - lo_k,
                &mut cost,
                &mut ex,
                &mut left,
            );
        }
        // Trim unreachable ends.
        let first = cost.iter().position(|&c| c != INF).unwrap_or(0);
        let last = cost.iter().rposition(|&c| c != INF).map_or(0, |p| p + 1);
        let (cost, ex, left) = if first < last {
            (
                cost[first..last].to_vec(),
                ex[first..last].to_vec(),
                left[first..last].to_vec(),
            )
        } else {
            (vec![INF], vec![INF], vec![0])
        };
        win.push(Window {
            lo: (lo_k + first) as u32,
            cost,
            ex,
            left,
        });
    }

    win
}

/// Least extra with at most `max` prefixes, then the fewest prefixes: `(extra, count)`.
fn best_at_root(w: &Window, max: usize) -> Option<(u128, usize)> {
    let mut best: Option<(u128, usize)> = None;
    for (j, &c) in w.cost.iter().enumerate() {
        let k = w.lo as usize + j;
        if k > max {
            break;
        }
        if c != INF && best.is_none_or(|b| c < b.0) {
            best = Some((c, k));
        }
    }
    best
}

/// `a + b` without overflow, as (carry, low) for comparisons.
fn wsum(a: u128, b: u128) -> (bool, u128) {
    let (lo, c) = a.overflowing_add(b);
    (c, lo)
}

/// All finite and steps non-decreasing: `x[i-1] + x[i+1] >= 2 x[i]`.
fn convex(x: &[u128]) -> bool {
    x.iter().all(|&v| v != INF) && x.windows(3).all(|w| wsum(w[0], w[2]) >= wsum(w[1], w[1]))
}

/// The general split step: every pair of kept child entries; entry `a + b + off` of the
/// output (relative to the children's lowest counts) keeps the least cost, smallest `a` on ties.
#[allow(clippy::too_many_arguments)]
fn quadratic(
    wl: &Window,
    wr: &Window,
    d: u128,
    delta: u128,
    off: usize,
    cost: &mut [u128],
    ex: &mut [u128],
    left: &mut [u32],
) {
    for (a, (&ca, &xa)) in wl.cost.iter().zip(&wl.ex).enumerate() {
        if ca == INF {
            continue;
        }
        let xa = xa.saturating_add(d);
        if xa > delta {
            continue;
        }
        for (b, (&cb, &xb)) in wr.cost.iter().zip(&wr.ex).enumerate() {
            if cb == INF {
                continue;
            }
            let x = xa.saturating_add(xb);
            if x > delta {
                continue;
            }
            let k = off + a + b;
            if k >= cost.len() {
                break;
            }
            let c = ca + cb; // disjoint extras: no overflow
            if c < cost[k] {
                cost[k] = c;
                ex[k] = x;
                left[k] = wl.lo + a as u32;
            }
        }
    }
}

fn collect(nodes: &[Node], win: &[Window], id: usize, k: usize, out: &mut Vec<IpNet>) {
    let n = &nodes[id];
    let w = &win[id];
    let a = w.left[k - w.lo as usize] as usize;
    match n.kids {
        Some((l, r)) if a > 0 => {
            collect(nodes, win, l as usize, a, out);
            collect(nodes, win, r as usize, k - a, out);
        }
        _ => out.push(n.net),
    }
}
