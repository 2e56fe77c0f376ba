//! Validation of a mapping, as mapping-kit's `validate.ts` does it: each problem is
//! `"/<path> <reason>."`; objects' keys and directives' fields collect every problem, other checks
//! stop at the first one. (What validation lets through is checked again when resolving, as in
//! mapping-kit: see `compile.rs`.)

use serde_json::{Map, Value};

use super::value::js_length;
use super::{MAX_MAPPING_DEPTH, MAX_PATTERN_LENGTH, MAX_REPLACEMENT_LENGTH};

/// Problems found (never empty when returned as `Err`).
type Problems = Vec<String>;
type Checked = Result<(), Problems>;

/// Validates a mapping (after root-directive processing). Empty when valid.
pub(crate) fn validate(mapping: &Value) -> Vec<String> {
    match validate_value(mapping, &[]) {
        Ok(()) => Vec::new(),
        Err(problems) => problems,
    }
}

fn problem(message: impl AsRef<str>, stack: &[String]) -> Problems {
    vec![format!("/{} {}.", stack.join("/"), message.as_ref())]
}

fn with(stack: &[String], key: &str) -> Vec<String> {
    let mut next = stack.to_vec();
    next.push(key.to_string());
    next
}

/// `realTypeOf`, for a JSON value (a missing value is `undefined`).
pub(crate) fn real_type(value: Option<&Value>) -> &'static str {
    match value {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

/// `realTypeOrDirective`: an object with any `@`-key is a `directive`.
fn real_type_or_directive(value: Option<&Value>) -> &'static str {
    match value {
        Some(Value::Object(map)) if map.keys().any(|k| k.starts_with('@')) => "directive",
        other => real_type(other),
    }
}

fn article(type_name: &str) -> &'static str {
    match type_name.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn it_is(type_name: &str) -> String {
    format!("{} {}", article(type_name), type_name)
}

fn too_deep(stack: &[String]) -> bool {
    // Deeper levels are reported once by the compiler; stop descending here.
    stack.len() > MAX_MAPPING_DEPTH
}

/// `validate(mapping, stack)`.
fn validate_value(value: &Value, stack: &[String]) -> Checked {
    if too_deep(stack) {
        return Ok(());
    }
    match real_type_or_directive(Some(value)) {
        "directive" => validate_directive(Some(value), stack),
        "object" => validate_object(Some(value), stack),
        // Arrays are accepted as they are (their elements are not validated), like mapping-kit.
        _ => Ok(()),
    }
}

fn validate_directive(value: Option<&Value>, stack: &[String]) -> Checked {
    let Some(Value::Object(obj)) = value else {
        let t = real_type(value);
        return Err(problem(format!("should be a directive object but it is {}", it_is(t)), stack));
    };
    let directive_keys: Vec<&String> = obj.keys().filter(|k| k.starts_with('@')).collect();
    if directive_keys.len() > 1 {
        return Err(problem(
            format!("should only have one @-prefixed key but it has {} keys", directive_keys.len()),
            stack,
        ));
    }
    if obj.keys().any(|k| !k.starts_with('@') && k != "_metadata") {
        return Err(problem(format!("should only have one @-prefixed key but it has {} keys", obj.len()), stack));
    }
    let Some(name) = directive_keys.first() else {
        return Err(problem("has an invalid directive: undefined", stack));
    };
    let options = obj.get(name.as_str());
    let inner = with(stack, name);
    match name.as_str() {
        "@if" => validate_fields(
            options,
            &[
                ("exists", Field::Optional(validate_directive_or_raw)),
                ("then", Field::Optional(validate_directive_or_raw)),
                ("else", Field::Optional(validate_directive_or_raw)),
            ],
            &inner,
        ),
        "@case" => validate_fields(
            options,
            &[("operator", Field::Optional(validate_string)), ("value", Field::Optional(validate_directive_or_string))],
            &inner,
        ),
        "@replace" => validate_fields(
            options,
            &[
                ("pattern", Field::Required(validate_pattern)),
                ("replacement", Field::Optional(validate_replacement)),
                ("value", Field::Required(validate_directive_or_string)),
                ("ignorecase", Field::Optional(validate_boolean)),
                ("global", Field::Optional(validate_boolean)),
            ],
            &inner,
        ),
        "@arrayPath" => {
            validate_array(options, &inner)?;
            let items = options.and_then(Value::as_array);
            validate_directive_or_string(items.and_then(|a| a.first()), &inner)?;
            match items.and_then(|a| a.get(1)) {
                Some(shape) => validate_value(shape, &inner),
                None => Ok(()),
            }
        }
        "@path" | "@template" => validate_directive_or_string(options, &inner),
        "@json" => validate_fields(
            options,
            &[("value", Field::Required(validate_directive_or_raw)), ("mode", Field::Required(validate_json_mode))],
            &inner,
        ),
        "@flatten" => validate_fields(
            options,
            &[("separator", Field::Optional(validate_string)), ("value", Field::Required(validate_directive_or_raw))],
            &inner,
        ),
        "@merge" => {
            validate_fields(
                options,
                &[
                    ("direction", Field::Optional(validate_merge_direction)),
                    ("objects", Field::Required(validate_array)),
                ],
                &inner,
            )?;
            // mapping-kit checks each object with an empty path and stops at the first problem.
            let objects = options.and_then(|o| o.get("objects")).and_then(Value::as_array);
            for object in objects.into_iter().flatten() {
                validate_directive_or_object(Some(object), &[])?;
            }
            Ok(())
        }
        "@literal" | "@excludeWhenNull" => validate_directive_or_raw(options, &inner),
        "@transform" => validate_fields(
            options,
            &[
                ("apply", Field::Required(validate_directive_or_object)),
                ("mapping", Field::Required(validate_directive_or_object)),
            ],
            &inner,
        ),
        "@liquid" => validate_string(options, &inner),
        _ => Err(problem(format!("has an invalid directive: {name}"), stack)),
    }
}

