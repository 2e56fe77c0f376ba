//! Reserved traits and properties (spec section 5): data-quality warnings, never rejections.

use serde_json::{Map, Value};

use super::ids::json_type_name;
use super::{currency, timestamp, Lookup, Members, Report};
use crate::call::CallType;
use crate::issue::{Code, Issue};
use crate::pointer::Pointer;
use crate::quote::quote;

/// The shape a reserved key's value should have.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Text,
    Number,
    TextOrNumber,
    Object,
    /// An ISO-8601 date or date-time string.
    Date,
    /// A string with `@` and text on both sides.
    Email,
    /// An upper-case ISO 4217 code.
    Currency,
    /// An object whose `name` is text and `employee_count` a number.
    Company,
}

const IDENTIFY_TRAITS: &[(&str, Shape)] = &[
    ("address", Shape::Object),
    ("age", Shape::Number),
    ("avatar", Shape::Text),
    ("birthday", Shape::Date),
    ("company", Shape::Company),
    ("createdAt", Shape::Date),
    ("created_at", Shape::Date),
    ("description", Shape::Text),
    ("email", Shape::Email),
    ("firstName", Shape::Text),
    ("first_name", Shape::Text),
    ("gender", Shape::Text),
    ("id", Shape::TextOrNumber),
    ("lastName", Shape::Text),
    ("last_name", Shape::Text),
    ("name", Shape::Text),
    ("phone", Shape::Text),
    ("title", Shape::Text),
    ("username", Shape::Text),
    ("website", Shape::Text),
];

/// `employees` is typed String in the doc, but every example sends a number: both are accepted.
const GROUP_TRAITS: &[(&str, Shape)] = &[
    ("address", Shape::Object),
    ("avatar", Shape::Text),
    ("createdAt", Shape::Date),
    ("created_at", Shape::Date),
    ("description", Shape::Text),
    ("email", Shape::Email),
    ("employees", Shape::TextOrNumber),
    ("id", Shape::TextOrNumber),
    ("industry", Shape::Text),
    ("name", Shape::Text),
    ("phone", Shape::Text),
    ("plan", Shape::Text),
    ("website", Shape::Text),
];

const TRACK_PROPERTIES: &[(&str, Shape)] =
    &[("currency", Shape::Currency), ("revenue", Shape::Number), ("value", Shape::Number)];

/// Whether `key` is reserved for any call: the only traits and properties [`check`] reads. A
/// `match` rather than a walk over the tables: the engine asks it for every trait and property
/// (a test checks it against the tables).
pub(crate) fn is_reserved(key: &str) -> bool {
    matches!(
        key,
        "address"
            | "age"
            | "avatar"
            | "birthday"
            | "company"
            | "createdAt"
            | "created_at"
            | "description"
            | "email"
            | "employees"
            | "firstName"
            | "first_name"
            | "gender"
            | "id"
            | "industry"
            | "lastName"
            | "last_name"
            | "name"
            | "phone"
            | "plan"
            | "title"
            | "username"
            | "website"
            | "currency"
            | "revenue"
            | "value"
    )
}

/// Whether the checks read a trait or property `key`: a reserved one, or a near miss of one
/// (`firstname`, `e-mail`).
pub(crate) fn is_read(key: &str) -> bool {
    is_reserved(key) || super::near_miss::folds_to_reserved(key)
}

/// Whether the checks read inside a trait or property `key` that is an object or an array:
/// only `company`'s members are checked (`COMPANY_FIELDS`); of any other, only what it is (an
/// object where a string belongs, an `address` that is an object).
pub(crate) fn reads_inside(key: &str) -> bool {
    key == "company"
}

