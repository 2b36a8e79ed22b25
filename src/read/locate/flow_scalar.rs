//! A YAML flow scalar decoded again from its source, keeping where each byte of its value was
//! written: what lets a place inside a string's content (a JSON body in a vcrpy recording) be
//! mapped back to the line and column of the file.

use saphyr_parser_bw::ScalarStyle;

/// A flow scalar's value as YAML reads it from the source, with where each of its bytes was
/// written: `from[i]` is the byte offset in the file of the character (or escape, or line
/// break) that gave byte `i` of `text`.
#[derive(Debug, Default)]
pub(super) struct Decoded {
    pub(super) text: String,
    pub(super) from: Vec<usize>,
}

impl Decoded {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.from.resize(self.text.len(), at);
    }
}

/// Past the line break at `at` (`\n`, `\r\n` or `\r`).
fn past_break(b: &[u8], at: usize) -> usize {
    if b[at] == b'\r' && b.get(at + 1) == Some(&b'\n') {
        at + 2
    } else {
        at + 1
    }
}

/// Past the empty lines that follow a line break, and the next line's leading white space:
/// `at` just after a break. Each further break is given to `empty` (it stands for a line feed).
fn past_empty_lines(b: &[u8], mut at: usize, mut empty: impl FnMut(usize)) -> usize {
    loop {
        while at < b.len() && matches!(b[at], b' ' | b'\t') {
            at += 1;
        }
        if at < b.len() && matches!(b[at], b'\n' | b'\r') {
            empty(at);
            at = past_break(b, at);
        } else {
            return at;
        }
    }
}

