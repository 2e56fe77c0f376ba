//! `infer`'s promise, through the public API and the plan engine: the plan inferred from a set of
//! messages accepts every one of them (no `plan_violation`, `unplanned_event` or
//! `unplanned_property`, with every plan setting at its strictest), over messages nobody wrote for
//! this test (the fixtures, the real plans' test events, Segment's documentation payloads) and
//! random ones; and a message changed in one way is refused by the plan inferred with
//! `--min-count 1` for the changes listed in `CAUGHT`, and not for those in `NOT_CAUGHT`.
#![cfg(feature = "tools")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::Path;

use astrolabe_segment::check::{Framing, Inferrer};
use astrolabe_segment::{Config, Destination, MapOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Number, Value};

/// The plan inferred from NDJSON `text`.
fn inferred(text: &str, enum_max: Option<usize>) -> Value {
    let mut inferrer = Inferrer::new(enum_max).unwrap();
    inferrer.read("input.ndjson", Framing::Lines, 1, text.as_bytes());
    serde_json::from_str(&inferrer.inference().plan(1).text).unwrap()
}

/// A Destination enforcing `plan` with every setting at its strictest.
fn enforcing(plan: &Value) -> Destination {
    let mut strict = plan.clone();
    strict["violations"] = json!("block");
    strict["unplannedEvents"] = json!("block");
    strict["unplannedProperties"] = json!("omit");
    Destination::new(Config { tracking_plan: Some(strict), ..Config::default() }).unwrap()
}

/// The plan's issues for a value's text (a message, a batch body, a list of messages).
fn plan_issues(destination: &Destination, text: &str) -> Vec<String> {
    let answer = destination.map_json_text(text.as_bytes(), &MapOptions::default());
    let mut found = Vec::new();
    collect(&serde_json::from_str(&answer).unwrap(), &mut found);
    found
}

fn collect(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(code)) = map.get("code") {
                if code == "plan_violation" || code.starts_with("unplanned_") {
                    found.push(format!("{code} at {}: {}", map["path"], map["message"]));
                }
            }
            map.values().for_each(|value| collect(value, found));
        }
        Value::Array(values) => values.iter().for_each(|value| collect(value, found)),
        _ => {}
    }
}

/// Infers a plan from `values` (one a line) and checks each against it; gives the plan.
fn assert_accepts_all(name: &str, values: &[Value], enum_max: Option<usize>) -> Value {
    let lines: String = values.iter().map(|value| format!("{value}\n")).collect();
    let plan = inferred(&lines, enum_max);
    let destination = enforcing(&plan);
    for value in values {
        let issues = plan_issues(&destination, &value.to_string());
        assert!(issues.is_empty(), "{name}: {issues:#?}\nfor {value}\nunder {plan:#}");
    }
    plan
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture's input (messages and batch bodies).
fn fixture_inputs() -> Vec<Value> {
    let mut inputs = Vec::new();
    for entry in fs::read_dir(root().join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "json") {
            let fixture: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            if let Some(input) = fixture.get("input").filter(|input| !input.is_null()) {
                inputs.push(input.clone());
            }
        }
    }
    assert!(inputs.len() > 150, "{} fixtures", inputs.len());
    inputs
}

/// The test events of the real plans in tests/plans.
fn plan_case_messages() -> Vec<Value> {
    let mut messages = Vec::new();
    for source in fs::read_dir(root().join("tests/plans")).unwrap() {
        let source = source.unwrap().path();
        if !source.is_dir() {
            continue;
        }
        for file in fs::read_dir(&source).unwrap() {
            let file = file.unwrap().path();
            if file.to_string_lossy().ends_with(".cases.json") {
                let cases: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
                messages.extend(cases["cases"].as_array().unwrap().iter().map(|case| case["message"].clone()));
            }
        }
    }
    assert!(messages.len() > 100, "{} cases", messages.len());
    messages
}

#[test]
fn the_plan_inferred_from_the_fixtures_accepts_every_one() {
    for enum_max in [None, Some(4)] {
        assert_accepts_all("fixtures", &fixture_inputs(), enum_max);
    }
}

#[test]
fn the_plan_inferred_from_the_real_plans_test_events_accepts_every_one() {
    for enum_max in [None, Some(4)] {
        let plan = assert_accepts_all("plan cases", &plan_case_messages(), enum_max);
        assert!(plan["rules"].as_array().unwrap().len() > 30);
    }
}

