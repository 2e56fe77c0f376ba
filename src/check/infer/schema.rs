//! A [`Shape`] written as the JSON Schema that accepts every value it was seen with, and as little
//! else as what was seen says: the types seen (a union when several, `integer` only when no number
//! had a fraction), an object's members and those every object had (`required`), an array's items,
//! the format every string matched, and, with `--enum-max`, the strings seen when they were few.
//! Keys come out sorted (they are inserted in order into serde_json's ordered map).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::formats::{self, ALL};
use super::shape::{Shape, Types, ARRAY, BOOLEAN, INTEGER, NULL, NUMBER, OBJECT, STRING};

/// JSON Schema's type names, in the order a union lists them (alphabetical).
const TYPE_NAMES: [(Types, &str); 7] = [
    (ARRAY, "array"),
    (BOOLEAN, "boolean"),
    (INTEGER, "integer"),
    (NULL, "null"),
    (NUMBER, "number"),
    (OBJECT, "object"),
    (STRING, "string"),
];

/// What decides the keywords that are not read straight off a shape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// `--min-count`: an `enum` needs at least this many strings seen at its place.
    pub min_count: u64,
    /// `--enum-max`: an `enum` lists at most this many strings (`None`: no `enum`).
    pub enum_max: Option<usize>,
}

/// An object's keys sorted, whatever order they were given in.
pub(crate) fn sorted(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let ordered: BTreeMap<&str, Value> = entries.into_iter().collect();
    Value::Object(ordered.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
}

/// The schema of the values `shape` describes (`{}` when it saw none).
pub(crate) fn schema(shape: &Shape, limits: &Limits) -> Value {
    let mut keywords: Vec<(&'static str, Value)> = Vec::new();
    if let Some(types) = type_keyword(shape.types) {
        keywords.push(("type", types));
    }
    if shape.types & OBJECT != 0 && !shape.members.is_empty() {
        let properties: Map<String, Value> =
            shape.members.iter().map(|(key, member)| (key.clone(), schema(member, limits))).collect();
        keywords.push(("properties", Value::Object(properties)));
        let required: Vec<Value> = shape
            .members
            .iter()
            .filter(|(_, member)| shape.objects > 0 && member.seen == shape.objects)
            .map(|(key, _)| Value::from(key.as_str()))
            .collect();
        if !required.is_empty() {
            keywords.push(("required", Value::Array(required)));
        }
    }
    if let Some(items) = shape.items.as_deref().filter(|items| shape.types & ARRAY != 0 && items.types != 0) {
        keywords.push(("items", schema(items, limits)));
    }
    if shape.types & STRING != 0 && shape.strings > 0 {
        if let Some(format) = formats::chosen(ALL & !shape.unmatched) {
            keywords.push(("format", Value::from(format)));
        }
    }
    if let Some(values) = enumerated(shape, limits) {
        keywords.push(("enum", values));
    }
    sorted(keywords)
}

/// `"string"`, or `["null", "string"]` for several types; `number` stands for `integer` too.
fn type_keyword(mut types: Types) -> Option<Value> {
    if types & NUMBER != 0 {
        types &= !INTEGER;
    }
    let names: Vec<Value> =
        TYPE_NAMES.iter().filter(|(bit, _)| types & bit != 0).map(|(_, name)| Value::from(*name)).collect();
    match names.len() {
        0 => None,
        1 => names.into_iter().next(),
        _ => Some(Value::Array(names)),
    }
}

/// The `enum` of a place that held only strings (and perhaps `null`), few enough distinct ones
/// (at most `--enum-max`) over enough of them (at least `--min-count`): the strings sorted, then
/// `null` if it was seen.
fn enumerated(shape: &Shape, limits: &Limits) -> Option<Value> {
    let most = limits.enum_max?;
    let only_strings = shape.types & STRING != 0 && shape.types & !(STRING | NULL) == 0;
    let few = !shape.too_many && !shape.values.is_empty() && shape.values.len() <= most;
    if !only_strings || !few || shape.strings < limits.min_count {
        return None;
    }
    let mut values: Vec<Value> = shape.values.iter().map(|value| Value::from(value.as_str())).collect();
    if shape.types & NULL != 0 {
        values.push(Value::Null);
    }
    Some(Value::Array(values))
}
