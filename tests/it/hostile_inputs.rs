//! Hostile sizes (issue 15): every input here is generated in the test, is refused with exit
//! code 2 and a message that names the file, the place and the limit, and never crashes the
//! process. No wall-clock bounds: `benches/hostile-sizes.sh` measures peak memory.

use std::path::Path;

use serde_json::{json, Value};

use crate::helpers::*;

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

fn template(variables: Value, resources: Value) -> String {
    json!({
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "variables": variables,
        "resources": resources,
    })
    .to_string()
}

/// A VNet whose first address prefix is `prefix` (usually an expression), with extra properties.
fn vnet(prefix: &str, extra: Value) -> Value {
    let mut props = json!({"addressSpace": {"addressPrefixes": [prefix]}});
    if let (Value::Object(p), Value::Object(e)) = (&mut props, extra) {
        p.extend(e);
    }
    json!({
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": "2023-09-01",
        "name": "hub",
        "location": "westeurope",
        "properties": props,
    })
}

/// Runs `p2s-sim ARGS... FILE` on `text` written to `name`; asserts exit 2 and that stderr
/// names the file and contains every `needle`; returns stderr.
fn refused(name: &str, text: &str, args: &[&str], needles: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    refused_path(&write(dir.path(), name, text), args, needles)
}

