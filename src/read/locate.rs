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

use std::collections::{HashMap, HashSet};

use saphyr_parser_bw::{Event, Parser, ScalarStyle, Span};

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
    let mut s = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    if text.starts_with('\u{feff}') {
        s.at = 3;
    }
    let path = plain(path);
    for step in steps(&path)? {
        match step {
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

/// The events of a YAML document, for walking a path through them.
struct YamlEvents<'t> {
    events: Vec<(Event<'t>, Span)>,
    /// Anchor id → the event that starts the anchored node.
    anchors: HashMap<usize, usize>,
}

impl YamlEvents<'_> {
    /// The event after the node that starts at `at`.
    fn after(&self, at: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, (event, _)) in self.events.iter().enumerate().skip(at) {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth = depth.checked_sub(1)?,
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
        match self.events.get(at)?.0 {
            Event::Alias(id) => self.anchors.get(&id).copied(),
            _ => Some(at),
        }
    }

    /// In the sequence at `at`, element `index`.
    fn element(&self, at: usize, index: usize) -> Option<usize> {
        let Event::SequenceStart(..) = self.events.get(at)?.0 else {
            return None;
        };
        let mut item = at + 1;
        for _ in 0..index {
            item = self.after(item)?;
        }
        (!matches!(self.events.get(item)?.0, Event::SequenceEnd)).then_some(item)
    }

    /// In the mapping at `at`, the value of `key`: its own, else from the mappings it merges
    /// (`<<: *base`, `<<: [*a, *b]`, the first that has it), as serde-saphyr reads them.
    fn member(&self, at: usize, key: &str) -> Option<usize> {
        let mut todo = vec![at];
        let mut seen = HashSet::new();
        while let Some(map) = todo.pop() {
            if !seen.insert(map) {
                continue;
            }
            let Event::MappingStart(..) = self.events.get(map)?.0 else {
                continue;
            };
            let mut merged = Vec::new();
            let mut entry = map + 1;
            while !matches!(self.events.get(entry)?.0, Event::MappingEnd) {
                let value = self.after(entry)?;
                match &self.events[entry].0 {
                    Event::Scalar(k, ..) if k == key => return Some(value),
                    Event::Scalar(k, ScalarStyle::Plain, _, None) if k == "<<" => {
                        let value = self.resolve(value)?;
                        match self.events[value].0 {
                            Event::SequenceStart(..) => {
                                let mut item = value + 1;
                                while !matches!(self.events.get(item)?.0, Event::SequenceEnd) {
                                    merged.push(self.resolve(item)?);
                                    item = self.after(item)?;
                                }
                            }
                            _ => merged.push(value),
                        }
                    }
                    _ => {}
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
/// a path through an alias goes on in the anchored node.
pub fn yaml_path_line_column(text: &str, path: &str) -> Option<(usize, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let path = plain(path);
    let steps = steps(&path)?;
    // The first document, up to any syntax error: the file was read from it.
    let events: Vec<_> = Parser::new_from_str(text)
        .map_while(Result::ok)
        .take_while(|(event, _)| !matches!(event, Event::DocumentEnd | Event::StreamEnd))
        .collect();
    let anchors = events
        .iter()
        .enumerate()
        .filter_map(|(i, (event, _))| match event {
            Event::Scalar(_, _, id, _)
            | Event::SequenceStart(id, _)
            | Event::MappingStart(id, _)
                if *id > 0 =>
            {
                Some((*id, i))
            }
            _ => None,
        })
        .collect();
    let doc = YamlEvents { events, anchors };
    let mut at = doc
        .events
        .iter()
        .position(|(event, _)| matches!(event, Event::DocumentStart(_)))?
        + 1;
    for step in steps {
        let node = doc.resolve(at)?;
        at = match step {
            Step::Key(key) => doc.member(node, key)?,
            Step::Index(index) => doc.element(node, index)?,
        };
    }
    let start = doc.events.get(at)?.1.start;
    // The parser counts columns from 0 (its documentation says 1).
    Some((start.line(), start.col() + 1))
}

/// The line and column that declare the resource at `path` in `text`: the value of its
/// `"address"` member (a Terraform plan or state), else of its `"name"` member (the column
/// of the value's first character, inside the quotes), else the object's opening brace.
pub fn declaring_line(text: &str, path: &str) -> Option<(usize, usize)> {
    let object = json_path_offset(text, path)?;
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
    Some(line_column(text, at))
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
}
