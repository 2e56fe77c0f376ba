//! Bytes in, as a batch: text that parses goes through `map_batch` and `map_input` as a value (the
//! path the JS API takes), and through `map_json` as text; the outcomes must agree.
#![no_main]

mod common;

use std::sync::OnceLock;

use astrolabe_segment::{Destination, MapOptions, Mapped};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

static DESTINATIONS: OnceLock<Vec<Destination>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let destinations = DESTINATIONS.get_or_init(common::destinations);
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return };
    for destination in destinations {
        let batch = Mapped::Batch(destination.map_batch(&value));
        common::check(&batch);
        common::check(&destination.map_input(&value, &MapOptions::default()));
        // The same value as compact text through map_json: a batch gives the same outcome.
        if let (Ok(text), Value::Array(_)) = (serde_json::to_vec(&value), &value) {
            let from_text = destination.map_json(&text, &MapOptions::default());
            common::check(&from_text);
            if text.len() <= astrolabe_segment::input::MAX_BATCH_BYTES {
                assert_eq!(from_text.to_json(), batch.to_json(), "map_json and map_batch disagree");
            }
        }
    }
});
