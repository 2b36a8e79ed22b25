//! The Windows fallback: "the Windows VPN client always tries the IKEv2 tunnel first. The client
//! falls back to SSTP if the IKEv2 connection isn't successful" (FAQ, spec §8). macOS and the
//! other IKEv2 clients do not fall back.

use super::{sstp_kind, ClientContext, Judgement, Target, Verdict};
use crate::facts::clients::ClientKind;
use crate::model::TunnelType;

/// Whether a kind falls back at all: the Windows native IKEv2 kinds.
pub fn can_fall_back(kind: &ClientKind) -> bool {
    kind.windows_native && kind.tunnel == TunnelType::IkeV2
}

/// The kind a failing Windows IKEv2 client ends up on: `windows-sstp` when the gateway offers
/// SSTP and SSTP itself does not fail. A `partial` IKEv2 tunnel comes up, so it does not fall
/// back.
pub fn fallback(
    target: &Target,
    kind: &ClientKind,
    judgement: &Judgement,
    client: ClientContext,
) -> Option<&'static ClientKind> {
    if !can_fall_back(kind) || judgement.verdict != Verdict::Fails {
        return None;
    }
    let sstp = sstp_kind();
    let offered = target
        .gateway
        .p2s
        .as_ref()
        .is_some_and(|p| p.has(TunnelType::Sstp));
    (offered && target.judge(sstp, client).verdict != Verdict::Fails).then_some(sstp)
}
