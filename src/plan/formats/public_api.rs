//! Segment's Public API plan (`rules` as a list, beside the plan's own keys, or the list call's
//! answer `{"data": {"rules": [...]}}`), and Typewriter v8's `plan.json`, which is one with each
//! schema rewritten to describe the event's properties only (marked by `eventMetadata`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{object_at, text_member, unknown_keys, whole_message, Format, Reading, SourceRule};
use crate::plan::rules::{RuleConfig, RuleType};
use crate::spec::ids::json_type_name;

/// The Public API's keys of a tracking plan, beside `rules`: read (`name`) or ignored.
pub(crate) const KEYS: [&str; 11] = [
    "rules",
    "data",
    "id",
    "name",
    "slug",
    "description",
    "type",
    "createdAt",
    "updatedAt",
    "deprecatedAt",
    "resourceSchemaId",
];

/// The keys of the list call's `data`.
const DATA_KEYS: [&str; 2] = ["rules", "pagination"];

pub(crate) fn fits(plan: &Map<String, Value>) -> bool {
    matches!(plan.get("rules"), Some(Value::Array(_)))
        || plan.get("data").and_then(|data| data.get("rules")).is_some_and(Value::is_array)
}

pub(crate) fn read(plan: &Map<String, Value>) -> Result<(Format, Reading<'_>), String> {
    let (rules, at) = match (plan.get("rules"), plan.get("data")) {
        (Some(Value::Array(rules)), None) => (rules, "rules"),
        (Some(_), Some(_)) => {
            return Err(String::from("a plan has \"rules\" or \"data\": {\"rules\": [...]}, not both"))
        }
        (_, Some(data)) => {
            let data = object_at(data, "\"data\"")?;
            let problems = unknown_keys(data, &DATA_KEYS, &[]);
            if !problems.is_empty() {
                return Err(format!("data: {}", problems.join("; ")));
            }
            match data.get("rules") {
                Some(Value::Array(rules)) => (rules, "data/rules"),
                _ => return Err(String::from("\"data\" must hold \"rules\": an array of rules")),
            }
        }
        _ => return Err(String::from("\"rules\" must be an array of rules")),
    };
    let mut reading = Reading::default();
    let mut format = Format::SegmentPublicApi;
    for (index, raw) in rules.iter().enumerate() {
        let place = format!("{at}/{index}");
        let rule = RuleConfig::from_value(raw).map_err(|problem| format!("{}: {problem}", raw_place(&place, raw)))?;
        let schema = raw.get("jsonSchema").unwrap_or(&Value::Null);
        let (key, schema) = match schema.get("eventMetadata") {
            None => (rule.key.unwrap_or_default(), Cow::Borrowed(schema)),
            Some(metadata) => {
                format = Format::TypewriterPlan;
                properties_only(rule.kind, rule.key.as_deref(), schema, metadata, &place)?
            }
        };
        reading.rules.push(SourceRule { kind: rule.kind, key, version: rule.version, schema, place });
    }
    Ok((format, reading))
}

/// A Typewriter v8 rule: its schema describes `properties` (track) or `traits` (identify, group),
/// and `eventMetadata.name` is the event's name as senders send it (the rule's `key` has lost a
/// `#` or its case on the way).
fn properties_only(
    kind: RuleType,
    key: Option<&str>,
    schema: &Value,
    metadata: &Value,
    place: &str,
) -> Result<(String, Cow<'static, Value>), String> {
    let metadata = object_at(metadata, &format!("{place}: \"eventMetadata\""))?;
    let name = text_member(metadata, "name", &format!("{place}: eventMetadata"))?;
    let field = match kind {
        RuleType::Track => "properties",
        RuleType::Identify | RuleType::Group => "traits",
        // A whole-message rule for every call, or for calls Astrolabe does not take: no field.
        RuleType::Common | RuleType::Page | RuleType::Screen => "",
    };
    let Value::Object(members) = schema else {
        return Err(format!("{place}: \"jsonSchema\" must be an object, not {}", json_type_name(schema)));
    };
    let mut inner = members.clone();
    inner.remove("eventMetadata");
    let inner = Value::Object(inner);
    let schema = if field.is_empty() { inner } else { whole_message(field, inner) };
    let key = if kind == RuleType::Track { name.or(key).unwrap_or_default().to_owned() } else { String::new() };
    Ok((key, Cow::Owned(schema)))
}

/// `rules/3 (TRACK "Order Completed")`, as well as a rule that does not read allows.
fn raw_place(place: &str, raw: &Value) -> String {
    let kind = raw.get("type").and_then(Value::as_str);
    match (kind, raw.get("key").and_then(Value::as_str)) {
        (Some("TRACK"), Some(key)) => format!("{place} (TRACK {})", crate::quote::quote(key)),
        (Some(kind), _) => format!("{place} ({kind})"),
        (None, _) => place.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::read as read_plan;
    use super::*;
    use serde_json::json;

    #[test]
    fn the_public_api_keys_are_accepted() {
        let plan = json!({"id": "tp_1", "name": "Web", "slug": "web", "description": "", "type": "LIVE",
            "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-02T00:00:00Z", "deprecatedAt": null,
            "resourceSchemaId": "rs_1", "rules": [{"type": "IDENTIFY", "key": "", "jsonSchema": {}}]});
        let source = read_plan(&plan).unwrap();
        assert_eq!((source.format, source.name, source.rules.len()), (Format::SegmentPublicApi, Some("Web"), 1));
        assert_eq!(source.rules[0].place, "rules/0");
    }

    #[test]
    fn the_list_calls_answer_is_read() {
        let plan = json!({"data": {"rules": [{"type": "TRACK", "key": "E", "jsonSchema": {}}], "pagination": {}}});
        let source = read_plan(&plan).unwrap();
        assert_eq!((source.rules[0].key.as_str(), source.rules[0].place.as_str()), ("E", "data/rules/0"));
        let error = read_plan(&json!({"data": {"rules": [], "next": 1}})).unwrap_err();
        assert!(error.starts_with("data: unknown key \"next\""), "{error}");
    }

    #[test]
    fn typewriter_v8_rules_describe_properties_under_their_wire_name() {
        let plan = json!({"rules": [{"type": "TRACK", "key": "Collision 1", "version": 1, "jsonSchema": {
            "$schema": "http://json-schema.org/draft-07/schema#", "eventMetadata": {"name": "Collision #1", "type": "TRACK"},
            "labels": {}, "type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}}]});
        let source = read_plan(&plan).unwrap();
        assert_eq!(source.format, Format::TypewriterPlan);
        let rule = &source.rules[0];
        assert_eq!(rule.key, "Collision #1");
        assert_eq!(
            *rule.schema,
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["properties"],
                   "properties": {"properties": {"labels": {}, "type": "object",
                       "properties": {"n": {"type": "integer"}}, "required": ["n"]}}})
        );
    }
}
