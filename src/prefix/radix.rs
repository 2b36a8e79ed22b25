//! LSD radix sort by 8-bit digits of an integer key, skipping digits that are the same for
//! every element (common: IPv6 BGP prefixes leave the low 80 bits zero). All digit
//! histograms come from one read pass; each kept digit costs one scatter pass.

/// Sorts `v` by `key(x)`, a `BYTES`-byte unsigned key (little-endian digit order). Stable.
pub(crate) fn radix_sort_by_key<T: Copy + Default, const BYTES: usize>(
    v: &mut Vec<T>,
    key: impl Fn(&T) -> [u8; BYTES] + Copy,
) {
    let n = v.len();
    if n < 256 {
        v.sort_by_key(|x| {
            let mut k = key(x);
            k.reverse();
            k
        });
        return;
    }
    let mut hist = vec![[0usize; 256]; BYTES];
    for x in v.iter() {
        let k = key(x);
        for d in 0..BYTES {
            hist[d][k[d] as usize] += 1;
        }
    }
    let mut scratch: Vec<T> = vec![T::default(); n];
    let mut src_is_v = true;
    for (d, h) in hist.iter().enumerate() {
        if h.contains(&n) {
            continue; // every element has the same digit here
        }
        let mut offs = [0usize; 256];
        let mut acc = 0;
        for (o, &c) in offs.iter_mut().zip(h.iter()) {
            *o = acc;
            acc += c;
        }
        let (src, dst): (&[T], &mut [T]) = if src_is_v {
            (&v[..], &mut scratch[..])
        } else {
            (&scratch[..], &mut v[..])
        };
        for x in src {
            let b = key(x)[d] as usize;
            // SAFETY-free: bounds-checked index; offsets partition 0..n exactly.
            dst[offs[b]] = *x;
            offs[b] += 1;
        }
        src_is_v = !src_is_v;
    }
    if !src_is_v {
        std::mem::swap(v, &mut scratch);
    }
}

/// Sorts packed IPv4 ranges (`start << 32 | end`) by start: LSD radix on the four bytes of
/// the start. (Measured against 11-bit digits, an MSD pass plus in-cache sorts, and
/// `sort_unstable`: 8-bit digits win on this machine; see `benches/prefix.rs`, group `sort`.)
pub(crate) fn sort_packed_v4(v: &mut Vec<u64>) {
    radix_sort_by_key(v, |k| ((k >> 32) as u32).to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_std() {
        let mut x: u64 = 0x1234_5678_9abc_def1;
        let mut v: Vec<u64> = (0..5000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x & 0xffff_00ff_0000_ffff
            })
            .collect();
        let mut w = v.clone();
        w.sort_by_key(|k| k >> 32);
        radix_sort_by_key(&mut v, |k| {
            [
                (k >> 32) as u8,
                (k >> 40) as u8,
                (k >> 48) as u8,
                (k >> 56) as u8,
            ]
        });
        assert_eq!(v, w); // both stable
        let mut v2: Vec<u64> = w.iter().rev().map(|k| k.rotate_left(7)).collect();
        let mut w2 = v2.clone();
        w2.sort_by_key(|k| k >> 32);
        sort_packed_v4(&mut v2);
        assert_eq!(v2, w2);
    }

    #[test]
    fn sort_nets_sorts_like_net_cmp() {
        use crate::prefix::{net_cmp, sort_nets, IpNet};
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Long IPv4 lists (radix path, with duplicates and nested prefixes), a short one and a
        // mixed one (standard sort).
        for (n, with_v6) in [(10_000, false), (5_000, false), (100, false), (6_000, true)] {
            let mut list: Vec<IpNet> = (0..n)
                .map(|_| {
                    let r = next();
                    let len = (r % 33) as u8;
                    if with_v6 && r % 7 == 0 {
                        let a = std::net::Ipv6Addr::from(((r as u128) << 64) | r as u128);
                        IpNet::V6(ipnet::Ipv6Net::new(a, len).unwrap().trunc())
                    } else {
                        let a = std::net::Ipv4Addr::from((r >> 32) as u32 & 0xffff_ff00);
                        IpNet::V4(ipnet::Ipv4Net::new(a, len).unwrap())
                    }
                })
                .collect();
            let mut expected = list.clone();
            expected.sort_unstable_by(net_cmp);
            sort_nets(&mut list);
            assert_eq!(list, expected, "{n} prefixes");
        }
    }
}
