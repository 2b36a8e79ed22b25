//! Sorted, disjoint, non-adjacent inclusive address ranges of one family, and the
//! linear-time set algebra on them.
//!
//! A family's addresses are unsigned integers ([`Bits`]: `u32` for IPv4, `u128` for IPv6).
//! A range `(start, end)` is inclusive, so the whole family `(0, MAX)` needs no overflow
//! tricks. A *normal* list is sorted by start, and consecutive ranges are separated by at
//! least one address that is not in the set; normal lists are therefore equal exactly when
//! the sets are equal.

/// An address family's integer type.
pub(crate) trait Bits:
    Copy + Ord + Eq + std::fmt::Debug + Default + Send + Sync + 'static
{
    /// Address width in bits (32 or 128).
    const WIDTH: u32;
    const ZERO: Self;
    const MAX: Self;
    fn to_u128(self) -> u128;
    /// Truncates: only for values known to fit.
    fn from_u128(v: u128) -> Self;
    fn trailing_zeros(self) -> u32;
    fn leading_zeros(self) -> u32;
    fn wrapping_add(self, o: Self) -> Self;
    fn wrapping_sub(self, o: Self) -> Self;
    fn add_one(self) -> Option<Self>;
    fn shr(self, n: u32) -> Self;
    fn not(self) -> Self;
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
}

macro_rules! impl_bits {
    ($t:ty) => {
        impl Bits for $t {
            const WIDTH: u32 = <$t>::BITS;
            const ZERO: Self = 0;
            const MAX: Self = <$t>::MAX;
            #[inline]
            fn to_u128(self) -> u128 {
                self as u128
            }
            #[inline]
            fn from_u128(v: u128) -> Self {
                v as $t
            }
            #[inline]
            fn trailing_zeros(self) -> u32 {
                <$t>::trailing_zeros(self)
            }
            #[inline]
            fn leading_zeros(self) -> u32 {
                <$t>::leading_zeros(self)
            }
            #[inline]
            fn wrapping_add(self, o: Self) -> Self {
                <$t>::wrapping_add(self, o)
            }
            #[inline]
            fn wrapping_sub(self, o: Self) -> Self {
                <$t>::wrapping_sub(self, o)
            }
            #[inline]
            fn add_one(self) -> Option<Self> {
                self.checked_add(1)
            }
            #[inline]
            fn shr(self, n: u32) -> Self {
                self.checked_shr(n).unwrap_or(0)
            }
            #[inline]
            fn not(self) -> Self {
                !self
            }
            #[inline]
            fn and(self, o: Self) -> Self {
                self & o
            }
            #[inline]
            fn or(self, o: Self) -> Self {
                self | o
            }
            #[inline]
            fn xor(self, o: Self) -> Self {
                self ^ o
            }
        }
    };
}
impl_bits!(u32);
impl_bits!(u128);

/// Host mask of a prefix of length `len` (the low `WIDTH - len` bits set).
#[inline]
pub(crate) fn host_mask<T: Bits>(len: u8) -> T {
    T::MAX.shr(len as u32)
}

/// The inclusive range of the prefix `start/len` (host bits of `start` are ignored).
#[inline]
pub(crate) fn prefix_range<T: Bits>(start: T, len: u8) -> (T, T) {
    let m = host_mask::<T>(len);
    let s = start.and(m.not());
    (s, s.or(m))
}

/// Number of addresses in `[s, e]` minus one (never overflows).
#[inline]
pub(crate) fn span_minus_one<T: Bits>(r: (T, T)) -> T {
    r.1.wrapping_sub(r.0)
}

/// Sorts arbitrary ranges and merges overlapping and adjacent ones into a normal list.
pub(crate) fn normalize<T: Bits>(mut v: Vec<(T, T)>) -> Vec<(T, T)> {
    v.sort_unstable_by_key(|r| r.0);
    merge_sorted(v)
}

/// Merges a list sorted by start into a normal list, in place.
pub(crate) fn merge_sorted<T: Bits>(mut v: Vec<(T, T)>) -> Vec<(T, T)> {
    let mut w = 0usize;
    for i in 0..v.len() {
        let r = v[i];
        if w > 0 {
            let last = &mut v[w - 1];
            // Touching or overlapping: last.1 + 1 >= r.0.
            if last.1.add_one().is_none_or(|n| n >= r.0) {
                if r.1 > last.1 {
                    last.1 = r.1;
                }
                continue;
            }
        }
        v[w] = r;
        w += 1;
    }
    v.truncate(w);
    v
}

