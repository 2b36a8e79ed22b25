//! The native topology format, in YAML or JSON (detected by the first non-blank character).

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::model::{schema::NativeFile, TopologyError};

fn error(file: &str, place: String, message: String) -> TopologyError {
    TopologyError {
        file: file.to_string(),
        place,
        message,
    }
}

/// Parses one native file. `file` is only used in error messages.
pub fn parse_native(file: &str, text: &str) -> Result<NativeFile, TopologyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    match first {
        None => Err(error(
            file,
            String::new(),
            "the file is empty; a topology needs at least `vnets:`".into(),
        )),
        Some(_) => parse_document(file, text),
    }
}

/// Parses a YAML or JSON document (JSON when it starts with `{` or `[`) into `T`, with errors
/// that give the line and column (and the JSON path) and say what to do about common mistakes.
pub fn parse_document<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, TopologyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().chars().next() {
        Some('{') | Some('[') => parse_json(file, text),
        _ => parse_yaml(file, text),
    }
}

/// A native JSON file parsed without tracking the JSON path (which costs a `String` per map
/// key): `None` on any error, and the caller parses again through [`parse_native`] for the
/// located message.
pub(crate) fn parse_native_json_fast(text: &str) -> Option<NativeFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() >= PARALLEL_FROM {
        if let Some(file) = parse_native_json_parallel(text) {
            return Some(file);
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde::Deserialize::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// From this size on, a native JSON file is parsed on all threads (below, the split and the
/// threads cost more than they save).
const PARALLEL_FROM: usize = 1 << 20;

/// [`parse_native_json_fast`] on all threads: the top-level lists' elements one by one, the
/// rest of the file once (see [`json_split`](super::json_split)). The same file as the serial
/// parse; `None` on anything else, for the serial parse to decide.
fn parse_native_json_parallel(text: &str) -> Option<NativeFile> {
    use rayon::prelude::*;
    fn each<T: DeserializeOwned + Send>(text: &str, elements: &[Range<usize>]) -> Option<Vec<T>> {
        elements
            .par_iter()
            .map(|r| serde_json::from_str(&text[r.clone()]).ok())
            .collect()
    }
    let split = super::json_split::top_level_lists(text)?;
    let mut file: NativeFile = serde_json::from_str(&split.shell).ok()?;
    for (key, elements) in &split.lists {
        match *key {
            "vnets" => file.vnets = each(text, elements)?,
            "peerings" => file.peerings = each(text, elements)?,
            "local_networks" => file.local_networks = each(text, elements)?,
            "connections" => file.connections = each(text, elements)?,
            _ => return None,
        }
    }
    Some(file)
}

fn parse_json<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, TopologyError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let place = if path == "." || path.is_empty() {
            format!("line {}, column {}", inner.line(), inner.column())
        } else {
            format!("{path} (line {}, column {})", inner.line(), inner.column())
        };
        error(file, place, explain_serde(&inner.to_string()))
    })
}

fn parse_yaml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, TopologyError> {
    from_yaml::<T>(text).map_err(|(e, place)| error(file, place, explain_serde(&yaml_message(&e))))
}

/// Deserializes YAML; an error comes with its place: the line and column where the parser
/// knows them, else the path to the value (`vnets[1].gateway`), which is all a check made
/// after a mapping was read (a field given twice through a tag, say) can tell.
pub(crate) fn from_yaml<T: DeserializeOwned>(
    text: &str,
) -> Result<T, (serde_saphyr::Error, String)> {
    let mut path = String::new();
    serde_saphyr::with_deserializer_from_str(text, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            path = e.path().to_string();
            e.into_inner()
        })
    })
    .map_err(|e| {
        let place = match e.location() {
            Some(l) => format!("line {}, column {}", l.line(), l.column()),
            None if path == "." => String::new(),
            None => path,
        };
        (e, place)
    })
}

