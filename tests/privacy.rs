//! Issue messages quote at most a short piece of the caller's input (crate::quote): a long value
//! (a secret pasted into a trait, a 30 KB timestamp) never comes back whole in a sentence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::quote::MAX_QUOTED_CHARS;
use astrolabe_segment::{Config, Destination, MapOptions, Outcome};
use serde_json::{json, Value};

/// A long secret-like text: no 41-character run of it may appear in a message.
fn secret(prefix: &str) -> String {
    format!("{prefix}{}", "s3cr3t-".repeat(600))
}

fn messages(outcome: &Outcome) -> Vec<String> {
    outcome.errors.iter().chain(&outcome.warnings).chain(&outcome.reason).map(|issue| issue.message.clone()).collect()
}

fn assert_quotes_little(outcome: &Outcome, value: &str, expected_issues: usize) {
    let messages = messages(outcome);
    assert!(messages.len() >= expected_issues, "{messages:?}");
    let window: String = value.chars().take(MAX_QUOTED_CHARS + 1).collect();
    for message in &messages {
        assert!(!message.contains(&window), "a message quotes more than {MAX_QUOTED_CHARS} characters: {message}");
        assert!(message.chars().count() < 400, "a long message: {message}");
    }
}

#[test]
fn spec_messages_quote_a_short_piece() {
    let destination = Destination::new(Config::default()).unwrap();
    let long = secret("");
    let cases = [
        json!({"type": long, "userId": "u"}),
        json!({"type": "identify", "userId": "u", "traits": {"email": long, "createdAt": long}}),
        json!({"type": "track", "userId": "u", "event": "e", "timestamp": long, "properties": {"currency": long, "revenue": format!("1{}", " ".repeat(5000))}}),
        json!({"type": "group", "groupId": "g", "sentAt": long, "originalTimestamp": long}),
    ];
    for message in cases {
        let outcome = destination.map(&message, &MapOptions::default());
        assert_quotes_little(&outcome, &long, 1);
    }
    // The cut piece is there, for the reader: the first characters and an ellipsis.
    let outcome = destination.map(&json!({"type": long, "userId": "u"}), &MapOptions::default());
    let expected = format!("\"{}…\"", long.chars().take(MAX_QUOTED_CHARS).collect::<String>());
    assert!(outcome.errors[0].message.starts_with(&expected), "{}", outcome.errors[0].message);
}

#[test]
fn custom_mapping_messages_quote_a_short_piece() {
    let config = json!({"mappings": {"upsertUser": {"timestamp": {"@path": "$.traits.when"}}}});
    let destination = Destination::new(Config::from_value(config).unwrap()).unwrap();
    let long = secret("not a date ");
    let outcome =
        destination.map(&json!({"type": "identify", "userId": "u", "traits": {"when": long}}), &MapOptions::default());
    assert_eq!(outcome.status.as_str(), "invalid", "{}", outcome.to_json());
    assert_quotes_little(&outcome, &long, 1);
}

#[cfg(feature = "tracking-plan")]
#[test]
fn tracking_plan_messages_quote_a_short_piece() {
    let long = secret("key-");
    let plan = json!({"trackingPlan": {"rules": [
        {"type": "TRACK", "key": "Paid", "jsonSchema": {"properties": {"properties": {
            "type": "object", "additionalProperties": false,
            "properties": {"n": {"type": "number"}, "email": {"type": "string", "format": "email"},
                           "code": {"type": "string", "maxLength": 3}, "sku": {"pattern": "^[0-9]+$"},
                           "tag": {"enum": ["a", "b"]}}}}}}
    ], "unplannedEvents": "warn", "violations": "block"}});
    let destination = Destination::new(Config::from_value(plan).unwrap()).unwrap();
    let mut properties = serde_json::Map::new();
    properties.insert(long.clone(), json!(1));
    properties.insert("n".into(), Value::String(long.clone()));
    properties.insert("email".into(), Value::String(long.clone()));
    for key in ["code", "sku", "tag"] {
        properties.insert(key.into(), Value::String(long.clone()));
    }
    let outcome = destination.map(
        &json!({"type": "track", "userId": "u", "event": "Paid", "properties": properties}),
        &MapOptions::default(),
    );
    assert_quotes_little(&outcome, &long, 6);
    let unplanned =
        destination.map(&json!({"type": "track", "userId": "u", "event": long.clone()}), &MapOptions::default());
    assert_quotes_little(&unplanned, &long, 1);
}

#[test]
fn config_errors_quote_a_short_piece() {
    let long = secret("option-");
    let mut config = serde_json::Map::new();
    config.insert(long.clone(), json!(true));
    let error = Config::from_value(Value::Object(config)).unwrap_err().to_string();
    let window: String = long.chars().take(MAX_QUOTED_CHARS + 1).collect();
    assert!(!error.contains(&window), "{error}");
    assert!(error.contains("unknown option \"option-"), "{error}");
}
