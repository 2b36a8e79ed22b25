//! Rules on a gateway's own point-to-site settings: VPN type, pool size, tunnel and
//! authentication types per SKU (P2S001–P2S010), and custom routes (ROUTE001).
//!
//! Spec §3 (tunnel × auth mapping, Basic SKU, route-based requirement), the pool include (pool
//! size), spec §6 (custom routes).

use super::catalog;
use super::index::Index;
use super::{short_list, Options, Sink};
use crate::facts::dates::BASIC_IKEV2;
use crate::model::{AuthType, Gateway, P2s, Sku, TunnelType, VpnType};
use crate::prefix::IpNet;

/// Longest pool prefix Azure accepts: /29 active-passive, /28 active-active (IPv4).
pub(crate) fn max_pool_prefix_len(active_active: bool) -> u8 {
    if active_active {
        28
    } else {
        29
    }
}

/// The pool prefixes longer than Azure accepts (P2S003).
fn pool_below_minimum<'a>(gw: &Gateway, p2s: &'a P2s) -> Vec<&'a IpNet> {
    let max_len = max_pool_prefix_len(gw.active_active);
    p2s.address_pool
        .iter()
        .filter(|p| p.addr().is_ipv4() && p.prefix_len() > max_len)
        .collect()
}

/// SSTP and OpenVPN both on TCP 443 (P2S004).
fn sstp_with_openvpn(p2s: &P2s) -> bool {
    p2s.has(TunnelType::Sstp) && p2s.has(TunnelType::OpenVpn)
}

/// Entra ID authentication without the one tunnel type it works over (P2S005).
fn aad_without_openvpn(p2s: &P2s) -> bool {
    p2s.auth_types.contains(&AuthType::Aad) && !p2s.has(TunnelType::OpenVpn)
}

/// IKEv2 + OpenVPN with Entra ID as the only authentication (P2S010).
fn aad_alone_with_ikev2_and_openvpn(p2s: &P2s) -> bool {
    let aad_only = !p2s.auth_types.is_empty() && p2s.auth_types.iter().all(|a| *a == AuthType::Aad);
    aad_only && p2s.has(TunnelType::IkeV2) && p2s.has(TunnelType::OpenVpn)
}

/// The findings (code and title) for which Azure refuses the gateway's whole P2S
/// configuration: it cannot be saved, so a plan or template carrying it fails to deploy and no
/// client of it connects (the catalog's rules say "rejected" / "cannot be configured").
pub(crate) fn rejected_by_azure(gw: &Gateway) -> Vec<&'static catalog::Rule> {
    let Some(p2s) = &gw.p2s else {
        return Vec::new();
    };
    [
        (!pool_below_minimum(gw, p2s).is_empty(), &catalog::P2S003),
        (sstp_with_openvpn(p2s), &catalog::P2S004),
        (aad_without_openvpn(p2s), &catalog::P2S005),
        (aad_alone_with_ikev2_and_openvpn(p2s), &catalog::P2S010),
    ]
    .into_iter()
    .filter_map(|(rejected, rule)| rejected.then_some(rule))
    .collect()
}

