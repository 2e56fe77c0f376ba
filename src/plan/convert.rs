//! `convert`: a plan in any format written in the Public API's rules form, which every tool that
//! reads Segment plans takes and which diffs well in git.

use serde_json::{Map, Value};

use super::compile::build_plan;
use super::formats::{self, Format};
use super::rules::SETTINGS;
use super::schema;
use crate::config::ConfigError;

/// A plan converted to the Public API's rules form.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// `{"name"?, "rules": [{"type", "key", "version"?, "jsonSchema"}], <settings given>}`: a
    /// rule's `version` when the plan gave one.
    pub plan: Value,
    /// The format it was read from.
    pub format: Format,
    /// What was read with a warning (a `$schema` read as the draft it nearly names, rules that
    /// sit where their tool never reads them).
    pub warnings: Vec<String>,
}

/// Reads a plan in any format and writes it in the Public API's rules form: one rule per event
/// (and per call type), each schema of the whole message, with `$schema`s and identifiers as
/// they are compiled. The result gives every message the same answer as the plan it came from:
/// it is refused for the same reasons, and a plan that would not compile is not converted.
///
/// ```
/// use astrolabe_segment::plan::convert;
/// use serde_json::json;
///
/// let legacy = json!({"display_name": "Web", "rules": {"events": [
///     {"name": "Signed Up", "version": 1, "rules": {"properties": {"properties": {"required": ["plan"]}}}}
/// ]}});
/// let converted = convert(&legacy).unwrap();
/// assert_eq!(converted.plan, json!({"name": "Web", "rules": [
///     {"type": "TRACK", "key": "Signed Up", "version": 1,
///      "jsonSchema": {"properties": {"properties": {"required": ["plan"]}}}}
/// ]}));
/// ```
pub fn convert(plan: &Value) -> Result<Converted, ConfigError> {
    let source = formats::read(plan).map_err(ConfigError::new)?;
    let mut rules = Vec::with_capacity(source.rules.len());
    for rule in &source.rules {
        let mut written = Map::new();
        written.insert(String::from("type"), Value::from(rule.kind.as_str()));
        written.insert(String::from("key"), Value::from(rule.key.as_str()));
        if let Some(version) = &rule.version {
            written.insert(String::from("version"), Value::Number(version.clone()));
        }
        // Problems and warnings are the compiler's to report, below.
        let schema =
            schema::prepare(&rule.schema, &mut Vec::new()).unwrap_or_else(|_| rule.schema.clone().into_owned());
        written.insert(String::from("jsonSchema"), schema);
        rules.push(Value::Object(written));
    }
    let mut out = Map::new();
    if let Some(name) = source.name {
        out.insert(String::from("name"), Value::from(name));
    }
    out.insert(String::from("rules"), Value::Array(rules));
    if let Value::Object(given) = plan {
        for key in SETTINGS {
            if let Some(value) = given.get(key).filter(|value| !value.is_null()) {
                out.insert(key.to_owned(), value.clone());
            }
        }
    }
    let format = source.format;
    let compiled = build_plan(source)?;
    Ok(Converted { plan: Value::Object(out), format, warnings: compiled.warnings().to_vec() })
}
