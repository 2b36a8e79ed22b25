from gen import gw_expect as G, S

P = "172.16.0.0/24"
IO = ["IkeV2", "OpenVPN"]
CASES = []

def add(name, topo, gws, note):
    CASES.append((name, topo, gws, note))

def gw(name, pool=P, tunnels=IO, bgp=None, custom=None, p2s=True):
    g = {"name": name, "sku": "VpnGw2"}
    if bgp: g["bgp"] = {"asn": bgp}
    if custom: g["custom_routes"] = custom
    if p2s: g["p2s"] = {"address_pool": pool if isinstance(pool, list) else [pool], "tunnel_types": tunnels, "auth_types": ["Certificate"]}
    return g

def vnet(name, space, gateway=None):
    v = {"name": name, "address_space": space if isinstance(space, list) else [space]}
    if gateway: v["gateway"] = gateway
    return v

def peer(a, b, agt=False, urg=False):
    d = {"vnet": a, "remote": b}
    if agt: d["allow_gateway_transit"] = True
    if urg: d["use_remote_gateways"] = True
    return d

def lng(name, space, bgp=None):
    d = {"name": name, "address_space": space if isinstance(space, list) else [space]}
    if bgp: d["bgp"] = {"asn": bgp, "peer_ip": "192.0.2.%d" % (bgp % 250)}
    return d

def ipsec(g, l, bgp=False):
    return {"name": f"{g}-to-{l}", "type": "IPsec", "gateway": g, "local_network": l, "bgp": bgp}

def v2v(a, b, bgp=False):
    return {"name": f"{a}-to-{b}", "type": "Vnet2Vnet", "gateway": a, "remote_gateway": b, "bgp": bgp}

def both(a, b, bgp=False):
    return [v2v(a, b, bgp), v2v(b, a, bgp)]

H = "10.0.0.0/16"
BASE = [H, P]

# ---------- peering / gateway transit -------------------------------------------------------
add("p01-transit-flag-combos", {
    "vnets": [vnet("hub", H, gw("hub-gw")), vnet("s1", "10.1.0.0/16"), vnet("s2", "10.2.0.0/16"),
              vnet("s3", "10.3.0.0/16"), vnet("s4", "10.4.0.0/16")],
    "peerings": [peer("hub", "s1", agt=True), peer("s1", "hub", urg=True),      # transit
                 peer("hub", "s2", agt=True), peer("s2", "hub"),                # spoke lacks use_remote
                 peer("hub", "s3"), peer("s3", "hub", urg=True),                # hub lacks allow
                 peer("hub", "s4"), peer("s4", "hub")]},                        # plain peering
    {"hub-gw": G(IO, [H, "10.1.0.0/16", P], [H, "10.1.0.0/16", P], [H, "10.1.0.0/16"])},
    "Only s1 (allow_gateway_transit on hub side AND use_remote_gateways on spoke side) is a transit peer.")

add("p02-one-way-peerings", {
    "vnets": [vnet("hub", H, gw("hub-gw")), vnet("s1", "10.1.0.0/16"), vnet("s2", "10.2.0.0/16")],
    "peerings": [peer("hub", "s1", agt=True), peer("s2", "hub", urg=True)]},
    {"hub-gw": G(IO, BASE, BASE, [H])},
    "One-way peerings are never connected: neither spoke counts.")

add("p03-peer-of-peer", {
    "vnets": [vnet("hub", H, gw("hub-gw")), vnet("s1", "10.1.0.0/16"), vnet("s2", "10.2.0.0/16")],
    "peerings": [peer("hub", "s1", agt=True), peer("s1", "hub", urg=True),
                 peer("s1", "s2", agt=True), peer("s2", "s1", urg=True)]},
    {"hub-gw": G(IO, [H, "10.1.0.0/16", P], [H, "10.1.0.0/16", P], [H, "10.1.0.0/16"])},
    "s2 is a peer of a peer (even with transit flags toward s1): never included.")

