//! The catalog: every finding code with its title, severity, why it matters, how to fix it and
//! the Azure article that documents it. `p2s-sim explain CODE` prints an entry; findings take
//! their severity and source from here, so the two never disagree.
//!
//! Sources name the live article (learn.microsoft.com) and, where the text lives in an include
//! of the `MicrosoftDocs/azure-docs` repository, that file. Tags as in the spec: where a rule is
//! inferred rather than stated, the "why" says so.

use super::limits;

/// How bad a finding is. Ordered: errors first. Serialized as `error`, `warning`, `info`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Azure rejects it, or clients cannot connect or reach what they should.
    Error,
    /// Works, but hurts.
    Warning,
    /// Worth knowing; nothing to change now.
    Info,
}

impl Severity {
    pub const ALL: &'static [Severity] = &[Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub code: &'static str,
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    pub title: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub source: &'static str,
}

fn severity_name<S: serde::Serializer>(s: &Severity, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// Every rule, in code order.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule for a code (case-insensitive, surrounding spaces ignored).
pub fn explain(code: &str) -> Option<&'static Rule> {
    let code = code.trim();
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The address of Azure's "About point-to-site VPN" page, as a literal: sources that cite it
/// with more text are `concat!`ed and stay one `&'static str`.
macro_rules! p2s_about {
    () => {
        "https://learn.microsoft.com/azure/vpn-gateway/point-to-site-about"
    };
}

/// Azure's "About point-to-site VPN" page: the tool's SARIF `informationUri` too.
pub const P2S_ABOUT: &str = p2s_about!();
const SSTP: &str = "https://learn.microsoft.com/azure/vpn-gateway/ikev2-openvpn-from-sstp \
                    (\"Transition to OpenVPN or IKEv2 from SSTP\")";
const SKUS: &str = "https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus";
const PEER: &str =
    "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering \
                    (\"Requirements and constraints\", peering settings)";
const POOL_INCLUDE: &str =
    "https://learn.microsoft.com/azure/vpn-gateway/point-to-site-certificate-gateway \
                            (\"Add the VPN client address pool\")";

/// The catalog, in code order. Codes are never reused or renumbered (see the module docs of
/// `findings`); each is a constant, so a rule that names a code the catalog lacks does not
/// compile.
pub const RULES: &[Rule] = &[
    P2S001, P2S002, P2S003, P2S004, P2S005, P2S006, P2S007, P2S008, P2S009, P2S010, POOL001,
    POOL002, POOL003, POOL004, POOL005, POOL006, PEER001, PEER002, PEER003, PEER004, PEER005,
    PEER006, PEER007, PEER008, PEER009, CONN001, CONN002, CONN003, CONN004, CONN005, CONN006,
    LIM001, LIM002, LIM003, LIM004, LIM005, LIM006, LIM007, ROUTE001, ROUTE002, NET001, NET002,
    DATE001, DATE002, DATE003, DATE004, DATE005, SKU001, SKU002, SKU003, SKU004, SKU005, CAP001,
    CAP002,
];

// ---- P2S: the gateway's point-to-site settings --------------------------------------------
pub const P2S001: Rule = Rule {
    code: "P2S001",
    severity: Severity::Error,
    title: "Point-to-site on a policy-based gateway",
    why: "Azure supports point-to-site only on route-based VPN gateways; a policy-based \
          gateway cannot carry a P2S configuration, so no client can connect.",
    fix: "Recreate the gateway with vpn_type: RouteBased (the VPN type cannot be changed in \
          place: delete and recreate), then add the P2S configuration again.",
    source: concat!(
        "FAQ \"We don't support point-to-site for static routing VPN gateways or \
             policy-based VPN gateways\" (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); ",
        p2s_about!()
    ),
};

pub const P2S002: Rule = Rule {
    code: "P2S002",
    severity: Severity::Error,
    title: "Point-to-site configuration without an address pool",
    why: "Every P2S client gets its address from the VPN client address pool; without one \
          Azure rejects the configuration and no client can connect.",
    fix: "Add address_pool with a private range that overlaps neither the VNet, its peers, \
          the connected sites nor the networks clients connect from (e.g. 172.16.201.0/24).",
    source: POOL_INCLUDE,
};

pub const P2S003: Rule = Rule {
    code: "P2S003",
    severity: Severity::Error,
    title: "Address pool smaller than /29 (/28 for active-active)",
    why: "\"The minimum subnet mask is 29 bit for active/passive and 28 bit for \
          active/active configuration\"; a smaller pool is rejected. With SSTP and IKEv2 \
          both enabled the pool is also split in two, halving it again.",
    fix: "Use a larger prefix: at least /29 (/28 when active_active is on); size it for the \
          clients you expect (the capacity output gives usable addresses per protocol).",
    source: POOL_INCLUDE,
};

pub const P2S004: Rule = Rule {
    code: "P2S004",
    severity: Severity::Error,
    title: "SSTP and OpenVPN enabled together",
    why: "SSTP and OpenVPN both use TLS on TCP 443 and \"can't coexist on the same \
          gateway\"; Azure rejects the tunnel-type combination.",
    fix: "Keep OpenVPN (and IKEv2 if needed) and remove SSTP — SSTP is being retired anyway \
          (DATE001–DATE003).",
    source: SSTP,
};

pub const P2S005: Rule = Rule {
    code: "P2S005",
    severity: Severity::Error,
    title: "Microsoft Entra ID (AAD) authentication without OpenVPN",
    why: "Entra ID authentication works only with the OpenVPN tunnel type and the Azure VPN \
          Client; with IKEv2 or SSTP alone it cannot be configured, and with IKEv2 + OpenVPN \
          the AAD clients use only OpenVPN.",
    fix: "Add OpenVPN to tunnel_types (and remove SSTP, which cannot coexist with it), or \
          use Certificate or Radius authentication.",
    source: concat!(
        p2s_about!(),
        " (includes/vpn-gateway-vpn-multiauth-tunnel-mapping.md)"
    ),
};

pub const P2S006: Rule = Rule {
    code: "P2S006",
    severity: Severity::Error,
    title: "RADIUS authentication on a Basic gateway",
    why: "RADIUS is \"supported for all SKUs except the Basic SKU\"; the Basic SKU has \"no \
          RADIUS authentication for P2S\".",
    fix: "Use certificate authentication, or resize to a VpnGw SKU (Basic cannot be resized: \
          create a new gateway, e.g. VpnGw1AZ).",
    source: "FAQ (RADIUS section) and SKU feature table (https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus)",
};

pub const P2S007: Rule = Rule {
    code: "P2S007",
    severity: Severity::Error,
    title: "IKEv2 on a Basic gateway before November 2025",
    why: "Until November 2025 the Basic SKU supported only SSTP for P2S. \"Effective November \
          2025, Basic SKU will also support IKEv2\" — so this finding depends on --as-of \
          (from 2025-11-01 it no longer applies).",
    fix: "Use SSTP on Basic, evaluate with --as-of 2025-11-01 or later if that is when you \
          deploy, or create a VpnGw gateway.",
    source: SSTP,
};

pub const P2S008: Rule = Rule {
    code: "P2S008",
    severity: Severity::Error,
    title: "OpenVPN on a Basic gateway",
    why: "\"The Basic gateway SKU does not support IKEv2 or OpenVPN protocols\"; the November \
          2025 change added IKEv2 only. OpenVPN (and with it Entra ID authentication) needs a \
          VpnGw SKU.",
    fix: "Remove OpenVPN from tunnel_types, or create a VpnGw gateway (e.g. VpnGw1AZ).",
    source: SSTP,
};

pub const P2S010: Rule = Rule {
    code: "P2S010",
    severity: Severity::Error,
    title: "IKEv2 and OpenVPN with Microsoft Entra ID (AAD) as the only authentication",
    why: "With IKEv2 and OpenVPN on one gateway, Azure accepts Certificate, RADIUS, AAD + \
          RADIUS or AAD + Certificate: AAD is used only over OpenVPN, so IKEv2 needs \
          Certificate or RADIUS next to it, and AAD alone cannot be configured.",
    fix: "Add Certificate (with a root certificate) or Radius to auth_types for the IKEv2 \
          clients, or remove IkeV2 from tunnel_types.",
    source: concat!(
        p2s_about!(),
        " (includes/vpn-gateway-vpn-multiauth-tunnel-mapping.md: IKEv2 and OpenVPN)"
    ),
};

// ---- POOL: the client address pool against other address space ----------------------------
pub const P2S009: Rule = Rule {
    code: "P2S009",
    severity: Severity::Error,
    title: "Point-to-site configuration without authentication",
    why: "A P2S client must authenticate with a certificate (a root certificate uploaded to \
          the gateway), RADIUS or Microsoft Entra ID (AAD); a configuration with none of them \
          accepts no client at all.",
    fix: "Add an authentication type with its material: auth_types: [Certificate] and a \
          root certificate, Radius with a RADIUS server, or AAD (OpenVPN only) with the \
          tenant, audience and issuer.",
    source: concat!(
        p2s_about!(),
        " (\"Authentication of clients\"); spec §3 tunnel type × authentication mapping"
    ),
};

pub const POOL001: Rule = Rule {
    code: "POOL001",
    severity: Severity::Error,
    title: "Address pool overlaps the gateway's VNet",
    why: "Azure rejects it (\"The virtual network gateway's VPN client address pool overlaps \
          with the virtual network's address space\"); the pool must not overlap the VNet \
          clients connect to.",
    fix: "Pick a pool outside every VNet prefix (e.g. from 172.16.0.0/12 when the VNets use \
          10.0.0.0/8).",
    source: POOL_INCLUDE,
};

pub const POOL002: Rule = Rule {
    code: "POOL002",
    severity: Severity::Error,
    title: "Address pool overlaps a transit spoke",
    why: "With gateway transit the gateway treats spoke prefixes as its own and clients get \
          routes to them; pool addresses inside a spoke are both a client and a spoke \
          address, so traffic for them goes the wrong way and the clients holding them cannot \
          reach the spoke. [I] from the pool rule and gateway transit.",
    fix: "Move the pool (or the spoke's address space) so they do not overlap.",
    source: "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit; \
             https://learn.microsoft.com/azure/vpn-gateway/point-to-site-certificate-gateway",
};

pub const POOL003: Rule = Rule {
    code: "POOL003",
    severity: Severity::Warning,
    title: "Address pool overlaps a connected network",
    why: "The pool must not overlap \"the on-premises location that you connect from\": a \
          local network or Vnet2Vnet peer that holds pool addresses routes them locally, so \
          clients with those addresses cannot talk to it.",
    fix: "Move the pool, or the local network gateway's address space, so they do not overlap.",
    source: POOL_INCLUDE,
};

pub const POOL004: Rule = Rule {
    code: "POOL004",
    severity: Severity::Warning,
    title: "Address pool overlaps a prefix learned over BGP",
    why: "The gateway also advertises the pool to its BGP peers; a learned prefix that \
          overlaps it makes return traffic for those client addresses ambiguous.",
    fix: "Move the pool to space no BGP peer announces, or stop announcing the overlapping \
          prefix.",
    source:
        "FAQ, BGP section (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); \
             https://learn.microsoft.com/azure/vpn-gateway/point-to-site-certificate-gateway",
};

pub const POOL005: Rule = Rule {
    code: "POOL005",
    severity: Severity::Warning,
    title: "Address pool overlaps another gateway's pool",
    why: "Clients of two gateways get the same addresses; when the gateways are linked (or \
          users switch between them) replies go to the wrong gateway. The FAQ allows several \
          gateways only when address spaces do not conflict.",
    fix: "Give each gateway its own pool.",
    source: "FAQ \"Can I connect to multiple virtual networks\" (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

pub const POOL006: Rule = Rule {
    code: "POOL006",
    severity: Severity::Warning,
    title: "Address pool outside the private ranges",
    why: "The pool include says \"Use a private IP address range\": clients take their \
          addresses from the pool, so public addresses in it shadow real Internet hosts for \
          every client and collide with networks Azure or your sites reach.",
    fix: "Use a pool from RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), the shared \
          address space 100.64.0.0/10 (RFC 6598) or, for IPv6, fc00::/7 (RFC 4193).",
    source: POOL_INCLUDE,
};

// ---- PEER: VNet peering and gateway transit ------------------------------------------------
pub const PEER001: Rule = Rule {
    code: "PEER001",
    severity: Severity::Error,
    title: "Use remote gateways, but the remote VNet has no gateway",
    why: "\"The peered virtual network must have a virtual network gateway deployed in it\"; \
          Azure rejects the setting.",
    fix: "Deploy a gateway in the remote VNet, or clear use_remote_gateways.",
    source: PEER,
};

pub const PEER002: Rule = Rule {
    code: "PEER002",
    severity: Severity::Error,
    title: "Use remote gateways, but the remote side does not allow gateway transit",
    why: "The remote peering \"must have the Use this virtual network's gateway… setting \
          selected\"; without it Azure rejects the setting and P2S clients get no route to \
          this VNet.",
    fix: "Set allow_gateway_transit on the remote VNet's peering back to this VNet.",
    source: PEER,
};

pub const PEER003: Rule = Rule {
    code: "PEER003",
    severity: Severity::Error,
    title: "Use remote gateways on a VNet that has its own gateway",
    why: "\"You can't use remote gateways if you already have a gateway configured in your \
          virtual network.\"",
    fix: "Remove one: either this VNet's gateway or use_remote_gateways.",
    source: PEER,
};

pub const PEER004: Rule = Rule {
    code: "PEER004",
    severity: Severity::Error,
    title: "More than one peering of a VNet uses remote gateways",
    why: "\"Only one peering for this virtual network can have this setting enabled.\"",
    fix: "Keep use_remote_gateways on the peering to the one hub whose gateway this VNet \
          should use.",
    source: PEER,
};

pub const PEER005: Rule = Rule {
    code: "PEER005",
    severity: Severity::Warning,
    title: "One-way peering",
    why: "A peering is Connected only when both directions exist; a single direction stays \
          Initiated and carries no traffic, so nothing (P2S clients included) reaches the \
          remote VNet through it.",
    fix: "Create the peering in the other direction too.",
    source: PEER,
};

pub const PEER006: Rule = Rule {
    code: "PEER006",
    severity: Severity::Warning,
    title: "Allow gateway transit on both ends",
    why: "Gateway transit is one-sided: the hub allows it, the spoke uses it. On both ends at \
          most one side can mean it, and neither VNet gets the other's gateway unless the \
          other uses it; the setting on a VNet without a gateway does nothing.",
    fix: "Set allow_gateway_transit only on the hub (the VNet with the gateway) and \
          use_remote_gateways on the spoke.",
    source: PEER,
};

pub const PEER007: Rule = Rule {
    code: "PEER007",
    severity: Severity::Error,
    title: "Peered VNets overlap",
    why: "\"Overlapping address spaces can't be peered\"; Azure rejects the peering.",
    fix: "Re-address one VNet so the two address spaces are disjoint.",
    source: PEER,
};

pub const PEER008: Rule = Rule {
    code: "PEER008",
    severity: Severity::Warning,
    title: "Hub allows gateway transit, spoke does not use it (landing-zone mistake)",
    why: "Both flags are needed for transit: \"the peered VNet (the VNet without the gateway) \
          must be configured with the Use remote gateways attribute\". Without it P2S \
          clients get no route to the spoke and the spoke has no route back to the pool.",
    fix: "Set use_remote_gateways on the spoke's peering to the hub, then download the VPN \
          client profile again.",
    source: "FAQ (point-to-site and peering) (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); \
             https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit",
};

pub const PEER009: Rule = Rule {
    code: "PEER009",
    severity: Severity::Warning,
    title: "Peering out of sync with the remote address space",
    why: "The peering still carries an old copy of the remote VNet's address space \
          (peeringSyncLevel is not FullyInSync): routes for added prefixes are missing and \
          removed ones linger until the peering is synced.",
    fix: "Sync the peering (portal: Sync, or az network vnet peering sync) after changing \
          the remote VNet's address space, then re-download P2S client profiles.",
    source: PEER,
};

// ---- CONN: gateway connections -------------------------------------------------------------
pub const CONN001: Rule = Rule {
    code: "CONN001",
    severity: Severity::Warning,
    title: "One-way Vnet2Vnet connection",
    why: "A VNet-to-VNet tunnel needs a connection resource on each gateway; with one \
          direction only the tunnel never comes up.",
    fix: "Create the matching connection on the remote gateway (same shared key).",
    source: "FAQ, VNet-to-VNet and multi-site (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

pub const CONN002: Rule = Rule {
    code: "CONN002",
    severity: Severity::Warning,
    title: "BGP on a connection whose gateway has no BGP",
    why: "BGP is configured in two steps: BGP settings (ASN) on the gateway, then BGP on the \
          connection. With the first step missing no BGP session runs on this link: \
          nothing is learned or advertised over it, and P2S clients cannot reach the \
          networks behind it (reachability needs BGP on every hop). A warning: \
          Azure accepts the connection; whether it then runs BGP with the default ASN 65515 \
          is not documented [U], so p2s-sim models the link as static.",
    fix: "Enable BGP on the gateway (bgp: {asn: ...}), or set bgp: false on the connection.",
    source: "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-bgp-resource-manager-ps \
             (configure BGP on the gateway, then on the connection); FAQ, BGP section \
             (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

pub const CONN003: Rule = Rule {
    code: "CONN003",
    severity: Severity::Warning,
    title: "BGP on a connection whose far end has no BGP",
    why: "The local network gateway (or the remote VPN gateway) has no BGP settings, so no \
          BGP session forms: nothing is learned, and networks behind it are not reachable \
          from P2S clients (they need BGP on every hop).",
    fix: "Add BGP settings (ASN, peer IP) to the local network / enable BGP on the remote \
          gateway, or turn BGP off on the connection.",
    source:
        "FAQ, BGP section (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); \
             https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-point-to-site-routing",
};

pub const CONN004: Rule = Rule {
    code: "CONN004",
    severity: Severity::Warning,
    title: "Vnet2Vnet BGP enabled in one direction only",
    why: "The two connection resources of a VNet-to-VNet tunnel disagree on BGP; the session \
          needs both, so the link runs static and P2S clients cannot reach across it. [I]",
    fix: "Enable BGP on both connections (or on neither).",
    source: "FAQ, BGP section (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

pub const CONN005: Rule = Rule {
    code: "CONN005",
    severity: Severity::Error,
    title: "More S2S/VNet-to-VNet tunnels than the SKU allows",
    why: "Each SKU has a maximum of S2S/VNet-to-VNet tunnels (Basic 10, VpnGw1–3 30, \
          VpnGw4–5 100); connections beyond it are rejected. p2s-sim counts connection \
          resources of the gateway.",
    fix: "Resize to a larger SKU, or move branches to Virtual WAN (more than 100 tunnels).",
    source: SKUS,
};

pub const CONN006: Rule = Rule {
    code: "CONN006",
    severity: Severity::Error,
    title: "Vnet2Vnet or multi-site on a policy-based gateway",
    why: "VNet-to-VNet and multi-site connections require a route-based gateway; a \
          policy-based gateway supports a single S2S tunnel.",
    fix: "Recreate the gateway as RouteBased.",
    source: "FAQ, VNet-to-VNet and multi-site (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

// ---- LIM: documented limits ----------------------------------------------------------------
pub const LIM001: Rule = Rule {
    code: "LIM001",
    severity: Severity::Error,
    title: "More than 1,000 prefixes in a local network gateway",
    why: "A local network gateway holds at most 1,000 address prefixes.",
    fix: "Summarize the site's prefixes (p2s-sim prefixes summarize), or use BGP instead of \
          a static list.",
    source: limits::LOCAL_NETWORK_PREFIXES.source,
};

pub const LIM002: Rule = Rule {
    code: "LIM002",
    severity: Severity::Error,
    title: "More than 600 VNet prefixes per gateway",
    why: "A VPN gateway supports at most 600 VNet address prefixes, counting its own VNet and \
          the VNets that use it through gateway transit.",
    fix: "Consolidate VNet address spaces, or split spokes across hubs.",
    source: limits::VNET_PREFIXES_PER_GATEWAY.source,
};

pub const LIM003: Rule = Rule {
    code: "LIM003",
    severity: Severity::Error,
    title: "More than 4,000 BGP routes",
    why: "\"The BGP session is dropped if the number of prefixes exceeds the limit\" of 4,000 \
          routes per gateway; every BGP-learned network then disappears at once.",
    fix: "Summarize what the peers announce, or filter it on the far side.",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#vpn-gateway-limits; \
             FAQ, BGP section",
};

pub const LIM004: Rule = Rule {
    code: "LIM004",
    severity: Severity::Error,
    title: "P2S client over its traffic-selector or route limit",
    why: "Windows IKEv2 clients \"fail to connect via IKEv2 if they surpass this limit\" (255 \
          with the 2021 fix; error 13834); other IKEv2 clients have 255 selectors (one octet); \
          OpenVPN takes 1,000 routes. The gateway offers one selector per prefix.",
    fix: "Offer fewer prefixes: summarize VNet address spaces and local networks, drop custom \
          routes, or split users across gateways (p2s-sim prefixes summarize finds a cover).",
    source: "FAQ \"What is the IKEv2 traffic selector limit\" (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); \
             P2S route limits in https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#vpn-gateway-limits",
};

pub const LIM005: Rule = Rule {
    code: "LIM005",
    severity: Severity::Warning,
    title: "Windows clients without the 2021 fix exceed 25 traffic selectors",
    why: "Windows builds without the September 2021 updates (KB5005625, KB5005624, \
          KB5005611) accept only 25 selectors and fail with error 13834 above it. A warning, \
          not an error: every supported Windows build has the fix, so only unpatched \
          machines fail, and the fix is on the client, not in the configuration.",
    fix: "Make sure every Windows client has the 2021 cumulative updates (or Windows 11), or \
          bring the offer to 25 prefixes or fewer.",
    source: "FAQ \"What is the IKEv2 traffic selector limit\" (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

pub const LIM006: Rule = Rule {
    code: "LIM006",
    severity: Severity::Error,
    title: "More than 1,000 peerings on a virtual network",
    why: "A virtual network holds at most 500 peerings, 1,000 with Azure Virtual Network \
          Manager connectivity configurations; Azure refuses the peering past the limit, so \
          the spoke never gets its routes.",
    fix: "Split the spokes across several hubs, each with its own gateway.",
    source: limits::PEERINGS_PER_VNET.source,
};

pub const LIM007: Rule = Rule {
    code: "LIM007",
    severity: Severity::Warning,
    title: "More than 500 peerings on a virtual network",
    why: "Without Azure Virtual Network Manager connectivity configurations a virtual network \
          holds at most 500 peerings; only with them does the limit rise to 1,000.",
    fix: "Manage the peerings with Virtual Network Manager connectivity configurations, or \
          split the spokes across hubs.",
    source: limits::PEERINGS_PER_VNET_WITHOUT_AVNM.source,
};

// ---- ROUTE: custom routes ------------------------------------------------------------------
pub const ROUTE001: Rule = Rule {
    code: "ROUTE001",
    severity: Severity::Error,
    title: "Custom route 0.0.0.0/0 (default route)",
    why: "Advertising the default route to P2S clients is not supported: \"Internet \
          connectivity is not provided through the VPN gateway. As a result, all traffic \
          bound for the Internet is dropped.\"",
    fix: "To force-tunnel, advertise 0.0.0.0/1 and 128.0.0.0/1 instead (more specific than \
          the client's default route), and provide Internet egress in Azure.",
    source: "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-p2s-advertise-custom-routes",
};

pub const ROUTE002: Rule = Rule {
    code: "ROUTE002",
    severity: Severity::Info,
    title: "Forced tunnelling: P2S clients lose the Internet",
    why: "Custom routes that together cover the whole address family (0.0.0.0/1 and \
          128.0.0.0/1) send all of a client's traffic to the gateway: \"Internet connectivity \
          is not provided through the VPN gateway. As a result, all traffic bound for the \
          Internet is dropped.\"",
    fix: "Intended for forced tunnelling: nothing to change in the gateway. Otherwise advertise \
          only the networks clients need.",
    source: "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-p2s-advertise-custom-routes",
};

// ---- NET: networks clients connect from -----------------------------------------------------
pub const NET001: Rule = Rule {
    code: "NET001",
    severity: Severity::Error,
    title: "A route collides with a network clients connect from",
    why: "If a client's local address \"is within the address range of the virtual network… \
          or within the address range of your VPNClientAddressPool… the network traffic \
          doesn't reach Azure, it stays on the local network\". Checked against every \
          --client-network given.",
    fix: "Re-address the colliding Azure range or pool, or (for a corporate LAN) route that \
          range differently; the FAQ allows several networks only without conflicts.",
    source: "includes/vpn-gateway-connect-vm-troubleshoot-include.md \
             (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-howto-point-to-site-resource-manager-portal); \
             FAQ \"Can I connect to multiple virtual networks\"",
};

pub const NET002: Rule = Rule {
    code: "NET002",
    severity: Severity::Warning,
    title: "A route collides with a common home-router range",
    why: "Home routers, mobile hotspots and hotel networks hand out a few well-known ranges \
          (192.168.0.0/24, 192.168.1.0/24, 192.168.178.0/24 on FRITZ!Box, 10.0.0.0/24 on \
          Xfinity, ... — all listed below with their vendors); users \
          on such a network cannot reach the colliding Azure range over the VPN. A warning: \
          only some users are affected. Enabled by --home-networks.",
    fix: "Avoid these ranges for VNets and pools that P2S users must reach (prefer \
          10.x outside 10.0.0.0/23, or 172.16.0.0/12 away from 172.20.10.0/28).",
    source: "vendor defaults: AVM FRITZ!Box manual (192.168.178.1), Comcast Xfinity gateway \
             help (10.0.0.1), Apple AirPort (10.0.1.1) and iPhone Personal Hotspot \
             (172.20.10.0/28), Linksys/NETGEAR/TP-Link/D-Link manuals (192.168.0.1, \
             192.168.1.1), Belkin and Telekom Speedport (192.168.2.1), ASUS (192.168.50.1), \
             Google Nest Wifi (192.168.86.1), TP-Link Deco (192.168.68.1/22), Huawei mobile \
             routers (192.168.8.1), Xiaomi (192.168.31.1), Android hotspot (192.168.43.1); \
             rule: includes/vpn-gateway-connect-vm-troubleshoot-include.md",
};

// ---- DATE: product changes by date ---------------------------------------------------------
pub const DATE001: Rule = Rule {
    code: "DATE001",
    severity: Severity::Info,
    title: "SSTP is retiring",
    why: "From 2026-03-31 SSTP can no longer be enabled and from 2027-03-31 existing SSTP \
          connections stop. Evaluated for --as-of (default today).",
    fix: "Plan the move of Windows clients to IKEv2 (or OpenVPN with the Azure VPN Client) \
          and remove SSTP before 2027-03-31.",
    source: SSTP,
};

pub const DATE002: Rule = Rule {
    code: "DATE002",
    severity: Severity::Warning,
    title: "SSTP can no longer be enabled",
    why: "Since 2026-03-31 a gateway cannot be configured with SSTP: deploying this \
          configuration (or re-enabling SSTP) is rejected; existing SSTP connections keep \
          working until 2027-03-31.",
    fix: "Remove SSTP from tunnel_types and move its clients to IKEv2 or OpenVPN.",
    source: SSTP,
};

pub const DATE003: Rule = Rule {
    code: "DATE003",
    severity: Severity::Error,
    title: "SSTP no longer works",
    why: "Since 2027-03-31 SSTP connections stop working; SSTP clients cannot connect.",
    fix: "Remove SSTP from tunnel_types; connect those clients with IKEv2 or OpenVPN.",
    source: SSTP,
};

pub const DATE004: Rule = Rule {
    code: "DATE004",
    severity: Severity::Warning,
    title: "Legacy Standard/HighPerformance SKU",
    why: "The Standard and HighPerformance SKUs are retired; gateways still on them are \
          migrated automatically after June 2026 (Standard to VpnGw1AZ, HighPerformance to \
          VpnGw2AZ), at a time Azure chooses.",
    fix: "Migrate to VpnGw1AZ / VpnGw2AZ yourself before July 2026.",
    source: "FAQ \"Deprecation of older SKUs\" (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); \
             https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-skus-legacy",
};

pub const DATE005: Rule = Rule {
    code: "DATE005",
    severity: Severity::Info,
    title: "Legacy SKU already migrated",
    why: "After June 2026 a Standard or HighPerformance gateway runs as VpnGw1AZ or VpnGw2AZ; \
          the file still names the old SKU. p2s-sim computes capacity for the new SKU.",
    fix: "Write the current SKU into the topology (sku: VpnGw1AZ or VpnGw2AZ).",
    source: "FAQ \"Deprecation of older SKUs\" (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

// ---- SKU: gateway SKU facts ----------------------------------------------------------------
pub const SKU001: Rule = Rule {
    code: "SKU001",
    severity: Severity::Info,
    title: "Gateway SKU not given",
    why: "Without the SKU, p2s-sim cannot check tunnel counts or client capacity against the \
          SKU table; those checks were skipped.",
    fix: "Add sku: to the gateway (e.g. VpnGw1AZ).",
    source: SKUS,
};

pub const SKU002: Rule = Rule {
    code: "SKU002",
    severity: Severity::Info,
    title: "Non-zone-redundant VpnGw SKU",
    why: "VpnGw1–5 without AZ are slated for migration to their AZ counterparts (same \
          limits, zone-redundant).",
    fix: "Plan the move to the matching AZ SKU.",
    source: SKUS,
};

pub const SKU003: Rule = Rule {
    code: "SKU003",
    severity: Severity::Error,
    title: "BGP on a Basic gateway",
    why: "BGP is supported on all SKUs except Basic; Azure rejects BGP settings on a Basic \
          gateway (\"A virtual network gateway SKU of Standard or higher is required for BGP \
          support\").",
    fix: "Remove bgp from the gateway, or create a VpnGw gateway (Basic cannot be resized).",
    source: "FAQ \"Is BGP supported on all Azure VPN Gateway SKUs?\" \
             (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); SKU feature \
             table (https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus)",
};

pub const SKU004: Rule = Rule {
    code: "SKU004",
    severity: Severity::Error,
    title: "SKU not made in the gateway's generation",
    why: "VpnGw2 and VpnGw3 come in Generation1 and Generation2, but Basic and VpnGw1 only in \
          Generation1 and VpnGw4 and VpnGw5 only in Generation2 (the SKU table has no other \
          rows): Azure does not create such a gateway, and its throughput is unknown.",
    fix: "Set the generation the SKU is made in, or pick a SKU of the generation you want \
          (Generation2 from VpnGw2, Generation1 up to VpnGw3).",
    source: SKUS,
};

pub const SKU005: Rule = Rule {
    code: "SKU005",
    severity: Severity::Error,
    title: "NAT rules on a SKU without NAT",
    why: "Azure supports NAT rules on VpnGw2–5 and VpnGw2AZ–5AZ only, not on Basic, VpnGw1, \
          VpnGw1AZ or the legacy SKUs: the gateway cannot be created or updated with them. NAT \
          never applies to point-to-site clients either: their routes and selectors are the \
          same with or without it.",
    fix: "Resize the gateway to VpnGw2AZ or larger (VpnGw1 → VpnGw2 is a resize within the \
          generation), or remove the NAT rules.",
    source: "FAQ, NAT section \"NAT is supported on VpnGw2~5 and VpnGw2AZ~5AZ\" \
             (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq); \
             https://learn.microsoft.com/azure/vpn-gateway/nat-overview",
};

// ---- CAP: client capacity ------------------------------------------------------------------
pub const CAP001: Rule = Rule {
    code: "CAP001",
    severity: Severity::Error,
    title: "More expected clients than the gateway can take",
    why: "Each SKU caps concurrent P2S connections per protocol (SSTP 128 always; \
          IKEv2/OpenVPN 250 to 10,000) and each client needs a pool address (split between \
          SSTP and IKEv2 when both are on); clients beyond the binding limit cannot connect.",
    fix: "Resize the SKU when the SKU limit binds, enlarge the pool when the pool binds, or \
          move users to IKEv2/OpenVPN when SSTP's 128 binds.",
    source: "https://learn.microsoft.com/azure/vpn-gateway/about-gateway-skus; FAQ (SSTP and \
             IKEv2 pool split) (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-vpn-faq)",
};

pub const CAP002: Rule = Rule {
    code: "CAP002",
    severity: Severity::Warning,
    title: "Expected clients for a tunnel type the gateway does not enable",
    why: "--expected-clients names a protocol that is not in the gateway's tunnel types; \
          those clients cannot connect to this gateway.",
    fix: "Add the tunnel type to the gateway, or correct --expected-clients.",
    source: P2S_ABOUT,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_sorted_by_area() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate {}", r.code);
            let digits = &r.code[r.code.len() - 3..];
            assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{}", r.code);
            assert!(
                r.code[..r.code.len() - 3]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                "{}",
                r.code
            );
            for text in [r.title, r.why, r.fix, r.source] {
                assert!(!text.trim().is_empty(), "{} has an empty text", r.code);
            }
        }
        assert_eq!(explain(" peer008 ").map(|r| r.code), Some("PEER008"));
        assert_eq!(explain("NOPE001"), None);
    }

    #[test]
    fn resource_limit_titles_say_the_limit_the_rules_use() {
        use crate::facts::limits::*;
        // The titles are prose; the numbers the rules compare with are the facts in `limits`.
        let thousands = |n: usize| {
            if n >= 1000 {
                format!("{},{:03}", n / 1000, n % 1000)
            } else {
                n.to_string()
            }
        };
        for (rule, limit) in [
            (LIM001, LOCAL_NETWORK_PREFIXES),
            (LIM002, VNET_PREFIXES_PER_GATEWAY),
            (LIM003, BGP_ROUTES_PER_GATEWAY),
            (LIM006, PEERINGS_PER_VNET),
            (LIM007, PEERINGS_PER_VNET_WITHOUT_AVNM),
        ] {
            let number = thousands(limit.max);
            assert!(
                rule.title.contains(&number),
                "{}: {} / {number}",
                rule.code,
                rule.title
            );
        }
    }
}
