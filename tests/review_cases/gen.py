#!/usr/bin/env python3
"""Review cases: topology + hand-worked expectation (advertised / package / reachable per gateway).
Per-client rows are derived from the issue-2 client table (not from the tool):
  windows-ikev2 / -legacy : routes = package, selectors = |advertised|, limit 255 / 25
  windows-sstp            : routes = package, selectors = null, limit = null
  macos/ios/linux-ikev2   : routes = advertised, selectors = |advertised|, limit 255
  openvpn                 : routes = advertised, selectors = |routes|, limit 1000
  manual_routes           : reachable minus routes (exact set difference unless overridden)
"""
import ipaddress, os, sys, yaml

HERE = os.path.dirname(os.path.abspath(__file__))

def key(p):
    n = ipaddress.ip_network(p)
    return (n.version, int(n.network_address), n.prefixlen)

def S(*ps):
    out = []
    for p in ps:
        if isinstance(p, (list, tuple)):
            out.extend(p)
        else:
            out.append(p)
    out = sorted(set(str(ipaddress.ip_network(p)) for p in out), key=key)
    return out

KINDS = [
    ("windows-ikev2", "ikev2", "pkg", 255),
    ("windows-ikev2-legacy", "ikev2", "pkg", 25),
    ("windows-sstp", "sstp", "pkg", None),
    ("macos-ikev2", "ikev2", "adv", 255),
    ("ios-ikev2", "ikev2", "adv", 255),
    ("linux-ikev2", "ikev2", "adv", 255),
    ("openvpn", "openvpn", "adv", 1000),
]

def gw_expect(tunnels, adv, pkg, reach, pool=None, manual=None, lists=True):
    adv, pkg, reach = S(adv), S(pkg), S(reach)
    clients = {}
    t = [x.lower() for x in tunnels]
    for kid, tun, view, lim in KINDS:
        if tun not in t:
            continue
        routes = pkg if view == "pkg" else adv
        if kid == "windows-sstp":
            sel, limit = None, None
        elif kid == "openvpn":
            sel, limit = len(routes), lim
        else:
            sel, limit = len(adv), lim
        status = "ok" if sel is None or sel <= limit else "over-limit"
        man = [p for p in reach if p not in routes]
        if manual is not None and view in manual:
            man = S(manual[view])
        c = {}
        if lists:
            c["routes"] = routes
            c["manual_routes"] = man
        c.update({"selectors": sel, "limit": limit, "status": status})
        clients[kid] = c
    g = {}
    if pool is not None:
        g["pool"] = pool
    if lists:
        g["advertised"] = adv
        g["reachable"] = reach
    g["clients"] = clients
    return g

def write(name, topo, gateways, note):
    with open(os.path.join(HERE, name + ".yaml"), "w") as f:
        f.write("# " + note.replace("\n", "\n# ") + "\n")
        f.write(topo if isinstance(topo, str) else yaml.safe_dump(topo, sort_keys=False, width=200))
    with open(os.path.join(HERE, name + ".expected.yaml"), "w") as f:
        f.write("# hand-worked from issue 2 'Semantics' + spec §0/§1/§4/§5/§6\n")
        yaml.safe_dump({"gateways": gateways}, f, sort_keys=False, width=200, default_flow_style=None)

if __name__ == "__main__":
    sys.path.insert(0, HERE)
    import cases
    for name, topo, gws, note in cases.CASES:
        write(name, topo, gws, note)
    print(len(cases.CASES), "cases written")
