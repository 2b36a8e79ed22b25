//! The native topology file: the hand-editable YAML/JSON form of a [`Topology`](super::Topology).
//!
//! Field names are the ones users write (`address_space`, `allow_gateway_transit`, ...). Values that
//! need checking (prefixes, enum names) are kept as text here so that [`build`](super::build) can
//! say exactly which one is wrong and where. Unknown fields are rejected by serde, so a typo such as
//! `allow_gateway_transit` spelled `allow_gw_transit` never passes silently.
//!
//! An element that a reader made from something else (an Azure resource, a what-if change)
//! carries its [`Origin`]: where in the user's file it came from, so that
//! [`build`](super::build) names that place, not a native path the user never wrote. The origin
//! is not part of the schema (`#[serde(skip)]`): native files and `convert` output never show it,
//! and an element without one is reported at its own native path (`vnets[3].address_space[1]`).

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::prefix::{parse_network, plain_v4_network, IpNet, NetText};

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A prefix as a file wrote it. Almost every prefix is written in its canonical form
/// (`10.1.0.0/16`), and such a prefix is kept parsed: a large topology holds a million of
/// them, and a text each would cost more memory than the whole model. Any other text (host
/// bits set, not a prefix, `FD00::/8`) is kept as written, for [`build`](super::build) to parse
/// and, when it is wrong, to report at its place. Either way the text reads back unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefixText {
    /// The text is exactly this prefix's canonical form.
    Canonical(IpNet),
    /// Any other text, verbatim.
    Written(Box<str>),
}

impl PrefixText {
    /// The prefix the text denotes, parsed by the rules of [`parse_network`].
    pub fn parse(&self) -> Result<IpNet, crate::prefix::PrefixParseError> {
        match self {
            PrefixText::Canonical(net) => Ok(*net),
            PrefixText::Written(text) => parse_network(text),
        }
    }
}

impl From<&str> for PrefixText {
    fn from(text: &str) -> Self {
        // The common case, canonical by construction: no formatting it again to compare.
        if let Some(net) = plain_v4_network(text) {
            return PrefixText::Canonical(net);
        }
        match parse_network(text) {
            Ok(net) if NetText::new(&net).as_str() == text => PrefixText::Canonical(net),
            _ => PrefixText::Written(text.into()),
        }
    }
}

impl From<String> for PrefixText {
    fn from(text: String) -> Self {
        match PrefixText::from(text.as_str()) {
            canonical @ PrefixText::Canonical(_) => canonical,
            PrefixText::Written(_) => PrefixText::Written(text.into_boxed_str()),
        }
    }
}

impl From<IpNet> for PrefixText {
    fn from(net: IpNet) -> Self {
        if net == net.trunc() {
            PrefixText::Canonical(net)
        } else {
            // Host bits set: the text a file would hold, for the builder to reject.
            PrefixText::Written(net.to_string().into_boxed_str())
        }
    }
}

impl fmt::Display for PrefixText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrefixText::Canonical(net) => f.write_str(NetText::new(net).as_str()),
            PrefixText::Written(text) => f.write_str(text),
        }
    }
}

impl Serialize for PrefixText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PrefixText::Canonical(net) => serializer.serialize_str(NetText::new(net).as_str()),
            PrefixText::Written(text) => serializer.serialize_str(text),
        }
    }
}

/// A list read into a list of exactly its length. Read element by element, a list grows by
/// doubling: a million prefixes in lists of 20 would hold room for 1.6 million.
fn exact_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<PrefixText>, D::Error> {
    let mut list = Vec::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}

impl<'de> Deserialize<'de> for PrefixText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl de::Visitor<'_> for Text {
            type Value = PrefixText;
            // What a `String` field says, so messages about a wrong kind of value read the same.
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<PrefixText, E> {
                Ok(PrefixText::from(text))
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<PrefixText, E> {
                Ok(PrefixText::from(text))
            }
        }
        deserializer.deserialize_string(Text)
    }
}

/// Where an element of a native file came from, when a reader made it from the user's file in
/// another format (an Azure resource, a scenario change): the file, the JSON path of the
/// element there and the resource ID, plus the place of each native field that has one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The user's file.
    pub file: String,
    /// Where the element is in that file (`value[3]`, `resources[1](copy i=2)`, `changes[1].add_spokes`).
    pub path: String,
    /// The resource ID, when there is one; errors end with `(resource ID)`.
    pub id: String,
    /// Native field (relative to the element: `address_space`, `p2s.tunnel_types`, `remote`) →
    /// its path in the user's file. A list is recorded once, by its own path: its element `[i]`
    /// is element `[i]` there (readers keep lists one to one).
    pub fields: Vec<(&'static str, String)>,
}

