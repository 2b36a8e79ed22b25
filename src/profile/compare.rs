//! Comparing a package with the gateway as the topology has it now.
//!
//! # Which gateway
//!
//! `--gateway NAME`, else the VNet the package names (`VnetName`, or the Azure VPN Client
//! profile's `<name>`), else the gateway whose pool overlaps the package's
//! `VpnClientAddressPool`, else the only gateway with P2S. Anything else is ambiguous: an error
//! naming the candidates.
//!
//! # Verdicts
//!
//! Per file: `current` (nothing to change), `stale` (at least one reason below), or
//! `unreadable` (an installer with no `VpnSettings.xml` beside it to judge it by). Reason codes
//! are stable:
//!
//! | code | file kinds | meaning |
//! |---|---|---|
//! | `routes-missing` | vpnsettings, installer | in the Windows package view today (own VNet, transit peers, custom routes), not in `Routes` |
//! | `routes-extra` | vpnsettings, installer | in `Routes`, gone from the package view |
//! | `tunnel-removed` | all | the file is for a tunnel type the gateway no longer offers |
//! | `tunnel-added` | vpnsettings, installer | the gateway offers a tunnel type the package predates |
//! | `pool-changed` | vpnsettings, installer | `VpnClientAddressPool` differs from the pool |
//! | `auth-changed` | all | the file's authentication is not (or no longer only) what the gateway accepts |
//! | `vnet-renamed` | vpnsettings, installer | `VnetName` is not the gateway's VNet |
//! | `include-unreachable` | azurevpn | an include route shares no address with what is reachable |
//! | `exclude-cuts-reachable` | azurevpn | an exclude route overlaps a reachable network |
//! | `route-multiple-destinations`, `route-empty-destination`, `route-invalid` | azurevpn | a `<route>` the client rejects |
//! | `forced-tunnel-version` | azurevpn | includes 0.0.0.0/1 + 128.0.0.0/1 without `<version>` 2 |
//! | `route-unreachable`, `route-invalid` | openvpn | a `route` line to an unreachable network, or one OpenVPN rejects |
//!
//! and two that explain an installer's verdict without making it stale: `installer-same-snapshot`
//! and `installer-binary`.

use serde::Serialize;

use crate::engine::{Analysis, GatewayAnalysis};
use crate::facts::clients::{ClientKind, CLIENT_KINDS};
use crate::model::{AuthType, P2s, Topology, TunnelType};
use crate::prefix::{IpNet, PrefixSet};

use super::azurevpn::{AzureVpn, RouteProblem, ROUTE_TAG_ERROR};
use super::openvpn::OpenVpn;
use super::vpnsettings::VpnSettings;
use super::{FileKind, Package, Profile, ProfileError};

/// The result of `profile check`: the JSON shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckReport {
    pub gateway: String,
    pub files: Vec<FileReport>,
    /// How the gateway was chosen, for people (not in the JSON).
    #[serde(skip)]
    pub chosen_by: String,
    /// The gateway's VNet (not in the JSON).
    #[serde(skip)]
    pub vnet: String,
}

impl CheckReport {
    pub fn any_stale(&self) -> bool {
        self.files.iter().any(|f| f.verdict == Verdict::Stale)
    }
}

/// One file of the package.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileReport {
    pub path: String,
    pub kind: &'static str,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    pub missing_routes: Vec<IpNet>,
    pub extra_routes: Vec<IpNet>,
    /// The client kinds that use this file (client-table order). Shown by the table and
    /// Markdown outputs; not part of the JSON shape (issue 12 fixes it).
    #[serde(skip)]
    pub clients: Vec<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Current,
    Stale,
    Unreadable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Current => "current",
            Verdict::Stale => "stale",
            Verdict::Unreadable => "unreadable",
        }
    }
}

/// Why a file is stale (or, for the two installer codes, how it was judged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable identifier (see the module table).
    pub code: &'static str,
    pub text: String,
}

/// Codes that only explain, never make a file stale.
const INFO_CODES: &[&str] = &["installer-same-snapshot", "installer-binary"];

/// What a package says about the gateway it was made for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    pub vnet_names: Vec<String>,
    pub pools: Vec<IpNet>,
}

