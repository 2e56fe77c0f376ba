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
