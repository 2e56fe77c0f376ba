//! The inference rules, message by message: types and unions, nesting, `required`, formats,
//! `enum`s, `--min-count`, what counts and what is skipped, merging in any order and grouping,
//! and the plan read back by the plan engine.

use serde_json::{json, Value};

use super::shape::{MAX_DEPTH, MAX_MEMBERS};
use super::*;
use crate::check::{End, Framing};
use crate::config::Config;
use crate::destination::{Destination, MapOptions};

/// The inference of these messages, one a line.
fn inference(messages: &[Value], enum_max: Option<usize>) -> Inference {
    let mut inferrer = Inferrer::new(enum_max).unwrap();
    inferrer.read("m.ndjson", Framing::Lines, 1, lines(messages).as_bytes());
    inferrer.take_inference()
}

fn lines(messages: &[Value]) -> String {
    messages.iter().map(|message| format!("{message}\n")).collect()
}

/// The plan of these messages, parsed.
fn plan(messages: &[Value], enum_max: Option<usize>, min_count: u64) -> Value {
    serde_json::from_str(&inference(messages, enum_max).plan(min_count).text).unwrap()
}

/// The `jsonSchema` of the rule of type `kind` and key `key`.
fn rule<'a>(plan: &'a Value, kind: &str, key: &str) -> &'a Value {
    let rules = plan["rules"].as_array().unwrap();
    let found = rules.iter().find(|rule| rule["type"] == kind && rule["key"] == key);
    &found.unwrap_or_else(|| panic!("no rule {kind} {key:?} in {plan:#}"))["jsonSchema"]
}

/// The schema of a track event's `properties`.
fn properties<'a>(plan: &'a Value, event: &str) -> &'a Value {
    &rule(plan, "TRACK", event)["properties"]["properties"]
}

fn track(event: &str, properties: Value) -> Value {
    json!({"type": "track", "userId": "u1", "event": event, "properties": properties})
}

/// The plan-engine issues (`plan_violation`, `unplanned_*`) a plan gives a value's text, with every
/// plan setting at its strictest.
fn plan_issues(plan: &Value, text: &str) -> Vec<String> {
    let mut strict = plan.clone();
    strict["violations"] = json!("block");
    strict["unplannedEvents"] = json!("block");
    strict["unplannedProperties"] = json!("omit");
    let config = Config { tracking_plan: Some(strict), ..Config::default() };
    let destination = Destination::new(config).unwrap();
    let answer: Value =
        serde_json::from_str(&destination.map_json_text(text.as_bytes(), &MapOptions::default())).unwrap();
    let mut found = Vec::new();
    collect_plan_issues(&answer, &mut found);
    found
}

fn collect_plan_issues(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(code)) = map.get("code") {
                if code == "plan_violation" || code.starts_with("unplanned_") {
                    found.push(format!("{code} {}: {}", map["path"], map["message"]));
                }
            }
            map.values().for_each(|value| collect_plan_issues(value, found));
        }
        Value::Array(values) => values.iter().for_each(|value| collect_plan_issues(value, found)),
        _ => {}
    }
}

/// The plan inferred from `messages` accepts each of them.
fn accepts_all(messages: &[Value], enum_max: Option<usize>) -> Value {
    let plan = plan(messages, enum_max, 1);
    for message in messages {
        assert_eq!(plan_issues(&plan, &message.to_string()), Vec::<String>::new(), "{message}\n{plan:#}");
    }
    plan
}

#[test]
fn each_type_is_written_and_several_make_a_union() {
    let plan = accepts_all(
        &[
            track("E", json!({"a": 1, "b": "x", "c": true, "d": 1.5, "e": null, "f": [1], "g": {}})),
            track("E", json!({"a": "s", "d": 2, "e": null})),
        ],
        None,
    );
    assert_eq!(
        *properties(&plan, "E"),
        json!({
            "type": "object",
            "properties": {
                "a": {"type": ["integer", "string"]},
                "b": {"type": "string"},
                "c": {"type": "boolean"},
                "d": {"type": "number"},
                "e": {"type": "null"},
                "f": {"type": "array", "items": {"type": "integer"}},
                "g": {"type": "object"}
            },
            "required": ["a", "d", "e"]
        })
    );
}

