//! Where a resource is in the text of its file, for outputs that point into files (SARIF).
//!
//! The Azure readers record each resource's JSON path (`resources[3]`, `resources[1].resources[0]`,
//! `values.root_module.resources[2]`, a copy loop's `resources[0](copy i=2)`); [`Place`] keeps
//! that path with the name a finding uses for the resource, and [`declaring_line`] walks the raw
//! text along the path — no second parse, no evaluation — to the member that declares it: the
//! resource object's `"address"` (Terraform) or `"name"` (ARM, even when the name is an expression
//! such as `[parameters('vnetName')]`), else the object itself.
//!
//! Errors at a path get its line and column the same way: [`json_path_offset`] in a JSON file,
//! [`yaml_path_line_column`] in a YAML one.
//!
//! A YAML file can hold JSON in a string: a vcrpy recording's resources are in
//! `interactions[3].response.body.string`, a scalar whose value is a REST response body, so a
//! place such as `interactions[3].response.body.string.value[0].properties.addressSpace` goes
//! on past the scalar. The general rule: when a path step meets a scalar, the scalar's source
//! is decoded again with the file offset of every byte it gives (`decode_flow`: the escapes
//! of double quotes, `''` in single quotes, and line folding in all flow styles, which is how
//! vcrpy folds a long body over lines with `\` at their ends), the rest of the path is walked
//! in that JSON text by the same scanner as a JSON file, and the offset found there is mapped
//! back to the file. The decoding only serves when it gives exactly the parser's value; when it
//! does not (a block scalar, anything it does not follow), the place is the scalar itself —
//! never a guess inside it. [`declaring_line`] goes through a recording the same way, to the
//! `"name"` of the resource object in its body.

use std::collections::{HashMap, HashSet};

use saphyr_parser_bw::{Event, Parser, ScalarStyle, Span};

mod flow_scalar;

use flow_scalar::decode_flow;

/// A resource of an Azure input, by the name findings give it (a VNet, gateway, local network
/// gateway or connection name; `vnet->remote` for a peering) and where it is declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    /// JSON path of the resource object in the file, as the reader recorded it.
    pub path: String,
    pub subject: String,
}

enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// The path without what the readers add in parentheses (` (address)`, `(copy i=2)`): a
/// copy's iterations share the one object in the text.
fn plain(path: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ' ' if depth == 0 => {}
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The steps of a reader's path; `None` when it is not a plain path.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            out.push(Step::Index(inner[..end].parse().ok()?));
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl<'t> Scanner<'t> {
    fn ws(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    /// A string's raw content (escapes kept), the scanner after its closing quote.
    fn string(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let start = self.at;
        while self.at < self.bytes.len() {
            match self.bytes[self.at] {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return std::str::from_utf8(&self.bytes[start..self.at - 1]).ok();
                }
                _ => self.at += 1,
            }
        }
        None
    }

    /// Past one value of any kind. Iterative, so nesting depth costs no stack.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' if depth > 0 => self.at += 1,
                _ => {
                    // A number, true, false or null.
                    while self.at < self.bytes.len()
                        && !b",:]} \t\r\n".contains(&self.bytes[self.at])
                    {
                        self.at += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// In the object that starts here, to the value of member `key`.
    fn member(&mut self, key: &str) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            return None;
        }
        loop {
            let k = self.string()?;
            self.eat(b':')?;
            if k == key {
                self.ws();
                return Some(());
            }
            self.skip()?;
            match self.peek()? {
                b',' => self.at += 1,
                _ => return None,
            }
        }
    }

    /// In the array that starts here, to element `index`.
    fn element(&mut self, index: usize) -> Option<()> {
        self.eat(b'[')?;
        for _ in 0..index {
            if self.peek()? == b']' {
                return None;
            }
            self.skip()?;
            self.eat(b',')?;
        }
        (self.peek()? != b']').then_some(())
    }
}

/// The byte offset of the value at `path` in the JSON `text`.
pub fn json_path_offset(text: &str, path: &str) -> Option<usize> {
    let path = plain(path);
    json_steps_offset(text, &steps(&path)?)
}

/// The byte offset of the value the steps lead to in the JSON `text`.
fn json_steps_offset(text: &str, steps: &[Step]) -> Option<usize> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    if text.starts_with('\u{feff}') {
        s.at = 3;
    }
    for step in steps {
        match *step {
            Step::Key(k) => s.member(k)?,
            Step::Index(i) => s.element(i)?,
        }
    }
    s.ws();
    Some(s.at)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// What the walk along a path needs of a YAML event: its kind and one number (see
/// [`Node::data`]). Positions, values and tags are not kept — a large file has millions of
/// events — but read again from the text for the one event a walk ends at
/// ([`YamlEvents::event`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    DocumentStart,
    Scalar,
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
    Alias,
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Node {
    kind: Kind,
    /// A scalar: 1 + the index of the path key it equals in [`YamlEvents::keys`], or [`MERGE`]
    /// for a merge key (`<<`, plain, untagged), else 0. An alias: the anchor id it names.
    data: u32,
}

/// A scalar that is the merge key `<<`.
const MERGE: u32 = u32::MAX;

/// The events of a YAML document, for walking a path through them.
struct YamlEvents<'t> {
    text: &'t str,
    events: Vec<Node>,
    /// The keys the walk may look for (those of the path, and `address` and `name`).
    keys: Vec<String>,
    /// Anchor id → the event that starts the anchored node.
    anchors: HashMap<usize, usize>,
}

