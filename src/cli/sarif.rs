//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps).
//!
//! One result per finding: `ruleId` = the finding code, `level` from its severity (error, warning,
//! info = note), the rule's explain text as its help. Each result has the resource as a logical
//! location and, where the resource is declared in an input file, a physical location with
//! line and column: the line that names it (`name: hub-gw`, `"name": "hub-gw"`) or, for a
//! peering `a->b`, the line with `vnet: a` and `remote: b` (the native format's peering entry).
//! For Azure inputs (exports, ARM templates, Terraform plans and state, vcrpy recordings — in
//! the JSON of the response body) the readers record each
//! resource's JSON path, and the result points at the member that declares it there: a
//! Terraform resource's `"address"`, else the resource object's `"name"` — also when the name
//! is an expression (`[parameters('vnetName')]`, `[concat(...)]`) — see
//! [`p2s_sim::read::locate`]. Otherwise the line that names it literally; a resource no file
//! names gets the first file as its artifact. Standard input has no
//! URI and gets the logical location only.

use std::io::{self, Write};

use serde::Serialize;

use p2s_sim::facts::catalog::Severity;
use p2s_sim::read::locate::{declaring_line, Place};
use p2s_sim::read::Source;
use p2s_sim::report::{FindingReport, Report};
use p2s_sim::verdicts::findings::explain;

use super::explain::describe;

/// The SARIF renderer, with the input files it points into and where the Azure readers found
/// each resource.
pub struct SarifOut<'a> {
    pub inputs: &'a [Source],
    pub places: &'a [Place],
}

/// Whether a finding's subject names the resource of `place`: each side of `a->b` compared by
/// its Azure name (the part after the last `/` of a `group/name`), ignoring ASCII case.
fn same_subject(subject: &str, place: &str) -> bool {
    let name = |s: &str| s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
    let (a, b) = (subject.split("->"), place.split("->"));
    a.clone().count() == b.clone().count() && a.zip(b).all(|(x, y)| name(x) == name(y))
}

/// SARIF's `level`: `error`, `warning`, `note` (a finding's info severity).
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Warning,
    Note,
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Level {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Note,
        }
    }
}

/// A file name as a relative URI reference: `/` separators, everything outside RFC 3986's
/// unreserved characters and `/` percent-encoded. `None` for standard input.
pub fn uri(name: &str) -> Option<String> {
    if name == "<stdin>" || name == "-" {
        return None;
    }
    let mut out = String::new();
    for b in name.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

/// The 1-based line and column where `key` has the value `value` on `line`: YAML `key: value`
/// (optionally quoted, in block or flow style) or JSON `"key": "value"`; the column is the
/// value's first character.
fn find_pair(line: &str, key: &str, value: &str) -> Option<usize> {
    for pattern in [
        format!("\"{key}\": \"{value}\""),
        format!("\"{key}\":\"{value}\""),
        format!("{key}: \"{value}\""),
        format!("{key}: '{value}'"),
        format!("{key}: {value}"),
    ] {
        let mut from = 0;
        while let Some(at) = line[from..].find(&pattern) {
            let start = from + at;
            let end = start + pattern.len();
            let before_ok = line[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
            let after_ok = line[end..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || "_-./".contains(c)));
            if before_ok && after_ok {
                let value_at = start + pattern.find(value).expect("value in pattern");
                return Some(line[..value_at].chars().count() + 1);
            }
            from = end;
        }
    }
    None
}

/// Where `subject` is declared in `text`: (line, column), 1-based.
pub fn locate(text: &str, subject: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    if let Some((vnet, remote)) = subject.split_once("->") {
        for (i, line) in lines.iter().enumerate() {
            if let Some(col) = find_pair(line, "vnet", vnet) {
                // The remote on the same line (flow style) or within the same entry: up to
                // the next list item (`- `), object (`{`) or `vnet` key.
                let entry = std::iter::once(lines[i]).chain(
                    lines[i + 1..]
                        .iter()
                        .take(8)
                        .take_while(|l| {
                            let t = l.trim_start();
                            !(t.starts_with('-') || t.starts_with('{') || t.contains("vnet"))
                        })
                        .copied(),
                );
                if entry
                    .into_iter()
                    .any(|l| find_pair(l, "remote", remote).is_some())
                {
                    return Some((i + 1, col));
                }
            }
        }
        return None;
    }
    lines
        .iter()
        .enumerate()
        .find_map(|(i, line)| find_pair(line, "name", subject).map(|col| (i + 1, col)))
}

/// The URL in a source text, if any ("FAQ (https://...)" gives the link).
fn first_url(text: &'static str) -> Option<&'static str> {
    let at = text.find("https://")?;
    let url = &text[at..];
    let end = url
        .find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == ';')
        .unwrap_or(url.len());
    Some(&url[..end])
}

/// The SARIF log: one run of p2s-sim. Field order is the output's member order.
#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties,
    /// The input files (standard input has no URI); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    artifacts: Vec<Artifact>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<SarifRule<'a>>,
}

#[derive(Serialize)]
struct RunProperties {
    summary: String,
}

/// A `reportingDescriptor`: the catalog's rule, or for a code the catalog lacks its first
/// finding's message and severity only.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule<'a> {
    id: &'a str,
    short_description: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text<'a>>,
    default_configuration: Configuration,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RuleProperties>,
    /// The first URL of the rule's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'static str>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: std::borrow::Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn new(text: impl Into<std::borrow::Cow<'a, str>>) -> Text<'a> {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: Level,
}

