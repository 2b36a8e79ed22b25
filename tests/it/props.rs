//! Property tests: the engine never panics on any topology — including ones the builder would
//! reject (dangling names, self links, overlaps, default routes) — and its results keep their
//! invariants.

use p2s_sim::engine::analyze;
use p2s_sim::model::*;
use p2s_sim::plan::whatif;
use p2s_sim::prefix::{IpNet, PrefixSet};
use p2s_sim::report::{ListLimit, Report};
use p2s_sim::verdicts::findings;
use proptest::prelude::*;

const PREFIXES: &[&str] = &[
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.0.0.0/16",
    "10.0.128.0/17",
    "10.1.0.0/16",
    "10.1.2.0/24",
    "10.2.0.0/16",
    "172.16.0.0/24",
    "172.16.0.0/29",
    "172.16.0.0/32",
    "192.168.0.0/22",
    "192.168.1.0/24",
    "0.0.0.0/1",
    "128.0.0.0/1",
    "::/0",
    "fd00::/8",
    "fd00:1::/48",
    "2001:db8::/127",
];

fn prefix() -> impl Strategy<Value = IpNet> {
    proptest::sample::select(PREFIXES).prop_map(|s| s.parse().unwrap())
}

fn name(kind: &'static str) -> impl Strategy<Value = String> {
    // Index 5 never exists: dangling references on purpose.
    (0..6usize).prop_map(move |i| format!("{kind}{i}"))
}

fn tunnels() -> impl Strategy<Value = Vec<TunnelType>> {
    proptest::sample::subsequence(TunnelType::ALL.to_vec(), 1..=3)
}

fn gateway(i: usize) -> impl Strategy<Value = Option<Gateway>> {
    proptest::option::of((
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(1u32..70000),
        proptest::collection::vec(prefix(), 0..3),
        proptest::option::of((proptest::collection::vec(prefix(), 0..3), tunnels())),
        proptest::option::of(proptest::sample::select(Sku::ALL.to_vec())),
        proptest::option::of(proptest::sample::select(GatewayGeneration::ALL.to_vec())),
        0u32..3,
    ))
    .prop_map(move |g| {
        g.map(
            |(policy, aa, asn, custom, p2s, sku, generation, nat_rules)| Gateway {
                name: format!("gw{i}"),
                sku,
                generation,
                vpn_type: if policy {
                    VpnType::PolicyBased
                } else {
                    VpnType::RouteBased
                },
                active_active: aa,
                bgp: asn.map(|asn| GatewayBgp { asn }),
                custom_routes: custom,
                nat_rules,
                p2s: p2s.map(|(pool, tunnel_types)| P2s {
                    address_pool: pool,
                    tunnel_types,
                    auth_types: vec![AuthType::Certificate],
                }),
                // Zero to two reader assumptions, which the native form carries.
                assumed: (0..nat_rules).map(|k| format!("assumption {k}")).collect(),
            },
        )
    })
}

