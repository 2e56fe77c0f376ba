//! Bytes in: `Destination::map_json` with every configuration. The engine's text
//! (`map_json_text`, the WebAssembly mapJson) must read back as the structured answer, and when
//! the bytes are JSON, the value's entry (`map_input`, what `map` of a JS value runs) must give the
//! same answer; the last byte picks the call type.
#![no_main]

mod common;

use std::sync::OnceLock;

use astrolabe_segment::Destination;
use libfuzzer_sys::fuzz_target;

static DESTINATIONS: OnceLock<Vec<Destination>> = OnceLock::new();

/// The same JSON once parsed and written again (numbers inside traits keep the digits they were
/// sent with in the text, and are rewritten from the value).
fn normalized(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => value.to_string(),
        Err(error) => panic!("the engine's text does not parse ({error}): {text}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let destinations = DESTINATIONS.get_or_init(common::destinations);
    let options = common::options(data.last().copied().unwrap_or(4));
    // A message's size is counted as written, so a value written again (`1e15` is
    // `1000000000000000.0`) may cross the 32 KB limit its text stays under: compare below it.
    let value = if data.len() < 5_000 { serde_json::from_slice::<serde_json::Value>(data).ok() } else { None };
    for destination in destinations {
        let mapped = destination.map_json(data, &options);
        common::check(&mapped);
        let text = destination.map_json_text(data, &options);
        assert_eq!(normalized(&text), normalized(&mapped.to_json()), "the text and the structured answer disagree");
        if let Some(value) = &value {
            let from_value = destination.map_input(value, &options).to_json();
            assert_eq!(normalized(&from_value), normalized(&text), "the value and its text disagree");
        }
    }
});
