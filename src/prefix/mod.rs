//! The prefix-set engine: exact sets of IPv4 and IPv6 addresses, built from CIDR prefixes.
//!
//! # What a prefix set is
//!
//! A *prefix* such as `10.1.0.0/16` names the block of addresses that share its first 16 bits.
//! A [`PrefixSet`] is the set of addresses covered by any number of prefixes, IPv4 and IPv6
//! together. It is a set of *addresses*, not a list of prefixes: `10.0.0.0/25` plus
//! `10.0.0.128/25` is the same set as `10.0.0.0/24`, duplicates and overlaps vanish, and
//! two sets compare equal exactly when they hold the same addresses. Internally each family
//! is a sorted list of disjoint inclusive address ranges, so union, intersection and
//! difference are linear merges.
//!
//! # Canonical form
//!
//! A prefix is *canonical* when its host bits are zero ([`parse_prefix`] turns
//! `10.1.2.3/16` into `10.1.0.0/16`). A list is canonical when it is sorted — **IPv4 before
//! IPv6**, then by address, then by length (shorter first) — and free of duplicates
//! ([`canonical_list`]). The *aggregate* of a set ([`PrefixSet::to_prefixes`]) is the
//! shortest canonical list of prefixes whose union is exactly the set; it is unique.
//!
//! # What is here
//!
//! * [`parse_prefix`] — text to prefix, with errors that say what is wrong.
//! * [`PrefixSet`] — aggregate, union, intersection, difference, covers, overlaps, counts.
//! * [`AddressCount`] — exact address counts (all of IPv6 is 2^128, more than `u128::MAX`).
//! * [`overlaps`] — which of many labelled lists overlap which, and where, in O(n log n).
//! * [`summarize`] — the optimal cover of a set by at most K prefixes avoiding a forbidden
//!   set (summarize-to-fit).
//! * [`PrefixReader`] and [`PrefixSet::write_aggregate`] — the bulk text path behind
//!   `p2s-sim prefixes`: parse millions of lines without allocating, radix-sort, merge once,
//!   print with a hand-written formatter.
//!
//! ```
//! use p2s_sim::prefix::{parse_prefix, PrefixSet};
//! let p = |s| parse_prefix(s).unwrap();
//! let a = PrefixSet::from_prefixes([p("10.0.0.0/8"), p("2001:db8::/32")]);
//! let b = PrefixSet::from_prefixes([p("10.1.0.0/16")]);
//! let d = a.difference(&b);
//! assert!(!d.covers(&p("10.1.2.0/24")) && d.covers(&p("10.2.0.0/16")));
//! assert_eq!(d.to_prefixes().len(), 9); // 10.0/16, 10.2/15, 10.4/14, ... 10.128/9, 2001:db8::/32
//! ```

mod bulk;
mod count;
mod format;
mod lexer;
mod overlaps;
mod parse;
mod radix;
mod range;
mod set;
mod summarize;

pub use bulk::{BadLine, PrefixReader, ReadStats};
pub use count::AddressCount;
pub use format::{net_text, NetText};
pub use ipnet::IpNet;
pub use overlaps::{overlaps, set_overlaps, Overlap};
pub(crate) use parse::plain_v4_network;
pub use parse::{parse_network, parse_prefix, PrefixParseError};
pub use set::PrefixSet;
pub use summarize::{summarize, Infeasible, Summary};

/// [`IpNet`]'s own order (IPv4 before IPv6, then address, then length) computed on integers:
/// the derived `Ord` compares the address octets as slices, which in the searches over lists of
/// a million prefixes costs a `memcmp` call per step.
#[inline]
pub fn net_cmp(a: &IpNet, b: &IpNet) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (IpNet::V4(x), IpNet::V4(y)) => {
            (u32::from(x.addr()), x.prefix_len()).cmp(&(u32::from(y.addr()), y.prefix_len()))
        }
        (IpNet::V6(x), IpNet::V6(y)) => {
            (u128::from(x.addr()), x.prefix_len()).cmp(&(u128::from(y.addr()), y.prefix_len()))
        }
        (IpNet::V4(_), IpNet::V6(_)) => Ordering::Less,
        (IpNet::V6(_), IpNet::V4(_)) => Ordering::Greater,
    }
}

