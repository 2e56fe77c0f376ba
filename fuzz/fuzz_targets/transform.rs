//! The directive engine: a mapping and a payload, JSON texts split at the first NUL byte.
//! `validate_mapping` and `transform` must answer (a value or an error), never panic; a mapping
//! that validates is also compiled as a custom mapping of a Destination and run on the payload.
#![no_main]

mod common;

use astrolabe_segment::{Config, Destination, MapOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let (mapping, payload) = common::split(data);
    let Ok(mapping) = serde_json::from_slice::<Value>(mapping) else { return };
    let payload = serde_json::from_slice::<Value>(payload).unwrap_or_else(|_| json!({}));
    let problems = astrolabe_segment::mapping::validate_mapping(&mapping);
    let _ = astrolabe_segment::mapping::transform(&mapping, &payload);
    if problems.is_empty() && mapping.is_object() {
        let config = json!({"mappings": {"trackEvent": mapping.clone(), "upsertUser": mapping}});
        if let Ok(Ok(destination)) = Config::from_value(config).map(Destination::new) {
            common::check(&destination.map_json(payload.to_string().as_bytes(), &MapOptions::default()));
        }
    }
});
