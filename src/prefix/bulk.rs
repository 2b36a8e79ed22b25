//! The bulk text path behind `p2s-sim prefixes`: read millions of lines in chunks, parse them
//! without allocating ([`super::lexer`]), radix-sort the ranges as integers, merge once, and
//! print the aggregate with a hand-written formatter.
//!
//! ```
//! use p2s_sim::prefix::PrefixReader;
//! let mut r = PrefixReader::new(false);
//! r.feed(b"10.0.0.0/25\n# a comment\n10.0.0.128/25\n\n2001:db8::/32 # trailing comment\n").unwrap();
//! let (set, stats) = r.finish().unwrap();
//! let mut out = Vec::new();
//! set.write_aggregate(&mut out);
//! assert_eq!(out, b"10.0.0.0/24\n2001:db8::/32\n");
//! assert_eq!((stats.lines, stats.prefixes, stats.skipped), (5, 3, 0));
//! ```

use std::fmt;

use super::lexer::{lex_prefix, strip_line, Lexed};
use super::parse::{parse_prefix, PrefixParseError};
use super::radix::{radix_sort_by_key, sort_packed_v4};
use super::range::prefix_range;
use super::set::PrefixSet;

/// A line that is not a prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong with it (names the text).
    pub error: PrefixParseError,
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

impl std::error::Error for BadLine {}

/// Counts from one [`PrefixReader`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Lines seen (including blank and comment lines).
    pub lines: u64,
    /// Prefixes read.
    pub prefixes: u64,
    /// IPv4 prefixes among them.
    pub ipv4: u64,
    /// Invalid lines skipped (only with `skip_invalid`).
    pub skipped: u64,
}

/// Reads prefix text (one per line, `#` comments, blank lines) fed in arbitrary chunks, and
/// builds the [`PrefixSet`] of everything read.
#[derive(Debug, Default)]
pub struct PrefixReader {
    skip_invalid: bool,
    /// IPv4 ranges packed as `start << 32 | end`.
    v4: Vec<u64>,
    /// IPv6 prefixes up to /120 packed as `start | len` (the low 8 host bits are free).
    v6: Vec<u128>,
    /// IPv6 prefixes longer than /120, as ranges.
    v6_long: Vec<(u128, u128)>,
    /// An unfinished last line from the previous chunk.
    carry: Vec<u8>,
    stats: ReadStats,
    first_skipped: Option<BadLine>,
    /// Reads a block from the middle of the input (no byte-order mark check on its line 1).
    mid_file: bool,
    /// Entries at which the buffers are merged down (see [`PrefixReader::compact`]).
    compact_min: usize,
    /// IPv4 / IPv6 entries left after the last merge.
    v4_merged: usize,
    v6_merged: usize,
}

/// Raw entries (IPv4 8 bytes, IPv6 16–32) held before they are sorted and merged into ranges:
/// a list of tens of millions of prefixes then needs memory for its set plus this buffer, not
/// for every line read (measured in `benches/hostile-sizes.sh`, case `prefixes-20M`).
const COMPACT_MIN: usize = 1 << 22;

/// Blocks of whole lines from this size on are parsed on two threads (measured: parse, sort
/// and merge of bgp_v4 go from 16.8 ms to 10.3 ms on 2 cores; below a few hundred KiB the
/// thread hand-off costs more than it saves).
const PARALLEL_MIN: usize = 256 * 1024;

impl PrefixReader {
    /// A reader; with `skip_invalid`, bad lines are counted instead of failing.
    pub fn new(skip_invalid: bool) -> Self {
        PrefixReader {
            skip_invalid,
            compact_min: COMPACT_MIN,
            ..Default::default()
        }
    }

    /// A reader that merges its buffers from `entries` on (tests drive many merges with a
    /// small one).
    #[cfg(test)]
    fn compacting_at(skip_invalid: bool, entries: usize) -> Self {
        PrefixReader {
            skip_invalid,
            compact_min: entries,
            ..Default::default()
        }
    }

