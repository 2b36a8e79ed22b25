//! Which client kind a device uses: operating system, version and VPN app → a row of
//! [`OS_TABLE`], the seed FAQ and spec §8 written as data with sources.
//!
//! Rows are tried in order; the first whose OS, app and version range match decides. A device no
//! row matches is `os-unsupported`. Version ranges are half-open (`from` ≤ v < `until`) and
//! compare component by component; a missing component counts as 0, so `10.0.17763` (no
//! revision) is taken as the first 1809 build, before the 2021 traffic-selector fix.
//!
//! Windows builds and their updates are read from the Windows update history (samples
//! `devices/dataforgeeks_win_buildnumbers.json`, PROVENANCE rows 50–53): KB4057142 = 14393.2034,
//! KB4057144 = 15063.877, KB4089848 = 16299.334 (the IKEv2 prerequisites), KB5005625 =
//! 17763.2210, KB5005624 = 18363.1830, KB5005611 = 19041/19042/19043.1266 (the 25 → 255
//! traffic-selector fix).

use serde::Serialize;

use super::fleet::{App, Os, Version};
use crate::facts::clients::{client_kind, ClientKind};
use crate::verdicts::findings::{Date, LINUX_AVC_RETIRED};

/// What a row gives a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The device uses this client kind (an id of [`crate::facts::clients::CLIENT_KINDS`]).
    Kind(&'static str),
    /// Not a supported client.
    Unsupported,
}

/// Something a device needs before the verdict holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need {
    pub text: &'static str,
    /// The version from which it is known to be in place (an update shown by the build
    /// number); `None`: the inventory cannot show it (a registry value), always listed.
    pub installed_from: Option<[u32; 4]>,
}

/// One row of the mapping table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OsRow {
    pub os: &'static [Os],
    pub apps: &'static [App],
    /// Lowest matching version (inclusive).
    pub from: [u32; 4],
    /// First version past the row (exclusive); `None`: every later version.
    pub until: Option<[u32; 4]>,
    pub outcome: Outcome,
    pub needs: &'static [Need],
    /// From this day the app is retired and the row gives `os-unsupported`.
    pub retired_from: Option<Date>,
    /// What the row is, for people ("Windows 10 1607").
    pub label: &'static str,
    /// Set when the row rests on a rule the docs do not state: (assumption code, text).
    pub assumption: Option<(&'static str, &'static str)>,
    pub source: &'static str,
}

const ANY: [u32; 4] = [0, 0, 0, 0];
const WINDOWS: &[Os] = &[Os::Windows];
const SERVER: &[Os] = &[Os::WindowsServer];
const BOTH: &[Os] = &[Os::Windows, Os::WindowsServer];
const NATIVE: &[App] = &[App::Native];
const OPENVPN_APPS: &[App] = &[App::AzureVpnClient, App::OpenVpn];

/// The two macOS rows read one line of the spec two ways.
const MACOS_OPENVPN_VERSIONS: (&str, &str) = (
    "macos-openvpn-versions",
    "spec §8 gives \"macOS 10.13+/12.x+\" for OpenVPN / the Azure VPN Client: p2s-sim reads \
     10.13 for OpenVPN clients and 12 for the Azure VPN Client",
);

const FAQ_OS: &str = "vpn-gateway-vpn-faq.md \"Which client operating systems can I use with \
                      point-to-site?\" and point-to-site-about.md (spec §8)";
const FAQ_IKEV2_PREP: &str = "vpn-gateway-vpn-faq.md \"How do I prepare Windows 10 or Server \
                              2016 for IKEv2?\" (spec §8); build numbers from the Windows update \
                              history (samples/devices, PROVENANCE row 50)";
const TS_FIX: &str = "KB5005625 / KB5005624 / KB5005611 \"Removes the limitation of 25 maximum \
                      Traffic Selectors\" (spec §2, ADS [F]); build numbers from the Windows \
                      update history (samples/devices, PROVENANCE row 50)";

const REGISTRY: Need = Need {
    text: "registry value DisableCertReqPayload = 1 (REG_DWORD) under HKLM\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\IKEv2",
    installed_from: None,
};