fn topology() -> impl Strategy<Value = Topology> {
    let vnets = (1..6usize).prop_flat_map(|n| {
        (0..n)
            .map(|i| {
                (
                    proptest::collection::vec(prefix(), 0..4),
                    gateway(i),
                    any::<bool>(),
                )
                    .prop_map(move |(space, gateway, external)| Vnet {
                        name: format!("vnet{i}"),
                        address_space: space,
                        gateway: gateway.map(Box::new),
                        external,
                    })
            })
            .collect::<Vec<_>>()
    });
    let peerings = proptest::collection::vec(
        (name("vnet"), name("vnet"), any::<bool>(), any::<bool>()).prop_map(
            |(vnet, remote, allow, use_remote)| Peering {
                vnet,
                remote,
                allow_gateway_transit: allow,
                use_remote_gateways: use_remote,
                remote_address_space: None,
            },
        ),
        0..10,
    );
    let lngs = proptest::collection::vec(
        (proptest::collection::vec(prefix(), 0..3), any::<bool>()),
        0..4,
    )
    .prop_map(|l| {
        l.into_iter()
            .enumerate()
            .map(|(i, (space, bgp))| LocalNetwork {
                name: format!("lng{i}"),
                address_space: space,
                bgp: bgp.then_some(LocalBgp {
                    asn: 65000 + i as u32,
                    peer_ip: None,
                }),
            })
            .collect::<Vec<_>>()
    });
    let connections = proptest::collection::vec(
        (
            name("gw"),
            any::<bool>(),
            name("gw"),
            name("lng"),
            any::<bool>(),
        ),
        0..10,
    )
    .prop_map(|c| {
        c.into_iter()
            .enumerate()
            .map(|(i, (gateway, to_gateway, remote, lng, bgp))| Connection {
                name: format!("c{i}"),
                gateway,
                peer: if to_gateway {
                    ConnectionPeer::Gateway(remote)
                } else {
                    ConnectionPeer::LocalNetwork(lng)
                },
                bgp,
            })
            .collect::<Vec<_>>()
    });
    (vnets, peerings, lngs, connections).prop_map(
        |(vnets, peerings, local_networks, connections)| Topology {
            vnets,
            peerings,
            local_networks,
            connections,
            origins: Default::default(),
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_never_panics_and_keeps_its_invariants(t in topology()) {
        let a = analyze(&t);
        let options = findings::Options::at(findings::Date::parse("2026-11-27").unwrap());
        let found = findings::check(&t, &a, &options);
        // Capacity and headroom: one entry per P2S gateway, in analysis order.
        let gateways: Vec<&str> = a.gateways.iter().map(|g| g.name.as_str()).collect();
        let capacity = findings::capacity(&t, &a, &options);
        prop_assert_eq!(capacity.iter().map(|c| c.gateway.as_str()).collect::<Vec<_>>(), gateways.clone());
        let rooms = whatif::headroom(&p2s_sim::analyze(&t, &p2s_sim::AnalyzeOptions::new(&options)), 2);
        prop_assert_eq!(rooms.iter().map(|r| r.gateway.as_str()).collect::<Vec<_>>(), gateways);
        let report = Report::new(&a, found.iter().map(Into::into).collect(), ListLimit::UNLIMITED);
        prop_assert_eq!(report.gateways.len(), a.gateways.len());
        let same = whatif::compare(&a, &a, ListLimit::UNLIMITED);
        prop_assert!(same.status_changes.is_empty());
        // Verdicts never panic either, and follow their invariants: a kind over its limit is
        // not `connects`; a fallback only for a failing Windows IKEv2 kind.
        let verdicts = p2s_sim::verdicts::judge(&t, &a, options.as_of);
        prop_assert_eq!(verdicts.len(), a.gateways.len());
        for (g, v) in a.gateways.iter().zip(&verdicts) {
            prop_assert_eq!(g.clients.len(), v.clients.len());
            for (c, cv) in g.clients.iter().zip(&v.clients) {
                if c.check.status == p2s_sim::engine::Status::OverLimit {
                    prop_assert!(cv.judgement.verdict != p2s_sim::verdicts::Verdict::Connects);
                }
                if cv.fallback.is_some() {
                    prop_assert!(cv.can_fall_back);
                    prop_assert_eq!(cv.judgement.verdict, p2s_sim::verdicts::Verdict::Fails);
                }
            }
        }
        for g in &a.gateways {
            let adv = g.advertised.to_vec();
            prop_assert_eq!(adv.len(), g.advertised.len());
            prop_assert!(adv.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
            for p in g.package.iter().chain(g.reachable.iter()) {
                prop_assert!(g.advertised.contains(&p), "{} offered", p);
            }
            let own: Vec<IpNet> = t.vnets.iter().find(|v| v.name == g.vnet).unwrap().address_space.clone();
            for p in &own {
                prop_assert!(g.advertised.contains(p));
            }
            for c in &g.clients {
                let routes = PrefixSet::from_prefixes(g.routes(c).iter());
                for m in c.manual_routes.iter() {
                    prop_assert!(g.reachable.contains(&m));
                    prop_assert!(!routes.covers(&m), "{} is installed", m);
                }
                for r in g.reachable.iter() {
                    prop_assert!(routes.covers(&r) || c.manual_routes.contains(&r), "{} lost", r);
                }
                if let (Some(n), Some(max)) = (c.check.selectors, c.check.limit) {
                    prop_assert_eq!(n > max, c.check.status == p2s_sim::engine::Status::OverLimit);
                }
            }
        }
        // Deterministic: same input, same result.
        let again = Report::new(&analyze(&t), found.iter().map(Into::into).collect(), ListLimit::UNLIMITED);
        prop_assert_eq!(report, again);
    }
}