#[test]
fn the_plan_inferred_from_segments_documentation_accepts_every_payload() {
    let folder = root().join("../shared/examples/segment-docs");
    let Ok(entries) = fs::read_dir(&folder) else {
        eprintln!("skipped: {} is absent", folder.display());
        return;
    };
    // Pretty-printed documents, read as `infer` reads files (some are not JSON: counted, skipped).
    let mut inferrer = Inferrer::new(Some(3)).unwrap();
    let mut texts = Vec::new();
    let mut files: Vec<_> = entries.map(|entry| entry.unwrap().path()).filter(|path| path.is_file()).collect();
    files.sort();
    for file in files.iter().filter(|file| file.extension().is_some_and(|extension| extension == "json")) {
        let text = fs::read_to_string(file).unwrap();
        inferrer.count_file();
        inferrer.read(&file.to_string_lossy(), Framing::detect(text.as_bytes(), true).unwrap(), 1, text.as_bytes());
        texts.push(text);
    }
    let inference = inferrer.take_inference();
    assert!(inference.messages() > 20, "{}", inference.messages());
    let plan: Value = serde_json::from_str(&inference.plan(1).text).unwrap();
    let destination = enforcing(&plan);
    for text in &texts {
        assert_eq!(plan_issues(&destination, text), Vec::<String>::new(), "{text}\nunder {plan:#}");
    }
}

// ---- Changed in one way -------------------------------------------------------------------------

/// The messages the changes start from: an event with nested objects, arrays of objects, formats
/// and a few distinct strings, and identify calls.
fn base() -> Vec<Value> {
    let mut messages = Vec::new();
    for at in 0..6 {
        messages.push(json!({
            "type": "track", "userId": format!("u{at}"), "event": "Order Completed",
            "properties": {
                "order_id": format!("o{at}"),
                "revenue": at as f64 * 10.5,
                "currency": if at % 2 == 0 { "USD" } else { "EUR" },
                "placed_at": format!("2024-12-0{}T09:30:00Z", at + 1),
                "store_url": "https://shop.example.com",
                "buyer": {"email": format!("b{at}@example.com"), "address": {"city": "Paris", "zip": "75001"}},
                "products": [{"sku": format!("s{at}"), "price": 9.99, "quantity": 1}, {"sku": "extra", "price": 1, "quantity": 2}],
                "gift": at % 2 == 0
            }
        }));
        // Only some orders have a coupon, and it may be null.
        let last = messages.len() - 1;
        match at % 3 {
            0 => messages[last]["properties"]["coupon"] = json!("SPRING"),
            1 => messages[last]["properties"]["coupon"] = Value::Null,
            _ => {}
        }
        messages.push(json!({
            "type": "identify", "userId": format!("u{at}"),
            "traits": {"email": format!("u{at}@example.com"), "plan": if at < 3 { "free" } else { "pro" }, "logins": at}
        }));
    }
    messages
}