impl<'t> YamlEvents<'t> {
    fn kind(&self, at: usize) -> Option<Kind> {
        self.events.get(at).map(|n| n.kind)
    }

    /// The event after the node that starts at `at`.
    fn after(&self, at: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, node) in self.events.iter().enumerate().skip(at) {
            match node.kind {
                Kind::MappingStart | Kind::SequenceStart => depth += 1,
                Kind::MappingEnd | Kind::SequenceEnd => depth = depth.checked_sub(1)?,
                _ => {}
            }
            if depth == 0 {
                return Some(i + 1);
            }
        }
        None
    }

    /// The node an alias at `at` stands for (the node itself when it is not an alias).
    fn resolve(&self, at: usize) -> Option<usize> {
        let node = self.events.get(at)?;
        match node.kind {
            Kind::Alias => self.anchors.get(&(node.data as usize)).copied(),
            _ => Some(at),
        }
    }

    /// In the sequence at `at`, element `index`.
    fn element(&self, at: usize, index: usize) -> Option<usize> {
        if self.kind(at)? != Kind::SequenceStart {
            return None;
        }
        let mut item = at + 1;
        for _ in 0..index {
            item = self.after(item)?;
        }
        (self.kind(item)? != Kind::SequenceEnd).then_some(item)
    }

    /// In the mapping at `at`, the value of `key`: its own, else from the mappings it merges
    /// (`<<: *base`, `<<: [*a, *b]`, the first that has it), as serde-saphyr reads them.
    fn member(&self, at: usize, key: &str) -> Option<usize> {
        let want = u32::try_from(self.keys.iter().position(|k| k == key)? + 1).ok()?;
        let mut todo = vec![at];
        let mut seen = HashSet::new();
        while let Some(map) = todo.pop() {
            if !seen.insert(map) {
                continue;
            }
            if self.kind(map)? != Kind::MappingStart {
                continue;
            }
            let mut merged = Vec::new();
            let mut entry = map + 1;
            while self.kind(entry)? != Kind::MappingEnd {
                let value = self.after(entry)?;
                let k = self.events[entry];
                if k.kind == Kind::Scalar && k.data == want {
                    return Some(value);
                }
                if k.kind == Kind::Scalar && k.data == MERGE {
                    let value = self.resolve(value)?;
                    if self.kind(value)? == Kind::SequenceStart {
                        let mut item = value + 1;
                        while self.kind(item)? != Kind::SequenceEnd {
                            merged.push(self.resolve(item)?);
                            item = self.after(item)?;
                        }
                    } else {
                        merged.push(value);
                    }
                }
                entry = self.after(value)?;
            }
            // Only nodes that end before this mapping starts: an alias of an enclosing node
            // would never end the walk.
            for m in merged.into_iter().rev() {
                if self.after(m)? <= map {
                    todo.push(m);
                }
            }
        }
        None
    }
}

