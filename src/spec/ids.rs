//! Ids (`userId`, `anonymousId`, `groupId`, `messageId`, `context.groupId`): absent, a string, or
//! a number that official SDKs send and that becomes its string.

use serde_json::{Number, Value};

/// What an id field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Id {
    /// Missing, `null`, empty or only whitespace.
    Absent,
    /// A string, passed through as it is.
    Text(String),
    /// A number, turned into the string JavaScript's `String(n)` gives.
    Coerced(String),
    /// Any other JSON type (named for the message).
    WrongType(&'static str),
}

/// Reads an id value.
///
/// ```
/// use astrolabe_segment::spec::ids::{read, Id};
/// use serde_json::json;
/// assert_eq!(read(Some(&json!("  "))), Id::Absent);
/// assert_eq!(read(Some(&json!(123))), Id::Coerced("123".into()));
/// assert_eq!(read(Some(&json!(true))), Id::WrongType("a boolean"));
/// ```
pub fn read(value: Option<&Value>) -> Id {
    match value {
        None | Some(Value::Null) => Id::Absent,
        Some(Value::String(text)) if text.trim().is_empty() => Id::Absent,
        Some(Value::String(text)) => Id::Text(text.clone()),
        Some(Value::Number(number)) => Id::Coerced(number_to_string(number)),
        Some(other) => Id::WrongType(json_type_name(other)),
    }
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
/// use astrolabe_segment::spec::ids::number_to_string;
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
        Some(float) => js_float_to_string(float),
        None => number.to_string(),
    }
}

/// ECMAScript's Number::toString for a finite float.
pub fn js_float_to_string(float: f64) -> String {
    if float == 0.0 {
        return "0".to_owned();
    }
    if !float.is_finite() {
        return if float.is_nan() {
            "NaN".to_owned()
        } else if float > 0.0 {
            "Infinity".to_owned()
        } else {
            "-Infinity".to_owned()
        };
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, like ECMAScript requires.
    let scientific = format!("{:e}", float.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let k = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let n = exponent + 1;
    let sign = if float < 0.0 { "-" } else { "" };
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat(usize::try_from(n - k).unwrap_or(0)))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(n).unwrap_or(0));
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat(usize::try_from(-n).unwrap_or(0)))
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let dot = if rest.is_empty() { "" } else { "." };
        let exp_sign = if n > 0 { "+" } else { "-" };
        format!("{first}{dot}{rest}e{exp_sign}{}", (n - 1).abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_float_formatting() {
        for (float, text) in [
            (1.5, "1.5"),
            (-1.5, "-1.5"),
            (100.0, "100"),
            (0.1, "0.1"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (-0.0, "0"),
            (f64::MAX, "1.7976931348623157e+308"),
        ] {
            assert_eq!(js_float_to_string(float), text, "{float:e}");
        }
    }

    #[test]
    fn ids() {
        assert_eq!(read(None), Id::Absent);
        assert_eq!(read(Some(&Value::Null)), Id::Absent);
        assert_eq!(read(Some(&serde_json::json!(""))), Id::Absent);
        assert_eq!(read(Some(&serde_json::json!(" \t\n"))), Id::Absent);
        assert_eq!(read(Some(&serde_json::json!(" a "))), Id::Text(" a ".into()));
        assert_eq!(read(Some(&serde_json::json!(1.5))), Id::Coerced("1.5".into()));
        assert_eq!(read(Some(&serde_json::json!(-7))), Id::Coerced("-7".into()));
        assert_eq!(read(Some(&serde_json::json!({}))), Id::WrongType("an object"));
        assert_eq!(read(Some(&serde_json::json!([]))), Id::WrongType("an array"));
    }
}
