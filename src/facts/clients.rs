//! The kinds of P2S client and what each one gets: one table, the only place limits live.
//!
//! Spec §0 (model), §1 (who installs what), §2 (limits). A client kind is shown for a gateway
//! only when the gateway enables its tunnel type.

use crate::model::TunnelType;

/// Which route list a client installs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteView {
    /// The Windows native VPN package, a snapshot taken at download time: own VNet, transit
    /// peers, pool and custom routes (spec §0.2, §1 re-download rule).
    Package,
    /// Everything the gateway offers at connect time (`advertised`, spec §0.1).
    Advertised,
}

/// What the client's limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// IKEv2 traffic selectors: one per prefix in `advertised` (spec §0.1, §2).
    Selectors,
    /// Routes pushed to the client.
    Routes,
    /// No limit is documented (SSTP).
    Nothing,
}

/// One kind of P2S client.
#[derive(Debug, PartialEq, Eq)]
pub struct ClientKind {
    /// Stable identifier used in every output format and in `--clients`.
    pub id: &'static str,
    pub description: &'static str,
    pub tunnel: TunnelType,
    pub routes: RouteView,
    pub counting: Counting,
    /// Upper bound that still connects; `None` when none is documented.
    pub limit: Option<usize>,
    /// A Windows native client: its routes are a download-time snapshot (re-download rule).
    pub windows_native: bool,
    pub source: &'static str,
    /// What happens to this client above its limit; `None` when it has no limit.
    pub beyond_limit: Option<BeyondLimit>,
}

/// What a client above its limit experiences (used by [`crate::verdicts`]).
#[derive(Debug, PartialEq, Eq)]
pub struct BeyondLimit {
    /// `true`: the tunnel does not come up; `false`: it comes up, traffic to some prefixes fails.
    pub fails: bool,
    /// `Some(code)` when the behaviour is not documented: the verdict then carries this
    /// assumption code and [`BeyondLimit::text`] as its text.
    pub assumption: Option<&'static str>,
    pub text: &'static str,
    pub source: &'static str,
}

const WINDOWS_ABOVE_25: BeyondLimit = BeyondLimit {
    fails: true,
    assumption: None,
    text: "Windows clients without the 2021 fix fail to connect above 25 traffic selectors \
           (\"Error processing ID payload. (Error 13834)\")",
    source: FAQ_TS,
};

const WINDOWS_ABOVE_255: BeyondLimit = BeyondLimit {
    fails: true,
    assumption: None,
    text: "Windows clients fail to connect via IKEv2 above their traffic-selector limit, 255 \
           with the 2021 fix (\"Error processing ID payload. (Error 13834)\")",
    source: FAQ_TS,
};

/// Non-Windows IKEv2 clients: the FAQ's "fail to connect" names Windows only.
const IKEV2_ABOVE_255: BeyondLimit = BeyondLimit {
    fails: false,
    assumption: Some("ikev2-over-255-partial"),
    text: "above 255 traffic selectors an IKEv2 tunnel still comes up but traffic to some \
           prefixes fails (field report: adstuart/azure-vpn-p2s \
           misc-win10-ikev2-trafficselectors, citing the one-octet TS count of RFC 5996): \
           treated as partial",
    source: "adstuart/azure-vpn-p2s misc-win10-ikev2-trafficselectors/README.md [F]",
};

const OPENVPN_ABOVE_1000: BeyondLimit = BeyondLimit {
    fails: true,
    assumption: Some("openvpn-over-1000-fails"),
    text: "what an OpenVPN client does with more than 1,000 routes is not documented: \
           treated as failing to connect",
    source: "vpn-gateway-vpn-faq.md: \"The traffic selector limit for OpenVPN is 1,000 routes\" \
             (behaviour above it undocumented, spec §2)",
};

const FAQ_TS: &str = "vpn-gateway-vpn-faq.md, \"What is the IKEv2 traffic selector limit\"";
const LIMITS: &str = "azure-virtual-network-gateway-limits.md, \"P2S route limit\"";

/// Every client kind, in output order.
pub const CLIENT_KINDS: &[ClientKind] = &[
    ClientKind {
        id: "windows-ikev2",
        description: "Windows native IKEv2, with the September 2021 traffic-selector fix",
        tunnel: TunnelType::IkeV2,
        routes: RouteView::Package,
        counting: Counting::Selectors,
        limit: Some(255),
        windows_native: true,
        source: FAQ_TS,
        beyond_limit: Some(WINDOWS_ABOVE_255),
    },
    ClientKind {
        id: "windows-ikev2-legacy",
        description: "Windows native IKEv2 without the 2021 fix (KB5005625/KB5005624/KB5005611)",
        tunnel: TunnelType::IkeV2,
        routes: RouteView::Package,
        counting: Counting::Selectors,
        limit: Some(25),
        windows_native: true,
        source: FAQ_TS,
        beyond_limit: Some(WINDOWS_ABOVE_25),
    },
    ClientKind {
        id: "windows-sstp",
        description: "Windows native SSTP",
        tunnel: TunnelType::Sstp,
        routes: RouteView::Package,
        counting: Counting::Nothing,
        limit: None,
        windows_native: true,
        source: "no route or selector limit documented for SSTP (spec §2)",
        beyond_limit: None,
    },
    advertised_ikev2("macos-ikev2", "macOS native IKEv2"),
    advertised_ikev2("ios-ikev2", "iOS native IKEv2"),
    advertised_ikev2("linux-ikev2", "Linux strongSwan IKEv2"),
    ClientKind {
        id: "openvpn",
        description: "OpenVPN on any OS, including the Azure VPN Client",
        tunnel: TunnelType::OpenVpn,
        routes: RouteView::Advertised,
        counting: Counting::Routes,
        limit: Some(1000),
        windows_native: false,
        source:
            "vpn-gateway-vpn-faq.md: \"The traffic selector limit for OpenVPN is 1,000 routes\"",
        beyond_limit: Some(OPENVPN_ABOVE_1000),
    },
];

/// A non-Windows IKEv2 client (macOS, iOS, strongSwan): it installs what the gateway advertises
/// at connect time, within the documented 255-selector limit.
const fn advertised_ikev2(id: &'static str, description: &'static str) -> ClientKind {
    ClientKind {
        id,
        description,
        tunnel: TunnelType::IkeV2,
        routes: RouteView::Advertised,
        counting: Counting::Selectors,
        limit: Some(255),
        windows_native: false,
        source: LIMITS,
        beyond_limit: Some(IKEV2_ABOVE_255),
    }
}

/// Looks a client kind up by its id (case-insensitive).
pub fn client_kind(id: &str) -> Option<&'static ClientKind> {
    CLIENT_KINDS
        .iter()
        .find(|k| k.id.eq_ignore_ascii_case(id.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_tunnel_has_a_client() {
        let mut ids: Vec<_> = CLIENT_KINDS.iter().map(|k| k.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CLIENT_KINDS.len());
        for t in TunnelType::ALL {
            assert!(CLIENT_KINDS.iter().any(|k| k.tunnel == *t), "{t}");
        }
        assert_eq!(client_kind("OpenVPN").map(|k| k.limit), Some(Some(1000)));
    }
}