add("p04-spoke-with-own-gateway", {
    "vnets": [vnet("hub", H, gw("hub-gw")), vnet("s1", "10.1.0.0/16", gw("s1-gw", p2s=False)),
              vnet("s2", "10.2.0.0/16")],
    "peerings": [peer("hub", "s1", agt=True), peer("s1", "hub", urg=True),
                 peer("hub", "s2", agt=True), peer("s2", "hub", urg=True)]},
    {"hub-gw": G(IO, [H, "10.2.0.0/16", P], [H, "10.2.0.0/16", P], [H, "10.2.0.0/16"])},
    "s1 has its own gateway: cannot use remote gateways (spec §5 predicate), so it is not a transit peer.")

add("p05-two-hubs-peered", {
    "vnets": [vnet("hub1", "10.1.0.0/16", gw("hub1-gw", pool="172.16.1.0/24")),
              vnet("hub2", "10.2.0.0/16", gw("hub2-gw", pool="172.16.2.0/24"))],
    "peerings": [peer("hub1", "hub2", agt=True, urg=True), peer("hub2", "hub1", agt=True, urg=True)]},
    {"hub1-gw": G(IO, ["10.1.0.0/16", "172.16.1.0/24"], ["10.1.0.0/16", "172.16.1.0/24"], ["10.1.0.0/16"]),
     "hub2-gw": G(IO, ["10.2.0.0/16", "172.16.2.0/24"], ["10.2.0.0/16", "172.16.2.0/24"], ["10.2.0.0/16"])},
    "Two VNets that both have gateways: neither is the other's transit spoke.")

# ---------- Vnet2Vnet ------------------------------------------------------------------------
add("v01-v2v-one-direction", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)), vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False))],
    "connections": [v2v("gw1", "gw2", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16"])},
    "Vnet2Vnet with only one connection resource carries nothing, even with BGP flags.")

add("v02-v2v-both-static", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1")), vnet("vnet2", "10.2.0.0/16", gw("gw2", p2s=False)),
              vnet("spoke2", "10.22.0.0/16")],
    "peerings": [peer("vnet2", "spoke2", agt=True), peer("spoke2", "vnet2", urg=True)],
    "connections": both("gw1", "gw2")},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16"])},
    "Static Vnet2Vnet both ways: remote VNet offered (not its transit spoke), not reachable (row 3).")

add("v03-v2v-bgp-one-side", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)),
              vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False)),
              vnet("vnet3", "10.3.0.0/16", gw("gw3", p2s=False))],
    "connections": [v2v("gw1", "gw2", True), v2v("gw2", "gw1", False), *both("gw1", "gw3", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16"])},
    "gw1-gw2: bgp only on one connection resource; gw1-gw3: gw3 has no BGP. Both links are static.")

add("v04-bgp-chain-4", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)),
              vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False)),
              vnet("vnet3", "10.3.0.0/16", gw("gw3", bgp=65003, pool="172.17.0.0/24", tunnels=["OpenVPN"])),
              vnet("vnet4", "10.4.0.0/16", gw("gw4", bgp=65004, p2s=False)),
              vnet("spoke2", "10.22.0.0/16"), vnet("spoke3", "10.33.0.0/16")],
    "peerings": [peer("vnet2", "spoke2"), peer("spoke2", "vnet2", urg=True),
                 peer("vnet3", "spoke3", agt=True), peer("spoke3", "vnet3", urg=True)],
    "local_networks": [lng("site4", "10.104.0.0/16", 65104), lng("site4b", "10.105.0.0/16")],
    "connections": [*both("gw1", "gw2", True), *both("gw2", "gw3", True), *both("gw3", "gw4", True),
                    ipsec("gw4", "site4", True), ipsec("gw4", "site4b", False)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.33.0.0/16", "10.4.0.0/16", "10.104.0.0/16", "10.105.0.0/16", P],
              ["10.1.0.0/16", P],
              ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.33.0.0/16", "10.4.0.0/16", "10.104.0.0/16"]),
     "gw3": G(["OpenVPN"], ["10.3.0.0/16", "10.33.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.4.0.0/16", "10.104.0.0/16", "10.105.0.0/16", "172.17.0.0/24"],
              ["10.3.0.0/16", "10.33.0.0/16", "172.17.0.0/24"],
              ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.33.0.0/16", "10.4.0.0/16", "10.104.0.0/16"])},
    "BGP chain gw1-gw2-gw3-gw4. spoke2 is not transit (vnet2 lacks allow). spoke3 is transit of gw3.\n"
    "site4 BGP (reachable), site4b static on a BGP gateway (advertised via BGP, no return path: not reachable).")

add("v05-bgp-chain-broken", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)),
              vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False)),
              vnet("vnet3", "10.3.0.0/16", gw("gw3", bgp=65003, p2s=False)),
              vnet("vnet4", "10.4.0.0/16", gw("gw4", bgp=65004, p2s=False))],
    "connections": [*both("gw1", "gw2", True), *both("gw2", "gw3", False), *both("gw3", "gw4", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.2.0.0/16"])},
    "gw2-gw3 without BGP breaks the chain: gw3 and gw4 are not learned (issue: gw2 contributes VNet, spokes, local networks).")

add("v06-two-bgp-domains", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001, pool="172.16.1.0/24")),
              vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False)),
              vnet("vnet3", "10.3.0.0/16", gw("gw3", bgp=65003, pool="172.16.3.0/24")),
              vnet("vnet4", "10.4.0.0/16", gw("gw4", bgp=65004, p2s=False))],
    "connections": [*both("gw1", "gw2", True), *both("gw3", "gw4", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", "172.16.1.0/24"], ["10.1.0.0/16", "172.16.1.0/24"], ["10.1.0.0/16", "10.2.0.0/16"]),
     "gw3": G(IO, ["10.3.0.0/16", "10.4.0.0/16", "172.16.3.0/24"], ["10.3.0.0/16", "172.16.3.0/24"], ["10.3.0.0/16", "10.4.0.0/16"])},
    "Two separate BGP domains do not leak into each other.")

