//! Where a resource is in the text of its file, for outputs that point into files (SARIF).
//!
//! The Azure readers record each resource's JSON path (`resources[3]`, `resources[1].resources[0]`,
//! `values.root_module.resources[2]`, a copy loop's `resources[0](copy i=2)`); [`Place`] keeps
//! that path with the name a finding uses for the resource, and [`declaring_line`] walks the raw
//! text along the path — no second parse, no evaluation — to the member that declares it: the
//! resource object's `"address"` (Terraform) or `"name"` (ARM, even when the name is an expression
//! such as `[parameters('vnetName')]`), else the object itself.

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
}
