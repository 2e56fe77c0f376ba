//! Every plan format users have, read as it is and told apart by its shape, into one list of
//! rules in the Public API's terms (the form [`compile`](super::compile) builds and
//! [`convert`](super::convert) writes).
//!
//! | format | its shape | where a rule's schema sits |
//! |---|---|---|
//! | Segment Public API | `"rules": [...]`, or the list call's `{"data": {"rules": [...]}}` | `jsonSchema`, the whole message |
//! | Typewriter v8 `plan.json` | the Public API's, each `jsonSchema` with `eventMetadata` | the event's properties only |
//! | Segment Config API (legacy, as Typewriter v7 keeps it) | `"rules": {"events": [...], "global"?, "identify"?, "group"?, ...}` | `rules` of each event, the whole message |
//! | RudderStack (legacy, as rudder-transformer reads it) | the Config API's, with `version`, event `id`s and `rules.page`/`screen` | the same |
//! | Typewriter's older local file (v3 to v6) | `"events": [...]` beside `name` or `identify_traits` | `rules` of each event, the whole message |
//! | RudderStack Data Catalog | `"events": [...]`, each with `eventType` | `rules` of each event, the whole message |
//! | Avo export | `"events": [...]`, each `rules` with `nameMapping` | `rules.properties.properties`, the event's properties |
//!
//! The settings (`violations`, `unplannedEvents`, `unplannedProperties`) may sit beside any of
//! them: `{...file, violations: "block"}`. Every key each format is known to carry is read or
//! ignored on purpose (docs/plans.md has the table); any other key is refused, naming the keys
//! there are. A shape that fits no format, or two, is refused with what was seen and what each
//! format needs.

mod avo;
mod catalog;
mod events;
pub(crate) mod public_api;

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

use super::rules::{PlanConfig, RuleType, SETTINGS};
use crate::quote::quote;
use crate::spec::ids::json_type_name;

/// The formats, in the order the docs list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Segment's Public API: a rules list.
    SegmentPublicApi,
    /// Typewriter v8's `plan.json`: a Public API plan whose schemas describe properties only.
    TypewriterPlan,
    /// Segment's legacy Config API, as Typewriter v7 keeps it.
    SegmentConfigApi,
    /// RudderStack's legacy tracking plan, as rudder-transformer reads it.
    RudderStackLegacy,
    /// Typewriter's older local file (v3 to v6).
    TypewriterLocal,
    /// RudderStack's Data Catalog API.
    RudderStackCatalog,
    /// Avo's JSON Schema export.
    Avo,
}

impl Format {
    /// The format's name in sentences.
    pub const fn name(self) -> &'static str {
        match self {
            Format::SegmentPublicApi => "a Segment Public API plan",
            Format::TypewriterPlan => "a Typewriter v8 plan.json",
            Format::SegmentConfigApi => "a Segment Config API plan",
            Format::RudderStackLegacy => "a RudderStack tracking plan",
            Format::TypewriterLocal => "a Typewriter local plan (v3 to v6)",
            Format::RudderStackCatalog => "a RudderStack Data Catalog plan",
            Format::Avo => "an Avo export",
        }
    }
}

/// One rule, whatever format it came from.
#[derive(Debug, Clone)]
pub(crate) struct SourceRule<'p> {
    pub kind: RuleType,
    /// The event name of a TRACK rule; empty for the others.
    pub key: String,
    /// A TRACK rule's event version (Protocols' `context.protocols.event_version`).
    pub version: Option<Number>,
    /// The JSON Schema of the whole message.
    pub schema: Cow<'p, Value>,
    /// Where the rule is in the file: `rules/3`, `rules/events/0`, `events/12`.
    pub place: String,
}

/// A plan read from its file: its format, its rules and settings, and what was read with a
/// warning.
#[derive(Debug)]
pub(crate) struct Source<'p> {
    pub format: Format,
    /// The plan's own name, when it has one (kept by `convert`).
    pub name: Option<&'p str>,
    pub rules: Vec<SourceRule<'p>>,
    pub settings: PlanConfig,
    pub warnings: Vec<String>,
}

/// What a format reader gives: the rules, and warnings for what it read in a way the file may
/// not have meant.
#[derive(Default)]
struct Reading<'p> {
    rules: Vec<SourceRule<'p>>,
    warnings: Vec<String>,
}

