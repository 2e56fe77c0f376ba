//! `map_json_text` (the engine's text) and `map_json(..).to_json()` (that text read back into the
//! structured answer and written again) agree: byte for byte wherever numbers are written the way
//! serde writes them, and the same text once both are parsed and written again otherwise. Over the fixture corpus (compact, pretty-printed and with
//! escapes), Segment's documentation payloads as published, and mutated and random texts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use astrolabe_segment::{CallType, Config, Destination, MapOptions};
use serde_json::{json, Value};
use std::fs;

fn destinations() -> Vec<Destination> {
    [json!({}), json!({"strict": true})]
        .into_iter()
        .map(|config| Destination::new(Config::from_value(config).unwrap()).unwrap())
        .collect()
}

/// Both texts, or `Err` naming how they differ.
fn agree(destination: &Destination, text: &[u8], options: &MapOptions) -> Result<bool, String> {
    let fast = destination.map_json_text(text, options);
    let exact = destination.map_json(text, options).to_json();
    if fast == exact {
        return Ok(true);
    }
    let normalized = |text: &str| serde_json::to_string(&serde_json::from_str::<Value>(text).unwrap()).unwrap();
    if normalized(&fast) == normalized(&exact) {
        Ok(false)
    } else {
        Err(format!("fast:  {fast}\nexact: {exact}"))
    }
}

fn options_of(body: &Value) -> MapOptions {
    MapOptions { call_type: body.pointer("/options/type").and_then(Value::as_str).and_then(CallType::from_name) }
}

