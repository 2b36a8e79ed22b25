//! Hand-written byte-level prefix parser for the bulk path: no allocation, no UTF-8 check,
//! no per-line `str` parsing. It accepts exactly the language of [`super::parse_prefix`]
//! (checked by property tests): standard `std::net` address forms, an optional `/len`
//! of 1–3 decimal digits, host bits cleared by the caller.

/// One parsed prefix: IPv4 start, or IPv6 start, with its length (host bits not yet cleared).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lexed {
    V4(u32, u8),
    V6(u128, u8),
}

/// Parses one already-trimmed, non-empty prefix.
#[inline]
pub(crate) fn lex_prefix(s: &[u8]) -> Option<Lexed> {
    // Split off "/len".
    let (addr, len) = match s.iter().rposition(|&b| b == b'/') {
        Some(i) => (&s[..i], Some(parse_len(&s[i + 1..])?)),
        None => (s, None),
    };
    if addr.contains(&b':') {
        let a = lex_v6(addr)?;
        let l = len.unwrap_or(128);
        (l <= 128).then_some(Lexed::V6(a, l))
    } else {
        let a = lex_v4(addr)?;
        let l = len.unwrap_or(32);
        (l <= 32).then_some(Lexed::V4(a, l))
    }
}

#[inline]
fn parse_len(s: &[u8]) -> Option<u8> {
    if s.is_empty() || s.len() > 3 {
        return None;
    }
    let mut v: u32 = 0;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as u32;
    }
    u8::try_from(v).ok()
}

/// Dotted quad: four decimal octets, no leading zeros (as `std::net::Ipv4Addr`).
#[inline]
pub(crate) fn lex_v4(s: &[u8]) -> Option<u32> {
    let mut out: u32 = 0;
    let mut i = 0;
    let n = s.len();
    for k in 0..4 {
        if k > 0 {
            if i >= n || s[i] != b'.' {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v: u32 = 0;
        while i < n && i - start < 3 {
            let d = s[i].wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v * 10 + d as u32;
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || v > 255 || (digits > 1 && s[start] == b'0') {
            return None;
        }
        // A fourth digit in a row is an error (caught below as a non-'.' or trailing byte).
        out = (out << 8) | v;
    }
    (i == n).then_some(out)
}

#[inline]
fn hex(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u16),
        b'a'..=b'f' => Some((b - b'a' + 10) as u16),
        b'A'..=b'F' => Some((b - b'A' + 10) as u16),
        _ => None,
    }
}

/// IPv6 text (RFC 4291 forms accepted by `std::net::Ipv6Addr`): up to eight groups of 1–4 hex
/// digits, at most one `::` standing for at least one zero group, and optionally a dotted
/// quad as the last two groups.
pub(crate) fn lex_v6(s: &[u8]) -> Option<u128> {
    let n = s.len();
    let mut head = [0u16; 8];
    let mut tail = [0u16; 8];
    let (mut hn, mut tn) = (0usize, 0usize);
    let mut in_tail = false;
    let mut i = 0;
    if n >= 2 && s[0] == b':' && s[1] == b':' {
        in_tail = true;
        i = 2;
        if i == n {
            return Some(0);
        }
    }
    loop {
        let total = hn + tn;
        // One group (or the final dotted quad) at i.
        let start = i;
        let mut v: u16 = 0;
        while i < n && i - start < 4 {
            match hex(s[i]) {
                Some(d) => {
                    v = (v << 4) | d;
                    i += 1;
                }
                None => break,
            }
        }
        if i < n && s[i] == b'.' {
            // Embedded IPv4: must end the text and leave room for two groups.
            let limit = if in_tail { 7 } else { 8 };
            if total + 2 > limit {
                return None;
            }
            let v4 = lex_v4(&s[start..])?;
            let (g, c) = if in_tail {
                (&mut tail, &mut tn)
            } else {
                (&mut head, &mut hn)
            };
            g[*c] = (v4 >> 16) as u16;
            g[*c + 1] = v4 as u16;
            *c += 2;
            break;
        }
        if i == start {
            return None;
        }
        if total >= if in_tail { 7 } else { 8 } {
            return None;
        }
        if in_tail {
            tail[tn] = v;
            tn += 1;
        } else {
            head[hn] = v;
            hn += 1;
        }
        if i == n {
            break;
        }
        if s[i] != b':' {
            return None;
        }
        i += 1;
        if i < n && s[i] == b':' {
            if in_tail {
                return None;
            }
            in_tail = true;
            i += 1;
            if i == n {
                break;
            }
        } else if i == n {
            return None;
        }
    }
    if !in_tail && hn != 8 {
        return None;
    }
    if in_tail && hn + tn > 7 {
        return None;
    }
    let mut out: u128 = 0;
    for &g in &head[..hn] {
        out = (out << 16) | g as u128;
    }
    out = out.checked_shl(16 * (8 - hn) as u32).unwrap_or(0); // hn = 0: shift by 128
    let mut t: u128 = 0;
    for &g in &tail[..tn] {
        t = (t << 16) | g as u128;
    }
    Some(out | t)
}

/// Trims ASCII whitespace (space, tab, CR, vertical tab, form feed) and a `#` comment.
#[inline]
pub(crate) fn strip_line(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    // Fast path: typical lines have no comment; only scan for '#' when one is there.
    if let Some(h) = line.iter().position(|&b| b == b'#') {
        end = h;
    }
    let mut l = &line[..end];
    while let [first, rest @ ..] = l {
        if is_space(*first) {
            l = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = l {
        if is_space(*last) {
            l = rest;
        } else {
            break;
        }
    }
    l
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v6_forms() {
        let p = |s: &str| lex_v6(s.as_bytes());
        for ok in [
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1::8",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "::1.2.3.4",
            "ABCD:ef01::",
        ] {
            assert_eq!(
                p(ok),
                ok.parse::<std::net::Ipv6Addr>().ok().map(u128::from),
                "{ok}"
            );
        }
        for bad in [
            ":",
            ":::",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "1:2:3:4:5:6:7::8",
            "12345::",
            "1:",
            ":1",
            "1:2:3:4:5:6:7:1.2.3.4",
            "::1.2.3",
            "g::",
        ] {
            assert_eq!(p(bad), None, "{bad}");
            assert!(bad.parse::<std::net::Ipv6Addr>().is_err(), "{bad}");
        }
    }
}
