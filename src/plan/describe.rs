//! The sentences of `plan_violation` issues.

use crate::spec::ids::json_type_name;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use crate::quote::quote as quoted;

/// The longest rendering of a value or of the schema crate's own sentence kept in a message.
const MAX_TEXT: usize = 120;

/// A violation at the value the error points at.
///
/// `"revenue" must be a number (rule TRACK "Order Completed" v1): "12" is a string`
pub(crate) fn violation(error: &ValidationError<'_>, rule: &str) -> String {
    let subject = subject(error.instance_path().as_str());
    let instance: &Value = error.instance();
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(one) => with_article(&one.to_string()),
                TypeKind::Multiple(set) => {
                    let names: Vec<String> = set.iter().map(|one| with_article(&one.to_string())).collect();
                    names.join(" or ")
                }
            };
            format!("{subject} must be {expected} (rule {rule}): {} is {}", short(instance), json_type_name(instance))
        }
        ValidationErrorKind::Format { format } => {
            format!("{subject} must be a valid {format} (rule {rule}): {} is not", short(instance))
        }
        // The schema crate's sentence, with the value it quotes cut to a short piece.
        _ => {
            format!("{subject} is invalid (rule {rule}): {}", truncate(error.masked_with(short(instance)).to_string()))
        }
    }
}

/// A few words on why one branch of an `anyOf`/`oneOf` failed: `"plan" must be a string`.
pub(crate) fn brief(error: &ValidationError<'_>) -> String {
    let at = error.instance_path().as_str();
    match error.kind() {
        ValidationErrorKind::Required { property: Value::String(key) } => format!("{} is required", quoted(key)),
        ValidationErrorKind::Type { kind: TypeKind::Single(one) } => {
            format!("{} must be {}", subject(at), with_article(&one.to_string()))
        }
        _ => crate::quote::cut(&error.masked_with(short(error.instance())).to_string(), 60).into_owned(),
    }
}

/// A required key that is missing from the object at `parent`.
pub(crate) fn missing(key: &str, parent: &str, rule: &str) -> String {
    let within = if parent.is_empty() { "the message".to_owned() } else { subject(parent) };
    format!("{} is required in {within} (rule {rule})", quoted(key))
}

/// A key that `additionalProperties` or `unevaluatedProperties` refuses.
pub(crate) fn unexpected(key: &str, keyword: &str, rule: &str) -> String {
    format!("{} is not allowed (rule {rule}): \"{keyword}\" refuses keys the schema does not name", quoted(key))
}

/// A property or trait no rule names, dropped under `unplannedProperties: "omit"`.
pub(crate) fn unplanned(key: &str, rule: &str) -> String {
    format!("{} is not in the tracking plan (rule {rule}).", quoted(key))
}

/// A `track` event no rule names.
pub(crate) fn unplanned_event(event: &str) -> String {
    format!("event {} is not in the tracking plan", quoted(event))
}

/// The quoted last key of an escaped pointer into the message, or `the message` for the root.
fn subject(pointer: &str) -> String {
    match pointer.rsplit_once('/') {
        Some((_, last)) => quoted(&last.replace("~1", "/").replace("~0", "~")),
        None => "the message".to_owned(),
    }
}

fn with_article(kind: &str) -> String {
    match kind {
        "null" => "null".to_owned(),
        "array" | "integer" | "object" => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// A value as JSON, cut to a short piece (crate::quote).
fn short(value: &Value) -> String {
    crate::quote::truncated(&value.to_string()).into_owned()
}

/// The schema crate's own sentence (which may quote the value), cut to [`MAX_TEXT`] characters.
fn truncate(text: String) -> String {
    crate::quote::cut(&text, MAX_TEXT).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert_eq!(subject(""), "the message");
        assert_eq!(subject("/properties/a~1b~0c"), r#""a/b~c""#);
        assert_eq!(subject("/properties/items/3"), r#""3""#);
        assert_eq!(subject("/traits/say \"hi\""), r#""say \"hi\"""#);
    }

    #[test]
    fn articles() {
        assert_eq!(with_article("integer"), "an integer");
        assert_eq!(with_article("string"), "a string");
        assert_eq!(with_article("null"), "null");
    }

    #[test]
    fn truncates_on_char_boundaries() {
        let text = "é".repeat(MAX_TEXT + 1);
        let cut = truncate(text);
        assert!(cut.ends_with('…'));
        assert_eq!(cut.chars().count(), MAX_TEXT + 1);
        assert_eq!(truncate("short".to_owned()), "short");
        assert_eq!(short(&Value::from("x".repeat(1000))), format!("\"{}…", "x".repeat(39)));
    }
}
