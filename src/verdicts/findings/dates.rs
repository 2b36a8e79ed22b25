//! DATE001–DATE005: rules that depend on the day (`--as-of`) and the product dates in
//! [`crate::facts::dates`].

use super::catalog;
use super::index::Index;
use super::{Options, Sink};
use crate::facts::dates::{migration_target, LEGACY_MIGRATED, SSTP_END, SSTP_NO_NEW};
use crate::model::TunnelType;

/// DATE001–DATE005.
pub(crate) fn check(index: &Index, options: &Options, sink: &mut Sink) {
    let day = options.as_of;
    for (_, gw) in index.topology.gateways() {
        if let Some(p2s) = &gw.p2s {
            if p2s.has(TunnelType::Sstp) {
                if day >= SSTP_END {
                    sink.add(
                        catalog::DATE003,
                        &gw.name,
                        format!(
                            "SSTP stopped working on {SSTP_END} (as of {day}): move clients to \
                             IKEv2 or OpenVPN and remove SSTP from the tunnel types"
                        ),
                    );
                } else if day >= SSTP_NO_NEW {
                    sink.add(
                        catalog::DATE002,
                        &gw.name,
                        format!(
                            "SSTP can no longer be enabled since {SSTP_NO_NEW} and stops working \
                             on {SSTP_END}: a new deployment with SSTP is rejected; move clients \
                             to IKEv2 or OpenVPN"
                        ),
                    );
                } else {
                    sink.add(
                        catalog::DATE001,
                        &gw.name,
                        format!(
                            "SSTP is retiring: it cannot be enabled from {SSTP_NO_NEW} and stops \
                             working on {SSTP_END}; plan the move to IKEv2 or OpenVPN"
                        ),
                    );
                }
            }
        }
        if let Some(sku) = gw.sku {
            if let Some(target) = migration_target(sku) {
                if day >= LEGACY_MIGRATED {
                    sink.add(
                        catalog::DATE005,
                        &gw.name,
                        format!(
                            "legacy SKU {sku} was migrated to {target} after June 2026 (as of \
                             {day}): write sku: {target} (capacity is computed for {target})"
                        ),
                    );
                } else {
                    sink.add(
                        catalog::DATE004,
                        &gw.name,
                        format!(
                            "legacy SKU {sku} is retired and will be migrated to {target} after \
                             June 2026: migrate it yourself to choose the time"
                        ),
                    );
                }
            }
        }
    }
}
