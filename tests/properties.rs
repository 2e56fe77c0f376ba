//! Property tests (proptest): any JSON value in gives an outcome, never a panic; the outcome's JSON
//! text always parses; every `mapped` outcome carries the message's ids; `map` (a value) and
//! `map_json` (its text) agree. Values are drawn from Segment-shaped messages (the keys and the
//! strings the rules look at) and from arbitrary JSON, nested past the depth limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::spec::ids::number_to_string;
use astrolabe_segment::{Config, Destination, MapOptions, Mapped, Operation, Status};
use proptest::prelude::*;
use serde_json::{json, Map, Number, Value};

fn destinations() -> Vec<Destination> {
    let mut configs = vec![json!({}), json!({"strict": true})];
    configs.push(json!({"mappings": {
        "upsertUser": {"x": {"@template": "{{traits.name}}"}},
        "trackEvent": {"flat": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "."}}}
    }}));
    configs.into_iter().map(|config| Destination::new(Config::from_value(config).unwrap()).unwrap()).collect()
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "type", "userId", "anonymousId", "groupId", "event", "traits", "properties", "context", "integrations",
            "timestamp", "sentAt", "receivedAt", "originalTimestamp", "messageId", "batch", "All", "Astrolabe",
            "email", "revenue", "currency", "createdAt", "company", "__proto__", "a/b", "~1", "",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "identify", "group", "track", "page", "", " ", "u1", "2015-02-23T22:28:55.111Z", "2015-2-02",
            "Order Completed", "USD", "usd", "x@y", "é😀", "\u{0}", "12", "1e400",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,40}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |x| Number::from_f64(x).map(Value::Number)),
        Just(json!(9_007_199_254_740_993u64)),
        Just(json!(-0.0)),
    ]
}

/// Any JSON value, nested up to 80 levels on some branches (past the limit of 64).
fn value() -> impl Strategy<Value = Value> {
    let leaf =
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool), number(), text().prop_map(Value::String)];
    leaf.prop_recursive(80, 256, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// An id as a client sends one: usually a string, sometimes a number, sometimes something else.
fn id() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        2 => Just(None),
        4 => "[a-zA-Z0-9_-]{1,20}".prop_map(|id| Some(Value::String(id))),
        1 => any::<u32>().prop_map(|id| Some(Value::from(id))),
        1 => any::<f64>().prop_filter_map("finite", |x| Number::from_f64(x).map(|n| Some(Value::Number(n)))),
        1 => value().prop_map(Some),
    ]
}

/// A Segment-shaped message: a call type, ids, and random traits, properties and context.
fn message() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["identify", "group", "track", "page", "alias"]),
        (id(), id(), id()),
        prop::option::of(text()),
        prop::collection::vec((key(), value()), 0..4),
        prop::option::of(value()),
    )
        .prop_map(|(call, (user, anonymous, group), event, fields, context)| {
            let mut message = Map::new();
            message.insert("type".into(), json!(call));
            for (name, id) in [("userId", user), ("anonymousId", anonymous), ("groupId", group)] {
                if let Some(id) = id {
                    message.insert(name.into(), id);
                }
            }
            if let Some(event) = event {
                message.insert("event".into(), Value::String(event));
            }
            let bag = if call == "track" { "properties" } else { "traits" };
            message.insert(bag.into(), Value::Object(fields.into_iter().collect()));
            if let Some(context) = context {
                message.insert("context".into(), context);
            }
            Value::Object(message)
        })
}

/// The id a mapped operation must carry: the string as sent, or the number as JS's `String(n)`.
fn expected_id(message: &Value, key: &str) -> Option<String> {
    match message.get(key)? {
        Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number_to_string(number)),
        _ => None,
    }
}

fn check_well_formed(mapped: &Mapped) {
    let outcomes: Vec<_> = match mapped {
        Mapped::Message(outcome) => vec![outcome],
        Mapped::Batch(batch) => batch.outcomes.iter().collect(),
    };
    for outcome in outcomes {
        match outcome.status {
            Status::Mapped => assert!(outcome.errors.is_empty() && !outcome.operations.is_empty()),
            Status::Skipped => assert!(outcome.operations.is_empty() && outcome.reason.is_some()),
            Status::Invalid => assert!(outcome.operations.is_empty() && !outcome.errors.is_empty()),
        }
    }
    let text = mapped.to_json();
    let parsed: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"));
    assert!(parsed.is_object());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_json_value_gives_an_outcome(value in value()) {
        for destination in &destinations() {
            check_well_formed(&Mapped::Message(destination.map(&value, &MapOptions::default())));
            check_well_formed(&Mapped::Batch(destination.map_batch(&value)));
            check_well_formed(&destination.map_input(&value, &MapOptions::default()));
            check_well_formed(&destination.map_json(value.to_string().as_bytes(), &MapOptions::default()));
        }
    }

    #[test]
    fn any_bytes_give_an_outcome(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        for destination in &destinations() {
            check_well_formed(&destination.map_json(&bytes, &MapOptions::default()));
        }
    }

    #[test]
    fn mapped_outcomes_carry_the_ids(message in message()) {
        for destination in &destinations() {
            let outcome = destination.map(&message, &MapOptions::default());
            check_well_formed(&Mapped::Message(outcome.clone()));
            if outcome.status != Status::Mapped {
                continue;
            }
            let user = expected_id(&message, "userId");
            let anonymous = expected_id(&message, "anonymousId");
            let group = expected_id(&message, "groupId");
            for operation in &outcome.operations {
                match operation {
                    Operation::UpsertUser(op) => {
                        prop_assert_eq!(&op.user_id, &user);
                        prop_assert_eq!(&op.anonymous_id, &anonymous);
                    }
                    Operation::TrackEvent(op) => {
                        prop_assert_eq!(&op.user_id, &user);
                        prop_assert_eq!(&op.anonymous_id, &anonymous);
                    }
                    Operation::UpsertAccount(op) => prop_assert_eq!(Some(&op.group_id), group.as_ref()),
                    Operation::AssociateUser(op) => {
                        prop_assert_eq!(Some(&op.group_id), group.as_ref());
                        prop_assert_eq!(&op.user_id, &user);
                    }
                }
            }
        }
    }

    #[test]
    fn map_and_map_json_agree(message in prop_oneof![message(), value()]) {
        let text = serde_json::to_vec(&message).unwrap();
        for destination in &destinations() {
            let from_value = destination.map_input(&message, &MapOptions::default()).to_json();
            let from_text = destination.map_json(&text, &MapOptions::default()).to_json();
            prop_assert_eq!(from_value, from_text);
        }
    }
}
