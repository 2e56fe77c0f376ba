//! A rule's JSON Schema made ready to compile, keyword by keyword: nothing a real plan carries may
//! stop it compiling or be dropped in silence.
//!
//! - **`$schema`.** A known draft's URI passes. One that names a draft in another spelling
//!   (`https://json-schema.org/2019-09/schema`, without `draft/`; `draft-07` without `#`) is read
//!   as that draft, with a warning at build time; the schema crate would otherwise treat it as an
//!   unknown meta-schema and skip the draft's keywords (`minContains` went unchecked). Anything
//!   else is refused, naming the drafts there are.
//! - **Identifiers.** Generators write draft-04 `id`s such as `/properties/properties/properties/
//!   optional any`, which ajv compiles but which are not URI references. Every `id`/`$id` and
//!   every `$ref` is percent-encoded where a URI cannot hold a character as it is: a valid one is
//!   unchanged, and a `$ref` still finds the `id` it names.
//! - **Patterns.** A subroutine call (`\g`) is refused (see [`no_subroutine`]).
//!
//! Only keywords are walked: property names, and the values of `enum`, `const`, `default` and
//! `examples`, are data and are never rewritten.

use std::collections::BTreeSet;

use serde_json::Value;

use super::compile::quoted;
use crate::quote::quote;

/// The drafts the schema crate implements: how another spelling names each (letters and digits
/// only, lower case), and its canonical URI.
const DRAFTS: [(&[&str], &str); 5] = [
    (&["202012"], "https://json-schema.org/draft/2020-12/schema"),
    (&["201909"], "https://json-schema.org/draft/2019-09/schema"),
    (&["draft07", "draft7"], "http://json-schema.org/draft-07/schema#"),
    (&["draft06", "draft6"], "http://json-schema.org/draft-06/schema#"),
    (&["draft04", "draft4"], "http://json-schema.org/draft-04/schema#"),
];

/// Keywords whose value is one schema.
pub(crate) const ONE_SCHEMA: [&str; 12] = [
    "additionalProperties",
    "additionalItems",
    "items",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value is an array of schemas (`items` may be either).
pub(crate) const SCHEMA_LISTS: [&str; 5] = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];

/// Keywords whose value maps names to schemas (`dependencies` maps to a schema or a name list).
pub(crate) const SCHEMA_MAPS: [&str; 6] =
    ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"];

/// The schema ready to compile, or why it cannot be. `warnings` gets a sentence for each
/// `$schema` read as the draft it nearly names.
pub(crate) fn prepare(schema: &Value, warnings: &mut Vec<String>) -> Result<Value, String> {
    let mut schema = schema.clone();
    let mut problem = None;
    each_keyword(&mut schema, &mut |key, value| {
        if problem.is_some() {
            return;
        }
        match (key, value) {
            ("$schema", Value::String(uri)) => match draft_of(uri) {
                Draft::Known => {}
                Draft::Nearly(canonical) => {
                    warnings.push(format!(
                        "\"$schema\" {} is not a JSON Schema draft's URI; it is read as {}",
                        quoted(uri),
                        quoted(canonical)
                    ));
                    *uri = canonical.to_owned();
                }
                Draft::Unknown => {
                    let known: Vec<&str> = DRAFTS.iter().map(|(_, uri)| *uri).collect();
                    problem = Some(format!(
                        "\"$schema\" {} is not a JSON Schema draft this plan reader knows (the drafts are {})",
                        quoted(uri),
                        known.join(", ")
                    ));
                }
            },
            ("id" | "$id" | "$ref", Value::String(uri)) => {
                if let Some(encoded) = encoded(uri) {
                    *uri = encoded;
                }
            }
            ("pattern", Value::String(pattern)) => problem = no_subroutine(pattern).err(),
            ("patternProperties", Value::Object(patterns)) => {
                problem = patterns.keys().try_for_each(|pattern| no_subroutine(pattern)).err();
            }
            _ => {}
        }
    });
    match problem {
        Some(problem) => Err(problem),
        None => Ok(schema),
    }
}

/// Re-points the `#` and `#/...` references of `schema` for when it is put at `at` (a JSON
/// Pointer, `/properties/properties`) inside another schema. Anchors (`#name`) find their
/// subschema wherever it is, and are kept.
pub(crate) fn move_references(schema: &mut Value, at: &str) {
    each_keyword(schema, &mut |key, value| {
        if let ("$ref", Value::String(reference)) = (key, value) {
            if let Some(pointer) = reference.strip_prefix('#').filter(|rest| rest.is_empty() || rest.starts_with('/')) {
                *reference = format!("#{at}{pointer}");
            }
        }
    });
}

/// Calls `visit` with each keyword of `schema` and of every schema inside it.
fn each_keyword(schema: &mut Value, visit: &mut dyn FnMut(&str, &mut Value)) {
    let Value::Object(members) = schema else { return };
    for (key, value) in members.iter_mut() {
        visit(key, value);
        for child in subschemas_mut(key, value) {
            each_keyword(child, visit);
        }
    }
}

