//! Bytes in: `Destination::map_json` with every configuration, and the fast lane (`map_json_text`)
//! against it; the last byte picks the call type.
#![no_main]

mod common;

use std::sync::OnceLock;

use astrolabe_segment::Destination;
use libfuzzer_sys::fuzz_target;

static DESTINATIONS: OnceLock<Vec<Destination>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let destinations = DESTINATIONS.get_or_init(common::destinations);
    let options = common::options(data.last().copied().unwrap_or(4));
    for destination in destinations {
        let mapped = destination.map_json(data, &options);
        common::check(&mapped);
        // The fast lane (the WebAssembly mapJson) gives the exact path's text: byte for byte, or
        // the same JSON once both are parsed and written again (it keeps numbers as written).
        let fast = destination.map_json_text(data, &options);
        let exact = mapped.to_json();
        if fast != exact {
            let normalized = |text: &str| match serde_json::from_str::<serde_json::Value>(text) {
                Ok(value) => value.to_string(),
                Err(error) => panic!("the fast lane's text does not parse ({error}): {text}"),
            };
            assert_eq!(normalized(&fast), normalized(&exact), "the fast lane and the exact path disagree");
        }
    }
});
