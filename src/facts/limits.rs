//! Azure's documented resource limits that bound a P2S design (spec §2): what Azure refuses (or,
//! for BGP, drops) whatever the client. Client limits are per client kind, in [`super::clients`].
//!
//! Each limit is one constant with what it counts and its source; the LIM findings
//! (`verdicts::findings::limits`) and the sweeps' "rejected" steps read them from here.

/// One documented limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResourceLimit {
    /// The most Azure accepts.
    pub max: usize,
    /// What is counted, and on which resource.
    pub counts: &'static str,
    /// Where Azure documents it.
    pub source: &'static str,
}

const GATEWAY_LIMITS: &str = "https://learn.microsoft.com/azure/azure-resource-manager/management/\
                              azure-subscription-service-limits#vpn-gateway-limits \
                              (includes/azure-virtual-network-gateway-limits.md)";
const NETWORKING_LIMITS: &str = "https://learn.microsoft.com/azure/azure-resource-manager/\
                                 management/azure-subscription-service-limits#azure-networking-limits \
                                 (\"Virtual network peerings per virtual network\")";

/// A limit of the VPN gateway limits table.
const fn gateway_limit(max: usize, counts: &'static str) -> ResourceLimit {
    ResourceLimit {
        max,
        counts,
        source: GATEWAY_LIMITS,
    }
}

/// A limit of the networking limits table's peerings row.
const fn peering_limit(max: usize, counts: &'static str) -> ResourceLimit {
    ResourceLimit {
        max,
        counts,
        source: NETWORKING_LIMITS,
    }
}

/// "LNG address prefixes: 1000 per LNG".
pub const LOCAL_NETWORK_PREFIXES: ResourceLimit =
    gateway_limit(1000, "address prefixes per local network gateway");

/// "VNet address prefixes: 600 per VPN gateway" (its own VNet and its transit spokes).
pub const VNET_PREFIXES_PER_GATEWAY: ResourceLimit =
    gateway_limit(600, "VNet address prefixes per VPN gateway");

/// "Aggregate BGP routes: 4,000 per gateway" (also the VPN FAQ on BGP): above it the BGP
/// session is dropped.
pub const BGP_ROUTES_PER_GATEWAY: ResourceLimit =
    gateway_limit(4000, "routes learned over BGP per VPN gateway");

/// "Virtual network peerings per virtual network: 500", 1,000 with Azure Virtual Network Manager
/// connectivity configurations: the most Azure accepts at all.
pub const PEERINGS_PER_VNET: ResourceLimit = peering_limit(
    1000,
    "peerings per virtual network (with Virtual Network Manager)",
);

/// The same limit without Virtual Network Manager.
pub const PEERINGS_PER_VNET_WITHOUT_AVNM: ResourceLimit = peering_limit(
    500,
    "peerings per virtual network (without Virtual Network Manager)",
);

/// Every resource limit above.
pub const RESOURCE_LIMITS: &[ResourceLimit] = &[
    LOCAL_NETWORK_PREFIXES,
    VNET_PREFIXES_PER_GATEWAY,
    BGP_ROUTES_PER_GATEWAY,
    PEERINGS_PER_VNET,
    PEERINGS_PER_VNET_WITHOUT_AVNM,
];
