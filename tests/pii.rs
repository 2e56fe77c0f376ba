//! Personal data detection through a Destination (`privacy`): off unless configured; issues that
//! name the path and the kind, never the value; `warn`, `redact`, `hash` and `block`; the allowed
//! fields; keys, escapes, a batch envelope's context, custom mappings and plans; and a property:
//! no answer repeats a detected value under `redact`, `hash` or `block`.
#![cfg(feature = "privacy")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::{Config, Destination, MapOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

const EMAIL: &str = "jane.doe@example.com";
const CARD: &str = "4111 1111 1111 1111";
const KEY: &str = "a hash key of 32 bytes, not less";

fn destination(config: Value) -> Destination {
    Destination::new(Config::from_value(config).unwrap()).unwrap()
}

fn answer(destination: &Destination, message: &Value) -> Value {
    let text = destination.map_json_text(message.to_string().as_bytes(), &MapOptions::default());
    serde_json::from_str(&text).unwrap()
}

fn track(properties: Value) -> Value {
    json!({"type": "track", "userId": "u1", "event": "Commented", "messageId": "m1", "properties": properties})
}

fn codes(answer: &Value, list: &str) -> Vec<(String, String)> {
    answer[list]
        .as_array()
        .map(|issues| {
            issues
                .iter()
                .map(|issue| (issue["code"].as_str().unwrap().to_owned(), issue["path"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn off_unless_configured() {
    let found = answer(&destination(json!({})), &track(json!({"comment": format!("mail {EMAIL}")})));
    assert_eq!(found["status"], "mapped");
    assert!(!found.to_string().contains("pii_detected"));
    assert!(found.to_string().contains(EMAIL));
}

#[test]
fn warn_names_the_path_and_kind_never_the_value() {
    let found = answer(
        &destination(json!({"privacy": {}})),
        &track(json!({"comment": format!("mail {EMAIL}"), "note": format!("card {CARD}")})),
    );
    assert_eq!(found["status"], "mapped");
    assert_eq!(
        codes(&found, "warnings"),
        [("pii_detected".into(), "/properties/comment".into()), ("pii_detected".into(), "/properties/note".into())]
    );
    let warnings = found["warnings"].to_string();
    assert!(warnings.contains("An email address was found in this value. It is sent as it came."), "{warnings}");
    assert!(warnings.contains("privacy.allow: [\\\"/properties/comment\\\"]"), "{warnings}");
    assert!(!warnings.contains(EMAIL) && !warnings.contains("4111"), "{warnings}");
    // Sent as it came.
    assert_eq!(found["operations"][0]["properties"]["comment"], format!("mail {EMAIL}"));
}

#[test]
fn redact_replaces_the_found_part() {
    let destination = destination(json!({"privacy": {"action": "redact"}}));
    let found = answer(
        &destination,
        &json!({"type": "identify", "userId": "u1", "traits": {"email": EMAIL, "bio": format!("write to {EMAIL}, or call +44 20 7946 0958!")}}),
    );
    assert_eq!(found["status"], "mapped");
    let traits = &found["operations"][0]["traits"];
    assert_eq!(traits["email"], EMAIL, "traits.email is allowed");
    assert_eq!(traits["bio"], "write to [email], or call [phone]!");
    assert_eq!(codes(&found, "warnings").len(), 2);
    assert!(found["warnings"][0]["message"].as_str().unwrap().ends_with("It is replaced with [email]."));
}

#[test]
fn hash_is_keyed_and_stable() {
    let destination = destination(json!({"privacy": {"action": "hash", "hashKey": KEY}}));
    let first = answer(&destination, &track(json!({"contact": EMAIL})));
    let second = answer(&destination, &track(json!({"contact": "Jane.Doe@Example.com"})));
    let hashed = first["operations"][0]["properties"]["contact"].as_str().unwrap();
    assert_eq!(hashed.len(), 64);
    assert!(hashed.bytes().all(|byte| byte.is_ascii_hexdigit()));
    assert_eq!(second["operations"][0]["properties"]["contact"], hashed, "an address hashes the same in any case");
    let other = destination_with_key("another key of 32 bytes, not less");
    let elsewhere = answer(&other, &track(json!({"contact": EMAIL})));
    assert_ne!(elsewhere["operations"][0]["properties"]["contact"], hashed);
}

fn destination_with_key(key: &str) -> Destination {
    destination(json!({"privacy": {"action": "hash", "hashKey": key}}))
}

#[test]
fn block_refuses_the_message() {
    let destination = destination(json!({"privacy": {"action": "block", "detect": ["card"]}}));
    let found = answer(&destination, &track(json!({"items": [{"note": CARD}], "mail": EMAIL})));
    assert_eq!(found["status"], "invalid");
    assert_eq!(codes(&found, "errors"), [("pii_detected".into(), "/properties/items/0/note".into())]);
    assert!(!found.to_string().contains("4111"));
}

#[test]
fn keys_escapes_and_context() {
    let destination = destination(json!({"privacy": {"action": "redact"}}));
    let message = json!({
        "type": "track", "userId": "u1", "event": "E",
        "properties": {EMAIL: 1, "quoted": format!("\"{EMAIL}\"\n")},
        "context": {"ip": "203.0.113.9", "page": {"url": format!("https://example.com/?email={EMAIL}")}}
    });
    let found = answer(&destination, &message);
    let properties = &found["operations"][0]["properties"];
    assert_eq!(properties["[email]"], 1);
    assert_eq!(properties["quoted"], "\"[email]\"\n");
    let paths: Vec<String> = codes(&found, "warnings").into_iter().map(|(_, path)| path).collect();
    assert_eq!(paths, ["/properties", "/properties/quoted", "/context/page/url"]);
    assert!(found["warnings"][0]["message"].as_str().unwrap().contains("in a key of this object"));
}

#[test]
fn allow_adds_paths() {
    let destination = destination(json!({"privacy": {"allow": ["/properties/contact"]}}));
    let found = answer(&destination, &track(json!({"contact": {"email": EMAIL}, "other": EMAIL})));
    assert_eq!(codes(&found, "warnings"), [("pii_detected".into(), "/properties/other".into())]);
}

#[test]
fn a_batch_envelope_context_counts_for_every_item() {
    let destination = destination(json!({"privacy": {"action": "block"}}));
    let batch = json!({"context": {"note": EMAIL}, "batch": [track(json!({})), track(json!({}))]});
    let found = answer(&destination, &batch);
    for outcome in found["outcomes"].as_array().unwrap() {
        assert_eq!(outcome["status"], "invalid");
        assert_eq!(codes(outcome, "errors"), [("pii_detected".into(), "/context/note".into())]);
    }
}

#[cfg(feature = "tracking-plan")]
#[test]
fn a_plan_email_field_is_allowed_and_mappings_see_the_redacted_message() {
    let plan = json!({"rules": [{"type": "TRACK", "key": "Commented", "jsonSchema": {"properties": {"properties": {"properties": {"reply_to": {"type": "string", "format": "email"}}}}}}]});
    let mappings = json!({"trackEvent": {"properties": {"@path": "$.properties"}, "ip": {"@path": "$.context.ip"}}});
    let destination = destination(
        json!({"trackingPlan": plan, "mappings": mappings, "privacy": {"action": "redact", "detect": ["email"]}}),
    );
    let found = answer(&destination, &track(json!({"reply_to": EMAIL, "text": format!("cc {EMAIL}")})));
    assert_eq!(found["status"], "mapped", "{found}");
    let properties = &found["operations"][0]["properties"];
    assert_eq!(properties["reply_to"], EMAIL);
    assert_eq!(properties["text"], "cc [email]");
}

/// Values each detector finds, and where they may sit.
const VALUES: [&str; 10] = [
    "jane.doe@example.com",
    "+44 20 7946 0958",
    "(415) 555-0132",
    "4012-8888-8888-1881",
    "GB82 WEST 1234 5698 7654 32",
    "078-05-1123",
    "203.0.113.9",
    "2001:db8::8a2e:370:7334",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
];

fn placed(value: &str, member: usize, wrap: usize, escape: bool) -> Value {
    let text = match wrap {
        0 => value.to_owned(),
        1 => format!("note: {value}."),
        _ => format!("[{value}]\t\"quoted\""),
    };
    let text = if escape { format!("{text}\n") } else { text };
    let inner = match member % 3 {
        0 => json!({"comment": text}),
        1 => json!({"list": [1, {"deep": text}]}),
        _ => json!({ text.clone(): true }),
    };
    match member / 3 {
        0 => json!({"type": "track", "userId": "u1", "event": "E", "properties": inner}),
        1 => json!({"type": "identify", "userId": "u1", "traits": inner}),
        _ => json!({"type": "group", "userId": "u1", "groupId": "g1", "context": {"extra": inner}}),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn no_answer_repeats_a_detected_value(
        value in 0..VALUES.len(), member in 0..9usize, wrap in 0..3usize, escape: bool, action in 0..3usize,
    ) {
        let action = ["redact", "hash", "block"][action];
        let destination = destination(json!({"privacy": {"action": action, "hashKey": KEY}}));
        let message = placed(VALUES[value], member, wrap, escape);
        let text = destination.map_json_text(message.to_string().as_bytes(), &MapOptions::default());
        let answer: Value = serde_json::from_str(&text).unwrap();
        prop_assert!(answer.to_string().contains("pii_detected"), "{}", text);
        // Neither the value nor a long piece of it.
        let value = VALUES[value];
        let piece: String = value.chars().take(10).collect();
        prop_assert!(!text.contains(value) && !text.contains(&piece), "{}", text);
        let batch = json!({"batch": [message]});
        let text = destination.map_json_text(batch.to_string().as_bytes(), &MapOptions::default());
        prop_assert!(!text.contains(&piece), "{}", text);
    }
}

#[test]
fn hostile_strings_are_read_in_one_pass() {
    let destination = destination(json!({"privacy": {"action": "redact"}}));
    let unicode_digits: String = ['٣', '۳', '३', '৩', '੩', '૩', '୩', '௩', '౩', '೩', '൩', '๓', '໓', '༣', '၃', '３']
        .iter()
        .cycle()
        .take(7_000)
        .collect();
    for text in [
        "4".repeat(30_000),
        "4 ".repeat(15_000),
        "1.".repeat(15_000),
        "a@".repeat(15_000),
        ":".repeat(30_000),
        "eyJ.".repeat(7_000),
        "-----BEGIN RSA PRIVATE KEY-----".repeat(900),
        unicode_digits,
    ] {
        let found = answer(&destination, &track(json!({"text": text})));
        assert_eq!(found["status"], "mapped", "{}", &text[..20]);
        // Unicode digits are no ASCII digits: no number is read in them.
        if text.starts_with('٣') {
            assert!(!found.to_string().contains("pii_detected"));
        }
    }
}

#[test]
fn a_batch_envelope_context_is_read_as_it_came_under_warn() {
    let destination = destination(json!({"privacy": {}}));
    let batch = json!({"context": {"note": EMAIL, "groupId": "g1"}, "batch": [track(json!({}))]});
    let found = answer(&destination, &batch);
    let outcome = &found["outcomes"][0];
    assert_eq!(outcome["status"], "mapped");
    assert_eq!(codes(outcome, "warnings"), [("pii_detected".into(), "/context/note".into())]);
    // The context's members the checks read come through as before: the account link.
    assert_eq!(outcome["operations"][0]["groupId"], "g1");
}
