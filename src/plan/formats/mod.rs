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
//!
//! The readers are plain loops over `serde_json` values, on purpose: this module is in the full
//! WebAssembly build, whose size has a budget.

mod avo;
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

impl<'p> Source<'p> {
    /// Adds a rule of `kind` at `place`.
    fn rule(&mut self, kind: RuleType, key: &str, version: Option<Number>, schema: Cow<'p, Value>, place: String) {
        self.rules.push(SourceRule { kind, key: key.to_owned(), version, schema, place });
    }
}

/// What each format needs, for the error when a shape fits none or two.
const NEEDS: [(Format, &str); 5] = [
    (Format::SegmentPublicApi, "\"rules\": an array of rules ({\"type\": \"TRACK\", \"key\": ..., \"jsonSchema\": {...}}), or \"data\": {\"rules\": [...]}"),
    (Format::SegmentConfigApi, "\"rules\": an object with \"events\": [{\"name\": ..., \"rules\": {...}}] (or \"global\", \"identify\", \"group\")"),
    (Format::TypewriterLocal, "\"events\": [{\"name\": ..., \"rules\": {...}}] without \"eventType\""),
    (Format::RudderStackCatalog, "\"events\": [{\"name\": ..., \"eventType\": ..., \"rules\": {...}}]"),
    (Format::Avo, "\"events\": [{\"id\": ..., \"name\": ..., \"rules\": {\"nameMapping\": [...], \"properties\": {...}}}]"),
];

/// Reads a plan in any format. Errors name the place in the file (`rules/events/3 ("Order
/// Completed")`) or, for a shape no format fits, what was seen and what each format needs.
pub(crate) fn read(plan: &Value) -> Result<Source<'_>, String> {
    let Value::Object(map) = plan else {
        return Err(format!("a tracking plan must be an object (a plan file's JSON), not {}", json_type_name(plan)));
    };
    let format = detect(map)?;
    let mut problems = Vec::new();
    let keys: &[&str] = match format {
        Format::SegmentPublicApi => &public_api::KEYS,
        Format::SegmentConfigApi => &events::RULES_OBJECT_KEYS,
        Format::TypewriterLocal => &events::LOCAL_KEYS,
        Format::RudderStackCatalog => &events::CATALOG_KEYS,
        _ => &avo::KEYS,
    };
    // The settings may sit beside any format's keys.
    unknown_keys_beside(map, keys, &SETTINGS, &mut problems);
    let settings = PlanConfig::from_map(map, &mut problems);
    let name = map.get("name").or_else(|| map.get("display_name")).and_then(Value::as_str);
    let mut source = Source { format, name, rules: Vec::new(), settings, warnings: Vec::new() };
    if problems.is_empty() {
        let read = match format {
            Format::SegmentPublicApi => public_api::read(map, &mut source),
            Format::SegmentConfigApi => events::read_rules_object(map, &mut source),
            Format::TypewriterLocal => events::read_local(map, &mut source),
            Format::RudderStackCatalog => events::read_catalog(map, &mut source),
            _ => avo::read(map, &mut source),
        };
        problems.extend(read.err());
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(source)
}

/// The format whose shape `map` has (the Config API's stands for RudderStack's legacy one too,
/// which its reader tells apart).
fn detect(map: &Map<String, Value>) -> Result<Format, String> {
    let events = map.get("events").and_then(Value::as_array);
    let listed = |what: &str| events.is_some_and(|events| events.iter().any(|event| event.pointer(what).is_some()));
    let by_rules = match map.get("rules") {
        Some(Value::Array(_)) => Some(Format::SegmentPublicApi),
        Some(Value::Object(_)) => Some(Format::SegmentConfigApi),
        _ if map.get("data").and_then(|data| data.get("rules")).is_some_and(Value::is_array) => {
            Some(Format::SegmentPublicApi)
        }
        _ => None,
    };
    let by_events = events.map(|_| {
        if map.contains_key("metrics") || map.contains_key("propertyGroups") || listed("/rules/nameMapping") {
            Format::Avo
        } else if listed("/eventType") {
            Format::RudderStackCatalog
        } else {
            Format::TypewriterLocal
        }
    });
    let mut keys = String::new();
    for key in map.keys() {
        if !keys.is_empty() {
            keys.push_str(", ");
        }
        keys.push_str(&quote(key));
    }
    let needs = |format: Format, out: &mut String| {
        out.push_str(format.name());
        out.push_str(" has ");
        out.push_str(NEEDS.iter().find(|(known, _)| *known == format).map_or("", |(_, needs)| needs));
    };
    let mut problem = match (by_rules, by_events) {
        (Some(one), None) | (None, Some(one)) => return Ok(one),
        (None, None) if keys.is_empty() => {
            String::from("the plan's format cannot be told from its shape: it has no keys")
        }
        (None, None) => format!("the plan's format cannot be told from its shape: it has the keys {keys}"),
        (Some(first), Some(second)) => {
            let mut problem = format!(
                "the plan fits more than one format, so it is not clear how to read it: it has the keys {keys}, and "
            );
            needs(first, &mut problem);
            problem.push_str(", and ");
            needs(second, &mut problem);
            problem.push_str("; remove the keys of the format it is not");
            return Err(problem);
        }
    };
    for (at, (format, _)) in NEEDS.into_iter().enumerate() {
        problem.push_str(if at == 0 { ", while " } else { "; " });
        needs(format, &mut problem);
    }
    Err(problem)
}

