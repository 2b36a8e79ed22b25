//! Reason codes: why a client does not simply connect. Stable kebab-case codes, each with the
//! source of the rule behind it; a reason adds the line of text for the case at hand.

use serde::Serialize;

use super::Verdict;

/// Every reason code, in the order they are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReasonCode {
    OsUnsupported,
    TunnelNotOffered,
    ConfigRejected,
    SkuUnsupported,
    SstpRetired,
    NoPool,
    AuthUnsupported,
    UdpBlocked,
    S2sSiteIp,
    SelectorLimit,
}

impl ReasonCode {
    pub const ALL: &'static [ReasonCode] = &[
        ReasonCode::OsUnsupported,
        ReasonCode::TunnelNotOffered,
        ReasonCode::ConfigRejected,
        ReasonCode::SkuUnsupported,
        ReasonCode::SstpRetired,
        ReasonCode::NoPool,
        ReasonCode::AuthUnsupported,
        ReasonCode::UdpBlocked,
        ReasonCode::S2sSiteIp,
        ReasonCode::SelectorLimit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::OsUnsupported => "os-unsupported",
            ReasonCode::TunnelNotOffered => "tunnel-not-offered",
            ReasonCode::ConfigRejected => "config-rejected",
            ReasonCode::SkuUnsupported => "sku-unsupported",
            ReasonCode::SstpRetired => "sstp-retired",
            ReasonCode::NoPool => "no-pool",
            ReasonCode::AuthUnsupported => "auth-unsupported",
            ReasonCode::UdpBlocked => "udp-blocked",
            ReasonCode::S2sSiteIp => "s2s-site-ip",
            ReasonCode::SelectorLimit => "selector-limit",
        }
    }

    /// Where the rule is documented.
    pub fn source(self) -> &'static str {
        match self {
            ReasonCode::OsUnsupported => {
                "point-to-site-about.md and vpn-gateway-vpn-faq.md, supported client operating \
                 systems (spec §8)"
            }
            ReasonCode::TunnelNotOffered => {
                "point-to-site-about.md: a client connects over a tunnel type the gateway \
                 enables (vpnClientProtocols)"
            }
            ReasonCode::ConfigRejected => {
                "the pool include (\"The minimum subnet mask is 29 bit for active/passive and 28 \
                 bit for active/active\"), ikev2-openvpn-from-sstp.md (SSTP and OpenVPN \
                 \"can't coexist\"), vpn-gateway-vpn-multiauth-tunnel-mapping.md (Entra ID only \
                 over OpenVPN), spec §3 and §4"
            }
            ReasonCode::SkuUnsupported => {
                "about-gateway-skus.md (Basic: no OpenVPN, no RADIUS) and \
                 ikev2-openvpn-from-sstp.md (Basic + IKEv2 from November 2025), spec §3"
            }
            ReasonCode::SstpRetired => {
                "ikev2-openvpn-from-sstp.md (09/29/2025): existing SSTP connections stop on \
                 31 Mar 2027"
            }
            ReasonCode::NoPool => {
                "vpn-gateway-faq-p2s-all-include.md: clients get their address from the \
                 point-to-site address pool (split between SSTP and IKEv2, spec §4)"
            }
            ReasonCode::AuthUnsupported => {
                "vpn-gateway-vpn-multiauth-tunnel-mapping.md; point-to-site-about.md (Entra ID \
                 only over OpenVPN with the Azure VPN Client); FAQ (RADIUS not on Basic)"
            }
            ReasonCode::UdpBlocked => {
                "vpn-gateway-vpn-faq.md: IKEv2 needs outbound UDP 500 and 4500 and IP protocol 50 \
                 (ESP); SSTP and OpenVPN use TCP 443"
            }
            ReasonCode::S2sSiteIp => {
                "vpn-gateway-vpn-faq.md: \"Point-to-site connections with IKEv2 can't be \
                 initiated from the same public IP addresses where a site-to-site VPN connection \
                 is configured on the same VPN gateway\" (spec §7)"
            }
            ReasonCode::SelectorLimit => {
                "vpn-gateway-vpn-faq.md \"What is the IKEv2 traffic selector limit\" and \
                 azure-virtual-network-gateway-limits.md \"P2S route limit\" (spec §2)"
            }
        }
    }

    /// What the code means and what to do about it (`p2s-sim explain CODE`).
    pub fn meaning(self) -> &'static str {
        match self {
            ReasonCode::OsUnsupported => {
                "The device's operating system, version or VPN app is not a supported point-to-site \
                 client (e.g. Windows 7, macOS before 10.11, Android without an OpenVPN app). \
                 Upgrade the OS or use the Azure VPN Client / an OpenVPN client."
            }
            ReasonCode::TunnelNotOffered => {
                "The gateway does not enable the tunnel type this client uses (or is policy-based \
                 and offers no point-to-site at all). Add the tunnel type, or move the client \
                 to one the gateway offers."
            }
            ReasonCode::ConfigRejected => {
                "Azure refuses the gateway's point-to-site configuration as written (a pool \
                 smaller than /29, /28 active-active; SSTP with OpenVPN; Entra ID without \
                 OpenVPN, or alone with IKEv2 + OpenVPN): it cannot be saved, so a template or \
                 plan carrying it fails to deploy and no client of it connects. Fix the finding \
                 the reason names (P2S003, P2S004, P2S005, P2S010)."
            }
            ReasonCode::SkuUnsupported => {
                "The gateway SKU does not support the protocol on the --as-of day: Basic has no \
                 OpenVPN and IKEv2 only from 2025-11-01. Resize to a VpnGw SKU."
            }
            ReasonCode::SstpRetired => {
                "SSTP connections stop on 2027-03-31. Move Windows clients to IKEv2 or to \
                 OpenVPN with the Azure VPN Client."
            }
            ReasonCode::NoPool => {
                "There is no address pool, or none left for this protocol after the SSTP/IKEv2 \
                 split, so the client gets no address. Add or enlarge address_pool."
            }
            ReasonCode::AuthUnsupported => {
                "No configured authentication type works for this client: AAD (Entra ID) only \
                 over OpenVPN with the Azure VPN Client, RADIUS not on Basic, and a \
                 configuration without any authentication type accepts no one."
            }
            ReasonCode::UdpBlocked => {
                "The network the device connects from blocks UDP 500/4500 and ESP, which IKEv2 \
                 needs. Windows falls back to SSTP when the gateway offers it; otherwise use \
                 OpenVPN (TCP 443)."
            }
            ReasonCode::S2sSiteIp => {
                "The device connects from the public IP of a site-to-site VPN device of the same \
                 gateway (a branch office with a tunnel to it, network s2s-site): IKEv2 \
                 point-to-site cannot start from there. Windows falls back to SSTP when the \
                 gateway offers it; otherwise use OpenVPN, or connect from another network."
            }
            ReasonCode::SelectorLimit => {
                "More traffic selectors (IKEv2) or routes (OpenVPN) than the client accepts: \
                 Windows fails above 25 without the 2021 fix (install it) and above 255 with it \
                 (error 13834), other IKEv2 clients are partial above 255, OpenVPN is treated \
                 as failing above 1,000. Summarize address space or remove prefixes."
            }
        }
    }

    pub fn parse(text: &str) -> Option<ReasonCode> {
        ReasonCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string, one of the codes (as serialized), not the variant names.
impl schemars::JsonSchema for ReasonCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReasonCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = ReasonCode::ALL.iter().map(|c| c.as_str()).collect();
        schemars::json_schema!({"type": "string", "enum": codes})
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One reason for a verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
    pub source: &'static str,
    /// What this reason alone makes of the client.
    #[serde(skip)]
    pub effect: Verdict,
}

impl Reason {
    /// A reason that stops the client from connecting, with the code's own source.
    pub fn fails(code: ReasonCode, text: String) -> Reason {
        Reason {
            code,
            text,
            source: code.source(),
            effect: Verdict::Fails,
        }
    }
}
