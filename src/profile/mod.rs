//! VPN client profiles: read what users actually have installed, say whether it is stale, and
//! write the fix for the routes it lacks.
//!
//! # Why
//!
//! Azure builds a VPN client *package* (a zip) when it is downloaded, and the Windows native
//! client installs the routes baked into it at that moment (spec §0.2, §1 re-download rule):
//! after a new transit spoke, a removed peering, a new tunnel type or a new authentication type,
//! the installed profile is stale until users download the package again (FAQ, spec §6). The
//! Azure VPN Client profile (`azurevpnconfig.xml`) is hand-edited for routes and breaks in its own
//! ways (two destinations in one `<route>`, forced tunnel without `<version>2`).
//!
//! # What a package holds (spec §6, `../shared/samples/PROVENANCE.md`)
//!
//! | file | kind | read by | what p2s-sim reads |
//! |---|---|---|---|
//! | `Generic/VpnSettings.xml` | `vpnsettings` | [`vpnsettings`] | `<VpnProfile>`: `VpnServer`, `VpnType`, `Routes` (the route snapshot, comma-separated, without the pool), `VpnClientAddressPool`, `Auth`, `VnetName`, AAD fields |
//! | `AzureVPN/azurevpnconfig.xml` | `azurevpn` | [`azurevpn`] | `<AzVpnProfile>`: `serverlist/ServerEntry/fqdn`, `clientauth`, `clientconfig` (`includeroutes` / `excluderoutes`, one `<route><destination/><mask/></route>` each), `version` |
//! | `OpenVPN/vpnconfig.ovpn` | `openvpn` | [`openvpn`] | `remote`, `proto`, `route` lines, whether a client certificate is expected |
//! | `WindowsAmd64/`, `WindowsX86/` | `installer` | — | binary: noted, never opened |
//!
//! # The pieces, in the order data flows
//!
//! 1. [`package`]: a zip (read from bytes, bounded sizes), a folder's files or one file →
//!    [`package::Package`], every file classified by its path (or, for one file, its content).
//! 2. [`vpnsettings`], [`azurevpn`], [`openvpn`]: one parser per file kind; XML through [`xml`]
//!    (quick-xml), so errors say `line L, column C`.
//! 3. [`compare`]: which gateway the package was made for, and per file `current` / `stale` /
//!    `unreadable` with reasons (stable codes) against the gateway as analysed now.
//! 4. [`routes`]: the fix for a client kind's manual routes, in the form each client takes:
//!    Azure VPN Client `<includeroutes>` (and `--merge` into the user's file, every other byte
//!    kept), PowerShell `Add-VpnConnectionRoute`, or gateway custom routes with their selector
//!    cost and a summarised set that fits.
//! 5. [`changes`]: which package files a planned change makes stale (`whatif`).
//!
//! Like the rest of the library this module does no I/O: the binary hands it bytes.

pub mod azurevpn;
pub mod changes;
pub mod compare;
pub mod openvpn;
pub mod package;
pub mod routes;
pub mod vpnsettings;
pub mod xml;

use std::fmt;

pub use compare::{check, choose_gateway, CheckReport, FileReport, Hints, Reason, Verdict};
pub use package::{classify, FileKind, Package, PackageFile};

/// A problem with a profile file: which file, which place in it (`line 3, column 9`, or empty),
/// what is wrong and what to change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ProfileError {
    pub file: String,
    pub place: String,
    pub message: String,
}

impl ProfileError {
    pub fn new(file: &str, place: impl Into<String>, message: impl Into<String>) -> Self {
        ProfileError {
            file: file.to_string(),
            place: place.into(),
            message: message.into(),
        }
    }

    /// An XML error, located in `text`.
    pub(crate) fn xml(file: &str, text: &str, e: xml::XmlError) -> Self {
        ProfileError::new(file, xml::place(text, e.offset), e.message)
    }
}

/// The root element of the XML profile `text`, which must be `<expected>` (in any case);
/// `not_this` names what a file with another root is not.
pub(crate) fn xml_root(
    file: &str,
    text: &str,
    expected: &str,
    not_this: &str,
) -> Result<xml::Element, ProfileError> {
    let root = xml::parse(text).map_err(|e| ProfileError::xml(file, text, e))?;
    if !root.name.eq_ignore_ascii_case(expected) {
        return Err(ProfileError::new(
            file,
            xml::place(text, root.start),
            format!(
                "root element <{}>, expected <{expected}>: this is not {not_this}",
                root.name
            ),
        ));
    }
    Ok(root)
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.message)
        }
    }
}

/// One parsed profile file.
#[derive(Clone, Debug, PartialEq)]
pub enum Profile {
    VpnSettings(vpnsettings::VpnSettings),
    AzureVpn(azurevpn::AzureVpn),
    OpenVpn(openvpn::OpenVpn),
}

/// Decodes a profile's bytes: UTF-8 (a byte-order mark is kept, the XML reader skips it) or
/// UTF-16 with a byte-order mark.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, ProfileError> {
    if let Some(text) = crate::read::text::utf16_with_bom(bytes) {
        return text
            .map_err(|_| ProfileError::new(file, "", "not valid UTF-16 text; save it as UTF-8"));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ProfileError::new(
            file,
            format!("byte {at}"),
            "not UTF-8 text (a binary file?); give a VPN profile: Generic/VpnSettings.xml, \
             AzureVPN/azurevpnconfig.xml or OpenVPN/vpnconfig.ovpn",
        )
    })
}

/// Parses one file of a known kind. `Installer` is never parsed (the caller notes it).
pub fn parse_as(file: &str, kind: FileKind, text: &str) -> Result<Profile, ProfileError> {
    match kind {
        FileKind::VpnSettings => vpnsettings::parse(file, text).map(Profile::VpnSettings),
        FileKind::AzureVpn => azurevpn::parse(file, text).map(Profile::AzureVpn),
        FileKind::OpenVpn => openvpn::parse(file, text).map(Profile::OpenVpn),
        FileKind::Installer => Err(ProfileError::new(
            file,
            "",
            "a Windows installer is binary and is not parsed",
        )),
    }
}

/// The kind of a lone file, from its content: an XML root `<VpnProfile>` or `<AzVpnProfile>`,
/// or OpenVPN directives. Anything else is an error that says what was expected.
pub fn detect_kind(file: &str, text: &str) -> Result<FileKind, ProfileError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('<') {
        let root = xml::parse(text).map_err(|e| ProfileError::xml(file, text, e))?;
        return match root.name.as_str() {
            n if n.eq_ignore_ascii_case("VpnProfile") => Ok(FileKind::VpnSettings),
            n if n.eq_ignore_ascii_case("AzVpnProfile") => Ok(FileKind::AzureVpn),
            other => Err(ProfileError::new(
                file,
                xml::place(text, root.start),
                format!(
                    "an XML file of another kind (root element <{other}>); expected \
                     <VpnProfile> (Generic/VpnSettings.xml) or <AzVpnProfile> \
                     (AzureVPN/azurevpnconfig.xml) from the VPN client package"
                ),
            )),
        };
    }
    if openvpn::looks_like(text) {
        return Ok(FileKind::OpenVpn);
    }
    Err(ProfileError::new(
        file,
        "",
        "not a VPN client profile: neither XML (<VpnProfile>, <AzVpnProfile>) nor an OpenVPN \
         profile (client, remote, dev lines); give the package zip, its folder, or one of \
         Generic/VpnSettings.xml, AzureVPN/azurevpnconfig.xml, OpenVPN/vpnconfig.ovpn",
    ))
}