#[test]
fn integers_are_what_json_schema_calls_integers() {
    // 3.0 and 1e300 are integers to the schema crate; 12345678901234567890123 is read as a float
    // with no fraction.
    let values = [json!(3.0), json!(1e300), json!(-0.0), serde_json::from_str("12345678901234567890123").unwrap()];
    for value in values {
        let plan = accepts_all(&[track("E", json!({"n": value}))], None);
        assert_eq!(properties(&plan, "E")["properties"]["n"], json!({"type": "integer"}), "{value}");
    }
    let plan = accepts_all(&[track("E", json!({"n": 0.5}))], None);
    assert_eq!(properties(&plan, "E")["properties"]["n"], json!({"type": "number"}));
}

#[test]
fn nested_objects_and_arrays_of_objects_are_described_to_the_depth_seen() {
    let plan = accepts_all(
        &[
            track(
                "Order",
                json!({"products": [{"sku": "a", "price": 1}, {"sku": "b", "price": 2.5, "tags": []}], "address": {"city": "Paris", "geo": {"lat": 1.5}}}),
            ),
            track("Order", json!({"products": [], "address": {"city": "Lyon", "zip": "69000"}})),
            track(
                "Order",
                json!({"products": [{"sku": "c", "price": null}], "address": {"city": "Nice", "geo": null}}),
            ),
        ],
        None,
    );
    assert_eq!(
        *properties(&plan, "Order"),
        json!({
            "type": "object",
            "properties": {
                "address": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "geo": {"type": ["null", "object"], "properties": {"lat": {"type": "number"}}, "required": ["lat"]},
                        "zip": {"type": "string"}
                    },
                    "required": ["city"]
                },
                "products": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "price": {"type": ["null", "number"]},
                            "sku": {"type": "string"},
                            "tags": {"type": "array"}
                        },
                        "required": ["price", "sku"]
                    }
                }
            },
            "required": ["address", "products"]
        })
    );
}

#[test]
fn properties_and_traits_are_required_when_every_message_had_them() {
    let with = |properties: Value| track("E", properties);
    let plan = accepts_all(&[with(json!({"a": 1})), with(json!({}))], None);
    assert_eq!(rule(&plan, "TRACK", "E")["required"], json!(["properties"]));
    assert_eq!(properties(&plan, "E")["type"], "object");
    assert_eq!(properties(&plan, "E").get("required"), None);

    let plan = accepts_all(&[with(json!({"a": 1})), json!({"type": "track", "event": "E"})], None);
    assert_eq!(rule(&plan, "TRACK", "E").get("required"), None);
    let plan = accepts_all(&[with(json!({"a": 1})), with(Value::Null)], None);
    assert_eq!(properties(&plan, "E")["type"], json!(["null", "object"]));

    // A call whose messages never had any: the rule says nothing of them.
    let plan = accepts_all(&[json!({"type": "identify", "userId": "u1"})], None);
    let identify = rule(&plan, "IDENTIFY", "");
    assert_eq!((identify.get("properties"), identify.get("required")), (None, None));
}

#[test]
fn a_format_is_written_when_every_string_matched_it() {
    let plan = accepts_all(
        &[
            track(
                "E",
                json!({"at": "2024-12-05T09:30:00.000Z", "email": "ada@example.com", "site": "https://example.com", "mixed": "ada@example.com", "maybe": null, "n": 1}),
            ),
            track(
                "E",
                json!({"at": "2024-12-06T10:00:00+01:00", "email": "bo@example.org", "site": "ftp://files.example.com/a", "mixed": "https://example.com", "maybe": "2024-12-05T09:30:00Z", "n": "2024-12-05T09:30:00Z"}),
            ),
        ],
        None,
    );
    let members = &properties(&plan, "E")["properties"];
    assert_eq!(members["at"], json!({"type": "string", "format": "date-time"}));
    assert_eq!(members["email"], json!({"type": "string", "format": "email"}));
    assert_eq!(members["site"], json!({"type": "string", "format": "uri"}));
    assert_eq!(members["mixed"], json!({"type": "string"}));
    assert_eq!(members["maybe"], json!({"type": ["null", "string"], "format": "date-time"}));
    assert_eq!(members["n"], json!({"type": ["integer", "string"], "format": "date-time"}));
    // One string that is not a date-time is enough to write none.
    let plan = accepts_all(
        &[track("E", json!({"at": "2024-12-05T09:30:00Z"})), track("E", json!({"at": "2024-12-05"}))],
        None,
    );
    assert_eq!(properties(&plan, "E")["properties"]["at"], json!({"type": "string"}));
}

