//! Plans that list events with a whole-message schema each: Segment's legacy Config API (as
//! Typewriter v7 keeps it) and RudderStack's legacy plan, both with a `rules` object; and
//! Typewriter's older local file (v3 to v6), with `events` at the top.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{object_at, text_member, unknown_keys, Format, Reading, SourceRule};
use crate::plan::rules::RuleType;
use crate::quote::quote;
use crate::spec::ids::json_type_name;

/// The keys beside `rules` of a Config API plan (`name`, `display_name`, `create_time`,
/// `update_time`) and of a RudderStack one (`version` too). `identify`, `group`, `page` and
/// `screen` are RudderStack's rules written beside `rules` instead of inside it: RudderStack
/// never reads them there, so they are ignored with a warning.
pub(crate) const RULES_OBJECT_KEYS: [&str; 10] =
    ["rules", "name", "display_name", "create_time", "update_time", "version", "identify", "group", "page", "screen"];

/// The keys of the `rules` object.
const RULES_KEYS: [&str; 8] =
    ["events", "global", "identify", "group", "page", "screen", "identify_traits", "group_traits"];

/// The keys of Typewriter's older local file.
pub(crate) const LOCAL_KEYS: [&str; 4] = ["events", "name", "identify_traits", "group_traits"];

/// The keys of one event: Segment's `RuleMetadata` (`name`, `description`, `rules`, `version`),
/// and RudderStack's `id`.
const EVENT_KEYS: [&str; 5] = ["name", "description", "rules", "version", "id"];

pub(crate) fn fits_rules_object(plan: &Map<String, Value>) -> bool {
    matches!(plan.get("rules"), Some(Value::Object(_)))
}

pub(crate) fn fits_local(plan: &Map<String, Value>) -> bool {
    matches!(plan.get("events"), Some(Value::Array(_))) && !super::catalog::fits(plan) && !super::avo::fits(plan)
}

pub(crate) fn read_rules_object(plan: &Map<String, Value>) -> Result<(Format, Reading<'_>), String> {
    let rules = object_at(plan.get("rules").unwrap_or(&Value::Null), "\"rules\"")?;
    let problems = unknown_keys(rules, &RULES_KEYS, &[]);
    if !problems.is_empty() {
        return Err(format!("rules: {}", problems.join("; ")));
    }
    let mut reading = Reading::default();
    let stray: Vec<&str> =
        ["identify", "group", "page", "screen"].into_iter().filter(|key| plan.contains_key(*key)).collect();
    for key in &stray {
        reading.warnings.push(format!(
            "\"{key}\" sits beside \"rules\", where RudderStack does not read it, so it is ignored; move it into \"rules\" to enforce it"
        ));
    }
    let rudderstack = plan.contains_key("version")
        || !stray.is_empty()
        || rules.contains_key("page")
        || rules.contains_key("screen")
        || events_of(rules)
            .iter()
            .any(|event| event.get("id").is_some() || event.get("version").is_some_and(Value::is_string));
    if let Some(events) = rules.get("events") {
        read_events(events, "rules/events", &mut reading)?;
    }
    if let Some(global) = rules.get("global").map(|global| global_schema(global, "rules/global")).transpose()?.flatten()
    {
        reading.rules.push(whole(RuleType::Common, global, "rules/global"));
    }
    for (key, traits, kind) in
        [("identify", "identify_traits", RuleType::Identify), ("group", "group_traits", RuleType::Group)]
    {
        let place = format!("rules/{key}");
        let own = rules.get(key).filter(|rule| !rule.is_null()).map(|rule| schema_at(rule, &place)).transpose()?;
        let listed = trait_rules(rules.get(traits), &format!("rules/{traits}"))?;
        if let Some(schema) = all_of(own, listed) {
            reading.rules.push(whole(kind, schema, &place));
        }
    }
    for (key, kind) in [("page", RuleType::Page), ("screen", RuleType::Screen)] {
        if let Some(rule) = rules.get(key).filter(|rule| !rule.is_null()) {
            let place = format!("rules/{key}");
            reading.rules.push(whole(kind, Cow::Borrowed(schema_at(rule, &place)?), &place));
        }
    }
    let format = if rudderstack { Format::RudderStackLegacy } else { Format::SegmentConfigApi };
    Ok((format, reading))
}

