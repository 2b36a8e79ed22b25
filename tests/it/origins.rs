//! Errors name the user's file and the place in it: real exports (the copies in
//! `datasets/samples/`, byte-identical to `../shared/samples`) with one value broken, read as the
//! user would, and the exact message the builder gives — at the JSON path of the export, with the
//! resource ID, never at a native path the file does not have; in a JSON file, with the line
//! and column of that place. Each expected place was found by
//! reading the file by hand.

use p2s_sim::read::{load, ReadOptions, Source};

use crate::helpers::*;

fn sample(name: &str) -> String {
    read(&repo().join("datasets/samples").join(name))
}

/// `text` with the one occurrence of `from` replaced (the break is deliberate: exactly one).
fn broken(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from} must occur once");
    text.replacen(from, to, 1)
}

fn rejected(sources: &[Source]) -> String {
    match load(sources, &ReadOptions::default()) {
        Ok(l) => panic!("accepted: {:?}", l.topology),
        Err(e) => e.to_string(),
    }
}

const PEERINGS: &str = "2023-09-01_VirtualNetworkPeeringList.json";
const PEER2: &str = "/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1/virtualNetworkPeerings/peer2";
const VPNGW: &str =
    "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworkGateways/vpngw";

#[test]
fn a_peering_to_itself_is_named_at_its_remote_id_in_the_export() {
    // peer2 (value[1]) belongs to vnet1 and now names vnet1 as its remote.
    let text = broken(
        &sample(PEERINGS),
        "virtualNetworks/vnet3\"",
        "virtualNetworks/vnet1\"",
    );
    let e = rejected(&[text_source("selfpeer.json", &text)]);
    assert_eq!(
        e,
        format!(
            "selfpeer.json: responses.200.body.value[1].properties.remoteVirtualNetwork.id \
             (line 51, column 23): VNet 'vnet1' cannot peer with itself (resource {PEER2})"
        )
    );
}

#[test]
fn a_bad_prefix_is_named_at_its_index_in_the_export() {
    // The first "13.0.0.0/8" is peer2's remoteAddressSpace (the peered space it keeps).
    let text = sample(PEERINGS).replacen("\"13.0.0.0/8\"", "\"13.0.0.1/8\"", 1);
    let e = rejected(&[text_source("peerings.json", &text)]);
    assert_eq!(
        e,
        format!(
            "peerings.json: responses.200.body.value[1].properties.remoteAddressSpace.addressPrefixes[0] \
             (line 55, column 19): \"13.0.0.1/8\" has host bits set, which Azure rejects (InvalidCIDRNotation: for the given \
             prefix length, the address prefix should be 13.0.0.0/8); write 13.0.0.0/8 (resource {PEER2})"
        )
    );
    // The external VNet vnet3 takes its space from remoteVirtualNetworkAddressSpace: a bad value
    // there is named there, with the peering that carries it.
    let text = sample(PEERINGS);
    let second = text.match_indices("\"13.0.0.0/8\"").nth(1).unwrap().0;
    let text = format!("{}\"13.0.0.0/33\"{}", &text[..second], &text[second + 12..]);
    let e = rejected(&[text_source("peerings.json", &text)]);
    assert!(
        e.starts_with(
            "peerings.json: responses.200.body.value[1].properties.remoteVirtualNetworkAddressSpace.addressPrefixes[0] (line 60, column 19): \"13.0.0.0/33\""
        ) && e.ends_with(&format!("(resource {PEER2})")),
        "{e}"
    );
}

#[test]
fn an_unknown_sku_and_protocol_are_named_in_the_gateway_export() {
    let gateway = sample("2023-09-01_VirtualNetworkGatewayGet.json");
    let e = rejected(&[text_source(
        "gateway.json",
        &broken(&gateway, "\"name\": \"VpnGw1\"", "\"name\": \"VpnGw9\""),
    )]);
    assert_eq!(
        e,
        format!(
            "gateway.json: responses.200.body.properties.sku.name (line 86, column 21): unknown SKU 'VpnGw9'; use one of \
             Basic, Standard, HighPerformance, VpnGw1, VpnGw2, VpnGw3, VpnGw4, VpnGw5, VpnGw1AZ, \
             VpnGw2AZ, VpnGw3AZ, VpnGw4AZ or VpnGw5AZ (case does not matter) (resource {VPNGW})"
        )
    );
    // vpnClientProtocols is ["OpenVPN"] in the file.
    let e = rejected(&[text_source(
        "gateway.json",
        &broken(&gateway, "\"OpenVPN\"", "\"L2TP\""),
    )]);
    assert_eq!(
        e,
        format!(
            "gateway.json: responses.200.body.properties.vpnClientConfiguration.vpnClientProtocols[0] \
             (line 99, column 15): unknown tunnel type 'L2TP'; use one of IkeV2, SSTP or OpenVPN (case does not matter) \
             (resource {VPNGW})"
        )
    );
}

