//! `convert` round trips (convert → analyze equals analyze of the original) and the command
//! line of the input options (`--input-format`, `--param`, `--parameters`, `--verbose`).

use std::path::PathBuf;

use predicates::prelude::*;

use p2s_sim::engine::analyze;
use p2s_sim::model::Topology;
use p2s_sim::read::{load, ReadOptions, Source};
use p2s_sim::report::{ListLimit, Report};

use crate::helpers::*;

fn local(name: &str) -> PathBuf {
    repo().join("datasets/samples").join(name)
}

fn report(t: &Topology) -> Report {
    Report::new(&analyze(t), Vec::new(), ListLimit::UNLIMITED)
}

/// Loads, converts to native YAML and JSON text, reads that back: same topology, same report.
fn round_trip(sources: &[Source], params: &[(&str, &str)]) {
    let loaded = load(sources, &read_options(params)).unwrap_or_else(|e| panic!("{e}"));
    let native = p2s_sim::read::to_native(&loaded);
    for (name, text) in [
        ("converted.yaml", serde_saphyr::to_string(&native).unwrap()),
        (
            "converted.json",
            serde_json::to_string_pretty(&native).unwrap(),
        ),
    ] {
        let back = load(
            &[Source {
                name: name.into(),
                text: text.clone(),
            }],
            &ReadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
        // Everything, the readers' assumptions and the VNets outside the input included: the
        // converted file reports what the exports did.
        assert_eq!(back.topology, loaded.topology, "{name}:\n{text}");
        assert_eq!(report(&back.topology), report(&loaded.topology));
    }
}

#[test]
fn convert_round_trips_local_samples() {
    round_trip(
        &[file_source(&local("qs-point-to-site-aad.azuredeploy.json"))],
        &[],
    );
    round_trip(
        &[file_source(&local(
            "qs-vnet-to-vnet-peering.azuredeploy.json",
        ))],
        &[],
    );
    round_trip(
        &[file_source(&local(
            "2023-09-01_VirtualNetworkPeeringList.json",
        ))],
        &[],
    );
    round_trip(
        &[
            file_source(&local("2023-09-01_VirtualNetworkGatewayConnectionGet.json")),
            file_source(&local("2023-09-01_VirtualNetworkGatewayGet.json")),
            file_source(&local("2024-05-01_LocalNetworkGatewayGet.json")),
        ],
        &[],
    );
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn convert_round_trips_shared_samples() {
    let dir = shared_samples();
    let t = |n: &str| file_source(&dir.join("arm-templates").join(n));
    round_trip(
        &[t("qs-hub-and-spoke-sandbox.azuredeploy.json")],
        &[("deployVpnGateway", "Yes")],
    );
    round_trip(&[t("qs-site-to-site-vpn-fqdn-bgp.azuredeploy.json")], &[]);
    round_trip(&[t("qs-vnet-transitive-bgp.azuredeploy.json")], &[]);
    round_trip(
        &[t("qs-point-to-site.azuredeploy.json")],
        &[
            ("virtualNetworkName", "v"),
            ("vnetAddressPrefix", "10.50.0.0/16"),
            ("gatewayName", "g"),
            ("gatewaySku", "VpnGw2"),
            ("vpnClientAddressPoolPrefix", "172.20.0.0/22"),
        ],
    );
    for r in [
        "test_network_vnet_gateway_ipsec.yaml",
        "test_network_vnet_peering.yaml",
        "test_network_active_active_vnet_connection.yaml",
    ] {
        round_trip(
            &[file_source(&dir.join("azure-cli-recordings").join(r))],
            &[],
        );
    }
}

#[test]
fn convert_round_trips_the_native_datasets() {
    // Every native scenario file that loads (some are error fixtures) survives the round trip.
    let dir = repo().join("datasets");
    let mut done = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let s = file_source(&path);
                if load(std::slice::from_ref(&s), &ReadOptions::default()).is_ok() {
                    round_trip(&[s], &[]);
                    done += 1;
                }
            }
        }
    }
    assert!(done > 0);
}

// ------------------------------------------------------------------------------------------
// Command line

#[test]
fn cli_convert_then_analyze_gives_the_same_json() {
    let input = local("qs-point-to-site-aad.azuredeploy.json");
    let direct = p2s_sim()
        .args(["analyze", "--as-of", "2026-12-01", "--format", "json"])
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    for to in ["yaml", "json"] {
        let converted = p2s_sim()
            .args(["convert", "--to", to])
            .arg(&input)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("native.{to}"));
        std::fs::write(&file, &converted).unwrap();
        let again = p2s_sim()
            .args(["analyze", "--as-of", "2026-12-01", "--format", "json"])
            .arg(&file)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let a: serde_json::Value = serde_json::from_slice(&direct).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&again).unwrap();
        assert_eq!(a, b, "--to {to}");
        assert!(a["gateways"][0]["name"] == "VNet1GW", "{a}");
    }
}

#[test]
fn cli_skipped_summary_and_verbose() {
    let input = local("qs-point-to-site-aad.azuredeploy.json");
    p2s_sim()
        .arg("analyze")
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "skipped 1 resource(s) that do not affect P2S routes: 1 publicIPAddresses (--verbose lists them)",
        ));
    p2s_sim()
        .args(["convert", "--verbose"])
        .arg(&input)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("read as ARM template (template)").and(
                predicate::str::contains("Microsoft.Network/publicIPAddresses /subscriptions/"),
            ),
        );
}

