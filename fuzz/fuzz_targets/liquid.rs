//! Liquid templates alone: the bytes are one `@liquid` template, rendered against a payload with
//! strings, numbers, arrays and nested objects. `validate_mapping` and `transform` must answer (a
//! value or an error), never panic: the `liquid` parser has `expect`s on what its grammar is
//! supposed to ensure, and a panic traps the WebAssembly module.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

static PAYLOAD: OnceLock<Value> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(template) = std::str::from_utf8(data) else { return };
    let payload = PAYLOAD.get_or_init(|| {
        json!({
            "type": "track", "event": "Order Completed", "userId": "u1",
            "properties": {"total": 42.5, "count": 3, "big": 9007199254740993u64, "name": "Ada", "tags": ["a", "b"],
                "nested": {"deep": {"x": -1}}, "empty": "", "none": null, "yes": true},
            "context": {"page": {"url": "https://example.com/?q=1"}},
            "timestamp": "2026-12-04T10:00:00.000Z"
        })
    });
    let mapping = json!({"x": {"@liquid": template}});
    let _ = astrolabe_segment::mapping::validate_mapping(&mapping);
    let _ = astrolabe_segment::mapping::transform(&mapping, payload);
});
