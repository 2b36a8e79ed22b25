//! A fleet: the devices that connect, as groups with operating system, version, VPN app, device
//! count and networks, read from one of three inputs (detected by content):
//!
//! - the native groups file (YAML or JSON):
//!   ```yaml
//!   groups:
//!     - {name: finance-laptops, os: windows, version: 10.0.19044.1288, devices: 420}
//!     - {name: design-macs, os: macos, version: "14.2", devices: 80, networks: [udp-blocked]}
//!     - {name: field-phones, os: android, version: "14", app: openvpn, devices: 150}
//!     - {name: branch-lyon, os: windows, version: 10.0.22631.2861, devices: 30, networks: [s2s-site]}
//!   ```
//!
//!   Networks: `udp-blocked` (UDP 500/4500 and ESP blocked) and `s2s-site` (the public IP of a
//!   site-to-site device connected to the gateway judged): IKEv2 fails from both.
//! - an Intune device export (CSV with `OS` and `OS version` columns; one row per device);
//! - a Microsoft Graph `managedDevices` list (`{"value": [{"operatingSystem", "osVersion"}]}`).
//!
//! The device lists are grouped by OS and version, in order of first appearance. Apps the input
//! does not give come from the per-OS defaults (`--fleet-app windows=azure-vpn-client`), else
//! `native`. Every error names the file, the place (`groups[2].os`, `row 5`, `value[3].osVersion`)
//! and what to write.

use std::fmt;

use serde::Deserialize;

use crate::model::TopologyError;

/// Fleet errors are located like topology errors: file, place, message.
pub type FleetError = TopologyError;

/// Operating systems the mapping table knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Os {
    Windows,
    WindowsServer,
    Macos,
    Ios,
    Linux,
    Android,
}

impl Os {
    pub const ALL: &'static [Os] = &[
        Os::Windows,
        Os::WindowsServer,
        Os::Macos,
        Os::Ios,
        Os::Linux,
        Os::Android,
    ];

    /// The spelling used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Windows => "windows",
            Os::WindowsServer => "windows-server",
            Os::Macos => "macos",
            Os::Ios => "ios",
            Os::Linux => "linux",
            Os::Android => "android",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Os::Windows => "Windows",
            Os::WindowsServer => "Windows Server",
            Os::Macos => "macOS",
            Os::Ios => "iOS",
            Os::Linux => "Linux",
            Os::Android => "Android",
        }
    }

    /// Accepts the spellings of the native file, Intune (`Windows`, `macOS`, `iOS/iPadOS`,
    /// `Android`, `Linux`) and Graph (`AndroidForWork`, `iPadOS`, ...), ignoring case, spaces and
    /// punctuation.
    pub fn parse(text: &str) -> Option<Os> {
        let key = spelling_key(text);
        Some(match key.as_str() {
            "windows" | "win" | "windows10" | "windows11" => Os::Windows,
            "windowsserver" | "server" => Os::WindowsServer,
            "macos" | "macosx" | "osx" | "mac" => Os::Macos,
            "ios" | "ipados" | "iosipados" | "iphone" | "ipad" => Os::Ios,
            "linux" | "ubuntu" | "redhat" | "rhel" => Os::Linux,
            k if k.starts_with("android") => Os::Android,
            _ => return None,
        })
    }

    /// Whether the mapping table needs this OS's version (to pick a row).
    fn needs_version(self) -> bool {
        matches!(self, Os::Windows | Os::WindowsServer | Os::Macos | Os::Ios)
    }
}

/// A spelling reduced to lower-case letters and digits, so `iOS/iPadOS`, `ios ipados` and
/// `IOS-IPADOS` are one key.
fn spelling_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const OS_EXPECTED: &str = "windows, windows-server, macos, ios, linux or android";

/// The VPN app a group uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum App {
    /// The operating system's own client (Windows IKEv2/SSTP, macOS/iOS IKEv2).
    Native,
    AzureVpnClient,
    /// Any other OpenVPN client (OpenVPN Connect, ...): no AAD.
    OpenVpn,
    StrongSwan,
}

impl App {
    pub const ALL: &'static [App] = &[
        App::Native,
        App::AzureVpnClient,
        App::OpenVpn,
        App::StrongSwan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            App::Native => "native",
            App::AzureVpnClient => "azure-vpn-client",
            App::OpenVpn => "openvpn",
            App::StrongSwan => "strongswan",
        }
    }

    pub fn parse(text: &str) -> Option<App> {
        let key = spelling_key(text);
        Some(match key.as_str() {
            "native" | "builtin" => App::Native,
            "azurevpnclient" | "azurevpn" => App::AzureVpnClient,
            "openvpn" | "openvpnconnect" => App::OpenVpn,
            "strongswan" => App::StrongSwan,
            _ => return None,
        })
    }
}

