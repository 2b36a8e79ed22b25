//! `p2s-sim explain CODE`: what a finding code means, why it matters, how to fix it, and where
//! Azure documents it. `p2s-sim explain --list` lists every code.

use std::io::{self, Write};

use serde::Serialize;

use p2s_sim::verdicts::findings::{catalog, explain, rules, HomeRange, Rule, HOME_RANGES};
use p2s_sim::verdicts::ReasonCode;

use super::output::{format_subset, pretty_json, render, Rendered};
use super::{CmdResult, Exit, Failure};

/// Explain a finding code: the rule, why it matters, how to fix it, and its source.
///
/// Codes are an area and a number (P2S, POOL, PEER, CONN, LIM, ROUTE, NET, DATE, SKU, CAP);
/// they never change meaning. Case does not matter. The verdict reason codes (os-unsupported,
/// tunnel-not-offered, config-rejected, sku-unsupported, sstp-retired, no-pool,
/// auth-unsupported, udp-blocked, s2s-site-ip, selector-limit) are explained too.
///
/// Examples:
///   p2s-sim explain PEER008
///   p2s-sim explain udp-blocked
///   p2s-sim explain --list
///   p2s-sim explain --format json PEER008
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    /// The finding code, e.g. PEER008.
    #[arg(required_unless_present = "list", conflicts_with = "list")]
    pub code: Option<String>,
    /// List every code with its severity and title.
    #[arg(long)]
    pub list: bool,
    /// `text` for people; `json` gives the same fields for programs: {"kind": "finding",
    /// "code", "severity", "title", "why", "fix", "source"} or {"kind": "reason", "code",
    /// "meaning", "source"}; with --list, an array of findings.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

format_subset! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
    pub enum ExplainFormat {
        Text,
        Json,
    }
}

/// A finding rule as JSON: `kind`, the rule's fields, and for NET002 the home ranges it checks.
#[derive(Serialize)]
struct RuleJson<'a> {
    kind: &'static str,
    #[serde(flatten)]
    rule: &'a Rule,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_ranges: Option<&'static [HomeRange]>,
}

impl<'a> RuleJson<'a> {
    fn of(rule: &'a Rule) -> RuleJson<'a> {
        RuleJson {
            kind: "finding",
            rule,
            home_ranges: (rule.code == catalog::NET002.code).then_some(HOME_RANGES),
        }
    }
}

/// A verdict reason code as JSON.
#[derive(Serialize)]
struct ReasonJson {
    kind: &'static str,
    code: &'static str,
    meaning: &'static str,
    source: &'static str,
}

/// What `explain` prints: one rule, one verdict reason, or the list of every rule.
enum ExplainOut {
    Rule(&'static Rule),
    Reason(ReasonCode),
    List,
}

impl Rendered for ExplainOut {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let text = match self {
            ExplainOut::Rule(rule) => describe(rule),
            ExplainOut::Reason(code) => describe_reason(*code),
            ExplainOut::List => list(),
        };
        out.write_all(text.as_bytes())
    }

    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            ExplainOut::Rule(rule) => pretty_json(&RuleJson::of(rule), out),
            ExplainOut::Reason(code) => pretty_json(
                &ReasonJson {
                    kind: "reason",
                    code: code.as_str(),
                    meaning: code.meaning(),
                    source: code.source(),
                },
                out,
            ),
            ExplainOut::List => {
                let all: Vec<RuleJson> = rules().iter().map(RuleJson::of).collect();
                pretty_json(&all, out)
            }
        }
    }
}

const WIDTH: usize = 88;

/// Greedy word wrap with an indent; words longer than the width stay whole.
fn wrap(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > WIDTH {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The full text for one rule (NET002 also lists the home ranges it checks).
pub fn describe(rule: &Rule) -> String {
    let mut text = format!(
        "{} ({}): {}\n\nWhy it matters:\n{}\nHow to fix:\n{}\nSource:\n{}",
        rule.code,
        rule.severity,
        rule.title,
        wrap(rule.why, "  "),
        wrap(rule.fix, "  "),
        wrap(rule.source, "  "),
    );
    if rule.code == catalog::NET002.code {
        text.push_str("\nRanges checked with --home-networks:\n");
        for h in HOME_RANGES {
            text.push_str(&format!("  {:17} {}\n", h.prefix, h.vendors));
        }
    }
    text
}

/// The text for a verdict reason code (`udp-blocked`, ...).
pub fn describe_reason(code: ReasonCode) -> String {
    format!(
        "{code} (verdict reason)\n\nWhat it means:\n{}\nSource:\n{}",
        wrap(code.meaning(), "  "),
        wrap(code.source(), "  ")
    )
}

/// One line per rule.
pub fn list() -> String {
    let width = rules().iter().map(|r| r.code.len()).max().unwrap_or(0);
    rules()
        .iter()
        .map(|r| {
            format!(
                "{:width$}  {:7}  {}\n",
                r.code,
                r.severity.as_str(),
                r.title
            )
        })
        .collect()
}

fn unknown(code: &str) -> Failure {
    let area: String = code
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    let same_area: Vec<&str> = rules()
        .iter()
        .filter(|r| !area.is_empty() && r.code.starts_with(&area))
        .map(|r| r.code)
        .collect();
    let hint = if same_area.is_empty() {
        String::new()
    } else {
        format!(" ({area} codes: {})", same_area.join(", "))
    };
    Failure(format!(
        "unknown finding code '{}'{hint}; `p2s-sim explain --list` lists every code",
        code.trim()
    ))
}

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> CmdResult {
    let output = if args.list {
        ExplainOut::List
    } else {
        let code = args.code.as_deref().unwrap_or_default();
        match (explain(code), ReasonCode::parse(code)) {
            (Some(rule), _) => ExplainOut::Rule(rule),
            (None, Some(reason)) => ExplainOut::Reason(reason),
            (None, None) => return Err(unknown(code)),
        }
    };
    render(&output, args.format, out)?;
    out.flush()?;
    Ok(Exit::Fine.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_rule_within_the_width() {
        for r in rules() {
            let text = describe(r);
            assert!(text.starts_with(r.code), "{text}");
            // The heading is one line however long the title; the body is wrapped.
            for line in text.lines().skip(1) {
                // Only unbreakable words (URLs) may run past the width.
                assert!(
                    line.len() <= WIDTH || !line.trim().contains(' ') || line.contains("://"),
                    "{}: {line}",
                    r.code
                );
            }
        }
        assert!(list().lines().count() == rules().len());
    }

    #[test]
    fn unknown_codes_suggest_the_area() {
        let Failure(msg) = unknown("peer999");
        assert!(msg.contains("PEER001"), "{msg}");
        assert!(msg.contains("explain --list"), "{msg}");
        for code in ReasonCode::ALL {
            let text = describe_reason(*code);
            assert!(text.starts_with(code.as_str()), "{text}");
            assert!(text.lines().all(|l| l.len() <= WIDTH), "{text}");
        }
        let Failure(msg) = unknown("zzz");
        assert!(!msg.contains("codes:"), "{msg}");
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("a b c", "  "), "  a b c\n");
        let long = "word ".repeat(40);
        let wrapped = wrap(&long, "  ");
        assert!(wrapped.lines().all(|l| l.len() <= WIDTH));
        assert_eq!(wrapped.split_whitespace().count(), 40);
    }
}
