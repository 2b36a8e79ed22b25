//! Reading a VPN client package: the zip Azure produces (portal *Download VPN client*, or
//! `az network vnet-gateway vpn-client generate`), the folder it extracts to, or one file.
//!
//! Files are classified by their path inside the package (ASCII case ignored, `\` read as `/`):
//! `VpnSettings.xml` → `vpnsettings`, an `.xml` under `AzureVPN/` (or named `azurevpnconfig*`) →
//! `azurevpn`, `*.ovpn` → `openvpn`, anything under a `Windows…/` folder (`WindowsAmd64/`,
//! `WindowsX86/`) → `installer`. Other files (root certificates, readme) are listed as skipped.
//! Installers are never decompressed or opened. A lone file is classified by its content.
//!
//! Bounds: at most [`MAX_ENTRIES`] entries, each profile at most [`MAX_PROFILE_BYTES`] once
//! decompressed (enforced while reading, so a lying header cannot inflate memory).

use std::io::{Cursor, Read};

use super::{decode_text, detect_kind, parse_as, Profile, ProfileError};

/// Most entries a package may have (a real one has about ten).
pub const MAX_ENTRIES: usize = 10_000;
/// Largest profile file accepted, decompressed (real ones are a few KiB).
pub const MAX_PROFILE_BYTES: u64 = 4 << 20;

/// What a file in a package is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `Generic/VpnSettings.xml`.
    VpnSettings,
    /// `AzureVPN/azurevpnconfig.xml` (Azure VPN Client).
    AzureVpn,
    /// `OpenVPN/vpnconfig.ovpn`.
    OpenVpn,
    /// `WindowsAmd64/`, `WindowsX86/`: the Windows native client installers (binary).
    Installer,
}

impl FileKind {
    /// The stable name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::VpnSettings => "vpnsettings",
            FileKind::AzureVpn => "azurevpn",
            FileKind::OpenVpn => "openvpn",
            FileKind::Installer => "installer",
        }
    }
}

/// The kind of a file from its path inside a package; `None` for files p2s-sim does not read.
pub fn classify(path: &str) -> Option<FileKind> {
    let path = path.replace('\\', "/").to_ascii_lowercase();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (file, dirs) = parts.split_last()?;
    if dirs.iter().any(|d| d.starts_with("windows")) {
        return Some(FileKind::Installer);
    }
    if *file == "vpnsettings.xml" {
        return Some(FileKind::VpnSettings);
    }
    if file.ends_with(".xml") && (dirs.contains(&"azurevpn") || file.starts_with("azurevpnconfig"))
    {
        return Some(FileKind::AzureVpn);
    }
    if file.ends_with(".ovpn") {
        return Some(FileKind::OpenVpn);
    }
    None
}

/// One file of a package, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageFile {
    /// Path inside the package (`/`-separated), or the file name for a lone file.
    pub path: String,
    pub kind: FileKind,
    /// Size in bytes (as stored, for installers).
    pub size: u64,
    /// `None` for installers.
    pub profile: Option<Profile>,
}

/// A file handed to [`Package::from_files`]: its path inside the package folder, and its bytes
/// unless it is an installer (whose bytes are never needed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFile {
    pub path: String,
    pub size: u64,
    pub bytes: Option<Vec<u8>>,
}

/// A whole package, its files sorted by path.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    /// What the user named: the zip, the folder or the file.
    pub name: String,
    pub files: Vec<PackageFile>,
    /// Paths of files that are not profiles (certificates, readme), sorted.
    pub skipped: Vec<String>,
}

fn inner_name(package: &str, path: &str) -> String {
    format!("{package} ({path})")
}