const fn v(major: u32, minor: u32, build: u32, revision: u32) -> [u32; 4] {
    [major, minor, build, revision]
}

const fn row(
    os: &'static [Os],
    apps: &'static [App],
    from: [u32; 4],
    until: Option<[u32; 4]>,
    outcome: Outcome,
    label: &'static str,
    source: &'static str,
) -> OsRow {
    OsRow {
        os,
        apps,
        from,
        until,
        outcome,
        needs: &[],
        retired_from: None,
        label,
        assumption: None,
        source,
    }
}

use Outcome::{Kind, Unsupported};

/// The mapping table, tried in order.
pub const OS_TABLE: &[OsRow] = &[
    // --- Windows native (IKEv2 first, SSTP fallback) ---
    row(
        WINDOWS,
        NATIVE,
        v(6, 1, 0, 0),
        Some(v(6, 2, 0, 0)),
        Unsupported,
        "Windows 7 (6.1)",
        FAQ_OS,
    ),
    row(
        WINDOWS,
        NATIVE,
        v(6, 3, 0, 0),
        Some(v(6, 4, 0, 0)),
        Kind("windows-sstp"),
        "Windows 8.1 (6.3): SSTP only",
        FAQ_OS,
    ),
    row(
        SERVER,
        NATIVE,
        v(6, 1, 0, 0),
        Some(v(6, 4, 0, 0)),
        Kind("windows-sstp"),
        "Windows Server 2008 R2 / 2012 / 2012 R2 (6.1-6.3): SSTP only",
        FAQ_OS,
    ),
    OsRow {
        needs: &[REGISTRY],
        assumption: Some((
            "windows-10-before-1607",
            "Windows 10 1507/1511 (builds 10240, 10586): the FAQ lists no IKEv2 update for them; \
             p2s-sim assumes IKEv2 works with the registry value, without the selector fix",
        )),
        ..row(
            WINDOWS,
            NATIVE,
            v(10, 0, 10240, 0),
            Some(v(10, 0, 14393, 0)),
            Kind("windows-ikev2-legacy"),
            "Windows 10 1507/1511",
            FAQ_IKEV2_PREP,
        )
    },
    OsRow {
        needs: &[
            Need {
                text: "KB4057142 (build 14393.2034 or later)",
                installed_from: Some(v(10, 0, 14393, 2034)),
            },
            REGISTRY,
        ],
        ..row(
            BOTH,
            NATIVE,
            v(10, 0, 14393, 0),
            Some(v(10, 0, 14394, 0)),
            Kind("windows-ikev2-legacy"),
            "Windows 10 1607 / Server 2016 (14393)",
            FAQ_IKEV2_PREP,
        )
    },
    OsRow {
        needs: &[
            Need {
                text: "KB4057144 (build 15063.877 or later)",
                installed_from: Some(v(10, 0, 15063, 877)),
            },
            REGISTRY,
        ],
        ..row(
            WINDOWS,
            NATIVE,
            v(10, 0, 15063, 0),
            Some(v(10, 0, 15064, 0)),
            Kind("windows-ikev2-legacy"),
            "Windows 10 1703 (15063)",
            FAQ_IKEV2_PREP,
        )
    },
    OsRow {
        needs: &[
            Need {
                text: "KB4089848 (build 16299.334 or later)",
                installed_from: Some(v(10, 0, 16299, 334)),
            },
            REGISTRY,
        ],
        ..row(
            WINDOWS,
            NATIVE,
            v(10, 0, 16299, 0),
            Some(v(10, 0, 16300, 0)),
            Kind("windows-ikev2-legacy"),
            "Windows 10 1709 (16299)",
            FAQ_IKEV2_PREP,
        )
    },
    row(
        BOTH,
        NATIVE,
        v(10, 0, 17763, 2210),
        Some(v(10, 0, 17764, 0)),
        Kind("windows-ikev2"),
        "Windows 10 1809 / Server 2019 with KB5005625 (17763.2210+)",
        TS_FIX,
    ),
    row(
        WINDOWS,
        NATIVE,
        v(10, 0, 18363, 1830),
        Some(v(10, 0, 18364, 0)),
        Kind("windows-ikev2"),
        "Windows 10 1909 with KB5005624 (18363.1830+)",
        TS_FIX,
    ),
    row(
        WINDOWS,
        NATIVE,
        v(10, 0, 19041, 1266),
        Some(v(10, 0, 19042, 0)),
        Kind("windows-ikev2"),
        "Windows 10 2004 with KB5005611 (19041.1266+)",
        TS_FIX,
    ),
    row(
        WINDOWS,
        NATIVE,
        v(10, 0, 19042, 1266),
        Some(v(10, 0, 19043, 0)),
        Kind("windows-ikev2"),
        "Windows 10 20H2 with KB5005611 (19042.1266+)",
        TS_FIX,
    ),
    row(
        WINDOWS,
        NATIVE,
        v(10, 0, 19043, 1266),
        Some(v(10, 0, 19044, 0)),
        Kind("windows-ikev2"),
        "Windows 10 21H1 with KB5005611 (19043.1266+)",
        TS_FIX,
    ),
    row(
        BOTH,
        NATIVE,
        v(10, 0, 19044, 0),
        Some(v(10, 1, 0, 0)),
        Kind("windows-ikev2"),
        "Windows 10 21H2+ (19044+), Windows 11, Server 2022+",
        TS_FIX,
    ),
    row(
        BOTH,
        NATIVE,
        v(10, 0, 14393, 0),
        Some(v(10, 0, 19044, 0)),
        Kind("windows-ikev2-legacy"),
        "Windows 10 / Server 2016-2019 before the 2021 traffic-selector fix",
        TS_FIX,
    ),
    // --- Apps: OpenVPN on any OS ---
    row(
        BOTH,
        OPENVPN_APPS,
        ANY,
        None,
        Kind("openvpn"),
        "Windows with the Azure VPN Client or an OpenVPN client",
        FAQ_OS,
    ),
    // --- macOS ---
    row(
        &[Os::Macos],
        NATIVE,
        v(10, 11, 0, 0),
        None,
        Kind("macos-ikev2"),
        "macOS 10.11+ native (IKEv2 only)",
        FAQ_OS,
    ),
    row(
        &[Os::Macos],
        NATIVE,
        ANY,
        Some(v(10, 11, 0, 0)),
        Unsupported,
        "macOS before 10.11",
        FAQ_OS,
    ),
    OsRow {
        assumption: Some(MACOS_OPENVPN_VERSIONS),
        ..row(
            &[Os::Macos],
            &[App::OpenVpn],
            v(10, 13, 0, 0),
            None,
            Kind("openvpn"),
            "macOS 10.13+ with an OpenVPN client",
            FAQ_OS,
        )
    },
    OsRow {
        assumption: Some(MACOS_OPENVPN_VERSIONS),
        ..row(
            &[Os::Macos],
            &[App::AzureVpnClient],
            v(12, 0, 0, 0),
            None,
            Kind("openvpn"),
            "macOS 12+ with the Azure VPN Client",
            FAQ_OS,
        )
    },
    // --- iOS ---
    row(
        &[Os::Ios],
        NATIVE,
        ANY,
        None,
        Kind("ios-ikev2"),
        "iOS native IKEv2",
        FAQ_OS,
    ),
    row(
        &[Os::Ios],
        OPENVPN_APPS,
        v(11, 0, 0, 0),
        None,
        Kind("openvpn"),
        "iOS 11+ with the Azure VPN Client or an OpenVPN client",
        FAQ_OS,
    ),
    // --- Linux ---
    row(
        &[Os::Linux],
        &[App::StrongSwan],
        ANY,
        None,
        Kind("linux-ikev2"),
        "Linux with strongSwan (IKEv2)",
        FAQ_OS,
    ),
    OsRow {
        assumption: Some((
            "linux-native-is-strongswan",
            "Linux has no VPN client of its own: a Linux group without an app is taken to use \
             strongSwan, the documented IKEv2 client",
        )),
        ..row(
            &[Os::Linux],
            NATIVE,
            ANY,
            None,
            Kind("linux-ikev2"),
            "Linux, no app given (strongSwan)",
            FAQ_OS,
        )
    },
    row(
        &[Os::Linux],
        &[App::OpenVpn],
        ANY,
        None,
        Kind("openvpn"),
        "Linux with an OpenVPN client",
        FAQ_OS,
    ),
    OsRow {
        retired_from: Some(LINUX_AVC_RETIRED),
        ..row(
            &[Os::Linux],
            &[App::AzureVpnClient],
            ANY,
            None,
            Kind("openvpn"),
            "Linux with the Azure VPN Client (preview)",
            "azure-vpn-client-linux-retirement.md: the Azure VPN Client for Linux (preview) \
               is retired on 31 Aug 2026 (spec §8)",
        )
    },
    // --- Android ---
    row(
        &[Os::Android],
        OPENVPN_APPS,
        ANY,
        None,
        Kind("openvpn"),
        "Android with the Azure VPN Client or an OpenVPN client",
        FAQ_OS,
    ),
    OsRow {
        assumption: Some((
            "android-native-unsupported",
            "the docs do not say whether Android's own IKEv2 client works with Azure (spec §8 \
             [U]): treated as unsupported; use an OpenVPN client",
        )),
        ..row(
            &[Os::Android],
            NATIVE,
            ANY,
            None,
            Unsupported,
            "Android native client",
            FAQ_OS,
        )
    },
];