#[test]
fn a_connection_to_a_site_outside_the_input_names_the_reference() {
    let e = rejected(&[
        text_source(
            "gateway.json",
            &sample("2023-09-01_VirtualNetworkGatewayGet.json"),
        ),
        text_source(
            "connection.json",
            &sample("2023-09-01_VirtualNetworkGatewayConnectionGet.json"),
        ),
    ]);
    assert_eq!(
        e,
        "connection.json: responses.200.body.properties.localNetworkGateway2.id (line 24, column 19): refers to local \
         network gateway /subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/localNetworkGateways/localgw, \
         which is not in the input; add its export (e.g. az network local-gateway show) \
         (resource /subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/connections/connS2S)"
    );
}

#[test]
fn a_name_defined_twice_names_both_files_and_places() {
    // The az output defines vnet-test-name; a hand-written native file defines it too (native
    // files are built first, so the export's copy is the second definition).
    let native = "vnets:\n  - name: vnet-test-name\n    address_space: [10.9.0.0/16]\n";
    let e = rejected(&[
        text_source("extra.yaml", native),
        text_source(
            "vnet.json",
            &sample("scepman_az-network-vnet-create_vnet.json"),
        ),
    ]);
    assert_eq!(
        e,
        "vnet.json: newVNet (line 2, column 14): duplicate VNet name 'vnet-test-name' (first defined at extra.yaml: \
         vnets[0]); names must be unique per kind — rename one of them (resource \
         /subscriptions/12345678-aad6-4e66-82b9-ff838b489299/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet-test-name)"
    );
}

const TEMPLATE: &str = "qs-vnet-to-vnet-peering.azuredeploy.json";
const TEMPLATE_RG: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers/Microsoft.Network";

#[test]
fn template_errors_name_the_resource_in_the_template() {
    // vNet2 is resources[2]; its one prefix comes from a variable.
    let text = broken(
        &sample(TEMPLATE),
        "\"addressSpacePrefix\": \"192.168.0.0/24\"",
        "\"addressSpacePrefix\": \"192.168.0.1/24\"",
    );
    let e = rejected(&[text_source("azuredeploy.json", &text)]);
    assert_eq!(
        e,
        format!(
            "azuredeploy.json: resources[2].properties.addressSpace.addressPrefixes[0] (line 95, column 13): \"192.168.0.1/24\" \
             has host bits set, which Azure rejects (InvalidCIDRNotation: for the given prefix length, \
             the address prefix should be 192.168.0.0/24); write 192.168.0.0/24 \
             (resource {TEMPLATE_RG}/virtualNetworks/vNet2); the template computes this value as \
             \"[variables('vnet2Config').addressSpacePrefix]\""
        )
    );
    // The first peering (resources[1], vNet1's) now names vNet1 as its remote.
    let text = sample(TEMPLATE).replacen(
        "\"id\": \"[resourceId('Microsoft.Network/virtualNetworks', parameters('vnet2Name'))]\"",
        "\"id\": \"[resourceId('Microsoft.Network/virtualNetworks', parameters('vnet1Name'))]\"",
        1,
    );
    let e = rejected(&[text_source("azuredeploy.json", &text)]);
    assert_eq!(
        e,
        format!(
            "azuredeploy.json: resources[1].properties.remoteVirtualNetwork.id (line 79, column 17): VNet 'vNet1' cannot \
             peer with itself (resource {TEMPLATE_RG}/virtualNetworks/vNet1/virtualNetworkPeerings/vNet1-vNet2); \
             the template computes this value as \
             \"[resourceId('Microsoft.Network/virtualNetworks', parameters('vnet1Name'))]\" from parameter 'vnet1Name': \
             set with --param vnet1Name=VALUE or --parameters FILE"
        )
    );
}

fn terraform_state(resources: &str) -> String {
    format!(
        r#"{{"format_version": "1.0", "terraform_version": "1.7.0",
  "values": {{"root_module": {{"resources": [{resources}]}}}}}}"#
    )
}

const TF_SUB: &str = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network";

