//! `--format html`: escaping of hostile names (the page read back as XML), and the page
//! rendered in headless Chromium with its DOM compared with the JSON report of the same run.

use serde_json::Value;

use crate::helpers::*;

const AS_OF: &str = "2026-12-01";
const HUB_SPOKE: &str = "datasets/scenarios/hub-spoke.yaml";
const HOSTILE: &str = "tests/data/hostile-names.yaml";

fn output(args: &[&str]) -> String {
    p2s(["analyze", "--as-of", AS_OF]).args(args).stdout_ok()
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
    p2s([
        "sweep",
        HUB_SPOKE,
        "--add-spokes",
        "0..40:2",
        "--format",
        format,
    ])
    .stdout_ok()
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
}

const LEGACY_PLAN: &str = "tests/review_change_cases/inputs/legacy-limit.plan.json";

fn review(format: &str) -> String {
    p2s(["review", "--as-of", AS_OF, LEGACY_PLAN, "--format", format]).stdout_ok()
}

/// Facts of a review page that the JSON review of the same run also gives.
fn review_facts_match(name: &str, page: &str, json: &Value) {
    let count = |needle: &str| page.matches(needle).count();
    let gateways = json["comparison"]["gateways"].as_array().unwrap();
    assert_eq!(
        count("<section class=\"gateway\""),
        gateways.len(),
        "{name}"
    );
    let clients: Vec<&Value> = gateways
        .iter()
        .flat_map(|g| g["clients"].as_array().unwrap())
        .collect();
    assert_eq!(count("<tr data-client="), clients.len(), "{name}");
    let over_after = clients
        .iter()
        .filter(|c| c["after"]["status"] == "over-limit")
        .count();
    assert_eq!(
        count("<g class=\"bar after over-limit\""),
        over_after,
        "{name}"
    );
    assert_eq!(
        count("data-status-after=\"over-limit\""),
        over_after,
        "{name}"
    );
    assert_eq!(
        count("<li class=\"worse\">"),
        json["worse"].as_array().unwrap().len(),
        "{name}"
    );
    assert_eq!(
        count("<li class=\"verdict-change\">"),
        json["verdict_changes"].as_array().unwrap().len(),
        "{name}"
    );
    for (id, key) in [
        ("findings-added", "findings_added"),
        ("findings-removed", "findings_removed"),
    ] {
        let start = page.find(&format!("<section id=\"{id}\">")).unwrap();
        let section = &page[start..start + page[start..].find("</section>").unwrap()];
        let findings = json[key].as_array().unwrap();
        assert_eq!(
            section.matches("<article class=\"finding ").count(),
            findings.len(),
            "{name} {id}"
        );
        for f in findings {
            assert!(
                section.contains(&format!("data-code=\"{}\"", f["code"].as_str().unwrap())),
                "{name} {id}"
            );
        }
    }
    let reach = json["reachability"].as_array().unwrap();
    assert_eq!(count("<div class=\"reach\""), reach.len(), "{name}");
    for c in reach {
        let marker = format!(
            "data-gateway=\"{}\" data-client=\"{}\" data-lost=\"{}\" data-gained=\"{}\"",
            c["gateway"].as_str().unwrap(),
            c["client"].as_str().unwrap(),
            c["lost"].as_array().unwrap().len(),
            c["gained"].as_array().unwrap().len()
        );
        assert!(page.contains(&marker), "{name}: {marker}");
    }
}

#[test]
fn review_page_has_before_after_bars_findings_and_reachability() {
    let html = review("html");
    texts_and_attributes(&html);
    let json: Value = serde_json::from_str(&review("json")).unwrap();
    review_facts_match("review", &html, &json);
    // By hand (tests/review_change_cases/cross-the-legacy-windows-limit.yaml): spoke-a grows
    // from 1 to 24 prefixes, so every client kind of hub-gw goes from 3 to 26 selectors;
    // legacy Windows (25) goes over and fails, and then reaches nothing of its 10.0.0.0/15.
    assert!(html.contains("<g class=\"bar before\" data-selectors=\"3\" data-limit=\"25\">"));
    assert!(
        html.contains("<g class=\"bar after over-limit\" data-selectors=\"26\" data-limit=\"25\">")
    );
    assert_eq!(html.matches("<g class=\"pair\"").count(), 6);
    assert!(html.contains(
        "data-gateway=\"hub-gw\" data-client=\"windows-ikev2-legacy\" data-lost=\"1\" data-gained=\"0\""
    ));
    assert_eq!(html.matches("data-lost=\"0\" data-gained=\"5\"").count(), 5);
    assert!(html.contains("<article class=\"finding warning\" data-code=\"LIM005\""));
    assert!(html.contains(
        "<li class=\"verdict-change\">hub-gw windows-ikev2-legacy: connects → fails</li>"
    ));
    assert!(html.contains("<li class=\"resource\">update azurerm_virtual_network.spoke_a</li>"));
    // The summary is the table's first line.
    let (texts, _) = texts_and_attributes(&html);
    let table = review("table");
    let first = table.lines().next().unwrap();
    assert!(
        first.starts_with("this change breaks windows-ikev2-legacy on hub-gw (3 → 26 selectors")
    );
    assert!(texts.iter().any(|t| t == first), "{first}");
    assert!(html.contains("<p id=\"summary\" class=\"bad\">"));
}

fn headroom(args: &[&str]) -> String {
    p2s(["headroom"]).args(args).stdout_ok()
}