add("v07-hub-spoke-learned-by-remote", {
    "vnets": [vnet("hub", H, gw("hub-gw", bgp=65010)), vnet("spoke", "10.1.0.0/16"),
              vnet("remote", "10.9.0.0/16", gw("remote-gw", bgp=65020, pool="172.16.9.0/24"))],
    "peerings": [peer("hub", "spoke", agt=True), peer("spoke", "hub", urg=True)],
    "connections": both("hub-gw", "remote-gw", True)},
    {"hub-gw": G(IO, [H, "10.1.0.0/16", "10.9.0.0/16", P], [H, "10.1.0.0/16", P], [H, "10.1.0.0/16", "10.9.0.0/16"]),
     "remote-gw": G(IO, [H, "10.1.0.0/16", "10.9.0.0/16", "172.16.9.0/24"], ["10.9.0.0/16", "172.16.9.0/24"], [H, "10.1.0.0/16", "10.9.0.0/16"])},
    "Remote BGP gateway learns the hub's transit spoke (spec §1b).")

# ---------- local networks -----------------------------------------------------------------
add("l01-lng-bgp-combos", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001))],
    "local_networks": [lng("a", "10.101.0.0/16", 65101), lng("b", "10.102.0.0/16"), lng("c", "10.103.0.0/16", 65103)],
    "connections": [ipsec("gw1", "a", True), ipsec("gw1", "b", True), ipsec("gw1", "c", False)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.101.0.0/16", "10.102.0.0/16", "10.103.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.101.0.0/16"])},
    "a: BGP both ends + flag (reachable). b: LNG without BGP. c: connection bgp false. b, c static: offered, not reachable.")

add("l02-lng-bgp-gw-without-bgp", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1"))],
    "local_networks": [lng("a", ["10.101.0.0/16", "10.201.0.0/16"], 65101)],
    "connections": [ipsec("gw1", "a", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.101.0.0/16", "10.201.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16"])},
    "Gateway without BGP: the BGP flag on the connection does nothing; static.")

add("l03-default-route-via-bgp", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)), vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False))],
    "local_networks": [lng("site2", ["0.0.0.0/0", "10.102.0.0/16"], 65102)],
    "connections": [*both("gw1", "gw2", True), ipsec("gw2", "site2", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", "10.102.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.2.0.0/16", "10.102.0.0/16"])},
    "0.0.0.0/0 behind gw2 is never propagated over BGP to gw1.")

add("l04-overlap-via-bgp", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)), vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False))],
    "local_networks": [lng("site2", ["10.1.128.0/17", "10.0.0.0/8", "192.0.2.0/24"], 65102)],
    "connections": [*both("gw1", "gw2", True), ipsec("gw2", "site2", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", "192.0.2.0/24", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.2.0.0/16", "192.0.2.0/24"])},
    "BGP-learned prefixes overlapping gw1's VNet (subnet or supernet) are dropped.")

