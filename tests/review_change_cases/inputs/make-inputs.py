import json, copy
S="/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"
def vnet_id(n): return f"{S}/virtualNetworks/{n}"
def res(addr, typ, name, values, index=None, mode="managed"):
    r={"address":addr,"mode":mode,"type":typ,"name":name,"provider_name":"registry.terraform.io/hashicorp/azurerm","schema_version":0,"values":values,"sensitive_values":{}}
    if index is not None: r["index"]=index
    return r
def vnet(addr, name, space, known=True):
    v={"name":name,"resource_group_name":"rg","location":"westeurope","address_space":space}
    if known: v["id"]=vnet_id(name)
    return res(addr,"azurerm_virtual_network",addr.split(".")[-1],v)
def peering(addr, vnetname, name, remote, transit, remote_gw, known=True):
    v={"name":name,"resource_group_name":"rg","virtual_network_name":vnetname,"allow_gateway_transit":transit,"use_remote_gateways":remote_gw,"allow_virtual_network_access":True}
    if remote is not None: v["remote_virtual_network_id"]=remote
    if known: v["id"]=f"{vnet_id(vnetname)}/virtualNetworkPeerings/{name}"
    return res(addr,"azurerm_virtual_network_peering",addr.split(".")[-1],v)
def gateway(protocols=["IkeV2","OpenVPN"], pool=["172.16.0.0/24"], known=True, bgp=False):
    v={"name":"hub-gw","resource_group_name":"rg","location":"westeurope","type":"Vpn","vpn_type":"RouteBased","sku":"VpnGw2","generation":"Generation2","active_active":False,"enable_bgp":bgp,
       "ip_configuration":[{"name":"default","public_ip_address_id":f"{S}/publicIPAddresses/hub-gw-pip","subnet_id":f"{vnet_id('hub')}/subnets/GatewaySubnet"}],
       "vpn_client_configuration":[{"address_space":pool,"vpn_client_protocols":protocols,"vpn_auth_types":["Certificate"],"root_certificate":[{"name":"p2s-root","public_cert_data":"MIIC5zCCAc+gAwIBAgIQ"}],"radius_server_address":None,"aad_tenant":None}]}
    if known: v["id"]=f"{S}/virtualNetworkGateways/hub-gw"
    return res("azurerm_virtual_network_gateway.hub","azurerm_virtual_network_gateway","hub",v)
subnet=res("azurerm_subnet.gateway","azurerm_subnet","gateway",{"id":f"{vnet_id('hub')}/subnets/GatewaySubnet","name":"GatewaySubnet","resource_group_name":"rg","virtual_network_name":"hub","address_prefixes":["10.0.255.0/27"]})
def base():
    return [vnet("azurerm_virtual_network.hub","hub",["10.0.0.0/16"]), subnet, gateway(),
            vnet("azurerm_virtual_network.spoke_a","spoke-a",["10.1.0.0/16"]),
            peering("azurerm_virtual_network_peering.hub_to_a","hub","hub-to-spoke-a",vnet_id("spoke-a"),True,False),
            peering("azurerm_virtual_network_peering.a_to_hub","spoke-a","spoke-a-to-hub",vnet_id("hub"),False,True)]
def cfg_res(addr, exprs, module=False):
    typ,name=addr.split(".")[-2:]
    return {"address":addr,"mode":"managed","type":typ,"name":name,"provider_config_key":"azurerm","expressions":exprs,"schema_version":0}
def ref(*r): return {"references":list(r)}
def change(r, actions, before, after, after_unknown=None):
    return {"address":r["address"],"mode":r["mode"],"type":r["type"],"name":r["name"],**({"index":r["index"]} if "index" in r else {}),
            "provider_name":r["provider_name"],"change":{"actions":actions,"before":before,"after":after,"after_unknown":after_unknown or {},"before_sensitive":{},"after_sensitive":{}}}
