//! Hostile input never panics: byte-level mutations of the fixture corpus and random JSON trees go
//! through every entry point (text, values, batches, strict mode, custom mappings, a tracking
//! plan), and every outcome stays well-formed. Deterministic (a fixed-seed xorshift), so a
//! failure reproduces.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use astrolabe_segment::{CallType, Config, Destination, MapOptions, Mapped, Status};
use serde_json::{json, Map, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn destinations() -> Vec<Destination> {
    let mut configs = vec![json!({}), json!({"strict": true})];
    configs.push(json!({"mappings": {
        "upsertUser": {"userId": {"@path": "$.traits.email"}, "x": {"@template": "{{traits.name}}"}},
        "trackEvent": {"event": {"@case": {"operator": "upper", "value": {"@path": "$.event"}}},
                       "flat": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "."}}}
    }}));
    if cfg!(feature = "tracking-plan") {
        configs.push(json!({"trackingPlan": {"rules": [
            {"type": "COMMON", "key": "", "jsonSchema": {"properties": {"context": {"type": "object"}}}},
            {"type": "TRACK", "key": "Order Completed", "jsonSchema": {"properties": {"properties": {
                "additionalProperties": false, "properties": {"revenue": {"type": "number"}}}}}}
        ], "violations": "omitProperties", "unplannedProperties": "omit", "unplannedEvents": "warn"}}));
    }
    configs.into_iter().map(|config| Destination::new(Config::from_value(config).unwrap()).unwrap()).collect()
}

fn well_formed(mapped: &Mapped) {
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
        }
    }
    serde_json::from_str::<Value>(&mapped.to_json()).unwrap();
}

#[test]
fn mutated_fixture_text_never_panics() {
    let destinations = destinations();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds: Vec<Vec<u8>> = common::fixtures()
        .iter()
        .filter(|fixture| fixture.body.get("input").is_some())
        .map(|fixture| serde_json::to_vec_pretty(&fixture.body["input"]).unwrap())
        .filter(|text| text.len() < 4096)
        .collect();
    let interesting: &[&[u8]] =
        &[b"{", b"}", b"[", b"]", b"\"", b"\\u", b"\xff", b"\xc3", b":", b",", b"null", b"1e999", b"-0", b"\x00"];
    for round in 0..3000 {
        let mut text = seeds[rng.below(seeds.len())].clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => {
                    let piece = interesting[rng.below(interesting.len())];
                    text.splice(at..at, piece.iter().copied());
                }
                _ if at < text.len() => text[at] = rng.next() as u8,
                _ => {}
            }
        }
        let options = MapOptions { call_type: [None, Some(CallType::Track), Some(CallType::Group)][round % 3] };
        for destination in &destinations {
            well_formed(&destination.map_json(&text, &options));
        }
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let keys = [
        "type",
        "userId",
        "anonymousId",
        "groupId",
        "event",
        "traits",
        "properties",
        "context",
        "integrations",
        "timestamp",
        "sentAt",
        "receivedAt",
        "originalTimestamp",
        "messageId",
        "batch",
        "Astrolabe",
        "All",
        "email",
        "revenue",
        "currency",
        "a/b",
        "~",
        "",
    ];
    let strings = [
        "identify",
        "group",
        "track",
        "page",
        "",
        " ",
        "u1",
        "2015-02-23T22:28:55.111Z",
        "2015-2-02",
        "Order Completed",
        "USD",
        "x@y",
        "é",
        "\u{0}",
    ];
    match if depth > 6 { rng.below(5) } else { rng.below(8) } {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!((rng.next() as f64) / 7.0),
        4 => Value::String(strings[rng.below(strings.len())].to_owned()),
        5 | 6 => {
            let mut map = Map::new();
            for _ in 0..rng.below(6) {
                map.insert(keys[rng.below(keys.len())].to_owned(), random_value(rng, depth + 1));
            }
            Value::Object(map)
        }
        _ => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect()),
    }
}

#[test]
fn random_json_values_never_panic() {
    let destinations = destinations();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..3000 {
        let mut value = random_value(&mut rng, 0);
        if round % 2 == 0 {
            if let Value::Object(map) = &mut value {
                map.insert("type".into(), json!(["identify", "group", "track"][round % 3]));
            }
        }
        let options = MapOptions::default();
        for destination in &destinations {
            well_formed(&Mapped::Message(destination.map(&value, &options)));
            well_formed(&Mapped::Batch(destination.map_batch(&value)));
            well_formed(&destination.map_input(&json!({"batch": [value.clone()], "context": value.clone()}), &options));
            well_formed(&destination.map_json(value.to_string().as_bytes(), &options));
        }
    }
}

#[test]
fn deep_nesting_in_every_field_is_refused_not_overflowed() {
    let destinations = destinations();
    for depth in [63, 64, 65, 127, 129, 10_000] {
        for key in ["traits", "properties", "context", "integrations"] {
            let text = format!(
                r#"{{"type":"identify","userId":"u","{key}":{}1{}}}"#,
                r#"{"a":"#.repeat(depth),
                "}".repeat(depth)
            );
            for destination in &destinations {
                well_formed(&destination.map_json(text.as_bytes(), &MapOptions::default()));
            }
        }
    }
}
