//! A small element tree over quick-xml that remembers where every element is, so errors can say
//! "line 12, column 7" and `--merge` can insert bytes at an exact offset.
//!
//! Names are local names (`i:nil` is `nil`): the profiles use DataContract namespaces that carry
//! no meaning for routes. The tree is bounded (depth, element count) so hostile input cannot
//! exhaust memory; text is unescaped (`&amp;`, `&#10;`), whitespace kept as written.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Deepest nesting accepted; real profiles are 5 levels deep.
const MAX_DEPTH: usize = 64;
/// Most elements accepted in one file; real profiles have a few dozen.
const MAX_ELEMENTS: usize = 200_000;

/// One element with its byte offsets in the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// Local name (no namespace prefix).
    pub name: String,
    /// Attributes by local name, in document order, values unescaped.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (all text children concatenated), unescaped.
    pub text: String,
    /// Offset of the `<` that opens the element.
    pub start: usize,
    /// Offset of the `</` that closes it; `None` for an empty element (`<a/>`).
    pub close: Option<usize>,
    /// Offset just past the element.
    pub end: usize,
}

impl Element {
    /// The first child with this local name (ASCII case-insensitive).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `i:nil="true"`: the DataContract way of writing "no value".
    pub fn is_nil(&self) -> bool {
        self.attr("nil")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The trimmed text of a child, when the child exists, is not nil and is not empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .filter(|c| !c.is_nil())
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }
}

/// A parse error at a byte offset of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub offset: usize,
    pub message: String,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// `line L, column C`, the place format of every located error.
pub fn place(text: &str, offset: usize) -> String {
    let (l, c) = line_col(text, offset);
    format!("line {l}, column {c}")
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Parses a whole document and returns its root element. Offsets are into `text` (a UTF-8
/// byte-order mark is allowed and skipped).
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let err = |offset: usize, message: String| XmlError {
        offset: base + offset,
        message,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            err(
                reader.error_position() as usize,
                format!("malformed XML: {e}"),
            )
        })?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(err(
                        before,
                        "malformed XML: a second root element; a profile has one".into(),
                    ));
                }
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(err(
                        before,
                        format!(
                            "too large for a VPN profile (more than {MAX_ELEMENTS} elements or \
                             {MAX_DEPTH} levels)"
                        ),
                    ));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| err(before, format!("malformed attribute: {x}")))?;
                    let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|x| err(before, format!("attribute '{key}': {x}")))?;
                    attrs.push((key, value.into_owned()));
                }
                let element = Element {
                    name,
                    attrs,
                    children: Vec::new(),
                    text: String::new(),
                    start: base + before,
                    close: None,
                    end: base + after,
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(element);
                } else {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                }
            }
            Event::End(_) => {
                let mut element = stack.pop().ok_or_else(|| {
                    err(
                        before,
                        "malformed XML: a closing tag with no opening".into(),
                    )
                })?;
                element.close = Some(base + before);
                element.end = base + after;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|x| err(before, format!("text: {x}")))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => {
                        return Err(err(
                            before,
                            "malformed XML: text outside the root element".into(),
                        ))
                    }
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t.into_inner()));
                }
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|x| err(before, format!("character reference: {x}")))?
                } else {
                    let name = r.decode().map_err(|x| err(before, format!("{x}")))?;
                    Some(entity(&name).ok_or_else(|| {
                        err(
                            before,
                            format!("malformed XML: unknown entity '&{name};' (only &lt; &gt; &amp; &quot; &apos; exist without a DTD)"),
                        )
                    })?)
                };
                if let (Some(top), Some(c)) = (stack.last_mut(), c) {
                    top.text.push(c);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            offset: text.len(),
            message: format!(
                "malformed XML: the file ends before <{}> (opened at {}) is closed",
                open.name,
                place(text, open.start)
            ),
        });
    }
    root.ok_or(XmlError {
        offset: 0,
        message: "no XML element in the file".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_text() {
        let t = "<?xml version=\"1.0\"?>\n<a x=\"1\">\n  <b>x &amp; y</b>\n  <c i:nil=\"true\" />\n</a>\n";
        let a = parse(t).unwrap();
        assert_eq!(a.name, "a");
        assert_eq!(a.attr("x"), Some("1"));
        let b = a.child("b").unwrap();
        assert_eq!(b.text, "x & y");
        assert_eq!(&t[b.start..b.end], "<b>x &amp; y</b>");
        assert_eq!(&t[b.close.unwrap()..b.end], "</b>");
        let c = a.child("c").unwrap();
        assert!(c.is_nil() && c.close.is_none());
        assert_eq!(&t[c.start..c.end], "<c i:nil=\"true\" />");
        assert_eq!(line_col(t, c.start), (4, 3));
    }

    #[test]
    fn errors_have_places() {
        let t = "<a>\n  <b></c>\n</a>";
        let e = parse(t).unwrap_err();
        assert_eq!(line_col(t, e.offset).0, 2, "{e:?}");
        let e = parse("<a><b>").unwrap_err();
        assert!(e.message.contains("<b>"), "{e:?}");
        assert!(parse("").is_err());
        assert!(parse("<a/><b/>").is_err());
        assert!(parse("<a>&nope;</a>")
            .unwrap_err()
            .message
            .contains("&nope;"));
    }
}
