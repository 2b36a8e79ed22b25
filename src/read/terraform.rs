//! Terraform JSON: `terraform show -json` of a state (`values`) or of a saved plan
//! (`terraform show -json plan.out`, `planned_values`), for the `azurerm` provider.
//!
//! Resources are collected from the root module and every child module (recursively), managed
//! resources and data sources alike (a `data "azurerm_virtual_network"` is a real, existing VNet).
//! Each supported resource is rewritten into the ARM shape so the common resolver reads it:
//!
//! | Terraform type | ARM type | fields read |
//! |---|---|---|
//! | `azurerm_virtual_network` | virtualNetworks | `address_space` |
//! | `azurerm_virtual_network_peering` | virtualNetworkPeerings | `virtual_network_name`, `remote_virtual_network_id`, `allow_gateway_transit`, `use_remote_gateways`, `peer_complete_virtual_networks_enabled`, `only_ipv6_peering_enabled`, `local_subnet_names`, `remote_subnet_names` |
//! | `azurerm_virtual_network_gateway` | virtualNetworkGateways | `type`, `vpn_type`, `sku`, `generation`, `active_active`, `enable_bgp`, `bgp_settings[0].asn`, `ip_configuration[].subnet_id`, `custom_route[0].address_prefixes`, `vpn_client_configuration[0]` (`address_space`, `vpn_client_protocols`, `vpn_auth_types`, `root_certificate`, `radius_server_address`, `aad_tenant`) |
//! | `azurerm_local_network_gateway` | localNetworkGateways | `address_space`, `bgp_settings[0]` |
//! | `azurerm_virtual_network_gateway_connection` | connections | `type`, `virtual_network_gateway_id`, `local_network_gateway_id`, `peer_virtual_network_gateway_id`, `enable_bgp` |
//! | `azurerm_virtual_network_gateway_nat_rule` | virtualNetworkGateways/natRules | `virtual_network_gateway_id`, `name` (counted per gateway) |
//!
//! Everything else (subnets, public IPs, ...) is skipped and counted. In a plan, IDs of resources
//! still to be created are unknown: they are synthesised from the resource group and names
//! (subscription `terraform-plan`), and a reference such as `remote_virtual_network_id =
//! azurerm_virtual_network.hub.id` is followed through the plan's `configuration` section of
//! the root module.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::resources::{
    make_id, RawResource, CONNECTION, GATEWAY, LOCAL_GATEWAY, NAT_RULE, PEERING, VNET,
};
use crate::model::TopologyError;

const PLAN_SUBSCRIPTION: &str = "terraform-plan";

