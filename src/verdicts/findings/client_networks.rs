//! Routes that collide with the networks P2S users connect from (NET001, NET002), spec §7.
//!
//! A client whose local network overlaps a route it gets over the VPN sends that traffic to the
//! local network instead (troubleshooting include: "the network traffic doesn't reach Azure, it
//! stays on the local network"). `--client-network` names networks users really connect from
//! (an error: those users are cut off); `--home-networks` checks [`HOME_RANGES`], the default LAN
//! ranges of common home routers and phone hotspots (a warning: only some users are affected).
//!
//! What is compared is each gateway's `advertised` list (every route any client kind can get,
//! pool entries included), through the prefix engine.

use super::catalog::{self, Rule};
use super::index::Index;
use super::{short_list, Options, Sink};
use crate::prefix::{IpNet, PrefixSet};

/// One default LAN range of common consumer equipment, with who ships it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HomeRange {
    pub prefix: &'static str,
    pub vendors: &'static str,
}

/// Default LAN ranges documented by vendors in their manuals and help pages (the router's own
/// address in parentheses). Ranges, not just the router address: DHCP hands out the whole /24
/// (/22 on TP-Link Deco, /28 on iPhone Personal Hotspot).
pub const HOME_RANGES: &[HomeRange] = &[
    HomeRange {
        prefix: "10.0.0.0/24",
        vendors: "Comcast Xfinity gateways (10.0.0.1)",
    },
    HomeRange {
        prefix: "10.0.1.0/24",
        vendors: "Apple AirPort base stations (10.0.1.1)",
    },
    HomeRange {
        prefix: "172.20.10.0/28",
        vendors: "iPhone/iPad Personal Hotspot (172.20.10.1)",
    },
    HomeRange {
        prefix: "192.168.0.0/24",
        vendors: "TP-Link, D-Link, NETGEAR and many cable routers (192.168.0.1)",
    },
    HomeRange {
        prefix: "192.168.1.0/24",
        vendors: "Linksys, NETGEAR, TP-Link, Orange Livebox, BT Hub (192.168.1.1)",
    },
    HomeRange {
        prefix: "192.168.2.0/24",
        vendors: "Belkin, Telekom Speedport (192.168.2.1)",
    },
    HomeRange {
        prefix: "192.168.8.0/24",
        vendors: "Huawei mobile and LTE routers (192.168.8.1)",
    },
    HomeRange {
        prefix: "192.168.31.0/24",
        vendors: "Xiaomi routers (192.168.31.1)",
    },
    HomeRange {
        prefix: "192.168.43.0/24",
        vendors: "Android Wi-Fi hotspot (192.168.43.1)",
    },
    HomeRange {
        prefix: "192.168.50.0/24",
        vendors: "ASUS routers (192.168.50.1)",
    },
    HomeRange {
        prefix: "192.168.68.0/22",
        vendors: "TP-Link Deco mesh (192.168.68.1)",
    },
    HomeRange {
        prefix: "192.168.86.0/24",
        vendors: "Google Nest Wifi / Google Wifi (192.168.86.1)",
    },
    HomeRange {
        prefix: "192.168.178.0/24",
        vendors: "AVM FRITZ!Box (192.168.178.1)",
    },
];

impl HomeRange {
    pub fn net(&self) -> Option<IpNet> {
        self.prefix.parse().ok()
    }
}

pub(crate) fn check(index: &Index, options: &Options, sink: &mut Sink) {
    // (code, network, description)
    let mut nets: Vec<(Rule, IpNet, String)> = options
        .client_networks
        .iter()
        .map(|n| {
            (
                catalog::NET001,
                n.trunc(),
                format!("client network {}", n.trunc()),
            )
        })
        .collect();
    if options.home_networks {
        nets.extend(HOME_RANGES.iter().filter_map(|h| {
            h.net().map(|n| {
                (
                    catalog::NET002,
                    n,
                    format!("home range {n} ({})", h.vendors),
                )
            })
        }));
    }
    if nets.is_empty() {
        return;
    }
    let all = PrefixSet::from_prefixes(nets.iter().map(|n| n.1));
    let sets: Vec<PrefixSet> = nets
        .iter()
        .map(|n| PrefixSet::from_prefixes([n.1]))
        .collect();
    for ga in &index.analysis.gateways {
        let mut hits: Vec<Vec<IpNet>> = vec![Vec::new(); nets.len()];
        for route in ga.advertised.iter().filter(|r| all.overlaps(r)) {
            for (i, set) in sets.iter().enumerate() {
                if set.overlaps(&route) {
                    hits[i].push(route);
                }
            }
        }
        for ((code, _, what), routes) in nets.iter().zip(hits) {
            if routes.is_empty() {
                continue;
            }
            sink.add(
                *code,
                &ga.name,
                if routes.len() == 1 {
                    format!(
                        "route {} collides with {what}: users on that network cannot reach it \
                         over the VPN; re-address the Azure side or avoid that range",
                        routes[0]
                    )
                } else {
                    format!(
                        "routes {} collide with {what}: users on that network cannot reach them \
                         over the VPN; re-address the Azure side or avoid that range",
                        short_list(&routes, 5)
                    )
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_home_range_parses_canonically() {
        for h in HOME_RANGES {
            let n = h.net().unwrap_or_else(|| panic!("{}", h.prefix));
            assert_eq!(n, n.trunc(), "{}", h.prefix);
        }
    }
}
