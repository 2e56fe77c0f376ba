//! Shared by the fuzz targets: the Destinations every input goes through, and the checks every
//! outcome must pass (a well-formed outcome whose JSON text parses).
#![allow(dead_code)]

use astrolabe_segment::{CallType, Config, Destination, MapOptions, Mapped, Status};
use serde_json::{json, Value};

/// Default, strict, custom mappings (with `@liquid`) and a tracking plan.
pub fn destinations() -> Vec<Destination> {
    let configs = [
        json!({}),
        json!({"strict": true}),
        json!({"mappings": {
            "upsertUser": {"userId": {"@path": "$.traits.email"}, "x": {"@template": "{{traits.name}}"},
                           "l": {"@liquid": "{{ traits.name | upcase }}"}},
            "trackEvent": {"event": {"@case": {"operator": "upper", "value": {"@path": "$.event"}}},
                           "flat": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "."}}}
        }}),
        json!({"trackingPlan": {"rules": [
            {"type": "COMMON", "key": "", "jsonSchema": {"properties": {"context": {"type": "object"}}}},
            {"type": "TRACK", "key": "Order Completed", "jsonSchema": {"properties": {"properties": {
                "additionalProperties": false, "properties": {"revenue": {"type": "number"}}}}}}
        ], "violations": "omitProperties", "unplannedProperties": "omit", "unplannedEvents": "warn"}}),
    ];
    configs
        .into_iter()
        .filter_map(|config| Config::from_value(config).ok())
        .filter_map(|config| Destination::new(config).ok())
        .collect()
}

/// The call type option chosen by one byte of the input.
pub fn options(selector: u8) -> MapOptions {
    let call_type = match selector % 5 {
        0 => Some(CallType::Identify),
        1 => Some(CallType::Group),
        2 => Some(CallType::Track),
        3 => Some(CallType::Page),
        _ => None,
    };
    MapOptions { call_type }
}

/// Every outcome is consistent with its status, every issue has a pointer path and a sentence
/// (quoting at most a short piece of the input), and the JSON text parses.
pub fn check(mapped: &Mapped) {
    let outcomes = match mapped {
        Mapped::Message(outcome) => vec![outcome],
        Mapped::Batch(batch) => batch.outcomes.iter().collect(),
    };
    for outcome in outcomes {
        match outcome.status {
            Status::Mapped => assert!(outcome.errors.is_empty() && outcome.reason.is_none()),
            Status::Skipped => assert!(outcome.operations.is_empty() && outcome.reason.is_some()),
            Status::Invalid => assert!(outcome.operations.is_empty() && !outcome.errors.is_empty()),
        }
        for issue in outcome.errors.iter().chain(&outcome.warnings) {
            assert!(issue.path.is_empty() || issue.path.starts_with('/'), "{issue:?}");
            assert!(!issue.message.is_empty());
            assert!(issue.message.chars().count() < 1_000, "an issue message quotes too much: {issue:?}");
        }
    }
    let text = mapped.to_json();
    if let Err(error) = serde_json::from_str::<Value>(&text) {
        panic!("the outcome's JSON does not parse ({error}): {text}");
    }
}

/// Splits the input at the first NUL byte: (before, after).
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&byte| byte == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[]),
    }
}