/// A YAML parser error in the user's words: the parser's own limits (its "budget") say what was
/// too big, the limit, and what to do, instead of `YAML budget breached: Nodes { nodes: 250001 }`.
pub fn yaml_message(e: &serde_saphyr::Error) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let limits = serde_saphyr::Budget::default();
    let json = "p2s-sim reads at most that much from one YAML file (no flag raises it); \
                a larger file can be given as JSON, which has no such limit";
    let e = e.without_snippet();
    if e.to_string().contains("recursion limit exceeded") {
        return "the YAML nests lists or mappings too deeply (the parser's recursion limit); real files nest a few levels"
            .into();
    }
    match e {
        serde_saphyr::Error::Message { msg, .. } => msg.clone(),
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            B::Nodes { .. } => format!(
                "the YAML holds more than {} values (lists, mappings and scalars); {json}",
                limits.max_nodes
            ),
            B::Events { .. } => format!(
                "the YAML holds more than {} parser events; {json}",
                limits.max_events
            ),
            B::ScalarBytes { .. } => format!(
                "the YAML's text values add up to more than {} MiB; {json}",
                limits.max_total_scalar_bytes >> 20
            ),
            B::Depth { .. } => format!(
                "the YAML nests lists or mappings more than {} levels deep; real files nest a few levels",
                limits.max_depth
            ),
            B::Aliases { .. } | B::Anchors { .. } | B::AliasAnchorRatio { .. } | B::MergeKeys { .. } => format!(
                "the YAML uses too many anchors, aliases (*name) or merge keys (at most {} aliases, {} anchors, \
                 {} merge keys, and not more than {} aliases per anchor): a file that expands itself like this is refused",
                limits.max_aliases,
                limits.max_anchors,
                limits.max_merge_keys,
                limits.alias_anchor_ratio_multiplier
            ),
            B::Documents { .. } => format!(
                "the file holds more than {} YAML documents (`---`); give one topology per file",
                limits.max_documents
            ),
            other => format!("the YAML is too large or malformed for the parser's limits ({other:?})"),
        },
        other => other.to_string(),
    }
}

/// Serde's messages name the problem; drop the position they repeat and add what to do about
/// the common ones.
fn explain_serde(message: &str) -> String {
    let mut message = message.split(" at line ").next().unwrap_or(message).trim();
    // serde-saphyr prefixes its messages with "error: line N column M: ".
    if let Some(rest) = message.strip_prefix("error: line ") {
        if let Some((_, text)) = rest.split_once(": ") {
            message = text;
        }
    }
    let message = message.to_string();
    if message.starts_with("unknown field") {
        format!("{message} (check the spelling)")
    } else if message.starts_with("missing field") {
        format!("{message} (add it)")
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_give_the_same_file() {
        let yaml = "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n";
        let json = r#"{"vnets": [{"name": "hub", "address_space": ["10.0.0.0/16"]}]}"#;
        assert_eq!(
            parse_native("a", yaml).unwrap(),
            parse_native("b", json).unwrap()
        );
    }

    #[test]
    fn unknown_field_is_located() {
        let yaml = "vnets:\n  - name: hub\n    adress_space: [10.0.0.0/16]\n";
        let e = parse_native("t.yaml", yaml).unwrap_err();
        assert!(e.message.contains("adress_space"), "{e}");
        // serde-saphyr locates an unknown field at the start of its mapping (the list entry).
        assert!(e.place.contains("line 2"), "{e}");
        let json = "{\"vnets\": [{\"name\": \"hub\", \"adress_space\": []}]}";
        let e = parse_native("t.json", json).unwrap_err();
        assert!(e.place.starts_with("vnets[0]"), "{e}");
    }

    /// The parallel parse gives the file the serial parse gives, on a generated topology with
    /// every list (pretty and compact), and leaves whatever is wrong to the serial parse.
    #[test]
    fn the_parallel_parse_is_the_serial_parse() {
        let topology = crate::model::generate::generate(&crate::model::generate::GenerateOptions {
            hubs: 4,
            spokes_per_hub: 6,
            prefixes_per_vnet: 3,
            local_networks: 2,
            v2v_mesh: true,
            bgp: true,
            ..Default::default()
        })
        .unwrap();
        let native = crate::model::to_native(&topology);
        for text in [
            serde_json::to_string(&native).unwrap(),
            serde_json::to_string_pretty(&native).unwrap(),
        ] {
            let serial: NativeFile = serde_json::from_str(&text).unwrap();
            assert!(!serial.peerings.is_empty() && !serial.connections.is_empty());
            assert!(!serial.local_networks.is_empty());
            assert_eq!(parse_native_json_parallel(&text), Some(serial));
        }
        // An unknown field inside an element, an unknown list, a list given twice, a trailing
        // comma, brackets that do not match: the parallel parse declines, as the serial parse
        // refuses.
        for bad in [
            r#"{"vnets": [{"name": "a", "adress_space": []}]}"#,
            r#"{"vnets": [], "spokes": [1]}"#,
            r#"{"vnets": [], "vnets": []}"#,
            r#"{"vnets": [{"name": "a"},]}"#,
            r#"{"vnets": [{"name": "a"]}"#,
            r#"{"vnets": [{"name": "a"}}, "peerings": []]}"#,
        ] {
            assert_eq!(parse_native_json_parallel(bad), None, "{bad}");
            assert!(serde_json::from_str::<NativeFile>(bad).is_err(), "{bad}");
        }
    }
}
