//! The VPN gateway SKU table (spec §3) as data: tunnels, P2S connections per protocol,
//! throughput, BGP and generation, one row per (generation, SKU) with its source.
//!
//! Sources: `about-gateway-skus.md` (06/23/2025) and `vpn-gateway-table-gwtype-aggtput-include.md`
//! (rev. 06/08/2026) for Basic and VpnGw1–5(AZ); the legacy includes
//! `vpn-gateway-table-requirements-legacy-sku-include.md` and
//! `vpn-gateway-table-gwtype-legacy-aggtput-include.md` for Standard and HighPerformance.
//!
//! Facts the rows encode:
//! - SSTP is always 128 connections, separate from IKEv2/OpenVPN ("These connection limits are
//!   separate… 128 SSTP connections and also 250 IKEv2 connections on a VpnGw1"; "SSTP supports up
//!   to 128 concurrent connections only regardless of the gateway SKU").
//! - The IKEv2/OpenVPN column is one number for both protocols: p2s-sim treats it as a limit
//!   they share (the column is titled "IKEv2/OpenVPN connections") **\[I\]**.
//! - Legacy SKUs and Basic list one P2S maximum of 128 for the gateway ([`P2sLimit::Total`]).
//!   Basic + IKEv2 (allowed from November 2025) has no documented count; p2s-sim assumes it
//!   shares Basic's 128 **\[I\]** and says so in the capacity output.
//! - VpnGw2 and VpnGw3 exist in both generations with the same connection limits and different
//!   throughput, so tunnel and client limits never depend on the generation. VpnGw1 (and Basic)
//!   exist only in Generation1, VpnGw4 and VpnGw5 only in Generation2: a gateway that names
//!   another pair is one Azure does not make (SKU004).

use serde::Serialize;

use crate::model::{GatewayGeneration, Sku};

/// Gateway generation (`vpnGatewayGeneration`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Generation {
    Generation1,
    Generation2,
    /// Standard and HighPerformance: before generations existed.
    Legacy,
}

/// How a SKU limits P2S connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum P2sLimit {
    /// SSTP and IKEv2/OpenVPN are counted separately; IKEv2 and OpenVPN share theirs.
    Separate { sstp: u32, ikev2_openvpn: u32 },
    /// One maximum for all protocols together.
    Total(u32),
}

/// One row of the SKU table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SkuRow {
    #[serde(serialize_with = "sku_name")]
    pub sku: Sku,
    pub generation: Generation,
    /// S2S and VNet-to-VNet tunnels (connection resources) the gateway accepts.
    pub s2s_tunnels: u32,
    pub p2s: P2sLimit,
    /// Whether the SKU supports IKEv2 for P2S before any dated change ([`super::dates`]).
    pub p2s_ikev2: bool,
    pub p2s_openvpn: bool,
    pub p2s_radius: bool,
    /// Aggregate benchmark throughput (S2S and P2S together), Mbit/s.
    pub throughput_mbps: u32,
    pub bgp: bool,
    pub zone_redundant: bool,
    pub source: &'static str,
}

fn sku_name<S: serde::Serializer>(sku: &Sku, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(sku.as_str())
}

const SKUS: &str = "about-gateway-skus.md + vpn-gateway-table-gwtype-aggtput-include.md \
                    (https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus)";
const LEGACY: &str = "vpn-gateway-table-requirements-legacy-sku-include.md + \
                      vpn-gateway-table-gwtype-legacy-aggtput-include.md \
                      (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-skus-legacy)";

const fn vpngw(
    sku: Sku,
    generation: Generation,
    s2s_tunnels: u32,
    ikev2_openvpn: u32,
    throughput_mbps: u32,
    zone_redundant: bool,
) -> SkuRow {
    SkuRow {
        sku,
        generation,
        s2s_tunnels,
        p2s: P2sLimit::Separate {
            sstp: 128,
            ikev2_openvpn,
        },
        p2s_ikev2: true,
        p2s_openvpn: true,
        p2s_radius: true,
        throughput_mbps,
        bgp: true,
        zone_redundant,
        source: SKUS,
    }
}

