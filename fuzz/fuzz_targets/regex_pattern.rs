//! Regular expressions from users: a tracking plan's `pattern`, `patternProperties` and
//! `format: "regex"` take any pattern, compiled by the `jsonschema` crate's regex engine. The bytes
//! are a pattern and a text split at the first NUL byte; the pattern is tried on the text every way
//! a plan can use it, and must give an answer (a match, a mismatch or a ConfigError), never a panic
//! or a hang past libFuzzer's timeout.
#![no_main]

mod common;

use astrolabe_segment::{Config, Destination, MapOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let (pattern, text) = common::split(data);
    let (Ok(pattern), Ok(text)) = (std::str::from_utf8(pattern), std::str::from_utf8(text)) else { return };
    let schema = json!({"type": "object",
        "properties": {"p": {"type": "string", "pattern": pattern}, "r": {"format": "regex"}},
        "patternProperties": {pattern: {"type": "number"}}});
    let plan = json!({"rules": [{"type": "TRACK", "key": "e", "jsonSchema": {"properties": {"properties": schema}}}],
        "violations": "block"});
    let Ok(config) = Config::from_value(json!({"trackingPlan": plan})) else { return };
    let Ok(destination) = Destination::new(config) else { return };
    let message = json!({"type": "track", "event": "e", "userId": "u", "properties": {"p": text, "r": pattern, text: 1}});
    common::check(&destination.map_json(message.to_string().as_bytes(), &MapOptions::default()));
});