pub(crate) fn read_local(plan: &Map<String, Value>) -> Result<(Format, Reading<'_>), String> {
    let mut reading = Reading::default();
    read_events(plan.get("events").unwrap_or(&Value::Null), "events", &mut reading)?;
    for (key, kind) in [("identify_traits", RuleType::Identify), ("group_traits", RuleType::Group)] {
        if let Some(schema) = all_of(None, trait_rules(plan.get(key), key)?) {
            reading.rules.push(whole(kind, schema, key));
        }
    }
    Ok((Format::TypewriterLocal, reading))
}

/// The events of a `rules` object, for telling the formats apart (read properly by [`read_events`]).
fn events_of(rules: &Map<String, Value>) -> &[Value] {
    rules.get("events").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A TRACK rule for each event: `{name, rules, description?, version?, id?}`.
fn read_events<'p>(events: &'p Value, at: &str, reading: &mut Reading<'p>) -> Result<(), String> {
    let Value::Array(events) = events else {
        return Err(format!("\"{at}\" must be an array of events, not {}", json_type_name(events)));
    };
    for (index, event) in events.iter().enumerate() {
        let pointer = format!("{at}/{index}");
        let members = object_at(event, &pointer)?;
        let name = text_member(members, "name", &pointer)?.unwrap_or_default();
        let place = format!("{pointer} ({})", quote(name));
        let problems = unknown_keys(members, &EVENT_KEYS, &[]);
        if !problems.is_empty() {
            return Err(format!("{place}: {}", problems.join("; ")));
        }
        let schema = schema_at(members.get("rules").unwrap_or(&Value::Null), &format!("{place}: \"rules\""))?;
        // Segment's versions are numbers; RudderStack's are strings such as "1-0-0", which
        // choose nothing (one rule per event name there).
        let version = match members.get("version") {
            Some(Value::Number(version)) => Some(version.clone()),
            None | Some(Value::Null | Value::String(_)) => None,
            Some(other) => return Err(format!("{place}: \"version\" must be a number, not {}", json_type_name(other))),
        };
        reading.rules.push(SourceRule {
            kind: RuleType::Track,
            key: name.to_owned(),
            version,
            schema: Cow::Borrowed(schema),
            place: pointer,
        });
    }
    Ok(())
}

/// A whole-message rule of another type than TRACK.
fn whole<'p>(kind: RuleType, schema: Cow<'p, Value>, place: &str) -> SourceRule<'p> {
    SourceRule { kind, key: String::new(), version: None, schema, place: place.to_owned() }
}

/// A schema, which must be an object (or a boolean, as JSON Schema allows).
fn schema_at<'v>(value: &'v Value, place: &str) -> Result<&'v Value, String> {
    match value {
        Value::Object(_) | Value::Bool(_) => Ok(value),
        other => Err(format!("{place} must be a JSON Schema (an object), not {}", json_type_name(other))),
    }
}

/// `global`: a schema, a `{name?, rules}` rule, or a list of them (none when null or empty).
fn global_schema<'v>(value: &'v Value, place: &str) -> Result<Option<Cow<'v, Value>>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Array(_) => Ok(all_of(None, trait_rules(Some(value), place)?)),
        Value::Object(members) if members.contains_key("rules") && !members.contains_key("properties") => {
            let rules = members.get("rules").unwrap_or(&Value::Null);
            Ok(Some(Cow::Borrowed(schema_at(rules, &format!("{place}: \"rules\""))?)))
        }
        other => Ok(Some(Cow::Borrowed(schema_at(other, place)?))),
    }
}

/// The schemas of `identify_traits`/`group_traits`: a list of `{name, description?, rules,
/// version?}`, each a whole-message schema of the call (empty or null in every plan seen).
fn trait_rules<'v>(value: Option<&'v Value>, place: &str) -> Result<Vec<&'v Value>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let place = format!("{place}/{index}");
                let members = object_at(item, &place)?;
                let problems = unknown_keys(members, &EVENT_KEYS, &[]);
                if !problems.is_empty() {
                    return Err(format!("{place}: {}", problems.join("; ")));
                }
                schema_at(members.get("rules").unwrap_or(&Value::Null), &format!("{place}: \"rules\""))
            })
            .collect(),
        Some(other) => Err(format!("\"{place}\" must be an array of rules, not {}", json_type_name(other))),
    }
}

