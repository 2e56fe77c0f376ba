//! Runs mapping-kit's conformance cases from `../shared/conformance/*.jsonl` (read at run time;
//! skipped with a notice when the folder is absent).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use astrolabe_segment::mapping::{transform, validate_mapping};
use serde_json::Value;

fn cases(file: &str) -> Option<Vec<Value>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance");
    let path = dir.join(file);
    if !path.exists() {
        eprintln!("notice: {} is absent; conformance cases skipped", path.display());
        return None;
    }
    let text = std::fs::read_to_string(&path).unwrap();
    Some(text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect())
}

/// Cases skipped on purpose, with the reason. (None at the moment.)
const SKIPPED: &[(&str, &str)] = &[];

fn name(case: &Value) -> String {
    case["name"].as_str().unwrap_or("<unnamed>").to_string()
}

#[test]
fn transform_cases() {
    let Some(cases) = cases("mapping-kit-cases.jsonl") else { return };
    let mut failures = Vec::new();
    let (mut passed, mut skipped) = (0, 0);
    for case in &cases {
        let name = name(case);
        if SKIPPED.iter().any(|(n, _)| *n == name) {
            skipped += 1;
            continue;
        }
        // The lite build (no `liquid` feature) refuses @liquid by design.
        let uses_liquid = case["mapping"].to_string().contains("\"@liquid\"");
        if uses_liquid && !cfg!(feature = "liquid") {
            skipped += 1;
            continue;
        }
        // A missing payload is JS `undefined`, which transform() defaults to `{}`.
        let payload = case.get("payload").cloned().unwrap_or_else(|| serde_json::json!({}));
        let result = transform(&case["mapping"], &payload);
        if case["error"].as_bool() == Some(true) {
            match result {
                Ok(out) => failures.push(format!("{name}: expected an error, got {out:?}")),
                Err(err) => {
                    let message = err.to_string();
                    let observed = case["observed_errors"].as_array().cloned().unwrap_or_default();
                    let missing: Vec<&str> =
                        observed.iter().filter_map(Value::as_str).filter(|o| !message.contains(o)).collect();
                    if missing.is_empty() {
                        passed += 1;
                    } else {
                        failures.push(format!("{name}: error {message:?} does not contain {missing:?}"));
                    }
                }
            }
        } else {
            let expected = case.get("expected").cloned();
            match result {
                Ok(out) if out == expected => passed += 1,
                Ok(out) => failures.push(format!("{name}: expected {expected:?}, got {out:?}")),
                Err(err) => failures.push(format!("{name}: expected {expected:?}, got error {err}")),
            }
        }
    }
    eprintln!("transform cases: {passed} passed, {skipped} skipped, {} failed", failures.len());
    assert!(failures.is_empty(), "{} failing case(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn validation_cases() {
    let Some(cases) = cases("mapping-kit-validate-cases.jsonl") else { return };
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let name = name(case);
        let problems = validate_mapping(&case["mapping"]);
        let valid = case["valid"].as_bool().unwrap();
        if valid {
            if problems.is_empty() {
                passed += 1;
            } else {
                failures.push(format!("{name}: expected valid, got {problems:?}"));
            }
            continue;
        }
        if problems.is_empty() {
            failures.push(format!("{name}: expected problems, got none"));
            continue;
        }
        let expected: Vec<&str> =
            case["errors"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let missing: Vec<&str> = expected.iter().copied().filter(|e| !problems.iter().any(|p| p.contains(e))).collect();
        if missing.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("{name}: {problems:?} lacks {missing:?}"));
        }
    }
    eprintln!("validation cases: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{} failing case(s):\n{}", failures.len(), failures.join("\n"));
}
