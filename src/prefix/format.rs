//! Hand-written prefix formatter for the bulk path: appends `addr/len\n` lines to a byte
//! buffer, byte-for-byte identical to `ipnet`'s `Display` (which follows `std::net`:
//! RFC 5952 for IPv6, `::ffff:a.b.c.d` for IPv4-mapped addresses).

use super::range::{self};
use super::set::PrefixSet;

/// Decimal text of 0..=255, padded to four bytes (one fixed-size copy, no `memcpy` call),
/// and its length.
const fn octet_table() -> [([u8; 4], u8); 256] {
    let mut t = [([0u8; 4], 0u8); 256];
    let mut i = 0;
    while i < 256 {
        let (a, b, c) = ((i / 100) as u8, ((i / 10) % 10) as u8, (i % 10) as u8);
        t[i] = if i >= 100 {
            ([b'0' + a, b'0' + b, b'0' + c, 0], 3)
        } else if i >= 10 {
            ([b'0' + b, b'0' + c, 0, 0], 2)
        } else {
            ([b'0' + c, 0, 0, 0], 1)
        };
        i += 1;
    }
    t
}
static OCTETS: [([u8; 4], u8); 256] = octet_table();

#[inline]
fn push_dec_small(out: &mut impl Bytes, v: u8) {
    let (d, n) = &OCTETS[v as usize];
    out.extend_padded(d, usize::from(*n));
}

#[inline]
pub(crate) fn push_v4_addr(out: &mut impl Bytes, a: u32) {
    let b = a.to_be_bytes();
    push_dec_small(out, b[0]);
    out.push(b'.');
    push_dec_small(out, b[1]);
    out.push(b'.');
    push_dec_small(out, b[2]);
    out.push(b'.');
    push_dec_small(out, b[3]);
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[inline]
fn push_hex_group(out: &mut impl Bytes, g: u16) {
    let digits = if g >= 0x1000 {
        4
    } else if g >= 0x100 {
        3
    } else if g >= 0x10 {
        2
    } else {
        1
    };
    for k in (0..digits).rev() {
        out.push(HEX[((g >> (4 * k)) & 0xf) as usize]);
    }
}

pub(crate) fn push_v6_addr(out: &mut impl Bytes, a: u128) {
    // IPv4-mapped addresses print as ::ffff:a.b.c.d (as std does).
    if a >> 32 == 0xffff {
        out.extend_from_slice(b"::ffff:");
        push_v4_addr(out, a as u32);
        return;
    }
    let mut g = [0u16; 8];
    for (i, x) in g.iter_mut().enumerate() {
        *x = (a >> (112 - 16 * i)) as u16;
    }
    // Longest run of zero groups (first on ties), compressed only if at least two long.
    let (mut best_at, mut best_len) = (8usize, 0usize);
    let mut i = 0;
    while i < 8 {
        if g[i] == 0 {
            let s = i;
            while i < 8 && g[i] == 0 {
                i += 1;
            }
            if i - s > best_len {
                best_at = s;
                best_len = i - s;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_at = 8;
        best_len = 0;
    }
    let mut i = 0;
    while i < 8 {
        if i == best_at {
            out.extend_from_slice(b"::");
            i += best_len;
            continue;
        }
        if i > 0 && i != best_at + best_len {
            out.push(b':');
        }
        push_hex_group(out, g[i]);
        i += 1;
    }
}

/// Where the formatter writes: a growing buffer (the bulk path) or a [`NetText`] on the stack.
pub(crate) trait Bytes {
    fn push(&mut self, b: u8);
    fn extend_from_slice(&mut self, bytes: &[u8]);
    /// Appends the first `n` of the four `bytes`.
    fn extend_padded(&mut self, bytes: &[u8; 4], n: usize);
}

impl Bytes for Vec<u8> {
    #[inline]
    fn push(&mut self, b: u8) {
        Vec::push(self, b)
    }
    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        Vec::extend_from_slice(self, bytes)
    }
    #[inline]
    fn extend_padded(&mut self, bytes: &[u8; 4], n: usize) {
        let len = self.len();
        Vec::extend_from_slice(self, bytes);
        self.truncate(len + n);
    }
}

/// One prefix's text, formatted on the stack: what the report writers print a million of,
/// without an allocation each. Identical to `ipnet`'s `Display`.
pub struct NetText {
    // The longest is 39 characters of IPv6 address and "/128".
    buf: [u8; 43],
    len: usize,
}

impl Bytes for NetText {
    #[inline]
    fn push(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }
    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }
    #[inline]
    fn extend_padded(&mut self, bytes: &[u8; 4], n: usize) {
        match self.buf.get_mut(self.len..self.len + 4) {
            Some(room) => room.copy_from_slice(bytes),
            None => self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]),
        }
        self.len += n;
    }
}