/// How a device maps onto the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mapping {
    /// The client kind id; `None` when unsupported.
    #[serde(skip)]
    pub kind: Option<&'static ClientKind>,
    /// Why it is unsupported (text), when it is.
    pub unsupported: Option<String>,
    /// What the device needs (updates not shown installed, registry values).
    pub needs: Vec<String>,
    /// The row's label, or "no row" when none matched.
    pub row: &'static str,
    pub source: &'static str,
    #[serde(skip)]
    pub assumption: Option<(&'static str, &'static str)>,
}

fn in_range(version: [u32; 4], from: [u32; 4], until: Option<[u32; 4]>) -> bool {
    version >= from && until.is_none_or(|u| version < u)
}

/// Maps a device onto the table.
pub fn map(os: Os, app: App, version: &Version, as_of: Date) -> Mapping {
    let parts = version.parts();
    let Some(row) = OS_TABLE
        .iter()
        .find(|r| r.os.contains(&os) && r.apps.contains(&app) && in_range(parts, r.from, r.until))
    else {
        return Mapping {
            kind: None,
            unsupported: Some(format!(
                "{} {} with the {} app is not a supported P2S client",
                os.label(),
                version,
                app.as_str()
            )),
            needs: Vec::new(),
            row: "no row",
            source: FAQ_OS,
            assumption: None,
        };
    };
    let needs = row
        .needs
        .iter()
        .filter(|n| n.installed_from.is_none_or(|from| parts < from))
        .map(|n| n.text.to_string())
        .collect();
    let retired = row.retired_from.filter(|d| as_of >= *d);
    let (kind, unsupported) = match (row.outcome, retired) {
        (_, Some(day)) => (
            None,
            Some(format!(
                "{} is retired since {day} (as of {as_of})",
                row.label
            )),
        ),
        (Outcome::Kind(id), None) => (client_kind(id), None),
        (Outcome::Unsupported, None) => (
            None,
            Some(format!("{} is not a supported P2S client", row.label)),
        ),
    };
    // A row naming a kind that is not in the client table is a bug in the table; a unit test
    // checks every row, and the engine reports it as unsupported rather than panicking.
    let unsupported = match (kind, unsupported) {
        (None, None) => Some(format!("{}: no client kind", row.label)),
        (_, u) => u,
    };
    Mapping {
        kind,
        unsupported,
        needs,
        row: row.label,
        source: row.source,
        assumption: row.assumption,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_a_known_kind_and_a_sane_range() {
        for r in OS_TABLE {
            if let Outcome::Kind(id) = r.outcome {
                assert!(client_kind(id).is_some(), "{}: {id}", r.label);
            }
            if let Some(u) = r.until {
                assert!(r.from < u, "{}", r.label);
            }
        }
    }
}