use Generation::{Generation1 as G1, Generation2 as G2};

/// Every row, Basic first, then by SKU and generation.
pub const SKU_TABLE: &[SkuRow] = &[
    SkuRow {
        sku: Sku::Basic,
        generation: G1,
        s2s_tunnels: 10,
        p2s: P2sLimit::Total(128),
        p2s_ikev2: false,
        p2s_openvpn: false,
        p2s_radius: false,
        throughput_mbps: 100,
        bgp: false,
        zone_redundant: false,
        source: SKUS,
    },
    vpngw(Sku::VpnGw1, G1, 30, 250, 650, false),
    vpngw(Sku::VpnGw1AZ, G1, 30, 250, 650, true),
    vpngw(Sku::VpnGw2, G1, 30, 500, 1000, false),
    vpngw(Sku::VpnGw2, G2, 30, 500, 1250, false),
    vpngw(Sku::VpnGw2AZ, G1, 30, 500, 1000, true),
    vpngw(Sku::VpnGw2AZ, G2, 30, 500, 1250, true),
    vpngw(Sku::VpnGw3, G1, 30, 1000, 1250, false),
    vpngw(Sku::VpnGw3, G2, 30, 1000, 2500, false),
    vpngw(Sku::VpnGw3AZ, G1, 30, 1000, 1250, true),
    vpngw(Sku::VpnGw3AZ, G2, 30, 1000, 2500, true),
    vpngw(Sku::VpnGw4, G2, 100, 5000, 5000, false),
    vpngw(Sku::VpnGw4AZ, G2, 100, 5000, 5000, true),
    vpngw(Sku::VpnGw5, G2, 100, 10000, 10000, false),
    vpngw(Sku::VpnGw5AZ, G2, 100, 10000, 10000, true),
    SkuRow {
        sku: Sku::Standard,
        generation: Generation::Legacy,
        s2s_tunnels: 10,
        p2s: P2sLimit::Total(128),
        p2s_ikev2: false,
        p2s_openvpn: false,
        p2s_radius: true,
        throughput_mbps: 100,
        bgp: true,
        zone_redundant: false,
        source: LEGACY,
    },
    SkuRow {
        sku: Sku::HighPerformance,
        generation: Generation::Legacy,
        s2s_tunnels: 30,
        p2s: P2sLimit::Total(128),
        p2s_ikev2: false,
        p2s_openvpn: false,
        p2s_radius: true,
        throughput_mbps: 200,
        bgp: true,
        zone_redundant: false,
        source: LEGACY,
    },
];

/// Whether the SKU supports NAT rules: "NAT is supported on VpnGw2–5 and VpnGw2AZ–5AZ"
/// (FAQ, NAT section; spec §3). Not Basic, VpnGw1(AZ) or the legacy SKUs.
pub fn supports_nat(sku: Sku) -> bool {
    use Sku::*;
    matches!(
        sku,
        VpnGw2 | VpnGw3 | VpnGw4 | VpnGw5 | VpnGw2AZ | VpnGw3AZ | VpnGw4AZ | VpnGw5AZ
    )
}

/// The generations a SKU is made in (its rows), ascending, as a gateway names them: none for
/// Standard and HighPerformance, which predate generations.
pub fn generations(sku: Sku) -> Vec<GatewayGeneration> {
    SKU_TABLE
        .iter()
        .filter(|r| r.sku == sku)
        .filter_map(|r| match r.generation {
            Generation::Generation1 => Some(GatewayGeneration::Generation1),
            Generation::Generation2 => Some(GatewayGeneration::Generation2),
            Generation::Legacy => None,
        })
        .collect()
}