/// `a < b` in [`IpNet`]'s order (see [`net_cmp`]).
#[inline]
pub fn net_lt(a: &IpNet, b: &IpNet) -> bool {
    net_cmp(a, b) == std::cmp::Ordering::Less
}

/// Sorts `list` in [`IpNet`]'s order ([`net_cmp`]). A long IPv4-only list (a BGP domain's
/// million prefixes) is radix-sorted on its 5-byte key (address, length); anything else goes
/// through the standard sort.
pub fn sort_nets(list: &mut Vec<IpNet>) {
    const RADIX_FROM: usize = 4096;
    if list.len() >= RADIX_FROM && list.iter().all(|p| matches!(p, IpNet::V4(_))) {
        radix::radix_sort_by_key(list, |p| match p {
            IpNet::V4(n) => {
                let a = u32::from(n.addr()).to_le_bytes();
                [n.prefix_len(), a[0], a[1], a[2], a[3]]
            }
            IpNet::V6(_) => unreachable!("checked: IPv4 only"),
        });
    } else {
        list.sort_unstable_by(net_cmp);
    }
}

/// Canonical, sorted (IPv4 before IPv6, then address, then length), de-duplicated list of
/// the given prefixes with host bits cleared; NOT aggregated (nested prefixes stay).
///
/// ```
/// use p2s_sim::prefix::{canonical_list, parse_prefix};
/// let p = |s| parse_prefix(s).unwrap();
/// let raw: Vec<_> = ["2001:db8::/32", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/8"].map(p).into();
/// assert_eq!(canonical_list(raw), ["10.0.0.0/8", "10.0.0.0/16", "2001:db8::/32"].map(p));
/// ```
pub fn canonical_list(prefixes: impl IntoIterator<Item = IpNet>) -> Vec<IpNet> {
    // IpNet's derived order is exactly the canonical one: V4 before V6, then (address, length).
    let mut v: Vec<IpNet> = prefixes.into_iter().map(|p| p.trunc()).collect();
    sort_nets(&mut v);
    v.dedup();
    v
}

/// Hand-written pieces of the bulk path, exposed only so `benches/prefix.rs` can measure each
/// against the crate or std code it replaces. Not a stable API.
#[doc(hidden)]
pub mod internals {
    /// Parses one trimmed prefix with the byte lexer; `true` if valid.
    pub fn lex(s: &[u8]) -> bool {
        super::lexer::lex_prefix(s).is_some()
    }

    /// The plain O(n · min(max, n)) summarize dynamic program, the oracle of [`super::summarize`].
    pub fn summarize_reference(
        set: &super::PrefixSet,
        max: usize,
        forbid: &super::PrefixSet,
    ) -> Result<super::Summary, super::Infeasible> {
        super::summarize::summarize_reference(set, max, forbid)
    }

    /// [`super::summarize`] with its trial pass forced at Δ / `divisor`, for tests.
    pub fn summarize_forcing_trial(
        set: &super::PrefixSet,
        max: usize,
        forbid: &super::PrefixSet,
        divisor: u128,
    ) -> Result<super::Summary, super::Infeasible> {
        super::summarize::summarize_forcing_trial(set, max, forbid, divisor)
    }

    /// Radix-sorts packed IPv4 ranges (`start << 32 | end`) by start.
    pub fn radix_sort_v4(v: &mut Vec<u64>) {
        super::radix::sort_packed_v4(v);
    }

    /// The radix sort alone on packed IPv6 keys, whatever the size.
    pub fn radix_sort_v6(v: &mut Vec<u128>) {
        super::radix::radix_sort_by_key(v, |k| {
            let b = k.to_le_bytes();
            let mut out = [0u8; 15];
            out.copy_from_slice(&b[1..]);
            out
        });
    }
}
