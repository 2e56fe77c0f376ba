//! Real plan files that others wrote (tests/plans/, sources and licences in SOURCES.md), read as
//! they are, and the events of their own tests given the answers those tests expect.
#![cfg(feature = "tracking-plan")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

use astrolabe_segment::plan::{convert, Format, TrackingPlan};
use astrolabe_segment::{Code, Config, Destination, MapOptions, Outcome};
use serde_json::{json, Value};

/// Every plan under tests/plans, by its name (`typewriter/e2e-v7`).
fn plans() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plans");
    let mut found = Vec::new();
    for source in fs::read_dir(&root).unwrap() {
        let source = source.unwrap().path();
        if !source.is_dir() {
            continue;
        }
        for file in fs::read_dir(&source).unwrap() {
            let file: PathBuf = file.unwrap().path();
            let Some(name) =
                file.file_name().and_then(|name| name.to_str()).and_then(|name| name.strip_suffix(".plan.json"))
            else {
                continue;
            };
            let label = format!("{}/{name}", source.file_name().unwrap().to_str().unwrap());
            found.push((label, serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap()));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn cases(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/plans/{name}.cases.json"));
    let file: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    file["cases"].as_array().unwrap().clone()
}

/// The format each real plan is read as.
const FORMATS: [(&str, Format); 15] = [
    ("avo/export-example", Format::Avo),
    ("avo/webhook-example", Format::Avo),
    ("rudderstack/data-catalog", Format::RudderStackCatalog),
    ("rudderstack/demo", Format::RudderStackLegacy),
    ("rudderstack/demo-handle-validation", Format::RudderStackLegacy),
    ("rudderstack/forum", Format::RudderStackLegacy),
    ("rudderstack/forum-2025", Format::RudderStackLegacy),
    ("rudderstack/identify-rules", Format::RudderStackLegacy),
    ("typewriter/e2e-v7", Format::SegmentConfigApi),
    ("typewriter/e2e-v8", Format::TypewriterPlan),
    ("typewriter/e2e-v8-config-api", Format::SegmentConfigApi),
    ("typewriter/fixture-v3", Format::TypewriterLocal),
    ("typewriter/fixture-v5", Format::TypewriterLocal),
    ("typewriter/fixture-v6", Format::TypewriterLocal),
    ("typewriter/slothgram-v6", Format::TypewriterLocal),
];

/// Where this project's answer differs from the upstream test's, on purpose (docs/plans.md):
/// RudderStack's tests expect `"2020-06-08T01:00:00"` to be a `date-time`, as the lenient
/// ajv-formats 2 they lock says; RFC 3339 (and ajv-formats 3) needs an offset.
const EXPECTED_DIFFERENCES: [(&str, &str, &str); 1] =
    [("rudderstack/demo", "draft 4", "/properties/dateString must be a valid date-time")];

/// The plan with the settings its test runs under spread beside it, as users give it.
fn with_settings(plan: &Value, case: &Value) -> Value {
    let config = &case["upstream_config"];
    let allowed = case["unplanned"] == json!(true)
        || config["allowUnplannedEvents"] == json!(true)
        || config["allowUnplannedEvents"].as_str().is_some_and(|value| value.eq_ignore_ascii_case("true"));
    let mut plan = plan.clone();
    plan["violations"] = json!("block");
    plan["unplannedEvents"] = json!(if allowed { "allow" } else { "block" });
    plan
}

fn outcome(plan: &Value, message: &Value) -> Outcome {
    let destination = Destination::new(Config { tracking_plan: Some(plan.clone()), ..Config::default() })
        .unwrap_or_else(|error| panic!("{error}"));
    destination.map(message, &MapOptions::default())
}

/// The plan's verdict on a message: the plan's own issues (the Spec's are not the plan's to say).
fn verdict(outcome: &Outcome) -> (bool, Vec<String>) {
    let planned: Vec<String> = outcome
        .errors
        .iter()
        .filter(|issue| matches!(issue.code, Code::PlanViolation | Code::UnplannedEvent))
        .map(|issue| format!("{} {}", issue.path, issue.message))
        .collect();
    (planned.is_empty(), planned)
}

#[test]
fn every_real_plan_is_accepted_as_it_is_and_read_as_its_format() {
    let plans = plans();
    let names: Vec<&str> = plans.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, FORMATS.map(|(name, _)| name));
    for ((name, plan), (_, format)) in plans.iter().zip(FORMATS) {
        let compiled = TrackingPlan::compile(plan).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(compiled.format(), format, "{name}");
        // And with settings spread beside it.
        let mut spread = plan.clone();
        spread["violations"] = json!("block");
        TrackingPlan::compile(&spread).unwrap_or_else(|error| panic!("{name} with settings: {error}"));
    }
}

#[test]
fn their_tests_events_get_their_tests_answers() {
    let mut checked = 0;
    let mut differences = Vec::new();
    for (name, plan) in plans() {
        for case in cases(&name) {
            let (valid, issues) = verdict(&outcome(&with_settings(&plan, &case), &case["message"]));
            let expected = case["expect"] == "valid";
            let title = case["name"].as_str().unwrap();
            if valid != expected {
                differences.push((name.clone(), title.to_owned(), issues.join("; ")));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 118, "the cases in tests/plans");
    let expected: Vec<(String, String, String)> = EXPECTED_DIFFERENCES
        .iter()
        .map(|(plan, case, issue)| (plan.to_string(), case.to_string(), issue.to_string()))
        .collect();
    let found: Vec<(String, String, String)> = differences
        .into_iter()
        .map(|(plan, case, issues)| {
            let first = issues.split(" (rule").next().unwrap_or_default().replace(" \"dateString\"", "");
            (plan, case, first)
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_converted_plan_gives_every_message_the_same_answer() {
    for (name, plan) in plans() {
        let converted = convert(&plan).unwrap_or_else(|error| panic!("{name}: {error}"));
        let again = TrackingPlan::compile(&converted.plan).unwrap_or_else(|error| panic!("{name} converted: {error}"));
        assert_eq!(again.format(), Format::SegmentPublicApi, "{name}");
        assert_eq!(convert(&converted.plan).unwrap().plan, converted.plan, "{name}: converting twice changes nothing");
        for case in cases(&name) {
            let original = outcome(&with_settings(&plan, &case), &case["message"]);
            let answer = outcome(&with_settings(&converted.plan, &case), &case["message"]);
            assert_eq!(answer, original, "{name}: {}", case["name"]);
        }
    }
}

#[test]
fn typewriters_three_files_of_one_plan_answer_alike() {
    let plans = plans();
    let plan = |name: &str| plans.iter().find(|(found, _)| found == name).unwrap().1.clone();
    let cases = cases("typewriter/e2e-v7");
    for case in &cases {
        let answers: Vec<(bool, Vec<String>)> =
            ["typewriter/e2e-v7", "typewriter/e2e-v8-config-api", "typewriter/e2e-v8"]
                .iter()
                .map(|name| verdict(&outcome(&with_settings(&plan(name), case), &case["message"])))
                .map(|(valid, issues)| {
                    (valid, issues.iter().map(|issue| issue.split(" (rule").next().unwrap().to_owned()).collect())
                })
                .collect();
        assert!(answers.windows(2).all(|pair| pair[0] == pair[1]), "{}: {answers:?}", case["name"]);
    }
}

#[test]
fn read_as_a_whole_message_typewriter_v8s_rules_would_answer_wrongly() {
    // What the reader saves users from: the same rules with `eventMetadata` removed are read as
    // whole-message schemas, and the answers go wrong.
    let mut plan = plans().into_iter().find(|(name, _)| name == "typewriter/e2e-v8").unwrap().1;
    for rule in plan["rules"].as_array_mut().unwrap() {
        rule["jsonSchema"].as_object_mut().unwrap().remove("eventMetadata");
    }
    let wrong = cases("typewriter/e2e-v8")
        .iter()
        .filter(|case| {
            verdict(&outcome(&with_settings(&plan, case), &case["message"])).0 != (case["expect"] == "valid")
        })
        .count();
    assert!(wrong >= 10, "{wrong} wrong answers");
}

#[test]
fn a_draft_in_another_spelling_is_read_as_that_draft_with_a_warning() {
    let plan = plans().into_iter().find(|(name, _)| name == "rudderstack/demo").unwrap().1;
    let compiled = TrackingPlan::compile(&plan).unwrap();
    assert!(!compiled.warnings().is_empty());
    for warning in compiled.warnings() {
        assert!(
            warning.contains("\"$schema\" \"https://json-schema.org/2019-09/schema\" is not a JSON Schema draft's URI; it is read as \"https://json-schema.org/draft/2019-09/schema\""),
            "{warning}"
        );
    }
}