/// `unknown key "x" (the keys are ...)` for each key of `object` not in `known`, into `problems`.
pub(crate) fn unknown_keys(object: &Map<String, Value>, known: &[&str], problems: &mut Vec<String>) {
    unknown_keys_beside(object, known, &[], problems);
}

/// [`unknown_keys`] with the keys `also` allowed too (and listed).
fn unknown_keys_beside(object: &Map<String, Value>, known: &[&str], also: &[&str], problems: &mut Vec<String>) {
    for key in object.keys() {
        if known.contains(&key.as_str()) || also.contains(&key.as_str()) {
            continue;
        }
        let mut problem = format!("unknown key {} (the keys are ", quote(key));
        for (at, name) in known.iter().chain(also).enumerate() {
            if at > 0 {
                problem.push_str(", ");
            }
            problem.push_str(name);
        }
        problem.push(')');
        problems.push(problem);
    }
}

/// The members of `value`, or a problem saying `place` is not an object.
fn object_at<'v>(value: Option<&'v Value>, place: &str) -> Result<&'v Map<String, Value>, String> {
    match value {
        Some(Value::Object(members)) => Ok(members),
        other => Err(format!("{place} must be an object, not {}", other.map_or("nothing", json_type_name))),
    }
}

/// A schema (an object, or a boolean as JSON Schema allows), or a problem naming `place`.
fn schema_at<'v>(value: Option<&'v Value>, place: &str) -> Result<&'v Value, String> {
    match value {
        Some(schema @ (Value::Object(_) | Value::Bool(_))) => Ok(schema),
        other => {
            Err(format!("{place} must be a JSON Schema (an object), not {}", other.map_or("nothing", json_type_name)))
        }
    }
}

/// One item of a list of events or rules: its members (checked against `keys`), its name (the
/// string under `name_key`, empty when absent), and its place, named when it has a name.
struct Item<'p> {
    members: &'p Map<String, Value>,
    name: &'p str,
    /// `events/3`.
    pointer: String,
    /// `events/3 ("Signed Up")`, for problems.
    place: String,
}

/// Calls `visit` with each item of the array `list` at `at`, each an object with only `keys`
/// (any keys when `keys` is empty: the caller checks them), named by `name_key`.
fn each_item<'p>(
    list: Option<&'p Value>,
    at: &str,
    keys: &[&str],
    name_key: &str,
    visit: &mut dyn FnMut(Item<'p>) -> Result<(), String>,
) -> Result<(), String> {
    let Some(Value::Array(list)) = list else {
        return Err(format!("\"{at}\" must be an array, not {}", list.map_or("nothing", json_type_name)));
    };
    for (index, item) in list.iter().enumerate() {
        let pointer = format!("{at}/{index}");
        let members = object_at(Some(item), &pointer)?;
        let name = match members.get(name_key) {
            None | Some(Value::Null) => "",
            Some(Value::String(name)) => name,
            Some(other) => {
                return Err(format!("{pointer}: \"{name_key}\" must be a string, not {}", json_type_name(other)))
            }
        };
        let place = if name.is_empty() { pointer.clone() } else { format!("{pointer} ({})", quote(name)) };
        let mut problems = Vec::new();
        if !keys.is_empty() {
            unknown_keys(members, keys, &mut problems);
        }
        if !problems.is_empty() {
            return Err(format!("{place}: {}", problems.join("; ")));
        }
        visit(Item { members, name, pointer, place })?;
    }
    Ok(())
}

/// The schema of a message whose `field` (`properties` or `traits`) `inner` describes: the
/// form of Typewriter v8's and Avo's rules, which describe the event's properties only.
///
/// `inner` keeps what it says: its `$schema` becomes the rule's (so the draft is the same), its
/// `#...` references are re-pointed under `properties/<field>` so they still find what they
/// named, and when it requires any key the message must carry `field` at all, as in a
/// whole-message rule Segment writes.
fn whole_message(field: &str, mut inner: Value) -> Value {
    let mut rule = Map::new();
    if let Value::Object(members) = &mut inner {
        if let Some(draft) = members.remove("$schema") {
            rule.insert(String::from("$schema"), draft);
        }
    }
    super::schema::move_references(&mut inner, &format!("/properties/{field}"));
    rule.insert(String::from("type"), Value::from("object"));
    if inner.get("required").and_then(Value::as_array).is_some_and(|required| !required.is_empty()) {
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
        assert!(error.starts_with("the plan's format cannot be told from its shape: it has the keys \"plan\", while a Segment Public API plan has "), "{error}");
        for (format, _) in NEEDS {
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

    #[test]
    fn items_are_named_in_problems() {
        let items =
            |list: Value, keys: &[&str]| each_item(Some(&list), "events", keys, "name", &mut |_| Ok(())).unwrap_err();
        assert_eq!(
            items(json!([{"name": "E", "extra": 1}]), &["name"]),
            "events/0 (\"E\"): unknown key \"extra\" (the keys are name)"
        );
        assert_eq!(items(json!([{"name": 1}]), &["name"]), "events/0: \"name\" must be a string, not a number");
        assert_eq!(items(json!({}), &[]), "\"events\" must be an array, not an object");
    }
}