add("l05-lng-shared-by-two-bgp-gateways", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)), vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False))],
    "local_networks": [lng("site", "10.100.0.0/16", 65100)],
    "connections": [ipsec("gw1", "site", True), ipsec("gw2", "site", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.100.0.0/16", "10.2.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.100.0.0/16", "10.2.0.0/16"])},
    "JUDGMENT: chain gw1 -BGP- site -BGP- gw2 (distinct ASNs): an eBGP on-prem device re-advertises 10.2/16 to gw1\n"
    "(issue: 'prefixes learned over chains of BGP-enabled connections ... transitive').")

add("l06-direct-lng-default-route", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1"))],
    "local_networks": [lng("site", ["0.0.0.0/0"])],
    "connections": [ipsec("gw1", "site", False)]},
    {"gw1": G(IO, ["0.0.0.0/0", "10.1.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16"])},
    "JUDGMENT: 'never 0.0.0.0/0' is stated only for BGP-learned prefixes; a directly connected static LNG 0/0 is offered.")

# ---------- custom routes ------------------------------------------------------------------
add("c01-custom-forced-tunnel", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001, custom=["0.0.0.0/1", "128.0.0.0/1"]))],
    "local_networks": [lng("site", "10.101.0.0/16", 65101)],
    "connections": [ipsec("gw1", "site", True)]},
    {"gw1": G(IO, ["0.0.0.0/1", "10.1.0.0/16", "10.101.0.0/16", "128.0.0.0/1", P], ["0.0.0.0/1", "10.1.0.0/16", "128.0.0.0/1", P],
              ["10.1.0.0/16", "10.101.0.0/16"], manual={"pkg": []})},
    "Custom routes 0/1 + 128/1 are in package and advertised; Windows reaches 10.101/16 through 0.0.0.0/1 (no manual route).")

add("c02-custom-dup-of-vnet", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", custom=["10.1.0.0/16", "203.0.113.0/24", "203.0.113.5/24"])),
              vnet("s", "10.5.0.0/16")],
    "peerings": [peer("vnet1", "s", agt=True), peer("s", "vnet1", urg=True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.5.0.0/16", P, "203.0.113.0/24"], ["10.1.0.0/16", "10.5.0.0/16", P, "203.0.113.0/24"],
              ["10.1.0.0/16", "10.5.0.0/16"])},
    "Custom route equal to own VNet and a non-canonical duplicate: distinct, canonical, counted once.")

# ---------- pool splits --------------------------------------------------------------------
SI = ["IkeV2", "SSTP"]
def split_case(name, pool, sstp, ikev2, tunnels=SI):
    entries = sstp + ikev2
    add(name, {"vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", pool=pool, tunnels=tunnels))]},
        {"gw1": G(tunnels, ["10.1.0.0/16", *entries], ["10.1.0.0/16", *entries], ["10.1.0.0/16"],
                  pool={"prefixes": pool if isinstance(pool, list) else [pool], "sstp": sstp, "ikev2": ikev2})},
        f"Pool split (spec §4) for {pool} with {tunnels}.")

split_case("s01-pool-24", "172.16.0.0/24", ["172.16.0.0/25"], ["172.16.0.128/25"])
split_case("s02-pool-25", "172.16.0.128/25", ["172.16.0.128/26"], ["172.16.0.192/26"])
split_case("s03-pool-26", "172.16.0.64/26", ["172.16.0.64/27"], ["172.16.0.96/27"])
split_case("s04-pool-28", "172.16.0.16/28", ["172.16.0.16/29"], ["172.16.0.24/29"])
split_case("s05-pool-29", "172.16.0.8/29", ["172.16.0.8/30"], ["172.16.0.12/30"])
split_case("s06-pool-22", "172.16.4.0/22", ["172.16.4.0/25"], ["172.16.4.128/25", "172.16.5.0/24", "172.16.6.0/23"])
split_case("s07-pool-20", "172.16.0.0/20", ["172.16.0.0/25"],
           ["172.16.0.128/25", "172.16.1.0/24", "172.16.2.0/23", "172.16.4.0/22", "172.16.8.0/21"])