/// Union of two normal lists.
pub(crate) fn union<T: Bits>(a: &[(T, T)], b: &[(T, T)]) -> Vec<(T, T)> {
    let mut out: Vec<(T, T)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let r = if j >= b.len() || (i < a.len() && a[i].0 <= b[j].0) {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        if let Some(last) = out.last_mut() {
            if last.1.add_one().is_none_or(|n| n >= r.0) {
                if r.1 > last.1 {
                    last.1 = r.1;
                }
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// Intersection of two normal lists.
pub(crate) fn intersection<T: Bits>(a: &[(T, T)], b: &[(T, T)]) -> Vec<(T, T)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let s = a[i].0.max(b[j].0);
        let e = a[i].1.min(b[j].1);
        if s <= e {
            out.push((s, e));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `a` minus `b`, both normal lists.
pub(crate) fn difference<T: Bits>(a: &[(T, T)], b: &[(T, T)]) -> Vec<(T, T)> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for &(s0, e) in a {
        let mut s = s0;
        // Skip b-ranges entirely before s.
        while j < b.len() && b[j].1 < s {
            j += 1;
        }
        let mut k = j;
        let mut alive = true;
        while k < b.len() && b[k].0 <= e {
            if b[k].0 > s {
                out.push((s, b[k].0.wrapping_sub(T::from_u128(1))));
            }
            match b[k].1.add_one() {
                Some(n) if b[k].1 < e => s = n,
                _ => {
                    alive = false;
                    break;
                }
            }
            k += 1;
        }
        if alive {
            out.push((s, e));
        }
        // b[k] either starts after e or reaches past e: the next a-range starts there.
        j = k;
    }
    out
}

/// Index of the range containing `x`, if any.
#[inline]
pub(crate) fn find<T: Bits>(a: &[(T, T)], x: T) -> Option<usize> {
    // First range whose end is >= x.
    let i = a.partition_point(|r| r.1 < x);
    (i < a.len() && a[i].0 <= x).then_some(i)
}

/// Whether every address of `[s, e]` is in the list.
pub(crate) fn covers<T: Bits>(a: &[(T, T)], r: (T, T)) -> bool {
    find(a, r.0).is_some_and(|i| a[i].1 >= r.1)
}

/// Whether at least one address of `[s, e]` is in the list.
pub(crate) fn overlaps<T: Bits>(a: &[(T, T)], r: (T, T)) -> bool {
    let i = a.partition_point(|x| x.1 < r.0);
    i < a.len() && a[i].0 <= r.1
}

/// Whether two normal lists share an address.
pub(crate) fn intersects<T: Bits>(a: &[(T, T)], b: &[(T, T)]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].0.max(b[j].0) <= a[i].1.min(b[j].1) {
            return true;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    false
}

/// Whether normal list `a` contains every address of normal list `b`.
pub(crate) fn contains_all<T: Bits>(a: &[(T, T)], b: &[(T, T)]) -> bool {
    let mut i = 0;
    for &r in b {
        while i < a.len() && a[i].1 < r.0 {
            i += 1;
        }
        if i >= a.len() || a[i].0 > r.0 || a[i].1 < r.1 {
            return false;
        }
    }
    true
}

/// Splits `[s, e]` into the minimal list of aligned CIDR blocks, calling `f(start, len)`
/// for each in ascending order.
#[inline]
pub(crate) fn split_cidrs<T: Bits>(r: (T, T), mut f: impl FnMut(T, u8)) {
    let (mut s, e) = r;
    if s == T::ZERO && e == T::MAX {
        f(s, 0);
        return;
    }
    loop {
        // Largest block aligned at s that does not pass e.
        let span = e.wrapping_sub(s).wrapping_add(T::from_u128(1)); // >= 1, fits (not the full range)
        let size_bits = (T::WIDTH - 1 - span.leading_zeros()).min(s.trailing_zeros());
        let len = (T::WIDTH - size_bits) as u8;
        f(s, len);
        let last = s.or(host_mask::<T>(len));
        if last >= e {
            return;
        }
        s = last.wrapping_add(T::from_u128(1));
    }
}

/// Sum of range sizes, as (carry, low) where the value is `carry * 2^128 + low`.
pub(crate) fn count<T: Bits>(a: &[(T, T)]) -> (u8, u128) {
    let mut carry = 0u8;
    let mut low = 0u128;
    for r in a {
        // size = span_minus_one + 1, added as two steps to stay exact.
        let (l, c1) = low.overflowing_add(span_minus_one(*r).to_u128());
        let (l, c2) = l.overflowing_add(1);
        low = l;
        carry += c1 as u8 + c2 as u8;
    }
    (carry, low)
}
