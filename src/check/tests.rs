//! The checker's counts, against the Destination's own answers.

use std::path::Path;

use serde_json::{json, Value};

use super::*;
use crate::outcome::{Mapped, Outcome};

fn checker() -> Checker {
    Checker::new(Config::default()).unwrap()
}

fn lines(values: &[Value]) -> String {
    values.iter().map(|value| format!("{value}\n")).collect()
}

#[test]
fn each_kind_of_line_is_counted_as_it_should() {
    let track = json!({"type": "track", "userId": "u1", "event": "Paid"});
    let text = [
        track.to_string(),
        json!({"type": "page", "userId": "u1"}).to_string(),
        json!({"type": "track", "userId": "u1", "event": "Paid", "integrations": {"All": false}}).to_string(),
        json!({"type": "track", "event": "Paid"}).to_string(),
        "{\"type\": \"track\", ".to_owned(),
        json!({"batch": [track, {"type": "identify"}, {"type": "track", "event": "Left", "userId": 7}]}).to_string(),
        json!({"batch": vec![track.clone(); 2501]}).to_string(),
        json!([track, {"type": "group"}]).to_string(),
        "[{\"type\": \"identify\", \"userId\": \"u2\"},".to_owned(),
        String::new(),
        "42".to_owned(),
    ]
    .join("\n");
    let mut checker = checker();
    checker.read("a.ndjson", Framing::Lines, 1, text.as_bytes());
    let report = checker.report();
    // Lines 1-4: mapped, skipped (page), skipped (integrations), invalid; 5 unreadable; 6 three
    // items (mapped, invalid, mapped with a warning); 7 a batch refused whole (one invalid); 8 two
    // elements (mapped, invalid); 9 an element mapped, its array unclosed (unreadable); 11 not an
    // object (invalid).
    assert_eq!(
        (report.messages, report.mapped, report.skipped, report.invalid, report.unreadable),
        (12, 5, 2, 5, 2),
        "{}",
        report.to_json()
    );
    assert_eq!(report.events["Paid"], EventCount { messages: 5, invalid: 1 });
    assert_eq!(report.events["Left"], EventCount { messages: 1, invalid: 0 });
    assert_eq!(report.codes["invalid_json"], 2);
    assert_eq!(report.codes["batch_too_many"], 1);
    assert_eq!(report.codes["unsupported_type"], 1);
    assert_eq!(report.codes["disabled_by_integrations"], 1);
    assert_eq!(report.codes["id_coerced"], 1);
    let at = |code: &str| -> Vec<(Option<u64>, String)> {
        report.examples[code].iter().map(|example| (example.line, example.path.clone())).collect()
    };
    assert_eq!(at("missing_identity"), [(Some(4), "/userId".to_owned()), (Some(6), "/batch/1/userId".to_owned())]);
    assert_eq!(at("missing_group_id"), [(Some(8), "/1/groupId".to_owned())]);
    assert_eq!(at("invalid_json"), [(Some(5), String::new()), (Some(9), String::new())]);
    assert_eq!(report.examples["id_coerced"][0].severity, Severity::Warning);
    assert_eq!(report.examples["unsupported_type"][0].severity, Severity::Skip);
}

#[test]
fn a_document_is_read_as_it_streams() {
    let text = "[\n  {\"type\": \"identify\", \"userId\": \"u1\"},\n  {\n    \"type\": \"track\"\n  },\n  {\"type\": \"track\", \"userId\": \"u1\", \"event\": \"Paid\"}\n]\n";
    let mut checker = checker();
    checker.open(3, "doc.json", Framing::Document, 1);
    for piece in text.as_bytes().chunks(5) {
        assert!(checker.feed(3, piece));
    }
    checker.close(3, End::Complete);
    assert!(!checker.feed(3, b"{}"));
    let report = checker.report();
    assert_eq!((report.messages, report.mapped, report.invalid), (3, 2, 1));
    let example = &report.examples["missing_event"][0];
    assert_eq!((example.line, example.path.as_str()), (Some(3), "/1/event"));
}

#[test]
fn a_stream_cut_anywhere_at_newlines_counts_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut values = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if let Some(input) = fixture.get("input") {
                values.push(input.clone());
            }
        }
    }
    let text = lines(&values) + "not json\n";
    let mut whole = checker();
    whole.read("f.ndjson", Framing::Lines, 1, text.as_bytes());
    // Two threads, each given every other piece of 7 lines, merged.
    let (mut even, mut odd) = (checker(), checker());
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    for (at, piece) in all.chunks(7).enumerate() {
        let target = if at % 2 == 0 { &mut even } else { &mut odd };
        target.read("f.ndjson", Framing::Lines, (at * 7 + 1) as u64, piece.concat().as_bytes());
    }
    let mut merged = even.take_report();
    merged.merge(odd.take_report());
    assert_eq!(&merged, whole.report());
    assert!(whole.report().messages > 150);
}

