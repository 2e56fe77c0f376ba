//! Segment's own documentation payloads (read from `../shared/examples/segment-docs/` at run time)
//! get the outcome the spec implies, written down in `tests/segment-docs-expected.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use astrolabe_segment::{CallType, Config, Destination, MapOptions};
use serde_json::Value;
use std::fs;
use std::path::Path;

#[test]
fn every_documentation_example_gets_its_expected_outcome() {
    let Some(shared) = common::shared_dir() else { return };
    let examples = shared.join("examples/segment-docs");
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/segment-docs-expected.json");
    let expectations: Value = serde_json::from_str(&fs::read_to_string(expected_path).unwrap()).unwrap();
    let expectations = expectations.as_object().unwrap();

    let mut files = Vec::new();
    for dir in [examples.clone(), examples.join("invalid-as-published")] {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "json") {
                files.push(path.strip_prefix(&examples).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
    assert!(files.len() >= 30, "found only {} examples", files.len());

    let destination = Destination::new(Config::default()).unwrap();
    let mut failures = Vec::new();
    for file in &files {
        let Some(expectation) = expectations.get(file) else {
            failures.push(format!("{file}: no expectation written down"));
            continue;
        };
        let options = MapOptions {
            call_type: expectation.pointer("/options/type").and_then(Value::as_str).and_then(CallType::from_name),
        };
        let bytes = fs::read(examples.join(file)).unwrap();
        let actual: Value = serde_json::from_str(&destination.map_json(&bytes, &options).to_json()).unwrap();
        let expected = &expectation["expected"];
        let differences = if expected.get("outcomes").is_some() {
            common::batch_differences(&actual, expected, true)
        } else {
            common::outcome_differences(&actual, expected, true)
        };
        if !differences.is_empty() {
            failures.push(format!("{file}:\n    {}", differences.join("\n    ")));
        }
    }
    let stale: Vec<&String> = expectations.keys().filter(|name| !files.contains(name)).collect();
    assert!(stale.is_empty(), "expectations for files that do not exist: {stale:?}");
    assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}