split_case("s08-pool-multi", ["172.16.0.0/24", "172.17.0.0/25"], ["172.16.0.0/25", "172.17.0.0/26"], ["172.16.0.128/25", "172.17.0.64/26"])
split_case("s09-pool-all-three", "172.16.0.0/24", ["172.16.0.0/25"], ["172.16.0.128/25"], tunnels=["IkeV2", "SSTP", "OpenVPN"])

def nosplit_case(name, tunnels):
    add(name, {"vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", tunnels=tunnels))]},
        {"gw1": G(tunnels, ["10.1.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16"], pool={"prefixes": [P], "sstp": None, "ikev2": None})},
        f"No split for {tunnels}; only the matching client kinds are listed.")

nosplit_case("t01-openvpn-only", ["OpenVPN"])
nosplit_case("t02-sstp-only", ["SSTP"])
nosplit_case("t03-ikev2-only", ["IkeV2"])
nosplit_case("t04-ikev2-openvpn", ["IKEv2", "openvpn"])

# ---------- IPv6 / canonical ---------------------------------------------------------------
add("i01-ipv6-mixed", {
    "vnets": [vnet("hub", ["FD00:0001::/48", "10.0.0.0/16"], gw("hub-gw", bgp=65001)),
              vnet("s", ["fd00:2::1/48", "10.1.0.0/16"])],
    "peerings": [peer("hub", "s", agt=True), peer("s", "hub", urg=True)],
    "local_networks": [lng("site", ["2001:db8::/32", "192.168.50.0/24"], 65100)],
    "connections": [ipsec("hub-gw", "site", True)]},
    {"hub-gw": G(IO, [H, "10.1.0.0/16", P, "192.168.50.0/24", "fd00:1::/48", "fd00:2::/48", "2001:db8::/32"],
                 [H, "10.1.0.0/16", P, "fd00:1::/48", "fd00:2::/48"],
                 [H, "10.1.0.0/16", "192.168.50.0/24", "fd00:1::/48", "fd00:2::/48", "2001:db8::/32"])},
    "IPv6 prefixes: canonical lower-case text, IPv4 before IPv6, sorted by address.")

add("i02-dup-and-noncanonical", {
    "vnets": [vnet("vnet1", ["10.1.0.0/16", "10.1.7.9/16", "10.0.0.0/8"], gw("gw1"))],
    "local_networks": [lng("site", ["10.1.0.0/16", "10.200.1.1/16"])],
    "connections": [ipsec("gw1", "site")]},
    {"gw1": G(IO, ["10.0.0.0/8", "10.1.0.0/16", "10.200.0.0/16", P], ["10.0.0.0/8", "10.1.0.0/16", P], ["10.0.0.0/8", "10.1.0.0/16"])},
    "Duplicates collapse; host bits cleared; nested prefixes stay distinct (not aggregated).")

# ---------- limits -------------------------------------------------------------------------
def many(n, base=10):
    return [f"{base}.{i // 256}.{i % 256}.0/24" for i in range(n)]

def own_count_case(name, n_vnet):
    space = many(n_vnet)
    add(name, {"vnets": [vnet("vnet1", space, gw("gw1"))]},
        {"gw1": G(IO, [*space, P], [*space, P], space, lists=False)},
        f"{n_vnet} VNet prefixes + 1 pool = {n_vnet + 1} selectors.")

own_count_case("n01-selectors-25", 24)
own_count_case("n02-selectors-26", 25)

def lng_count_case(name, n_lng, tunnels=IO):
    sp = many(n_lng, 11)
    add(name, {"vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", tunnels=tunnels))],
               "local_networks": [lng("site", sp)], "connections": [ipsec("gw1", "site")]},
        {"gw1": G(tunnels, ["10.1.0.0/16", P, *sp], ["10.1.0.0/16", P], ["10.1.0.0/16"], lists=False)},
        f"static LNG with {n_lng} prefixes: {n_lng + 2} advertised; Windows package is 2 routes but counts all selectors.")

lng_count_case("n03-selectors-255", 253)
lng_count_case("n04-selectors-256", 254)
lng_count_case("n05-openvpn-1000", 998, ["OpenVPN"])
lng_count_case("n06-openvpn-1001", 999, ["OpenVPN"])
lng_count_case("n07-legacy-over-via-lng", 30)