/// What `check` counts of each fixture input is what `Destination::map_json` answers for it.
#[test]
fn counts_agree_with_map_json_message_by_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for config in [Config::default(), Config { strict: true, ..Config::default() }] {
        let destination = Destination::new(config.clone()).unwrap();
        let mut expected = Report::default();
        let mut text = String::new();
        let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
        paths.sort();
        for path in paths.iter().filter(|path| path.extension().is_some_and(|ext| ext == "json")) {
            let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let Some(input) = fixture.get("input") else { continue };
            text.push_str(&format!("{input}\n"));
            let outcomes = match destination.map_json(input.to_string().as_bytes(), &MapOptions::default()) {
                Mapped::Message(outcome) => vec![outcome],
                Mapped::Batch(batch) if batch.outcomes.is_empty() && !batch.errors.is_empty() => {
                    vec![Outcome { errors: batch.errors, ..Outcome::invalid(Vec::new()) }]
                }
                Mapped::Batch(batch) => batch.outcomes,
            };
            for outcome in outcomes {
                expected.messages += 1;
                match outcome.status {
                    Status::Mapped => expected.mapped += 1,
                    Status::Skipped => expected.skipped += 1,
                    Status::Invalid => expected.invalid += 1,
                }
                for issue in outcome.errors.iter().chain(&outcome.warnings).chain(&outcome.reason) {
                    *expected.codes.entry(issue.code.as_str().to_owned()).or_default() += 1;
                }
            }
        }
        let mut checker = Checker::new(config).unwrap();
        checker.read("fixtures.ndjson", Framing::Lines, 1, text.as_bytes());
        let report = checker.report();
        let counts =
            |report: &Report| (report.messages, report.mapped, report.skipped, report.invalid, report.codes.clone());
        assert_eq!(counts(report), counts(&expected));
        assert_eq!(report.unreadable, 0);
    }
}

#[test]
fn inspector_records_are_checked_as_their_messages() {
    let record = |id: u64, route_type: Value, message: Value| {
        json!({"id": id, "receivedAt": "2026-12-05T09:30:00.000Z", "route": "/v1/track", "http": {"status": 200},
               "type": route_type, "library": null, "message": message, "outcome": {"status": "mapped"}})
    };
    let text = lines(&[
        record(1, json!("track"), json!({"userId": "u1", "event": "Paid"})),
        record(2, json!("track"), json!({"event": "Paid"})),
        json!({"id": 3, "receivedAt": "x", "route": "/v1/batch", "http": {"status": 400}, "type": null,
               "message": null, "raw": "{\"batch\": [", "outcome": {"status": "invalid"}}),
        json!({"id": 4, "receivedAt": "x", "route": "/v1/track", "http": {"status": 400}, "type": "track",
               "message": null, "outcome": {"status": "invalid"}}),
    ]);
    let mut checker = checker();
    checker.read("events.jsonl", Framing::Lines, 1, text.as_bytes());
    let report = checker.report();
    assert_eq!((report.messages, report.mapped, report.invalid, report.unreadable), (2, 1, 1, 2));
    assert_eq!(report.events["Paid"], EventCount { messages: 2, invalid: 1 });
    let kept_none = &report.examples["invalid_json"][1];
    assert_eq!((kept_none.line, kept_none.path.as_str()), (Some(4), "/message"));
    assert!(kept_none.message.starts_with("The inspector kept no message"), "{}", kept_none.message);
    assert_eq!(report.examples["missing_identity"][0].path, "/message/userId");
}

#[test]
fn custom_mappings_leave_event_names_to_the_message() {
    let config = Config::from_value(json!({"mappings": {"trackEvent": {"event": "Renamed"}}})).unwrap();
    let mut checker = Checker::new(config).unwrap();
    let text = lines(&[json!({"type": "track", "userId": "u", "event": "Paid"})]);
    checker.read("a.ndjson", Framing::Lines, 1, text.as_bytes());
    assert_eq!(checker.report().events.keys().collect::<Vec<_>>(), ["Paid"]);
}

#[test]
fn files_that_cannot_be_read_are_unreadable() {
    let mut checker = checker();
    checker.count_file();
    checker.problem("gone.ndjson", None, Problem::UnreadableFile, "EACCES: permission denied");
    checker.open(1, "cut.gz", Framing::Lines, 1);
    checker.feed(1, b"{\"type\":\"identify\",\"userId\":\"u\"}\n{\"type\":\"ide");
    checker.close(1, End::Truncated);
    checker.problem("cut.gz", Some(2), Problem::BrokenGzip, "unexpected end of file");
    let report = checker.report();
    assert_eq!((report.files, report.messages, report.mapped, report.unreadable), (1, 1, 1, 2));
    assert_eq!(
        report.examples["broken_gzip"][0].message,
        "The gzip data is broken (unexpected end of file): the file is read up to this point, what came before was checked."
    );
    assert_eq!(report.examples["unreadable_file"][0].line, None);
    assert_eq!(Problem::from_name("broken_gzip"), Some(Problem::BrokenGzip));
}

#[test]
fn settings_name_the_file_at_fault() {
    assert!(settings(Some("[]"), None, false)
        .unwrap_err()
        .starts_with("the --config file is not a Destination config: "));
    assert!(settings(None, Some("[]"), false).unwrap_err().contains("must be a JSON object"));
    assert!(settings(None, Some("{"), false).unwrap_err().starts_with("the --plan file is not JSON: "));
    let config = settings(Some(r#"{"trackingPlan": {"rules": []}, "strict": true}"#), None, false).unwrap();
    assert!(config.strict && config.tracking_plan.is_some());
}