/// One format: how it is recognized and read.
struct Shape {
    format: Format,
    /// What a plan of this format has, for the error when none fits.
    needs: &'static str,
    fits: fn(&Map<String, Value>) -> bool,
    /// The keys beside the rules that the format carries (read or ignored on purpose).
    keys: &'static [&'static str],
    read: for<'p> fn(&'p Map<String, Value>) -> Result<(Format, Reading<'p>), String>,
}

const SHAPES: [Shape; 5] = [
    Shape {
        format: Format::SegmentPublicApi,
        needs: "\"rules\": an array of rules ({\"type\": \"TRACK\", \"key\": ..., \"jsonSchema\": {...}}), or \"data\": {\"rules\": [...]}",
        fits: public_api::fits,
        keys: &public_api::KEYS,
        read: public_api::read,
    },
    Shape {
        format: Format::SegmentConfigApi,
        needs: "\"rules\": an object with \"events\": [{\"name\": ..., \"rules\": {...}}] (or \"global\", \"identify\", \"group\")",
        fits: events::fits_rules_object,
        keys: &events::RULES_OBJECT_KEYS,
        read: events::read_rules_object,
    },
    Shape {
        format: Format::TypewriterLocal,
        needs: "\"events\": [{\"name\": ..., \"rules\": {...}}] without \"eventType\"",
        fits: events::fits_local,
        keys: &events::LOCAL_KEYS,
        read: events::read_local,
    },
    Shape {
        format: Format::RudderStackCatalog,
        needs: "\"events\": [{\"name\": ..., \"eventType\": ..., \"rules\": {...}}]",
        fits: catalog::fits,
        keys: &catalog::KEYS,
        read: catalog::read,
    },
    Shape {
        format: Format::Avo,
        needs: "\"events\": [{\"id\": ..., \"name\": ..., \"rules\": {\"nameMapping\": [...], \"properties\": {...}}}]",
        fits: avo::fits,
        keys: &avo::KEYS,
        read: avo::read,
    },
];

/// Reads a plan in any format. Errors name the place in the file (`rules/events/3 ("Order
/// Completed")`) or, for a shape no format fits, what was seen and what each format needs.
pub(crate) fn read(plan: &Value) -> Result<Source<'_>, String> {
    let Value::Object(map) = plan else {
        return Err(format!("a tracking plan must be an object (a plan file's JSON), not {}", json_type_name(plan)));
    };
    let fitting: Vec<&Shape> = SHAPES.iter().filter(|shape| (shape.fits)(map)).collect();
    let shape = match fitting.as_slice() {
        [one] => *one,
        [] => return Err(no_format(map)),
        several => {
            let names: Vec<String> =
                several.iter().map(|shape| format!("{} ({})", shape.format.name(), shape.needs)).collect();
            return Err(format!(
                "the plan fits more than one format, so it is not clear how to read it: it has the keys {}, and could be {}; remove the keys of the format it is not",
                listed(map.keys()),
                names.join(" or ")
            ));
        }
    };
    let mut problems = unknown_keys(map, shape.keys, &SETTINGS);
    let settings = PlanConfig::from_map(map, &mut problems);
    let read = (shape.read)(map);
    let (format, reading) = match read {
        Ok(read) => read,
        Err(problem) => {
            problems.push(problem);
            return Err(problems.join("; "));
        }
    };
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(Source {
        format,
        name: map.get("name").or_else(|| map.get("display_name")).and_then(Value::as_str),
        rules: reading.rules,
        settings,
        warnings: reading.warnings,
    })
}

/// The error for a shape that fits no format.
fn no_format(map: &Map<String, Value>) -> String {
    let seen = if map.is_empty() { String::from("no keys") } else { format!("the keys {}", listed(map.keys())) };
    let needs: Vec<String> =
        SHAPES.iter().map(|shape| format!("{} has {}", shape.format.name(), shape.needs)).collect();
    format!("the plan's format cannot be told from its shape: it has {seen}. {}", needs.join("; "))
}

/// `"a", "b", "c"`.
fn listed<'k>(keys: impl Iterator<Item = &'k String>) -> String {
    keys.map(|key| quote(key)).collect::<Vec<_>>().join(", ")
}

