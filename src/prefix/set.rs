//! [`PrefixSet`]: an exact set of IPv4 and IPv6 addresses.

use ipnet::IpNet;

use super::count::AddressCount;
use super::parse::{v4_net, v6_net};
use super::range::{self, Bits};

/// An exact set of addresses, IPv4 and IPv6 together.
///
/// Internally each family is a sorted list of disjoint, non-adjacent inclusive ranges, so
/// two sets are `==` exactly when they hold the same addresses, and every operation is a
/// linear merge (or a binary search for single prefixes).
///
/// ```
/// use p2s_sim::prefix::{parse_prefix, PrefixSet};
/// let p = |s| parse_prefix(s).unwrap();
/// let set = PrefixSet::from_prefixes([p("10.0.0.0/25"), p("10.0.0.128/25"), p("10.0.0.7/32")]);
/// assert_eq!(set.to_prefixes(), vec![p("10.0.0.0/24")]);
/// assert!(set.covers(&p("10.0.0.64/26")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PrefixSet {
    pub(crate) v4: Vec<(u32, u32)>,
    pub(crate) v6: Vec<(u128, u128)>,
}

impl PrefixSet {
    /// The empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The set of all addresses in `prefixes` (any order; overlaps and duplicates are fine).
    pub fn from_prefixes(prefixes: impl IntoIterator<Item = IpNet>) -> Self {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for p in prefixes {
            match p {
                IpNet::V4(n) => v4.push(range::prefix_range(u32::from(n.addr()), n.prefix_len())),
                IpNet::V6(n) => v6.push(range::prefix_range(u128::from(n.addr()), n.prefix_len())),
            }
        }
        Self::from_ranges(v4, v6)
    }

    /// The set of all addresses in the given inclusive ranges (any order, `start <= end`).
    pub(crate) fn from_ranges(v4: Vec<(u32, u32)>, v6: Vec<(u128, u128)>) -> Self {
        PrefixSet {
            v4: range::normalize(v4),
            v6: range::normalize(v6),
        }
    }

    /// From lists already in normal form (sorted, disjoint, non-adjacent).
    pub(crate) fn from_normal(v4: Vec<(u32, u32)>, v6: Vec<(u128, u128)>) -> Self {
        debug_assert!(is_normal(&v4) && is_normal(&v6));
        PrefixSet { v4, v6 }
    }

    /// Whether the set holds no address.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Addresses in either set.
    pub fn union(&self, other: &PrefixSet) -> PrefixSet {
        PrefixSet {
            v4: range::union(&self.v4, &other.v4),
            v6: range::union(&self.v6, &other.v6),
        }
    }

    /// Addresses in both sets.
    pub fn intersection(&self, other: &PrefixSet) -> PrefixSet {
        PrefixSet {
            v4: range::intersection(&self.v4, &other.v4),
            v6: range::intersection(&self.v6, &other.v6),
        }
    }

    /// Addresses in `self` but not in `other`.
    pub fn difference(&self, other: &PrefixSet) -> PrefixSet {
        PrefixSet {
            v4: range::difference(&self.v4, &other.v4),
            v6: range::difference(&self.v6, &other.v6),
        }
    }

    /// Whether every address of `prefix` is in the set.
    pub fn covers(&self, prefix: &IpNet) -> bool {
        match prefix {
            IpNet::V4(n) => range::covers(
                &self.v4,
                range::prefix_range(u32::from(n.addr()), n.prefix_len()),
            ),
            IpNet::V6(n) => range::covers(
                &self.v6,
                range::prefix_range(u128::from(n.addr()), n.prefix_len()),
            ),
        }
    }

    /// Whether `prefix` and the set have at least one address in common.
    pub fn overlaps(&self, prefix: &IpNet) -> bool {
        match prefix {
            IpNet::V4(n) => range::overlaps(
                &self.v4,
                range::prefix_range(u32::from(n.addr()), n.prefix_len()),
            ),
            IpNet::V6(n) => range::overlaps(
                &self.v6,
                range::prefix_range(u128::from(n.addr()), n.prefix_len()),
            ),
        }
    }

    /// Whether the two sets have at least one address in common.
    pub fn intersects(&self, other: &PrefixSet) -> bool {
        range::intersects(&self.v4, &other.v4) || range::intersects(&self.v6, &other.v6)
    }

    /// Whether every address of `other` is in `self`.
    pub fn contains_set(&self, other: &PrefixSet) -> bool {
        range::contains_all(&self.v4, &other.v4) && range::contains_all(&self.v6, &other.v6)
    }

    /// The aggregate: the minimal list of CIDR prefixes whose union is exactly this set,
    /// in canonical order (IPv4 before IPv6, ascending address).
    pub fn to_prefixes(&self) -> Vec<IpNet> {
        let mut out = Vec::with_capacity(self.v4.len() + self.v6.len());
        for r in &self.v4 {
            range::split_cidrs(*r, |s, l| out.push(IpNet::V4(v4_net(s, l))));
        }
        for r in &self.v6 {
            range::split_cidrs(*r, |s, l| out.push(IpNet::V6(v6_net(s, l))));
        }
        out
    }

    /// Number of prefixes [`to_prefixes`](Self::to_prefixes) would return, without building them.
    pub fn prefix_count(&self) -> usize {
        let (a, b) = self.prefix_counts();
        a + b
    }

    /// Numbers of IPv4 and IPv6 prefixes in the aggregate, without building them.
    pub fn prefix_counts(&self) -> (usize, usize) {
        let (mut a, mut b) = (0, 0);
        for r in &self.v4 {
            range::split_cidrs(*r, |_, _| a += 1);
        }
        for r in &self.v6 {
            range::split_cidrs(*r, |_, _| b += 1);
        }
        (a, b)
    }

    /// Number of addresses in the set (exact; all of IPv6 is 2^128).
    pub fn address_count(&self) -> AddressCount {
        self.ipv4_address_count() + self.ipv6_address_count()
    }

    /// Number of IPv4 addresses in the set (at most 2^32).
    pub fn ipv4_address_count(&self) -> AddressCount {
        let (c, l) = range::count(&self.v4);
        AddressCount::from_parts(c as u64, l)
    }

    /// Number of IPv6 addresses in the set (at most 2^128).
    pub fn ipv6_address_count(&self) -> AddressCount {
        let (c, l) = range::count(&self.v6);
        AddressCount::from_parts(c as u64, l)
    }

    /// The IPv4 part as inclusive `(first, last)` address ranges, ascending and disjoint.
    pub fn ipv4_ranges(&self) -> &[(u32, u32)] {
        &self.v4
    }

    /// The IPv6 part as inclusive `(first, last)` address ranges, ascending and disjoint.
    pub fn ipv6_ranges(&self) -> &[(u128, u128)] {
        &self.v6
    }
}

impl FromIterator<IpNet> for PrefixSet {
    fn from_iter<I: IntoIterator<Item = IpNet>>(iter: I) -> Self {
        PrefixSet::from_prefixes(iter)
    }
}

fn is_normal<T: Bits>(v: &[(T, T)]) -> bool {
    v.iter().all(|r| r.0 <= r.1)
        && v.windows(2)
            .all(|w| w[0].1.add_one().is_some_and(|n| n < w[1].0))
}
