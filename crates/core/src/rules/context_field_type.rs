//! `context_field_type`: a member of `context` that the Segment Spec defines, with another type
//! than the Spec gives it: `context.library` that is no object, `context.userAgent` that is no
//! string, ... (`src/connections/spec/common.md` in `segmentio/segment-docs`, "Context": the
//! table of context fields and their types). Destinations read these fields by their type, so a
//! wrong one is lost or breaks them downstream; the message is still mapped (Astrolabe's
//! operations do not carry `context`), with a warning. `context.groupId` is not among them: it is
//! the account link, which the Spec's own checks read as an id.

use super::{Context, Rule, Tuning};
use crate::issue::{Code, Issue};
use crate::spec::ids::json_type_name;
use crate::spec::{Kind, Report};
use serde_json::Value;

pub(crate) const RULE: Rule = Rule {
    name: "context_field_type",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a `context` field the Spec defines, of another type (`context.library` not an object, `context.userAgent` not a string, `context.active` not a boolean)",
    hint: "`send context.library as an object`",
    reads_context: Some(reads),
    check: Some(check),
};

/// The JSON types the Spec gives context fields.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Type {
    Object,
    String,
    Boolean,
}

/// The type the Spec gives the context field `key`, if it gives one.
fn typed(key: &str) -> Option<Type> {
    Some(match key {
        "active" => Type::Boolean,
        "app" | "campaign" | "device" | "library" | "location" | "network" | "os" | "page" | "referrer" | "screen"
        | "traits" | "userAgentData" => Type::Object,
        "ip" | "locale" | "timezone" | "userAgent" => Type::String,
        _ => return None,
    })
}

/// The fields the rule reads, so that the engine parses them (their kind only): those of a type
/// other than the Spec's. `null` counts as absent.
fn reads(key: &str, kind: Kind) -> bool {
    match typed(key) {
        Some(Type::Object) => !matches!(kind, Kind::Object | Kind::Null),
        Some(Type::String) => !matches!(kind, Kind::String | Kind::Null),
        Some(Type::Boolean) => !matches!(kind, Kind::Bool | Kind::Null),
        None => false,
    }
}

fn check(message: &Context<'_>, report: &mut Report) {
    message.context.each(&mut |name, value, found| {
        let Some(wanted) = typed(name) else { return };
        let right = match wanted {
            Type::Object => value.is_object(),
            Type::String => value.is_string(),
            Type::Boolean => value.is_boolean(),
        };
        if right {
            return;
        }
        let (article, kind) = match wanted {
            Type::Object => ("an", "object"),
            Type::String => ("a", "string"),
            Type::Boolean => ("a", "boolean"),
        };
        let given = match value {
            // Only its kind is read (rules::Rule::reads_context): "an empty string" would mislead.
            Value::String(_) => "a string",
            other => json_type_name(other),
        };
        report.add_warning(
            Issue::new(
                Code::ContextFieldType,
                &found.path(),
                format!("context.{name} must be {article} {kind}, not {given}; destinations that read it may drop or misread it."),
            )
            .with_hint(format!("send context.{name} as {article} {kind}")),
        );
    });
}

#[cfg(test)]
mod tests {
    use crate::engine::{map_text, Shape};
    use serde_json::{json, Value};

    fn warnings(message: Value) -> Vec<(String, String)> {
        let text = map_text(false, message.to_string().as_bytes(), None, Shape::Message).unwrap();
        let outcome: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(outcome["status"], "mapped", "{outcome}");
        outcome["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|issue| issue["code"] == "context_field_type")
            .map(|issue| (issue["path"].as_str().unwrap().to_owned(), issue["message"].as_str().unwrap().to_owned()))
            .collect()
    }

    #[test]
    fn a_context_field_of_another_type_is_a_warning_at_its_path() {
        let message = json!({"type": "track", "userId": "u", "event": "E",
            "context": {"library": "analytics.js", "userAgent": {"ua": "x"}, "active": "yes", "ip": "1.2.3.4", "page": {}}});
        assert_eq!(
            warnings(message),
            [
                (String::from("/context/library"), String::from("context.library must be an object, not a string; destinations that read it may drop or misread it.")),
                (String::from("/context/userAgent"), String::from("context.userAgent must be a string, not an object; destinations that read it may drop or misread it.")),
                (String::from("/context/active"), String::from("context.active must be a boolean, not a string; destinations that read it may drop or misread it.")),
            ]
        );
    }

    #[test]
    fn fields_of_the_right_type_null_ones_and_others_pass() {
        let message = json!({"type": "identify", "userId": "u", "context": {"library": {"name": "analytics-node"},
            "userAgent": "Mozilla/5.0", "locale": null, "custom": 5, "active": true, "groupId": "g"}});
        assert!(warnings(message).is_empty());
        assert!(warnings(json!({"type": "group", "groupId": "g", "userId": "u"})).is_empty());
    }

    #[test]
    fn a_batch_envelopes_context_is_checked_for_its_items_where_they_have_none() {
        let batch = json!({"batch": [{"type": "identify", "userId": "u"}, {"type": "identify", "userId": "v", "context": {"library": {}}}],
            "context": {"library": 1}});
        let text = map_text(false, batch.to_string().as_bytes(), None, Shape::Batch).unwrap();
        let outcome: Value = serde_json::from_str(&text).unwrap();
        let paths: Vec<Vec<&str>> = outcome["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["warnings"].as_array().unwrap().iter().map(|issue| issue["path"].as_str().unwrap()).collect())
            .collect();
        assert_eq!(paths, [vec!["/context/library"], vec![]]);
    }
}
