//! Reading one prefix from text: [`parse_prefix`] and [`PrefixParseError`].

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// What is wrong with a prefix's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixParseError {
    text: String,
    kind: ParseErrorKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParseErrorKind {
    Empty,
    BadAddress,
    BadLength,
    LengthTooLong { max: u8 },
    HostBits { network: IpNet },
    Utf16,
}

impl PrefixParseError {
    fn new(text: &str, kind: ParseErrorKind) -> Self {
        // Keep error messages short even for absurd input.
        let mut t: String = text.chars().take(80).collect();
        if t.len() < text.len() {
            t.push('…');
        }
        PrefixParseError { text: t, kind }
    }

    /// An error for text the parser rejected without a more specific reason.
    pub(crate) fn other(text: &str) -> Self {
        PrefixParseError::new(text, ParseErrorKind::BadAddress)
    }

    /// The error for UTF-16 input.
    pub(crate) fn utf16() -> Self {
        PrefixParseError::new("", ParseErrorKind::Utf16)
    }

    /// True when the only fault is host bits set ([`parse_network`]); the message then already
    /// says what to write.
    pub fn is_host_bits(&self) -> bool {
        matches!(self.kind, ParseErrorKind::HostBits { .. })
    }

    /// The offending text (trimmed, cut at 80 characters).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for PrefixParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.text;
        match self.kind {
            ParseErrorKind::Empty => write!(f, "empty prefix"),
            ParseErrorKind::BadAddress => {
                write!(f, "{t:?} is not an IPv4 or IPv6 address or prefix (expected e.g. 10.0.0.0/8 or 2001:db8::/32)")
            }
            ParseErrorKind::BadLength => {
                write!(
                    f,
                    "{t:?} has an invalid prefix length (expected a number after '/')"
                )
            }
            ParseErrorKind::Utf16 => {
                write!(f, "the text is UTF-16; save it as UTF-8 (or ASCII) text")
            }
            ParseErrorKind::LengthTooLong { max } => {
                write!(f, "{t:?} has a prefix length above {max}")
            }
            ParseErrorKind::HostBits { network } => {
                write!(
                    f,
                    "{t:?} has host bits set, which Azure rejects (InvalidCIDRNotation: for the \
                     given prefix length, the address prefix should be {network}); write {network}"
                )
            }
        }
    }
}

impl std::error::Error for PrefixParseError {}

/// Parse one prefix: trims whitespace, accepts bare addresses (/32 or /128), and
/// canonicalizes host bits (`10.1.2.3/16` → `10.1.0.0/16`).
///
/// Addresses follow the standard textual forms of [`std::net`] (dotted quad without
/// leading zeros; RFC 4291/5952 IPv6 including `::` and an embedded dotted quad). The
/// length is decimal, at most 32 (IPv4) or 128 (IPv6).
///
/// ```
/// use p2s_sim::prefix::parse_prefix;
/// assert_eq!(parse_prefix(" 10.1.2.3/16 ").unwrap().to_string(), "10.1.0.0/16");
/// assert_eq!(parse_prefix("2001:db8::1").unwrap().to_string(), "2001:db8::1/128");
/// assert!(parse_prefix("10.0.0.0/33").is_err());
/// ```
pub fn parse_prefix(text: &str) -> Result<IpNet, PrefixParseError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(PrefixParseError::new(t, ParseErrorKind::Empty));
    }
    let (addr_text, len_text) = match t.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (t, None),
    };
    let addr: IpAddr = addr_text
        .parse()
        .map_err(|_| PrefixParseError::new(t, ParseErrorKind::BadAddress))?;
    let max = match addr {
        IpAddr::V4(_) => 32u8,
        IpAddr::V6(_) => 128u8,
    };
    let len = match len_text {
        None => max,
        Some(l) => {
            parse_len(l).ok_or_else(|| PrefixParseError::new(t, ParseErrorKind::BadLength))?
        }
    };
    if len > max {
        return Err(PrefixParseError::new(
            t,
            ParseErrorKind::LengthTooLong { max },
        ));
    }
    Ok(net_from(addr, len))
}

/// Decimal prefix length: 1 to 3 ASCII digits.
fn parse_len(l: &str) -> Option<u8> {
    if l.is_empty() || l.len() > 3 || !l.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    l.parse::<u16>().ok().and_then(|v| u8::try_from(v).ok())
}

/// Parse one network prefix the way Azure accepts it in an address space, a pool or a route:
/// like [`parse_prefix`], but host bits are an error (`10.0.0.1/16` → "should be 10.0.0.0/16"),
/// because Azure refuses such a prefix (`InvalidCIDRNotation`).
///
/// ```
/// use p2s_sim::prefix::parse_network;
/// assert_eq!(parse_network("10.1.0.0/16").unwrap().to_string(), "10.1.0.0/16");
/// assert!(parse_network("10.0.0.1/16").unwrap_err().to_string().contains("10.0.0.0/16"));
/// assert_eq!(parse_network("10.0.0.1").unwrap().to_string(), "10.0.0.1/32");
/// ```
pub fn parse_network(text: &str) -> Result<IpNet, PrefixParseError> {
    if let Some(net) = plain_v4_network(text) {
        return Ok(net);
    }
    let net = parse_prefix(text)?;
    let t = text.trim();
    let addr_text = t.split_once('/').map_or(t, |(a, _)| a);
    match addr_text.parse::<IpAddr>() {
        Ok(addr) if addr != net.addr() => Err(PrefixParseError::new(
            t,
            ParseErrorKind::HostBits { network: net },
        )),
        _ => Ok(net),
    }
}

