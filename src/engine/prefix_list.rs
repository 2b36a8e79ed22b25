//! A sorted, distinct list of prefixes in canonical order, held in a third of the memory.
//!
//! An [`IpNet`] takes 18 bytes whatever its family. The engine's lists are almost all IPv4 (a
//! BGP domain's list can hold a million VNet prefixes, and every gateway keeps its own VNet and
//! spoke prefixes), so an IPv4 entry is stored as one `u64`, `address << 8 | length`, which
//! sorts exactly as the prefix does (address, then length). IPv6 entries, which sort after
//! every IPv4 one, keep their own form. Entries are read by value: index `i` is IPv4 below
//! `v4.len()` and IPv6 from there on.

use std::net::Ipv4Addr;
use std::ops::Range;

use ipnet::{IpNet, Ipv4Net};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PrefixList {
    v4: Vec<u64>,
    v6: Vec<IpNet>,
}

fn pack(net: &Ipv4Net) -> u64 {
    u64::from(u32::from(net.addr())) << 8 | u64::from(net.prefix_len())
}

fn unpack(key: u64) -> IpNet {
    // Only `pack` writes keys, so the length is at most 32.
    IpNet::V4(Ipv4Net::new_assert(
        Ipv4Addr::from((key >> 8) as u32),
        key as u8,
    ))
}

impl PrefixList {
    /// The list of `sorted`, which must be in canonical order and distinct (as
    /// [`crate::prefix::sort_nets`] and `dedup` leave a list).
    pub(crate) fn from_sorted(sorted: impl IntoIterator<Item = IpNet>) -> PrefixList {
        let sorted = sorted.into_iter();
        let mut list = PrefixList {
            // Mostly IPv4: room for all, trimmed below.
            v4: Vec::with_capacity(sorted.size_hint().0),
            v6: Vec::new(),
        };
        for net in sorted {
            match net {
                IpNet::V4(n) => list.v4.push(pack(&n)),
                IpNet::V6(_) => list.v6.push(net),
            }
        }
        debug_assert!(list.v4.windows(2).all(|w| w[0] < w[1]));
        debug_assert!(list.v6.windows(2).all(|w| w[0] < w[1]));
        list.v4.shrink_to_fit();
        list.v6.shrink_to_fit();
        list
    }

    pub(crate) fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<IpNet> {
        match self.v4.get(i) {
            Some(&key) => Some(unpack(key)),
            None => self.v6.get(i - self.v4.len()).copied(),
        }
    }

    /// The entry at `i`, which must be below [`PrefixList::len`].
    pub(crate) fn at(&self, i: usize) -> IpNet {
        self.get(i).expect("index within the list")
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = IpNet> + '_ {
        self.range(0..self.len())
    }

    /// The entries at the indices of `r` (clamped to the list), in order.
    pub(crate) fn range(&self, r: Range<usize>) -> impl Iterator<Item = IpNet> + '_ {
        let split = self.v4.len();
        let end = r.end.min(self.len());
        let start = r.start.min(end);
        let v4 = self.v4[start.min(split)..end.min(split)].iter();
        let v6 = self.v6[start.max(split) - split..end.max(split) - split].iter();
        v4.map(|&key| unpack(key)).chain(v6.copied())
    }

    /// The first index at or after `from` whose entry is not below `p` (`lower_bound`), for a
    /// caller that knows every entry before `from` is below `p`. Gallops from `from` (1, 2, 4,
    /// ... entries on), so a run of searches for ascending keys touches the list near where the
    /// previous one ended. IPv4 keys are compared as integers, never unpacked.
    pub(crate) fn lower_bound_from(&self, from: usize, p: &IpNet) -> usize {
        self.bound_from(from, p, false)
    }

    /// The first index at or after `from` whose entry is above `p` (`upper_bound`), for a
    /// caller that knows every entry before `from` is at most `p`.
    pub(crate) fn upper_bound_from(&self, from: usize, p: &IpNet) -> usize {
        self.bound_from(from, p, true)
    }

    fn bound_from(&self, from: usize, p: &IpNet, past_equal: bool) -> usize {
        let split = self.v4.len();
        match p {
            // Every IPv6 entry sorts after an IPv4 prefix: the answer is within the IPv4 part.
            IpNet::V4(n) => {
                let key = pack(n);
                gallop(&self.v4, from.min(split), |&k| {
                    k < key || (past_equal && k == key)
                })
            }
            // Every IPv4 entry sorts before an IPv6 prefix.
            IpNet::V6(_) => {
                let from = (from.max(split) - split).min(self.v6.len());
                split + gallop(&self.v6, from, |q| q < p || (past_equal && q == p))
            }
        }
    }

    /// `slice::binary_search` in canonical order.
    pub(crate) fn binary_search(&self, p: &IpNet) -> Result<usize, usize> {
        let i = self.lower_bound_from(0, p);
        if self.get(i).as_ref() == Some(p) {
            Ok(i)
        } else {
            Err(i)
        }
    }
}