def plan(prior, planned, changes, config_resources, module_calls=None, child_modules=None, fv="1.2"):
    root={"resources":planned}
    if child_modules: root["child_modules"]=child_modules
    p={"format_version":fv,"terraform_version":"1.9.5",
       "planned_values":{"root_module":root},
       "resource_changes":changes,
       "prior_state":{"format_version":fv,"terraform_version":"1.9.5","values":{"root_module":{"resources":prior}}},
       "configuration":{"provider_config":{"azurerm":{"name":"azurerm","full_name":"registry.terraform.io/hashicorp/azurerm"}},
                        "root_module":{"resources":config_resources,**({"module_calls":module_calls} if module_calls else {})}},
       "timestamp":"2026-11-30T09:00:00Z","applyable":True,"complete":True,"errored":False}
    return p
def noop(rs): return [change(r,["no-op"],r["values"],r["values"]) for r in rs]
def strip_id(r):
    r=copy.deepcopy(r); r["values"].pop("id",None); return r
def write(name, obj):
    with open(name,"w") as f: json.dump(obj,f,indent=2); f.write("\n")

# 1. create a spoke with transit
b=base()
new_vnet=strip_id(vnet("azurerm_virtual_network.spoke_b","spoke-b",["10.2.0.0/16"]))
p_hb=peering("azurerm_virtual_network_peering.hub_to_b","hub","hub-to-spoke-b",None,True,False,known=False)
p_bh=peering("azurerm_virtual_network_peering.b_to_hub","spoke-b","spoke-b-to-hub",vnet_id("hub"),False,True,known=False)
write("create-spoke.plan.json", plan(b, b+[new_vnet,p_hb,p_bh],
    noop(b)+[change(new_vnet,["create"],None,new_vnet["values"],{"id":True,"subnet":True,"guid":True}),
             change(p_hb,["create"],None,p_hb["values"],{"id":True,"remote_virtual_network_id":True}),
             change(p_bh,["create"],None,p_bh["values"],{"id":True})],
    [cfg_res("azurerm_virtual_network_peering.hub_to_b",{"remote_virtual_network_id":ref("azurerm_virtual_network.spoke_b.id","azurerm_virtual_network.spoke_b")}),
     cfg_res("azurerm_virtual_network_peering.b_to_hub",{"remote_virtual_network_id":ref("azurerm_virtual_network.hub.id","azurerm_virtual_network.hub")})]))

# 2. remove a peering (both halves)
b=base()
write("remove-peering.plan.json", plan(b, b[:4],
    noop(b[:4])+[change(b[4],["delete"],b[4]["values"],None), change(b[5],["delete"],b[5]["values"],None)], []))

# 3. add an address prefix to a peered VNet
b=base(); a=copy.deepcopy(b); a[3]["values"]["address_space"]=["10.1.0.0/16","10.11.0.0/16"]
write("add-prefix.plan.json", plan(b, a, noop(b[:3])+[change(a[3],["update"],b[3]["values"],a[3]["values"])]+noop(b[4:]), []))

# 6. destroy the gateway
b=base(); a=[r for r in b if r["type"]!="azurerm_virtual_network_gateway"]
write("destroy-gateway.plan.json", plan(b, a, [change(r,["delete"],r["values"],None) if r["type"]=="azurerm_virtual_network_gateway" else change(r,["no-op"],r["values"],r["values"]) for r in b], []))

# 7. replace the gateway with a new pool
b=base(); a=copy.deepcopy(b); g=strip_id(gateway(pool=["172.17.0.0/24"])); a[2]=g
write("replace-gateway.plan.json", plan(b, a, noop(b[:2])+[change(g,["delete","create"],b[2]["values"],g["values"],{"id":True,"bgp_settings":True})]+noop(b[3:]), []))