/// One schema that holds when `own` and every one of `listed` hold.
fn all_of<'v>(own: Option<&'v Value>, listed: Vec<&'v Value>) -> Option<Cow<'v, Value>> {
    let mut all: Vec<&Value> = own.into_iter().chain(listed).collect();
    match all.len() {
        0 => None,
        1 => all.pop().map(Cow::Borrowed),
        _ => {
            let mut schema = Map::new();
            schema.insert(String::from("allOf"), Value::Array(all.into_iter().cloned().collect()));
            Some(Cow::Owned(Value::Object(schema)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::read as read_plan;
    use super::*;
    use serde_json::{json, Number};

    fn kinds(plan: &Value) -> Vec<(RuleType, String, String)> {
        read_plan(plan).unwrap().rules.into_iter().map(|rule| (rule.kind, rule.key, rule.place)).collect()
    }

    #[test]
    fn a_config_api_plan_gives_each_rule_its_place() {
        let plan = json!({"name": "workspaces/w/tracking-plans/rs_1", "display_name": "Web",
            "create_time": "2019-01-01T00:00:00Z", "update_time": "2019-01-01T00:00:00Z",
            "rules": {"events": [{"name": "Signed Up", "description": "", "version": 2, "rules": {}}],
                      "global": {"type": "object"}, "identify": {}, "identify_traits": [], "group_traits": []}});
        let source = read_plan(&plan).unwrap();
        assert_eq!((source.format, source.name), (Format::SegmentConfigApi, Some("workspaces/w/tracking-plans/rs_1")));
        assert_eq!(source.rules[0].version, Some(Number::from(2)));
        assert_eq!(
            kinds(&plan),
            [
                (RuleType::Track, String::from("Signed Up"), String::from("rules/events/0")),
                (RuleType::Common, String::new(), String::from("rules/global")),
                (RuleType::Identify, String::new(), String::from("rules/identify")),
            ]
        );
    }

    #[test]
    fn rudderstacks_marks_name_it_and_stray_rules_are_warned_of() {
        let plan = json!({"rules": {"identify": {}}, "group": {}, "page": {}});
        let source = read_plan(&plan).unwrap();
        assert_eq!(source.format, Format::RudderStackLegacy);
        assert_eq!(source.rules.len(), 1);
        assert_eq!(source.warnings.len(), 2);
        assert!(source.warnings[0].starts_with("\"group\" sits beside \"rules\""), "{:?}", source.warnings);
        let plan = json!({"rules": {"events": [{"id": "ev_1", "name": "E", "version": "1-0-0", "rules": {}}]}});
        let source = read_plan(&plan).unwrap();
        assert_eq!((source.format, source.rules[0].version.clone()), (Format::RudderStackLegacy, None));
    }

    #[test]
    fn listed_traits_rules_all_hold() {
        let plan = json!({"events": [], "identify_traits": [{"name": "a", "rules": {"required": ["a"]}},
            {"name": "b", "rules": {"required": ["b"]}}], "group_traits": null});
        let source = read_plan(&plan).unwrap();
        assert_eq!(source.rules.len(), 1);
        assert_eq!(*source.rules[0].schema, json!({"allOf": [{"required": ["a"]}, {"required": ["b"]}]}));
    }

    #[test]
    fn problems_name_their_place() {
        let error = read_plan(&json!({"rules": {"events": [{"name": "E", "rules": 1}]}})).unwrap_err();
        assert_eq!(error, "rules/events/0 (\"E\"): \"rules\" must be a JSON Schema (an object), not a number");
        let error = read_plan(&json!({"rules": {"events": [], "event": []}})).unwrap_err();
        assert!(error.starts_with("rules: unknown key \"event\""), "{error}");
        let error = read_plan(&json!({"events": [{"name": "E", "rules": {}, "props": {}}]})).unwrap_err();
        assert!(error.starts_with("events/0 (\"E\"): unknown key \"props\""), "{error}");
    }
}