type Validator = fn(Option<&Value>, &[String]) -> Checked;

enum Field {
    Required(Validator),
    Optional(Validator),
}

/// `validateObjectWithFields`.
fn validate_fields(value: Option<&Value>, fields: &[(&str, Field)], stack: &[String]) -> Checked {
    validate_object(value, stack)?;
    let obj = value.and_then(Value::as_object);
    let mut problems = Vec::new();
    for (name, field) in fields {
        let member = obj.and_then(|o| o.get(*name));
        let result = match (field, member) {
            (Field::Required(_), None) => Err(problem(format!("should have field \"{name}\" but it doesn't"), stack)),
            (Field::Required(check) | Field::Optional(check), Some(member)) => check(Some(member), &with(stack, name)),
            (Field::Optional(_), None) => Ok(()),
        };
        if let Err(mut found) = result {
            problems.append(&mut found);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `validateObject`: a plain object whose members are all valid.
fn validate_object(value: Option<&Value>, stack: &[String]) -> Checked {
    let t = real_type_or_directive(value);
    let Some(Value::Object(obj)) = value.filter(|_| t == "object") else {
        return Err(problem(format!("should be an object but it is {}", it_is(t)), stack));
    };
    validate_members(obj, stack)
}

fn validate_members(obj: &Map<String, Value>, stack: &[String]) -> Checked {
    let mut problems = Vec::new();
    for (key, member) in obj {
        if let Err(mut found) = validate_value(member, &with(stack, key)) {
            problems.append(&mut found);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn validate_directive_or_raw(value: Option<&Value>, stack: &[String]) -> Checked {
    match real_type_or_directive(value) {
        "directive" => validate_directive(value, stack),
        "undefined" => Err(problem("should be a mapping directive or a JSON value but it is an undefined", stack)),
        _ => Ok(()),
    }
}

fn validate_directive_or_string(value: Option<&Value>, stack: &[String]) -> Checked {
    match real_type_or_directive(value) {
        "directive" => validate_directive(value, stack),
        "string" => Ok(()),
        t => Err(problem(format!("should be a string or a mapping directive but it is {}", it_is(t)), stack)),
    }
}

fn validate_directive_or_object(value: Option<&Value>, stack: &[String]) -> Checked {
    match real_type_or_directive(value) {
        "directive" => validate_directive(value, stack),
        "object" => validate_object(value, stack),
        t => Err(problem(format!("should be a object or a mapping directive but it is {}", it_is(t)), stack)),
    }
}

fn validate_string(value: Option<&Value>, stack: &[String]) -> Checked {
    match real_type_or_directive(value) {
        "string" => Ok(()),
        t => Err(problem(format!("should be a string but it is {}", it_is(t)), stack)),
    }
}

fn validate_boolean(value: Option<&Value>, stack: &[String]) -> Checked {
    match real_type_or_directive(value) {
        "boolean" => Ok(()),
        t => Err(problem(format!("should be a boolean but it is {}", it_is(t)), stack)),
    }
}

fn validate_array(value: Option<&Value>, stack: &[String]) -> Checked {
    match real_type(value) {
        "array" => Ok(()),
        t => Err(problem(format!("should be an array but it is {}", it_is(t)), stack)),
    }
}

fn validate_string_length(value: Option<&Value>, min: usize, max: usize, stack: &[String]) -> Checked {
    if let Some(Value::String(s)) = value {
        let len = js_length(s);
        if len < min {
            return Err(problem(format!("should be a string of length {min} or greater"), stack));
        }
        if len > max {
            return Err(problem(format!("should be a string of length {max} or less"), stack));
        }
    }
    Ok(())
}

fn validate_pattern(value: Option<&Value>, stack: &[String]) -> Checked {
    validate_string(value, stack)?;
    validate_string_length(value, 1, MAX_PATTERN_LENGTH, stack)
}

fn validate_replacement(value: Option<&Value>, stack: &[String]) -> Checked {
    validate_string(value, stack)?;
    validate_string_length(value, 0, MAX_REPLACEMENT_LENGTH, stack)
}

fn validate_allowed(value: Option<&Value>, allowed: &[&str], stack: &[String]) -> Checked {
    validate_string(value, stack)?;
    let s = value.and_then(Value::as_str).unwrap_or_default();
    if allowed.contains(&s.to_lowercase().as_str()) {
        Ok(())
    } else {
        let shown = serde_json::to_string(s).unwrap_or_default();
        Err(problem(format!("should be one of {} but it is {shown}", allowed.join(", ")), stack))
    }
}

fn validate_json_mode(value: Option<&Value>, stack: &[String]) -> Checked {
    validate_allowed(value, &["encode", "decode"], stack)
}

fn validate_merge_direction(value: Option<&Value>, stack: &[String]) -> Checked {
    validate_allowed(value, &["left", "right"], stack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_match_mapping_kit() {
        assert_eq!(
            validate(&json!({"@path": false})),
            ["/@path should be a string or a mapping directive but it is a boolean."]
        );
        assert_eq!(validate(&json!({"@oops": {}})), ["/ has an invalid directive: @oops."]);
        assert_eq!(
            validate(&json!({"@if": {"exists": true, "then": {"@oops": {}}}})),
            ["/@if/then has an invalid directive: @oops."]
        );
        assert_eq!(
            validate(&json!({"@replace": {}})),
            [
                "/@replace should have field \"pattern\" but it doesn't.",
                "/@replace should have field \"value\" but it doesn't."
            ]
        );
        assert_eq!(
            validate(&json!({"@merge": {"objects": [{}, 1, "x"]}})),
            ["/ should be a object or a mapping directive but it is a number."]
        );
        assert_eq!(
            validate(&json!({"@transform": {"@path": {}}})),
            ["/@transform should be an object but it is a directive."]
        );
        assert_eq!(
            validate(&json!({"@arrayPath": []})),
            ["/@arrayPath should be a string or a mapping directive but it is an undefined."]
        );
        assert_eq!(
            validate(&json!({"@json": {"value": 1, "mode": "oops"}})),
            ["/@json/mode should be one of encode, decode but it is \"oops\"."]
        );
        assert!(validate(&json!({"@json": {"value": 1, "mode": "ENCODE"}})).is_empty());
        assert!(validate(&json!({"@template": "x", "_metadata": {}})).is_empty());
        assert!(validate(&json!([{"@oops": 1}])).is_empty());
        // Options objects are validated member by member, so `blank` is checked too...
        assert_eq!(
            validate(&json!({"@if": {"exists": 1, "blank": {"@oops": 1}}})),
            ["/@if/blank has an invalid directive: @oops."]
        );
        // ...but plain objects given as values are not looked into.
        assert!(validate(&json!({"@literal": {"a": {"@oops": 1}}})).is_empty());
    }
}
