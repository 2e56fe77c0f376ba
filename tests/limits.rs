//! The limits at their exact edges (spec section 3): 2,500 items and 512,000 bytes per batch, for
//! envelopes and bare arrays, through values and through text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::{Config, Destination, MapOptions, Mapped};
use serde_json::{json, Value};

fn destination() -> Destination {
    Destination::new(Config::default()).unwrap()
}

fn item() -> Value {
    json!({"type": "track", "userId": "u", "event": "e"})
}

/// The batch outcome's errors as `code at path`, and how many outcomes it has.
fn summary(mapped: &Mapped) -> (Vec<String>, usize) {
    let Mapped::Batch(batch) = mapped else { panic!("not a batch: {}", mapped.to_json()) };
    (batch.errors.iter().map(|issue| format!("{} at {:?}", issue.code, issue.path)).collect(), batch.outcomes.len())
}

fn both(input: &Value) -> [(Vec<String>, usize); 2] {
    let destination = destination();
    let text = serde_json::to_vec(input).unwrap();
    [
        summary(&destination.map_input(input, &MapOptions::default())),
        summary(&destination.map_json(&text, &MapOptions::default())),
    ]
}

#[test]
fn two_thousand_five_hundred_items_pass_and_one_more_does_not() {
    for (items, refused) in [(2_500, false), (2_501, true)] {
        let list = vec![item(); items];
        for (input, path) in [(json!({ "batch": list.clone() }), "/batch"), (Value::Array(list), "")] {
            for (errors, outcomes) in both(&input) {
                if refused {
                    assert_eq!(errors, [format!("batch_too_many at {path:?}")]);
                    assert_eq!(outcomes, 0);
                } else {
                    assert!(errors.is_empty(), "{errors:?}");
                    assert_eq!(outcomes, items);
                }
            }
        }
    }
}

/// A batch envelope of exactly `size` bytes of compact JSON, padded in its last item.
fn batch_of_size(size: usize) -> Value {
    let mut items = vec![item(); 40];
    items.push(json!({"type": "track", "userId": "u", "event": "e", "properties": {"pad": ""}}));
    let mut batch = json!({ "batch": items });
    let length = serde_json::to_vec(&batch).unwrap().len();
    batch["batch"][40]["properties"]["pad"] = Value::String("x".repeat(size - length));
    assert_eq!(serde_json::to_vec(&batch).unwrap().len(), size);
    batch
}

#[test]
fn five_hundred_kilobytes_pass_and_one_byte_more_does_not() {
    // The padded item is itself over 32 KB, so it alone is refused (too_large); the batch is not.
    let (errors, outcomes) =
        summary(&destination().map_json(&serde_json::to_vec(&batch_of_size(512_000)).unwrap(), &MapOptions::default()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(outcomes, 41);
    for (errors, outcomes) in both(&batch_of_size(512_001)) {
        assert_eq!(errors, ["batch_too_large at \"\""]);
        assert_eq!(outcomes, 0);
    }
    let outcome = destination().map_batch(&batch_of_size(512_000));
    assert!(outcome.errors.is_empty());
    assert_eq!(outcome.outcomes[40].errors[0].code.as_str(), "too_large");
    assert_eq!(outcome.outcomes[40].errors[0].path, "/batch/40");
    assert_eq!(outcome.outcomes[0].status.as_str(), "mapped");
}

/// A message of exactly `size` bytes of compact JSON, padded in a trait (`/xxx...`).
fn message_of_size(size: usize) -> Value {
    let mut message = json!({"type": "identify", "userId": "u", "traits": {"pad": ""}});
    let length = serde_json::to_vec(&message).unwrap().len();
    message["traits"]["pad"] = Value::String(format!("/{}", "x".repeat(size - length - 1)));
    message
}

/// The codes of a message's errors, answered from `text`.
fn errors_of(text: &str) -> Vec<String> {
    match destination().map_json(text.as_bytes(), &MapOptions::default()) {
        Mapped::Message(outcome) => outcome.errors.iter().map(|issue| issue.code.to_string()).collect(),
        other => panic!("not a message: {}", other.to_json()),
    }
}

#[test]
fn thirty_two_kilobytes_count_as_serialized_not_as_sent() {
    for (size, refused) in [(32_768, false), (32_769, true)] {
        let message = message_of_size(size);
        let compact = serde_json::to_string(&message).unwrap();
        // Whitespace, and escapes that serde writes shorter (`\u0078` for `x`, `\/`): the text as
        // sent is well over 32 KB either way.
        let pretty = serde_json::to_string_pretty(&message).unwrap().replace(": ", " :   ");
        let escaped = compact.replacen("\"/x", "\"\\/x", 1).replacen("xxxxx", "\\u0078\\u0078\\u0078\\u0078x", 800);
        assert!(escaped.len() > 40_000);
        for text in [&compact, &pretty, &escaped] {
            let expected: Vec<String> = if refused { vec!["too_large".into()] } else { vec![] };
            assert_eq!(errors_of(text), expected, "{size} bytes: {}", &text[..60]);
        }
        // A batch item too, measured on its own.
        let batch = format!("{{\"batch\": [ {escaped} , {pretty} ]}}");
        let Mapped::Batch(outcome) = destination().map_json(batch.as_bytes(), &MapOptions::default()) else { panic!() };
        for item in &outcome.outcomes {
            assert_eq!(item.errors.iter().any(|issue| issue.code.as_str() == "too_large"), refused, "{size}");
        }
    }
}