# ================= second batch: sharper edges =================================================
add("e01-direct-bgp-lng-default-route", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001))],
    "local_networks": [lng("site", ["0.0.0.0/0", "10.101.0.0/16"], 65101)],
    "connections": [ipsec("gw1", "site", True)]},
    {"gw1": G(IO, ["0.0.0.0/0", "10.1.0.0/16", "10.101.0.0/16", P], ["10.1.0.0/16", P],
              ["0.0.0.0/0", "10.1.0.0/16", "10.101.0.0/16"])},
    "JUDGMENT: directly connected BGP LNG whose address space has 0/0: offered (direct) and reachable (return path is BGP);\n"
    "advertised and reachable should at least agree.")

add("e02-direct-bgp-lng-overlapping-own", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001))],
    "local_networks": [lng("site", ["10.1.128.0/17", "10.101.0.0/16"], 65101)],
    "connections": [ipsec("gw1", "site", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.1.128.0/17", "10.101.0.0/16", P], ["10.1.0.0/16", P],
              ["10.1.0.0/16", "10.1.128.0/17", "10.101.0.0/16"], manual={"pkg": ["10.101.0.0/16"]})},
    "JUDGMENT: direct (static-config) LNG prefix overlapping own VNet on a BGP connection: offered as a direct prefix;\n"
    "if offered over a BGP connection it should also be reachable (consistency).")

add("e03-partial-cover-manual", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001, custom=["192.168.1.0/24", "10.50.0.0/16"]))],
    "local_networks": [lng("site", ["192.168.0.0/16", "10.50.1.0/24"], 65101)],
    "connections": [ipsec("gw1", "site", True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.50.0.0/16", "10.50.1.0/24", P, "192.168.0.0/16", "192.168.1.0/24"],
              ["10.1.0.0/16", "10.50.0.0/16", P, "192.168.1.0/24"],
              ["10.1.0.0/16", "10.50.1.0/24", "192.168.0.0/16"], manual={"pkg": ["192.168.0.0/16"]})},
    "Windows: 10.50.1.0/24 is inside custom 10.50/16 (installed) -> not manual; 192.168/16 only partly covered -> manual.")

add("e04-same-lng-two-connections", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001))],
    "local_networks": [lng("site", "10.101.0.0/16", 65101)],
    "connections": [{"name": "c-static", "type": "IPsec", "gateway": "gw1", "local_network": "site", "bgp": False},
                    {"name": "c-bgp", "type": "IPsec", "gateway": "gw1", "local_network": "site", "bgp": True}]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.101.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.101.0.0/16"])},
    "Two connections to one LNG, one with BGP: the BGP one gives the return path.")

add("e05-bgp-remote-static-v2v-leaf", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001)), vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False)),
              vnet("vnet3", "10.3.0.0/16", gw("gw3", p2s=False))],
    "connections": [*both("gw1", "gw2", True), *both("gw2", "gw3", False)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.2.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.2.0.0/16"])},
    "Issue wording: a BGP gateway contributes its VNet, transit spokes and local networks; a static Vnet2Vnet remote\n"
    "(vnet3) is not a local network -> not learned by gw1 (JUDGMENT: Azure hides it behind an auto LNG).")

add("e06-spoke-uses-two-hubs", {
    "vnets": [vnet("hub1", "10.1.0.0/16", gw("gw1", pool="172.16.1.0/24")), vnet("hub2", "10.2.0.0/16", gw("gw2", pool="172.16.2.0/24")),
              vnet("s", "10.5.0.0/16")],
    "peerings": [peer("hub1", "s", agt=True), peer("s", "hub1", urg=True), peer("hub2", "s", agt=True), peer("s", "hub2", urg=True)]},
    {"gw1": G(IO, ["10.1.0.0/16", "10.5.0.0/16", "172.16.1.0/24"], ["10.1.0.0/16", "10.5.0.0/16", "172.16.1.0/24"], ["10.1.0.0/16", "10.5.0.0/16"]),
     "gw2": G(IO, ["10.2.0.0/16", "10.5.0.0/16", "172.16.2.0/24"], ["10.2.0.0/16", "10.5.0.0/16", "172.16.2.0/24"], ["10.2.0.0/16", "10.5.0.0/16"])},
    "Invalid in Azure (only one peering may use remote gateways); expect a finding; routing takes the flags literally.")