#[test]
fn terraform_errors_name_the_attribute_in_the_state_or_plan() {
    let hub = format!(
        r#"{{"address": "azurerm_virtual_network.hub", "mode": "managed", "type": "azurerm_virtual_network", "name": "hub",
            "values": {{"id": "{TF_SUB}/virtualNetworks/hub", "name": "hub", "address_space": ["10.0.0.0/16", "10.1.0.1/16"]}}}}"#
    );
    let e = rejected(&[text_source("state.json", &terraform_state(&hub))]);
    assert_eq!(
        e,
        format!(
            "state.json: values.root_module.resources[0] (azurerm_virtual_network.hub).values.address_space[1] \
             (line 3, column 165): \"10.1.0.1/16\" has host bits set, which Azure rejects (InvalidCIDRNotation: for the given \
             prefix length, the address prefix should be 10.1.0.0/16); write 10.1.0.0/16 \
             (resource {TF_SUB}/virtualNetworks/hub)"
        )
    );
    // A gateway with an ASN past 32 bits, in bgp_settings[0].
    let gateway = format!(
        r#"{{"address": "azurerm_virtual_network.hub", "mode": "managed", "type": "azurerm_virtual_network", "name": "hub",
            "values": {{"id": "{TF_SUB}/virtualNetworks/hub", "name": "hub", "address_space": ["10.0.0.0/16"]}}}},
           {{"address": "azurerm_virtual_network_gateway.gw", "mode": "managed", "type": "azurerm_virtual_network_gateway", "name": "gw",
            "values": {{"id": "{TF_SUB}/virtualNetworkGateways/gw", "name": "gw", "type": "Vpn", "sku": "VpnGw1", "enable_bgp": true,
                       "bgp_settings": [{{"asn": 4294967296}}],
                       "ip_configuration": [{{"subnet_id": "{TF_SUB}/virtualNetworks/hub/subnets/GatewaySubnet"}}]}}}}"#
    );
    let e = rejected(&[text_source("state.json", &terraform_state(&gateway))]);
    assert_eq!(
        e,
        format!(
            "state.json: values.root_module.resources[1] (azurerm_virtual_network_gateway.gw).values.bgp_settings[0].asn \
             (line 6, column 49): ASN 4294967296 is out of range; use 1..4294967295 (Azure's default is 65515) \
             (resource {TF_SUB}/virtualNetworkGateways/gw)"
        )
    );
    // A plan in which a peering of hub names hub as its remote (IDs built from the names).
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.7.0",
      "planned_values": {"root_module": {"resources": [
        {"address": "azurerm_virtual_network.hub", "mode": "managed", "type": "azurerm_virtual_network", "name": "hub",
         "values": {"name": "hub", "resource_group_name": "rg", "address_space": ["10.0.0.0/16"]}},
        {"address": "azurerm_virtual_network_peering.loop", "mode": "managed", "type": "azurerm_virtual_network_peering", "name": "loop",
         "values": {"name": "loop", "resource_group_name": "rg", "virtual_network_name": "hub"}}
      ]}},
      "configuration": {"root_module": {"resources": [
        {"address": "azurerm_virtual_network_peering.loop", "expressions": {
           "remote_virtual_network_id": {"references": ["azurerm_virtual_network.hub.id", "azurerm_virtual_network.hub"]}}}
      ]}}}"#;
    let e = rejected(&[text_source("plan.json", plan)]);
    assert_eq!(
        e,
        "plan.json: planned_values.root_module.resources[1] (azurerm_virtual_network_peering.loop).values.remote_virtual_network_id: \
         VNet 'hub' cannot peer with itself (resource \
         /subscriptions/terraform-plan/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/virtualNetworkPeerings/loop)"
    );
}

#[test]
fn powershell_errors_keep_the_keys_as_written() {
    let ps = r#"[{"Id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
      "Name": "hub", "ResourceGroupName": "rg", "Type": "Microsoft.Network/virtualNetworks",
      "AddressSpace": {"AddressPrefixes": ["10.0.0.0/16", "10.1.0.0/99"]}, "AddressSpaceText": "{}"}]"#;
    let e = rejected(&[text_source("vnets.json", ps)]);
    assert!(
        e.starts_with("vnets.json: [0].AddressSpace.AddressPrefixes[1] (line 3, column 59): \"10.1.0.0/99\"")
            && e.ends_with(
                "(resource /subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub)"
            ),
        "{e}"
    );
}