    /// Bounds memory on long inputs: once a buffer holds `compact_min` entries and at least
    /// twice what its last merge left, it is sorted and merged into ranges in place. Each merge
    /// takes at least as many new entries as old ones, so the total work stays linear in the
    /// input (plus the sort), and the set is the same as one merge at the end.
    fn compact(&mut self) {
        let min = self.compact_min;
        let due = |len: usize, merged: usize| len >= min.max(merged.saturating_mul(2));
        if due(self.v4.len(), self.v4_merged) {
            merge_v4(&mut self.v4);
            self.v4.shrink_to(self.v4.len().saturating_mul(2));
            self.v4_merged = self.v4.len();
        }
        if due(self.v6.len() + self.v6_long.len(), self.v6_merged) {
            let v6 = std::mem::take(&mut self.v6);
            let long = std::mem::take(&mut self.v6_long);
            self.v6_long = merge_v6(v6, long);
            self.v6_merged = self.v6_long.len();
        }
    }

    /// Feeds the next chunk of text (chunks may split lines anywhere).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), BadLine> {
        let mut rest = chunk;
        if !self.carry.is_empty() {
            match rest.iter().position(|&b| b == b'\n') {
                None => {
                    self.carry.extend_from_slice(rest);
                    return Ok(());
                }
                Some(i) => {
                    let mut line = std::mem::take(&mut self.carry);
                    line.extend_from_slice(&rest[..i]);
                    self.line(&line)?;
                    rest = &rest[i + 1..];
                }
            }
        }
        // Everything up to the last newline is whole lines.
        match rest.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.whole_lines(&rest[..last + 1])?;
                self.carry.extend_from_slice(&rest[last + 1..]);
                if self.compact_min > 0 {
                    self.compact();
                }
            }
            None => self.carry.extend_from_slice(rest),
        }
        Ok(())
    }

    /// Parses whole lines ending with a newline; a large block is split in two at a newline
    /// and the halves are parsed on two threads (the set does not depend on the order).
    fn whole_lines(&mut self, text: &[u8]) -> Result<(), BadLine> {
        if text.len() >= PARALLEL_MIN {
            let mid = text.len() / 2;
            if let Some(i) = text[mid..].iter().position(|&b| b == b'\n') {
                let (a, b) = text.split_at(mid + i + 1);
                if !b.is_empty() {
                    let mut sub = PrefixReader {
                        skip_invalid: self.skip_invalid,
                        mid_file: true,
                        ..Default::default()
                    };
                    let (ra, rb) = rayon::join(|| self.lines(a), || sub.lines(b));
                    ra?; // an error in the first half comes first
                    let base = self.stats.lines;
                    rb.map_err(|mut e| {
                        e.line += base;
                        e
                    })?;
                    self.absorb(sub, base);
                    return Ok(());
                }
            }
        }
        self.lines(text)
    }

    /// Takes over what a reader of the text after line `base` read.
    fn absorb(&mut self, sub: PrefixReader, base: u64) {
        self.v4.extend_from_slice(&sub.v4);
        self.v6.extend_from_slice(&sub.v6);
        self.v6_long.extend_from_slice(&sub.v6_long);
        self.stats.lines += sub.stats.lines;
        self.stats.prefixes += sub.stats.prefixes;
        self.stats.ipv4 += sub.stats.ipv4;
        self.stats.skipped += sub.stats.skipped;
        if self.first_skipped.is_none() {
            self.first_skipped = sub.first_skipped.map(|mut b| {
                b.line += base;
                b
            });
        }
    }

    /// Parses whole lines (`text` ends with a newline or is the final line).
    fn lines(&mut self, text: &[u8]) -> Result<(), BadLine> {
        let n = text.len();
        self.v4.reserve(n / 14);
        let mut start = 0;
        while start < n {
            // Fast path: a plain IPv4 line, parsed in one pass straight from the buffer.
            if let Some((a, len, next)) = fast_v4_line(text, start) {
                let (s, e) = prefix_range(a, len);
                self.v4.push((s as u64) << 32 | e as u64);
                self.stats.lines += 1;
                self.stats.prefixes += 1;
                self.stats.ipv4 += 1;
                start = next;
                continue;
            }
            if let Some((a, len, next)) = fast_v6_line(text, start) {
                self.push_v6(a, len);
                self.stats.lines += 1;
                self.stats.prefixes += 1;
                start = next;
                continue;
            }
            let end = match text[start..].iter().position(|&b| b == b'\n') {
                Some(i) => start + i,
                None => n,
            };
            self.line(&text[start..end])?;
            start = end + 1;
        }
        Ok(())
    }

    #[inline]
    fn line(&mut self, raw: &[u8]) -> Result<(), BadLine> {
        self.stats.lines += 1;
        let mut raw = raw;
        if self.stats.lines == 1 && !self.mid_file {
            // Files saved by Windows tools: a UTF-8 byte-order mark is fine, UTF-16 is not.
            if let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF") {
                raw = rest;
            } else if raw.starts_with(b"\xFF\xFE") || raw.starts_with(b"\xFE\xFF") {
                return Err(BadLine {
                    line: 1,
                    error: PrefixParseError::utf16(),
                });
            }
        }
        let l = strip_line(raw);
        if l.is_empty() {
            return Ok(());
        }
        match lex_prefix(l) {
            Some(Lexed::V4(a, len)) => {
                let (s, e) = prefix_range(a, len);
                self.v4.push((s as u64) << 32 | e as u64);
                self.stats.ipv4 += 1;
            }
            Some(Lexed::V6(a, len)) => self.push_v6(a, len),
            None => return self.bad(l),
        }
        self.stats.prefixes += 1;
        Ok(())
    }

    #[inline]
    fn push_v6(&mut self, a: u128, len: u8) {
        let (s, e) = prefix_range(a, len);
        if len <= 120 {
            self.v6.push(s | len as u128);
        } else {
            self.v6_long.push((s, e));
        }
    }

    #[cold]
    fn bad(&mut self, l: &[u8]) -> Result<(), BadLine> {
        let text = String::from_utf8_lossy(l);
        let error = match parse_prefix(&text) {
            Err(e) => e,
            Ok(_) => PrefixParseError::other(&text), // unreachable: both parsers accept the same language
        };
        let bad = BadLine {
            line: self.stats.lines,
            error,
        };
        if self.skip_invalid {
            self.stats.skipped += 1;
            self.first_skipped.get_or_insert(bad);
            Ok(())
        } else {
            Err(bad)
        }
    }

    /// Marks the end of the input: parses a last line that has no newline. Optional before
    /// [`finish`](Self::finish), useful to see [`first_skipped`](Self::first_skipped) and
    /// [`stats`](Self::stats) complete.
    pub fn end_input(&mut self) -> Result<(), BadLine> {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            self.line(&line)?;
        }
        Ok(())
    }

    /// Ends the input and builds the set: radix sort by start, then one merge pass.
    pub fn finish(mut self) -> Result<(PrefixSet, ReadStats), BadLine> {
        self.end_input()?;
        let stats = self.stats;
        let set = build_set(self.v4, self.v6, self.v6_long);
        Ok((set, stats))
    }

    /// The first invalid line skipped, if any (with `skip_invalid`).
    pub fn first_skipped(&self) -> Option<&BadLine> {
        self.first_skipped.as_ref()
    }

    /// Counts so far.
    pub fn stats(&self) -> ReadStats {
        self.stats
    }
}

