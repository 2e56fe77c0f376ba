//! RudderStack's Data Catalog plan: `events`, each with an `eventType` and a whole-message
//! schema in `rules`, looked up by name and type (the rules of other calls than track are events
//! named `""`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{object_at, text_member, unknown_keys, Format, Reading, SourceRule};
use crate::plan::rules::RuleType;
use crate::quote::quote;
use crate::spec::ids::json_type_name;

/// The plan's keys beside `events`.
pub(crate) const KEYS: [&str; 8] =
    ["events", "id", "name", "description", "version", "workspaceId", "createdAt", "updatedAt"];

/// The keys of one event. `identitySection` (where identify traits sit) and `additionalProperties`
/// describe what the schema in `rules` already says; the others are the catalog's bookkeeping.
const EVENT_KEYS: [&str; 13] = [
    "id",
    "name",
    "eventType",
    "description",
    "rules",
    "identitySection",
    "additionalProperties",
    "categoryId",
    "workspaceId",
    "createdBy",
    "updatedBy",
    "createdAt",
    "updatedAt",
];

/// The event types, as the catalog writes them.
const EVENT_TYPES: [(&str, RuleType); 5] = [
    ("track", RuleType::Track),
    ("identify", RuleType::Identify),
    ("group", RuleType::Group),
    ("page", RuleType::Page),
    ("screen", RuleType::Screen),
];

pub(crate) fn fits(plan: &Map<String, Value>) -> bool {
    plan.get("events")
        .and_then(Value::as_array)
        .is_some_and(|events| events.iter().any(|event| event.get("eventType").is_some()))
}

pub(crate) fn read(plan: &Map<String, Value>) -> Result<(Format, Reading<'_>), String> {
    let events = plan.get("events").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let mut reading = Reading::default();
    for (index, event) in events.iter().enumerate() {
        let pointer = format!("events/{index}");
        let members = object_at(event, &pointer)?;
        let name = text_member(members, "name", &pointer)?.unwrap_or_default();
        let place = if name.is_empty() { pointer.clone() } else { format!("{pointer} ({})", quote(name)) };
        let problems = unknown_keys(members, &EVENT_KEYS, &[]);
        if !problems.is_empty() {
            return Err(format!("{place}: {}", problems.join("; ")));
        }
        let kind = match members.get("eventType") {
            Some(Value::String(kind)) => EVENT_TYPES.iter().find(|(name, _)| name == kind).map(|(_, kind)| *kind),
            _ => None,
        };
        let Some(kind) = kind else {
            let names: Vec<&str> = EVENT_TYPES.iter().map(|(name, _)| *name).collect();
            let got = members.get("eventType").map_or("nothing", json_type_name);
            return Err(format!("{place}: \"eventType\" must be one of {}; got {got}", names.join(", ")));
        };
        if kind == RuleType::Track && name.is_empty() {
            return Err(format!("{place}: a track event needs its name in \"name\""));
        }
        let schema = match members.get("rules") {
            Some(schema @ (Value::Object(_) | Value::Bool(_))) => schema,
            other => {
                let got = other.map_or("nothing", json_type_name);
                return Err(format!("{place}: \"rules\" must be a JSON Schema (an object), not {got}"));
            }
        };
        let key = if kind == RuleType::Track { name.to_owned() } else { String::new() };
        reading.rules.push(SourceRule { kind, key, version: None, schema: Cow::Borrowed(schema), place: pointer });
    }
    Ok((Format::RudderStackCatalog, reading))
}

#[cfg(test)]
mod tests {
    use super::super::read as read_plan;
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_rules_by_type_and_name() {
        let plan = json!({"name": "Demo", "version": 1, "workspaceId": "w", "createdAt": "", "updatedAt": "",
        "events": [
            {"id": "ev_1", "name": "Clicked", "eventType": "track", "description": "", "rules": {}},
            {"id": "ev_2", "name": "", "eventType": "group", "identitySection": "traits", "rules": {}}
        ]});
        let source = read_plan(&plan).unwrap();
        assert_eq!(source.format, Format::RudderStackCatalog);
        let rules: Vec<(RuleType, &str, &str)> =
            source.rules.iter().map(|rule| (rule.kind, rule.key.as_str(), rule.place.as_str())).collect();
        assert_eq!(rules, [(RuleType::Track, "Clicked", "events/0"), (RuleType::Group, "", "events/1")]);
    }

    #[test]
    fn a_bad_event_type_is_named() {
        let plan = json!({"events": [{"name": "", "eventType": "alias", "rules": {}}]});
        assert_eq!(
            read_plan(&plan).unwrap_err(),
            "events/0: \"eventType\" must be one of track, identify, group, page, screen; got a string"
        );
    }
}