/// The schemas inside the value of keyword `key`.
fn subschemas_mut<'v>(key: &str, value: &'v mut Value) -> Vec<&'v mut Value> {
    if SCHEMA_MAPS.contains(&key) {
        if let Value::Object(map) = value {
            return map.values_mut().collect();
        }
    } else if ONE_SCHEMA.contains(&key) && value.is_object() {
        return vec![value];
    }
    match value {
        Value::Array(items) if SCHEMA_LISTS.contains(&key) => items.iter_mut().collect(),
        _ => Vec::new(),
    }
}

enum Draft {
    /// A URI the schema crate knows.
    Known,
    /// Another spelling of a draft: its canonical URI.
    Nearly(&'static str),
    /// No draft.
    Unknown,
}

/// What `$schema` `uri` names.
fn draft_of(uri: &str) -> Draft {
    let bare = uri.trim_end_matches('#');
    let spelled = ["https://", "http://"].iter().any(|scheme| {
        bare.strip_prefix(scheme).is_some_and(|rest| {
            DRAFTS.iter().any(|(_, canonical)| {
                let canonical = canonical.trim_end_matches('#');
                canonical.split_once("//").is_some_and(|(_, path)| path == rest)
            }) || rest == "json-schema.org/schema"
        })
    });
    if spelled {
        return Draft::Known;
    }
    // Only URIs on json-schema.org name a draft at all; a custom meta-schema is not one.
    let lower = bare.to_ascii_lowercase();
    if !lower.contains("json-schema.org") {
        return Draft::Unknown;
    }
    let letters: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    let found: Vec<&'static str> = DRAFTS
        .iter()
        .filter(|(names, _)| names.iter().any(|name| letters.contains(name)))
        .map(|(_, canonical)| *canonical)
        .collect();
    match found.as_slice() {
        [one] => Draft::Nearly(one),
        _ => Draft::Unknown,
    }
}

/// `uri` percent-encoded where a URI reference cannot hold a character as it is (a space, a
/// non-ASCII letter, a `%` that starts no escape), or `None` when it is a URI reference already.
fn encoded(uri: &str) -> Option<String> {
    let bytes = uri.as_bytes();
    let escape_at = |at: usize| {
        bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit) && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit)
    };
    let allowed = |at: usize, byte: u8| {
        byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte) || (byte == b'%' && escape_at(at))
    };
    if bytes.iter().enumerate().all(|(at, byte)| allowed(at, *byte)) {
        return None;
    }
    let mut out = String::with_capacity(uri.len() + 8);
    for (at, byte) in bytes.iter().enumerate() {
        if allowed(at, *byte) {
            out.push(char::from(*byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            for nibble in [byte >> 4, byte & 0xF] {
                out.push(char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0')));
            }
        }
    }
    Some(out)
}

/// Refuses the patterns that the regex engine would expand without bound before any limit
/// applies: a subroutine call (`\g0`, `\g<name>`) is not ECMA-262, and one that calls the whole
/// pattern from inside it took 7 GB to compile (found by fuzzing).
fn no_subroutine(pattern: &str) -> Result<(), String> {
    let mut escaped = false;
    for ch in pattern.chars() {
        if escaped && ch == 'g' {
            return Err(format!(
                "the pattern {} has \\g, a subroutine call, which JSON Schema's patterns (ECMA-262) do not have",
                quote(pattern)
            ));
        }
        escaped = !escaped && ch == '\\';
    }
    Ok(())
}

/// The names a whole-message schema plans under `properties.<field>.properties`, its own and
/// those of the schemas its top-level `allOf` joins.
pub(crate) fn planned_names(schema: &Value, field: &str) -> BTreeSet<String> {
    let own =
        schema.get("properties").and_then(|properties| properties.get(field)).and_then(|field| field.get("properties"));
    let joined = schema.get("allOf").and_then(Value::as_array).into_iter().flatten();
    own.and_then(Value::as_object)
        .into_iter()
        .flat_map(|names| names.keys().cloned())
        .chain(joined.flat_map(|part| planned_names(part, field)))
        .collect()
}

/// Each path below `path` where `schema` gives `format: "email"`, followed through `properties`
/// (JSON Pointers' tokens into the message the schema describes), added to `out` once each.
pub(crate) fn email_fields(schema: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    // Plans nest a few levels; a deeper schema is not followed (nor can it recurse for ever).
    if path.len() > 16 {
        return;
    }
    if schema.get("format").and_then(Value::as_str) == Some("email") && !path.is_empty() && !out.contains(path) {
        out.push(path.clone());
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, inner) in properties {
            path.push(name.clone());
            email_fields(inner, path, out);
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prepared(schema: Value) -> (Value, Vec<String>) {
        let mut warnings = Vec::new();
        let out = prepare(&schema, &mut warnings).unwrap();
        (out, warnings)
    }

    #[test]
    fn known_drafts_pass_unchanged() {
        for uri in [
            "http://json-schema.org/draft-04/schema#",
            "http://json-schema.org/draft-07/schema",
            "https://json-schema.org/draft/2020-12/schema",
            "https://json-schema.org/draft/2019-09/schema#",
            "https://json-schema.org/schema",
        ] {
            let schema = json!({"$schema": uri, "type": "object"});
            let mut warnings = Vec::new();
            assert_eq!(prepare(&schema, &mut warnings).unwrap(), schema, "{uri}");
            assert!(warnings.is_empty());
        }
    }

    #[test]
    fn a_draft_in_another_spelling_is_read_as_that_draft_with_a_warning() {
        let (out, warnings) = prepared(json!({"properties": {"properties": {
            "$schema": "https://json-schema.org/2019-09/schema", "minContains": 2}}}));
        assert_eq!(out["properties"]["properties"]["$schema"], "https://json-schema.org/draft/2019-09/schema");
        assert_eq!(
            warnings,
            ["\"$schema\" \"https://json-schema.org/2019-09/schema\" is not a JSON Schema draft's URI; it is read as \"https://json-schema.org/draft/2019-09/schema\""]
        );
        let (out, _) = prepared(json!({"$schema": "http://json-schema.org/draft7/schema"}));
        assert_eq!(out["$schema"], "http://json-schema.org/draft-07/schema#");
    }

    #[test]
    fn an_unknown_meta_schema_is_refused() {
        let mut warnings = Vec::new();
        let error = prepare(&json!({"$schema": "https://example.com/my-meta"}), &mut warnings).unwrap_err();
        assert!(error.starts_with("\"$schema\" \"https://example.com/my-meta\" is not a JSON Schema draft"), "{error}");
        let error = prepare(&json!({"$schema": "http://json-schema.org/draft-03/schema#"}), &mut warnings).unwrap_err();
        assert!(error.contains("draft-03"), "{error}");
    }

    #[test]
    fn ids_and_refs_that_are_not_uri_references_are_encoded_alike() {
        let (out, warnings) = prepared(json!({
            "$schema": "http://json-schema.org/draft-04/schema#",
            "id": "http://example.com/plan",
            "properties": {"properties": {"id": "/properties/properties", "properties": {
                "optional any": {"id": "/properties/properties/properties/optional any"},
                "again": {"$ref": "/properties/properties/properties/optional any"},
                "id": {"type": "string", "enum": ["a b"], "default": {"id": "x y"}}
            }}}
        }));
        assert!(warnings.is_empty());
        let inner = &out["properties"]["properties"]["properties"];
        assert_eq!(inner["optional any"]["id"], "/properties/properties/properties/optional%20any");
        assert_eq!(inner["again"]["$ref"], "/properties/properties/properties/optional%20any");
        // Data is never rewritten: property names, enum values, defaults.
        assert_eq!(inner["id"], json!({"type": "string", "enum": ["a b"], "default": {"id": "x y"}}));
        assert_eq!(out["id"], "http://example.com/plan");
    }

    #[test]
    fn references_are_moved_with_their_schema() {
        let mut schema = json!({"properties": {"a": {"$ref": "#/definitions/a"}, "b": {"$ref": "#"},
            "c": {"$ref": "#anchor"}, "d": {"$ref": "other.json#/x"}, "e": {"enum": [{"$ref": "#/x"}]}}});
        move_references(&mut schema, "/properties/properties");
        assert_eq!(
            schema,
            json!({"properties": {"a": {"$ref": "#/properties/properties/definitions/a"},
                "b": {"$ref": "#/properties/properties"}, "c": {"$ref": "#anchor"}, "d": {"$ref": "other.json#/x"},
                "e": {"enum": [{"$ref": "#/x"}]}}})
        );
    }

    #[test]
    fn a_percent_that_starts_an_escape_is_kept() {
        assert_eq!(encoded("#/definitions/a%20b"), None);
        assert_eq!(encoded("#/definitions/100%").as_deref(), Some("#/definitions/100%25"));
        assert_eq!(encoded("urn:é").as_deref(), Some("urn:%C3%A9"));
    }

    #[test]
    fn subroutine_calls_are_refused_in_patterns_only() {
        let mut warnings = Vec::new();
        assert!(prepare(&json!({"pattern": "(a)\\g1"}), &mut warnings).is_err());
        assert!(prepare(&json!({"patternProperties": {"\\g<x>": {}}}), &mut warnings).is_err());
        assert!(prepare(&json!({"enum": [{"pattern": "\\g1"}]}), &mut warnings).is_ok());
        assert!(prepare(&json!({"pattern": "\\\\g"}), &mut warnings).is_ok());
    }
}
