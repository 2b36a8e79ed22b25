//! SKU001–SKU005: what the gateway's SKU (the table in [`crate::facts::skus`]) does not support.

use super::catalog;
use super::index::Index;
use super::Sink;
use crate::facts::skus::{generations, sku_row, supports_nat};
use crate::model::Sku;

/// SKU001, SKU002, SKU003, SKU004, SKU005.
pub(crate) fn check(index: &Index, sink: &mut Sink) {
    for (_, gw) in index.topology.gateways() {
        if let Some(sku) = gw.sku.filter(|&s| gw.nat_rules > 0 && !supports_nat(s)) {
            sink.add(
                catalog::SKU005,
                &gw.name,
                format!(
                    "{} NAT rule(s) on {sku}, which has no NAT (VpnGw2–5 and VpnGw2AZ–5AZ \
                     only): resize to VpnGw2AZ or larger, or remove the rules",
                    gw.nat_rules
                ),
            );
        }
        if let (Some(sku), Some(generation)) = (gw.sku, gw.generation) {
            let made_in = generations(sku);
            // Legacy SKUs predate generations: whatever an export says of them is not checked.
            if !made_in.is_empty() && !made_in.contains(&generation) {
                let only: Vec<&str> = made_in.iter().map(|g| g.as_str()).collect();
                sink.add(
                    catalog::SKU004,
                    &gw.name,
                    format!(
                        "{sku} is made only in {}, not in {generation}: Azure does not create \
                         this gateway; set generation: {} or pick a {generation} SKU",
                        only.join(" and "),
                        only[0]
                    ),
                );
            }
        }
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