/// The 1-based line and column of the node at `path` in the YAML `text` (its first document),
/// as an editor would jump to it: a scalar's first character (a quote included, as in JSON),
/// a block mapping's first key, a block sequence's first `-`, a flow collection's bracket. The
/// parser's events carry the positions, so styles, quoted keys and comments need no care here;
/// a path through an alias goes on in the anchored node. A path that goes on past a scalar
/// goes on in the JSON text the scalar holds (a recording's `response.body.string`), to the
/// value's first character there — see `YamlEvents::in_scalar`.
pub fn yaml_path_line_column(text: &str, path: &str) -> Option<(usize, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let path = plain(path);
    let steps = steps(&path)?;
    let doc = YamlEvents::parse(text, &steps, &[]);
    match doc.walk(&steps)? {
        YamlEnd::Node(at) => doc.position(at),
        YamlEnd::Scalar(at, rest) => doc.in_scalar(text, at, |json| json_steps_offset(json, rest)),
    }
}

/// Where a path through a YAML document ends.
enum YamlEnd<'s, 'p> {
    /// At the node that starts at this event.
    Node(usize),
    /// At the scalar of this event, with the steps still to take in the text it holds.
    Scalar(usize, &'s [Step<'p>]),
}

impl<'t> YamlEvents<'t> {
    /// The events of the first document of `text`, up to any syntax error (the file was read
    /// from it), for a walk that looks for the keys of `steps` and for `extra` keys.
    fn parse(text: &'t str, steps: &[Step], extra: &[&str]) -> YamlEvents<'t> {
        let mut keys: Vec<String> = Vec::new();
        let path_keys = steps.iter().filter_map(|s| match s {
            Step::Key(k) => Some(*k),
            Step::Index(_) => None,
        });
        for k in path_keys.chain(extra.iter().copied()) {
            if !keys.iter().any(|have| have == k) {
                keys.push(k.to_string());
            }
        }
        let mut events = Vec::new();
        let mut anchors = HashMap::new();
        for (event, _) in Parser::new_from_str(text).map_while(Result::ok) {
            let (kind, data, anchor) = match &event {
                Event::DocumentEnd | Event::StreamEnd => break,
                Event::DocumentStart(_) => (Kind::DocumentStart, 0, 0),
                Event::Scalar(value, style, id, tag) => {
                    let data = match keys.iter().position(|k| k == value) {
                        Some(i) => u32::try_from(i + 1).unwrap_or(0),
                        None if *style == ScalarStyle::Plain && tag.is_none() && value == "<<" => {
                            MERGE
                        }
                        None => 0,
                    };
                    (Kind::Scalar, data, *id)
                }
                Event::SequenceStart(id, _) => (Kind::SequenceStart, 0, *id),
                Event::SequenceEnd => (Kind::SequenceEnd, 0, 0),
                Event::MappingStart(id, _) => (Kind::MappingStart, 0, *id),
                Event::MappingEnd => (Kind::MappingEnd, 0, 0),
                // An id beyond u32 names no anchor that is kept.
                Event::Alias(id) => (Kind::Alias, u32::try_from(*id).unwrap_or(u32::MAX), 0),
                _ => (Kind::Other, 0, 0),
            };
            if anchor > 0 {
                anchors.insert(anchor, events.len());
            }
            events.push(Node { kind, data });
        }
        YamlEvents {
            text,
            events,
            keys,
            anchors,
        }
    }

    /// The event at `at` with its value and position, parsed again from the text (up to it).
    fn event(&self, at: usize) -> Option<(Event<'t>, Span)> {
        if at >= self.events.len() {
            return None;
        }
        Parser::new_from_str(self.text)
            .map_while(Result::ok)
            .nth(at)
    }

    /// Along the steps from the document's root: to a node, or to a scalar that a step would
    /// go into.
    fn walk<'s, 'p>(&self, steps: &'s [Step<'p>]) -> Option<YamlEnd<'s, 'p>> {
        let mut at = self
            .events
            .iter()
            .position(|n| n.kind == Kind::DocumentStart)?
            + 1;
        for (k, step) in steps.iter().enumerate() {
            let node = self.resolve(at)?;
            if self.kind(node)? == Kind::Scalar {
                return Some(YamlEnd::Scalar(node, &steps[k..]));
            }
            at = match *step {
                Step::Key(key) => self.member(node, key)?,
                Step::Index(index) => self.element(node, index)?,
            };
        }
        Some(YamlEnd::Node(at))
    }

