//! Text of an input file: UTF-8, or UTF-16 with a byte-order mark (what Windows PowerShell 5.1's
//! `Out-File` and `>` write). One decoder for topology files and VPN client profiles. And the
//! comments ARM templates may carry (`//` and `/* */`, which Resource Manager accepts in JSON
//! templates and parameter files), blanked so the JSON parsers read them.

/// The text of UTF-16 bytes that start with a byte-order mark (either order); `None` when
/// there is no UTF-16 byte-order mark, `Some(Err(()))` when the units are not valid UTF-16.
pub fn utf16_with_bom(bytes: &[u8]) -> Option<Result<String, ()>> {
    let big = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => false,
        Some([0xFE, 0xFF]) => true,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            if big {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    Some(String::from_utf16(&units).map_err(|_| ()))
}

/// `text` with the `//` and `/* */` comments of a JSON text (one whose first character after
/// blanks and comments is `{` or `[`) replaced by spaces, line breaks kept: every byte stays at
/// its offset, so lines and columns in messages are those of the file. Strings are skipped
/// whole (escapes included); anything else — YAML, an unterminated comment, which the parser
/// then reports — is returned as it was.
pub fn blank_json_comments(text: String) -> String {
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let start = text.len() - body.len();
    let comments = comment_ranges(&text.as_bytes()[start..]);
    let Some(comments) = comments.filter(|c| !c.is_empty()) else {
        return text;
    };
    let mut bytes = text.into_bytes();
    for range in comments {
        for b in &mut bytes[start + range.start..start + range.end] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }
    // Whole comments are blanked, and they start and end at ASCII bytes: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The comments of a JSON text, as byte ranges; `None` when it is not JSON (the first
/// character after blanks and comments is not `{` or `[`) or a comment does not end.
fn comment_ranges(b: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    let mut ranges = Vec::new();
    let mut i = 0;
    let mut seen_value = false;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n);
                ranges.push(i..end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let close = b.get(i + 2..)?.windows(2).position(|w| w == b"*/")?;
                let end = i + 2 + close + 2;
                ranges.push(i..end);
                i = end;
            }
            c => {
                if !seen_value && !c.is_ascii_whitespace() {
                    if c != b'{' && c != b'[' {
                        return None;
                    }
                    seen_value = true;
                }
                i += 1;
            }
        }
    }
    Some(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_comments_blanked_in_place() {
        let text =
            "// a template\n{\n  \"a\": \"https://x/*y*/\", /* one\ntwo */ \"b\": 1 // end\n}";
        let got = blank_json_comments(text.to_string());
        assert_eq!(got.len(), text.len());
        assert_eq!(
            got,
            "             \n{\n  \"a\": \"https://x/*y*/\",       \n       \"b\": 1       \n}"
        );
        let value: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(value["a"], "https://x/*y*/");
        // An escaped quote does not end the string; a byte-order mark is kept.
        let escaped = "\u{feff}{\"a\": \"q\\\" // not a comment\"}";
        assert_eq!(blank_json_comments(escaped.to_string()), escaped);
        // YAML, and JSON whose comment never ends, are left as they are.
        let yaml = "vnets: # x\n  - url: http://example // y\n";
        assert_eq!(blank_json_comments(yaml.to_string()), yaml);
        let open = "{\"a\": 1 /* no end";
        assert_eq!(blank_json_comments(open.to_string()), open);
        // Non-ASCII inside a comment: blanked byte for byte (é is two), still UTF-8.
        assert_eq!(
            blank_json_comments("[1 /* é */]".to_string()),
            "[1         ]"
        );
    }

    #[test]
    fn both_byte_orders_and_no_mark() {
        assert_eq!(utf16_with_bom(b"\xFF\xFEa\0b\0"), Some(Ok("ab".into())));
        assert_eq!(utf16_with_bom(b"\xFE\xFF\0a\0b"), Some(Ok("ab".into())));
        assert_eq!(utf16_with_bom(b"ab"), None);
        // An unpaired surrogate.
        assert_eq!(utf16_with_bom(b"\xFF\xFE\x00\xD8"), Some(Err(())));
    }
}
