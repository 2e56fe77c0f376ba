//! Plans that list events with a whole-message schema each: Segment's legacy Config API (as
//! Typewriter v7 keeps it) and RudderStack's legacy plan, both with a `rules` object;
//! Typewriter's older local file (v3 to v6), with `events` at the top; and RudderStack's Data
//! Catalog, whose events say their call in `eventType`.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{each_item, object_at, schema_at, Format, Source};
use crate::plan::rules::RuleType;
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

/// The Data Catalog plan's keys beside `events`.
pub(crate) const CATALOG_KEYS: [&str; 8] =
    ["events", "id", "name", "description", "version", "workspaceId", "createdAt", "updatedAt"];

/// The keys of a Data Catalog event. `identitySection` (where identify traits sit) and
/// `additionalProperties` say what the schema in `rules` already says; the others are the
/// catalog's bookkeeping.
const CATALOG_EVENT_KEYS: [&str; 13] = [
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

/// The calls a rule may be for, by the names the legacy plans and the Data Catalog give them.
const CALLS: [(&str, RuleType); 5] = [
    ("track", RuleType::Track),
    ("identify", RuleType::Identify),
    ("group", RuleType::Group),
    ("page", RuleType::Page),
    ("screen", RuleType::Screen),
];

pub(crate) fn read_rules_object<'p>(plan: &'p Map<String, Value>, source: &mut Source<'p>) -> Result<(), String> {
    let rules = object_at(plan.get("rules"), "\"rules\"")?;
    let mut problems = Vec::new();
    super::unknown_keys(rules, &RULES_KEYS, &mut problems);
    if !problems.is_empty() {
        return Err(format!("rules: {}", problems.join("; ")));
    }
    let mut rudderstack = plan.contains_key("version") || rules.contains_key("page") || rules.contains_key("screen");
    for key in ["identify", "group", "page", "screen"] {
        if plan.contains_key(key) {
            rudderstack = true;
            source.warnings.push(format!(
                "\"{key}\" sits beside \"rules\", where RudderStack does not read it, so it is ignored; move it into \"rules\" to enforce it"
            ));
        }
    }
    if let Some(events) = rules.get("events") {
        rudderstack |= read_events(Some(events), "rules/events", source)?;
    }
    match rules.get("global") {
        None | Some(Value::Null) => {}
        // A `{name?, rules}` rule, or a list of them, as Typewriter's types say; or a schema.
        Some(global @ Value::Array(_)) => call_rules(RuleType::Common, None, Some(global), "rules/global", source)?,
        Some(Value::Object(global)) if global.contains_key("rules") && !global.contains_key("properties") => {
            let schema = schema_at(global.get("rules"), "rules/global: \"rules\"")?;
            source.rule(RuleType::Common, "", None, Cow::Borrowed(schema), String::from("rules/global"));
        }
        global => call_rules(RuleType::Common, global, None, "rules/global", source)?,
    }
    call_rules(RuleType::Identify, rules.get("identify"), rules.get("identify_traits"), "rules/identify", source)?;
    call_rules(RuleType::Group, rules.get("group"), rules.get("group_traits"), "rules/group", source)?;
    call_rules(RuleType::Page, rules.get("page"), None, "rules/page", source)?;
    call_rules(RuleType::Screen, rules.get("screen"), None, "rules/screen", source)?;
    if rudderstack {
        source.format = Format::RudderStackLegacy;
    }
    Ok(())
}

pub(crate) fn read_local<'p>(plan: &'p Map<String, Value>, source: &mut Source<'p>) -> Result<(), String> {
    read_events(plan.get("events"), "events", source)?;
    call_rules(RuleType::Identify, None, plan.get("identify_traits"), "identify_traits", source)?;
    call_rules(RuleType::Group, None, plan.get("group_traits"), "group_traits", source)
}