    /// The 1-based line and column where the event at `at` starts.
    fn position(&self, at: usize) -> Option<(usize, usize)> {
        Some(start_of(&self.event(at)?.1))
    }

    /// The line and column of what `find` finds (a byte offset) in the text held by the scalar
    /// at `at`. The scalar's source is decoded again here with the place of each byte
    /// ([`decode_flow`]); only when that gives the parser's own value is the offset mapped
    /// back into the file. Otherwise (a block scalar, a style the decoding does not follow)
    /// it is the scalar's own position, when `find` finds something at all.
    fn in_scalar(
        &self,
        text: &str,
        at: usize,
        find: impl Fn(&str) -> Option<usize>,
    ) -> Option<(usize, usize)> {
        let (Event::Scalar(value, style, ..), span) = self.event(at)? else {
            return None;
        };
        let start = char_to_byte(text, span.start.index());
        let end = char_to_byte(text, span.end.index());
        match decode_flow(text, start, end, style) {
            Some(decoded) if decoded.text == value => {
                let offset = find(&decoded.text)?;
                let source = decoded
                    .from
                    .get(offset)
                    .copied()
                    .unwrap_or_else(|| decoded.from.last().map_or(start, |&i| i + 1));
                Some(line_column(text, source))
            }
            _ => {
                find(&value)?;
                Some(start_of(&span))
            }
        }
    }
}

/// The 1-based line and column where a span starts.
fn start_of(span: &Span) -> (usize, usize) {
    // The parser counts columns from 0 (its documentation says 1).
    (span.start.line(), span.start.col() + 1)
}

/// The byte offset of the character at `index` (the parser counts characters).
fn char_to_byte(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}

/// The line and column that declare the resource at `path` in `text`: the value of its
/// `"address"` member (a Terraform plan or state), else of its `"name"` member (the column
/// of the value's first character, inside the quotes), else the object's opening brace.
///
/// In a YAML file (a vcrpy recording) the path goes through the YAML to the scalar that holds
/// the resource's JSON, and on in that JSON the same way ([`yaml_path_line_column`]); a path
/// that ends at a YAML mapping is declared by its `address` or `name` value likewise.
pub fn declaring_line(text: &str, path: &str) -> Option<(usize, usize)> {
    let bare = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !matches!(
        bare.trim_start().as_bytes().first(),
        Some(b'{' | b'[') | None
    ) {
        return declaring_line_yaml(bare, path);
    }
    let path = plain(path);
    let at = declaring_offset(text, &steps(&path)?)?;
    Some(line_column(text, at))
}