#[derive(Serialize)]
struct RuleProperties {
    fix: &'static str,
    source: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: Level,
    message: Text<'a>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    /// Absent only when no input has a URI (standard input alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    /// Absent when the resource is declared in no input: the location is the first file.
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactLocation,
    roles: [&'static str; 1],
}

fn rule<'a>(code: &'a str, fallback: &'a FindingReport) -> SarifRule<'a> {
    let Some(r) = explain(code) else {
        return SarifRule {
            id: code,
            short_description: Text::new(fallback.message.as_str()),
            full_description: None,
            help: None,
            default_configuration: Configuration {
                level: fallback.severity.into(),
            },
            properties: None,
            help_uri: None,
        };
    };
    SarifRule {
        id: r.code,
        short_description: Text::new(r.title),
        full_description: Some(Text::new(r.why)),
        help: Some(Text::new(describe(r))),
        default_configuration: Configuration {
            level: r.severity.into(),
        },
        properties: Some(RuleProperties {
            fix: r.fix,
            source: r.source,
        }),
        help_uri: first_url(r.source),
    }
}

impl SarifOut<'_> {
    fn location<'a>(&self, subject: &'a str) -> Location<'a> {
        let logical = [LogicalLocation {
            name: subject,
            fully_qualified_name: subject,
            kind: "resource",
        }];
        // An Azure input's resource by its JSON path (names there may be expressions), else
        // the line that names the subject.
        let by_place = self
            .places
            .iter()
            .filter(|p| same_subject(subject, &p.subject))
            .find_map(|p| {
                let s = self.inputs.iter().find(|s| s.name == p.file)?;
                Some((uri(&s.name)?, declaring_line(&s.text, &p.path)?))
            });
        let found = by_place.or_else(|| {
            self.inputs.iter().find_map(|s| {
                let at = locate(&s.text, subject)?;
                Some((uri(&s.name)?, at))
            })
        });
        let physical = match found {
            Some((uri, (line, column))) => Some(PhysicalLocation {
                artifact_location: ArtifactLocation { uri },
                region: Some(Region {
                    start_line: line,
                    start_column: column,
                }),
            }),
            None => self
                .inputs
                .iter()
                .find_map(|s| uri(&s.name))
                .map(|uri| PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: None,
                }),
        };
        Location {
            physical_location: physical,
            logical_locations: logical,
        }
    }

    pub fn log<'a>(&self, report: &'a Report) -> Log<'a> {
        let mut codes: Vec<&str> = Vec::new();
        for f in &report.findings {
            if !codes.contains(&f.code.as_str()) {
                codes.push(&f.code);
            }
        }
        let rules = codes
            .iter()
            .map(|code| {
                let first = report
                    .findings
                    .iter()
                    .find(|f| f.code == *code)
                    .expect("code of a finding");
                rule(code, first)
            })
            .collect();
        let results = report
            .findings
            .iter()
            .map(|f| SarifResult {
                rule_id: &f.code,
                rule_index: codes.iter().position(|c| *c == f.code).expect("listed"),
                level: f.severity.into(),
                message: Text::new(format!("{} (source: {})", f.message, f.source)),
                locations: [self.location(&f.subject)],
            })
            .collect();
        let artifacts = self
            .inputs
            .iter()
            .filter_map(|s| uri(&s.name))
            .map(|uri| Artifact {
                location: ArtifactLocation { uri },
                roles: ["analysisTarget"],
            })
            .collect();
        Log {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "p2s-sim",
                        version: env!("CARGO_PKG_VERSION"),
                        information_uri: p2s_sim::facts::catalog::P2S_ABOUT,
                        rules,
                    },
                },
                results,
                properties: RunProperties {
                    summary: report.summary(),
                },
                artifacts,
            }],
        }
    }
}

impl SarifOut<'_> {
    pub fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.log(report))?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_names_and_peerings() {
        let yaml = "vnets:\n  - name: hub\n    gateway:\n      name: hub-gw\npeerings:\n  - {vnet: spoke, remote: hub}\n  - {vnet: hub, remote: spoke}\n";
        assert_eq!(locate(yaml, "hub-gw"), Some((4, 13)));
        assert_eq!(locate(yaml, "hub"), Some((2, 11)));
        assert_eq!(locate(yaml, "hub->spoke"), Some((7, 12)));
        assert_eq!(locate(yaml, "spoke->hub"), Some((6, 12)));
        // Block style: the remote of the same entry, not of the next one.
        let block = "peerings:\n  - vnet: a\n    remote: c\n  - vnet: b\n    remote: a\n  - vnet: a\n    remote: b\n";
        assert_eq!(locate(block, "a->b"), Some((6, 11)));
        assert_eq!(locate(block, "a->c"), Some((2, 11)));
        assert_eq!(locate(block, "c->a"), None);
        assert_eq!(locate(yaml, "hub-g"), None);
        let json = "{\"vnets\": [\n  {\"name\": \"a&b\", \"address_space\": []}\n]}";
        assert_eq!(locate(json, "a&b"), Some((2, 13)));
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("a/b c.yaml").as_deref(), Some("a/b%20c.yaml"));
        assert_eq!(uri("<stdin>"), None);
        assert_eq!(
            first_url("FAQ (https://x.test/faq); y"),
            Some("https://x.test/faq")
        );
    }
}