/// The common case of [`parse_network`] in one pass: exactly `a.b.c.d/len` (no spaces, no
/// leading zeros, octets up to 255, length up to 32) without host bits. `None` for anything
/// else, which then takes the general path (and gets its error messages). What it accepts is
/// exactly the text [`NetText`](super::NetText) writes for that prefix, so a reader can keep
/// the parsed form instead of the text without formatting it again to compare.
pub(crate) fn plain_v4_network(text: &str) -> Option<IpNet> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut addr: u32 = 0;
    for k in 0..4 {
        let start = i;
        let mut v: u32 = 0;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
            v = v * 10 + u32::from(b[i] - b'0');
            i += 1;
        }
        let n = i - start;
        if n == 0 || v > 255 || (n > 1 && b[start] == b'0') {
            return None;
        }
        addr = (addr << 8) | v;
        let sep = if k < 3 { b'.' } else { b'/' };
        if b.get(i) != Some(&sep) {
            return None;
        }
        i += 1;
    }
    let len = match &b[i..] {
        [d] if d.is_ascii_digit() => d - b'0',
        [d, e] if *d != b'0' && d.is_ascii_digit() && e.is_ascii_digit() => {
            (d - b'0') * 10 + (e - b'0')
        }
        _ => return None,
    };
    if len > 32 {
        return None;
    }
    let net = v4_net(addr, len);
    (u32::from(net.addr()) == addr).then_some(IpNet::V4(net))
}

/// The canonical (host bits cleared) prefix `addr/len`; `len` must be valid for the family.
pub(crate) fn net_from(addr: IpAddr, len: u8) -> IpNet {
    match addr {
        IpAddr::V4(a) => IpNet::V4(v4_net(u32::from(a), len)),
        IpAddr::V6(a) => IpNet::V6(v6_net(u128::from(a), len)),
    }
}

/// Canonical IPv4 prefix from an integer start and a length ≤ 32.
pub(crate) fn v4_net(start: u32, len: u8) -> Ipv4Net {
    let s = if len == 0 {
        0
    } else {
        start & (u32::MAX << (32 - len as u32))
    };
    Ipv4Net::new(Ipv4Addr::from(s), len.min(32)).unwrap_or_default()
}

/// Canonical IPv6 prefix from an integer start and a length ≤ 128.
pub(crate) fn v6_net(start: u128, len: u8) -> Ipv6Net {
    let s = if len == 0 {
        0
    } else {
        start & (u128::MAX << (128 - len as u32))
    };
    Ipv6Net::new(Ipv6Addr::from(s), len.min(128)).unwrap_or_default()
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_v4_fast_path_agrees_with_the_general_parser() {
        for text in [
            "10.0.0.0/8",
            "10.1.0.0/16",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "10.0.0.1/32",
            "192.168.1.0/24",
            "10.0.0.1/16",
            "010.0.0.0/8",
            "10.0.0.0/08",
            "10.0.0.0/33",
            "256.0.0.0/8",
            "10.0.0/8",
            "10.0.0.0",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "1.2.3.4/",
            "1.2.3.4/3x",
            "1.2.3.4.5/8",
            "1234.0.0.0/8",
            "fd00::/8",
            "10.0.0.0/100",
        ] {
            if let Some(fast) = plain_v4_network(text) {
                let t = text.trim();
                let addr_text = t.split_once('/').map_or(t, |(a, _)| a);
                let slow = parse_prefix(text).unwrap();
                assert_eq!(fast, slow, "{text}");
                assert_eq!(addr_text.parse::<IpAddr>().unwrap(), slow.addr(), "{text}");
            } else {
                let t = text.trim();
                let ok_slow = parse_prefix(text).ok().filter(|n| {
                    t.split_once('/')
                        .map_or(t, |(a, _)| a)
                        .parse::<IpAddr>()
                        .ok()
                        == Some(n.addr())
                });
                // Whatever the fast path declines goes through the general parser unchanged;
                // what it declines but the general parser takes must not be plain a.b.c.d/len.
                if let Some(n) = ok_slow {
                    assert!(
                        text != n.to_string() || n.addr().is_ipv6(),
                        "fast path declined canonical {text}"
                    );
                }
            }
        }
    }
    use super::*;

    #[test]
    fn accepts_and_canonicalizes() {
        let p = |s: &str| parse_prefix(s).map(|n| n.to_string());
        assert_eq!(p("10.1.2.3/16").unwrap(), "10.1.0.0/16");
        assert_eq!(p("\t1.2.3.4\r").unwrap(), "1.2.3.4/32");
        assert_eq!(p("0.0.0.0/0").unwrap(), "0.0.0.0/0");
        assert_eq!(p("::/0").unwrap(), "::/0");
        assert_eq!(p("::").unwrap(), "::/128");
        assert_eq!(p("2001:db8::ff/120").unwrap(), "2001:db8::/120");
        assert_eq!(p("::ffff:1.2.3.4/96").unwrap(), "::ffff:0.0.0.0/96");
    }

    #[test]
    fn rejects_with_reason() {
        for bad in [
            "",
            "  ",
            "10.0.0.0/33",
            "::/129",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/8/8",
            "x",
            "1.2.3.4/0008",
            "256.0.0.0/8",
        ] {
            let e = parse_prefix(bad).unwrap_err();
            assert!(!e.to_string().is_empty(), "{bad}");
        }
        assert!(parse_prefix("10.0.0.0/33")
            .unwrap_err()
            .to_string()
            .contains("above 32"));
    }
}