/// Facts of a headroom page that the JSON of the same run also gives.
fn headroom_facts_match(name: &str, page: &str, json: &Value) {
    let count = |needle: &str| page.matches(needle).count();
    let rooms = json.as_array().unwrap();
    assert_eq!(count("<section class=\"gateway\""), rooms.len(), "{name}");
    let limits: Vec<&Value> = rooms
        .iter()
        .flat_map(|g| g["limits"].as_array().unwrap())
        .collect();
    assert_eq!(count("<g class=\"bar "), limits.len(), "{name}");
    assert_eq!(count("<tr data-name="), limits.len(), "{name}");
    let over = limits.iter().filter(|l| l["over"] == true).count();
    assert_eq!(count("<g class=\"bar over-limit\""), over, "{name}");
    assert_eq!(count("data-status=\"over-limit\""), over, "{name}");
    for l in &limits {
        let row = format!(
            "data-prefixes=\"{}\" data-spokes=\"{}\"",
            l["prefixes"], l["spokes"]
        );
        assert!(page.contains(&row), "{name}: {row}");
    }
    assert_eq!(
        count("<p class=\"first-crossed\""),
        rooms
            .iter()
            .filter(|g| g["first_crossed"].is_string())
            .count(),
        "{name}"
    );
}

#[test]
fn headroom_page_has_a_bar_per_limit_and_says_what_goes_first() {
    // By hand: hub-spoke's clients have 12 selectors; legacy Windows (25) has 13 left, the
    // other IKEv2 kinds (255) 243; 5 VNet prefixes of 600 leave 595. With 3 prefixes a spoke,
    // 13 prefixes are 4 spokes.
    let html = headroom(&["--format", "html", "-k", "3", HUB_SPOKE]);
    texts_and_attributes(&html);
    let json: Value =
        serde_json::from_str(&headroom(&["--format", "json", "-k", "3", HUB_SPOKE])).unwrap();
    headroom_facts_match("hub-spoke", &html, &json);
    assert!(html.contains(
        "<p id=\"summary\" class=\"ok\">hub-weu-gw: first limit crossed: windows-ikev2-legacy, \
         13 more prefixes fit (4 more spokes of 3)</p>"
    ));
    assert!(html.contains(
        "<g class=\"bar ok\" data-name=\"windows-ikev2-legacy\" data-used=\"12\" data-max=\"25\">"
    ));
    assert!(html.contains(
        "<tr data-name=\"vnet-prefixes\" data-status=\"ok\" data-prefixes=\"595\" data-spokes=\"198\">"
    ));
    // Over the limit already (28 of 25), with a name that needs escaping.
    let html = headroom(&["--format", "html", HOSTILE]);
    let (texts, attrs) = texts_and_attributes(&html);
    assert!(texts
        .concat()
        .contains("gw<1>&'x: windows-ikev2-legacy over its limit (28 / 25)"));
    assert!(attrs.contains(&("data-gateway".into(), "gw<1>&'x".into())));
    assert!(html.contains("<p id=\"summary\" class=\"bad\">"));
    assert!(html.contains(
        "<g class=\"bar over-limit\" data-name=\"windows-ikev2-legacy\" data-used=\"28\" data-max=\"25\">"
    ));
    let json: Value = serde_json::from_str(&headroom(&["--format", "json", HOSTILE])).unwrap();
    headroom_facts_match("hostile-names", &html, &json);
}

fn whatif(format: &str) -> String {
    p2s(["whatif", "--as-of", AS_OF, HUB_SPOKE, "--scenario"])
        .args(["datasets/whatif/add-40-spokes.yaml", "--format", format])
        .stdout_ok()
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

/// Renders `html` in headless Chromium: the DOM as Chromium serialises it, after checking that
/// the page logged nothing to the console; a screenshot goes to `target/html-report/NAME.png`.
fn render_in_chromium(dir: &std::path::Path, name: &str, html: &str) -> String {
    let shots = repo().join("target/html-report");
    std::fs::create_dir_all(&shots).unwrap();
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
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
    dom
}

#[test]
#[cfg_attr(not(chromium), ignore = "needs chromium")]
fn rendered_in_chromium_the_dom_matches_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    for (name, file) in [("hub-spoke", HUB_SPOKE), ("hostile-names", HOSTILE)] {
        let dom = render_in_chromium(dir.path(), name, &output(&["--format", "html", file]));
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
    }
    // `review`: the DOM against the JSON review of the same change, the summary against the
    // table's first line.
    let dom = render_in_chromium(dir.path(), "review", &review("html"));
    let json: Value = serde_json::from_str(&review("json")).unwrap();
    review_facts_match("review", &dom, &json);
    assert_eq!(
        element_text(&dom, "<p id=\"summary\""),
        json["summary"].as_str().unwrap()
    );
    assert_eq!(
        element_text(&dom, "<p id=\"summary\""),
        review("table").lines().next().unwrap()
    );
    // `headroom`: bars and rows against the JSON; the summary names each gateway's first
    // limit and what still fits of it.
    for (name, file) in [("headroom", HUB_SPOKE), ("headroom-hostile-names", HOSTILE)] {
        let dom = render_in_chromium(dir.path(), name, &headroom(&["--format", "html", file]));
        let json: Value = serde_json::from_str(&headroom(&["--format", "json", file])).unwrap();
        headroom_facts_match(name, &dom, &json);
        let summary = element_text(&dom, "<p id=\"summary\"");
        for g in json.as_array().unwrap() {
            let first = g["first_crossed"].as_str().unwrap();
            let l = g["limits"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["limit"] == first)
                .unwrap();
            let part = if l["over"] == true {
                format!(
                    "{}: {first} over its limit ({} / {})",
                    g["gateway"].as_str().unwrap(),
                    l["used"],
                    l["max"]
                )
            } else {
                format!(
                    "{}: first limit crossed: {first}, {} more",
                    g["gateway"].as_str().unwrap(),
                    l["prefixes"]
                )
            };
            assert!(summary.contains(&part), "{name}: {summary} / {part}");
        }
    }
}