#[test]
fn enums_list_few_strings_over_enough_messages_and_only_when_asked() {
    let plans = |values: &[Value], enum_max: Option<usize>, min_count: u64| {
        let messages: Vec<Value> = values.iter().map(|value| track("E", json!({"v": value}))).collect();
        let plan = plan(&messages, enum_max, min_count);
        properties(&plan, "E")["properties"]["v"].clone()
    };
    let abba = [json!("b"), json!("a"), json!("b"), json!("a")];
    assert_eq!(plans(&abba, Some(2), 1), json!({"type": "string", "enum": ["a", "b"]}));
    assert_eq!(plans(&abba, Some(2), 4), json!({"type": "string", "enum": ["a", "b"]}));
    // Fewer strings than --min-count (two, in a rule of four messages), more values than
    // --enum-max, or no --enum-max: no enum.
    let sometimes = [json!("a"), Value::Null, json!("a"), Value::Null];
    assert_eq!(plans(&sometimes, Some(2), 2), json!({"type": ["null", "string"], "enum": ["a", null]}));
    assert_eq!(plans(&sometimes, Some(2), 3), json!({"type": ["null", "string"]}));
    assert_eq!(plans(&abba, Some(1), 1), json!({"type": "string"}));
    assert_eq!(plans(&abba, None, 1), json!({"type": "string"}));
    // null is listed when it was seen; any other type means no enum.
    assert_eq!(plans(&[json!("a"), Value::Null], Some(2), 1), json!({"type": ["null", "string"], "enum": ["a", null]}));
    assert_eq!(plans(&[json!("a"), json!(1)], Some(2), 1), json!({"type": ["integer", "string"]}));
    // An enum and a format together, both true of every value.
    assert_eq!(
        plans(&[json!("ada@example.com")], Some(2), 1),
        json!({"type": "string", "format": "email", "enum": ["ada@example.com"]})
    );
    let messages: Vec<Value> = ["x", "y", "z", "x"].iter().map(|v| track("E", json!({"v": v}))).collect();
    accepts_all(&messages, Some(3));
}