/// `a.b.c.d` or `a.b.c.d/len` (len 0..=32, 1–2 digits) followed directly by `\n` or the end
/// of `t`, starting at `i`: the address, length and the index after the newline. Anything
/// else (whitespace, comments, IPv6, errors) returns `None` and takes the general path, which
/// accepts the same language (so the fast path never decides validity on its own).
#[inline(always)]
fn fast_v4_line(t: &[u8], mut i: usize) -> Option<(u32, u8, usize)> {
    let mut addr: u32 = 0;
    for k in 0..4 {
        if k > 0 {
            if *t.get(i)? != b'.' {
                return None;
            }
            i += 1;
        }
        let d0 = t.get(i)?.wrapping_sub(b'0');
        if d0 > 9 {
            return None;
        }
        i += 1;
        let mut v = d0 as u32;
        if d0 != 0 {
            // Up to two more digits.
            for _ in 0..2 {
                match t.get(i) {
                    Some(&c) if c.wrapping_sub(b'0') <= 9 => {
                        v = v * 10 + (c - b'0') as u32;
                        i += 1;
                    }
                    _ => break,
                }
            }
            if v > 255 {
                return None;
            }
        }
        addr = (addr << 8) | v;
    }
    let mut len = 32u8;
    match t.get(i) {
        Some(b'/') => {
            i += 1;
            let d0 = t.get(i)?.wrapping_sub(b'0');
            if d0 > 9 {
                return None;
            }
            i += 1;
            let mut l = d0;
            if let Some(&c) = t.get(i) {
                if c.wrapping_sub(b'0') <= 9 {
                    l = l * 10 + (c - b'0');
                    i += 1;
                }
            }
            if l > 32 {
                return None;
            }
            len = l;
        }
        Some(b'\n') | None => {}
        Some(_) => return None,
    }
    match t.get(i) {
        Some(b'\n') => Some((addr, len, i + 1)),
        None => Some((addr, len, i)),
        Some(_) => None,
    }
}