impl Hints {
    pub fn of(package: &Package) -> Hints {
        let mut h = Hints::default();
        for f in &package.files {
            match &f.profile {
                Some(Profile::VpnSettings(s)) => {
                    h.vnet_names.extend(s.vnet_name.clone());
                    h.pools.extend(s.pool.iter().flatten().copied());
                }
                Some(Profile::AzureVpn(a)) => h.vnet_names.extend(a.name.clone()),
                _ => {}
            }
        }
        h.vnet_names.sort();
        h.vnet_names.dedup();
        h
    }
}

fn join<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(g: &GatewayAnalysis) -> String {
    format!(
        "{} (VNet {}, pool {})",
        g.name,
        g.vnet,
        join(&g.pool.prefixes)
    )
}

/// The gateway a package was made for, and how it was chosen. Errors name the candidates.
pub fn choose_gateway<'a>(
    analysis: &'a Analysis,
    requested: Option<&str>,
    hints: &Hints,
) -> Result<(&'a GatewayAnalysis, String), String> {
    let all = &analysis.gateways;
    if all.is_empty() {
        return Err(
            "the topology has no gateway with a point-to-site configuration (p2s:), so there \
             is nothing to compare the package with"
                .into(),
        );
    }
    let listing = || join(all.iter().map(describe));
    if let Some(name) = requested {
        return all
            .iter()
            .find(|g| g.name == name)
            .or_else(|| all.iter().find(|g| g.name.eq_ignore_ascii_case(name)))
            .map(|g| (g, "--gateway".to_string()))
            .ok_or_else(|| {
                format!(
                    "--gateway '{name}': no gateway with P2S of that name; gateways with P2S: {}",
                    listing()
                )
            });
    }
    let by_vnet: Vec<&GatewayAnalysis> = all
        .iter()
        .filter(|g| {
            hints
                .vnet_names
                .iter()
                .any(|v| v.eq_ignore_ascii_case(&g.vnet))
        })
        .collect();
    if let [g] = by_vnet.as_slice() {
        return Ok((g, format!("the VNet name '{}' in the package", g.vnet)));
    }
    let pools = PrefixSet::from_prefixes(hints.pools.iter().copied());
    let by_pool: Vec<&GatewayAnalysis> = all
        .iter()
        .filter(|g| g.pool.prefixes.iter().any(|p| pools.overlaps(p)))
        .collect();
    if by_vnet.is_empty() {
        if let [g] = by_pool.as_slice() {
            return Ok((g, format!("the pool {} in the package", join(&hints.pools))));
        }
    }
    if by_vnet.is_empty() && by_pool.is_empty() {
        if let [g] = all.as_slice() {
            return Ok((g, "the only gateway with P2S".to_string()));
        }
    }
    let candidates: Vec<&GatewayAnalysis> = if !by_vnet.is_empty() {
        by_vnet
    } else if !by_pool.is_empty() {
        by_pool
    } else {
        all.iter().collect()
    };
    let said = if hints.vnet_names.is_empty() && hints.pools.is_empty() {
        "the package names no VNet and no pool".to_string()
    } else {
        format!(
            "the package names VNet {} and pool {}",
            if hints.vnet_names.is_empty() {
                "-".to_string()
            } else {
                join(&hints.vnet_names)
            },
            if hints.pools.is_empty() {
                "-".to_string()
            } else {
                join(&hints.pools)
            }
        )
    };
    Err(format!(
        "cannot tell which gateway the package was made for ({said}); candidates: {}; give \
         --gateway NAME",
        join(candidates.iter().map(|g| describe(g)))
    ))
}

/// Checks every file of a package against the chosen gateway.
pub fn check(
    topology: &Topology,
    analysis: &Analysis,
    package: &Package,
    requested: Option<&str>,
) -> Result<CheckReport, ProfileError> {
    let (gw, chosen_by) = choose_gateway(analysis, requested, &Hints::of(package))
        .map_err(|m| ProfileError::new(&package.name, "", m))?;
    let p2s = topology
        .gateways()
        .find(|(_, g)| g.name == gw.name)
        .and_then(|(_, g)| g.p2s.as_ref())
        .ok_or_else(|| {
            ProfileError::new(
                &package.name,
                "",
                format!("gateway '{}' has no P2S configuration", gw.name),
            )
        })?;
    let ctx = Context::new(gw, p2s);
    let mut files: Vec<FileReport> = Vec::new();
    for f in &package.files {
        let report = match &f.profile {
            Some(Profile::VpnSettings(s)) => ctx.vpnsettings(&f.path, s),
            Some(Profile::AzureVpn(a)) => ctx.azurevpn(&f.path, a),
            Some(Profile::OpenVpn(o)) => ctx.openvpn(&f.path, o),
            None => continue,
        };
        files.push(report);
    }
    let generic = files
        .iter()
        .find(|r| r.kind == FileKind::VpnSettings.as_str())
        .cloned();
    for f in package
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Installer)
    {
        files.push(ctx.installer(&f.path, generic.as_ref()));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(CheckReport {
        gateway: gw.name.clone(),
        vnet: gw.vnet.clone(),
        chosen_by,
        files,
    })
}