/// One change to the first track message (or, `identify`, to the first identify message).
type Change = (&'static str, bool, fn(&mut Value));

/// Changes the plan inferred with `--min-count 1 --enum-max 3` must catch.
const CAUGHT: &[Change] = &[
    ("a string property's type flipped to a number", false, |m| m["properties"]["order_id"] = json!(7)),
    ("a number property's type flipped to a string", false, |m| m["properties"]["revenue"] = json!("10.5")),
    ("a boolean sent as a string", false, |m| m["properties"]["gift"] = json!("true")),
    ("a property every message had removed", false, |m| {
        m["properties"].as_object_mut().unwrap().remove("order_id");
    }),
    ("null where a property never was null", false, |m| m["properties"]["revenue"] = Value::Null),
    ("a nested field's type changed", false, |m| m["properties"]["buyer"]["address"]["zip"] = json!(75001)),
    ("a nested field every object had removed", false, |m| {
        m["properties"]["buyer"]["address"].as_object_mut().unwrap().remove("city");
    }),
    ("an array's item field type changed", false, |m| m["properties"]["products"][1]["price"] = json!("1")),
    ("an array's item missing a field every item had", false, |m| {
        m["properties"]["products"][0].as_object_mut().unwrap().remove("sku");
    }),
    ("an array sent as an object", false, |m| m["properties"]["products"] = json!({"sku": "s"})),
    ("a date-time no longer one", false, |m| m["properties"]["placed_at"] = json!("05/12/2024")),
    ("an email no longer one", false, |m| m["properties"]["buyer"]["email"] = json!("not an email")),
    ("a uri no longer one", false, |m| m["properties"]["store_url"] = json!("shop.example.com")),
    ("a new value of a property with few (--enum-max)", false, |m| m["properties"]["currency"] = json!("GBP")),
    ("properties removed from a call that always had them", false, |m| {
        m.as_object_mut().unwrap().remove("properties");
    }),
    ("properties sent as an array", false, |m| m["properties"] = json!([])),
    ("a trait's type flipped", true, |m| m["traits"]["logins"] = json!("3")),
    ("a trait every identify had removed", true, |m| {
        m["traits"].as_object_mut().unwrap().remove("email");
    }),
    ("a new value of a trait with few", true, |m| m["traits"]["plan"] = json!("team")),
];

/// Changes it lets through, by design: only what every message showed is written.
const NOT_CAUGHT: &[Change] = &[
    ("a new property", false, |m| m["properties"]["note"] = json!("new")),
    ("a property only some messages had removed", false, |m| {
        m["properties"].as_object_mut().unwrap().remove("coupon");
    }),
    ("null where null was seen", false, |m| m["properties"]["coupon"] = Value::Null),
    ("an integer where fractions were seen", false, |m| m["properties"]["revenue"] = json!(10)),
    ("an empty array of items", false, |m| m["properties"]["products"] = json!([])),
    ("an extra member in a nested object", false, |m| m["properties"]["buyer"]["address"]["country"] = json!("FR")),
    ("another string of a property with many values", false, |m| m["properties"]["order_id"] = json!("o99")),
    ("a new trait", true, |m| m["traits"]["name"] = json!("Ada")),
];

#[test]
fn messages_changed_in_one_way_are_refused_as_listed() {
    let messages = base();
    let plan = assert_accepts_all("base", &messages, Some(3));
    let destination = enforcing(&plan);
    for (caught, changes) in [(true, CAUGHT), (false, NOT_CAUGHT)] {
        for (name, identify, change) in changes {
            let at = usize::from(*identify);
            let mut message = messages[at].clone();
            change(&mut message);
            assert_ne!(message, messages[at], "{name}: nothing changed");
            let issues = plan_issues(&destination, &message.to_string());
            let violations = issues.iter().filter(|issue| issue.starts_with("plan_violation")).count();
            assert_eq!(violations > 0, caught, "{name}: {issues:#?}\nfor {message}");
        }
    }
}

#[test]
fn without_enum_max_no_value_is_refused_for_being_new() {
    let plan = assert_accepts_all("base", &base(), None);
    let mut message = base()[0].clone();
    message["properties"]["currency"] = json!("GBP");
    assert_eq!(plan_issues(&enforcing(&plan), &message.to_string()), Vec::<String>::new());
}

// ---- Random messages ----------------------------------------------------------------------------

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["a", "b", "email", "url", "at", "nested", "items", "", "a/b", "~1", "é"])
            .prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "x", "y", "", " ", "2024-12-05T09:30:00Z", "2024-12-05", "ada@example.com", "ada@", "https://example.com",
            "example.com", "urn:isbn:0451450523", "1e400", "\u{0}", "é😀",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |x| Number::from_f64(x).map(Value::Number)),
        Just(json!(3.0)),
        Just(json!(-0.0)),
    ]
}

/// Any JSON value, nested past the depth `infer` describes on some branches.
fn value() -> impl Strategy<Value = Value> {
    let leaf =
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool), number(), text().prop_map(Value::String)];
    leaf.prop_recursive(40, 128, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..5).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A message of any type, its event among a few, with random properties and traits (objects
/// mostly, anything sometimes).
fn message() -> impl Strategy<Value = Value> {
    let body = prop_oneof![
        4 => prop::collection::vec((key(), value()), 0..6).prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        1 => value(),
    ];
    (
        prop::sample::select(vec!["identify", "group", "track", "track", "track", "page"]),
        prop::sample::select(vec!["A", "B", "Order Completed", " "]),
        prop::option::of(body.clone()),
        prop::option::of(body),
    )
        .prop_map(|(kind, event, properties, traits)| {
            let mut message = json!({"type": kind, "userId": "u1", "groupId": "g1", "event": event});
            if let Some(properties) = properties {
                message["properties"] = properties;
            }
            if let Some(traits) = traits {
                message["traits"] = traits;
            }
            message
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_plan_inferred_from_random_messages_accepts_every_one(
        messages in prop::collection::vec(message(), 1..12),
        enum_max in prop::option::of(1usize..4),
    ) {
        assert_accepts_all("random", &messages, enum_max);
        // Batched as one body, the same.
        let batch = json!({"batch": messages});
        assert_accepts_all("random batch", &[batch], enum_max);
    }
}