/// The same JSON with every string's characters from U+00E0 up written as `\u` escapes.
fn escaped(value: &Value) -> String {
    let mut out = String::new();
    for ch in value.to_string().chars() {
        if ch as u32 >= 0xE0 {
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[test]
fn fixtures_agree_byte_for_byte_in_every_spelling() {
    let mut failures = Vec::new();
    let mut exact = 0;
    for fixture in common::fixtures() {
        if fixture.body.get("config").is_some_and(|config| config.get("strict").is_none()) {
            continue;
        }
        let input = common::fixture_input(&fixture.body);
        let options = options_of(&fixture.body);
        let spellings = [input.to_string(), serde_json::to_string_pretty(&input).unwrap(), escaped(&input)];
        for destination in destinations() {
            for text in &spellings {
                match agree(&destination, text.as_bytes(), &options) {
                    Ok(true) => exact += 1,
                    Ok(false) => failures.push(format!("{}: agrees only once normalized", fixture.name)),
                    Err(why) => failures.push(format!("{}:\n{why}", fixture.name)),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(exact > 500, "only {exact} texts compared");
}

#[test]
fn documentation_payloads_agree_as_published() {
    let Some(shared) = common::shared_dir() else { return };
    let examples = shared.join("examples/segment-docs");
    let mut seen = 0;
    for dir in [examples.clone(), examples.join("invalid-as-published")] {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "json") {
                let text = fs::read(&path).unwrap();
                for call_type in [None, Some(CallType::Track), Some(CallType::Identify)] {
                    for destination in destinations() {
                        let agreed = agree(&destination, &text, &MapOptions { call_type });
                        assert!(agreed.is_ok(), "{}: {}", path.display(), agreed.unwrap_err());
                    }
                }
                seen += 1;
            }
        }
    }
    assert!(seen >= 30);
}

#[test]
fn numbers_keep_their_digits() {
    let destination = Destination::new(Config::default()).unwrap();
    let text =
        br#"{"type":"identify","userId":"u","traits":{"big":123456789012345678901234567890,"e":1E2,"f":25.50,"n":-0}}"#;
    let fast = destination.map_json_text(text, &MapOptions::default());
    assert!(fast.contains(r#""traits":{"big":123456789012345678901234567890,"e":1E2,"f":25.50,"n":-0}"#), "{fast}");
    assert_eq!(agree(&destination, text, &MapOptions::default()), Ok(false));
}

#[test]
fn limits_and_odd_texts_agree() {
    let pad = |n: usize| format!(r#"{{"type":"identify","userId":"u","traits":{{"p":"{}"}}}}"#, "x".repeat(n));
    let base = pad(0).len();
    let mut texts: Vec<String> = (32_760..32_775).map(|size| pad(size - base)).collect();
    texts.extend([
        format!("{}1{}", "[".repeat(66), "]".repeat(66)),
        format!(r#"{{"type":"track","userId":"u","event":"e","properties":{}{}}}"#, "[".repeat(64), "]".repeat(64)),
        format!(r#"{{"batch":[{}],"context":{}{}}}"#, pad(10), "[".repeat(64), "]".repeat(64)),
        format!("[{}]", vec![r#"{"type":"track","anonymousId":"a","event":"e"}"#; 2_501].join(",")),
        format!("[{}]", vec![r#"{"type":"track","anonymousId":"a","event":"e"}"#; 2_500].join(",")),
        r#"{"type":"track","\u0075serId":"u","event":"e"}"#.to_owned(),
        r#"{"type":"track","userId":"u","event":"e","userId":7}"#.to_owned(),
        r#"{"type":"identify","userId":"u","traits":{"email":"x"},"traits":{"email":"a@b.c","age":"3"}}"#.to_owned(),
        r#"{"type":"identify","userId":"u","traits":{"\u0065mail":5}}"#.to_owned(),
        r#"{"type":"track","userId":"u","event":"e","properties":{"s":"\ud800"}}"#.to_owned(),
        r#"{"type":"track","userId":"u","event":"e","properties":{"n":1e400}}"#.to_owned(),
        r#"{"batch":{"type":"track"}}"#.to_owned(),
        r#"{"batch":[],"context":"x"}"#.to_owned(),
        r#"{"batch":[{"type":"track","userId":"u","event":"e"}],"context":{"groupId":"g"},"sentAt":"2024-01-01T00:00:00Z","integrations":{"All":false}}"#.to_owned(),
        r#"{"context":{"groupId":"g"},"batch":[{"type":"track","userId":"u","event":"e"}]}"#.to_owned(),
        r#"[1, null, "x", [], {"type":"page"}]"#.to_owned(),
        "\u{feff}{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}".to_owned(),
        "  \"just a string\"  ".to_owned(),
        "{} {}".to_owned(),
        String::new(),
    ]);
    for destination in destinations() {
        for text in &texts {
            for options in [MapOptions::default(), MapOptions::with_type(CallType::Track)] {
                let agreed = agree(&destination, text.as_bytes(), &options);
                assert!(agreed.is_ok(), "{}: {}", &text[..text.len().min(200)], agreed.unwrap_err());
            }
        }
    }
    let mut invalid_utf8 = br#"{"type":"track","userId":"u","event":"e"}"#.to_vec();
    invalid_utf8[20] = 0xFF;
    assert!(agree(&destinations()[0], &invalid_utf8, &MapOptions::default()).is_ok());
}

#[test]
fn mutated_texts_agree() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = br#"{}[]",:\ 0123456789.eE+-tfnul"abc\u00"#;
    let destination = Destination::new(Config::default()).unwrap();
    let fixtures = common::fixtures();
    let mut compared = 0;
    for round in 0..3_000 {
        let fixture = &fixtures[round % fixtures.len()];
        let mut text = common::fixture_input(&fixture.body).to_string().into_bytes();
        for _ in 0..(1 + next() % 3) {
            if text.is_empty() {
                break;
            }
            let at = (next() % text.len() as u64) as usize;
            match next() % 3 {
                0 => text[at] = alphabet[(next() % alphabet.len() as u64) as usize],
                1 => {
                    text.remove(at);
                }
                _ => text.insert(at, alphabet[(next() % alphabet.len() as u64) as usize]),
            }
        }
        let agreed = agree(&destination, &text, &MapOptions::default());
        assert!(agreed.is_ok(), "{}: {}", String::from_utf8_lossy(&text), agreed.unwrap_err());
        compared += 1;
    }
    assert_eq!(compared, 3_000);
}

#[test]
fn an_envelope_is_told_apart_however_its_batch_key_is_spelled_and_wherever_it_stands() {
    let item = r#"{"type":"track","userId":"u1","event":"Paid","properties":{"company":{"name":1},"address":[1]}}"#;
    let context = r#"{"groupId":"g1","library":{"name":"analytics-python"}}"#;
    let plain = format!(r#"{{"batch":[{item}],"context":{context}}}"#);
    for destination in destinations() {
        let expected = destination.map_json_text(plain.as_bytes(), &MapOptions::default());
        assert!(expected.starts_with(r#"{"outcomes":[{"status":"mapped""#), "{expected}");
        for text in [
            format!(r#"{{"\u0062atch":[{item}],"context":{context}}}"#),
            format!(r#"{{"writeKey":"k","context":{context},"batch":[{item}]}}"#),
            format!(r#"{{"writeKey":"k","context":{context},"b\u0061tch":[{item}]}}"#),
            format!(r#" {{ "context" : {context} , "batch" : [ {item} ] }} "#),
        ] {
            assert_eq!(destination.map_json_text(text.as_bytes(), &MapOptions::default()), expected, "{text}");
        }
        // With a type it is a message, whose batch member is unknown and ignored.
        let message = format!(r#"{{"batch":[{item}],"type":"track","userId":"u1","event":"Paid"}}"#);
        let answer = destination.map_json_text(message.as_bytes(), &MapOptions::default());
        assert!(answer.starts_with(r#"{"status":"mapped","operations":[{"op":"trackEvent""#), "{answer}");
    }
}
