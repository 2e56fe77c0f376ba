//! JS-like values used while resolving: JSON plus `undefined`, which mapping-kit keeps inside
//! objects and arrays until the very end (it matters for `@merge`, where an `undefined` member
//! overrides an earlier value and then disappears).

use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

use super::{MappingError, MAX_VALUE_DEPTH};

/// An object: insertion-ordered, unique keys.
pub(crate) type Obj = IndexMap<String, Val>;

/// A JS value as mapping-kit sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// JS `undefined`.
    Undef,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (kept as JSON's number so integers print back exactly).
    Num(Number),
    /// A string.
    Str(String),
    /// An array (elements may be `undefined`).
    Arr(Vec<Val>),
    /// A plain object (members may be `undefined`).
    Obj(Obj),
}

fn too_deep() -> MappingError {
    MappingError::new(format!("value is nested more than {MAX_VALUE_DEPTH} levels deep"))
}

impl Val {
    /// Converts JSON into a value, refusing values nested deeper than the limit.
    pub(crate) fn from_json(value: &Value) -> Result<Val, MappingError> {
        Self::from_json_at(value, 0)
    }

    fn from_json_at(value: &Value, depth: usize) -> Result<Val, MappingError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_deep());
        }
        Ok(match value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(n.clone()),
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(items) => {
                Val::Arr(items.iter().map(|item| Self::from_json_at(item, depth + 1)).collect::<Result<_, _>>()?)
            }
            Value::Object(map) => {
                let mut obj = Obj::with_capacity(map.len());
                for (k, v) in map {
                    obj.insert(k.clone(), Self::from_json_at(v, depth + 1)?);
                }
                Val::Obj(obj)
            }
        })
    }

    /// mapping-kit's `removeUndefined` plus the conversion to JSON: `undefined` members are
    /// dropped, `undefined` array elements become `null`; a top-level `undefined` is `None`.
    pub(crate) fn into_json(self) -> Result<Option<Value>, MappingError> {
        match self {
            Val::Undef => Ok(None),
            other => other.into_json_at(0).map(Some),
        }
    }

    fn into_json_at(self, depth: usize) -> Result<Value, MappingError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_deep());
        }
        Ok(match self {
            Val::Undef | Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(b),
            Val::Num(n) => Value::Number(n),
            Val::Str(s) => Value::String(s),
            Val::Arr(items) => {
                Value::Array(items.into_iter().map(|item| item.into_json_at(depth + 1)).collect::<Result<_, _>>()?)
            }
            Val::Obj(obj) => {
                let mut map = Map::new();
                for (k, v) in obj {
                    if v != Val::Undef {
                        map.insert(k, v.into_json_at(depth + 1)?);
                    }
                }
                Value::Object(map)
            }
        })
    }

    /// `realTypeOf`: `undefined`, `null`, `boolean`, `number`, `string`, `array` or `object`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Undef => "undefined",
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::Arr(_) => "array",
            Val::Obj(_) => "object",
        }
    }

    /// JS truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Val::Undef | Val::Null => false,
            Val::Bool(b) => *b,
            Val::Num(n) => number_truthy(n),
            Val::Str(s) => !s.is_empty(),
            Val::Arr(_) | Val::Obj(_) => true,
        }
    }

    /// `undefined` or `null`.
    pub(crate) fn is_nullish(&self) -> bool {
        matches!(self, Val::Undef | Val::Null)
    }

    /// JS `String(value)`.
    pub(crate) fn js_string(&self) -> Result<String, MappingError> {
        let mut out = String::new();
        self.write_js_string(&mut out, 0)?;
        Ok(out)
    }

    fn write_js_string(&self, out: &mut String, depth: usize) -> Result<(), MappingError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_deep());
        }
        match self {
            Val::Undef => out.push_str("undefined"),
            Val::Null => out.push_str("null"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Num(n) => out.push_str(&json_number_to_string(n)),
            Val::Str(s) => out.push_str(s),
            Val::Obj(_) => out.push_str("[object Object]"),
            Val::Arr(items) => {
                // Array.prototype.join(","): null and undefined elements are empty.
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.is_nullish() {
                        item.write_js_string(out, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// `JSON.stringify(value)`: `None` for `undefined`.
    pub(crate) fn json_stringify(&self) -> Result<Option<String>, MappingError> {
        if *self == Val::Undef {
            return Ok(None);
        }
        let mut out = String::new();
        self.write_json(&mut out, 0)?;
        Ok(Some(out))
    }

    fn write_json(&self, out: &mut String, depth: usize) -> Result<(), MappingError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_deep());
        }
        match self {
            Val::Undef | Val::Null => out.push_str("null"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Num(n) => {
                // JSON.stringify writes non-finite numbers as null; JSON numbers are finite.
                out.push_str(&json_number_to_string(n));
            }
            Val::Str(s) => out.push_str(&quote_json(s)),
            Val::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out, depth + 1)?;
                }
                out.push(']');
            }
            Val::Obj(obj) => {
                out.push('{');
                let mut first = true;
                for (k, v) in obj {
                    if *v == Val::Undef {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&quote_json(k));
                    out.push(':');
                    v.write_json(out, depth + 1)?;
                }
                out.push('}');
            }
        }
        Ok(())
    }

    /// Loose equality with the empty string (`value == ''`), for non-nullish values.
    pub(crate) fn loosely_equals_empty_string(&self) -> Result<bool, MappingError> {
        Ok(match self {
            Val::Undef | Val::Null => false,
            Val::Str(s) => s.is_empty(),
            Val::Num(n) => number_as_f64(n) == 0.0,
            Val::Bool(b) => !*b,
            Val::Arr(_) => self.js_string()?.is_empty(),
            Val::Obj(_) => false,
        })
    }
}

