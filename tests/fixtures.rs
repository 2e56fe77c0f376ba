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