/// A TRACK rule for each event: `{name, rules, description?, version?, id?}`. Whether an event
/// has RudderStack's marks: an `id`, or a string `version`.
fn read_events<'p>(events: Option<&'p Value>, at: &str, source: &mut Source<'p>) -> Result<bool, String> {
    let mut rudderstack = false;
    each_item(events, at, &EVENT_KEYS, "name", &mut |item| {
        let schema = schema_at(item.members.get("rules"), &format!("{}: \"rules\"", item.place))?;
        // Segment's versions are numbers; RudderStack's are strings such as "1-0-0", which
        // choose nothing (one rule per event name there).
        let version = match item.members.get("version") {
            Some(Value::Number(version)) => Some(version.clone()),
            None | Some(Value::Null) => None,
            Some(Value::String(_)) => {
                rudderstack = true;
                None
            }
            Some(other) => {
                return Err(format!("{}: \"version\" must be a number, not {}", item.place, json_type_name(other)))
            }
        };
        rudderstack |= item.members.contains_key("id");
        source.rule(RuleType::Track, item.name, version, Cow::Borrowed(schema), item.pointer);
        Ok(())
    })?;
    Ok(rudderstack)
}

/// The rule of a call type: its own schema (`rules.identify`), and the schemas of the rules
/// listed for it (`identify_traits`: `{name, rules}` each, empty or null in every plan seen),
/// which must all hold beside it.
fn call_rules<'p>(
    kind: RuleType,
    own: Option<&'p Value>,
    listed: Option<&'p Value>,
    place: &str,
    source: &mut Source<'p>,
) -> Result<(), String> {
    let own = own.filter(|own| !own.is_null()).map(|own| schema_at(Some(own), place)).transpose()?;
    // Every schema, when there are several: `{"allOf": [...]}`.
    let mut all = Vec::new();
    if let Some(listed) = listed.filter(|listed| !listed.is_null()) {
        let at = if place.starts_with("rules/") { format!("{place}_traits") } else { place.to_owned() };
        each_item(Some(listed), &at, &EVENT_KEYS, "name", &mut |item| {
            all.push(schema_at(item.members.get("rules"), &format!("{}: \"rules\"", item.place))?.clone());
            Ok(())
        })?;
    }
    let schema = match (own, all.len()) {
        (None, 0) => return Ok(()),
        (Some(own), 0) => Cow::Borrowed(own),
        (None, 1) => Cow::Owned(all.pop().unwrap_or_default()),
        (own, _) => {
            if let Some(own) = own {
                all.insert(0, own.clone());
            }
            let mut joined = Map::new();
            joined.insert(String::from("allOf"), Value::Array(all));
            Cow::Owned(Value::Object(joined))
        }
    };
    source.rule(kind, "", None, schema, place.to_owned());
    Ok(())
}

pub(crate) fn read_catalog<'p>(plan: &'p Map<String, Value>, source: &mut Source<'p>) -> Result<(), String> {
    each_item(plan.get("events"), "events", &CATALOG_EVENT_KEYS, "name", &mut |item| {
        let call = item.members.get("eventType").and_then(Value::as_str);
        let Some((_, kind)) = CALLS.iter().find(|(name, _)| Some(*name) == call) else {
            return Err(format!("{}: \"eventType\" must be one of track, identify, group, page, screen", item.place));
        };
        let schema = schema_at(item.members.get("rules"), &format!("{}: \"rules\"", item.place))?;
        source.rule(*kind, item.name, None, Cow::Borrowed(schema), item.pointer);
        Ok(())
    })
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
        let plan = json!({"rules": {"identify": {"required": ["c"]}, "identify_traits": [{"name": "a", "rules": {}}]}});
        assert_eq!(*read_plan(&plan).unwrap().rules[0].schema, json!({"allOf": [{"required": ["c"]}, {}]}));
    }

    #[test]
    fn catalog_events_are_rules_by_type_and_name() {
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
        let plan = json!({"events": [{"name": "", "eventType": "alias", "rules": {}}]});
        assert_eq!(
            read_plan(&plan).unwrap_err(),
            "events/0: \"eventType\" must be one of track, identify, group, page, screen"
        );
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