/// Warns about every reserved key of `fields` (the traits or properties at `path()`, made only
/// for a warning) whose value has the wrong shape. `null` values are not checked.
pub(crate) fn check(call: CallType, fields: &Members<'_>, path: &dyn Fn() -> Pointer, report: &mut Report) {
    let table = match call {
        CallType::Identify => IDENTIFY_TRAITS,
        CallType::Group => GROUP_TRAITS,
        CallType::Track => TRACK_PROPERTIES,
        _ => return,
    };
    let what = if call == CallType::Track { "property" } else { "trait" };
    // The keys sent, matched against the table (not the table looked up key by key: that hashed
    // every reserved name for every message), then checked in the table's order.
    let mut found: [Option<&Value>; 32] = [None; 32];
    for (key, value) in fields.iter().filter(|(_, value)| !value.is_null()) {
        if let Some(slot) = table.iter().position(|(name, _)| *name == key).and_then(|at| found.get_mut(at)) {
            *slot = Some(value);
        }
    }
    for ((key, shape), value) in table.iter().zip(found) {
        if let Some(value) = value {
            check_value(key, *shape, value, &|| path().key(key), what, report);
        }
    }
    for (key, _) in fields.iter().filter(|(_, value)| !value.is_null()) {
        let Some(name) = super::near_miss::reserved(key) else { continue };
        if !table.iter().any(|(reserved, _)| *reserved == name) || fields.get(name).is_some_and(|v| !v.is_null()) {
            continue;
        }
        report.add_warning(
            Issue::new(
                Code::NearMissReserved,
                &path().key(key),
                format!(
                    "The {what} {} looks like the reserved {what} \"{name}\"; what reads \"{name}\" will not find it.",
                    quote(key)
                ),
            )
            .with_hint(format!("rename {} to \"{name}\"", quote(key))),
        );
    }
}

/// `path` makes the value's path, only for a warning (most values are fine).
fn check_value(key: &str, shape: Shape, value: &Value, path: &dyn Fn() -> Pointer, what: &str, report: &mut Report) {
    let problem = match (shape, value) {
        (Shape::Text, Value::String(_))
        | (Shape::Number, Value::Number(_))
        | (Shape::TextOrNumber, Value::String(_) | Value::Number(_))
        | (Shape::Object, Value::Object(_)) => None,
        (Shape::Text, other) => Some(format!("should be a string, not {}", json_type_name(other))),
        (Shape::Number, other) => Some(format!("should be a number, not {}", described(other))),
        (Shape::TextOrNumber, other) => Some(format!("should be a string or a number, not {}", json_type_name(other))),
        (Shape::Object, other) => Some(format!("should be an object, not {}", json_type_name(other))),
        (Shape::Date, Value::String(text)) => timestamp::parse(text)
            .err()
            .map(|why| format!("should be an ISO-8601 date, but {} is not: {why}", quote(text))),
        (Shape::Date, other) => Some(format!("should be an ISO-8601 date string, not {}", json_type_name(other))),
        (Shape::Email, Value::String(text)) => (!looks_like_email(text))
            .then(|| format!("should be an email address (text@domain), but {} is not", quote(text))),
        (Shape::Email, other) => Some(format!("should be an email address string, not {}", json_type_name(other))),
        (Shape::Currency, Value::String(text)) => (!currency::is_iso_4217(text)).then(|| {
            format!("should be an ISO 4217 currency code in upper case, such as \"USD\", not {}", quote(text))
        }),
        (Shape::Currency, other) => {
            Some(format!("should be an ISO 4217 currency code string, not {}", json_type_name(other)))
        }
        (Shape::Company, Value::Object(company)) => {
            check_company(company, &path(), report);
            None
        }
        (Shape::Company, other) => Some(format!("should be an object, not {}", json_type_name(other))),
    };
    if let Some(problem) = problem {
        report.add_warning(
            Issue::new(Code::ReservedTraitType, &path(), format!("The reserved {what} {} {problem}.", quote(key)))
                .with_hint(hint(key, shape, value)),
        );
    }
}

/// The value to send instead, when it can be named: the number a numeric string holds, the text
/// of a number, the upper-case currency code, the ISO-8601 form of a date.
fn hint(key: &str, shape: Shape, value: &Value) -> Option<String> {
    let send = |what: String| Some(format!("send {key} as {what}"));
    match (shape, value) {
        (Shape::Number, Value::String(text)) => {
            let number = json_number(text)?;
            send(format!("the number {}", super::ids::number_to_string(&number)))
        }
        // Past 2^53 the digits depend on how the number was spelled (`9007199254740993` or
        // `9007199254740993000E-3`): the hint names no value rather than a wrong one.
        (Shape::Text, Value::Number(number)) => match number.as_f64().filter(|n| n.abs() < 9_007_199_254_740_992.0) {
            Some(exact) => send(format!("the string {}", quote(&crate::js_number::js_number_to_string(exact)))),
            None => send(String::from("a string")),
        },
        (Shape::Currency, Value::String(text)) => {
            let upper = text.trim().to_ascii_uppercase();
            currency::is_iso_4217(&upper).then(|| format!("send {key} as {}", quote(&upper)))
        }
        (Shape::Date, _) => timestamp::suggest(value).and_then(|iso| send(quote(&iso))),
        _ => None,
    }
}

