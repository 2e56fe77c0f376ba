//! Ids (`userId`, `anonymousId`, `groupId`, `messageId`, `context.groupId`): absent, a string, or
//! a number that official SDKs send and that becomes its string.

use serde_json::{Number, Value};

use super::view::Read;
use crate::js_number::js_number_to_string;

/// What an id field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Id<'a> {
    /// Missing, `null`, empty or only whitespace.
    Absent,
    /// A string, passed through as it is.
    Text(&'a str),
    /// A number, turned into the string JavaScript's `String(n)` gives.
    Coerced(String),
    /// Any other JSON type (named for the message).
    WrongType(&'static str),
}

/// Reads an id value.
///
/// ```
/// use astrolabe_segment_core::spec::ids::{read, Id};
/// use serde_json::json;
/// assert_eq!(read(Some(&json!("  "))), Id::Absent);
/// assert_eq!(read(Some(&json!(123))), Id::Coerced("123".into()));
/// assert_eq!(read(Some(&json!(true))), Id::WrongType("a boolean"));
/// ```
pub fn read(value: Option<&Value>) -> Id<'_> {
    read_of(value.map(Read::of))
}

/// Reads an id as the rules see a member ([`Read`]).
pub(crate) fn read_of(value: Option<Read<'_>>) -> Id<'_> {
    match value {
        None | Some(Read::Null) => Id::Absent,
        Some(Read::Text(text)) if is_blank(text) => Id::Absent,
        Some(Read::Text(text)) => Id::Text(text),
        Some(Read::Other(Value::Number(number))) => Id::Coerced(number_to_string(number)),
        Some(other) => Id::WrongType(other.type_name()),
    }
}

/// Whether `text` is empty or only whitespace, as `trim` counts it: the first character that is
/// not settles it, without trimming both ends.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// A JSON type's name with its article, for messages ("a boolean", "an object").
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A number as JavaScript's `String(n)` writes it: `123`, `1.5`, `100` (not `100.0`), `1e+21`.
///
/// ```
/// use astrolabe_segment_core::spec::ids::number_to_string;
/// let n = |text: &str| serde_json::from_str::<serde_json::Number>(text).unwrap();
/// assert_eq!(number_to_string(&n("100.0")), "100");
/// assert_eq!(number_to_string(&n("1e21")), "1e+21");
/// assert_eq!(number_to_string(&n("0.0000001")), "1e-7");
/// assert_eq!(number_to_string(&n("18446744073709551615")), "18446744073709551615");
/// ```
pub fn number_to_string(number: &Number) -> String {
    if number.is_u64() || number.is_i64() {
        // Exact integers: official SDKs in other languages send them as they are.
        return number.to_string();
    }
    match number.as_f64() {
        Some(float) => js_number_to_string(float),
        None => number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(read(None), Id::Absent);
        assert_eq!(read(Some(&Value::Null)), Id::Absent);
        assert_eq!(read(Some(&serde_json::json!(""))), Id::Absent);
        assert_eq!(read(Some(&serde_json::json!(" \t\n"))), Id::Absent);
        assert_eq!(read(Some(&serde_json::json!(" a "))), Id::Text(" a "));
        assert_eq!(read(Some(&serde_json::json!(1.5))), Id::Coerced("1.5".into()));
        assert_eq!(read(Some(&serde_json::json!(-7))), Id::Coerced("-7".into()));
        assert_eq!(read(Some(&serde_json::json!({}))), Id::WrongType("an object"));
        assert_eq!(read(Some(&serde_json::json!([]))), Id::WrongType("an array"));
    }
}
