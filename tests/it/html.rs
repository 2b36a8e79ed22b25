//! `--format html`: escaping of hostile names (the page read back as XML), and the page
//! rendered in headless Chromium with its DOM compared with the JSON report of the same run.

use serde_json::Value;

use crate::helpers::*;

const AS_OF: &str = "2026-12-01";
const HUB_SPOKE: &str = "datasets/scenarios/hub-spoke.yaml";
const HOSTILE: &str = "tests/data/hostile-names.yaml";

fn output(args: &[&str]) -> String {
    let out = p2s_sim()
        .args(["analyze", "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every text node and attribute value of a well-formed page, unescaped.
fn texts_and_attributes(html: &str) -> (Vec<String>, Vec<(String, String)>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    let (mut texts, mut attrs) = (Vec::new(), Vec::new());
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed: {e}"))
        {
            Event::Start(e) | Event::Empty(e) => {
                for a in e.attributes() {
                    let a = a.unwrap();
                    attrs.push((
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .to_string(),
                    ));
                }
            }
            Event::Text(t) => texts.push(t.decode().unwrap().to_string()),
            Event::GeneralRef(r) => {
                // quick-xml reports entities apart from the text around them.
                let name = String::from_utf8(r.to_vec()).unwrap();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "#39" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                texts.push(c.to_string());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (texts, attrs)
}

#[test]
fn hostile_names_are_escaped_everywhere() {
    let html = output(&["--format", "html", HOSTILE]);
    // The raw names never appear as markup.
    for raw in ["gw<1>", "h<&\"q", "<1>&'x"] {
        assert!(!html.contains(raw), "unescaped {raw}");
    }
    assert!(
        html.contains("gw&lt;1&gt;&amp;&#39;x"),
        "escaped gateway name"
    );
    let (texts, attrs) = texts_and_attributes(&html);
    let text = texts.concat();
    assert!(text.contains("Gateway gw<1>&'x"), "{text}");
    assert!(text.contains("(VNet h<&\"q)"), "{text}");
    assert!(attrs.contains(&("data-gateway".into(), "gw<1>&'x".into())));
    // Self-contained: nothing is fetched.
    for tag in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(tag), "{tag}");
    }
    // The chart marks the over-limit client.
    assert!(html.contains("class=\"bar over-limit\" data-client=\"windows-ikev2-legacy\" data-selectors=\"28\" data-limit=\"25\""));
}

fn sweep(format: &str) -> String {
    let out = p2s_sim()
        .args([
            "sweep",
            HUB_SPOKE,
            "--add-spokes",
            "0..40:2",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sweep_page_marks_the_first_breaking_step() {
    let html = sweep("html");
    texts_and_attributes(&html);
    let json: Value = serde_json::from_str(&sweep("json")).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(html.matches("<tr data-step=").count(), rows.len());
    for f in json["first_breaking"].as_array().unwrap() {
        let marker = format!(
            "class=\"first-break\" data-client=\"{}\" data-step=\"{}\"",
            f["client"].as_str().unwrap(),
            f["step"]
        );
        assert_eq!(html.contains(&marker), f["step"].is_u64(), "{marker}");
    }
    assert!(html.contains("windows-ikev2-legacy at step 14"), "{html}");
    assert!(html.contains("<g class=\"limit\" data-limit=\"25\">"));
    let err = p2s_sim()
        .args(["headroom", "--format", "html", HUB_SPOKE])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("--format html"));
}

fn whatif(format: &str) -> String {
    let out = p2s_sim()
        .args(["whatif", "--as-of", AS_OF, HUB_SPOKE, "--scenario"])
        .arg("datasets/whatif/add-40-spokes.yaml")
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn whatif_page_has_before_and_after_bars() {
    let html = whatif("html");
    texts_and_attributes(&html);
    let json: Value = serde_json::from_str(&whatif("json")).unwrap();
    let clients: Vec<&Value> = json["gateways"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["clients"].as_array().unwrap())
        .collect();
    assert_eq!(html.matches("<tr data-client=").count(), clients.len());
    let over_after = clients
        .iter()
        .filter(|c| c["after"]["status"] == "over-limit")
        .count();
    assert_eq!(
        html.matches("data-status-after=\"over-limit\"").count(),
        over_after
    );
    assert_eq!(
        html.matches("<g class=\"bar after over-limit\"").count(),
        over_after
    );
    assert!(html.contains("data-selectors=\"93\" data-limit=\"25\""));
    assert_eq!(
        html.matches("<li class=\"status-change\">").count(),
        json["status_changes"].as_array().unwrap().len()
    );
}

#[test]
fn html_is_deterministic() {
    let a = output(&["--format", "html", HUB_SPOKE]);
    let b = output(&["--format", "html", HUB_SPOKE]);
    assert_eq!(a, b);
}

/// The text between `open` and the next `</`, with the entities Chromium writes unescaped.
fn element_text(dom: &str, open: &str) -> String {
    let start = dom.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let start = start + dom[start..].find('>').unwrap() + 1;
    let end = start + dom[start..].find("</").unwrap();
    dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(chromium)]
fn chromium(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("P2S_SIM_CHROMIUM"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(args)
        .output()
        .expect("chromium runs")
}

#[cfg(not(chromium))]
fn chromium(_: &[&str]) -> std::process::Output {
    unreachable!("the test is ignored without chromium")
}

#[test]
#[cfg_attr(not(chromium), ignore = "needs chromium")]
fn rendered_in_chromium_the_dom_matches_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let shots = repo().join("target/html-report");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, file) in [("hub-spoke", HUB_SPOKE), ("hostile-names", HOSTILE)] {
        let page = dir.path().join(format!("{name}.html"));
        std::fs::write(&page, output(&["--format", "html", file])).unwrap();
        let url = format!("file://{}", page.display());
        let run = chromium(&["--dump-dom", &url]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let dom = String::from_utf8(run.stdout).unwrap();
        let log = String::from_utf8_lossy(&run.stderr);
        // The page has no script, so any console message is an error of ours.
        assert!(!log.contains(":CONSOLE"), "{name}: console output: {log}");
        let report: Value = serde_json::from_str(&output(&["--format", "json", file])).unwrap();
        let gateways = report["gateways"].as_array().unwrap();
        let clients: Vec<&Value> = gateways
            .iter()
            .flat_map(|g| g["clients"].as_array().unwrap())
            .collect();
        let count = |needle: &str| dom.matches(needle).count();
        assert_eq!(
            count("<section class=\"gateway\""),
            gateways.len(),
            "{name}"
        );
        assert_eq!(count("<tr data-client="), clients.len(), "{name}");
        let over = clients.iter().filter(|c| c["status"] != "ok").count();
        assert_eq!(count("data-status=\"over-limit\""), over, "{name}");
        let fails = clients.iter().filter(|c| c["verdict"] == "fails").count();
        assert_eq!(count("data-verdict=\"fails\""), fails, "{name}");
        let bars = clients
            .iter()
            .filter(|c| c["selectors"].is_u64() && c["limit"].is_u64())
            .count();
        assert_eq!(count("<g class=\"bar "), bars, "{name}");
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(count("<article class=\"finding "), findings.len(), "{name}");
        for sev in ["error", "warning", "info"] {
            let n = findings.iter().filter(|f| f["severity"] == sev).count();
            assert_eq!(
                count(&format!("data-severity=\"{sev}\"")),
                n,
                "{name} {sev}"
            );
        }
        let advertised: usize = gateways
            .iter()
            .map(|g| g["advertised"].as_array().map_or(0, Vec::len))
            .sum();
        let in_lists = dom
            .split("<ul class=\"prefixes advertised\">")
            .skip(1)
            .map(|s| s[..s.find("</ul>").unwrap()].matches("<li>").count())
            .sum::<usize>();
        assert_eq!(in_lists, advertised, "{name}");
        // The summary reads as the table's first line.
        let table = output(&[file]);
        assert_eq!(
            element_text(&dom, "<p id=\"summary\""),
            table.lines().next().unwrap(),
            "{name}"
        );
        let shot = shots.join(format!("{name}.png"));
        let run = chromium(&[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400",
            &url,
        ]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            std::fs::metadata(&shot)
                .map(|m| m.len() > 1000)
                .unwrap_or(false),
            "{}",
            shot.display()
        );
    }
}