pub(crate) fn check(index: &Index, options: &Options, sink: &mut Sink) {
    for (_, gw) in index.topology.gateways() {
        custom_routes(gw, sink);
        let Some(p2s) = &gw.p2s else { continue };
        let name = &gw.name;
        if gw.vpn_type == VpnType::PolicyBased {
            sink.add(
                catalog::P2S001,
                name,
                "point-to-site needs a route-based gateway: recreate it with vpn_type: RouteBased"
                    .to_string(),
            );
        }
        if p2s.address_pool.is_empty() {
            sink.add(
                catalog::P2S002,
                name,
                "the P2S configuration has no address pool: add address_pool (e.g. \
                 172.16.201.0/24) outside every VNet and site range"
                    .to_string(),
            );
        }
        let max_len = max_pool_prefix_len(gw.active_active);
        let small = pool_below_minimum(gw, p2s);
        if !small.is_empty() {
            let mode = if gw.active_active {
                "active-active"
            } else {
                "active-passive"
            };
            sink.add(
                catalog::P2S003,
                name,
                format!(
                    "address pool {} is smaller than /{max_len}, the {mode} minimum: use /{max_len} \
                     or larger",
                    short_list(&small, 5)
                ),
            );
        }
        if p2s.auth_types.is_empty() {
            sink.add(
                catalog::P2S009,
                name,
                "the P2S configuration has no authentication (no certificate, RADIUS or AAD), so \
                 no client can connect: add auth_types (e.g. [Certificate]) and its material"
                    .to_string(),
            );
        }
        if sstp_with_openvpn(p2s) {
            sink.add(
                catalog::P2S004,
                name,
                "SSTP and OpenVPN cannot be enabled together: remove SSTP (it is retiring) or \
                 OpenVPN"
                    .to_string(),
            );
        }
        if aad_without_openvpn(p2s) {
            sink.add(
                catalog::P2S005,
                name,
                "AAD (Entra ID) authentication works only with OpenVPN: add OpenVPN to \
                 tunnel_types or use Certificate/Radius"
                    .to_string(),
            );
        }
        if aad_alone_with_ikev2_and_openvpn(p2s) {
            sink.add(
                catalog::P2S010,
                name,
                "IKEv2 + OpenVPN with AAD (Entra ID) as the only authentication cannot be \
                 configured: AAD works only over OpenVPN, so add Certificate or Radius for the \
                 IKEv2 clients, or remove IkeV2"
                    .to_string(),
            );
        }
        if gw.sku == Some(Sku::Basic) {
            basic(gw, options, sink);
        }
    }
}

fn basic(gw: &Gateway, options: &Options, sink: &mut Sink) {
    let Some(p2s) = &gw.p2s else { return };
    let name = &gw.name;
    if p2s.auth_types.contains(&AuthType::Radius) {
        sink.add(
            catalog::P2S006,
            name,
            "the Basic SKU does not support RADIUS: use certificate authentication or a VpnGw SKU"
                .to_string(),
        );
    }
    if p2s.has(TunnelType::IkeV2) && options.as_of < BASIC_IKEV2 {
        sink.add(
            catalog::P2S007,
            name,
            format!(
                "the Basic SKU supports IKEv2 only from {BASIC_IKEV2} (as of {}): use SSTP, or \
                 a VpnGw SKU",
                options.as_of
            ),
        );
    }
    if p2s.has(TunnelType::OpenVpn) {
        sink.add(
            catalog::P2S008,
            name,
            "the Basic SKU does not support OpenVPN: remove it or use a VpnGw SKU (e.g. VpnGw1AZ)"
                .to_string(),
        );
    }
}

/// ROUTE001: a default route among the custom routes (any gateway, P2S or not: the setting
/// exists only for P2S, so it is reported wherever it is written). ROUTE002: custom routes
/// that cover a whole address family without the default route itself (forced tunnelling).
fn custom_routes(gw: &Gateway, sink: &mut Sink) {
    let routes = crate::prefix::PrefixSet::from_prefixes(gw.custom_routes.iter().copied());
    // 0.0.0.0/0 and ::/0 (ipnet's defaults).
    let whole_families = [
        ipnet::Ipv4Net::default().into(),
        ipnet::Ipv6Net::default().into(),
    ];
    for all in whole_families {
        // The default route itself is ROUTE001's.
        if !gw.custom_routes.contains(&all) && routes.covers(&all) {
            sink.add(
                catalog::ROUTE002,
                &gw.name,
                format!(
                    "the custom routes cover all of {all} (forced tunnelling): P2S clients send \
                     all their traffic to the gateway, and Internet traffic is dropped"
                ),
            );
        }
    }
    for route in gw.custom_routes.iter().filter(|r| r.prefix_len() == 0) {
        let fix = if route.addr().is_ipv4() {
            "advertise 0.0.0.0/1 and 128.0.0.0/1 instead"
        } else {
            "advertise ::/1 and 8000::/1 instead"
        };
        sink.add(
            catalog::ROUTE001,
            &gw.name,
            format!(
                "custom route {route} is not supported (Internet traffic is dropped): to \
                 force-tunnel, {fix}"
            ),
        );
    }
}
