//! `diff --traffic`'s counts against the library's own answers: each message mapped by a
//! Destination of the old plan and one of the new plan (`Destination::map`, `map_batch`), and
//! counted here message by message, must give the figures the Replayer gives in one pass.
#![cfg(feature = "tools")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use astrolabe_segment::check::{EventTraffic, Framing, Replayer, Traffic};
use astrolabe_segment::{Config, Destination, MapOptions, Outcome, Status};
use serde_json::{json, Value};

fn old_plan() -> Value {
    json!({"rules": [
        {"type": "TRACK", "key": "Order Completed", "jsonSchema": {"properties": {"properties": {"properties": {
            "revenue": {"type": "number"}, "currency": {"enum": ["USD", "EUR"]}}}}}},
        {"type": "TRACK", "key": "Signed Up", "jsonSchema": {"properties": {"properties": {"properties": {
            "plan": {"type": "string"}}}}}}
    ], "unplannedEvents": "allow", "violations": "block"})
}

fn new_plan() -> Value {
    json!({"rules": [
        {"type": "TRACK", "key": "Order Completed", "jsonSchema": {"properties": {"properties": {"properties": {
            "revenue": {"type": "integer"}, "currency": {"enum": ["USD", "GBP"]}}, "required": ["revenue"]}}}},
        {"type": "IDENTIFY", "jsonSchema": {"properties": {"traits": {"required": ["email"]}}}}
    ], "unplannedEvents": "block", "violations": "block"})
}

/// The messages: track calls of planned and unplanned events with values each plan likes or not,
/// identify and page calls, some without a user.
fn messages() -> Vec<Value> {
    let mut out = Vec::new();
    for event in ["Order Completed", "Signed Up", "Unplanned"] {
        for revenue in [json!(1), json!(1.5), json!("x"), Value::Null] {
            for currency in [json!("USD"), json!("EUR"), json!("GBP"), Value::Null] {
                for user in [true, false] {
                    let mut properties = json!({"plan": "pro"});
                    if !revenue.is_null() {
                        properties["revenue"] = revenue.clone();
                    }
                    if !currency.is_null() {
                        properties["currency"] = currency.clone();
                    }
                    let mut message = json!({"type": "track", "event": event, "properties": properties});
                    if user {
                        message["userId"] = json!("u1");
                    }
                    out.push(message);
                }
            }
        }
    }
    out.push(json!({"type": "identify", "userId": "u1", "traits": {"email": "a@b.c"}}));
    out.push(json!({"type": "identify", "userId": "u1", "traits": {"name": "Ada"}}));
    out.push(json!({"type": "page", "userId": "u1", "name": "Home"}));
    out.push(json!({"type": "group", "userId": "u1", "groupId": "g1"}));
    out
}

/// What the library says of one message under each plan, counted as docs/cli.md defines.
#[derive(Default)]
struct Expected {
    traffic: Traffic,
}

impl Expected {
    fn key(message: &Value) -> String {
        match (message["type"].as_str(), message["event"].as_str()) {
            (Some("track"), Some(event)) => format!("TRACK {event}"),
            (Some(call), _) => call.to_uppercase(),
            _ => "(unknown)".to_owned(),
        }
    }

    fn issues(outcome: &Outcome) -> Vec<(u8, String, String)> {
        let mut issues = Vec::new();
        for (severity, list) in [(0, &outcome.errors), (1, &outcome.warnings)] {
            issues.extend(list.iter().map(|issue| (severity, issue.code.as_str().to_owned(), issue.path.clone())));
        }
        issues.extend(outcome.reason.iter().map(|issue| (2, issue.code.as_str().to_owned(), issue.path.clone())));
        issues
    }

    fn message(&mut self, message: &Value, old: &Outcome, new: &Outcome) {
        let refused = |outcome: &Outcome| outcome.status == Status::Invalid;
        let changed = old.status != new.status || Self::issues(old) != Self::issues(new);
        let count = EventTraffic {
            messages: 1,
            changed: u64::from(changed),
            newly_refused: u64::from(!refused(old) && refused(new)),
            newly_accepted: u64::from(refused(old) && !refused(new)),
        };
        let traffic = &mut self.traffic;
        traffic.messages += 1;
        traffic.changed += count.changed;
        traffic.newly_refused += count.newly_refused;
        traffic.newly_accepted += count.newly_accepted;
        let mine = traffic.by_event.entry(Self::key(message)).or_default();
        mine.messages += 1;
        mine.changed += count.changed;
        mine.newly_refused += count.newly_refused;
        mine.newly_accepted += count.newly_accepted;
    }
}

#[test]
fn replayed_counts_are_the_librarys_answers_message_by_message() {
    let destination =
        |plan: Value| Destination::new(Config { tracking_plan: Some(plan), ..Config::default() }).unwrap();
    let (old, new) = (destination(old_plan()), destination(new_plan()));
    let mut expected = Expected::default();
    let mut lines = String::new();
    let messages = messages();
    // One message a line, then the same messages again in batches of five (each item under the
    // batch's own envelope), then lines that are not JSON.
    for message in &messages {
        lines.push_str(&message.to_string());
        lines.push('\n');
        expected.message(message, &old.map(message, &MapOptions::default()), &new.map(message, &MapOptions::default()));
    }
    for chunk in messages.chunks(5) {
        let batch = json!({"batch": chunk, "context": {"library": {"name": "test"}}});
        lines.push_str(&batch.to_string());
        lines.push('\n');
        let (old_batch, new_batch) = (old.map_batch(&batch), new.map_batch(&batch));
        assert_eq!(old_batch.outcomes.len(), chunk.len());
        for ((message, old), new) in chunk.iter().zip(&old_batch.outcomes).zip(&new_batch.outcomes) {
            expected.message(message, old, new);
        }
    }
    lines.push_str("not JSON\n{\"type\":\n");

    let mut replayer = Replayer::new(&old_plan().to_string(), &new_plan().to_string()).unwrap();
    replayer.read("traffic.ndjson", Framing::Lines, 1, lines.as_bytes());
    let traffic = replayer.take_traffic();
    let figures = |traffic: &Traffic| {
        (traffic.messages, traffic.changed, traffic.newly_refused, traffic.newly_accepted, traffic.by_event.clone())
    };
    assert_eq!(figures(&traffic), figures(&expected.traffic));
    assert_eq!(traffic.unreadable, 2);
    // The plans change much: the test proves something only if every count is met.
    assert!(traffic.newly_refused > 10 && traffic.newly_accepted > 0, "{traffic:?}");
    assert!(traffic.changed > traffic.newly_refused + traffic.newly_accepted, "{traffic:?}");
    let events: BTreeMap<&str, u64> =
        traffic.by_event.iter().map(|(name, count)| (name.as_str(), count.messages)).collect();
    assert_eq!(
        events.keys().copied().collect::<Vec<_>>(),
        ["GROUP", "IDENTIFY", "PAGE", "TRACK Order Completed", "TRACK Signed Up", "TRACK Unplanned"]
    );
    assert!(traffic.examples.len() == astrolabe_segment::check::TRAFFIC_EXAMPLES);
    // Newly refused first, in the order of the lines.
    assert_eq!(traffic.examples[0].new.status, "invalid");
    assert_ne!(traffic.examples[0].old.status, "invalid");
}