/// Where each ARM-shaped property below comes from in the resource's `values` (see
/// [`RawResource::aliases`]), so errors name the Terraform attribute the user has.
const VNET_ALIASES: &[(&str, &str)] = &[(
    ".properties.addressSpace.addressPrefixes",
    ".values.address_space",
)];
const PEERING_ALIASES: &[(&str, &str)] = &[
    (
        ".properties.allowGatewayTransit",
        ".values.allow_gateway_transit",
    ),
    (
        ".properties.useRemoteGateways",
        ".values.use_remote_gateways",
    ),
    (
        ".properties.remoteVirtualNetwork.id",
        ".values.remote_virtual_network_id",
    ),
    (
        ".properties.peerCompleteVnets",
        ".values.peer_complete_virtual_networks_enabled",
    ),
    (
        ".properties.enableOnlyIPv6Peering",
        ".values.only_ipv6_peering_enabled",
    ),
    (".properties.localSubnetNames", ".values.local_subnet_names"),
    (
        ".properties.remoteSubnetNames",
        ".values.remote_subnet_names",
    ),
];
const GATEWAY_ALIASES: &[(&str, &str)] = &[
    (".properties.gatewayType", ".values.type"),
    (".properties.vpnType", ".values.vpn_type"),
    (".properties.sku.name", ".values.sku"),
    (".properties.vpnGatewayGeneration", ".values.generation"),
    (".properties.activeActive", ".values.active_active"),
    (".properties.enableBgp", ".values.enable_bgp"),
    (".properties.ipConfigurations", ".values.ip_configuration"),
    (".properties.bgpSettings.asn", ".values.bgp_settings[0].asn"),
    (
        ".properties.customRoutes.addressPrefixes",
        ".values.custom_route[0].address_prefixes",
    ),
    (
        ".properties.vpnClientConfiguration",
        ".values.vpn_client_configuration[0]",
    ),
    (
        ".properties.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes",
        ".values.vpn_client_configuration[0].address_space",
    ),
    (
        ".properties.vpnClientConfiguration.vpnClientProtocols",
        ".values.vpn_client_configuration[0].vpn_client_protocols",
    ),
    (
        ".properties.vpnClientConfiguration.vpnAuthenticationTypes",
        ".values.vpn_client_configuration[0].vpn_auth_types",
    ),
];
const LOCAL_ALIASES: &[(&str, &str)] = &[
    (
        ".properties.localNetworkAddressSpace.addressPrefixes",
        ".values.address_space",
    ),
    (".properties.bgpSettings.asn", ".values.bgp_settings[0].asn"),
    (
        ".properties.bgpSettings.bgpPeeringAddress",
        ".values.bgp_settings[0].bgp_peering_address",
    ),
];
const CONNECTION_ALIASES: &[(&str, &str)] = &[
    (".properties.connectionType", ".values.type"),
    (
        ".properties.virtualNetworkGateway1.id",
        ".values.virtual_network_gateway_id",
    ),
    (
        ".properties.localNetworkGateway2.id",
        ".values.local_network_gateway_id",
    ),
    (
        ".properties.virtualNetworkGateway2.id",
        ".values.peer_virtual_network_gateway_id",
    ),
    (".properties.enableBgp", ".values.enable_bgp"),
];

/// True for `terraform show -json` output.
pub(crate) fn looks_like(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.contains_key("format_version")
            && (o.contains_key("values")
                || o.contains_key("planned_values")
                || o.contains_key("terraform_version"))
    })
}

struct TfResource<'a> {
    path: String,
    address: String,
    rtype: String,
    values: &'a Map<String, Value>,
}

fn collect<'a>(module: &'a Value, path: &str, out: &mut Vec<TfResource<'a>>) {
    if let Some(list) = module.get("resources").and_then(Value::as_array) {
        for (i, r) in list.iter().enumerate() {
            let (Some(rtype), Some(values)) = (
                r.get("type").and_then(Value::as_str),
                r.get("values").and_then(Value::as_object),
            ) else {
                continue;
            };
            out.push(TfResource {
                path: format!("{path}.resources[{i}]"),
                address: r
                    .get("address")
                    .and_then(Value::as_str)
                    .unwrap_or(rtype)
                    .to_string(),
                rtype: rtype.to_string(),
                values,
            });
        }
    }
    if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
        for (i, c) in children.iter().enumerate() {
            collect(c, &format!("{path}.child_modules[{i}]"), out);
        }
    }
}

fn s<'v>(values: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    values.get(key).and_then(Value::as_str)
}

fn first_block<'v>(values: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
    values
        .get(key)
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(Value::as_object)
}

fn get(values: &Map<String, Value>, key: &str) -> Value {
    values.get(key).cloned().unwrap_or(Value::Null)
}