struct Context<'a> {
    gw: &'a GatewayAnalysis,
    p2s: &'a P2s,
    reachable: PrefixSet,
}

fn kinds(filter: impl Fn(&ClientKind) -> bool) -> Vec<&'static str> {
    CLIENT_KINDS
        .iter()
        .filter(|k| filter(k))
        .map(|k| k.id)
        .collect()
}

fn finish(
    path: &str,
    kind: FileKind,
    reasons: Vec<Reason>,
    missing: Vec<IpNet>,
    extra: Vec<IpNet>,
    clients: Vec<&'static str>,
) -> FileReport {
    let stale = reasons.iter().any(|r| !INFO_CODES.contains(&r.code));
    FileReport {
        path: path.to_string(),
        kind: kind.as_str(),
        verdict: if stale {
            Verdict::Stale
        } else {
            Verdict::Current
        },
        reasons,
        missing_routes: missing,
        extra_routes: extra,
        clients,
    }
}

fn reason(code: &'static str, text: String) -> Reason {
    Reason { code, text }
}

const REDOWNLOAD: &str = "generate the VPN client package again and have users install it";

impl<'a> Context<'a> {
    fn new(gw: &'a GatewayAnalysis, p2s: &'a P2s) -> Self {
        Context {
            gw,
            p2s,
            reachable: PrefixSet::from_prefixes(gw.reachable.iter()),
        }
    }

    fn auth_list(auth: &[AuthType]) -> String {
        if auth.is_empty() {
            "nothing".into()
        } else {
            join(auth)
        }
    }

    /// The package view without the pool: what `Routes` should list today.
    fn expected_routes(&self) -> Vec<IpNet> {
        let pool = self.gw.pool.entries();
        self.gw
            .package
            .iter()
            .filter(|p| !pool.contains(p) && !self.gw.pool.prefixes.contains(p))
            .collect()
    }

    fn vpnsettings(&self, path: &str, s: &VpnSettings) -> FileReport {
        let mut reasons = Vec::new();
        let expected = self.expected_routes();
        let missing: Vec<IpNet> = expected
            .iter()
            .filter(|p| !s.routes.contains(p))
            .copied()
            .collect();
        // A pool entry in Routes is not a difference: the snapshot never needs it (spec §6).
        let pool = self.gw.pool.entries();
        let extra: Vec<IpNet> = s
            .routes
            .iter()
            .filter(|p| {
                !expected.contains(p) && !pool.contains(p) && !self.gw.pool.prefixes.contains(p)
            })
            .copied()
            .collect();
        let windows = join(kinds(|k| k.windows_native && self.p2s.has(k.tunnel)));
        if !missing.is_empty() {
            reasons.push(reason(
                "routes-missing",
                format!(
                    "{} route(s) of the Windows package view today are not in Routes: {} (added \
                     to the network since the download, e.g. a new transit spoke); Windows \
                     native clients ({windows}) do not install them: {REDOWNLOAD}",
                    missing.len(),
                    join(&missing)
                ),
            ));
        }
        if !extra.is_empty() {
            reasons.push(reason(
                "routes-extra",
                format!(
                    "{} route(s) in Routes are no longer in the Windows package view: {} (gone \
                     from the network, e.g. a removed peering or address space): {REDOWNLOAD}",
                    extra.len(),
                    join(&extra)
                ),
            ));
        }
        if let Some(tunnels) = &s.tunnels {
            let removed: Vec<&TunnelType> = tunnels.iter().filter(|t| !self.p2s.has(**t)).collect();
            let added: Vec<&TunnelType> = self
                .p2s
                .tunnel_types
                .iter()
                .filter(|t| !tunnels.contains(t))
                .collect();
            if !removed.is_empty() {
                reasons.push(reason(
                    "tunnel-removed",
                    format!(
                        "the package is for {}, which gateway {} no longer offers; clients \
                         using it cannot connect: {REDOWNLOAD}",
                        join(&removed),
                        self.gw.name
                    ),
                ));
            }
            if !added.is_empty() {
                reasons.push(reason(
                    "tunnel-added",
                    format!(
                        "gateway {} now offers {}, which the package predates (VpnType {}); a \
                         new tunnel type needs a new package (FAQ): {REDOWNLOAD}",
                        self.gw.name,
                        join(&added),
                        join(tunnels)
                    ),
                ));
            }
        }
        if let Some(pool) = &s.pool {
            let now = crate::prefix::canonical_list(self.gw.pool.prefixes.iter().copied());
            if *pool != now {
                reasons.push(reason(
                    "pool-changed",
                    format!(
                        "VpnClientAddressPool is {}, the gateway's pool is now {}: {REDOWNLOAD}",
                        join(pool),
                        join(&now)
                    ),
                ));
            }
        }
        if let Some(auth) = &s.auth {
            if !self.p2s.auth_types.is_empty() && *auth != self.p2s.auth_types {
                reasons.push(reason(
                    "auth-changed",
                    format!(
                        "the package authenticates with {}, gateway {} now uses {}; a new \
                         authentication type needs a new package (FAQ): {REDOWNLOAD}",
                        Self::auth_list(auth),
                        self.gw.name,
                        Self::auth_list(&self.p2s.auth_types)
                    ),
                ));
            }
        }
        if let Some(name) = &s.vnet_name {
            if !name.eq_ignore_ascii_case(&self.gw.vnet) {
                reasons.push(reason(
                    "vnet-renamed",
                    format!(
                        "VnetName is '{name}', but gateway {} is in VNet '{}' (renamed or \
                         recreated since the download): {REDOWNLOAD}",
                        self.gw.name, self.gw.vnet
                    ),
                ));
            }
        }
        finish(
            path,
            FileKind::VpnSettings,
            reasons,
            missing,
            extra,
            kinds(|k| matches!(k.tunnel, TunnelType::IkeV2 | TunnelType::Sstp)),
        )
    }

