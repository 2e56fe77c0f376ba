//! Messages true to the rule they state (issue 17): each case a message once got wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::{Config, Destination, MapOptions};
use serde_json::{json, Value};

fn outcome(config: Value, message: Value) -> Value {
    let destination = Destination::new(Config::from_value(config).unwrap()).unwrap();
    let text = destination.map_json(message.to_string().as_bytes(), &MapOptions::default()).to_json();
    serde_json::from_str(&text).unwrap()
}

fn issue(outcome: &Value, code: &str) -> Value {
    let all = outcome["errors"].as_array().unwrap().iter().chain(outcome["warnings"].as_array().unwrap());
    all.clone().find(|issue| issue["code"] == code).cloned().unwrap_or_else(|| panic!("no {code} in {outcome}"))
}

#[test]
fn a_blank_id_or_event_is_said_blank_not_empty() {
    let out = outcome(json!({}), json!({"type": "track", "userId": "   ", "event": "  "}));
    for code in ["missing_identity", "missing_event"] {
        let message = issue(&out, code)["message"].as_str().unwrap().to_owned();
        assert!(message.contains("not blank") && !message.contains("non-empty"), "{message}");
    }
    let group = outcome(json!({}), json!({"type": "group", "groupId": " "}));
    assert!(issue(&group, "missing_group_id")["message"].as_str().unwrap().contains("not blank"));
}

#[test]
fn a_blank_type_is_a_missing_type_not_an_unknown_one() {
    for blank in ["", "  "] {
        let out = outcome(json!({}), json!({"type": blank, "userId": "u", "event": "e"}));
        assert_eq!(out["errors"].as_array().unwrap().len(), 1, "{out}");
        assert_eq!(issue(&out, "missing_type")["hint"], "add \"type\": \"track\", since it has an event");
    }
}

#[test]
fn unknown_type_lists_every_call_type_delete_included() {
    let out = outcome(json!({}), json!({"type": "signup", "userId": "u"}));
    let message = issue(&out, "unknown_type")["message"].as_str().unwrap().to_owned();
    for call in ["identify", "group", "track", "page", "screen", "alias", "delete"] {
        assert!(message.contains(call), "{message}");
    }
    assert!(issue(&out, "unknown_type").get("hint").is_none(), "no call type is near \"signup\"");
}

#[test]
fn an_empty_message_id_is_said_so() {
    let out = outcome(json!({}), json!({"type": "track", "userId": "u", "event": "e", "messageId": ""}));
    let warning = issue(&out, "message_id_blank");
    assert_eq!(warning["path"], "/messageId");
    assert!(warning["message"].as_str().unwrap().contains("messageId is empty"), "{warning}");
    assert!(out["operations"][0].get("messageId").is_none());
}

#[test]
fn strict_mode_says_nothing_of_what_would_have_been_sent() {
    let coerced = outcome(json!({"strict": true}), json!({"type": "identify", "userId": 42}));
    let message = issue(&coerced, "id_coerced")["message"].as_str().unwrap().to_owned();
    assert_eq!(message, "userId is the number 42, not a string.");
    let group = outcome(json!({"strict": true}), json!({"type": "group", "groupId": "g"}));
    let message = issue(&group, "no_user_to_associate")["message"].as_str().unwrap().to_owned();
    assert!(!message.contains("upserted"), "{message}");
    // The default mode says it.
    let coerced = outcome(json!({}), json!({"type": "identify", "userId": 42}));
    assert!(issue(&coerced, "id_coerced")["message"].as_str().unwrap().ends_with("It is sent as the string \"42\"."));
}
