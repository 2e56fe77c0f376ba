//! The sentences of `plan_violation` issues.

use crate::spec::ids::json_type_name;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use super::compile::quoted;

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
        _ => format!("{subject} is invalid (rule {rule}): {}", truncate(error.to_string())),
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
    format!("{} is not in the tracking plan (rule {rule}): omitted", quoted(key))
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

/// A value as JSON, cut short.
fn short(value: &Value) -> String {
    truncate(value.to_string())
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
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
        let text = "é".repeat(MAX_TEXT);
        let cut = truncate(text);
        assert!(cut.ends_with('…'));
        assert!(cut.len() <= MAX_TEXT + '…'.len_utf8());
        assert_eq!(truncate("short".to_owned()), "short");
    }
}
