//! Custom mappings through a `Destination`: the documented defaults equal the built-in mapping
//! over the whole corpus, overrides and extra fields, checks of what a mapping gives, and
//! configuration errors naming the operation and field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use astrolabe_segment::custom::default_directives;
use astrolabe_segment::{CallType, Config, Destination, MapOptions, Status};
use serde_json::{json, Value};

fn destination(config: Value) -> Destination {
    Destination::new(Config::from_value(config).unwrap()).unwrap()
}

/// The default directives, run through the engine, give exactly the built-in mapping's
/// outcomes (operations, errors, warnings, messages) for every fixture.
#[test]
fn default_directives_equal_the_built_in_mapping_over_the_corpus() {
    let fixtures = common::fixtures();
    let mut failures = Vec::new();
    for mappings in
        [default_directives(), json!({"upsertUser": {}, "upsertAccount": {}, "associateUser": {}, "trackEvent": {}})]
    {
        for fixture in &fixtures {
            let body = &fixture.body;
            let mut config = body.get("config").cloned().unwrap_or(json!({}));
            let built_in = destination(config.clone());
            config["mappings"] = mappings.clone();
            let through_engine = destination(config);
            let options = MapOptions {
                call_type: body.pointer("/options/type").and_then(Value::as_str).and_then(CallType::from_name),
            };
            let input = common::fixture_input(body);
            let text = serde_json::to_vec(&input).unwrap();
            let expected = built_in.map_json(&text, &options).to_json();
            let actual = through_engine.map_json(&text, &options).to_json();
            if expected != actual {
                failures.push(format!("{}:\n  built-in {expected}\n  engine   {actual}", fixture.name));
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn overrides_and_extra_fields() {
    let destination = destination(json!({"mappings": {
        "upsertUser": {
            "userId": {"@path": "$.traits.email"},
            "plan": {"@path": "$.context.plan"},
            "fullName": {"@template": "{{traits.first}} {{traits.last}}"}
        },
        "trackEvent": {"event": {"@case": {"operator": "lower", "value": {"@path": "$.event"}}}}
    }}));
    let identify = json!({"type": "identify", "userId": "u1", "traits": {"email": "ada@example.com", "first": "Ada", "last": "L"},
                          "context": {"plan": "pro"}});
    let outcome = destination.map(&identify, &MapOptions::default());
    assert_eq!(outcome.status, Status::Mapped, "{:?}", outcome.errors);
    assert_eq!(
        serde_json::to_value(&outcome.operations).unwrap(),
        json!([{"op": "upsertUser", "userId": "ada@example.com",
                "traits": {"email": "ada@example.com", "first": "Ada", "last": "L", "plan": "pro", "fullName": "Ada L"}}])
    );
    let track = json!({"type": "track", "userId": "u1", "event": "Signed Up"});
    let outcome = destination.map(&track, &MapOptions::default());
    assert_eq!(serde_json::to_value(&outcome.operations).unwrap()[0]["event"], json!("signed up"));
}

#[test]
fn a_mapping_that_loses_a_required_field_is_invalid() {
    let destination = destination(json!({"mappings": {
        "upsertUser": {"userId": {"@path": "$.traits.nope"}, "anonymousId": {"@path": "$.nope"}},
        "trackEvent": {"event": {"@path": "$.properties.name"}}
    }}));
    let outcome = destination.map(&json!({"type": "identify", "userId": "u1"}), &MapOptions::default());
    assert_eq!(outcome.status, Status::Invalid);
    assert_eq!(outcome.errors[0].code.as_str(), "mapping_failed");
    assert!(outcome.errors[0].message.contains("upsertUser.userId"), "{}", outcome.errors[0].message);

    let batch = json!({"batch": [{"type": "track", "userId": "u", "event": "E"}]});
    let outcome = destination.map_batch(&batch);
    let item = &outcome.outcomes[0];
    assert_eq!(item.status, Status::Invalid);
    assert_eq!(item.errors[0].path, "/batch/0");
    assert!(item.errors[0].message.contains("trackEvent.event"), "{}", item.errors[0].message);
}

#[test]
fn a_mapping_that_gives_the_wrong_type_is_invalid() {
    let destination = destination(json!({"mappings": {
        "trackEvent": {"properties": {"@path": "$.event"}, "timestamp": {"@literal": "yesterday"}}
    }}));
    let outcome = destination.map(&json!({"type": "track", "userId": "u", "event": "E"}), &MapOptions::default());
    assert_eq!(outcome.status, Status::Invalid);
    let messages: Vec<&str> = outcome.errors.iter().map(|issue| issue.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("trackEvent.properties") && messages[0].contains("must be an object"), "{messages:?}");
    assert!(messages[1].contains("trackEvent.timestamp"), "{messages:?}");
}

#[test]
fn a_custom_associate_user_without_a_user_is_left_out() {
    let destination = destination(json!({"mappings": {"associateUser": {"userId": {"@path": "$.traits.owner"}}}}));
    let group = json!({"type": "group", "userId": "u", "groupId": "g", "traits": {}});
    let outcome = destination.map(&group, &MapOptions::default());
    assert_eq!(outcome.status, Status::Mapped);
    let ops: Vec<&str> = outcome.operations.iter().map(|op| op.name()).collect();
    assert_eq!(ops, ["upsertAccount"]);
}

#[test]
fn configuration_errors_name_the_operation_and_field() {
    let error = |mappings: Value| {
        Destination::new(Config::from_value(json!({ "mappings": mappings })).unwrap()).unwrap_err().to_string()
    };
    let message = error(json!({"trackEvent": {"event": {"@path": false}}}));
    assert!(
        message.contains(
            "mappings.trackEvent.event: /@path should be a string or a mapping directive but it is a boolean."
        ),
        "{message}"
    );
    let message = error(json!({"upsertUsr": {}}));
    assert!(message.contains("mappings.upsertUsr: unknown operation"), "{message}");
    let message = error(json!({"associateUser": {"plan": {"@path": "$.x"}}}));
    assert!(message.contains("mappings.associateUser.plan") && message.contains("no traits"), "{message}");
    let message = error(json!({"upsertUser": {"userId": {"@oops": 1}, "traits": {"@template": 5}}}));
    assert!(
        message.contains("mappings.upsertUser.userId") && message.contains("mappings.upsertUser.traits"),
        "{message}"
    );
}

/// `validate` answers as `map` does: a mapping that fails makes the message invalid for both.
#[test]
fn validate_runs_the_custom_mappings_too() {
    let destination = destination(json!({"mappings": {"trackEvent": {"event": {"@path": "$.properties.name"}}}}));
    let message = json!({"type": "track", "userId": "u", "event": "E"});
    let validation = destination.validate(&message, &MapOptions::default());
    let outcome = destination.map(&message, &MapOptions::default());
    assert_eq!(outcome.status, Status::Invalid);
    assert!(!validation.valid);
    assert_eq!(validation.errors, outcome.errors);
}
