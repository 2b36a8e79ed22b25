//! Which files of a gateway's VPN client package a change makes stale (for `whatif`).
//!
//! The same facts as [`super::compare`], seen from the change instead of from a downloaded file:
//!
//! * the Windows package view (own VNet, transit peers, pool, custom routes), the tunnel types or
//!   the pool changed → `Generic/VpnSettings.xml` (its `Routes`, `VpnType`,
//!   `VpnClientAddressPool`) and, where the gateway offered IKEv2 or SSTP, the Windows installers
//!   built with it;
//! * OpenVPN no longer offered → `AzureVPN/azurevpnconfig.xml` and `OpenVPN/vpnconfig.ovpn`;
//! * the authentication types changed → every file the package had (each names how it
//!   authenticates; FAQ: a new authentication type needs a new package);
//! * P2S removed → every file the package had.
//!
//! A gateway that gains P2S has no old package, so nothing is stale. What an Azure VPN Client
//! profile's hand-made routes point at can only be judged with the file: `profile check`.

use crate::engine::GatewayAnalysis;
use crate::model::TunnelType;

pub const VPNSETTINGS: &str = "Generic/VpnSettings.xml";
pub const INSTALLERS: [&str; 2] = ["WindowsAmd64/", "WindowsX86/"];
pub const AZUREVPN: &str = "AzureVPN/azurevpnconfig.xml";
pub const OPENVPN: &str = "OpenVPN/vpnconfig.ovpn";

fn offers(g: &GatewayAnalysis, t: TunnelType) -> bool {
    g.clients.iter().any(|c| c.kind.tunnel == t)
}

fn tunnels(g: &GatewayAnalysis) -> Vec<TunnelType> {
    TunnelType::ALL
        .iter()
        .copied()
        .filter(|t| offers(g, *t))
        .collect()
}

/// The package files made stale, in package order.
pub fn stale_files(
    before: Option<&GatewayAnalysis>,
    after: Option<&GatewayAnalysis>,
) -> Vec<String> {
    let Some(b) = before else {
        return Vec::new();
    };
    let windows = offers(b, TunnelType::IkeV2) || offers(b, TunnelType::Sstp);
    let openvpn = offers(b, TunnelType::OpenVpn);
    let mut out: Vec<&str> = Vec::new();
    // P2S removed or its authentication changed: every file the package had.
    let (generic, openvpn_files) = match after {
        Some(a) if a.auth_types == b.auth_types => (
            b.package != a.package || tunnels(b) != tunnels(a) || b.pool != a.pool,
            openvpn && !offers(a, TunnelType::OpenVpn),
        ),
        _ => (true, openvpn),
    };
    if generic {
        out.push(VPNSETTINGS);
        if windows {
            out.extend(INSTALLERS);
        }
    }
    if openvpn_files {
        out.extend([AZUREVPN, OPENVPN]);
    }
    out.sort();
    out.into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analyze;
    use crate::read::{read_topology, Source};

    fn gateway(tunnels: &str) -> GatewayAnalysis {
        let text = format!(
            "vnets:\n  - name: v\n    address_space: [10.0.0.0/16]\n    gateway: {{name: g, sku: VpnGw1, p2s: {{address_pool: [172.16.0.0/24], tunnel_types: [{tunnels}]}}}}\n"
        );
        let t = read_topology(&[Source {
            name: "t.yaml".into(),
            text,
        }])
        .unwrap();
        analyze(&t).gateways.remove(0)
    }

    #[test]
    fn new_removed_and_unchanged_p2s() {
        let ike = gateway("IkeV2");
        let ovpn = gateway("OpenVPN");
        assert!(stale_files(None, Some(&ike)).is_empty(), "no old package");
        assert!(stale_files(Some(&ike), Some(&ike)).is_empty());
        assert_eq!(
            stale_files(Some(&ike), None),
            [VPNSETTINGS, INSTALLERS[0], INSTALLERS[1]]
        );
        // OpenVPN only: no installers; OpenVPN gone makes its profiles stale.
        assert_eq!(
            stale_files(Some(&ovpn), Some(&ike)),
            [AZUREVPN, VPNSETTINGS, OPENVPN]
        );
    }
}