# 8a. unknown IDs that cannot be resolved: a peering to a VNet of another module's output
b=base()
p_hx=peering("azurerm_virtual_network_peering.hub_to_x","hub","hub-to-shared",None,True,False,known=False)
write("unknown-ids.plan.json", plan(b, b+[new_vnet,p_hb,p_bh,p_hx],
    noop(b)+[change(new_vnet,["create"],None,new_vnet["values"],{"id":True}),
             change(p_hb,["create"],None,p_hb["values"],{"id":True,"remote_virtual_network_id":True}),
             change(p_bh,["create"],None,p_bh["values"],{"id":True}),
             change(p_hx,["create"],None,p_hx["values"],{"id":True,"remote_virtual_network_id":True})],
    [cfg_res("azurerm_virtual_network_peering.hub_to_b",{"remote_virtual_network_id":ref("azurerm_virtual_network.spoke_b.id","azurerm_virtual_network.spoke_b")}),
     cfg_res("azurerm_virtual_network_peering.hub_to_x",{"remote_virtual_network_id":ref("module.shared.vnet_id","module.shared")})]))

# 8b. everything P2S-relevant unknown until apply (names from random_pet)
b=base()
u_v=strip_id(vnet("azurerm_virtual_network.spoke_r","x",["10.5.0.0/16"])); del u_v["values"]["name"]
write("all-unknown.plan.json", plan(b, b+[u_v], noop(b)+[change(u_v,["create"],None,u_v["values"],{"id":True,"name":True})],
    [cfg_res("azurerm_virtual_network.spoke_r",{"name":ref("random_pet.spoke.id","random_pet.spoke")})]))

# 9. a module with for_each
b=base()
children=[]; changes=noop(b)
for key,space in [("c","10.3.0.0/16"),("d","10.4.0.0/16")]:
    m=f'module.spokes["{key}"]'
    v=strip_id(vnet(f"{m}.azurerm_virtual_network.this",f"spoke-{key}",[space]))
    to=peering(f"{m}.azurerm_virtual_network_peering.to_hub",f"spoke-{key}",f"spoke-{key}-to-hub",vnet_id("hub"),False,True,known=False)
    fr=peering(f"{m}.azurerm_virtual_network_peering.from_hub","hub",f"hub-to-spoke-{key}",None,True,False,known=False)
    for r,n in [(v,"this"),(to,"to_hub"),(fr,"from_hub")]:
        r["name"]=n
    children.append({"address":m,"resources":[v,to,fr]})
    changes+= [change(v,["create"],None,v["values"],{"id":True}), change(to,["create"],None,to["values"],{"id":True}),
               change(fr,["create"],None,fr["values"],{"id":True,"remote_virtual_network_id":True})]
mc={"spokes":{"source":"./modules/spoke","for_each_expression":{"references":["local.spokes"]},
    "expressions":{"hub_id":ref("azurerm_virtual_network.hub.id","azurerm_virtual_network.hub"),"address_space":ref("each.value")},
    "module":{"resources":[cfg_res("azurerm_virtual_network.this",{"name":ref("each.key")}),
                           cfg_res("azurerm_virtual_network_peering.to_hub",{"remote_virtual_network_id":ref("var.hub_id")}),
                           cfg_res("azurerm_virtual_network_peering.from_hub",{"remote_virtual_network_id":ref("azurerm_virtual_network.this.id","azurerm_virtual_network.this")})],
              "variables":{"hub_id":{},"address_space":{}}}}}
write("module-for-each.plan.json", plan(b, b, changes, [], module_calls=mc, child_modules=children))