fn refused_path(path: &Path, args: &[&str], needles: &[&str]) -> String {
    let stderr = p2s(args).arg(path).expect_code(2).stderr().to_owned();
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(
        stderr.contains(&*name),
        "the message names the file: {stderr}"
    );
    for n in needles {
        assert!(stderr.contains(n), "expected {n:?} in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn expression_nested_13000_calls_deep_is_refused_with_a_short_message() {
    let n = 13_000;
    let deep = format!("[{}'a'{}]", "concat(".repeat(n), ")".repeat(n));
    let text = template(
        json!({"v0": deep}),
        json!([vnet("[variables('v0')]", json!({}))]),
    );
    let stderr = refused(
        "deep.json",
        &text,
        &["analyze"],
        &[
            "resources[0].properties.addressSpace.addressPrefixes[0]",
            "nests calls more than 64 levels deep",
            "characters)",
        ],
    );
    // The 104 KB expression is quoted cut to a readable length, not echoed.
    assert!(stderr.len() < 1_500, "{} bytes: {stderr}", stderr.len());
}

#[test]
fn expression_nested_directly_in_a_resource_is_refused() {
    let n = 13_000;
    let deep = format!("[{}'10.0.0.0/16'{}]", "concat(".repeat(n), ")".repeat(n));
    let stderr = refused(
        "deep-inline.json",
        &template(json!({}), json!([vnet(&deep, json!({}))])),
        &["analyze"],
        &["nests calls more than 64 levels deep"],
    );
    assert!(stderr.len() < 1_500, "{} bytes: {stderr}", stderr.len());
}

#[test]
fn chain_of_thousands_of_variables_is_refused() {
    let mut vars = serde_json::Map::new();
    for i in 0..5_000 {
        vars.insert(format!("v{i}"), json!(format!("[variables('v{}')]", i + 1)));
    }
    vars.insert("v5000".into(), json!("10.0.0.0/16"));
    let stderr = refused(
        "chain.json",
        &template(
            Value::Object(vars),
            json!([vnet("[variables('v0')]", json!({}))]),
        ),
        &["analyze"],
        &[
            "refer to each other more than 64 deep",
            "addressPrefixes[0]",
        ],
    );
    assert!(stderr.len() < 1_500, "{} bytes: {stderr}", stderr.len());
}

#[test]
fn chain_of_parameters_defaults_is_refused() {
    let mut params = serde_json::Map::new();
    for i in 0..3_000 {
        params.insert(
            format!("p{i}"),
            json!({"type": "string", "defaultValue": format!("[parameters('p{}')]", i + 1)}),
        );
    }
    params.insert(
        "p3000".into(),
        json!({"type": "string", "defaultValue": "10.0.0.0/16"}),
    );
    let text = json!({
        "$schema": SCHEMA,
        "parameters": params,
        "resources": [vnet("[parameters('p0')]", json!({}))],
    })
    .to_string();
    refused(
        "params.json",
        &text,
        &["analyze"],
        &["refer to each other more than 64 deep"],
    );
}

#[test]
fn variable_doubling_itself_60_times_is_refused() {
    let mut vars = serde_json::Map::new();
    vars.insert("v0".into(), json!("aaaaaaaaaaaaaaaa"));
    for i in 1..=60 {
        vars.insert(
            format!("v{i}"),
            json!(format!(
                "[concat(variables('v{0}'), variables('v{0}'))]",
                i - 1
            )),
        );
    }
    refused(
        "grow.json",
        &template(
            Value::Object(vars),
            json!([vnet("[variables('v60')]", json!({}))]),
        ),
        &["analyze"],
        &["at most 64 MiB per value", "addressPrefixes[0]"],
    );
}

#[test]
fn list_doubling_itself_with_union_and_concat_is_refused() {
    let mut vars = serde_json::Map::new();
    vars.insert("v0".into(), json!("[range(0, 10000)]"));
    for i in 1..=40 {
        vars.insert(
            format!("v{i}"),
            json!(format!(
                "[concat(variables('v{0}'), variables('v{0}'))]",
                i - 1
            )),
        );
    }
    vars.insert(
        "u".into(),
        json!("[union(variables('v40'), variables('v40'))]"),
    );
    refused(
        "grow-list.json",
        &template(
            Value::Object(vars),
            json!([vnet("[string(length(variables('u')))]", json!({}))]),
        ),
        &["analyze"],
        &["MiB"],
    );
}

#[test]
fn replace_format_split_and_json_cannot_blow_up() {
    let big = "a".repeat(10_000);
    for (name, expr) in [
        (
            "replace.json",
            format!("[replace(padLeft('', 10000, 'a'), 'a', '{big}')]"),
        ),
        (
            "replace-empty.json",
            format!("[replace(padLeft('', 10000, 'a'), '', '{big}')]"),
        ),
        (
            "format.json",
            format!("[format('{}', '{big}')]", "{0}".repeat(8_000)),
        ),
    ] {
        refused(
            name,
            &template(json!({}), json!([vnet(&expr, json!({}))])),
            &["analyze"],
            &["at most 64 MiB per value", "addressPrefixes[0]"],
        );
    }
    // 60 MB of commas would split into 60 million pieces.
    let mut vars = serde_json::Map::new();
    vars.insert(
        "c".into(),
        json!(format!(
            "[replace(padLeft('', 10000, ','), ',', '{}')]",
            ",".repeat(6_000)
        )),
    );
    vars.insert("s".into(), json!("[split(variables('c'), ',')]"));
    refused(
        "split.json",
        &template(
            Value::Object(vars),
            json!([vnet("[string(length(variables('s')))]", json!({}))]),
        ),
        &["analyze"],
        &["MiB"],
    );
    let mut vars = serde_json::Map::new();
    vars.insert(
        "z".into(),
        json!(format!(
            "[replace(padLeft('', 10000, 'z'), 'z', '{}')]",
            "0,".repeat(400)
        )),
    );
    vars.insert(
        "j".into(),
        json!("[json(concat('[', variables('z'), '0]'))]"),
    );
    refused(
        "json.json",
        &template(
            Value::Object(vars),
            json!([vnet("[string(length(variables('j')))]", json!({}))]),
        ),
        &["analyze"],
        &["json(): the text is", "MiB"],
    );
}

#[test]
fn copy_counts_beyond_arms_800_are_refused_at_every_level() {
    let subnet = json!({"name": "[concat('s', copyIndex('subnets'))]", "properties": {"addressPrefix": "10.0.0.0/24"}});
    // Property copy, even on a property the analysis would not need.
    refused(
        "property-copy.json",
        &template(
            json!({}),
            json!([vnet(
                "10.0.0.0/16",
                json!({"copy": [{"name": "subnets", "count": 1_000_000_000u64, "input": subnet}]})
            )]),
        ),
        &["analyze"],
        &[
            "resources[0]",
            "property copy loop 'subnets'",
            "copy count 1000000000 is out of ARM's range 0..800",
        ],
    );
    // Variable copy.
    refused(
        "variable-copy.json",
        &template(
            json!({"copy": [{"name": "many", "count": 1_000_000_000u64, "input": "x"}]}),
            json!([vnet(
                "10.0.0.0/16",
                json!({"tags": {"n": "[length(variables('many'))]"}})
            )]),
        ),
        &["analyze"],
        &["variables.copy 'many'", "out of ARM's range 0..800"],
    );
    // Resource copy.
    let mut r = vnet("10.0.0.0/16", json!({}));
    r["name"] = json!("[concat('v', copyIndex())]");
    r["copy"] = json!({"name": "vnets", "count": 9_223_372_036_854_775_807i64});
    refused(
        "resource-copy.json",
        &template(json!({}), json!([r])),
        &["analyze"],
        &["resources[0].copy.count", "out of ARM's range 0..800"],
    );
}

#[test]
fn nested_copy_loops_within_800_each_stop_at_the_template_budget() {
    // Property copies nested four deep: 800^4 items.
    let mut inner = json!({"x": "abcdefgh"});
    for d in 0..4 {
        inner = json!({"copy": [{"name": format!("l{d}"), "count": 800, "input": inner}]});
    }
    refused(
        "nested-property-copy.json",
        &template(
            json!({}),
            json!([vnet("10.0.0.0/16", json!({"tags": inner}))]),
        ),
        &["analyze"],
        &["resources[0]", "more than 256 MiB of values"],
    );
    // Resource copies with nested child resource copies: 800^3 resources.
    let child = json!({"type": "things", "name": "[concat('c', copyIndex())]", "copy": {"name": "c1", "count": 800}});
    let mut grandchild = child.clone();
    grandchild["name"] = json!("[concat('d', copyIndex())]");
    let mut child = child;
    child["resources"] = json!([grandchild]);
    let parent = json!({
        "type": "Microsoft.Storage/storageAccounts",
        "name": "[concat('p', copyIndex())]",
        "copy": {"name": "c0", "count": 800},
        "resources": [child],
    });
    refused(
        "nested-resource-copy.json",
        &template(json!({}), json!([vnet("10.0.0.0/16", json!({})), parent])),
        &["analyze"],
        &["resources[1](copy c0=", "more than 256 MiB of values"],
    );
    // Variable copies of large values.
    let vars = json!({
        "big": format!("[replace(padLeft('', 10000, 'a'), 'a', '{}')]", "a".repeat(100)),
        "copy": [{"name": "many", "count": 800, "input": "[concat(variables('big'), copyIndex('many'))]"}],
    });
    refused(
        "variable-copy-big.json",
        &template(
            vars,
            json!([vnet(
                "10.0.0.0/16",
                json!({"tags": {"a": "[length(variables('many'))]"}})
            )]),
        ),
        &["analyze"],
        &["more than 256 MiB of values"],
    );
}

fn scenario_refused(name: &str, change: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("changes:\n  - add_spokes: {change}\n");
    let out = p2s(["whatif", "--as-of", "2026-12-01", "--scenario"])
        .arg(write(dir.path(), name, &text))
        .arg("datasets/scenarios/hub-spoke.yaml")
        .expect_code(2);
    let stderr = out.stderr();
    assert!(stderr.contains(name), "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "expected {n:?} in: {stderr}");
    }
}

#[test]
fn scenario_spoke_counts_are_checked_before_anything_is_built() {
    // Near 2^63: count × prefixes_per_spoke must not wrap to 0 ("No client changes status").
    scenario_refused(
        "wrap.yaml",
        "{hub: hub-weu, count: 4611686018427387904, prefixes_per_spoke: 4}",
        &[
            "changes[0].add_spokes.count",
            "at most 1000 peerings per virtual network",
        ],
    );
    scenario_refused(
        "max.yaml",
        "{hub: hub-weu, count: 18446744073709551615, prefixes_per_spoke: 2}",
        &["changes[0].add_spokes.count", "1000 peerings"],
    );
    scenario_refused(
        "billion.yaml",
        "{hub: hub-weu, count: 1000000000, prefixes_per_spoke: 2, prefix_length: 24, base: 10.100.0.0}",
        &["changes[0].add_spokes.count", "1000 peerings"],
    );
    scenario_refused(
        "prefixes.yaml",
        "{hub: hub-weu, count: 2, prefixes_per_spoke: 9223372036854775807, prefix_length: 30, base: 0.0.0.0}",
        &["changes[0].add_spokes.prefixes_per_spoke", "new prefixes p2s-sim adds in one step"],
    );
    scenario_refused(
        "space.yaml",
        "{hub: hub-weu, count: 500, prefixes_per_spoke: 1, prefix_length: 8, base: 10.0.0.0}",
        &[
            "changes[0].add_spokes.count",
            "more than the IPv4 address space holds (256)",
        ],
    );
}

#[test]
fn yaml_limits_are_reported_in_the_users_words() {
    let stderr = refused(
        "many.yaml",
        &format!(
            "vnets:\n{}",
            "  - {name: a, address_space: [10.0.0.0/16]}\n".repeat(60_000)
        ),
        &["analyze"],
        &["more than 250000 values", "give", "as JSON"],
    );
    assert!(!stderr.contains("budget breached"), "{stderr}");
    // Text values past the parser's 64 MiB: few values, so only the byte budget trips.
    let long = "a".repeat(1 << 20);
    let stderr = refused(
        "long-values.yaml",
        &format!(
            "vnets:\n{}",
            format!("  - {{name: {long}, address_space: [10.0.0.0/16]}}\n").repeat(66)
        ),
        &["analyze"],
        &["text values add up to more than 64 MiB", "as JSON"],
    );
    assert!(
        stderr.len() < 2_000,
        "the message quotes the input: {} bytes",
        stderr.len()
    );
    refused(
        "deep.yaml",
        &format!("vnets: {}{}\n", "[".repeat(20_000), "]".repeat(20_000)),
        &["analyze"],
        &["line 1", "nests lists or mappings too deeply"],
    );
    let lol = {
        let mut t = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for i in 1..10u8 {
            let (c, p) = ((b'a' + i) as char, (b'a' + i - 1) as char);
            t += &format!("{c}: &{c} [{}]\n", vec![format!("*{p}"); 9].join(","));
        }
        t + &format!("vnets: [{}]\n", vec!["*j"; 200].join(","))
    };
    p2s(["analyze", "-"]).stdin(lol).expect_code(2);
}