#[test]
fn min_count_leaves_out_rules_seen_too_rarely() {
    let messages = [
        track("Often", json!({})),
        track("Often", json!({})),
        track("Once", json!({})),
        json!({"type": "group", "groupId": "g"}),
    ];
    let inference = inference(&messages, None);
    let rules = |min_count: u64| -> Vec<String> {
        let plan: Value = serde_json::from_str(&inference.plan(min_count).text).unwrap();
        plan["rules"].as_array().unwrap().iter().map(|rule| format!("{} {}", rule["type"], rule["key"])).collect()
    };
    assert_eq!(rules(1), [r#""GROUP" """#, r#""TRACK" "Often""#, r#""TRACK" "Once""#]);
    assert_eq!(rules(0), rules(1));
    assert_eq!(rules(2), [r#""TRACK" "Often""#]);
    let plan = inference.plan(2);
    assert!(
        plan.notes.contains(&"left out 2 rules seen in fewer than 2 messages (--min-count)".to_owned()),
        "{:?}",
        plan.notes
    );
    let none = inference.plan(3);
    assert!(!none.passed());
    assert_eq!(none.text, "{\n  \"rules\": []\n}\n");
}

#[test]
fn a_rule_says_how_many_messages_it_came_from_and_keys_are_sorted() {
    let inference =
        inference(&[track("Z", json!({"b": 1, "a": 2})), track("A", json!({})), track("A", json!({}))], None);
    let plan = inference.plan(1);
    assert_eq!(plan.rules, 2);
    assert!(plan.passed());
    let expected = r#"{
  "rules": [
    {
      "type": "TRACK",
      "key": "A",
      "version": 1,
      "jsonSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": "Inferred by astrolabe-segment infer from 2 messages.",
        "properties": {
          "properties": {
            "type": "object"
          }
        },
        "required": [
          "properties"
        ],
        "type": "object"
      }
    },
    {
      "type": "TRACK",
      "key": "Z",
      "version": 1,
      "jsonSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": "Inferred by astrolabe-segment infer from 1 message.",
        "properties": {
          "properties": {
            "properties": {
              "a": {
                "type": "integer"
              },
              "b": {
                "type": "integer"
              }
            },
            "required": [
              "a",
              "b"
            ],
            "type": "object"
          }
        },
        "required": [
          "properties"
        ],
        "type": "object"
      }
    }
  ]
}
"#;
    assert_eq!(plan.text, expected);
    // The plan is one `convert` leaves as it is, byte for byte.
    let converted = crate::check::convert_plan(&plan.text).unwrap();
    assert_eq!(converted.format, "a Segment Public API plan");
    assert_eq!(converted.text, plan.text);
}

#[test]
fn a_key_sent_twice_in_one_object_counts_once() {
    let text = concat!(
        r#"{"type":"track","event":"E","properties":{"a":1,"a":"x","b":{"c":1,"c":2}}}"#,
        "\n",
        r#"{"type":"track","event":"E","properties":{"a":2,"b":{"c":3}}}"#,
        "\n"
    );
    let mut inferrer = Inferrer::new(None).unwrap();
    inferrer.read("d.ndjson", Framing::Lines, 1, text.as_bytes());
    let plan: Value = serde_json::from_str(&inferrer.inference().plan(1).text).unwrap();
    let schema = properties(&plan, "E");
    assert_eq!(schema["required"], json!(["a", "b"]));
    assert_eq!(schema["properties"]["b"]["required"], json!(["c"]));
    for line in text.lines() {
        assert_eq!(plan_issues(&plan, line), Vec::<String>::new());
    }
}

#[test]
fn places_with_too_many_keys_are_objects_only() {
    let wide: serde_json::Map<String, Value> = (0..=MAX_MEMBERS).map(|at| (format!("k{at}"), json!(at))).collect();
    let messages = [track("E", json!({"by_id": wide, "n": 1})), track("E", json!({"by_id": {"k0": "x"}, "n": 2}))];
    let plan = accepts_all(&messages, None);
    assert_eq!(properties(&plan, "E")["properties"]["by_id"], json!({"type": "object"}));
    // Split over messages, and over inferences merged: the same.
    let half: serde_json::Map<String, Value> =
        (0..MAX_MEMBERS / 2 + 1).map(|at| (format!("k{at}"), json!(at))).collect();
    let other: serde_json::Map<String, Value> =
        (MAX_MEMBERS / 2 + 1..=MAX_MEMBERS).map(|at| (format!("k{at}"), json!(at))).collect();
    let split = [track("E", json!({"by_id": half, "n": 1})), track("E", json!({"by_id": other, "n": 2}))];
    assert_eq!(properties(&accepts_all(&split, None), "E")["properties"]["by_id"], json!({"type": "object"}));
    let mut merged = inference(&split[..1], None);
    merged.merge(inference(&split[1..], None)).unwrap();
    assert_eq!(merged.plan(1).text, inference(&split, None).plan(1).text);
}

#[test]
fn values_deeper_than_the_limit_count_for_their_type_only() {
    let mut deep = json!({"leaf": "x"});
    for _ in 0..MAX_DEPTH + 8 {
        deep = json!({"d": [deep]});
    }
    let plan = accepts_all(&[track("E", json!({"deep": deep}))], None);
    let mut schema = &properties(&plan, "E")["properties"]["deep"];
    let mut levels = 1;
    while let Some(inner) = schema.get("properties").map(|members| &members["d"]["items"]) {
        schema = inner;
        levels += 2;
    }
    assert_eq!(levels, MAX_DEPTH - 1, "{schema}");
    // Its inference reads back (serde_json's 128 levels) and merges.
    let inference = inference(&[track("E", json!({"deep": deep}))], None);
    let merged = Inference::merged(&[inference.to_json(), inference.to_json()]).unwrap();
    assert_eq!(merged.messages(), 2);
}

/// Messages of every kind the inference reads, in one list.
fn assorted() -> Vec<Value> {
    let mut messages = Vec::new();
    let events = ["Order Completed", "Product Viewed", "Signed Up", "order completed"];
    let plans = ["free", "pro", "team", "enterprise"];
    for at in 0..40u64 {
        let event = events[(at * 7 % 4) as usize];
        let mut properties = json!({"revenue": if at % 3 == 0 { json!(at) } else { json!(at as f64 + 0.5) }, "plan": plans[(at % 4) as usize]});
        if at % 5 != 0 {
            properties["coupon"] = if at % 2 == 0 { Value::Null } else { json!(format!("C{at}")) };
        }
        if at % 4 == 1 {
            properties["products"] =
                json!([{"sku": format!("s{at}"), "url": "https://example.com/p"}, {"sku": "x", "qty": at}]);
        }
        messages.push(track(event, properties));
        if at % 3 == 1 {
            messages.push(json!({"type": "identify", "userId": "u", "traits": {"email": format!("u{at}@example.com"), "plan": plans[(at % 3) as usize], "createdAt": "2024-12-05T09:30:00Z"}}));
        }
        if at % 8 == 2 {
            messages
                .push(json!({"type": "group", "groupId": "g", "traits": {"name": format!("G{at}"), "employees": at}}));
        }
    }
    messages
}

/// A deterministic shuffle (xorshift), so the test needs no randomness crate.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut items = items.to_vec();
    for at in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(at, (state % (at as u64 + 1)) as usize);
    }
    items
}

