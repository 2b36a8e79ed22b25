//! Splits a JSON object's top-level lists into their elements, without parsing them, so that
//! a large native file (a million prefixes in 50,000 VNets) can be parsed on all threads: the
//! elements one by one, and the rest of the object (the *shell*, each list left empty) once.
//!
//! It only finds where things are: strings are skipped as a whole (escapes included),
//! brackets counted, and anything it does not expect ends the split with `None`, so the caller
//! parses the whole text as before and gets the located error from there. What it accepts,
//! the parser still checks: an element it cut wrongly would not parse, and a text it accepts
//! is split only at the commas and brackets a parser would see.

use std::ops::Range;

/// The object with each top-level list emptied (`"vnets": []`), and each list's elements as
/// byte ranges of the text, in order.
pub(crate) struct Split<'t> {
    pub shell: String,
    pub lists: Vec<(&'t str, Vec<Range<usize>>)>,
}

/// Splits `text`, a JSON object; `None` where it is not one this simple scan can split.
pub(crate) fn top_level_lists(text: &str) -> Option<Split<'_>> {
    let b = text.as_bytes();
    let mut i = skip_blank(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut shell = String::new();
    let mut copied_to = 0;
    let mut lists = Vec::new();
    let mut first = true;
    loop {
        i = skip_blank(b, i);
        match b.get(i)? {
            b'}' if first => break,
            b'"' => first = false,
            _ => return None,
        }
        let key_end = string_end(b, i)?;
        let key = &text[i + 1..key_end - 1];
        i = skip_blank(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_blank(b, i + 1);
        if b.get(i) == Some(&b'[') && !key.contains('\\') {
            let (elements, close) = split_list(b, i)?;
            shell.push_str(&text[copied_to..=i]);
            copied_to = close;
            lists.push((key, elements));
            i = close + 1;
        } else {
            i = skip_value(b, i)?;
        }
        i = skip_blank(b, i);
        match b.get(i)? {
            b',' => i += 1,
            b'}' => break,
            _ => return None,
        }
    }
    shell.push_str(&text[copied_to..]);
    Some(Split { shell, lists })
}

fn skip_blank(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The index after the string that opens at `b[i] == '"'`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b[j] == b'\\' {
            j += 2;
        } else {
            return Some(j + 1);
        }
    }
}

/// Scans the object or list that opens at `b[open]`, handing `at_comma` each comma directly
/// inside it; returns the index of the bracket that closes it. Brackets are only counted, not
/// matched: a text they do not match is not JSON, and the parse of the pieces refuses it.
fn scan(b: &[u8], open: usize, mut at_comma: impl FnMut(usize)) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    loop {
        match *b.get(i)? {
            b'"' => {
                i = string_end(b, i)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b',' if depth == 1 => at_comma(i),
            _ => {}
        }
        i += 1;
    }
}

/// The elements of the list that opens at `b[open] == '['`, and the index of its `]`.
fn split_list(b: &[u8], open: usize) -> Option<(Vec<Range<usize>>, usize)> {
    let mut elements = Vec::new();
    let mut start = open + 1;
    let close = scan(b, open, |comma| {
        elements.push(start..comma);
        start = comma + 1;
    })?;
    // `[]` and `[ ]` hold nothing; a blank after a comma is an element the parser refuses (a
    // trailing comma), as it would in the whole text.
    if !elements.is_empty() || skip_blank(b, start) < close {
        elements.push(start..close);
    }
    Some((elements, close))
}

/// The index after the value that starts at `b[i]`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'[' | b'{' => scan(b, i, |_| {}).map(|close| close + 1),
        _ => {
            let mut j = i;
            while !matches!(
                b.get(j),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each list's key and its elements' text.
    type Lists = Vec<(String, Vec<String>)>;

    fn parts(text: &str) -> Option<(String, Lists)> {
        let split = top_level_lists(text)?;
        let lists = split
            .lists
            .iter()
            .map(|(k, els)| {
                let els = els.iter().map(|r| text[r.clone()].to_string()).collect();
                (k.to_string(), els)
            })
            .collect();
        Some((split.shell, lists))
    }

    #[test]
    fn lists_are_cut_at_their_own_commas_only() {
        let text = r#" {"vnets": [ {"name": "a,]}", "x": [1, {"y": "\"]"}]}, {"name": "b"} ],
            "note": {"k": [1, 2]}, "n": 3, "e": [], "blank": [ ], "s": "[,]"} "#;
        let (shell, lists) = parts(text).unwrap();
        assert_eq!(
            shell,
            " {\"vnets\": [],\n            \"note\": {\"k\": [1, 2]}, \"n\": 3, \"e\": [], \"blank\": [], \"s\": \"[,]\"} "
        );
        assert_eq!(lists[0].0, "vnets");
        assert_eq!(
            lists[0].1,
            [
                r#" {"name": "a,]}", "x": [1, {"y": "\"]"}]}"#,
                r#" {"name": "b"} "#
            ]
        );
        assert_eq!(lists[1], ("e".to_string(), vec![]));
        assert_eq!(lists[2], ("blank".to_string(), vec![]));
        // Each element parses alone; the shell parses with its lists empty.
        for element in &lists[0].1 {
            serde_json::from_str::<serde_json::Value>(element).unwrap();
        }
        serde_json::from_str::<serde_json::Value>(&shell).unwrap();
    }

    #[test]
    fn a_trailing_comma_leaves_an_element_the_parser_refuses() {
        let (_, lists) = parts(r#"{"vnets": [{"name": "a"}, ]}"#).unwrap();
        assert_eq!(lists[0].1.len(), 2);
        assert!(serde_json::from_str::<serde_json::Value>(&lists[0].1[1]).is_err());
    }

    #[test]
    fn what_it_cannot_split_is_left_to_the_parser() {
        for text in [
            "",
            "[1, 2]",
            r#"{"vnets": [1, 2}"#,
            r#"{"vnets": [1, "2]"#,
            r#"{"a" 1}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{"a": {"b": [}"#,
            r#"{"a": 1,"#,
            r#"{"a": "\"#,
            "{",
        ] {
            assert!(top_level_lists(text).is_none(), "{text:?}");
        }
        // An empty object has nothing to split.
        let split = top_level_lists(" {} ").unwrap();
        assert_eq!((split.shell.as_str(), split.lists.len()), (" {} ", 0));
    }
}