/// The byte offset of the member that declares the object the steps lead to in the JSON
/// `text` (see [`declaring_line`]).
fn declaring_offset(text: &str, steps: &[Step]) -> Option<usize> {
    let object = json_steps_offset(text, steps)?;
    let at = ["address", "name"]
        .iter()
        .find_map(|key| {
            let mut s = Scanner {
                bytes: text.as_bytes(),
                at: object,
            };
            s.member(key)?;
            // The value's first character, as for names found by text (after a quote).
            Some(s.at + usize::from(text.as_bytes().get(s.at) == Some(&b'"')))
        })
        .unwrap_or(object);
    Some(at)
}

fn declaring_line_yaml(text: &str, path: &str) -> Option<(usize, usize)> {
    let path = plain(path);
    let steps = steps(&path)?;
    let doc = YamlEvents::parse(text, &steps, &["address", "name"]);
    match doc.walk(&steps)? {
        YamlEnd::Scalar(at, rest) => doc.in_scalar(text, at, |json| declaring_offset(json, rest)),
        YamlEnd::Node(at) => {
            let node = doc.resolve(at)?;
            if doc.kind(node)? == Kind::Scalar {
                // The resource is the whole body.
                return doc
                    .in_scalar(text, node, |json| declaring_offset(json, &[]))
                    .or_else(|| doc.position(at));
            }
            let member = ["address", "name"]
                .iter()
                .find_map(|key| doc.member(node, key));
            let Some(value) = member.and_then(|m| doc.resolve(m)) else {
                return doc.position(at);
            };
            let (event, span) = doc.event(value)?;
            let (line, column) = start_of(&span);
            // Inside the quotes, as in JSON.
            let quoted = matches!(
                event,
                Event::Scalar(_, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted, ..)
            );
            Some((line, column + usize::from(quoted)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{
  "resources": [
    {"type": "a", "name": "[concat('x', ']')]", "x": [1, {"y": "}"}]},
    {
      "type": "Microsoft.Network/virtualNetworks",
      "name": "[parameters('vnetName')]",
      "resources": [
        { "type": "virtualNetworkPeerings",
          "name": "p" }
      ]
    }
  ]
}"#;

    #[test]
    fn walks_paths_to_the_declaring_member() {
        assert_eq!(declaring_line(TEMPLATE, "resources[0]"), Some((3, 28)));
        assert_eq!(declaring_line(TEMPLATE, "resources[1]"), Some((6, 16)));
        assert_eq!(
            declaring_line(TEMPLATE, "resources[1](copy i=3)"),
            Some((6, 16))
        );
        assert_eq!(
            declaring_line(TEMPLATE, "resources[1].resources[0]"),
            Some((9, 20))
        );
        assert_eq!(
            declaring_line(TEMPLATE, "resources[1](copy i=3).resources[0]"),
            Some((9, 20))
        );
        assert_eq!(
            declaring_line(TEMPLATE, "resources[1] (module.x.azurerm_a.b[\"k.1\"])"),
            Some((6, 16))
        );
        assert_eq!(declaring_line(TEMPLATE, "resources[2]"), None);
        assert_eq!(declaring_line(TEMPLATE, "resources[1].nope"), None);
        assert_eq!(declaring_line("[", "resources[0]"), None);
    }

    const YAML: &str = "\
# vnets first, then sites
vnets:
  - name: hub
    address_space: [10.0.0.0/16, 10.1.0.0/16]
  - name: spoke
    \"address_space\":
      - 10.2.0.0/16
    peerings:
      - remote: hub
local_networks: []
";

    #[test]
    fn walks_yaml_paths_to_the_node() {
        let at = |path| yaml_path_line_column(YAML, path);
        // Line 1 is the comment; a block sequence is at its first `-`, a block mapping at its
        // first key, a flow sequence at its bracket.
        assert_eq!(at("vnets"), Some((3, 3)));
        assert_eq!(at("vnets[0]"), Some((3, 5)));
        assert_eq!(at("vnets[0].name"), Some((3, 11)));
        assert_eq!(at("vnets[0].address_space"), Some((4, 20)));
        assert_eq!(at("vnets[0].address_space[0]"), Some((4, 21)));
        assert_eq!(at("vnets[0].address_space[1]"), Some((4, 34)));
        // A quoted key is its content.
        assert_eq!(at("vnets[1].address_space[0]"), Some((7, 9)));
        assert_eq!(at("vnets[1].peerings[0].remote"), Some((9, 17)));
        assert_eq!(at("local_networks"), Some((10, 17)));
        for absent in [
            "local_networks[0]",
            "vnets[2]",
            "vnets[0].address_space[2]",
            "vnets[0].gateway",
            "vnets[0].name.x",
            "vnets.name",
            "peerings",
            "vnets[x]",
        ] {
            assert_eq!(at(absent), None, "{absent}");
        }
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        assert_eq!(
            yaml_path_line_column("\u{feff}vnets: [a, b]\n", "vnets[1]"),
            Some((1, 12))
        );
    }

    #[test]
    fn yaml_paths_go_through_aliases_and_merge_keys() {
        let text = "\
base: &base
  sku: VpnGw1
list: &l [a, b]
gw:
  <<: *base
  name: gw
other: *l
loop: &r {a: 1, <<: *r}
";
        let at = |path| yaml_path_line_column(text, path);
        assert_eq!(at("gw.sku"), Some((2, 8)));
        assert_eq!(at("gw.name"), Some((6, 9)));
        assert_eq!(at("other[1]"), Some((3, 14)));
        // The alias itself is where the value is written.
        assert_eq!(at("other"), Some((7, 8)));
        // A mapping that merges itself ends the walk.
        assert_eq!(at("loop.a"), Some((8, 14)));
        assert_eq!(at("loop.b"), None);
    }

    #[test]
    fn yaml_paths_are_in_the_first_document() {
        let text = "a: 1\n---\nb: 2\n";
        assert_eq!(yaml_path_line_column(text, "a"), Some((1, 4)));
        assert_eq!(yaml_path_line_column(text, "b"), None);
        assert_eq!(yaml_path_line_column("a: [1, 2\n", "b"), None);
        assert_eq!(yaml_path_line_column("", "a"), None);
    }

    #[test]
    fn the_decoding_gives_the_parsers_values() {
        for value in [
            r#""{\r\n  \"a\": [\r\n    1\r\n  ]\r\n}""#,
            "\"a\\\n  \\ b \\\n  c\"",
            "\"a  \n\n   b\\x41\\u00e9\\U0001F600 \\N\"",
            "'it''s\n\n  ok'",
            "a b\n  c\n\n  d",
        ] {
            let text = format!("k: {value}\n");
            let doc = YamlEvents::parse(&text, &[], &[]);
            let (Event::Scalar(parsed, style, ..), span) = doc.event(4).unwrap() else {
                panic!("{:?}", doc.event(4));
            };
            let start = char_to_byte(&text, span.start.index());
            let end = char_to_byte(&text, span.end.index());
            assert_eq!(start, 3);
            let ours = decode_flow(&text, start, end, style).unwrap().text;
            assert_eq!(ours, parsed, "{value}");
        }
    }

    /// A small cassette as vcrpy writes it: a double-quoted folded body with `\r\n`, `\"`,
    /// escaped breaks and `\ ` (lines 7-9), and a single-quoted one (lines 16-17).
    const CASSETTE: &str = r#"interactions:
- request:
    method: GET
    uri: https://management.azure.com/x
  response:
    body:
      string: "{\r\n  \"name\": \"vnet1\",\r\n  \"properties\": {\r\n    \"addressSpace\"\
        : {\r\n      \"addressPrefixes\": [\r\n        \"10.0.0.0/16\",\r\n   \
        \     \"10.1.0.0/16\"\r\n      ]\r\n    }\r\n  }\r\n}"
    status:
      code: 200
- request:
    method: GET
  response:
    body:
      string: '{"value": [{"name": "a",
        "id": "x"}, {"name": "b''s"}]}'
"#;

    #[test]
    fn yaml_paths_go_on_in_the_json_of_a_scalar() {
        let at = |path: &str| yaml_path_line_column(CASSETTE, path);
        let body = "interactions[0].response.body.string";
        // The scalar itself: its opening quote after `      string: `.
        assert_eq!(at(body), Some((7, 15)));
        // `\"vnet1\"`: the value's quote is the backslash at column 33 of line 7
        // (6 blanks, `string: ` to 14, `"{` 15-16, `\r\n` 17-20, 2 blanks, `\"name\": ` 23-32).
        assert_eq!(at(&format!("{body}.name")), Some((7, 33)));
        // Line 8: `: {` puts the brace at 11; `\r\n` 12-15, 6 blanks 16-21,
        // `\"addressPrefixes\": ` 22-42, `[` 43, `\r\n` 44-47, 8 blanks 48-55, `\"` 56.
        let space = format!("{body}.properties.addressSpace");
        assert_eq!(at(&space), Some((8, 11)));
        assert_eq!(at(&format!("{space}.addressPrefixes")), Some((8, 43)));
        assert_eq!(at(&format!("{space}.addressPrefixes[0]")), Some((8, 56)));
        // Line 9: 8 blanks, `\ ` 9-10, 4 blanks 11-14, `\"` 15.
        assert_eq!(at(&format!("{space}.addressPrefixes[1]")), Some((9, 15)));
        // Single quotes: line 16 is 6 blanks, `string: ` to 14, `'` 15, `{"value": [{"name": `
        // 16-35, `"a"` at 36; line 17 is 8 blanks, `"id": ` 9-14, `"x"` 15, `}, {` 18-21,
        // `"name": ` 22-29, `"b''s"` 30.
        let list = "interactions[1].response.body.string.value";
        assert_eq!(at(&format!("{list}[0].name")), Some((16, 36)));
        assert_eq!(at(&format!("{list}[0].id")), Some((17, 15)));
        assert_eq!(at(&format!("{list}[1].name")), Some((17, 30)));
        for absent in [
            format!("{body}.nope"),
            format!("{space}.addressPrefixes[2]"),
            format!("{list}[2]"),
            "interactions[0].request.method.x".to_string(),
        ] {
            assert_eq!(at(&absent), None, "{absent}");
        }
    }

    #[test]
    fn resources_in_a_scalars_json_are_declared_by_their_name() {
        // Inside the quotes: `vnet1` after `\"` at 33-34; `a` after 36; `b` after 30.
        let at = |path: &str| declaring_line(CASSETTE, path);
        assert_eq!(at("interactions[0].response.body.string"), Some((7, 35)));
        let list = "interactions[1].response.body.string.value";
        assert_eq!(at(&format!("{list}[0]")), Some((16, 37)));
        assert_eq!(at(&format!("{list}[1]")), Some((17, 31)));
        // No name: the object's brace (line 7: `\",\r\n` 40-46, 2 blanks, `\"properties\": `
        // 49-64, `{` 65).
        assert_eq!(
            at("interactions[0].response.body.string.properties"),
            Some((7, 65))
        );
        assert_eq!(at(&format!("{list}[2]")), None);
        // A YAML mapping is declared by its name's value, inside its quotes.
        assert_eq!(
            declaring_line("vnets:\n  - name: \"hub\"\n", "vnets[0]"),
            Some((2, 12))
        );
        assert_eq!(
            declaring_line("vnets:\n  - x: 1\n", "vnets[0]"),
            Some((2, 5))
        );
    }

    #[test]
    fn a_block_scalar_is_its_own_place() {
        // The parser puts a block scalar at its first line of content.
        let text = "a: |\n  {\"x\": 1}\n";
        assert_eq!(yaml_path_line_column(text, "a"), Some((2, 3)));
        assert_eq!(yaml_path_line_column(text, "a.x"), Some((2, 3)));
        assert_eq!(yaml_path_line_column(text, "a.y"), None);
    }
}