#[test]
fn merging_is_associative_and_commutative_so_the_plan_never_depends_on_the_split() {
    for enum_max in [None, Some(2), Some(3)] {
        let messages = assorted();
        let whole = inference(&messages, enum_max);
        let expected = whole.plan(1).text;
        accepts_all(&messages, enum_max);
        for seed in 1..12u64 {
            // The messages in another order, cut into pieces of various sizes, each inferred
            // apart, merged in another order and grouping.
            let order = shuffled(&messages, seed);
            let pieces: Vec<Inference> =
                order.chunks(1 + (seed as usize % 7)).map(|piece| inference(piece, enum_max)).collect();
            let texts: Vec<String> = shuffled(&pieces, seed + 100).iter().map(Inference::to_json).collect();
            let flat = Inference::merged(&texts).unwrap();
            assert_eq!(flat.plan(1).text, expected, "seed {seed}, enum_max {enum_max:?}");
            // ((a + b) + c) against (a + (b + c)), pairwise from the right.
            let mut right = pieces.clone();
            let mut folded = right.pop().unwrap();
            while let Some(mut next) = right.pop() {
                next.merge(folded).unwrap();
                folded = next;
            }
            assert_eq!(folded.to_json(), flat.to_json(), "seed {seed}");
        }
    }
}

#[test]
fn inferences_read_back_and_merge_only_alike() {
    let one = inference(&assorted(), Some(2));
    let back = Inference::from_json(&one.to_json()).unwrap();
    assert_eq!(back.to_json(), one.to_json());
    let mut other = inference(&assorted(), None);
    assert!(other.merge(one.clone()).unwrap_err().contains("--enum-max"));
    let error = Inference::merged(&[one.to_json(), "{\"tracks\": {}}".to_owned()]).unwrap_err();
    assert!(error.starts_with("inference 2: unknown field `tracks`"), "{error}");
    assert_eq!(Inference::merged::<String>(&[]).unwrap().messages(), 0);
}

#[test]
fn what_counts_is_read_as_check_reads_it() {
    let text = [
        r#"{"type":"track","event":"Paid","properties":{"a":1}}"#,
        r#"{"batch":[{"type":"identify","traits":{"t":1}},{"type":"page"},42,{"event":"No type"}],"context":{}}"#,
        r#"[{"type":"group","traits":{"g":1}},{"type":"track","event":"  "},{"type":"tracks","event":"x"}]"#,
        r#"{"type":"track","event":7}"#,
        r#"{"type":"screen","batch":[{"type":"track","event":"Hidden"}]}"#,
        r#"{"batch":{"type":"track"}}"#,
        r#"{"type":"track","event":"Paid","properties":{"a":"#,
        r#"{"id":1,"receivedAt":"x","route":"/v1/track","type":"track","message":{"event":"Routed","properties":{"r":true}},"outcome":{}}"#,
        r#"{"id":2,"receivedAt":"x","type":null,"message":null,"outcome":{}}"#,
        r#"{"type":"  ","event":"Blank type"}"#,
        r#"[{"type":"track","event":"Open","properties":{}},"#,
        "\"just a string\"",
    ]
    .join("\n");
    let mut inferrer = Inferrer::new(None).unwrap();
    inferrer.count_file();
    inferrer.read("mixed.ndjson", Framing::Lines, 1, text.as_bytes());
    inferrer.problem("gone.ndjson", None, Problem::UnreadableFile, "ENOENT: no such file or directory");
    let inference = inferrer.inference();
    let rules: Vec<&String> = inference.track.keys().collect();
    assert_eq!(rules, ["Open", "Paid", "Routed"]);
    assert_eq!(inference.identify.as_ref().map(|call| call.messages), Some(1));
    assert_eq!(inference.group.as_ref().map(|call| call.messages), Some(1));
    assert_eq!((inference.messages(), inference.skipped(), inference.unreadable()), (5, 10, 4));
    let skipped: Vec<(&str, u64)> = inference.skipped.iter().map(|(reason, count)| (reason.as_str(), *count)).collect();
    assert_eq!(
        skipped,
        [
            ("no_event", 2),
            ("no_type", 2),
            ("not_a_batch", 1),
            ("not_an_object", 2),
            ("page", 1),
            ("screen", 1),
            ("unknown_type", 1)
        ]
    );
    let unreadable: Vec<(String, Option<u64>, String)> = inference.reading.examples["invalid_json"]
        .iter()
        .map(|example| (example.file.clone(), example.line, example.path.clone()))
        .collect();
    assert_eq!(
        unreadable,
        [
            ("mixed.ndjson".to_owned(), Some(7), String::new()),
            ("mixed.ndjson".to_owned(), Some(9), "/message".to_owned()),
            ("mixed.ndjson".to_owned(), Some(11), String::new())
        ]
    );
    assert_eq!(inference.reading.examples["unreadable_file"][0].file, "gone.ndjson");
    let notes = inference.plan(1).notes;
    assert_eq!(notes[0], "read 5 messages from 1 file: 3 track (3 events), 1 identify, 1 group");
    assert_eq!(
        notes[1],
        "skipped 10 messages that no rule describes: 1 batch whose batch is not an array, 2 not an object, 1 of an unknown type, 1 page, 1 screen, 2 track without an event name, 2 without a type"
    );
    assert!(notes[2].starts_with("4 values or files could not be read"), "{notes:#?}");
    // In the engine's words, as check says it.
    let not_json = "  mixed.ndjson:7: The JSON text ends too early at line 1, column 50: expected a value.";
    assert!(notes.contains(&not_json.to_owned()), "{notes:#?}");
    assert_eq!(notes.last().unwrap(), "wrote 5 rules");
}