const APP_EXPECTED: &str = "native, azure-vpn-client, openvpn or strongswan";

/// Properties of the networks a group connects from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Network {
    /// UDP 500/4500 and ESP blocked: IKEv2 fails, TCP 443 (SSTP, OpenVPN) works.
    UdpBlocked,
    /// The public IP of a site-to-site VPN device connected to the gateway (a branch office):
    /// IKEv2 fails from there, SSTP and OpenVPN work (FAQ, spec §7).
    S2sSite,
}

impl Network {
    pub fn as_str(self) -> &'static str {
        match self {
            Network::UdpBlocked => "udp-blocked",
            Network::S2sSite => "s2s-site",
        }
    }

    pub fn parse(text: &str) -> Option<Network> {
        [Network::UdpBlocked, Network::S2sSite]
            .into_iter()
            .find(|n| text.trim().eq_ignore_ascii_case(n.as_str()))
    }
}

/// A dotted version (`10.0.19044.1288`, `14.2`), up to four numbers; missing ones count as 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    text: String,
    parts: [u32; 4],
}

impl Version {
    /// Parses a dotted version; `None` when it is not 1–4 numbers separated by dots. A build
    /// in parentheses after it, as Intune and Graph write macOS and iOS versions
    /// (`14.2.1 (23C71)`), is kept in the text and ignored for comparison.
    pub fn parse(text: &str) -> Option<Version> {
        let t = text.trim();
        let numbers = match t.split_once('(') {
            Some((head, tail)) if tail.trim_end().ends_with(')') => head.trim(),
            _ => t,
        };
        let mut parts = [0u32; 4];
        for (n, piece) in numbers.split('.').enumerate() {
            if n == 4 || piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts[n] = piece.parse().ok()?;
        }
        Some(Version {
            text: t.to_string(),
            parts,
        })
    }

    /// A version the table does not look at (Linux, Android): kept as written.
    pub fn unparsed(text: &str) -> Version {
        Version {
            text: text.trim().to_string(),
            parts: [0; 4],
        }
    }

    pub fn parts(&self) -> [u32; 4] {
        self.parts
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One device group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub os: Os,
    pub version: Version,
    pub app: App,
    pub devices: u64,
    pub networks: Vec<Network>,
}

impl Group {
    pub fn udp_blocked(&self) -> bool {
        self.networks.contains(&Network::UdpBlocked)
    }

    pub fn from_s2s_site(&self) -> bool {
        self.networks.contains(&Network::S2sSite)
    }
}

/// The devices that connect.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fleet {
    pub groups: Vec<Group>,
}

/// Apps per OS for inputs that do not say (`--fleet-app windows=azure-vpn-client`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AppDefaults(Vec<(Os, App)>);

impl AppDefaults {
    /// Parses `os=app[,os=app...]`.
    pub fn parse(text: &str) -> Result<AppDefaults, String> {
        let mut list = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (os, app) = item.split_once('=').ok_or_else(|| {
                format!("'{item}' is not OS=APP; write e.g. windows=azure-vpn-client")
            })?;
            let os = Os::parse(os).ok_or_else(|| {
                format!("'{item}': unknown OS '{}'; use {OS_EXPECTED}", os.trim())
            })?;
            let app = App::parse(app).ok_or_else(|| {
                format!("'{item}': unknown app '{}'; use {APP_EXPECTED}", app.trim())
            })?;
            list.retain(|(o, _)| *o != os);
            list.push((os, app));
        }
        Ok(AppDefaults(list))
    }

    pub fn add(&mut self, other: AppDefaults) {
        for (os, app) in other.0 {
            self.0.retain(|(o, _)| *o != os);
            self.0.push((os, app));
        }
    }

    pub fn app(&self, os: Os) -> App {
        self.0
            .iter()
            .find(|(o, _)| *o == os)
            .map_or(App::Native, |(_, a)| *a)
    }
}

fn err(file: &str, place: impl Into<String>, message: impl Into<String>) -> FleetError {
    TopologyError {
        file: file.to_string(),
        place: place.into(),
        message: message.into(),
    }
}

fn os_of(file: &str, place: &str, text: &str) -> Result<Os, FleetError> {
    Os::parse(text).ok_or_else(|| {
        err(
            file,
            place,
            format!(
                "unknown operating system '{}'; write {OS_EXPECTED}",
                text.trim()
            ),
        )
    })
}