/// The members of identify's `company` trait that are checked.
const COMPANY_FIELDS: &[(&str, Shape)] = &[
    ("employee_count", Shape::Number),
    ("id", Shape::TextOrNumber),
    ("industry", Shape::Text),
    ("name", Shape::Text),
    ("plan", Shape::Text),
];

/// The company object of identify traits: `name`, `id`, `industry`, `employee_count`, `plan`.
fn check_company(company: &Map<String, Value>, path: &Pointer, report: &mut Report) {
    for (key, shape) in COMPANY_FIELDS {
        if let Some(value) = company.get(*key).filter(|value| !value.is_null()) {
            check_value(&format!("company.{key}"), *shape, value, &|| path.key(key), "trait", report);
        }
    }
}

/// A number that arrived as a string is the commonest mistake: say so.
fn described(value: &Value) -> String {
    match value {
        Value::String(text) if json_number(text).is_some() => format!("the string {}", quote(text)),
        other => json_type_name(other).to_owned(),
    }
}

/// The number a string holds, read as JSON reads one (`"26"`, `" 19.99 "`, `"1e3"`; not `"inf"`
/// or `".5"`). serde_json's reader rather than `f64::from_str`, whose tables cost 20 KB of the
/// module.
fn json_number(text: &str) -> Option<serde_json::Number> {
    match serde_json::from_str(text.trim()) {
        Ok(Value::Number(number)) => Some(number),
        _ => None,
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !super::ids::is_blank(local) && !super::ids::is_blank(domain) && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_table_fits_the_check() {
        // check() marks what it found in a 32-slot array, by table position.
        for table in [IDENTIFY_TRAITS, GROUP_TRAITS, TRACK_PROPERTIES] {
            assert!(table.len() <= 32);
        }
    }

    #[test]
    fn is_reserved_names_exactly_the_tables_keys() {
        let tables = [IDENTIFY_TRAITS, GROUP_TRAITS, TRACK_PROPERTIES];
        for (name, _) in tables.iter().flat_map(|table| table.iter()) {
            assert!(is_reserved(name), "{name}");
        }
        let count = |names: &[&str]| names.iter().filter(|name| is_reserved(name)).count();
        let all: std::collections::BTreeSet<&str> =
            tables.iter().flat_map(|table| table.iter().map(|(name, _)| *name)).collect();
        assert_eq!(count(&all.iter().copied().collect::<Vec<_>>()), all.len());
        assert_eq!(all.len(), 26);
        assert!(!is_reserved("Email") && !is_reserved("") && !is_reserved("revenue "));
    }

    fn warnings(call: CallType, fields: Value) -> Vec<(String, String)> {
        let mut report = Report::default();
        let Value::Object(fields) = fields else { unreachable!() };
        check(call, &Members::borrow(&fields), &|| Pointer::root().key("traits"), &mut report);
        report.warnings.into_iter().map(|issue| (issue.path, issue.message)).collect()
    }

    #[test]
    fn identify_traits() {
        let found = warnings(
            CallType::Identify,
            json!({"email": "nope", "age": "26", "createdAt": "last week", "address": "1 Main St", "name": "Ada",
                   "company": {"name": 5, "employee_count": 10}, "id": 7, "phone": null}),
        );
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(
            paths,
            ["/traits/address", "/traits/age", "/traits/company/name", "/traits/createdAt", "/traits/email"]
        );
        assert!(found[1].1.contains("the string \"26\""));
    }

    #[test]
    fn group_employees_accepts_numbers_and_strings() {
        assert!(warnings(CallType::Group, json!({"employees": 329, "plan": "enterprise"})).is_empty());
        assert!(warnings(CallType::Group, json!({"employees": "329"})).is_empty());
        assert_eq!(warnings(CallType::Group, json!({"employees": true})).len(), 1);
    }

    #[test]
    fn track_properties() {
        assert!(warnings(CallType::Track, json!({"revenue": 19.99, "currency": "USD", "value": 3})).is_empty());
        assert_eq!(warnings(CallType::Track, json!({"revenue": "19.99", "currency": "usd"})).len(), 2);
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("a@b.co"));
        assert!(looks_like_email("first.last+tag@example.com"));
        assert!(!looks_like_email("@example.com"));
        assert!(!looks_like_email("a@"));
        assert!(!looks_like_email("a b@example.com"));
        assert!(!looks_like_email("example.com"));
    }
}
