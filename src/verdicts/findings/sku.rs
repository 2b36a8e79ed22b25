//! SKU001–SKU003: what the gateway's SKU (the table in [`crate::facts::skus`]) does not support.

use super::catalog;
use super::index::Index;
use super::Sink;
use crate::facts::skus::sku_row;
use crate::model::Sku;

/// SKU001, SKU002, SKU003.
pub(crate) fn check(index: &Index, sink: &mut Sink) {
    for (_, gw) in index.topology.gateways() {
        if let (Some(row), Some(_)) = (gw.sku.and_then(sku_row), gw.bgp) {
            if !row.bgp {
                sink.add(
                    catalog::SKU003,
                    &gw.name,
                    format!(
                        "the {} SKU does not support BGP: remove bgp from the gateway or use a \
                         VpnGw SKU",
                        row.sku
                    ),
                );
            }
        }
        match gw.sku {
            None => sink.add(
                catalog::SKU001,
                &gw.name,
                "no SKU given: tunnel-count and client-capacity checks were skipped; add \
                 sku: (e.g. VpnGw1AZ)"
                    .to_string(),
            ),
            Some(sku @ (Sku::VpnGw1 | Sku::VpnGw2 | Sku::VpnGw3 | Sku::VpnGw4 | Sku::VpnGw5)) => {
                sink.add(
                    catalog::SKU002,
                    &gw.name,
                    format!(
                        "{sku} is not zone-redundant and is slated for migration to {sku}AZ; \
                     plan the move (same limits, zone-redundant)"
                    ),
                )
            }
            Some(_) => {}
        }
    }
}