    fn openvpn_gone(&self, what: &str) -> Option<Reason> {
        (!self.p2s.has(TunnelType::OpenVpn)).then(|| {
            reason(
                "tunnel-removed",
                format!(
                    "{what} is for OpenVPN, which gateway {} no longer offers (it offers {}): \
                     clients using it cannot connect",
                    self.gw.name,
                    join(&self.p2s.tunnel_types)
                ),
            )
        })
    }

    fn auth_gone(&self, auth: AuthType, what: &str) -> Option<Reason> {
        (!self.p2s.auth_types.is_empty() && !self.p2s.auth_types.contains(&auth)).then(|| {
            reason(
                "auth-changed",
                format!(
                    "{what} authenticates with {auth}, gateway {} now uses {}: {REDOWNLOAD}",
                    self.gw.name,
                    Self::auth_list(&self.p2s.auth_types)
                ),
            )
        })
    }

    fn unreachable(&self, p: &IpNet) -> bool {
        !self.reachable.overlaps(p)
    }

    fn azurevpn(&self, path: &str, a: &AzureVpn) -> FileReport {
        let mut reasons = Vec::new();
        reasons.extend(self.openvpn_gone("the Azure VPN Client profile"));
        if let Some(auth) = a.auth {
            reasons.extend(self.auth_gone(auth, "the profile"));
        }
        for (side, list) in [("includeroutes", &a.include), ("excluderoutes", &a.exclude)] {
            for r in list {
                match &r.value {
                    Ok(_) => {}
                    Err(RouteProblem::MultipleDestinations(n)) => reasons.push(reason(
                        "route-multiple-destinations",
                        format!(
                            "{side} <route> at {} has {n} destinations; the Azure VPN Client \
                             rejects the profile (\"{ROUTE_TAG_ERROR}\"): put each destination \
                             and its mask in its own <route>",
                            r.place
                        ),
                    )),
                    Err(RouteProblem::EmptyDestination) => reasons.push(reason(
                        "route-empty-destination",
                        format!(
                            "{side} <route> at {} has no destination; the Azure VPN Client \
                             rejects the profile (\"{ROUTE_TAG_ERROR}\"): give it one \
                             <destination> or remove it",
                            r.place
                        ),
                    )),
                    Err(RouteProblem::Invalid(why)) => reasons.push(reason(
                        "route-invalid",
                        format!(
                            "{side} <route> at {}: {why}; write <destination>10.1.0.0</destination><mask>16</mask>",
                            r.place
                        ),
                    )),
                }
            }
        }
        let includes = a.include_prefixes();
        let is_half = |p: &IpNet| {
            ["0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/0", "::/0"]
                .iter()
                .any(|h| p.to_string() == *h)
        };
        let dead: Vec<IpNet> = includes
            .iter()
            .filter(|p| !is_half(p) && self.unreachable(p))
            .copied()
            .collect();
        if !dead.is_empty() {
            reasons.push(reason(
                "include-unreachable",
                format!(
                    "include route(s) {} point at networks gateway {} can no longer reach \
                     (nothing reachable through it overlaps them): their traffic enters the \
                     tunnel and is dropped; remove them from <includeroutes>",
                    join(&dead),
                    self.gw.name
                ),
            ));
        }
        for e in a.exclude.iter().filter_map(|r| r.value.as_ref().ok()) {
            let cut = self.gw.reachable.overlapping(e);
            if !cut.is_empty() {
                reasons.push(reason(
                    "exclude-cuts-reachable",
                    format!(
                        "exclude route {e} cuts reachable network(s) {}: clients send that \
                         traffic outside the tunnel; narrow or remove it in <excluderoutes>",
                        join(&cut)
                    ),
                ));
            }
        }
        // AVC documents the /1 pair (with version 2); a 0.0.0.0/0 include is left alone (newer
        // clients accept it, spec §6).
        let has = |s: &str| includes.iter().any(|p| p.to_string() == s);
        let forced = has("0.0.0.0/1") && has("128.0.0.0/1");
        if forced && a.version_number().is_none_or(|v| v < 2) {
            reasons.push(reason(
                "forced-tunnel-version",
                format!(
                    "the include routes force all traffic into the tunnel (0.0.0.0/1 + \
                     128.0.0.0/1), but <version> is {}: forced tunnelling needs <version>2</version>",
                    a.version.as_deref().unwrap_or("absent")
                ),
            ));
        }
        finish(
            path,
            FileKind::AzureVpn,
            reasons,
            Vec::new(),
            Vec::new(),
            kinds(|k| k.tunnel == TunnelType::OpenVpn),
        )
    }