impl Package {
    /// A zip archive. Errors name the archive (and the entry) and say what to do.
    pub fn from_zip(name: &str, bytes: &[u8]) -> Result<Package, ProfileError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ProfileError::new(
                name,
                "",
                format!(
                    "not a readable zip archive ({e}); download the VPN client package again, \
                     or give its extracted folder"
                ),
            )
        })?;
        if archive.len() > MAX_ENTRIES {
            return Err(ProfileError::new(
                name,
                "",
                format!(
                    "{} entries; a VPN client package has about ten (at most {MAX_ENTRIES} are \
                     read): this is not a VPN client package",
                    archive.len()
                ),
            ));
        }
        let mut raw = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(|e| {
                ProfileError::new(
                    name,
                    format!("entry {}", i + 1),
                    format!("cannot read: {e}"),
                )
            })?;
            if entry.is_dir() {
                continue;
            }
            let path = entry.name().replace('\\', "/");
            let size = entry.size();
            let bytes = match classify(&path) {
                Some(FileKind::Installer) | None => None,
                Some(_) => {
                    let mut buf = Vec::new();
                    (&mut entry)
                        .take(MAX_PROFILE_BYTES + 1)
                        .read_to_end(&mut buf)
                        .map_err(|e| {
                            ProfileError::new(
                                &inner_name(name, &path),
                                "",
                                format!("cannot decompress: {e}; download the package again"),
                            )
                        })?;
                    if buf.len() as u64 > MAX_PROFILE_BYTES {
                        return Err(too_big(&inner_name(name, &path)));
                    }
                    Some(buf)
                }
            };
            raw.push(RawFile { path, size, bytes });
        }
        Package::build(name, raw, true)
    }

    /// The files of an extracted package folder (paths relative to it).
    pub fn from_files(name: &str, files: Vec<RawFile>) -> Result<Package, ProfileError> {
        Package::build(name, files, false)
    }

    /// One profile file, classified by its content.
    pub fn from_single(name: &str, bytes: &[u8]) -> Result<Package, ProfileError> {
        if bytes.len() as u64 > MAX_PROFILE_BYTES {
            return Err(too_big(name));
        }
        let text = decode_text(name, bytes)?;
        let kind = detect_kind(name, &text)?;
        let profile = parse_as(name, kind, &text)?;
        Ok(Package {
            name: name.to_string(),
            files: vec![PackageFile {
                path: name.to_string(),
                kind,
                size: bytes.len() as u64,
                profile: Some(profile),
            }],
            skipped: Vec::new(),
        })
    }

    fn build(name: &str, raw: Vec<RawFile>, zip: bool) -> Result<Package, ProfileError> {
        let mut files = Vec::new();
        let mut skipped = Vec::new();
        let mut seen = Vec::new();
        for f in raw {
            seen.push(f.path.clone());
            let shown = if zip {
                inner_name(name, &f.path)
            } else {
                format!("{}/{}", name.trim_end_matches('/'), f.path)
            };
            match classify(&f.path) {
                None => skipped.push(f.path),
                Some(FileKind::Installer) => files.push(PackageFile {
                    path: f.path,
                    kind: FileKind::Installer,
                    size: f.size,
                    profile: None,
                }),
                Some(kind) => {
                    let bytes = f.bytes.as_deref().unwrap_or_default();
                    if bytes.len() as u64 > MAX_PROFILE_BYTES {
                        return Err(too_big(&shown));
                    }
                    let text = decode_text(&shown, bytes)?;
                    let profile = parse_as(&shown, kind, &text)?;
                    files.push(PackageFile {
                        path: f.path,
                        kind,
                        size: f.size,
                        profile: Some(profile),
                    });
                }
            }
        }
        if files.is_empty() {
            seen.sort();
            let listed: Vec<&str> = seen.iter().take(8).map(|s| s.as_str()).collect();
            return Err(ProfileError::new(
                name,
                "",
                format!(
                    "{} but not a VPN client package: it has none of Generic/VpnSettings.xml, \
                     AzureVPN/azurevpnconfig.xml, OpenVPN/vpnconfig.ovpn, WindowsAmd64/, \
                     WindowsX86/ (it holds {}{}); give the zip the portal or `az network \
                     vnet-gateway vpn-client generate` produces, or its extracted folder",
                    if zip { "a zip" } else { "a folder" },
                    if listed.is_empty() {
                        "nothing".to_string()
                    } else {
                        listed.join(", ")
                    },
                    if seen.len() > 8 { ", …" } else { "" }
                ),
            ));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        skipped.sort();
        Ok(Package {
            name: name.to_string(),
            files,
            skipped,
        })
    }
}

fn too_big(file: &str) -> ProfileError {
    ProfileError::new(
        file,
        "",
        format!(
            "larger than {} MiB; VPN profiles are a few KiB, so this is not one",
            MAX_PROFILE_BYTES >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_package_paths() {
        assert_eq!(
            classify("Generic/VpnSettings.xml"),
            Some(FileKind::VpnSettings)
        );
        assert_eq!(
            classify("pkg\\AzureVPN\\azurevpnconfig.xml"),
            Some(FileKind::AzureVpn)
        );
        assert_eq!(classify("OpenVPN/vpnconfig.ovpn"), Some(FileKind::OpenVpn));
        assert_eq!(
            classify("WindowsAmd64/VpnClientSetupAmd64.exe"),
            Some(FileKind::Installer)
        );
        assert_eq!(classify("Generic/VpnServerRoot.cer"), None);
        assert_eq!(classify(""), None);
    }
}