fn version_of(file: &str, place: &str, os: Os, text: &str) -> Result<Version, FleetError> {
    if !os.needs_version() {
        return Ok(Version::unparsed(text));
    }
    let example = match os {
        Os::Windows | Os::WindowsServer => "10.0.19045.3930",
        Os::Macos => "14.2",
        _ => "17.1",
    };
    let v = Version::parse(text).ok_or_else(|| {
        err(
            file,
            place,
            format!(
                "'{}' is not a {} version; write numbers separated by dots, e.g. {example}",
                text.trim(),
                os.label()
            ),
        )
    })?;
    if matches!(os, Os::Windows | Os::WindowsServer) && v.parts[0] >= 10 && v.parts[2] == 0 {
        return Err(err(
            file,
            place,
            format!(
                "'{}' has no build number, and Windows 10/11 support depends on it; write the \
                 full version, e.g. {example}",
                text.trim()
            ),
        ));
    }
    Ok(v)
}

/// Reads a fleet from any of the three inputs.
pub fn parse_fleet(file: &str, text: &str, defaults: &AppDefaults) -> Result<Fleet, FleetError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            err(
                file,
                format!("line {}, column {}", e.line(), e.column()),
                format!("not valid JSON: {e}"),
            )
        })?;
        if value.get("value").is_some() {
            return parse_graph(file, &value, defaults);
        }
        return parse_groups(file, text, defaults);
    }
    let header = trimmed
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if header.contains(',') && !header.contains(':') {
        return parse_intune_csv(file, text, defaults);
    }
    parse_groups(file, text, defaults)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFleet {
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    os: String,
    version: serde_json::Value,
    devices: serde_json::Value,
    #[serde(default)]
    app: Option<String>,
    #[serde(default)]
    networks: Vec<String>,
}

/// The native groups file (YAML, or the same as JSON).
fn parse_groups(file: &str, text: &str, defaults: &AppDefaults) -> Result<Fleet, FleetError> {
    let raw: RawFleet = crate::read::from_yaml(text).map_err(|(e, place)| {
        let message = crate::read::yaml_message(&e);
        err(
            file,
            place,
            format!(
                "{message}; a fleet file is `groups:` with entries {{name, os, version, devices, \
                 app, networks}}"
            ),
        )
    })?;
    let mut groups = Vec::new();
    for (i, g) in raw.groups.iter().enumerate() {
        let at = |field: &str| format!("groups[{i}].{field}");
        let os = os_of(file, &at("os"), &g.os)?;
        let version_text = match &g.version {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) if n.is_u64() => n.to_string(),
            serde_json::Value::Number(n) => {
                return Err(err(
                    file,
                    at("version"),
                    format!(
                        "{n} was read as a number, which loses trailing zeros (10.10 would be \
                         10.1); write the version in quotes, e.g. version: \"{n}\""
                    ),
                ))
            }
            other => {
                return Err(err(
                    file,
                    at("version"),
                    format!("{other} is not a version; write e.g. version: \"14.2\""),
                ))
            }
        };
        let version = version_of(file, &at("version"), os, &version_text)?;
        let devices = match &g.devices {
            serde_json::Value::Number(n) if n.is_u64() => n.as_u64().unwrap_or(0),
            serde_json::Value::Number(n) if n.is_i64() => {
                return Err(err(
                    file,
                    at("devices"),
                    format!("{n} devices: a count cannot be negative; write 0 or more"),
                ))
            }
            other => {
                return Err(err(
                    file,
                    at("devices"),
                    format!(
                        "{other} is not a device count; write a whole number, e.g. devices: 120"
                    ),
                ))
            }
        };
        let app = match &g.app {
            Some(a) => App::parse(a).ok_or_else(|| {
                err(
                    file,
                    at("app"),
                    format!("unknown app '{a}'; write {APP_EXPECTED}"),
                )
            })?,
            None => defaults.app(os),
        };
        let mut networks = Vec::new();
        for (j, n) in g.networks.iter().enumerate() {
            let net = Network::parse(n).ok_or_else(|| {
                err(
                    file,
                    format!("groups[{i}].networks[{j}]"),
                    format!("unknown network property '{n}'; write udp-blocked or s2s-site"),
                )
            })?;
            if !networks.contains(&net) {
                networks.push(net);
            }
        }
        if g.name.trim().is_empty() {
            return Err(err(
                file,
                at("name"),
                "the group has no name; write e.g. name: finance-laptops",
            ));
        }
        if let Some(first) = groups.iter().position(|x: &Group| x.name == g.name) {
            return Err(err(
                file,
                at("name"),
                format!(
                    "group '{}' is already groups[{first}]; give every group its own name",
                    g.name
                ),
            ));
        }
        groups.push(Group {
            name: g.name.clone(),
            os,
            version,
            app,
            devices,
            networks,
        });
    }
    Ok(Fleet { groups })
}