/// A plain IPv6 line (hex groups, colons, at most one `::`, optional `/len` of 1–3 digits)
/// followed directly by `\n` or the end of `t`: the address, length and the index after the
/// newline. Anything else (embedded dotted quads, whitespace, comments, errors) returns
/// `None` and takes the general path, which accepts the same language.
#[inline]
fn fast_v6_line(t: &[u8], mut i: usize) -> Option<(u128, u8, usize)> {
    let mut head: u128 = 0; // groups before "::", shifted in
    let mut hn = 0u32;
    let mut tail: u128 = 0; // groups after "::"
    let mut tn = 0u32;
    let mut gap = false;
    if t.get(i) == Some(&b':') {
        if t.get(i + 1) != Some(&b':') {
            return None;
        }
        gap = true;
        i += 2;
    }
    // After a group or "::": expect a group, or the end of the address.
    loop {
        let c = *t.get(i).unwrap_or(&b'\n');
        if c == b'/' || c == b'\n' {
            // End of address: only right after "::" (or at the very start: "::").
            if !(gap && (tn == 0) && t.get(i.wrapping_sub(1)) == Some(&b':')) {
                return None;
            }
            break;
        }
        let mut v: u32 = 0;
        let mut d = 0;
        while d < 4 {
            let x = match t.get(i) {
                Some(&b @ b'0'..=b'9') => b - b'0',
                Some(&b @ b'a'..=b'f') => b - b'a' + 10,
                Some(&b @ b'A'..=b'F') => b - b'A' + 10,
                _ => break,
            };
            v = (v << 4) | x as u32;
            i += 1;
            d += 1;
        }
        if d == 0 {
            return None;
        }
        if gap {
            tail = (tail << 16) | v as u128;
            tn += 1;
        } else {
            head = (head << 16) | v as u128;
            hn += 1;
        }
        if hn + tn > 8 {
            return None;
        }
        match t.get(i) {
            Some(b':') => {
                i += 1;
                if t.get(i) == Some(&b':') {
                    if gap {
                        return None;
                    }
                    gap = true;
                    i += 1;
                }
            }
            Some(b'/') | Some(b'\n') | None => break,
            _ => return None, // '.', whitespace, '#', junk: general path
        }
    }
    let addr = if gap {
        if hn + tn > 7 {
            return None;
        }
        let h = if hn == 0 { 0 } else { head << (16 * (8 - hn)) };
        h | tail
    } else {
        if hn != 8 {
            return None;
        }
        head
    };
    let mut len = 128u8;
    if t.get(i) == Some(&b'/') {
        i += 1;
        let mut l: u32 = 0;
        let mut d = 0;
        while let Some(&c) = t.get(i) {
            if !c.is_ascii_digit() || d == 3 {
                break;
            }
            l = l * 10 + (c - b'0') as u32;
            i += 1;
            d += 1;
        }
        if d == 0 || l > 128 {
            return None;
        }
        len = l as u8;
    }
    match t.get(i) {
        Some(b'\n') => Some((addr, len, i + 1)),
        None => Some((addr, len, i)),
        Some(_) => None,
    }
}