/// The value of the flow scalar written at byte `start` of `text` (at its opening quote, or
/// its first character when plain), decoded by the rules of YAML 1.2: in a double-quoted
/// scalar every escape (`\"`, `\\`, `\n`, `\xXX`, `\uXXXX`, `\UXXXXXXXX`, `\ `, ...) and the
/// escaped line break (`\` at the end of a line: the break and the next line's leading white
/// space are dropped); in a single-quoted one `''`; in all of them line folding (white space
/// before a break dropped, one break read as a space, n breaks as n − 1 line feeds, the next
/// line's leading white space dropped). A plain scalar ends at byte `plain_end`. `None` for a
/// block scalar, an unknown escape or an unterminated quote.
pub(super) fn decode_flow(
    text: &str,
    start: usize,
    plain_end: usize,
    style: ScalarStyle,
) -> Option<Decoded> {
    let b = text.as_bytes();
    let (quote, end) = match style {
        ScalarStyle::DoubleQuoted => (Some(b'"'), b.len()),
        ScalarStyle::SingleQuoted => (Some(b'\''), b.len()),
        ScalarStyle::Plain => (None, plain_end.min(b.len())),
        _ => return None,
    };
    let mut at = start;
    if let Some(q) = quote {
        (b.get(at) == Some(&q)).then_some(())?;
        at += 1;
    }
    let mut out = Decoded::default();
    // Unescaped white space not yet known to be content (it is not when a break follows).
    let mut blank_from: Option<usize> = None;
    let flush = |out: &mut Decoded, blank_from: &mut Option<usize>, to: usize| {
        if let Some(from) = blank_from.take() {
            for (i, &blank) in b.iter().enumerate().take(to).skip(from) {
                out.push(blank as char, i);
            }
        }
    };
    loop {
        if at >= end {
            // Only a plain scalar ends without a closing quote (its trailing blanks are not
            // part of it).
            return quote.is_none().then_some(out);
        }
        match b[at] {
            c if Some(c) == quote => {
                flush(&mut out, &mut blank_from, at);
                if c == b'\'' && b.get(at + 1) == Some(&b'\'') {
                    out.push('\'', at);
                    at += 2;
                } else {
                    return Some(out);
                }
            }
            b' ' | b'\t' => {
                blank_from.get_or_insert(at);
                at += 1;
            }
            b'\n' | b'\r' => {
                blank_from = None;
                let first = at;
                let mut breaks = Vec::new();
                at = past_empty_lines(b, past_break(b, at), |i| breaks.push(i));
                if breaks.is_empty() {
                    out.push(' ', first);
                }
                for i in breaks {
                    out.push('\n', i);
                }
            }
            b'\\' if style == ScalarStyle::DoubleQuoted => {
                flush(&mut out, &mut blank_from, at);
                let escape = at;
                let &e = b.get(at + 1)?;
                if matches!(e, b'\n' | b'\r') {
                    at = past_empty_lines(b, past_break(b, at + 1), |i| out.push('\n', i));
                    continue;
                }
                let hex = |digits: usize| {
                    let h = text.get(at + 2..at + 2 + digits)?;
                    if !h.bytes().all(|d| d.is_ascii_hexdigit()) {
                        return None;
                    }
                    char::from_u32(u32::from_str_radix(h, 16).ok()?)
                };
                let (c, len) = match e {
                    b'0' => ('\0', 2),
                    b'a' => ('\u{7}', 2),
                    b'b' => ('\u{8}', 2),
                    b't' | b'\t' => ('\t', 2),
                    b'n' => ('\n', 2),
                    b'v' => ('\u{b}', 2),
                    b'f' => ('\u{c}', 2),
                    b'r' => ('\r', 2),
                    b'e' => ('\u{1b}', 2),
                    b' ' => (' ', 2),
                    b'"' => ('"', 2),
                    b'/' => ('/', 2),
                    b'\\' => ('\\', 2),
                    b'N' => ('\u{85}', 2),
                    b'_' => ('\u{a0}', 2),
                    b'L' => ('\u{2028}', 2),
                    b'P' => ('\u{2029}', 2),
                    b'x' => (hex(2)?, 4),
                    b'u' => (hex(4)?, 6),
                    b'U' => (hex(8)?, 10),
                    _ => return None,
                };
                out.push(c, escape);
                at += len;
            }
            _ => {
                flush(&mut out, &mut blank_from, at);
                let c = text[at..].chars().next()?;
                out.push(c, at);
                at += c.len_utf8();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scalar source (from its first character) decoded: the value, and the source byte of
    /// each value byte.
    fn decoded(source: &str, style: ScalarStyle) -> Option<(String, Vec<usize>)> {
        decode_flow(source, 0, source.len(), style).map(|d| (d.text, d.from))
    }

    fn double(source: &str) -> Option<(String, Vec<usize>)> {
        decoded(source, ScalarStyle::DoubleQuoted)
    }

    #[test]
    fn double_quoted_escapes_are_decoded_at_their_backslash() {
        // 0 `"`, 1 a, 2-3 `\"`, 4 b, 5-8 `\x41`, 9-14 `\u00e9`, 15 `"`; é is two bytes.
        assert_eq!(
            double(r#""a\"b\x41\u00e9""#),
            Some(("a\"bAé".into(), vec![1, 2, 4, 5, 9, 9]))
        );
        let (text, _) =
            double(r#""\0\a\b\t	\n\v\f\r\e\ \"\/\\\N\_\L\P\x7e\u20AC\U0001F600""#).unwrap();
        assert_eq!(
            text,
            "\0\u{7}\u{8}\t\t\n\u{b}\u{c}\r\u{1b} \"/\\\u{85}\u{a0}\u{2028}\u{2029}~€😀"
        );
        for bad in [
            r#""\q""#,
            r#""\x4""#,
            r#""\uD800""#,
            r#""ab"#,
            r#""a\"#,
            "'a'",
        ] {
            assert_eq!(double(bad), None, "{bad}");
        }
        assert_eq!(decoded("|\n  a\n", ScalarStyle::Literal), None);
    }

    #[test]
    fn double_quoted_line_breaks_fold_or_are_escaped() {
        // An escaped break: 3 `\`, 4 break, 5-7 the next line's indentation, dropped.
        assert_eq!(
            double("\"ab\\\n   cd\""),
            Some(("abcd".into(), vec![1, 2, 8, 9]))
        );
        // White space before the backslash stays; `\ ` keeps a space after the indentation.
        assert_eq!(double("\"a \\\n  b\""), Some(("a b".into(), vec![1, 2, 7])));
        assert_eq!(
            double("\"a\\\n  \\ b\""),
            Some(("a b".into(), vec![1, 6, 8]))
        );
        // An empty line after an escaped break is a line feed (at its break, 4).
        assert_eq!(
            double("\"a\\\n\n  b\""),
            Some(("a\nb".into(), vec![1, 4, 7]))
        );
        // Folding: the blanks before a break go, the break (4) is a space, the indentation goes.
        assert_eq!(double("\"a  \n   b\""), Some(("a b".into(), vec![1, 4, 8])));
        // Three breaks (2, 3, 5; line 3 holds one space) are two line feeds, at the 2nd and 3rd.
        assert_eq!(
            double("\"a\n\n \n  b\""),
            Some(("a\n\nb".into(), vec![1, 3, 5, 8]))
        );
        // CRLF is one break; an escaped tab before a break is content.
        assert_eq!(double("\"a\r\n b\""), Some(("a b".into(), vec![1, 2, 5])));
        assert_eq!(
            double("\"a\\t\nb\""),
            Some(("a\t b".into(), vec![1, 2, 4, 5]))
        );
        // Blanks on the first line and before the closing quote are content.
        assert_eq!(double("\"  a \""), Some(("  a ".into(), vec![1, 2, 3, 4])));
    }

    #[test]
    fn single_quoted_and_plain_scalars_fold() {
        // 3-4 `''`, 6 the break folded to a space, 7-8 indentation.
        assert_eq!(
            decoded("'it''s\n  ok'", ScalarStyle::SingleQuoted),
            Some(("it's ok".into(), vec![1, 2, 3, 5, 6, 9, 10]))
        );
        // No escapes in single quotes.
        assert_eq!(
            decoded(r"'a\nb'", ScalarStyle::SingleQuoted).unwrap().0,
            r"a\nb"
        );
        // Breaks at 3, 7 and 8: a space, then one line feed (at 8) for the empty line.
        assert_eq!(
            decoded("a b\n  c\n\n  d", ScalarStyle::Plain),
            Some(("a b c\nd".into(), vec![0, 1, 2, 3, 6, 8, 11]))
        );
        // A plain scalar ends where the parser says (trailing blanks are not part of it).
        assert_eq!(
            decode_flow("x  ", 0, 1, ScalarStyle::Plain).map(|d| d.text),
            Some("x".into())
        );
    }
}