add("e07-ipv6-pool-split", {
    "vnets": [vnet("vnet1", ["10.1.0.0/16", "fd00:1::/48"], gw("gw1", pool=["172.16.0.0/24", "fd00:99::/120"], tunnels=SI))]},
    {"gw1": G(SI, ["10.1.0.0/16", "172.16.0.0/25", "172.16.0.128/25", "fd00:1::/48", "fd00:99::/121", "fd00:99::80/121"],
              ["10.1.0.0/16", "172.16.0.0/25", "172.16.0.128/25", "fd00:1::/48", "fd00:99::/121", "fd00:99::80/121"], ["10.1.0.0/16", "fd00:1::/48"],
              pool={"prefixes": ["172.16.0.0/24", "fd00:99::/120"], "sstp": ["172.16.0.0/25", "fd00:99::/121"], "ikev2": ["172.16.0.128/25", "fd00:99::80/121"]})},
    "Dual-stack pool, 256 addresses each: halved per prefix.")

add("e08-v2v-both-bgp-remote-lng-static", {
    "vnets": [vnet("vnet1", "10.1.0.0/16", gw("gw1", bgp=65001, tunnels=["SSTP"])), vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False))],
    "local_networks": [lng("site2", "10.102.0.0/16")],
    "connections": [*both("gw1", "gw2", True), ipsec("gw2", "site2")]},
    {"gw1": G(["SSTP"], ["10.1.0.0/16", "10.2.0.0/16", "10.102.0.0/16", P], ["10.1.0.0/16", P], ["10.1.0.0/16", "10.2.0.0/16"])},
    "SSTP-only gateway: windows-sstp only, no counts; manual route for BGP-learned 10.2/16 only.")

add("e09-transit-spoke-and-static-lng-overlap", {
    "vnets": [vnet("hub", H, gw("hub-gw")), vnet("s", "10.1.0.0/16")],
    "peerings": [peer("hub", "s", agt=True), peer("s", "hub", urg=True)],
    "local_networks": [lng("site", ["10.1.0.0/16", "10.101.0.0/16"])],
    "connections": [ipsec("hub-gw", "site")]},
    {"hub-gw": G(IO, [H, "10.1.0.0/16", "10.101.0.0/16", P], [H, "10.1.0.0/16", P], [H, "10.1.0.0/16"])},
    "Same prefix from a transit spoke and a static LNG: one selector.")

add("e10-overlap-filter-interleaved", {
    "vnets": [vnet("vnet1", ["10.1.0.0/16", "10.3.0.0/16", "fd00:1::/48"], gw("gw1", bgp=65001)),
              vnet("vnet2", "10.2.0.0/16", gw("gw2", bgp=65002, p2s=False))],
    "local_networks": [lng("site2", ["0.0.0.0/1", "1.0.0.0/8", "10.0.0.0/8", "10.0.5.0/24", "10.1.2.0/24", "10.2.5.0/24",
                                     "10.3.0.0/17", "10.3.128.0/17", "10.4.0.0/16", "fd00::/16", "fd00:1:0:1::/64", "fd00:2::/48", "::/0"], 65102)],
    "connections": [*both("gw1", "gw2", True), ipsec("gw2", "site2", True)]},
    {"gw1": G(IO, ["1.0.0.0/8", "10.0.5.0/24", "10.1.0.0/16", "10.2.0.0/16", "10.2.5.0/24", "10.3.0.0/16", "10.4.0.0/16", P, "fd00:1::/48", "fd00:2::/48"],
              ["10.1.0.0/16", "10.3.0.0/16", P, "fd00:1::/48"],
              ["1.0.0.0/8", "10.0.5.0/24", "10.1.0.0/16", "10.2.0.0/16", "10.2.5.0/24", "10.3.0.0/16", "10.4.0.0/16", "fd00:1::/48", "fd00:2::/48"])},
    "BGP filter with several own prefixes: supernets (0/1, 10/8, fd00::/16), subnets and defaults (0/0, ::/0) dropped; neighbours kept.")