/// A JSON string literal, escaped like `JSON.stringify` does.
fn quote_json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

/// JS truthiness of a number (non-zero; JSON has no NaN).
fn number_truthy(n: &Number) -> bool {
    let f = number_as_f64(n);
    f != 0.0 && !f.is_nan()
}

pub use crate::js_number::js_number_to_string;

/// The number as a JS double.
pub(crate) fn number_as_f64(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// The largest integer a JS double represents exactly (2^53).
const MAX_SAFE: u64 = 1 << 53;

/// A JSON number printed the way JS prints the double it parses to.
pub(crate) fn json_number_to_string(n: &Number) -> String {
    if let Some(u) = n.as_u64() {
        if u <= MAX_SAFE {
            return u.to_string();
        }
    } else if let Some(i) = n.as_i64() {
        if i.unsigned_abs() <= MAX_SAFE {
            return i.to_string();
        }
    }
    js_number_to_string(number_as_f64(n))
}

/// The UTF-16 length of a string (JS `.length`).
pub(crate) fn js_length(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_like_js() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (1.5, "1.5"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (-0.0, "0"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e21, "1.5e+21"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (0.000123, "0.000123"),
            (123.456, "123.456"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.30000000000000004, "0.30000000000000004"),
        ];
        for (x, want) in cases {
            assert_eq!(js_number_to_string(*x), *want, "{x}");
        }
    }

    #[test]
    fn json_numbers_keep_safe_integers() {
        let n: Number = serde_json::from_str("12345").unwrap();
        assert_eq!(json_number_to_string(&n), "12345");
        let n: Number = serde_json::from_str("-7").unwrap();
        assert_eq!(json_number_to_string(&n), "-7");
        let n: Number = serde_json::from_str("2.0").unwrap();
        assert_eq!(json_number_to_string(&n), "2");
        let n: Number = serde_json::from_str("9007199254740993").unwrap();
        assert_eq!(json_number_to_string(&n), "9007199254740992");
    }

    #[test]
    fn js_string_of_values() {
        let v = Val::from_json(&json!([1, null, [2, [3]], "a", {"x": 1}, true])).unwrap();
        assert_eq!(v.js_string().unwrap(), "1,,2,3,a,[object Object],true");
        assert_eq!(Val::Undef.js_string().unwrap(), "undefined");
    }

    #[test]
    fn stringify_drops_undefined_members() {
        let mut obj = Obj::new();
        obj.insert("a".into(), Val::Undef);
        obj.insert("b".into(), Val::Arr(vec![Val::Undef, Val::Num(Number::from(1))]));
        obj.insert("c".into(), Val::Str("\"q\"\n/é".into()));
        assert_eq!(Val::Obj(obj).json_stringify().unwrap().unwrap(), r#"{"b":[null,1],"c":"\"q\"\n/é"}"#);
        assert_eq!(Val::Undef.json_stringify().unwrap(), None);
    }

    #[test]
    fn loose_equality_with_empty_string() {
        let yes = [json!(""), json!(0), json!(false), json!([]), json!([null]), json!([[]])];
        for v in yes {
            assert!(Val::from_json(&v).unwrap().loosely_equals_empty_string().unwrap(), "{v}");
        }
        let no = [json!("a"), json!(1), json!(true), json!([0]), json!({})];
        for v in no {
            assert!(!Val::from_json(&v).unwrap().loosely_equals_empty_string().unwrap(), "{v}");
        }
    }

    #[test]
    fn deep_values_are_refused_not_overflowed() {
        let mut v = json!(1);
        for _ in 0..(MAX_VALUE_DEPTH + 5) {
            v = json!([v]);
        }
        assert!(Val::from_json(&v).is_err());
    }
}