impl Origin {
    /// The place in the user's file of the native field `field` (`address_space[1]`, `sku`,
    /// `""` for the element itself): by the longest recorded field that `field` starts with
    /// (and the list index after it), else the element's own path.
    pub fn place(&self, field: &str) -> String {
        self.fields
            .iter()
            .filter(|(native, _)| {
                field.strip_prefix(native).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with('[') || rest.starts_with('.')
                })
            })
            .max_by_key(|(native, _)| native.len())
            .map_or_else(
                || self.path.clone(),
                // An index carries over (lists are one to one); native names below a recorded
                // field do not exist in the user's file, so the field's own path is the place.
                |(native, path)| match field[native.len()..].strip_prefix('[') {
                    Some(rest) => match rest.find(']') {
                        Some(end) => format!("{path}[{}]", &rest[..end]),
                        None => path.clone(),
                    },
                    None => path.clone(),
                },
            )
    }

    /// An origin at `path` in `file` for a value without a resource (a scenario's field):
    /// the value itself, and `[i]` of it when it is a list.
    pub fn at(file: &str, path: String) -> Self {
        Origin {
            file: file.to_string(),
            fields: vec![("", path.clone())],
            path,
            id: String::new(),
        }
    }

    /// Records where native field `field` is in the user's file (a builder for readers).
    pub fn with(mut self, field: &'static str, path: impl Into<String>) -> Self {
        self.fields.push((field, path.into()));
        self
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vnets: Vec<NativeVnet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<NativePeering>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_networks: Vec<NativeLocalNetwork>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<NativeConnection>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeVnet {
    pub name: String,
    #[serde(default, deserialize_with = "exact_list")]
    pub address_space: Vec<PrefixText>,
    /// Boxed: most VNets of a large topology have none, and a VNet holding an empty one inline
    /// would be four times as large.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<Box<NativeGateway>>,
    /// Not part of the input: a peering or a gateway of the input names it, so its address
    /// space may be incomplete and whether it has a gateway (and peerings back) is unknown.
    /// `p2s-sim convert` writes it for such a VNet of an export.
    #[serde(default, skip_serializing_if = "is_false")]
    pub external: bool,
    /// Where a reader found this element (never in a native file; see [`Origin`]).
    #[serde(skip)]
    pub origin: Option<Box<Origin>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeGateway {
    /// Defaults to `<vnet>-gw`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// `Generation1` or `Generation2` (`vpnGatewayGeneration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpn_type: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub active_active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp: Option<NativeGatewayBgp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_routes: Vec<PrefixText>,
    /// How many NAT rules the gateway has (`natRules`); 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub nat_rules: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p2s: Option<NativeP2s>,
    /// What a reader assumed because the export did not say (a protocol default, RADIUS from
    /// its material, the gateway's VNet outside the input), printed as assumptions of the
    /// report; `p2s-sim convert` writes them so the converted file reports the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<String>,
    /// Where a reader found this element (never in a native file; see [`Origin`]).
    #[serde(skip)]
    pub origin: Option<Box<Origin>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeGatewayBgp {
    /// Defaults to 65515, Azure's default ASN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeP2s {
    #[serde(default)]
    pub address_pool: Vec<PrefixText>,
    #[serde(default)]
    pub tunnel_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth_types: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativePeering {
    pub vnet: String,
    pub remote: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_gateway_transit: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub use_remote_gateways: bool,
    /// The remote address space as the peering resource last synced it (exports carry it as
    /// `remoteAddressSpace`); only needed to detect out-of-sync peerings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_address_space: Option<Vec<PrefixText>>,
    /// Where a reader found this element (never in a native file; see [`Origin`]).
    #[serde(skip)]
    pub origin: Option<Box<Origin>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeLocalNetwork {
    pub name: String,
    #[serde(default, deserialize_with = "exact_list")]
    pub address_space: Vec<PrefixText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bgp: Option<NativeLocalBgp>,
    /// Where a reader found this element (never in a native file; see [`Origin`]).
    #[serde(skip)]
    pub origin: Option<Box<Origin>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeLocalBgp {
    pub asn: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_ip: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeConnection {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub gateway: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_network: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_gateway: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bgp: bool,
    /// Where a reader found this element (never in a native file; see [`Origin`]).
    #[serde(skip)]
    pub origin: Option<Box<Origin>>,
}

impl NativeFile {
    /// Appends another file's resources (several files form one topology).
    pub fn extend(&mut self, other: NativeFile) {
        self.vnets.extend(other.vnets);
        self.peerings.extend(other.peerings);
        self.local_networks.extend(other.local_networks);
        self.connections.extend(other.connections);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_text_keeps_canonical_prefixes_parsed_and_any_other_text_verbatim() {
        let canonical = ["10.1.0.0/16", "0.0.0.0/0", "fd00:1::/48", "192.168.1.7/32"];
        for text in canonical {
            let t = PrefixText::from(text);
            assert!(matches!(t, PrefixText::Canonical(_)), "{text}");
            assert_eq!(
                (t.to_string(), t.parse().unwrap().to_string()),
                (text.into(), text.into())
            );
        }
        // Host bits, upper case, a bare address, not a prefix: kept as written, parsed (or
        // rejected) by the builder's rules, and written back unchanged.
        for (text, parsed) in [
            ("10.1.0.1/16", None),
            ("FD00::/8", Some("fd00::/8")),
            ("10.0.0.1", Some("10.0.0.1/32")),
            ("banana", None),
        ] {
            let t = PrefixText::from(text.to_string());
            assert_eq!(t, PrefixText::Written(text.into()));
            assert_eq!(t.to_string(), text);
            assert_eq!(
                t.parse().ok().map(|n| n.to_string()).as_deref(),
                parsed,
                "{text}"
            );
        }
        let host_bits: IpNet = "10.1.0.1/16".parse().unwrap();
        assert_eq!(
            PrefixText::from(host_bits),
            PrefixText::Written("10.1.0.1/16".into())
        );
    }

    #[test]
    fn prefix_text_reads_and_writes_as_a_string_in_json_and_yaml() {
        let json = r#"["10.0.0.0/8","10.0.0.1/8","fd00::\u0031/128"]"#;
        let list: Vec<PrefixText> = serde_json::from_str(json).unwrap();
        assert_eq!(
            list,
            vec![
                PrefixText::Canonical("10.0.0.0/8".parse().unwrap()),
                PrefixText::Written("10.0.0.1/8".into()),
                // An escaped string is decoded first.
                PrefixText::Canonical("fd00::1/128".parse().unwrap()),
            ]
        );
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"["10.0.0.0/8","10.0.0.1/8","fd00::1/128"]"#
        );
        let yaml: Vec<PrefixText> = crate::read::from_yaml("[10.0.0.0/8, 10.0.0.1/8]").unwrap();
        assert_eq!(yaml, list[..2].to_vec());
        // A value of another kind gets the message a string field gets.
        let e = serde_json::from_str::<Vec<PrefixText>>("[8]").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid type: integer `8`, expected a string"),
            "{e}"
        );
    }

    #[test]
    fn origin_places_follow_the_longest_recorded_field() {
        let o = Origin {
            file: "f.json".into(),
            path: "value[3]".into(),
            id: "/x".into(),
            fields: Vec::new(),
        }
        .with(
            "address_space",
            "value[3].properties.addressSpace.addressPrefixes",
        )
        .with("p2s", "value[3].vpnClientConfiguration")
        .with(
            "p2s.tunnel_types",
            "value[3].vpnClientConfiguration.vpnClientProtocols",
        );
        assert_eq!(
            o.place("address_space[1]"),
            "value[3].properties.addressSpace.addressPrefixes[1]"
        );
        assert_eq!(
            o.place("p2s.tunnel_types[0]"),
            "value[3].vpnClientConfiguration.vpnClientProtocols[0]"
        );
        assert_eq!(
            o.place("p2s.address_pool[2]"),
            "value[3].vpnClientConfiguration"
        );
        // Not a field boundary, not recorded, the element itself: the resource's own path.
        assert_eq!(o.place("address_spaces"), "value[3]");
        assert_eq!(o.place("name"), "value[3]");
        assert_eq!(o.place(""), "value[3]");
    }
}
