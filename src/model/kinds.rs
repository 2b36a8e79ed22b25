//! The small closed vocabularies of the model (SKUs, tunnel types, ...), parsed case-insensitively.
//!
//! Azure itself is inconsistent about case (`IkeV2` in ARM, `IKEv2` in the portal, `vpngw1` in
//! Resource Graph), so every value is matched ignoring ASCII case and written back in ARM's spelling.

use std::fmt;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The ARM spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Case-insensitive match against the ARM spelling.
            pub fn parse(text: &str) -> Option<Self> {
                let text = text.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(text))
            }

            /// "A, B or C": for error messages that say what is allowed.
            pub fn expected() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
                    _ => names.join(""),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Gateway SKU names (`sku.name`), spec §3.
    Sku {
        Basic => "Basic",
        Standard => "Standard",
        HighPerformance => "HighPerformance",
        VpnGw1 => "VpnGw1",
        VpnGw2 => "VpnGw2",
        VpnGw3 => "VpnGw3",
        VpnGw4 => "VpnGw4",
        VpnGw5 => "VpnGw5",
        VpnGw1AZ => "VpnGw1AZ",
        VpnGw2AZ => "VpnGw2AZ",
        VpnGw3AZ => "VpnGw3AZ",
        VpnGw4AZ => "VpnGw4AZ",
        VpnGw5AZ => "VpnGw5AZ",
    }
}

vocabulary! {
    /// `vpnGatewayGeneration`. Azure writes `None` where it does not apply (ExpressRoute,
    /// legacy SKUs) or is not stated; the readers take that as no generation.
    GatewayGeneration { Generation1 => "Generation1", Generation2 => "Generation2" }
}

vocabulary! {
    /// `vpnType`: P2S needs `RouteBased`.
    VpnType { RouteBased => "RouteBased", PolicyBased => "PolicyBased" }
}

vocabulary! {
    /// `vpnClientProtocols` entries.
    TunnelType { IkeV2 => "IkeV2", Sstp => "SSTP", OpenVpn => "OpenVPN" }
}

vocabulary! {
    /// `vpnAuthenticationTypes` entries.
    AuthType { Certificate => "Certificate", Radius => "Radius", Aad => "AAD" }
}

vocabulary! {
    /// `connectionType` of a gateway connection that carries routes.
    ConnectionType { IPsec => "IPsec", Vnet2Vnet => "Vnet2Vnet" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_ignores_case_and_spaces() {
        assert_eq!(TunnelType::parse("IKEv2"), Some(TunnelType::IkeV2));
        assert_eq!(TunnelType::parse(" sstp "), Some(TunnelType::Sstp));
        assert_eq!(Sku::parse("vpngw2az"), Some(Sku::VpnGw2AZ));
        assert_eq!(Sku::parse("VpnGw6"), None);
        assert_eq!(
            ConnectionType::parse("vnet2vnet"),
            Some(ConnectionType::Vnet2Vnet)
        );
    }

    #[test]
    fn expected_lists_every_value() {
        assert_eq!(TunnelType::expected(), "IkeV2, SSTP or OpenVPN");
        assert_eq!(VpnType::expected(), "RouteBased or PolicyBased");
    }
}
