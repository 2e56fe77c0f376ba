//! JSON Schema (the `jsonschema` crate) with any schema: a tracking plan's schema and the
//! properties it checks, JSON texts split at the first NUL byte. Plans are configuration, but the
//! playground takes them from anyone: compiling any schema gives a Destination or a ConfigError,
//! and a compiled one checks any message, without a panic.
#![no_main]

mod common;

use astrolabe_segment::{Config, Destination, MapOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let (schema, properties) = common::split(data);
    let Ok(schema) = serde_json::from_slice::<Value>(schema) else { return };
    let properties = serde_json::from_slice::<Value>(properties).unwrap_or(Value::Null);
    // The schema checks `properties` (where event schemas put their rules) and, as a COMMON rule,
    // the whole message.
    let plan = json!({"rules": [
        {"type": "TRACK", "key": "e", "jsonSchema": {"properties": {"properties": schema}}},
        {"type": "COMMON", "key": "", "jsonSchema": schema}
    ], "violations": "block"});
    let Ok(config) = Config::from_value(json!({"trackingPlan": plan})) else { return };
    let Ok(destination) = Destination::new(config) else { return };
    let message = json!({"type": "track", "event": "e", "userId": "u", "properties": properties});
    common::check(&destination.map_json(message.to_string().as_bytes(), &MapOptions::default()));
});