/// Sorts packed IPv6 keys (`start | len`) by start. 16-byte keys: the radix sort (which skips
/// the low length byte and every byte that is the same in all keys) pays from a few ten
/// thousand keys on (benches, group `sort`).
pub(crate) fn sort_packed_v6(v6: &mut Vec<u128>) {
    if v6.len() < 32_768 {
        v6.sort_unstable();
    } else {
        radix_sort_by_key(v6, |k| {
            let b = k.to_le_bytes();
            let mut out = [0u8; 15];
            out.copy_from_slice(&b[1..]);
            out
        });
    }
}

/// Sorts packed IPv4 ranges by start and merges overlapping or adjacent ones, in place.
fn merge_v4(v4: &mut Vec<u64>) {
    // Sort by the start (upper 32 bits) only; the merge takes the max end.
    sort_packed_v4(v4);
    let mut w = 0usize;
    for i in 0..v4.len() {
        let k = v4[i];
        let (s, e) = ((k >> 32) as u32, k as u32);
        if w > 0 {
            let last = v4[w - 1];
            let le = last as u32;
            if le == u32::MAX || le + 1 >= s {
                if e > le {
                    v4[w - 1] = (last & !0xffff_ffff) | e as u64;
                }
                continue;
            }
        }
        v4[w] = k;
        w += 1;
    }
    v4.truncate(w);
}

/// Sorts packed IPv6 prefixes and ranges and merges them into sorted, disjoint ranges.
fn merge_v6(mut v6: Vec<u128>, mut v6_long: Vec<(u128, u128)>) -> Vec<(u128, u128)> {
    // Sort the packed keys by start (the length byte only orders equal starts, which the merge
    // does not care about), then merge them with the long prefixes (and earlier merges).
    sort_packed_v6(&mut v6);
    v6_long.sort_unstable_by_key(|r| r.0);
    let unpack = |k: u128| {
        let len = (k & 0xff) as u8;
        prefix_range(k & !0xff, len)
    };
    let mut merged: Vec<(u128, u128)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < v6.len() || j < v6_long.len() {
        let r = if j >= v6_long.len() || (i < v6.len() && v6[i] & !0xff <= v6_long[j].0) {
            i += 1;
            unpack(v6[i - 1])
        } else {
            j += 1;
            v6_long[j - 1]
        };
        if let Some(last) = merged.last_mut() {
            if last.1 == u128::MAX || last.1 + 1 >= r.0 {
                if r.1 > last.1 {
                    last.1 = r.1;
                }
                continue;
            }
        }
        merged.push(r);
    }
    merged
}

/// Sorts and merges raw ranges into a set.
pub(crate) fn build_set(mut v4: Vec<u64>, v6: Vec<u128>, v6_long: Vec<(u128, u128)>) -> PrefixSet {
    merge_v4(&mut v4);
    let v4r: Vec<(u32, u32)> = v4.iter().map(|&k| ((k >> 32) as u32, k as u32)).collect();
    drop(v4);
    let merged = merge_v6(v6, v6_long);
    PrefixSet::from_normal(v4r, merged)
}