#[test]
fn the_binary_names_the_users_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "selfpeer.json",
        &broken(
            &sample(PEERINGS),
            "virtualNetworks/vnet3\"",
            "virtualNetworks/vnet1\"",
        ),
    );
    let out = p2s(["analyze".as_ref(), path.as_os_str()])
        .run()
        .expect_code(2);
    assert_eq!(
        out.stderr().trim_end(),
        format!(
            "p2s-sim: error: {}: responses.200.body.value[1].properties.remoteVirtualNetwork.id \
             (line 51, column 23): VNet 'vnet1' cannot peer with itself (resource {PEER2})",
            path.display()
        )
    );
}

#[test]
fn a_native_file_gives_the_line_and_column_of_the_path_json_or_yaml() {
    let json = "{\"vnets\": [{\"name\": \"hub\",\n  \"address_space\": [\"10.0.0.0/16\", \"10.0.0.1/16\"]}]}";
    let host_bits =
        "\"10.0.0.1/16\" has host bits set, which Azure rejects (InvalidCIDRNotation: for \
                     the given prefix length, the address prefix should be 10.0.0.0/16); write \
                     10.0.0.0/16";
    // Line 2: two spaces, "address_space": [ and the first prefix put the second at column 36.
    let e = rejected(&[text_source("t.json", json)]);
    assert_eq!(
        e,
        format!("t.json: vnets[0].address_space[1] (line 2, column 36): {host_bits}")
    );
    // A byte order mark takes no column.
    let e = rejected(&[text_source("t.json", &format!("\u{feff}{json}"))]);
    assert_eq!(
        e,
        format!("t.json: vnets[0].address_space[1] (line 2, column 36): {host_bits}")
    );
    // YAML too, by its parser's events: line 3 is four spaces, `address_space: [` and the
    // first prefix, which put the second at column 34.
    let yaml = "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16, 10.0.0.1/16]\n";
    let e = rejected(&[text_source("t.yaml", yaml)]);
    assert_eq!(
        e,
        format!("t.yaml: vnets[0].address_space[1] (line 3, column 34): {host_bits}")
    );
}

#[test]
fn a_what_if_that_defines_a_name_again_names_where_the_export_defines_it() {
    let sources = [
        text_source(
            "gateway.json",
            &sample("2023-09-01_VirtualNetworkGatewayGet.json"),
        ),
        text_source(
            "lng.json",
            &sample("2024-05-01_LocalNetworkGatewayGet.json"),
        ),
    ];
    let base = load(&sources, &ReadOptions::default()).unwrap().topology;
    let scenario = p2s_sim::plan::whatif::Scenario::parse(
        "s.yaml",
        "changes:\n  - add_local_network: {name: localgw, gateway: vpngw, address_space: [192.168.250.0/24]}\n",
    )
    .unwrap();
    let e = p2s_sim::plan::whatif::apply(&base, &scenario, "s.yaml").unwrap_err();
    // The export holds one local network gateway, the response body of its GET.
    assert_eq!(
        e.to_string(),
        "s.yaml: changes[0].add_local_network.name: duplicate local network name 'localgw' (first \
         defined at lng.json: responses.200.body, resource \
         /subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/localNetworkGateways/localgw); \
         names must be unique per kind — rename one of them"
    );
}

/// A vcrpy cassette as Azure CLI's tests record it: the body a double-quoted scalar folded over
/// lines 7-10, with `\r\n` and `\"` escapes, escaped line breaks (`\` at a line's end) and an
/// escaped space (`\ `) keeping the indentation of the next line.
const CASSETTE: &str = r#"interactions:
- request:
    method: PUT
    uri: https://management.azure.com/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub?api-version=2023-09-01
  response:
    body:
      string: "{\r\n  \"name\": \"hub\",\r\n  \"id\": \"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub\"\
        ,\r\n  \"type\": \"Microsoft.Network/virtualNetworks\",\r\n  \"properties\"\
        : {\r\n    \"addressSpace\": {\r\n      \"addressPrefixes\": [\r\n      \
        \  \"10.1.0.1/16\"\r\n      ]\r\n    }\r\n  }\r\n}"
    status:
      code: 201
      message: Created
"#;

