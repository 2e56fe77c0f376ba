//! The fixture corpus: every rule of the spec as a message or batch with its expected outcome,
//! run through the value API and through the JSON text API, which must agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use astrolabe_segment::{CallType, Code, Config, Destination, MapOptions};
use common::{fixture_input, fixtures, Fixture};
use serde_json::Value;
use std::collections::BTreeSet;

fn run(fixture: &Fixture) -> Vec<String> {
    let body = &fixture.body;
    let config = Config::from_value(body.get("config").cloned().unwrap_or(Value::Null)).unwrap();
    let destination = Destination::new(config).unwrap();
    let options = MapOptions {
        call_type: body.pointer("/options/type").and_then(Value::as_str).map(|name| CallType::from_name(name).unwrap()),
    };
    let input = fixture_input(body);
    let text = serde_json::to_vec(&input).unwrap();
    let expected = &body["expected"];
    let paths = body.get("pathsExact").and_then(Value::as_bool).unwrap_or(true);
    let from_text = serde_json::from_str::<Value>(&destination.map_json(&text, &options).to_json()).unwrap();
    type Compare = fn(&Value, &Value, bool) -> Vec<String>;
    let (from_value, compare): (Value, Compare) = match body["kind"].as_str() {
        Some("batch") => (serde_json::to_value(destination.map_batch(&input)).unwrap(), common::batch_differences),
        _ => (serde_json::to_value(destination.map(&input, &options)).unwrap(), common::outcome_differences),
    };
    let mut differences: Vec<String> = compare(&from_value, expected, paths);
    if from_text != from_value {
        differences.push("map_json disagrees with the value API".to_owned());
    }
    differences
}

#[test]
fn every_fixture_gets_its_expected_outcome() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 60, "the corpus has {} fixtures; at least 60 are expected", fixtures.len());
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|fixture| {
            let differences = run(fixture);
            (!differences.is_empty()).then(|| format!("{}:\n    {}", fixture.name, differences.join("\n    ")))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), fixtures.len(), failures.join("\n"));
}

/// Every code the core can raise on a message appears in at least one expectation.
#[test]
fn the_corpus_covers_every_code() {
    let mut seen = BTreeSet::new();
    for fixture in fixtures() {
        collect_codes(&fixture.body["expected"], &mut seen);
    }
    let elsewhere = [
        Code::InvalidJson,
        Code::NotJson,
        Code::MappingFailed,
        Code::PlanViolation,
        Code::UnplannedEvent,
        Code::UnplannedProperty,
        // Only with `privacy`, which the lite build has not (tests/pii.rs).
        Code::PiiDetected,
        // The edge handler's answers (pkg/edge/, tests/edge/), never the core's.
        Code::Unauthorized,
        Code::InvalidSignature,
        Code::OriginNotAllowed,
        Code::BodyTimeout,
        Code::NotForwarded,
        Code::MessageIdDerived,
    ];
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| !elsewhere.contains(code) && !seen.contains(code.as_str()))
        .map(|code| code.as_str())
        .collect();
    assert!(missing.is_empty(), "no fixture expects {missing:?}");
}

fn collect_codes(value: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(code)) = map.get("code") {
                seen.insert(code.clone());
            }
            map.values().for_each(|value| collect_codes(value, seen));
        }
        Value::Array(items) => items.iter().for_each(|value| collect_codes(value, seen)),
        _ => {}
    }
}

/// What a warning says happens to the message ("It is sent as the string \"42\"."), said only
/// when it happens: in strict mode every warning is an error and nothing is sent, so no message
/// describes an effect. Every fixture with warnings runs both ways; the phrases must appear in
/// default mode (so this test can fail) and never in strict mode.
#[test]
fn strict_mode_messages_describe_no_effect_the_outcome_does_not_have() {
    const EFFECTS: &[&str] = &["It is sent", "is upserted", "It is ignored", "is omitted", "is sent without"];
    let issues = |value: &Value| -> Vec<(String, String)> {
        let mut found = Vec::new();
        collect_messages(value, &mut found);
        found
    };
    let (mut with_effects, mut strict_runs) = (BTreeSet::new(), 0);
    for fixture in fixtures() {
        let body = &fixture.body;
        let mut config = body.get("config").cloned().unwrap_or_else(|| serde_json::json!({}));
        let input = fixture_input(body);
        let options = MapOptions {
            call_type: body
                .pointer("/options/type")
                .and_then(Value::as_str)
                .map(|name| CallType::from_name(name).unwrap()),
        };
        for strict in [false, true] {
            config["strict"] = Value::Bool(strict);
            let destination = Destination::new(Config::from_value(config.clone()).unwrap()).unwrap();
            let text = serde_json::to_vec(&input).unwrap();
            let outcome: Value = serde_json::from_str(&destination.map_json(&text, &options).to_json()).unwrap();
            for (code, message) in issues(&outcome) {
                let effect = EFFECTS.iter().find(|effect| message.contains(*effect));
                if strict {
                    assert!(effect.is_none(), "{}: strict mode, {code}: {message}", fixture.name);
                } else if effect.is_some() {
                    with_effects.insert(code);
                }
            }
            strict_runs += usize::from(strict);
        }
    }
    assert!(strict_runs >= 170);
    for code in ["id_coerced", "no_user_to_associate", "message_id_blank", "near_miss_key"] {
        assert!(with_effects.contains(code), "no fixture shows the effect of {code} in default mode: {with_effects:?}");
    }
}

/// Every `(code, message)` in an outcome or a batch outcome.
fn collect_messages(value: &Value, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(code)), Some(Value::String(message))) = (map.get("code"), map.get("message")) {
                found.push((code.clone(), message.clone()));
            }
            map.values().for_each(|value| collect_messages(value, found));
        }
        Value::Array(items) => items.iter().for_each(|value| collect_messages(value, found)),
        _ => {}
    }
}

/// The same for a tracking plan's unplanned property: "It is omitted" only when it is.
#[cfg(feature = "tracking-plan")]
#[test]
fn an_unplanned_property_is_said_omitted_only_when_it_is() {
    let plan = serde_json::json!({"rules": [{"type": "TRACK", "key": "Clicked", "jsonSchema": {"properties": {"properties": {"properties": {"a": {}}}}}}],
        "unplannedProperties": "omit"});
    let message = br#"{"type": "track", "userId": "u", "event": "Clicked", "properties": {"a": 1, "b": 2}}"#;
    for strict in [false, true] {
        let config = Config::from_value(serde_json::json!({"trackingPlan": plan, "strict": strict})).unwrap();
        let outcome = Destination::new(config).unwrap().map_json(message, &MapOptions::default()).to_json();
        let outcome: Value = serde_json::from_str(&outcome).unwrap();
        let list = if strict { "errors" } else { "warnings" };
        let text = outcome[list][0]["message"].as_str().unwrap();
        assert_eq!(outcome[list][0]["code"], "unplanned_property");
        assert_eq!(text.contains("It is omitted from the operation."), !strict, "{text}");
    }
}