/// The first row of a SKU (its lowest generation). Tunnel and P2S limits are the same in every
/// generation of a SKU (a unit test checks it), so this is what limit checks use.
pub fn sku_row(sku: Sku) -> Option<&'static SkuRow> {
    SKU_TABLE.iter().find(|r| r.sku == sku)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sku_has_a_row_and_limits_do_not_depend_on_generation() {
        for sku in Sku::ALL {
            let first = sku_row(*sku).unwrap_or_else(|| panic!("{sku} missing"));
            for r in SKU_TABLE.iter().filter(|r| r.sku == *sku) {
                assert_eq!(
                    (r.s2s_tunnels, r.p2s, r.p2s_ikev2, r.p2s_openvpn, r.bgp),
                    (
                        first.s2s_tunnels,
                        first.p2s,
                        first.p2s_ikev2,
                        first.p2s_openvpn,
                        first.bgp
                    ),
                    "{sku}"
                );
            }
        }
    }

    /// Every row against spec §3's table, transcribed here: generation, SKU, S2S/V2V tunnels,
    /// SSTP, IKEv2/OpenVPN (0: not supported; Basic's and the legacy rows' one total in the
    /// SSTP column), throughput in Mbit/s, BGP.
    #[test]
    fn every_row_is_the_spec_table() {
        const SPEC: &str = "\
            1 Basic 10 128 0 100 no
            1 VpnGw1 30 128 250 650 yes
            1 VpnGw1AZ 30 128 250 650 yes
            1 VpnGw2 30 128 500 1000 yes
            1 VpnGw2AZ 30 128 500 1000 yes
            1 VpnGw3 30 128 1000 1250 yes
            1 VpnGw3AZ 30 128 1000 1250 yes
            2 VpnGw2 30 128 500 1250 yes
            2 VpnGw2AZ 30 128 500 1250 yes
            2 VpnGw3 30 128 1000 2500 yes
            2 VpnGw3AZ 30 128 1000 2500 yes
            2 VpnGw4 100 128 5000 5000 yes
            2 VpnGw4AZ 100 128 5000 5000 yes
            2 VpnGw5 100 128 10000 10000 yes
            2 VpnGw5AZ 100 128 10000 10000 yes
            legacy Standard 10 128 0 100 yes
            legacy HighPerformance 30 128 0 200 yes";
        let mut seen = 0;
        for line in SPEC.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let generation = match f[0] {
                "1" => Generation::Generation1,
                "2" => Generation::Generation2,
                _ => Generation::Legacy,
            };
            let sku = Sku::parse(f[1]).unwrap();
            let n = |i: usize| f[i].parse::<u32>().unwrap();
            let row = SKU_TABLE
                .iter()
                .find(|r| r.sku == sku && r.generation == generation)
                .unwrap_or_else(|| panic!("no row for {line}"));
            let p2s = if n(4) == 0 {
                P2sLimit::Total(n(3))
            } else {
                P2sLimit::Separate {
                    sstp: n(3),
                    ikev2_openvpn: n(4),
                }
            };
            assert_eq!(
                (row.s2s_tunnels, row.p2s, row.throughput_mbps, row.bgp),
                (n(2), p2s, n(5), f[6] == "yes"),
                "{line}"
            );
            seen += 1;
        }
        assert_eq!(
            seen,
            SKU_TABLE.len(),
            "the table has rows the spec does not"
        );
    }

    #[test]
    fn spec_table_values() {
        let gw1 = sku_row(Sku::VpnGw1).unwrap();
        assert_eq!(
            gw1.p2s,
            P2sLimit::Separate {
                sstp: 128,
                ikev2_openvpn: 250
            }
        );
        assert_eq!(gw1.s2s_tunnels, 30);
        assert_eq!(sku_row(Sku::VpnGw4AZ).unwrap().s2s_tunnels, 100);
        assert_eq!(sku_row(Sku::Basic).unwrap().s2s_tunnels, 10);
        assert!(!sku_row(Sku::Basic).unwrap().bgp);
        let gen2: Vec<u32> = SKU_TABLE
            .iter()
            .filter(|r| r.sku == Sku::VpnGw3 && r.generation == Generation::Generation2)
            .map(|r| r.throughput_mbps)
            .collect();
        assert_eq!(gen2, vec![2500]);
    }
}