/// Adds one device to the group of its OS and version (first-appearance order).
fn count_device(groups: &mut Vec<Group>, os_text: &str, os: Os, version: Version, app: App) {
    if let Some(g) = groups
        .iter_mut()
        .find(|g| g.os == os && g.version == version && g.app == app)
    {
        g.devices += 1;
        return;
    }
    groups.push(Group {
        name: format!("{} {}", os_text.trim(), version),
        os,
        version,
        app,
        devices: 1,
        networks: Vec::new(),
    });
}

/// An Intune device export: CSV with `OS` and `OS version` columns, one row per device.
fn parse_intune_csv(file: &str, text: &str, defaults: &AppDefaults) -> Result<Fleet, FleetError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| err(file, "line 1", format!("cannot read the CSV header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let found: Vec<&str> = headers.iter().collect();
                err(
                    file,
                    "line 1 (header)",
                    format!(
                        "no '{name}' column (found: {}); export the devices from Intune with the \
                         'OS' and 'OS version' columns",
                        found.join(", ")
                    ),
                )
            })
    };
    let (os_col, version_col) = (column("OS")?, column("OS version")?);
    let mut groups = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| {
            let line = e.position().map_or(row as u64 + 1, |p| p.line());
            err(
                file,
                format!("row {row} (line {line})"),
                format!("bad CSV row: {e}"),
            )
        })?;
        let line = record.position().map_or(row as u64 + 1, |p| p.line());
        let at = |col: &str| format!("row {row} (line {line}), column '{col}'");
        let os_text = record.get(os_col).unwrap_or("");
        let os = os_of(file, &at("OS"), os_text)?;
        let version = version_of(
            file,
            &at("OS version"),
            os,
            record.get(version_col).unwrap_or(""),
        )?;
        count_device(&mut groups, os_text, os, version, defaults.app(os));
    }
    Ok(Fleet { groups })
}

/// A Microsoft Graph `managedDevices` list: `{"value": [{"operatingSystem", "osVersion"}]}`.
fn parse_graph(
    file: &str,
    value: &serde_json::Value,
    defaults: &AppDefaults,
) -> Result<Fleet, FleetError> {
    let Some(list) = value["value"].as_array() else {
        return Err(err(
            file,
            "value",
            "expected a list of devices: {\"value\": [{\"operatingSystem\": ..., \"osVersion\": ...}]}",
        ));
    };
    let mut groups = Vec::new();
    for (i, device) in list.iter().enumerate() {
        let field = |name: &str| -> Result<&str, FleetError> {
            device[name].as_str().ok_or_else(|| {
                err(
                    file,
                    format!("value[{i}].{name}"),
                    format!(
                        "missing or not text; every device needs \"{name}\" (request the list \
                         with $select=operatingSystem,osVersion)"
                    ),
                )
            })
        };
        let os_text = field("operatingSystem")?;
        let os = os_of(file, &format!("value[{i}].operatingSystem"), os_text)?;
        let version = version_of(
            file,
            &format!("value[{i}].osVersion"),
            os,
            field("osVersion")?,
        )?;
        count_device(&mut groups, os_text, os, version, defaults.app(os));
    }
    Ok(Fleet { groups })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_component() {
        let a = Version::parse("10.0.17763.2210").unwrap();
        let b = Version::parse("10.0.17763").unwrap();
        assert!(b.parts() < a.parts());
        assert!(Version::parse("10..1").is_none());
        assert!(Version::parse("1.2.3.4.5").is_none());
        assert!(Version::parse("14.x").is_none());
        let mac = Version::parse("14.2.1 (23C71)").unwrap();
        assert_eq!(
            (mac.parts(), mac.as_str()),
            ([14, 2, 1, 0], "14.2.1 (23C71)")
        );
        assert!(Version::parse("14.2 (").is_none());
    }

    #[test]
    fn os_and_app_spellings() {
        assert_eq!(Os::parse("iOS/iPadOS"), Some(Os::Ios));
        assert_eq!(Os::parse("AndroidForWork"), Some(Os::Android));
        assert_eq!(Os::parse("Windows Server"), Some(Os::WindowsServer));
        assert_eq!(Os::parse("Amiga"), None);
        assert_eq!(App::parse("Azure VPN Client"), Some(App::AzureVpnClient));
        let d = AppDefaults::parse("windows=azure-vpn-client,macos=openvpn").unwrap();
        assert_eq!(d.app(Os::Windows), App::AzureVpnClient);
        assert_eq!(d.app(Os::Ios), App::Native);
        assert!(AppDefaults::parse("windows").is_err());
    }
}