    fn openvpn(&self, path: &str, o: &OpenVpn) -> FileReport {
        let mut reasons = Vec::new();
        reasons.extend(self.openvpn_gone("the OpenVPN profile"));
        if o.client_certificate {
            reasons.extend(self.auth_gone(AuthType::Certificate, "the OpenVPN profile"));
        }
        for (line, r) in &o.routes {
            match r {
                Err(why) => reasons.push(reason(
                    "route-invalid",
                    format!(
                        "line {line}: route: {why}; write `route 10.1.0.0 255.255.0.0`, or \
                         remove it (the gateway pushes its routes)"
                    ),
                )),
                Ok(p) if self.unreachable(p) => reasons.push(reason(
                    "route-unreachable",
                    format!(
                        "line {line}: route {p} points at a network gateway {} can no longer \
                         reach; remove it (the gateway pushes its routes at connect time)",
                        self.gw.name
                    ),
                )),
                Ok(_) => {}
            }
        }
        finish(
            path,
            FileKind::OpenVpn,
            reasons,
            Vec::new(),
            Vec::new(),
            kinds(|k| k.tunnel == TunnelType::OpenVpn),
        )
    }

    fn installer(&self, path: &str, generic: Option<&FileReport>) -> FileReport {
        let clients = kinds(|k| k.windows_native);
        match generic {
            Some(g) => {
                let mut reasons = vec![reason(
                    "installer-same-snapshot",
                    format!(
                        "binary, not opened: judged by {}, built with it in the same package",
                        g.path
                    ),
                )];
                reasons.extend(g.reasons.iter().cloned());
                let mut r = finish(
                    path,
                    FileKind::Installer,
                    reasons,
                    g.missing_routes.clone(),
                    g.extra_routes.clone(),
                    clients,
                );
                r.verdict = g.verdict;
                r
            }
            None => FileReport {
                path: path.to_string(),
                kind: FileKind::Installer.as_str(),
                verdict: Verdict::Unreadable,
                reasons: vec![reason(
                    "installer-binary",
                    "binary, not opened, and the package has no Generic/VpnSettings.xml to judge \
                     it by: give the whole package (zip or folder)"
                        .into(),
                )],
                missing_routes: Vec::new(),
                extra_routes: Vec::new(),
                clients,
            },
        }
    }
}