# errors
write("unsupported-version.plan.json", plan(base(), base(), [], [], fv="0.1"))
write("a-state.json", {"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":base()}}})
txt=json.dumps(plan(base(), base(), noop(base()), []),indent=2)
open("truncated.plan.json","w").write(txt[:len(txt)//2])

# ---- ARM what-if ----
G="/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"
def arm_vnet(name, space):
    return {"id":f"{G}/virtualNetworks/{name}","name":name,"type":"Microsoft.Network/virtualNetworks","location":"westeurope","apiVersion":"2023-09-01",
            "properties":{"addressSpace":{"addressPrefixes":space},"subnets":[{"name":"GatewaySubnet","id":f"{G}/virtualNetworks/{name}/subnets/GatewaySubnet","properties":{"addressPrefix":"10.0.255.0/27"}}] if name=="hub" else []}}
def arm_gw(protocols, bgp=False):
    p={"gatewayType":"Vpn","vpnType":"RouteBased","sku":{"name":"VpnGw2","tier":"VpnGw2"},"vpnGatewayGeneration":"Generation2","activeActive":False,"enableBgp":bgp,
       "ipConfigurations":[{"name":"default","properties":{"subnet":{"id":f"{G}/virtualNetworks/hub/subnets/GatewaySubnet"},"publicIPAddress":{"id":f"{G}/publicIPAddresses/hub-gw-pip"}}}],
       "vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.0.0/24"]},"vpnClientProtocols":protocols,"vpnAuthenticationTypes":["Certificate"],
                                 "vpnClientRootCertificates":[{"name":"p2s-root","properties":{"publicCertData":"MIIC5zCCAc+gAwIBAgIQ"}}]}}
    if bgp: p["bgpSettings"]={"asn":65515}
    return {"id":f"{G}/virtualNetworkGateways/hub-gw","name":"hub-gw","type":"Microsoft.Network/virtualNetworkGateways","location":"westeurope","apiVersion":"2023-09-01","properties":p}
def wchange(kind, rid, before, after, delta=None):
    c={"changeType":kind,"resourceId":rid,"before":before,"after":after,"delta":delta,"unsupportedReason":None}
    return c
def whatif(changes, status="Succeeded", error=None):
    return {"changes":changes,"error":error,"status":status,"potentialChanges":None,"diagnostics":[]}
hub=arm_vnet("hub",["10.0.0.0/16"])
gw_before=arm_gw(["IkeV2","OpenVPN"]); gw_after=arm_gw(["IkeV2","SSTP"])
write("switch-tunnels.whatif.json", whatif([
    wchange("NoChange",hub["id"],hub,hub),
    wchange("Modify",gw_before["id"],gw_before,gw_after,[{"path":"properties.vpnClientConfiguration.vpnClientProtocols","propertyChangeType":"Array","before":None,"after":None,
        "children":[{"path":"1","propertyChangeType":"Modify","before":"OpenVPN","after":"SSTP","children":None}]}]),
    wchange("Ignore",f"{G}/publicIPAddresses/hub-gw-pip",{"id":f"{G}/publicIPAddresses/hub-gw-pip","name":"hub-gw-pip","type":"Microsoft.Network/publicIPAddresses"},None)]))
lng={"id":f"{G}/localNetworkGateways/branch-nice","name":"branch-nice","type":"Microsoft.Network/localNetworkGateways","location":"westeurope","apiVersion":"2023-09-01",
     "properties":{"gatewayIpAddress":"203.0.113.10","localNetworkAddressSpace":{"addressPrefixes":["192.168.10.0/24"]},"bgpSettings":{"asn":65010,"bgpPeeringAddress":"192.168.10.254"}}}
conn={"id":f"{G}/connections/hub-to-nice","name":"hub-to-nice","type":"Microsoft.Network/connections","location":"westeurope","apiVersion":"2023-09-01",
      "properties":{"connectionType":"IPsec","virtualNetworkGateway1":{"id":gw_before["id"]},"localNetworkGateway2":{"id":lng["id"]},"enableBgp":True,"sharedKey":"[parameters('sharedKey')]"}}
g2=arm_gw(["IkeV2","OpenVPN"],bgp=True)
write("add-bgp-branch.whatif.json", {"status":"Succeeded","properties":{"changes":[
    wchange("NoChange",hub["id"],hub,hub), wchange("Modify",g2["id"],gw_before,g2),
    wchange("Create",lng["id"],None,lng), wchange("Create",conn["id"],None,conn)]}})
