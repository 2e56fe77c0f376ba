//! Avo's JSON Schema export (the Export API's answer and the tracking plan webhook's payload).
//!
//! Each event's `rules` looks like a whole-message schema but is Avo's own: it requires
//! `nameMapping`, which no Segment message has. What it says of a message sits in
//! `rules.properties.properties` (the event's properties) and `rules.properties.userProperties`
//! (the user properties the event sets, which Segment calls identify traits). So an event whose
//! `actions` log it (`logEvent`, or no `actions` at all, as in the webhook) is a TRACK rule over
//! its properties, and the user properties of every event make one IDENTIFY rule: a trait any
//! event plans must have the type some event gives it (no trait is required, and others pass,
//! since an identify call does not say which event set it).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{each_item, object_at, whole_message, Source};
use crate::plan::rules::RuleType;

/// The export's keys beside `events`: the plan's other parts, which say nothing of a message.
pub(crate) const KEYS: [&str; 8] =
    ["events", "name", "metrics", "sources", "destinations", "categories", "propertyGroups", "context"];

/// The keys of one event.
const EVENT_KEYS: [&str; 13] = [
    "id",
    "name",
    "description",
    "rules",
    "tags",
    "categories",
    "triggers",
    "actions",
    "sources",
    "eventType",
    "variantName",
    "variantId",
    "stakeholderDomains",
];

/// The keys of an event's `rules`.
const RULES_KEYS: [&str; 6] = ["$schema", "type", "required", "nameMapping", "properties", "additionalProperties"];

pub(crate) fn read<'p>(plan: &'p Map<String, Value>, source: &mut Source<'p>) -> Result<(), String> {
    // Each user property's schemas, as the events give them (the same one once).
    let mut traits = Map::new();
    let mut draft = None;
    each_item(plan.get("events"), "events", &EVENT_KEYS, "name", &mut |item| {
        let place = format!("{}: \"rules\"", item.place);
        let rules = object_at(item.members.get("rules"), &place)?;
        let mut problems = Vec::new();
        super::unknown_keys(rules, &RULES_KEYS, &mut problems);
        if !problems.is_empty() {
            return Err(format!("{place}: {}", problems.join("; ")));
        }
        let parts = match rules.get("properties") {
            None => None,
            parts => Some(object_at(parts, &format!("{place}.properties"))?),
        };
        let part = |key: &str| parts.and_then(|parts| parts.get(key));
        draft = draft.or(rules.get("$schema"));
        let user = part("userProperties").and_then(|user| user.get("properties")).and_then(Value::as_object);
        for (name, schema) in user.into_iter().flatten() {
            if let Value::Array(seen) = traits.entry(name.clone()).or_insert_with(|| Value::Array(Vec::new())) {
                if !seen.contains(schema) {
                    seen.push(schema.clone());
                }
            }
        }
        // Sent as a track call: Avo's `logEvent` action, or no `actions` given.
        let logged = match item.members.get("actions").and_then(Value::as_array) {
            None => true,
            Some(actions) => actions.iter().any(|action| action.as_str() == Some("logEvent")),
        };
        if logged {
            let mut properties = part("properties").cloned().unwrap_or_else(|| Value::Object(Map::new()));
            if let (Some(draft), Value::Object(members)) = (rules.get("$schema"), &mut properties) {
                members.insert(String::from("$schema"), draft.clone());
            }
            let schema = Cow::Owned(whole_message("properties", properties));
            source.rule(RuleType::Track, item.name, None, schema, item.pointer);
        }
        Ok(())
    })?;
    if traits.is_empty() {
        return Ok(());
    }
    // A trait one event types is of that type; one typed by several, of any of them.
    for schemas in traits.values_mut() {
        if let Value::Array(list) = schemas {
            let one = if list.len() == 1 { list.pop() } else { None };
            *schemas = one.unwrap_or_else(|| {
                let mut any = Map::new();
                any.insert(String::from("anyOf"), Value::Array(std::mem::take(list)));
                Value::Object(any)
            });
        }
    }
    let mut inner = Map::new();
    if let Some(draft) = draft {
        inner.insert(String::from("$schema"), draft.clone());
    }
    inner.insert(String::from("type"), Value::from("object"));
    inner.insert(String::from("properties"), Value::Object(traits));
    let schema = Cow::Owned(whole_message("traits", Value::Object(inner)));
    source.rule(RuleType::Identify, "", None, schema, String::from("events/*/rules/properties/userProperties"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{read as read_plan, Format};
    use super::*;
    use serde_json::json;

    #[test]
    fn logged_events_are_track_rules_over_their_properties_and_user_properties_one_identify_rule() {
        let plan = json!({"name": "Avo", "metrics": {}, "events": [
            {"id": "a", "name": "Viewed", "actions": ["skipLogEvent", "page"], "rules": {"nameMapping": [],
                "properties": {"properties": {"properties": {"url": {"type": "string"}}}}}},
            {"id": "b", "name": "Signed Up", "actions": ["logEvent", "identify"], "rules": {
                "$schema": "http://json-schema.org/draft-06/schema#", "type": "object",
                "required": ["properties", "nameMapping"], "nameMapping": [],
                "properties": {
                    "properties": {"type": "object", "required": ["plan"], "properties": {"plan": {"type": "string"}}},
                    "userProperties": {"type": "object", "properties": {"age": {"type": "number"}}}}}},
            {"id": "c", "name": "Aged", "rules": {"nameMapping": [], "properties": {
                "userProperties": {"properties": {"age": {"type": "string"}}}}}}
        ]});
        let source = read_plan(&plan).unwrap();
        assert_eq!(source.format, Format::Avo);
        let rules: Vec<(RuleType, &str)> = source.rules.iter().map(|rule| (rule.kind, rule.key.as_str())).collect();
        assert_eq!(rules, [(RuleType::Track, "Signed Up"), (RuleType::Track, "Aged"), (RuleType::Identify, "")]);
        assert_eq!(
            *source.rules[0].schema,
            json!({"$schema": "http://json-schema.org/draft-06/schema#", "type": "object", "required": ["properties"],
                   "properties": {"properties": {"type": "object", "required": ["plan"],
                       "properties": {"plan": {"type": "string"}}}}})
        );
        assert_eq!(
            *source.rules[2].schema,
            json!({"$schema": "http://json-schema.org/draft-06/schema#", "type": "object", "properties": {"traits": {
                "type": "object", "properties": {"age": {"anyOf": [{"type": "number"}, {"type": "string"}]}}}}})
        );
    }
}
