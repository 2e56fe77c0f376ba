//! Shared by the integration tests: comparing outcomes with the expectations written in JSON.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// `../shared/` beside the repository, when this checkout has it.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: {} is absent; skipping the tests that read it", dir.display());
        None
    }
}

/// Issues as sorted `(code, path, hint)` triples, or codes alone when paths are not compared.
fn issue_keys(issues: &Value, paths: bool) -> Vec<String> {
    let mut keys: Vec<String> = issues
        .as_array()
        .map(|issues| {
            issues
                .iter()
                .map(|issue| {
                    let code = issue["code"].as_str().unwrap_or("?");
                    if paths {
                        let hint = issue.get("hint").and_then(Value::as_str).map(|hint| format!(" (hint: {hint})"));
                        format!("{code} at {:?}{}", issue["path"].as_str().unwrap_or("?"), hint.unwrap_or_default())
                    } else {
                        code.to_owned()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    keys.sort();
    keys
}

/// Differences between an actual outcome (serialized) and an expected one whose issues give
/// `code` and `path` only. Empty when they agree.
pub fn outcome_differences(actual: &Value, expected: &Value, paths: bool) -> Vec<String> {
    let mut differences = Vec::new();
    if actual["status"] != expected["status"] {
        differences.push(format!("status: got {}, expected {}", actual["status"], expected["status"]));
    }
    let expected_operations = expected.get("operations").cloned().unwrap_or(json!([]));
    if actual["operations"] != expected_operations {
        differences
            .push(format!("operations:\n  got      {}\n  expected {}", actual["operations"], expected_operations));
    }
    for list in ["errors", "warnings"] {
        let got = issue_keys(&actual[list], paths);
        let want = issue_keys(expected.get(list).unwrap_or(&json!([])), paths);
        if got != want {
            differences.push(format!("{list}: got {got:?}, expected {want:?}"));
        }
    }
    let reason = |value: &Value| value.get("reason").filter(|r| !r.is_null()).map(|r| issue_keys(&json!([r]), paths));
    if reason(actual) != reason(expected) {
        differences.push(format!("reason: got {:?}, expected {:?}", reason(actual), reason(expected)));
    }
    differences
}

/// The same for a batch outcome.
pub fn batch_differences(actual: &Value, expected: &Value, paths: bool) -> Vec<String> {
    let mut differences = Vec::new();
    let got = issue_keys(&actual["errors"], paths);
    let want = issue_keys(expected.get("errors").unwrap_or(&json!([])), paths);
    if got != want {
        differences.push(format!("batch errors: got {got:?}, expected {want:?}"));
    }
    let actual_outcomes = actual["outcomes"].as_array().cloned().unwrap_or_default();
    let expected_outcomes = expected.get("outcomes").and_then(Value::as_array).cloned().unwrap_or_default();
    if actual_outcomes.len() != expected_outcomes.len() {
        differences.push(format!("outcomes: got {}, expected {}", actual_outcomes.len(), expected_outcomes.len()));
    }
    for (at, (got, want)) in actual_outcomes.iter().zip(&expected_outcomes).enumerate() {
        for difference in outcome_differences(got, want, paths) {
            differences.push(format!("item {at}: {difference}"));
        }
    }
    differences
}

/// Builds the inputs too large to write literally (see tests/fixtures/README.md).
pub fn generate(generator: &Value) -> Value {
    if let Some(spec) = generator.get("repeatItems") {
        let count = spec["count"].as_u64().unwrap() as usize;
        return json!({ "batch": vec![spec["item"].clone(); count] });
    }
    if let Some(depth) = generator.get("deepProperties").and_then(Value::as_u64) {
        let mut properties = json!({});
        for _ in 1..depth {
            properties = json!({ "a": properties });
        }
        return json!({"type": "track", "userId": "u", "event": "e", "properties": properties});
    }
    if let Some(length) = generator.get("padTrait").and_then(Value::as_u64) {
        return json!({"type": "identify", "userId": "u", "traits": {"padding": "x".repeat(length as usize)}});
    }
    panic!("unknown input generator {generator}");
}

/// One file of `tests/fixtures/`.
pub struct Fixture {
    pub name: String,
    pub body: Value,
}

/// The fixture corpus, sorted by file name.
pub fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures: Vec<Fixture> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| Fixture {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            body: serde_json::from_str(&fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|error| panic!("{}: {error}", path.display())),
        })
        .collect();
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    fixtures
}

/// A fixture's input, generated when it is too large to write.
pub fn fixture_input(body: &Value) -> Value {
    match body.get("inputGenerator") {
        Some(generator) => generate(generator),
        None => body["input"].clone(),
    }
}