/// `unknown key "x" (the keys are ...)` for each key of `object` that is neither in `known` nor
/// in `also`.
pub(crate) fn unknown_keys(object: &Map<String, Value>, known: &[&str], also: &[&str]) -> Vec<String> {
    object
        .keys()
        .filter(|key| !known.contains(&key.as_str()) && !also.contains(&key.as_str()))
        .map(|key| {
            let all: Vec<&str> = known.iter().chain(also).copied().collect();
            format!("unknown key {} (the keys are {})", quote(key), all.join(", "))
        })
        .collect()
}

/// The members of `value` at `place`, or a problem saying it is not an object.
fn object_at<'v>(value: &'v Value, place: &str) -> Result<&'v Map<String, Value>, String> {
    value.as_object().ok_or_else(|| format!("{place} must be an object, not {}", json_type_name(value)))
}

/// A string member, absent or null as `None`.
fn text_member<'v>(object: &'v Map<String, Value>, key: &str, place: &str) -> Result<Option<&'v str>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(format!("{place}: \"{key}\" must be a string, not {}", json_type_name(other))),
    }
}

/// The schema of a message whose `field` (`properties` or `traits`) `inner` describes: the
/// form of Typewriter v8's and Avo's rules, which describe the event's properties only.
///
/// `inner` keeps what it says: its `$schema` becomes the rule's (so the draft is the same), its
/// `#...` references are re-pointed under `properties/<field>` so they still find what they
/// named, and when it requires any key the message must carry `field` at all, as in a
/// whole-message rule Segment writes.
pub(crate) fn whole_message(field: &str, mut inner: Value) -> Value {
    let mut rule = Map::new();
    if let Some(draft) = inner.as_object_mut().and_then(|members| members.remove("$schema")) {
        rule.insert(String::from("$schema"), draft);
    }
    super::schema::move_references(&mut inner, &format!("/properties/{field}"));
    let requires = inner.get("required").and_then(Value::as_array).is_some_and(|required| !required.is_empty());
    rule.insert(String::from("type"), Value::from("object"));
    if requires {
        rule.insert(String::from("required"), Value::from(vec![Value::from(field)]));
    }
    let mut properties = Map::new();
    properties.insert(field.to_owned(), inner);
    rule.insert(String::from("properties"), Value::Object(properties));
    Value::Object(rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(plan: Value) -> String {
        read(&plan).unwrap_err()
    }

    #[test]
    fn a_shape_no_format_fits_says_what_each_needs() {
        let error = refused(json!({"plan": []}));
        assert!(
            error.starts_with("the plan's format cannot be told from its shape: it has the keys \"plan\"."),
            "{error}"
        );
        for format in SHAPES.iter().map(|shape| shape.format) {
            assert!(error.contains(format.name()), "{error}");
        }
        assert!(refused(json!({})).contains("it has no keys"));
        assert_eq!(refused(json!([])), "a tracking plan must be an object (a plan file's JSON), not an array");
    }

    #[test]
    fn a_shape_two_formats_fit_is_refused_naming_both() {
        let error = refused(json!({"rules": [], "events": [{"name": "E", "rules": {}}]}));
        assert!(error.starts_with("the plan fits more than one format"), "{error}");
        assert!(error.contains(Format::SegmentPublicApi.name()) && error.contains(Format::TypewriterLocal.name()));
    }

    #[test]
    fn settings_sit_beside_any_format() {
        let plan = json!({"events": [{"name": "E", "rules": {}}], "violations": "block", "unplannedEvents": "warn"});
        let source = read(&plan).unwrap();
        assert_eq!(source.format, Format::TypewriterLocal);
        assert_eq!(source.settings.violations, super::super::rules::Violations::Block);
        let error = refused(json!({"events": [], "violations": "blok", "extra": 1}));
        assert!(error.contains("unknown key \"extra\"") && error.contains("violations must be one of"), "{error}");
    }

    #[test]
    fn a_properties_schema_becomes_a_whole_message_rule() {
        let rule = whole_message(
            "properties",
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                   "required": ["a"], "properties": {"a": {"$ref": "#/definitions/a"}},
                   "definitions": {"a": {"type": "string"}}}),
        );
        assert_eq!(
            rule,
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["properties"],
                   "properties": {"properties": {"type": "object", "required": ["a"],
                       "properties": {"a": {"$ref": "#/properties/properties/definitions/a"}},
                       "definitions": {"a": {"type": "string"}}}}})
        );
        let open = whole_message("traits", json!({"properties": {"a": {}}}));
        assert_eq!(open, json!({"type": "object", "properties": {"traits": {"properties": {"a": {}}}}}));
    }
}
