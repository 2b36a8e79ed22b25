//! `Generic/VpnSettings.xml`: the package's plain description of the gateway, and the only
//! readable copy of the route snapshot the Windows installers of the same package carry.
//!
//! Shape (spec §6; real files described in PROVENANCE.md, "Looked for, not copied"):
//!
//! ```xml
//! <VpnProfile>
//!   <VpnServer>azuregateway-<guid>-<hex>.vpn.azure.com</VpnServer>
//!   <VpnType>IkeV2</VpnType>
//!   <Routes>10.1.0.0/16,10.2.0.0/16</Routes>      <!-- without the pool -->
//!   <VpnClientAddressPool>172.16.0.0/24</VpnClientAddressPool>
//!   <Auth>EAPTLS</Auth>
//!   <VnetName>hub</VnetName>
//! </VpnProfile>
//! ```
//!
//! Read as \[I\] where the docs are silent: `VpnType` lists the package's tunnel types (comma or
//! space separated, ARM names in any case); `Auth` is `EAPTLS` (certificate), `EAPMSCHAPv2`
//! (RADIUS) or `AAD`, or an ARM name; any `Aad…` element with text means AAD.

use crate::model::{AuthType, TunnelType};
use crate::prefix::{canonical_list, parse_prefix, IpNet};

use super::xml::{self, Element};
use super::{xml_root, ProfileError};

/// What a `VpnSettings.xml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VpnSettings {
    pub server: Option<String>,
    /// `None` when `VpnType` is absent. Sorted, distinct.
    pub tunnels: Option<Vec<TunnelType>>,
    /// The route snapshot, canonical order.
    pub routes: Vec<IpNet>,
    /// `None` when absent.
    pub pool: Option<Vec<IpNet>>,
    /// `None` when neither `Auth` nor AAD fields are present. Sorted, distinct.
    pub auth: Option<Vec<AuthType>>,
    pub vnet_name: Option<String>,
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', ' ', '\t', '\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn prefixes(file: &str, text: &str, el: &Element, what: &str) -> Result<Vec<IpNet>, ProfileError> {
    split_list(&el.text)
        .map(|p| {
            parse_prefix(p).map_err(|e| {
                ProfileError::new(
                    file,
                    xml::place(text, el.start),
                    format!(
                        "<{}> '{p}': {e}; {what} is a comma-separated list of prefixes such as \
                         10.1.0.0/16,10.2.0.0/16",
                        el.name
                    ),
                )
            })
        })
        .collect()
}

/// Maps one `Auth` token to the gateway's authentication type.
pub fn auth_type(token: &str) -> Option<AuthType> {
    match token.trim().to_ascii_lowercase().as_str() {
        "eaptls" | "certificate" | "cert" => Some(AuthType::Certificate),
        "eapmschapv2" | "radius" => Some(AuthType::Radius),
        "aad" | "azuread" | "entraid" => Some(AuthType::Aad),
        _ => None,
    }
}

/// Parses the text of a `VpnSettings.xml`.
pub fn parse(file: &str, text: &str) -> Result<VpnSettings, ProfileError> {
    let root = xml_root(file, text, "VpnProfile", "a Generic/VpnSettings.xml")?;
    let mut out = VpnSettings {
        server: root.child_text("VpnServer").map(str::to_string),
        vnet_name: root.child_text("VnetName").map(str::to_string),
        ..VpnSettings::default()
    };
    if let Some(el) = root.child("VpnType").filter(|e| !e.is_nil()) {
        let mut tunnels = Vec::new();
        for token in split_list(&el.text) {
            let t = TunnelType::parse(token).ok_or_else(|| {
                ProfileError::new(
                    file,
                    xml::place(text, el.start),
                    format!(
                        "<VpnType> '{token}' is not a tunnel type; expected {}",
                        TunnelType::expected()
                    ),
                )
            })?;
            tunnels.push(t);
        }
        tunnels.sort();
        tunnels.dedup();
        out.tunnels = Some(tunnels);
    }
    if let Some(el) = root.child("Routes").filter(|e| !e.is_nil()) {
        out.routes = canonical_list(prefixes(file, text, el, "Routes")?);
    }
    if let Some(el) = root.child("VpnClientAddressPool").filter(|e| !e.is_nil()) {
        out.pool = Some(canonical_list(prefixes(
            file,
            text,
            el,
            "VpnClientAddressPool",
        )?));
    }
    let mut auth = Vec::new();
    let mut auth_given = false;
    if let Some(el) = root.child("Auth").filter(|e| !e.is_nil()) {
        auth_given = true;
        for token in split_list(&el.text) {
            auth.push(auth_type(token).ok_or_else(|| {
                ProfileError::new(
                    file,
                    xml::place(text, el.start),
                    format!(
                        "<Auth> '{token}' is not an authentication type; expected EAPTLS \
                         (certificate), EAPMSCHAPv2 (RADIUS) or AAD"
                    ),
                )
            })?);
        }
    }
    let aad_fields = root.children.iter().any(|c| {
        c.name.len() > 3 && c.name[..3].eq_ignore_ascii_case("aad") && !c.text.trim().is_empty()
    });
    if aad_fields {
        auth_given = true;
        auth.push(AuthType::Aad);
    }
    if auth_given {
        auth.sort();
        auth.dedup();
        out.auth = Some(auth);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field() {
        let t = "<?xml version=\"1.0\"?>\n<VpnProfile xmlns:i=\"x\">\n <VpnServer>azuregateway-1.vpn.azure.com</VpnServer>\n <VpnType>IKEv2, Sstp</VpnType>\n <Routes>10.2.0.0/16,10.1.0.0/16</Routes>\n <VpnClientAddressPool>172.16.0.0/24</VpnClientAddressPool>\n <Auth>EAPTLS</Auth>\n <VnetName>hub</VnetName>\n <AadTenant i:nil=\"true\" />\n</VpnProfile>\n";
        let s = parse("f", t).unwrap();
        assert_eq!(s.tunnels, Some(vec![TunnelType::IkeV2, TunnelType::Sstp]));
        let routes: Vec<String> = s.routes.iter().map(|r| r.to_string()).collect();
        assert_eq!(routes, ["10.1.0.0/16", "10.2.0.0/16"]);
        assert_eq!(s.auth, Some(vec![AuthType::Certificate]));
        assert_eq!(s.vnet_name.as_deref(), Some("hub"));
        let e = parse("f", &t.replace("10.1.0.0/16", "10.1.0.0/33")).unwrap_err();
        assert_eq!(e.place, "line 5, column 2");
        assert!(e.message.contains("'10.1.0.0/33'"), "{e}");
    }
}