write("failed.whatif.json", whatif([], status="Failed", error={"code":"InvalidTemplate","message":"Deployment template validation failed: 'The resource 'Microsoft.Network/virtualNetworks/hub' is not defined in the template.'","details":[]}))
write("not-a-change.json", {"vnets_of_team":[{"name":"hub"}]})

gw_ike=arm_gw(["IkeV2"]); gw_sstp=arm_gw(["IkeV2","SSTP"])
write("add-sstp.whatif.json", whatif([wchange("NoChange",hub["id"],hub,hub), wchange("Modify",gw_ike["id"],gw_ike,gw_sstp)]))

# az deployment sub what-if: resources in several groups, plus the resource group itself.
rg2="/subscriptions/s1/resourceGroups/rg-spokes"
spoke={"id":f"{rg2}/providers/Microsoft.Network/virtualNetworks/spoke-s","name":"spoke-s","type":"Microsoft.Network/virtualNetworks","location":"westeurope","apiVersion":"2023-09-01",
       "properties":{"addressSpace":{"addressPrefixes":["10.7.0.0/16"]},"virtualNetworkPeerings":[{"name":"spoke-s-to-hub","id":f"{rg2}/providers/Microsoft.Network/virtualNetworks/spoke-s/virtualNetworkPeerings/spoke-s-to-hub",
         "properties":{"remoteVirtualNetwork":{"id":hub["id"]},"allowGatewayTransit":False,"useRemoteGateways":True,"allowVirtualNetworkAccess":True}}]}}
hub_peer={"id":f"{hub['id']}/virtualNetworkPeerings/hub-to-spoke-s","name":"hub/hub-to-spoke-s","type":"Microsoft.Network/virtualNetworks/virtualNetworkPeerings","apiVersion":"2023-09-01",
          "properties":{"remoteVirtualNetwork":{"id":spoke["id"]},"allowGatewayTransit":True,"useRemoteGateways":False,"allowVirtualNetworkAccess":True}}
write("sub-create-spoke.whatif.json", whatif([
    wchange("Create",rg2,None,{"id":rg2,"name":"rg-spokes","type":"Microsoft.Resources/resourceGroups","location":"westeurope"}),
    wchange("NoChange",hub["id"],hub,hub), wchange("NoChange",gw_before["id"],gw_before,gw_before),
    wchange("Create",spoke["id"],None,spoke), wchange("Create",hub_peer["id"],None,hub_peer)]))

# 23 more prefixes on the peered spoke: the legacy Windows limit (25) is crossed.
b=base(); a=copy.deepcopy(b)
a[3]["values"]["address_space"]=["10.1.0.0/16"]+[f"10.{n}.0.0/16" for n in range(20,43)]
write("legacy-limit.plan.json", plan(b, a, noop(b[:3])+[change(a[3],["update"],b[3]["values"],a[3]["values"])]+noop(b[4:]), []))

# A bad prefix in an after body (what-if) and in planned_values (plan): errors name the place
# in the change file.
bad_hub=copy.deepcopy(hub); bad_hub["properties"]["addressSpace"]["addressPrefixes"]=["10.0.0.0/33"]
write("bad-prefix.whatif.json", whatif([wchange("NoChange",gw_before["id"],gw_before,gw_before), wchange("Modify",hub["id"],hub,bad_hub)]))
b=base(); a=copy.deepcopy(b); a[3]["values"]["address_space"]=["10.1.0.0/16","10.300.0.0/16"]
write("bad-prefix.plan.json", plan(b, a, noop(b[:3])+[change(a[3],["update"],b[3]["values"],a[3]["values"])]+noop(b[4:]), []))

# A template that only deploys the gateway into an existing VNet it does not declare.
write("gateway-only.whatif.json", whatif([wchange("Modify",gw_before["id"],gw_before,gw_after)]))

# A plan that errored (terraform show -json of a plan saved despite errors).
p=plan(base(), base(), [], []); p["errored"]=True; p["applyable"]=False
write("errored.plan.json", p)