#[test]
fn a_recording_gives_the_line_and_column_inside_its_json_body() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "recording.yaml", CASSETTE);
    let out = p2s(["analyze".as_ref(), path.as_os_str()])
        .run()
        .expect_code(2);
    // Line 10: 8 blanks, `\ ` at 9-10, a blank at 11, and the prefix's `\"` (its opening
    // quote) at 12.
    assert_eq!(
        out.stderr().lines().last().unwrap(),
        format!(
            "p2s-sim: error: {}: interactions[0].response.body.string.properties.addressSpace.addressPrefixes[0] \
             (line 10, column 12): \"10.1.0.1/16\" has host bits set, which Azure rejects (InvalidCIDRNotation: \
             for the given prefix length, the address prefix should be 10.1.0.0/16); write 10.1.0.0/16 \
             (resource /subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub)",
            path.display()
        )
    );
    // The same through the library, and with the body single-quoted on one line: 6 blanks,
    // `string: ` to 14, `'` at 15, then `{"properties": {"addressSpace": {"addressPrefixes": [`
    // (16-68) puts the prefix's quote at 69.
    let e = rejected(&[text_source("r.yaml", CASSETTE)]);
    assert!(
        e.starts_with("r.yaml: interactions[0].response.body.string.properties.addressSpace.addressPrefixes[0] (line 10, column 12): "),
        "{e}"
    );
    let single = "interactions:\n- request:\n    method: GET\n  response:\n    body:\n      \
        string: '{\"properties\": {\"addressSpace\": {\"addressPrefixes\": [\"10.0.0.0/33\"]}}, \"name\": \"hub\", \
        \"id\": \"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/hub\", \
        \"type\": \"Microsoft.Network/virtualNetworks\"}'\n    status:\n      code: 200\n";
    let e = rejected(&[text_source("r.yaml", single)]);
    assert!(
        e.starts_with("r.yaml: interactions[0].response.body.string.properties.addressSpace.addressPrefixes[0] (line 6, column 69): \"10.0.0.0/33\""),
        "{e}"
    );
}

#[test]
fn a_generation_azure_does_not_make_is_named_where_the_export_and_the_state_have_it() {
    let text = broken(
        &sample("2023-09-01_VirtualNetworkGatewayGet.json"),
        r#""vpnGatewayGeneration": "None""#,
        r#""vpnGatewayGeneration": "Gen2""#,
    );
    let e = rejected(&[text_source("gw.json", &text)]);
    // Line 92: ten spaces, the 22-character key, ": ", so the value starts at column 35.
    assert_eq!(
        e,
        format!(
            "gw.json: responses.200.body.properties.vpnGatewayGeneration (line 92, column 35): \
             unknown gateway generation 'Gen2'; use one of Generation1 or Generation2 (case does \
             not matter) (resource {VPNGW})"
        )
    );
    let gateway = format!(
        r#"{{"address": "azurerm_virtual_network.hub", "mode": "managed", "type": "azurerm_virtual_network", "name": "hub",
            "values": {{"id": "{TF_SUB}/virtualNetworks/hub", "name": "hub", "address_space": ["10.0.0.0/16"]}}}},
           {{"address": "azurerm_virtual_network_gateway.gw", "mode": "managed", "type": "azurerm_virtual_network_gateway", "name": "gw",
            "values": {{"id": "{TF_SUB}/virtualNetworkGateways/gw", "name": "gw", "type": "Vpn", "sku": "VpnGw2", "generation": "Generation3",
                       "ip_configuration": [{{"subnet_id": "{TF_SUB}/virtualNetworks/hub/subnets/GatewaySubnet"}}]}}}}"#
    );
    let state = terraform_state(&gateway);
    // The place of the value, found in the text itself (columns count from 1).
    let at = state.find("\"Generation3\"").unwrap();
    let line = state[..at].matches('\n').count() + 1;
    let column = at - state[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    let e = rejected(&[text_source("state.json", &state)]);
    assert_eq!(
        e,
        format!(
            "state.json: values.root_module.resources[1] (azurerm_virtual_network_gateway.gw).values.generation \
             (line {line}, column {column}): unknown gateway generation 'Generation3'; use one of \
             Generation1 or Generation2 (case does not matter) (resource {TF_SUB}/virtualNetworkGateways/gw)"
        )
    );
    assert_eq!(line, 5);
    // The same state with a generation Azure makes is read, and VpnGw2 is made in both.
    let state = state.replace("Generation3", "Generation2");
    let l = load(
        &[text_source("state.json", &state)],
        &ReadOptions::default(),
    )
    .unwrap();
    let g = l.topology.vnets[0].gateway.as_ref().unwrap();
    assert_eq!(
        g.generation,
        Some(p2s_sim::model::GatewayGeneration::Generation2)
    );
}