#[test]
fn cli_template_parameters() {
    let input = local("qs-point-to-site-aad.azuredeploy.json");
    p2s_sim()
        .args([
            "convert",
            "--to",
            "json",
            "--param",
            "virtualNetworkPrefix=10.9.0.0/16",
        ])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains("10.9.0.0/16"));
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("p.json");
    std::fs::write(
        &params,
        r#"{"parameters": {"virtualNetworkPrefix": {"value": "10.8.0.0/16"}, "gatewaySku": {"value": "Standard"}}}"#,
    )
    .unwrap();
    p2s_sim()
        .args(["convert", "--parameters"])
        .arg(&params)
        .args(["--param", "gatewaySku=HighPerformance"])
        .arg(&input)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("10.8.0.0/16")
                .and(predicate::str::contains("HighPerformance")),
        );
    // The template allows only Standard and HighPerformance (its allowedValues).
    p2s_sim()
        .args(["convert", "--param", "gatewaySku=VpnGw2"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "parameter 'gatewaySku' is \"VpnGw2\", which the template does not allow \
             (allowedValues: \"Standard\", \"HighPerformance\")",
        ));
    p2s_sim()
        .args(["convert", "--param", "noEquals"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=VALUE"));
    p2s_sim()
        .args(["analyze", "--param", "virtualNetworkPrefix=10.999.0.0/16"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("resources[0].properties.addressSpace.addressPrefixes[0]")
                .and(predicate::str::contains("10.999.0.0/16")),
        );
}

#[test]
fn cli_input_format_forces_a_reader() {
    let input = local("2024-05-01_LocalNetworkGatewayGet.json");
    p2s_sim()
        .args(["convert", "--input-format", "native"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field"));
    p2s_sim()
        .args(["convert", "--input-format", "rest"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains("localgw"));
}

#[test]
fn cli_powershell_utf16_file_is_read() {
    let text = r#"[{"Name": "hub", "ResourceGroupName": "rg", "Id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub", "AddressSpace": {"AddressPrefixes": ["10.0.0.0/16"]}}]"#;
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vnets.json");
    std::fs::write(&file, bytes).unwrap();
    p2s_sim()
        .arg("convert")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("10.0.0.0/16"));
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn cli_recording_is_read_with_a_note() {
    let dir = shared_samples();
    p2s_sim()
        .arg("analyze")
        .arg(dir.join("azure-cli-recordings/test_network_vnet_gateway_ipsec.yaml"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "read as a vcrpy test recording, not an export",
        ))
        .stdout(predicate::str::contains("40.1.0.0/25"));
}

#[test]
fn cli_bad_input_exits_2_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "truncated.json",
            r#"{"Id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v", "ResourceGroupName": "r", "AddressSpace": "Microsoft.Azure.Commands.Network.Models.PSAddressSpace"}"#,
            "-Depth 10",
        ),
        ("garbage.json", "{\"a\": [1, 2", "not valid JSON"),
        (
            "unknown.json",
            r#"{"hello": "world"}"#,
            "cannot tell what this JSON is",
        ),
        (
            "recording.yaml",
            "interactions:\n  - request: 5\n",
            "not a readable vcrpy recording",
        ),
    ];
    for (name, text, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        p2s_sim()
            .arg("analyze")
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected).and(predicate::str::contains(name)));
    }
}

/// ARM templates may carry `//` and `/* */` comments (Resource Manager accepts them; real
/// templates put them before the opening brace too): read as if they were not there, with a
/// `//` inside a string kept, and a later error still at the file's own line and column.
#[test]
fn arm_template_with_comments() {
    let template = r#"// Deploys a P2S gateway.
/* Parameters
   come first. */
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "pool": {"type": "string", "defaultValue": "172.16.8.0/24"} // the client pool
  },
  "resources": [
    {
      "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "hub",
      "properties": {"addressSpace": {"addressPrefixes": ["10.8.0.0/16" /* one prefix */]}}
    },
    {
      "type": "Microsoft.Network/virtualNetworkGateways", "apiVersion": "2023-09-01",
      "name": "hub-gw",
      "properties": {
        "gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw1AZ"},
        "ipConfigurations": [{"name": "c", "properties": {"subnet": {"id":
          "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'GatewaySubnet')]"}}}],
        "vpnClientConfiguration": {
          "vpnClientAddressPool": {"addressPrefixes": ["[parameters('pool')]"]},
          "vpnClientProtocols": ["IkeV2", "OpenVPN"],
          "vpnAuthenticationTypes": ["Certificate"]
        }
      }
    }
  ]
}
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "commented.json", template);
    let report = p2s(["analyze", "--format", "json", "--as-of", "2026-12-01"])
        .arg(&file)
        .expect_code(0)
        .json();
    let gateway = &report["gateways"][0];
    assert_eq!(gateway["name"], "hub-gw");
    // IKEv2 + OpenVPN: no split (spec §4); own VNet + pool = 2 selectors for every kind.
    assert_eq!(
        gateway["advertised"],
        serde_json::json!(["10.8.0.0/16", "172.16.8.0/24"])
    );
    // The same template with a bad prefix on line 13: the error is at line 13, column 59, as in
    // the file (the comments before it take their place).
    let broken = template.replace("\"10.8.0.0/16\" /*", "\"10.8.0.1/16\" /*");
    let file = write(dir.path(), "broken.json", &broken);
    let line = broken.lines().nth(12).unwrap();
    let column = line.find("\"10.8.0.1/16\"").unwrap() + 1;
    assert_eq!((column, line.contains("10.8.0.1/16")), (59, true));
    let out = p2s(["analyze"]).arg(&file).expect_code(2);
    assert!(
        out.stderr().contains("line 13, column 59"),
        "{}",
        out.stderr()
    );
}
