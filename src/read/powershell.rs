//! Azure PowerShell: `Get-AzVirtualNetwork | ConvertTo-Json -Depth 10` (and the same for
//! `Get-AzVirtualNetworkGateway`, `Get-AzLocalNetworkGateway`,
//! `Get-AzVirtualNetworkGatewayConnection`, `Get-AzVirtualNetworkPeering`).
//!
//! The Az module's objects use PascalCase names (`AddressSpace.AddressPrefixes`,
//! `VpnClientConfiguration.VpnClientProtocols`) and add `*Text` duplicates (`AddressSpaceText`:
//! the same value as a JSON string). The reader drops the `*Text` duplicates and then reads the
//! result like `az` output (keys are compared ignoring case, so the PascalCase keys stay as
//! written and errors name them as they are in the file).
//!
//! `ConvertTo-Json` stops at `-Depth` levels (default 2) and writes deeper objects as their .NET
//! type name, e.g. `"Microsoft.Azure.Commands.Network.Models.PSAddressSpace"` or
//! `"System.Collections.Generic.List`1[...PSSubnet]"`. Such a file would silently lose address
//! spaces and peerings, so it is rejected with the place of the first cut and the fix
//! (`ConvertTo-Json -Depth 10`).

use serde_json::{Map, Value};

use super::resources::{raw_from_list, raw_from_object, RawResource};
use crate::model::TopologyError;

/// True when the (first) resource object uses PowerShell's PascalCase keys.
pub(crate) fn looks_like(value: &Value) -> bool {
    let first = match value {
        Value::Array(list) => list.first(),
        other => Some(other),
    };
    first.and_then(Value::as_object).is_some_and(|o| {
        (o.contains_key("Id")
            || o.contains_key("ResourceGroupName")
            || o.contains_key("ProvisioningState"))
            && !o.contains_key("id")
    })
}

/// A string that is really an object `ConvertTo-Json` did not descend into.
fn is_truncated(text: &str) -> bool {
    text.starts_with("Microsoft.Azure.Commands.")
        || text.starts_with("Microsoft.Azure.Management.")
        || text.starts_with("System.Collections.")
        || (text.starts_with("System.") && text.contains("[Microsoft."))
}

fn normalize(file: &str, path: &str, value: &Value) -> Result<Value, TopologyError> {
    Ok(match value {
        Value::String(s) if is_truncated(s) => {
            return Err(TopologyError {
                file: file.to_string(),
                place: path.trim_start_matches('.').to_string(),
                message: format!(
                    "the export is truncated: ConvertTo-Json wrote the type name \"{s}\" instead of the object because -Depth was too small; re-export with `ConvertTo-Json -Depth 10`"
                ),
            })
        }
        Value::Array(list) => Value::Array(
            list.iter()
                .enumerate()
                .map(|(i, v)| normalize(file, &format!("{path}[{i}]"), v))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(obj) => {
            let mut out = Map::new();
            for (k, v) in obj {
                if let Some(base) = k.strip_suffix("Text") {
                    if obj.contains_key(base) {
                        continue;
                    }
                }
                out.insert(k.clone(), normalize(file, &format!("{path}.{k}"), v)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

pub(crate) fn read(file: &str, value: &Value) -> Result<Vec<RawResource>, TopologyError> {
    let normalized = normalize(file, "", value)?;
    match &normalized {
        Value::Array(list) => raw_from_list(file, "", list),
        other => Ok(vec![raw_from_object(file, String::new(), other)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_duplicates_are_dropped_and_keys_kept() {
        let v: Value = serde_json::json!({"Id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v",
            "AddressSpace": {"AddressPrefixes": ["10.0.0.0/16"]}, "AddressSpaceText": "{}"});
        let r = read("f", &v).unwrap();
        assert_eq!(
            r[0].body["AddressSpace"]["AddressPrefixes"][0],
            "10.0.0.0/16"
        );
        assert!(r[0].body.get("AddressSpaceText").is_none());
        assert_eq!(
            r[0].root().at(&["addressSpace", "addressPrefixes"]).place(),
            "AddressSpace.AddressPrefixes"
        );
    }
}
