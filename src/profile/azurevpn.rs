//! `AzureVPN/azurevpnconfig.xml`: the Azure VPN Client profile (OpenVPN only, spec §6, AVC).
//!
//! ```xml
//! <AzVpnProfile xmlns="http://schemas.datacontract.org/2004/07/" xmlns:i="…">
//!   <clientauth> <type>aad|cert</type> <aad>…tenant/issuer/audience…</aad> </clientauth>
//!   <clientconfig i:nil="true" />                  <!-- the default: no client routes -->
//!   <serverlist><ServerEntry><fqdn>azuregateway-….vpn.azure.com</fqdn></ServerEntry></serverlist>
//!   <version>1</version>
//! </AzVpnProfile>
//! ```
//!
//! With routes, `clientconfig` holds `<includeroutes>` and `<excluderoutes>`, each a list of
//! `<route><destination>10.1.0.0</destination><mask>16</mask></route>`: one destination per
//! route ("Destination cannot be empty or have more than one entry inside route tag" otherwise).
//! Forced tunnelling includes `0.0.0.0/1` and `128.0.0.0/1` and needs `<version>2`.
//!
//! A route the client would reject is not a parse error: it is kept as a [`RouteProblem`] with
//! its place, so `profile check` can report it next to everything else.

use std::net::IpAddr;

use crate::model::AuthType;
use crate::prefix::IpNet;

use super::xml::{self, Element};
use super::{xml_root, ProfileError};

/// The client's own error text for a `<route>` without exactly one destination (AVC).
pub const ROUTE_TAG_ERROR: &str =
    "Destination cannot be empty or have more than one entry inside route tag";

/// What an `azurevpnconfig.xml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AzureVpn {
    /// `serverlist/ServerEntry/fqdn`, in order.
    pub servers: Vec<String>,
    /// `<name>`: the connection name the portal gives (usually the VNet's name) \[I\].
    pub name: Option<String>,
    /// From `clientauth/type` (`aad`, `cert`, `radius`), else from a non-nil `clientauth/aad`
    /// or `clientauth/cert`.
    pub auth: Option<AuthType>,
    /// `<version>` as written.
    pub version: Option<String>,
    pub include: Vec<Route>,
    pub exclude: Vec<Route>,
}

/// One `<route>` of `includeroutes` or `excluderoutes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// `line L, column C` of the `<route>` tag.
    pub place: String,
    pub value: Result<IpNet, RouteProblem>,
}

/// Why the client would reject a `<route>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteProblem {
    /// No destination, or an empty one.
    EmptyDestination,
    /// More than one `<destination>` inside one `<route>`.
    MultipleDestinations(usize),
    /// A destination or mask that is not an address / prefix length.
    Invalid(String),
}

impl AzureVpn {
    /// `<version>` read as a number (`None` when absent or not a number).
    pub fn version_number(&self) -> Option<u32> {
        self.version.as_deref().and_then(|v| v.trim().parse().ok())
    }

    /// The routes that parsed, include side.
    pub fn include_prefixes(&self) -> Vec<IpNet> {
        self.include
            .iter()
            .filter_map(|r| r.value.clone().ok())
            .collect()
    }
}

/// A mask written as a length (`24`) or, for IPv4, a dotted mask (`255.255.255.0`).
fn mask_len(mask: &str, v4: bool) -> Option<u8> {
    let mask = mask.trim();
    if let Ok(n) = mask.parse::<u8>() {
        return (n <= if v4 { 32 } else { 128 }).then_some(n);
    }
    if !v4 {
        return None;
    }
    let m: std::net::Ipv4Addr = mask.parse().ok()?;
    let bits = u32::from(m);
    let len = bits.leading_ones();
    (bits.checked_shl(len).unwrap_or(0) == 0).then_some(len as u8)
}

fn route(text: &str, el: &Element) -> Route {
    let place = xml::place(text, el.start);
    let dests: Vec<&Element> = el.children_named("destination").collect();
    let value = match dests.as_slice() {
        [] => Err(RouteProblem::EmptyDestination),
        [d] if d.text.trim().is_empty() => Err(RouteProblem::EmptyDestination),
        [d] => {
            let dest = d.text.trim();
            match dest.parse::<IpAddr>() {
                Err(_) => Err(RouteProblem::Invalid(format!(
                    "destination '{dest}' is not an IP address"
                ))),
                Ok(addr) => {
                    let mask = el.child("mask").map(|m| m.text.trim()).unwrap_or("");
                    match mask_len(mask, addr.is_ipv4()) {
                        None => Err(RouteProblem::Invalid(format!(
                            "mask '{mask}' is not a prefix length (0-{})",
                            if addr.is_ipv4() { 32 } else { 128 }
                        ))),
                        Some(len) => Ok(IpNet::new(addr, len).expect("length checked").trunc()),
                    }
                }
            }
        }
        many => Err(RouteProblem::MultipleDestinations(many.len())),
    };
    Route { place, value }
}

fn routes(text: &str, list: Option<&Element>) -> Vec<Route> {
    list.filter(|l| !l.is_nil())
        .map(|l| l.children_named("route").map(|r| route(text, r)).collect())
        .unwrap_or_default()
}

/// Parses the text of an `azurevpnconfig.xml`.
pub fn parse(file: &str, text: &str) -> Result<AzureVpn, ProfileError> {
    let root = xml_root(
        file,
        text,
        "AzVpnProfile",
        "an Azure VPN Client profile (AzureVPN/azurevpnconfig.xml)",
    )?;
    let servers = root
        .child("serverlist")
        .map(|l| {
            l.children_named("ServerEntry")
                .filter_map(|s| s.child_text("fqdn").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let auth = root.child("clientauth").and_then(|a| {
        let by_type = a
            .child_text("type")
            .and_then(|t| match t.to_ascii_lowercase().as_str() {
                "aad" | "azuread" => Some(AuthType::Aad),
                "cert" | "certificate" => Some(AuthType::Certificate),
                "radius" | "radiuseap" => Some(AuthType::Radius),
                _ => None,
            });
        let present = |n: &str| a.child(n).is_some_and(|c| !c.is_nil());
        by_type.or(if present("aad") {
            Some(AuthType::Aad)
        } else if present("cert") {
            Some(AuthType::Certificate)
        } else {
            None
        })
    });
    let config = root.child("clientconfig").filter(|c| !c.is_nil());
    Ok(AzureVpn {
        servers,
        name: root.child_text("name").map(str::to_string),
        auth,
        version: root.child_text("version").map(str::to_string),
        include: routes(text, config.and_then(|c| c.child("includeroutes"))),
        exclude: routes(text, config.and_then(|c| c.child("excluderoutes"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_len("24", true), Some(24));
        assert_eq!(mask_len("255.255.0.0", true), Some(16));
        assert_eq!(mask_len("255.0.255.0", true), None);
        assert_eq!(mask_len("33", true), None);
        assert_eq!(mask_len("64", false), Some(64));
        assert_eq!(mask_len("", true), None);
    }
}
