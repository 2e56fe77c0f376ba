//! Every input a fuzzer crashed on stays a test: `tests/fuzz-crashes/<target>/` holds the inputs as
//! the target read them (libFuzzer's `crash-*` artifacts, and a minimal form when one was found).
//! Each must now get an answer (a value or an error in words), never a panic, which in the
//! WebAssembly module is a trap. The npm package runs the same files (`fuzz-crashes.test.mjs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use serde_json::json;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-crashes").join(target);
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no inputs in {}", dir.display());
    found
}

/// The `liquid` target: the bytes are one template, checked and rendered against a payload.
#[cfg(feature = "liquid")]
#[test]
fn liquid_crashes_are_answered() {
    use astrolabe_segment::mapping::{transform, validate_mapping};
    use astrolabe_segment::{Config, Destination};
    for (name, bytes) in inputs("liquid") {
        let template = String::from_utf8(bytes).unwrap();
        let mapping = json!({"x": {"@liquid": template}});
        let problems = validate_mapping(&mapping);
        let payload = json!({"type": "track", "event": "e", "properties": {"count": 3, "tags": ["a"]}});
        let transformed = transform(&mapping, &payload);
        // Refused or rendered, the answer is consistent: a template that validates renders.
        if problems.is_empty() {
            assert!(transformed.is_ok(), "{name}: {transformed:?}");
        } else {
            assert!(problems.iter().all(|p| !p.contains("-->")), "{name}: {problems:?}");
        }
        let config = Config::from_value(json!({"mappings": {"trackEvent": {"event": {"@liquid": template}}}})).unwrap();
        let _ = Destination::new(config).map(|destination| destination.map(&payload, &Default::default()));
    }
}

/// Without the `liquid` feature, the same templates are refused as a disabled directive.
#[cfg(not(feature = "liquid"))]
#[test]
fn liquid_crashes_are_refused_by_the_lite_build() {
    for (name, bytes) in inputs("liquid") {
        let mapping: serde_json::Value = json!({"x": {"@liquid": String::from_utf8(bytes).unwrap()}});
        assert!(!astrolabe_segment::mapping::validate_mapping(&mapping).is_empty(), "{name}");
    }
}

/// The `regex_pattern` target: a pattern and a text split at the first NUL byte, the pattern used
/// as `pattern` and `patternProperties` in a plan. These compiled into gigabytes (out of memory
/// in the fuzzer; in the WebAssembly module, memory that cannot grow traps it): now the plan is
/// refused, in words, before or as the pattern compiles.
#[cfg(feature = "tracking-plan")]
#[test]
fn regex_pattern_inputs_that_ran_out_of_memory_are_refused() {
    use astrolabe_segment::{Config, Destination};
    for (name, bytes) in inputs("regex_pattern") {
        let cut = bytes.iter().position(|byte| *byte == 0).unwrap_or(bytes.len());
        let pattern = String::from_utf8_lossy(&bytes[..cut]).into_owned();
        let schema = json!({"type": "object",
            "properties": {"p": {"type": "string", "pattern": pattern}, "r": {"format": "regex"}},
            "patternProperties": {pattern.clone(): {"type": "number"}}});
        let plan =
            json!({"rules": [{"type": "TRACK", "key": "e", "jsonSchema": {"properties": {"properties": schema}}}]});
        let refused = Config::from_value(json!({"trackingPlan": plan})).and_then(Destination::new);
        let error = refused.err().unwrap_or_else(|| panic!("{name}: the plan was accepted"));
        assert!(error.to_string().contains("pattern"), "{name}: {error}");
    }
}

/// The `map_json` target: the bytes are a message, mapped by each of the fuzz Destinations from its
/// text and from its value. This one has a trait that is an object where a `@liquid` template
/// renders it: liquid-core rendered an object's keys and values in a HashMap's order, which
/// changed from one call to the next, so the same message got two answers. An object renders as
/// liquidjs renders it now, `[object Object]`, and every call answers the same.
#[cfg(feature = "liquid")]
#[test]
fn map_json_crashes_answer_the_same_every_way_and_every_time() {
    use astrolabe_segment::{CallType, Config, Destination, MapOptions};
    let mapping = json!({"mappings": {"upsertUser": {"userId": {"@path": "$.traits.email"},
        "x": {"@template": "{{traits.name}}"}, "l": {"@liquid": "{{ traits.name | upcase }}"}}}});
    let destination = Destination::new(Config::from_value(mapping).unwrap()).unwrap();
    let options = MapOptions::with_type(CallType::Identify);
    for (name, bytes) in inputs("map_json") {
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let first = destination.map_json_text(&bytes, &options);
        for _ in 0..20 {
            assert_eq!(destination.map_json_text(&bytes, &options), first, "{name}: another answer");
        }
        let reread = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(reread(&destination.map_input(&value, &options).to_json()), reread(&first), "{name}");
        let traits = &reread(&first)["operations"][0]["traits"];
        assert_eq!(traits["l"], json!("[OBJECT OBJECT]"), "{name}: {traits}");
        assert_eq!(traits["x"], json!("[object Object]"), "{name}: {traits}");
    }
}
