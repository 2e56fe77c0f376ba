//! Segment's Public API plan (`rules` as a list, beside the plan's own keys, or the list call's
//! answer `{"data": {"rules": [...]}}`), and Typewriter v8's `plan.json`, which is one with each
//! schema rewritten to describe the event's properties only (marked by `eventMetadata`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{each_item, object_at, whole_message, Format, Source};
use crate::plan::rules::{RuleConfig, RuleType};
use crate::quote::quote;

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

pub(crate) fn read<'p>(plan: &'p Map<String, Value>, source: &mut Source<'p>) -> Result<(), String> {
    let (list, at) = match plan.get("data") {
        None => (plan.get("rules"), "rules"),
        Some(_) if plan.contains_key("rules") => {
            return Err(String::from("a plan has \"rules\" or \"data\": {\"rules\": [...]}, not both"))
        }
        Some(data) => {
            let data = object_at(Some(data), "\"data\"")?;
            let mut problems = Vec::new();
            super::unknown_keys(data, &["rules", "pagination"], &mut problems);
            if !problems.is_empty() {
                return Err(format!("data: {}", problems.join("; ")));
            }
            (data.get("rules"), "data/rules")
        }
    };
    each_item(list, at, &[], "key", &mut |item| {
        let rule = RuleConfig::from_members(item.members).map_err(|problem| {
            // Named as well as the rule allows: `rules/3 (TRACK "Order Completed")`, `rules/1 (IDENTIFY)`.
            let kind = item.members.get("type").and_then(Value::as_str);
            match kind {
                Some("TRACK") if !item.name.is_empty() => {
                    format!("{} (TRACK {}): {problem}", item.pointer, quote(item.name))
                }
                Some(kind) => format!("{} ({kind}): {problem}", item.pointer),
                None => format!("{}: {problem}", item.pointer),
            }
        })?;
        let schema = item.members.get("jsonSchema").unwrap_or(&Value::Null);
        let Some(metadata) = schema.get("eventMetadata") else {
            source.rule(rule.kind, item.name, rule.version, Cow::Borrowed(schema), item.pointer);
            return Ok(());
        };
        // Typewriter v8: the schema describes `properties` (track) or `traits` (identify,
        // group), and `eventMetadata.name` is the event's name as senders send it (the rule's
        // `key` has lost a `#` or its case on the way).
        source.format = Format::TypewriterPlan;
        let mut inner = object_at(Some(schema), &format!("{}: \"jsonSchema\"", item.place))?.clone();
        inner.remove("eventMetadata");
        let field = match rule.kind {
            RuleType::Track => "properties",
            RuleType::Identify | RuleType::Group => "traits",
            RuleType::Common | RuleType::Page | RuleType::Screen => "",
        };
        let inner = Value::Object(inner);
        let schema = if field.is_empty() { inner } else { whole_message(field, inner) };
        let name = metadata.get("name").and_then(Value::as_str).filter(|_| rule.kind == RuleType::Track);
        source.rule(rule.kind, name.unwrap_or(item.name), rule.version, Cow::Owned(schema), item.pointer);
        Ok(())
    })
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
