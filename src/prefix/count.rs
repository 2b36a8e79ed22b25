//! [`AddressCount`]: an exact number of addresses that cannot overflow.
//!
//! `::/0` alone holds 2^128 addresses, one more than `u128::MAX`, and a set holding all of
//! IPv6 and all of IPv4 holds 2^128 + 2^32. The count is therefore kept as a 129-bit-plus
//! value (`carry * 2^128 + low`), added exactly and printed exactly in decimal.

use std::fmt;
use std::ops::{Add, AddAssign};

/// An exact address count (IPv4 and IPv6 together): at most 2^128 + 2^32.
///
/// Ordered by value; `Display` prints the exact decimal number.
///
/// ```
/// use p2s_sim::prefix::{parse_prefix, PrefixSet};
/// let all6 = PrefixSet::from_prefixes([parse_prefix("::/0").unwrap()]);
/// assert_eq!(all6.address_count().to_string(), "340282366920938463463374607431768211456");
/// assert_eq!(all6.address_count().to_u128(), None); // 2^128 does not fit in u128
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddressCount {
    // Field order matters for the derived ordering: carry first.
    carry: u64,
    low: u128,
}

impl AddressCount {
    /// Zero addresses.
    pub const ZERO: AddressCount = AddressCount { carry: 0, low: 0 };
    /// 2^128: all of IPv6.
    pub const ALL_IPV6: AddressCount = AddressCount { carry: 1, low: 0 };

    /// A count that fits in `u128`.
    pub const fn new(n: u128) -> Self {
        AddressCount { carry: 0, low: n }
    }

    pub(crate) const fn from_parts(carry: u64, low: u128) -> Self {
        AddressCount { carry, low }
    }

    /// The count as `u128`, or `None` when it is 2^128 or more.
    pub fn to_u128(self) -> Option<u128> {
        (self.carry == 0).then_some(self.low)
    }

    /// Whether the count is zero.
    pub fn is_zero(self) -> bool {
        self.carry == 0 && self.low == 0
    }

    /// Approximate value as `f64` (for ratios and percentages).
    pub fn as_f64(self) -> f64 {
        self.carry as f64 * 2f64.powi(128) + self.low as f64
    }
}

impl From<u128> for AddressCount {
    fn from(n: u128) -> Self {
        AddressCount::new(n)
    }
}

impl From<u64> for AddressCount {
    fn from(n: u64) -> Self {
        AddressCount::new(n as u128)
    }
}

impl Add for AddressCount {
    type Output = AddressCount;
    fn add(self, o: AddressCount) -> AddressCount {
        let (low, c) = self.low.overflowing_add(o.low);
        AddressCount {
            carry: self.carry.saturating_add(o.carry).saturating_add(c as u64),
            low,
        }
    }
}

impl AddAssign for AddressCount {
    fn add_assign(&mut self, o: AddressCount) {
        *self = *self + o;
    }
}

impl std::iter::Sum for AddressCount {
    fn sum<I: Iterator<Item = AddressCount>>(iter: I) -> Self {
        iter.fold(AddressCount::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for AddressCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.carry == 0 {
            return fmt::Display::fmt(&self.low, f);
        }
        // Value = carry * 2^128 + low, as 32-bit limbs (most significant first), then
        // repeated division by 10^9.
        let mut limbs: [u64; 6] = [
            self.carry >> 32,
            self.carry & 0xffff_ffff,
            (self.low >> 96) as u64,
            ((self.low >> 64) as u64) & 0xffff_ffff,
            ((self.low >> 32) as u64) & 0xffff_ffff,
            (self.low as u64) & 0xffff_ffff,
        ];
        let mut groups = Vec::new();
        loop {
            let mut rem = 0u64;
            let mut nonzero = false;
            for l in limbs.iter_mut() {
                let cur = (rem << 32) | *l;
                *l = cur / 1_000_000_000;
                rem = cur % 1_000_000_000;
                nonzero |= *l != 0;
            }
            groups.push(rem);
            if !nonzero {
                break;
            }
        }
        let mut s = String::new();
        for (i, g) in groups.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&g.to_string());
            } else {
                s.push_str(&format!("{g:09}"));
            }
        }
        f.pad_integral(true, "", &s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_exact() {
        assert_eq!(
            AddressCount::ALL_IPV6.to_string(),
            "340282366920938463463374607431768211456"
        );
        let both = AddressCount::ALL_IPV6 + AddressCount::from(1u64 << 32);
        assert_eq!(both.to_string(), "340282366920938463463374607436063178752");
        assert_eq!(
            AddressCount::new(u128::MAX).to_string(),
            u128::MAX.to_string()
        );
        assert_eq!(
            AddressCount::new(u128::MAX) + AddressCount::new(1),
            AddressCount::ALL_IPV6
        );
        assert!(AddressCount::ALL_IPV6 > AddressCount::new(u128::MAX));
        assert_eq!(AddressCount::ZERO.to_string(), "0");
    }
}