/// `list.partition_point(below)` for a predicate that holds on all of `list[..from]`: gallops
/// from `from`, then searches the last doubling's span (a plain binary search from 0).
fn gallop<T>(list: &[T], from: usize, below: impl Fn(&T) -> bool) -> usize {
    if from == 0 {
        // Nothing known: galloping would take twice the steps of a binary search.
        return list.partition_point(below);
    }
    let tail = &list[from..];
    let mut bound = 1;
    while bound < tail.len() && below(&tail[bound]) {
        bound *= 2;
    }
    let lo = bound / 2;
    let hi = (bound + 1).min(tail.len());
    from + lo + tail[lo..hi].partition_point(below)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefix::{net_lt, sort_nets};

    fn sorted(items: &[&str]) -> Vec<IpNet> {
        let mut v: Vec<IpNet> = items.iter().map(|s| s.parse().unwrap()).collect();
        sort_nets(&mut v);
        v.dedup();
        v
    }

    /// Every read of the packed list agrees with the same reads of the plain sorted vector.
    #[test]
    fn reads_as_the_sorted_vector_does() {
        let plain = sorted(&[
            "0.0.0.0/0",
            "10.0.0.0/8",
            "10.0.0.0/16",
            "10.0.0.0/32",
            "10.0.0.1/32",
            "255.255.255.255/32",
            "::/0",
            "fd00::/8",
            "fd00::/16",
        ]);
        let list = PrefixList::from_sorted(plain.iter().copied());
        assert_eq!(list.len(), plain.len());
        assert_eq!(list.iter().collect::<Vec<_>>(), plain);
        for start in 0..=plain.len() + 1 {
            for end in 0..=plain.len() + 1 {
                let expected: Vec<IpNet> = plain
                    .get(start.min(end).min(plain.len())..end.min(plain.len()))
                    .unwrap_or(&[])
                    .to_vec();
                assert_eq!(list.range(start..end).collect::<Vec<_>>(), expected);
            }
        }
        let probes = sorted(&[
            "9.0.0.0/8",
            "10.0.0.0/16",
            "10.0.0.0/24",
            "fd00::/8",
            "fe80::/10",
        ]);
        for p in probes.iter().chain(&plain) {
            assert_eq!(list.binary_search(p), plain.binary_search(p), "{p}");
            let lower = plain.partition_point(|q| net_lt(q, p));
            let upper = plain.partition_point(|q| !net_lt(p, q));
            for from in 0..=lower {
                assert_eq!(list.lower_bound_from(from, p), lower, "{p} from {from}");
            }
            for from in 0..=upper {
                assert_eq!(list.upper_bound_from(from, p), upper, "{p} from {from}");
            }
        }
        assert_eq!(list.get(plain.len()), None);
        assert_eq!(PrefixList::default().iter().count(), 0);
    }
}
