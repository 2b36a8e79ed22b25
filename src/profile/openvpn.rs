//! `OpenVPN/vpnconfig.ovpn`: the OpenVPN client profile (spec §6).
//!
//! Azure ships `client`, `remote azuregateway-….vpn.azure.com 443`, `proto tcp`, inline
//! `<ca>`, `<tls-auth>`, and `<cert>` / `<key>` blocks for the user's certificate (see the real
//! file in `datasets/profiles/`, PROVENANCE row 49). It has no `route` lines: routes are pushed
//! by the gateway at connect time. A `route` line someone added is read so `profile check` can
//! say whether it still points at a reachable network.

use std::net::{IpAddr, Ipv4Addr};

use crate::prefix::{parse_prefix, IpNet};

/// What a `.ovpn` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenVpn {
    /// `remote HOST [PORT]`, in order.
    pub remotes: Vec<(String, Option<String>)>,
    pub proto: Option<String>,
    /// `route` / `route-ipv6` lines: 1-based line number and the prefix (or what is wrong).
    pub routes: Vec<(usize, Result<IpNet, String>)>,
    /// A `<cert>` block or `cert` directive: the profile authenticates with a client
    /// certificate.
    pub client_certificate: bool,
}

/// Directives only an OpenVPN profile has (the first word of a line).
fn is_openvpn_directive(word: &str) -> bool {
    matches!(
        word,
        "client" | "remote" | "dev" | "proto" | "remote-cert-tls" | "verify-x509-name"
    )
}

/// Whether a text reads like an OpenVPN profile.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .any(is_openvpn_directive)
}

fn dotted_mask(mask: &str) -> Option<u8> {
    let bits = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    let len = bits.leading_ones();
    (bits.checked_shl(len).unwrap_or(0) == 0).then_some(len as u8)
}

fn route_line(words: &[&str]) -> Result<IpNet, String> {
    match words {
        ["route", net, rest @ ..] => {
            let addr: Ipv4Addr = net
                .parse()
                .map_err(|_| format!("'{net}' is not an IPv4 address"))?;
            let len = match rest.first() {
                None => 32,
                Some(m) if m.eq_ignore_ascii_case("default") => 32,
                Some(m) => dotted_mask(m).ok_or_else(|| format!("'{m}' is not a netmask"))?,
            };
            Ok(IpNet::new(IpAddr::V4(addr), len)
                .expect("length checked")
                .trunc())
        }
        ["route-ipv6", net, ..] => parse_prefix(net).map_err(|e| format!("'{net}': {e}")),
        _ => Err("a route line names a network".into()),
    }
}

/// Parses the text of a `.ovpn` file. Every text is accepted (the caller checked
/// [`looks_like`]); what matters is collected.
pub fn parse(file: &str, text: &str) -> Result<OpenVpn, super::ProfileError> {
    if !looks_like(text) {
        return Err(super::ProfileError::new(
            file,
            "",
            "not an OpenVPN profile: no client, remote or dev line; give OpenVPN/vpnconfig.ovpn \
             from the VPN client package",
        ));
    }
    let mut out = OpenVpn::default();
    let mut block: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = &block {
            if line.eq_ignore_ascii_case(&format!("</{name}>")) {
                block = None;
            } else if name == "cert" && !line.is_empty() && !line.starts_with('#') {
                out.client_certificate = true;
            }
            continue;
        }
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('<') {
            if let Some(name) = rest.strip_suffix('>') {
                if !name.starts_with('/') {
                    block = Some(name.to_ascii_lowercase());
                }
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["remote", host, rest @ ..] => out
                .remotes
                .push((host.to_string(), rest.first().map(|p| p.to_string()))),
            ["proto", p, ..] => out.proto = Some(p.to_string()),
            ["cert", ..] => out.client_certificate = true,
            ["route" | "route-ipv6", ..] => out.routes.push((i + 1, route_line(&words))),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_routes_and_blocks() {
        let t = "client\nremote gw.example 443\nproto tcp\nroute 10.1.0.0 255.255.0.0\nroute 10.9.0.0 255.0.255.0\n<cert>\n$CLIENTCERTIFICATE\n</cert>\n";
        let o = parse("f", t).unwrap();
        assert_eq!(o.remotes, vec![("gw.example".into(), Some("443".into()))]);
        assert_eq!(o.proto.as_deref(), Some("tcp"));
        assert_eq!(o.routes[0], (4, Ok(parse_prefix("10.1.0.0/16").unwrap())));
        assert_eq!(o.routes[1].0, 5);
        assert!(o.routes[1].1.is_err());
        assert!(o.client_certificate);
        assert!(parse("f", "hello\nworld\n").is_err());
    }
}