impl PrefixSet {
    /// Appends the aggregate as text, one canonical prefix per line (`addr/len\n`), exactly as
    /// `to_prefixes()` would print, without building `IpNet`s.
    pub fn write_aggregate(&self, out: &mut Vec<u8>) {
        super::format::write_aggregate(self, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Big blocks take the two-thread path: same set, same counts and the same line numbers
    /// (errors and skipped lines) as line-by-line feeding.
    #[test]
    fn parallel_blocks_match_sequential_feeding() {
        let mut text = String::new();
        for i in 0u32..60_000 {
            match i % 5 {
                0 => text.push_str(&format!("10.{}.{}.0/24\n", i >> 8 & 0xff, i & 0xff)),
                1 => text.push_str(&format!("2001:db8:{:x}::/48\n", i)),
                2 => text.push_str("# comment\n"),
                3 => text.push_str(&format!("  192.168.{}.{}  \n", i >> 8 & 0xff, i & 0xff)),
                _ => text.push_str(&format!("172.16.{}.128/25\n", i & 0xff)),
            }
        }
        assert!(text.len() > 2 * PARALLEL_MIN);
        let bad_at = 50_001u64; // in the second half
        let mut lines: Vec<&str> = text.lines().collect();
        lines[bad_at as usize - 1] = "10.0.0.0/99";
        let with_error = lines.join("\n") + "\n";

        let sequential = |t: &str, skip: bool| {
            let mut r = PrefixReader::new(skip);
            for l in t.split_inclusive('\n') {
                r.feed(l.as_bytes())?;
            }
            r.end_input()?;
            let first = r.first_skipped().map(|b| b.line);
            r.finish().map(|(s, st)| (s, st, first))
        };
        let parallel = |t: &str, skip: bool| {
            let mut r = PrefixReader::new(skip);
            r.feed(t.as_bytes())?;
            r.end_input()?;
            let first = r.first_skipped().map(|b| b.line);
            r.finish().map(|(s, st)| (s, st, first))
        };
        assert_eq!(parallel(&text, false), sequential(&text, false));
        assert_eq!(parallel(&with_error, true), sequential(&with_error, true));
        assert_eq!(parallel(&with_error, true).unwrap().2, Some(bad_at));
        let err = parallel(&with_error, false).unwrap_err();
        assert_eq!(err.line, bad_at);
        assert_eq!(sequential(&with_error, false).unwrap_err().line, bad_at);
    }

    /// Merging the buffers while reading (to bound memory) gives the same set and counts as one
    /// merge at the end, whatever the chunking: overlapping, duplicate, adjacent and nested
    /// prefixes of both families, long IPv6 prefixes, and lines split across chunks.
    #[test]
    fn compacting_while_reading_gives_the_same_set() {
        let mut text = String::new();
        let mut x: u32 = 12345;
        for i in 0u32..20_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let r = x >> 8;
            match i % 7 {
                0 => text.push_str(&format!("10.{}.{}.0/24\n", r & 0x3, r >> 2 & 0xff)),
                1 => text.push_str(&format!("10.{}.0.0/16\n", r & 0x7)),
                2 => text.push_str(&format!("2001:db8:{:x}::/48\n", r & 0x3f)),
                3 => text.push_str(&format!("2001:db8::{:x}/128\n", r & 0xfff)),
                4 => text.push_str(&format!("192.168.{}.{}\n", r & 0x3, r >> 2 & 0xff)),
                5 => text.push_str("# comment\n\n"),
                _ => text.push_str(&format!("2001:db8:{:x}::/47\n", r & 0x3e)),
            }
        }
        let read = |mut r: PrefixReader, chunk: usize| {
            for c in text.as_bytes().chunks(chunk) {
                r.feed(c).unwrap();
            }
            r.finish().unwrap()
        };
        let once = read(PrefixReader::new(false), text.len());
        for (entries, chunk) in [(1, 7), (4, 100), (64, 1000), (1000, 33)] {
            let compacted = read(PrefixReader::compacting_at(false, entries), chunk);
            assert_eq!(
                compacted, once,
                "compacting at {entries}, chunks of {chunk}"
            );
        }
    }
}