#[test]
fn streams_fed_in_pieces_give_what_a_whole_piece_gives() {
    let document = serde_json::to_string_pretty(&assorted()).unwrap();
    let mut whole = Inferrer::new(Some(3)).unwrap();
    whole.read("d.json", Framing::Document, 1, document.as_bytes());
    let mut pieces = Inferrer::new(Some(3)).unwrap();
    pieces.open(1, "d.json", Framing::Document, 1);
    for chunk in document.as_bytes().chunks(97) {
        assert!(pieces.feed(1, chunk));
    }
    pieces.close(1, End::Complete);
    assert!(!pieces.feed(1, b"{}"));
    assert_eq!(pieces.inference().to_json(), whole.inference().to_json());
    assert_eq!(whole.seen(), assorted().len() as u64);
    // Cut short: the value left open is dropped.
    let mut cut = Inferrer::new(None).unwrap();
    cut.open(2, "c.ndjson", Framing::Lines, 1);
    cut.feed(2, b"{\"type\":\"group\",\"traits\":{}}\n{\"type\":\"gro");
    cut.close(2, End::Truncated);
    assert_eq!((cut.inference().messages(), cut.inference().unreadable()), (1, 0));
}

#[test]
fn values_too_long_or_not_utf8_are_unreadable_and_the_run_goes_on() {
    let long =
        format!("{{\"type\":\"track\",\"event\":\"E\",\"properties\":{{\"s\":\"{}\"}}}}\n", "x".repeat(MAX_HELD));
    let mut inferrer = Inferrer::new(None).unwrap();
    let mut bytes = long.into_bytes();
    bytes.extend_from_slice(b"{\"type\":\"track\",\"event\":\"\xff\"}\n{\"type\":\"group\"}\n");
    inferrer.read("x.ndjson", Framing::Lines, 1, &bytes);
    let inference = inferrer.inference();
    assert_eq!((inference.messages(), inference.unreadable()), (1, 2));
    let messages: Vec<&str> =
        inference.reading.examples["invalid_json"].iter().map(|example| example.message.as_str()).collect();
    assert!(messages[0].starts_with("The value is longer than 512000 bytes"), "{messages:?}");
    assert_eq!(messages[1], "The value is not UTF-8 text.");
}

#[test]
fn take_inference_leaves_an_empty_one_with_the_same_enum_max() {
    let mut inferrer = Inferrer::new(Some(4)).unwrap();
    inferrer.read("a", Framing::Lines, 1, lines(&assorted()).as_bytes());
    let taken = inferrer.take_inference();
    let mut rest = inferrer.take_inference();
    assert_eq!(rest.messages(), 0);
    rest.merge(taken).unwrap();
}
