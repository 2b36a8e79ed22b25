//! The gateway's side of a verdict: is the client's tunnel type offered, does the SKU support
//! it on the day, is there a pool part for it, is SSTP still alive, and can the client use one
//! of the configured authentication types (spec §3, §4).

use super::{ClientContext, Reason, ReasonCode, Target};
use crate::engine::Assumption;
use crate::facts::clients::ClientKind;
use crate::model::{AuthType, Sku, TunnelType, VpnType};
use crate::verdicts::findings::{effective_sku, rejected_by_azure, sku_row, BASIC_IKEV2, SSTP_END};

/// Adds the gateway-side reasons for `kind` to `reasons`.
pub fn check(
    target: &Target,
    kind: &ClientKind,
    client: ClientContext,
    reasons: &mut Vec<Reason>,
    assumptions: &mut Vec<Assumption>,
) {
    let gw = target.gateway;
    let tunnel = kind.tunnel;
    let Some(p2s) = &gw.p2s else {
        reasons.push(Reason::fails(
            ReasonCode::TunnelNotOffered,
            format!("gateway {} has no point-to-site configuration", gw.name),
        ));
        return;
    };
    if gw.vpn_type == VpnType::PolicyBased {
        reasons.push(Reason::fails(
            ReasonCode::TunnelNotOffered,
            "a policy-based gateway offers no point-to-site at all (it needs vpn_type: \
             RouteBased)"
                .to_string(),
        ));
        return;
    }
    if !p2s.has(tunnel) {
        let offered: Vec<&str> = p2s.tunnel_types.iter().map(|t| t.as_str()).collect();
        reasons.push(Reason::fails(
            ReasonCode::TunnelNotOffered,
            format!(
                "the gateway offers {} but not {tunnel}",
                if offered.is_empty() {
                    "no tunnel type".to_string()
                } else {
                    offered.join(", ")
                }
            ),
        ));
        return;
    }
    let rejected = rejected_by_azure(gw);
    if !rejected.is_empty() {
        let what: Vec<String> = rejected
            .iter()
            .map(|r| format!("{}: {}", r.code, r.title))
            .collect();
        reasons.push(Reason::fails(
            ReasonCode::ConfigRejected,
            format!(
                "Azure rejects this point-to-site configuration ({}): it cannot be deployed, so \
                 no client connects until it is fixed",
                what.join("; ")
            ),
        ));
        return;
    }
    if client.udp_blocked && tunnel == TunnelType::IkeV2 {
        reasons.push(Reason::fails(
            ReasonCode::UdpBlocked,
            "the network blocks UDP 500/4500 and ESP, which IKEv2 needs".to_string(),
        ));
    }
    if client.from_s2s_site && tunnel == TunnelType::IkeV2 {
        reasons.push(Reason::fails(
            ReasonCode::S2sSiteIp,
            "IKEv2 point-to-site cannot start from the public IP of a site-to-site VPN device \
             of the same gateway"
                .to_string(),
        ));
    }
    let day = target.as_of;
    let sku = gw.sku.map(|s| effective_sku(s, day));
    if let Some(text) = sku.and_then(|s| sku_gap(s, tunnel, day)) {
        reasons.push(Reason::fails(ReasonCode::SkuUnsupported, text));
        if matches!(gw.sku, Some(Sku::Standard | Sku::HighPerformance)) {
            super::add_assumption(
                assumptions,
                Assumption {
                    code: "legacy-sku-protocols",
                    text: "whether the legacy Standard/HighPerformance SKUs support IKEv2 or \
                           OpenVPN is not documented (spec §3 [U]): the SKU table says they do \
                           not"
                    .to_string(),
                },
            );
        }
    }
    if tunnel == TunnelType::Sstp && day >= SSTP_END {
        reasons.push(Reason::fails(
            ReasonCode::SstpRetired,
            format!("SSTP connections stopped on {SSTP_END} (as of {day})"),
        ));
    }
    let pool = &target.analysis.pool;
    let part = match (&pool.split, tunnel) {
        (Some(split), TunnelType::Sstp) => &split.sstp,
        (Some(split), TunnelType::IkeV2) => &split.ikev2,
        _ => &pool.prefixes,
    };
    if part.is_empty() {
        reasons.push(Reason::fails(
            ReasonCode::NoPool,
            if pool.prefixes.is_empty() {
                "the P2S configuration has no address pool: clients get no address".to_string()
            } else {
                format!(
                    "the address pool leaves no addresses for {tunnel} after the SSTP/IKEv2 split"
                )
            },
        ));
    }
    auth(target, kind, client, sku, reasons, assumptions);
}

/// Why `sku` cannot carry `tunnel` on `day`, if it cannot.
fn sku_gap(sku: Sku, tunnel: TunnelType, day: crate::verdicts::findings::Date) -> Option<String> {
    let row = sku_row(sku)?;
    let supported = match tunnel {
        TunnelType::Sstp => true,
        TunnelType::IkeV2 => row.p2s_ikev2 || (sku == Sku::Basic && day >= BASIC_IKEV2),
        TunnelType::OpenVpn => row.p2s_openvpn,
    };
    if supported {
        return None;
    }
    Some(match (sku, tunnel) {
        (Sku::Basic, TunnelType::IkeV2) => {
            format!("the Basic SKU supports IKEv2 only from {BASIC_IKEV2} (as of {day})")
        }
        _ => format!("the {sku} SKU does not support {tunnel} for point-to-site"),
    })
}

/// AAD only over OpenVPN with the Azure VPN Client; RADIUS not on Basic; no type = no one.
fn auth(
    target: &Target,
    kind: &ClientKind,
    client: ClientContext,
    sku: Option<Sku>,
    reasons: &mut Vec<Reason>,
    assumptions: &mut Vec<Assumption>,
) {
    let Some(p2s) = &target.gateway.p2s else {
        return;
    };
    if p2s.auth_types.is_empty() {
        reasons.push(Reason::fails(
            ReasonCode::AuthUnsupported,
            "the P2S configuration lists no authentication type, so it accepts no client: add \
             auth_types (e.g. [Certificate])"
                .to_string(),
        ));
        return;
    }
    let mut why_not = Vec::new();
    let mut usable = Vec::new();
    for &a in &p2s.auth_types {
        match a {
            AuthType::Certificate => usable.push(a),
            AuthType::Radius if sku == Some(Sku::Basic) => {
                why_not.push("RADIUS is not supported on the Basic SKU")
            }
            AuthType::Radius => usable.push(a),
            AuthType::Aad if kind.tunnel != TunnelType::OpenVpn => {
                why_not.push("AAD (Entra ID) works only over OpenVPN")
            }
            AuthType::Aad if client.azure_vpn_client == Some(false) => {
                why_not.push("AAD (Entra ID) needs the Azure VPN Client")
            }
            AuthType::Aad => usable.push(a),
        }
    }
    if usable.is_empty() {
        reasons.push(Reason::fails(
            ReasonCode::AuthUnsupported,
            why_not.join("; "),
        ));
    } else if usable == [AuthType::Aad] && client.azure_vpn_client.is_none() {
        super::add_assumption(
            assumptions,
            Assumption {
                code: "aad-azure-vpn-client",
                text: "the gateway accepts only AAD (Entra ID): OpenVPN users are counted as \
                       connecting on the assumption that they use the Azure VPN Client (other \
                       OpenVPN clients cannot use AAD)"
                    .to_string(),
            },
        );
    }
}
