//! `--format junit`: JUnit XML for Azure Pipelines and GitLab test reports.
//!
//! One test suite per gateway with one test case per client kind (it fails when the kind is
//! over its limit or its verdict is `fails`), and a `findings` suite with one failing test case
//! per error finding. Warnings and infos are not tests (they are in every other format).

use std::io::{self, Write};

use p2s_sim::report::{ClientReport, Report};
use p2s_sim::verdicts::findings::Severity;
use p2s_sim::verdicts::Verdict;

use super::html::escape;

pub struct JunitOut;

/// Why a client kind's test case fails, or `None` when it passes.
fn failure(c: &ClientReport) -> Option<(String, String)> {
    let reasons: Vec<String> = c
        .reasons
        .iter()
        .flatten()
        .map(|r| format!("{}: {} (source: {})", r.code, r.text, r.source))
        .collect();
    if c.check.is_over() {
        let count = match (c.check.selectors, c.check.limit) {
            (Some(n), Some(l)) => format!("{n} / {l}"),
            _ => "over".to_string(),
        };
        return Some((
            format!("{} over its limit ({count})", c.client),
            reasons.join("\n"),
        ));
    }
    if c.verdict == Some(Verdict::Fails) {
        let codes = c.reason_codes();
        return Some((
            format!("{} fails to connect ({})", c.client, codes.join(", ")),
            reasons.join("\n"),
        ));
    }
    None
}

impl JunitOut {
    pub fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let cases: usize = report
            .gateways
            .iter()
            .map(|g| g.clients.len())
            .sum::<usize>()
            + errors.len();
        let client_failures = report
            .gateways
            .iter()
            .flat_map(|g| &g.clients)
            .filter(|c| failure(c).is_some())
            .count();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="p2s-sim" tests="{cases}" failures="{}">"#,
            client_failures + errors.len()
        )?;
        for g in &report.gateways {
            let failed = g.clients.iter().filter(|c| failure(c).is_some()).count();
            writeln!(
                out,
                r#"  <testsuite name="gateway {}" tests="{}" failures="{failed}">"#,
                escape(&g.name),
                g.clients.len()
            )?;
            for c in &g.clients {
                let open = format!(
                    r#"    <testcase classname="{}" name="{}""#,
                    escape(&g.name),
                    escape(&c.client)
                );
                match failure(c) {
                    None => writeln!(out, "{open}/>")?,
                    Some((message, detail)) => {
                        writeln!(out, "{open}>")?;
                        writeln!(
                            out,
                            r#"      <failure message="{}" type="{}">{}</failure>"#,
                            escape(&message),
                            if c.check.is_over() {
                                "over-limit"
                            } else {
                                "fails"
                            },
                            escape(&detail)
                        )?;
                        writeln!(out, "    </testcase>")?;
                    }
                }
            }
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(
            out,
            r#"  <testsuite name="findings" tests="{0}" failures="{0}">"#,
            errors.len()
        )?;
        for f in &errors {
            writeln!(
                out,
                r#"    <testcase classname="findings.{}" name="{} {}">"#,
                escape(&f.code),
                escape(&f.code),
                escape(&f.subject)
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">source: {}</failure>"#,
                escape(&f.message),
                escape(&f.code),
                escape(&f.source)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }
}