impl NetText {
    pub fn new(p: &ipnet::IpNet) -> NetText {
        let mut text = NetText {
            buf: [0; 43],
            len: 0,
        };
        match p {
            ipnet::IpNet::V4(n) => push_v4_addr(&mut text, u32::from(n.addr())),
            ipnet::IpNet::V6(n) => push_v6_addr(&mut text, u128::from(n.addr())),
        }
        text.push(b'/');
        push_dec_small(&mut text, p.prefix_len());
        text
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits, dots, colons, hex letters and '/' are ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl serde::Serialize for NetText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `p.to_string()`, without `core::fmt` (the reports of large topologies print a million).
pub fn net_text(p: &ipnet::IpNet) -> String {
    NetText::new(p).as_str().to_owned()
}

/// Appends the aggregate of `set` to `out`, one `prefix\n` per line, canonical order.
pub(crate) fn write_aggregate(set: &PrefixSet, out: &mut Vec<u8>) {
    write_cidrs(&set.v4, push_v4_addr, out);
    write_cidrs(&set.v6, push_v6_addr, out);
}

/// The CIDR blocks of each range, `address/length\n`; generic so that each family's loop is
/// compiled with its own address writer inlined.
#[inline(always)]
fn write_cidrs<T: range::Bits>(
    ranges: &[(T, T)],
    push_addr: impl Fn(&mut Vec<u8>, T),
    out: &mut Vec<u8>,
) {
    for &r in ranges {
        range::split_cidrs(r, |s, l| {
            push_addr(out, s);
            out.push(b'/');
            push_dec_small(out, l);
            out.push(b'\n');
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_display() {
        let mut samples: Vec<u128> = vec![
            0,
            1,
            u128::MAX,
            0xffff_0102_0304,
            0x2001_0db8 << 96,
            1 << 112,
            (1 << 112) | 1,
        ];
        let mut x: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15)
                .wrapping_add(12345);
            // Zero out random groups to produce runs.
            let mask = x.rotate_left(17);
            let mut v = x;
            for g in 0..8 {
                if (mask >> (g * 3)) & 3 != 0 {
                    v &= !(0xffffu128 << (16 * g));
                }
            }
            samples.push(v);
        }
        for a in samples {
            let mut out = Vec::new();
            push_v6_addr(&mut out, a);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                std::net::Ipv6Addr::from(a).to_string()
            );
            let mut out = Vec::new();
            push_v4_addr(&mut out, a as u32);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                std::net::Ipv4Addr::from(a as u32).to_string()
            );
        }
    }

    #[test]
    fn net_text_matches_display() {
        for text in [
            "0.0.0.0/0",
            "10.0.0.0/8",
            "255.255.255.255/32",
            "192.168.1.0/24",
            "::/0",
            "2001:db8::/32",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            "::ffff:10.1.2.3/128",
            "fe80::1:0:0:1/64",
        ] {
            let p: ipnet::IpNet = text.parse().unwrap();
            assert_eq!(NetText::new(&p).as_str(), p.to_string());
            assert_eq!(net_text(&p), p.to_string());
        }
    }
}