pub(crate) fn read(file: &str, value: &Value) -> Result<Vec<RawResource>, TopologyError> {
    let (root, base, plan) = if let Some(v) = value.get("planned_values") {
        (v, "planned_values", true)
    } else if let Some(v) = value.get("values") {
        (v, "values", false)
    } else {
        return Err(TopologyError {
            file: file.to_string(),
            place: String::new(),
            message: "this Terraform JSON has neither `values` (state) nor `planned_values` (plan); run `terraform show -json` after apply, or on a saved plan".into(),
        });
    };
    let mut list = Vec::new();
    if let Some(m) = root.get("root_module") {
        collect(m, &format!("{base}.root_module"), &mut list);
    }

    // IDs: known (state) or synthesised (plan).
    let id_of = |r: &TfResource<'_>| -> Option<String> {
        if let Some(id) = s(r.values, "id") {
            return Some(id.to_string());
        }
        let group = s(r.values, "resource_group_name")?;
        let name = s(r.values, "name")?;
        let (arm_type, names): (&str, Vec<&str>) = match r.rtype.as_str() {
            "azurerm_virtual_network" => (VNET, vec![name]),
            "azurerm_subnet" => (
                "Microsoft.Network/virtualNetworks/subnets",
                vec![s(r.values, "virtual_network_name")?, name],
            ),
            "azurerm_virtual_network_peering" => {
                (PEERING, vec![s(r.values, "virtual_network_name")?, name])
            }
            "azurerm_virtual_network_gateway" => (GATEWAY, vec![name]),
            "azurerm_local_network_gateway" => (LOCAL_GATEWAY, vec![name]),
            "azurerm_virtual_network_gateway_connection" => (CONNECTION, vec![name]),
            _ => return None,
        };
        Some(make_id(PLAN_SUBSCRIPTION, group, arm_type, &names))
    };
    let ids: HashMap<String, String> = list
        .iter()
        .filter_map(|r| id_of(r).map(|id| (r.address.clone(), id)))
        .collect();

    // For plans: attribute references from the configuration of the root module.
    let mut references: HashMap<(String, String), Vec<String>> = HashMap::new();
    if plan {
        if let Some(resources) = value
            .pointer("/configuration/root_module/resources")
            .and_then(Value::as_array)
        {
            for r in resources {
                let Some(address) = r.get("address").and_then(Value::as_str) else {
                    continue;
                };
                let Some(exprs) = r.get("expressions").and_then(Value::as_object) else {
                    continue;
                };
                let mut walk = |key: &str, e: &Value| {
                    if let Some(refs) = e.get("references").and_then(Value::as_array) {
                        references.insert(
                            (address.to_string(), key.to_string()),
                            refs.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect(),
                        );
                    }
                };
                for (k, e) in exprs {
                    walk(k, e);
                    // Blocks (ip_configuration, ...) are lists of objects of expressions.
                    if let Some(blocks) = e.as_array() {
                        for b in blocks.iter().filter_map(Value::as_object) {
                            for (bk, be) in b {
                                walk(&format!("{k}.{bk}"), be);
                            }
                        }
                    }
                }
            }
        }
    }
    let reference = |r: &TfResource<'_>, key: &str, known: Option<&str>| -> Value {
        if let Some(v) = known {
            return Value::String(v.to_string());
        }
        references
            .get(&(r.address.clone(), key.to_string()))
            .and_then(|refs| {
                refs.iter().find_map(|target| {
                    let address = target.strip_suffix(".id").unwrap_or(target);
                    ids.get(address).cloned()
                })
            })
            .map(Value::String)
            .unwrap_or(Value::Null)
    };

    let mut out = Vec::new();
    for r in &list {
        let v = r.values;
        if r.rtype == "azurerm_virtual_network_gateway_nat_rule" {
            // Only counted: its ID (known, or its gateway's plus its name) ties it to the gateway.
            let gateway = reference(
                r,
                "virtual_network_gateway_id",
                s(v, "virtual_network_gateway_id"),
            );
            let id = s(v, "id")
                .map(str::to_string)
                .or_else(|| Some(format!("{}/natRules/{}", gateway.as_str()?, s(v, "name")?)));
            if let Some(id) = id {
                out.push(RawResource {
                    file: file.to_string(),
                    path: format!("{} ({})", r.path, r.address),
                    rtype: NAT_RULE.to_string(),
                    id,
                    body: json!({"properties": {}}),
                    aliases: &[],
                });
                continue;
            }
        }
        let (arm_type, aliases, properties) = match r.rtype.as_str() {
            "azurerm_virtual_network" => (
                VNET,
                VNET_ALIASES,
                json!({"addressSpace": {"addressPrefixes": get(v, "address_space")}}),
            ),
            "azurerm_virtual_network_peering" => (
                PEERING,
                PEERING_ALIASES,
                json!({
                    "allowGatewayTransit": get(v, "allow_gateway_transit"),
                    "useRemoteGateways": get(v, "use_remote_gateways"),
                    "peerCompleteVnets": get(v, "peer_complete_virtual_networks_enabled"),
                    "enableOnlyIPv6Peering": get(v, "only_ipv6_peering_enabled"),
                    "localSubnetNames": get(v, "local_subnet_names"),
                    "remoteSubnetNames": get(v, "remote_subnet_names"),
                    "remoteVirtualNetwork": {"id": reference(r, "remote_virtual_network_id", s(v, "remote_virtual_network_id"))},
                }),
            ),
            "azurerm_virtual_network_gateway" => {
                let ip_configs: Vec<Value> = v
                    .get("ip_configuration")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .map(|c| {
                                json!({"subnet": {"id": reference(r, "ip_configuration.subnet_id", c.get("subnet_id").and_then(Value::as_str))}})
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mut p = json!({
                    "gatewayType": get(v, "type"),
                    "vpnType": get(v, "vpn_type"),
                    "sku": {"name": get(v, "sku")},
                    "vpnGatewayGeneration": get(v, "generation"),
                    "activeActive": get(v, "active_active"),
                    "enableBgp": get(v, "enable_bgp"),
                    "ipConfigurations": ip_configs,
                });
                if let Some(b) = first_block(v, "bgp_settings") {
                    p["bgpSettings"] = json!({"asn": get(b, "asn")});
                }
                if let Some(c) = first_block(v, "custom_route") {
                    p["customRoutes"] = json!({"addressPrefixes": get(c, "address_prefixes")});
                }
                if let Some(c) = first_block(v, "vpn_client_configuration") {
                    p["vpnClientConfiguration"] = json!({
                        "vpnClientAddressPool": {"addressPrefixes": get(c, "address_space")},
                        "vpnClientProtocols": get(c, "vpn_client_protocols"),
                        "vpnAuthenticationTypes": get(c, "vpn_auth_types"),
                        "vpnClientRootCertificates": get(c, "root_certificate"),
                        "radiusServerAddress": get(c, "radius_server_address"),
                        "radiusServers": get(c, "radius_server"),
                        "aadTenant": get(c, "aad_tenant"),
                    });
                }
                (GATEWAY, GATEWAY_ALIASES, p)
            }
            "azurerm_local_network_gateway" => {
                let mut p = json!({"localNetworkAddressSpace": {"addressPrefixes": get(v, "address_space")}});
                if let Some(b) = first_block(v, "bgp_settings") {
                    p["bgpSettings"] = json!({"asn": get(b, "asn"), "bgpPeeringAddress": get(b, "bgp_peering_address")});
                }
                (LOCAL_GATEWAY, LOCAL_ALIASES, p)
            }
            "azurerm_virtual_network_gateway_connection" => (
                CONNECTION,
                CONNECTION_ALIASES,
                json!({
                    "connectionType": get(v, "type"),
                    "virtualNetworkGateway1": {"id": reference(r, "virtual_network_gateway_id", s(v, "virtual_network_gateway_id"))},
                    "localNetworkGateway2": {"id": reference(r, "local_network_gateway_id", s(v, "local_network_gateway_id"))},
                    "virtualNetworkGateway2": {"id": reference(r, "peer_virtual_network_gateway_id", s(v, "peer_virtual_network_gateway_id"))},
                    "enableBgp": get(v, "enable_bgp"),
                }),
            ),
            other => {
                out.push(RawResource {
                    file: file.to_string(),
                    path: r.path.clone(),
                    rtype: other.to_string(),
                    id: ids
                        .get(&r.address)
                        .cloned()
                        .unwrap_or_else(|| r.address.clone()),
                    body: Value::Object(v.clone()),
                    aliases: &[],
                });
                continue;
            }
        };
        let id = ids.get(&r.address).cloned().ok_or_else(|| TopologyError {
            file: file.to_string(),
            place: r.path.clone(),
            message: format!(
                "{}: no `id`, and no `name`/`resource_group_name` to build one from; run `terraform show -json` on the applied state",
                r.address
            ),
        })?;
        out.push(RawResource {
            file: file.to_string(),
            path: format!("{} ({})", r.path, r.address),
            rtype: arm_type.to_string(),
            id,
            body: json!({"properties": properties}),
            aliases,
        });
    }
    Ok(out)
}
