//! `astrolabe-segment diff`'s classification: pairs of plans written for the test, one per kind of
//! change, each with its expected kind, rule and path; real plans in every format against
//! themselves and their converted form. The property test (`tests/plan_diff_properties.rs`)
//! checks the promise on random plans against the engine.
#![cfg(feature = "tools")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::Path;

use astrolabe_segment::plan::convert;
use astrolabe_segment::plan::diff::{Kind, PlanDiff, Side};
use serde_json::{json, Value};

/// A plan with one TRACK rule for "Order Completed" whose properties schema is `properties`, and
/// `settings` beside it.
fn order(properties: Value, settings: Value) -> Value {
    let mut plan = json!({"rules": [{"type": "TRACK", "key": "Order Completed", "jsonSchema": {
        "properties": {"properties": properties}
    }}]});
    for (key, value) in settings.as_object().unwrap() {
        plan[key] = value.clone();
    }
    plan
}

/// Every change as `(kind, rule, path, change)`.
fn changes(old: &Value, new: &Value) -> Vec<(Kind, String, String, String)> {
    let diff = PlanDiff::between(old, new).unwrap_or_else(|error| panic!("{error:?}"));
    diff.changes()
        .map(|(kind, change)| (kind, change.rule.clone(), change.path.clone(), change.change.clone()))
        .collect()
}

const PROPS: &str = "/properties/properties";
const REVENUE: &str = "/properties/properties/properties/revenue";

/// One case: the properties schemas before and after, and the one change expected.
fn one(old: Value, new: Value, kind: Kind, path: &str, change: &str) {
    let (old, new) = (order(old, json!({})), order(new, json!({})));
    let found = changes(&old, &new);
    let expected = vec![(kind, "TRACK Order Completed".to_owned(), path.to_owned(), change.to_owned())];
    assert_eq!(found, expected, "{old}\n→ {new}");
}

fn revenue(schema: Value) -> Value {
    json!({"properties": {"revenue": schema}})
}

#[test]
fn a_property_becoming_required_is_breaking() {
    let old = json!({"properties": {"order_id": {"type": "string"}}});
    let new = json!({"properties": {"order_id": {"type": "string"}}, "required": ["order_id"]});
    one(old.clone(), new.clone(), Kind::Breaking, PROPS, r#"required: "order_id" added"#);
    one(new, old, Kind::Additive, PROPS, r#"required: "order_id" removed"#);
}

#[test]
fn types_narrowing_and_widening() {
    let number = revenue(json!({"type": "number"}));
    let integer = revenue(json!({"type": "integer"}));
    one(number.clone(), integer.clone(), Kind::Breaking, REVENUE, r#"type: "number" → "integer""#);
    one(integer, number.clone(), Kind::Additive, REVENUE, r#"type: "integer" → "number""#);
    let either = revenue(json!({"type": ["number", "string"]}));
    one(number.clone(), either.clone(), Kind::Additive, REVENUE, r#"type: "number" → ["number","string"]"#);
    one(either, number.clone(), Kind::Breaking, REVENUE, r#"type: ["number","string"] → "number""#);
    one(revenue(json!({})), number, Kind::Breaking, REVENUE, r#"type added: "number""#);
    let same = revenue(json!({"type": ["integer", "number"]}));
    one(revenue(json!({"type": "number"})), same, Kind::Neutral, REVENUE, r#"type: "number" → ["integer","number"]"#);
}

#[test]
fn enum_values_removed_and_added() {
    let currency = |values: Value| json!({"properties": {"currency": {"enum": values}}});
    let at = "/properties/properties/properties/currency";
    one(currency(json!(["USD", "EUR"])), currency(json!(["USD"])), Kind::Breaking, at, r#"enum: "EUR" removed"#);
    one(currency(json!(["USD"])), currency(json!(["USD", "EUR"])), Kind::Additive, at, r#"enum: "EUR" added"#);
    let old = json!({"properties": {"currency": {"const": "USD"}}});
    let new = json!({"properties": {"currency": {"enum": ["USD", "EUR"]}}});
    one(old.clone(), new.clone(), Kind::Additive, at, r#"enum added: ["USD","EUR"]; const removed (was "USD")"#);
    one(new, old, Kind::Breaking, at, r#"enum removed (was ["USD","EUR"]); const added: "USD""#);
    // 1 and 1.0 are one value to JSON Schema; told apart here, the removal is breaking.
    let found = changes(&order(currency(json!([1])), json!({})), &order(currency(json!([1.0])), json!({})));
    assert_eq!(
        found[0],
        (Kind::Breaking, "TRACK Order Completed".to_owned(), at.to_owned(), "enum: 1 removed".to_owned())
    );
}

#[test]
fn patterns_added_removed_and_changed() {
    let code = |schema: Value| json!({"properties": {"code": schema}});
    let at = "/properties/properties/properties/code";
    one(code(json!({})), code(json!({"pattern": "^A"})), Kind::Breaking, at, r#"pattern added: "^A""#);
    one(code(json!({"pattern": "^A"})), code(json!({})), Kind::Additive, at, r#"pattern removed (was "^A")"#);
    let diff = PlanDiff::between(
        &order(code(json!({"pattern": "^A"})), json!({})),
        &order(code(json!({"pattern": "^[AB]"})), json!({})),
    )
    .unwrap();
    assert_eq!(diff.breaking.len(), 1);
    assert!(diff.breaking[0].reason.contains("two different patterns"), "{}", diff.breaking[0].reason);
}

#[test]
fn bounds_and_lengths() {
    one(revenue(json!({})), revenue(json!({"minimum": 0})), Kind::Breaking, REVENUE, "minimum added: 0");
    one(revenue(json!({"minimum": 0})), revenue(json!({"minimum": 1})), Kind::Breaking, REVENUE, "minimum: 0 → 1");
    one(revenue(json!({"minimum": 1})), revenue(json!({"minimum": 0.5})), Kind::Additive, REVENUE, "minimum: 1 → 0.5");
    one(
        revenue(json!({"minimum": 1})),
        revenue(json!({"exclusiveMinimum": 1})),
        Kind::Breaking,
        REVENUE,
        "minimum removed (was 1); exclusiveMinimum added: 1",
    );
    one(
        revenue(json!({"exclusiveMinimum": 1})),
        revenue(json!({"minimum": 1})),
        Kind::Additive,
        REVENUE,
        "minimum added: 1; exclusiveMinimum removed (was 1)",
    );
    one(
        revenue(json!({"maximum": 100})),
        revenue(json!({"maximum": 50})),
        Kind::Breaking,
        REVENUE,
        "maximum: 100 → 50",
    );
    one(revenue(json!({"maximum": 50})), revenue(json!({})), Kind::Additive, REVENUE, "maximum removed (was 50)");
    one(
        revenue(json!({"multipleOf": 2})),
        revenue(json!({"multipleOf": 4})),
        Kind::Breaking,
        REVENUE,
        "multipleOf: 2 → 4",
    );
    one(
        revenue(json!({"multipleOf": 4})),
        revenue(json!({"multipleOf": 2})),
        Kind::Additive,
        REVENUE,
        "multipleOf: 4 → 2",
    );
    let name = |schema: Value| json!({"properties": {"name": schema}});
    let at = "/properties/properties/properties/name";
    one(name(json!({})), name(json!({"maxLength": 10})), Kind::Breaking, at, "maxLength added: 10");
    one(name(json!({"maxLength": 10})), name(json!({"maxLength": 20})), Kind::Additive, at, "maxLength: 10 → 20");
    one(name(json!({"minLength": 1})), name(json!({"minLength": 2})), Kind::Breaking, at, "minLength: 1 → 2");
    one(name(json!({})), name(json!({"minLength": 0})), Kind::Neutral, at, "minLength added: 0");
    let items = |schema: Value| json!({"properties": {"items": schema}});
    let at = "/properties/properties/properties/items";
    one(items(json!({})), items(json!({"uniqueItems": true})), Kind::Breaking, at, "uniqueItems added: true");
    one(items(json!({"maxItems": 3})), items(json!({"maxItems": 2})), Kind::Breaking, at, "maxItems: 3 → 2");
}

#[test]
fn additional_properties_and_properties() {
    let open = json!({"properties": {"a": {"type": "string"}}});
    let closed = json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false});
    one(open.clone(), closed.clone(), Kind::Breaking, PROPS, "additionalProperties added: false");
    one(closed.clone(), open.clone(), Kind::Additive, PROPS, "additionalProperties removed (was false)");
    // A property added where any value was accepted constrains it now.
    let more = json!({"properties": {"a": {"type": "string"}, "b": {"type": "number"}}});
    one(open.clone(), more.clone(), Kind::Breaking, "/properties/properties/properties/b", r#"property "b" added"#);
    one(more, open.clone(), Kind::Additive, "/properties/properties/properties/b", r#"property "b" removed"#);
    // Added under additionalProperties: false, it only lets more through.
    let closed_more =
        json!({"properties": {"a": {"type": "string"}, "b": {"type": "number"}}, "additionalProperties": false});
    one(
        closed.clone(),
        closed_more.clone(),
        Kind::Additive,
        "/properties/properties/properties/b",
        r#"property "b" added"#,
    );
    one(closed_more, closed, Kind::Breaking, "/properties/properties/properties/b", r#"property "b" removed"#);
    // A property added with no constraint changes nothing a message gets.
    one(
        open.clone(),
        json!({"properties": {"a": {"type": "string"}, "b": {"description": "B"}}}),
        Kind::Additive,
        "/properties/properties/properties/b",
        r#"property "b" added"#,
    );
}

#[test]
fn formats() {
    let email = |schema: Value| json!({"properties": {"email": schema}});
    let at = "/properties/properties/properties/email";
    one(
        email(json!({"type": "string"})),
        email(json!({"type": "string", "format": "email"})),
        Kind::Breaking,
        at,
        r#"format added: "email""#,
    );
    one(email(json!({"format": "email"})), email(json!({})), Kind::Additive, at, r#"format removed (was "email")"#);
    one(
        email(json!({"format": "email"})),
        email(json!({"format": "idn-email"})),
        Kind::Breaking,
        at,
        r#"format: "email" → "idn-email""#,
    );
}

#[test]
fn nested_properties_have_their_own_path() {
    let address = |city: Value| json!({"properties": {"address": {"type": "object", "properties": {"city": city}}}});
    one(
        address(json!({"type": "string"})),
        address(json!({"type": "string", "maxLength": 3})),
        Kind::Breaking,
        "/properties/properties/properties/address/properties/city",
        "maxLength added: 3",
    );
    let arrays = |item: Value| json!({"properties": {"products": {"type": "array", "items": item}}});
    one(
        arrays(json!({"properties": {"sku": {"type": "string"}}})),
        arrays(json!({"properties": {"sku": {"type": ["string", "null"]}}})),
        Kind::Additive,
        "/properties/properties/properties/products/items/properties/sku",
        r#"type: "string" → ["string","null"]"#,
    );
}

#[test]
fn annotations_and_identifiers_are_neutral() {
    for (key, old, new) in [
        ("description", json!("Revenue"), json!("Revenue, in cents")),
        ("title", json!("R"), json!("Revenue")),
        ("$comment", json!("a"), json!("b")),
        ("examples", json!([1]), json!([2])),
        ("default", json!(0), json!(1)),
        ("labels", json!({"team": "a"}), json!({"team": "b"})),
        ("$id", json!("urn:revenue:a"), json!("urn:revenue:b")),
    ] {
        let change = format!("{key}: {old} → {new}");
        one(revenue(json!({key: old})), revenue(json!({key: new})), Kind::Neutral, REVENUE, &change);
    }
}

#[test]
fn what_cannot_be_told_is_breaking_with_the_reason() {
    let cases = [
        (
            json!({"$ref": "#/properties/properties/$defs/a"}),
            json!({"$ref": "#/properties/properties/$defs/b"}),
            "$ref",
        ),
        (json!({"oneOf": [{"type": "string"}]}), json!({"oneOf": [{"type": "string"}, {"type": "number"}]}), "oneOf"),
        (
            json!({"if": {"minimum": 1}, "then": {"maximum": 5}}),
            json!({"if": {"minimum": 2}, "then": {"maximum": 5}}),
            "if",
        ),
        (json!({"x-rule": 1}), json!({"x-rule": 2}), "x-rule"),
        (json!({"allOf": [{"type": "string"}]}), json!({"allOf": [{"minLength": 1}, {"maxLength": 3}]}), "allOf"),
        (json!({"anyOf": [{"type": "string"}]}), json!({"anyOf": [{"type": "number"}, {"type": "null"}]}), "anyOf"),
        (json!({"not": {"type": "string"}}), json!({"not": {"type": "number"}}), "not"),
        (json!({"format": "email"}), json!({"format": "uri"}), "format"),
    ];
    for (old, new, keyword) in cases {
        let defs = json!({"$defs": {"a": {}, "b": {}}});
        let wrap = |schema: Value| {
            let mut properties = defs.clone();
            properties["properties"] = json!({"revenue": schema});
            properties
        };
        let diff =
            PlanDiff::between(&order(wrap(old.clone()), json!({})), &order(wrap(new.clone()), json!({}))).unwrap();
        assert_eq!(diff.breaking.len(), 1, "{old} → {new}: {diff:?}");
        let change = &diff.breaking[0];
        assert!(change.change.contains(keyword), "{change:?}");
        assert!(
            change.reason.contains("counts as breaking") || change.reason.contains("may now match none"),
            "{change:?}"
        );
    }
}

#[test]
fn loosened_applicators_are_additive() {
    let cases = [
        (json!({"anyOf": [{"type": "string"}]}), json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
        (json!({"allOf": [{"type": "string"}, {"maxLength": 3}]}), json!({"allOf": [{"type": "string"}]})),
        (json!({"not": {"type": ["string", "null"]}}), json!({"not": {"type": "null"}})),
        (json!({"if": {"minimum": 1}, "then": {"maximum": 5}}), json!({"if": {"minimum": 1}, "then": {"maximum": 6}})),
        (json!({"oneOf": [{"type": "string"}]}), json!({})),
    ];
    for (old, new) in cases {
        let diff = PlanDiff::between(&order(revenue(old.clone()), json!({})), &order(revenue(new.clone()), json!({})))
            .unwrap();
        assert!(diff.breaking.is_empty() && !diff.additive.is_empty(), "{old} → {new}: {diff:?}");
    }
}

#[test]
fn rules_removed_and_added_by_the_unplanned_events_setting() {
    let with = |events: &str| order(json!({"required": ["order_id"]}), json!({"unplannedEvents": events}));
    let empty = |events: &str| json!({"rules": [], "unplannedEvents": events});
    let rule =
        |kind: Kind, change: &str| vec![(kind, "TRACK Order Completed".to_owned(), String::new(), change.to_owned())];
    // Removed: its messages become unplanned.
    assert_eq!(changes(&with("block"), &empty("block")), rule(Kind::Breaking, "rule removed"));
    assert_eq!(changes(&with("warn"), &empty("warn")), rule(Kind::Breaking, "rule removed"));
    assert_eq!(changes(&with("allow"), &empty("allow")), rule(Kind::Additive, "rule removed"));
    // Added: its messages, unplanned before, must match it now.
    assert_eq!(changes(&empty("block"), &with("block")), rule(Kind::Additive, "rule added"));
    assert_eq!(changes(&empty("allow"), &with("allow")), rule(Kind::Breaking, "rule added"));
    assert_eq!(changes(&empty("warn"), &with("warn")), rule(Kind::Additive, "rule added"));
    let blocking = |plan: Value| {
        let mut plan = plan;
        plan["violations"] = json!("block");
        plan
    };
    let found = changes(&blocking(empty("warn")), &blocking(with("warn")));
    assert_eq!(found, rule(Kind::Breaking, "rule added"));
    // A rule that accepts every message, added while unplanned events are allowed, refuses nothing.
    let free = order(json!({"description": "anything"}), json!({}));
    assert_eq!(changes(&empty("allow"), &free), rule(Kind::Additive, "rule added"));
}

#[test]
fn settings_that_tighten_are_breaking() {
    let rules = json!({"rules": []});
    let with = |key: &str, value: &str| {
        let mut plan = rules.clone();
        plan[key] = json!(value);
        plan
    };
    for (key, loose, tight) in [
        ("violations", "allow", "omitProperties"),
        ("violations", "omitProperties", "block"),
        ("violations", "allow", "block"),
        ("unplannedEvents", "allow", "warn"),
        ("unplannedEvents", "warn", "block"),
        ("unplannedProperties", "allow", "omit"),
    ] {
        let path = format!("/{key}");
        let change = |from: &str, to: &str| format!("{key}: \"{from}\" → \"{to}\"");
        assert_eq!(
            changes(&with(key, loose), &with(key, tight)),
            [(Kind::Breaking, "plan".to_owned(), path.clone(), change(loose, tight))]
        );
        assert_eq!(
            changes(&with(key, tight), &with(key, loose)),
            [(Kind::Additive, "plan".to_owned(), path.clone(), change(tight, loose))]
        );
    }
    // Absent is allow.
    assert!(changes(&rules, &with("violations", "allow")).is_empty());
    let named = |name: &str| json!({"name": name, "rules": []});
    assert_eq!(
        changes(&named("Web"), &named("Web v2")),
        [(Kind::Neutral, "plan".to_owned(), "/name".to_owned(), r#"name: "Web" → "Web v2""#.to_owned())]
    );
}

#[test]
fn properties_no_longer_planned_under_omit_are_breaking() {
    let omit = json!({"unplannedProperties": "omit"});
    let old = order(json!({"properties": {"a": {}, "b": {}}}), omit.clone());
    let new = order(json!({"properties": {"a": {}}}), omit);
    assert_eq!(
        changes(&old, &new),
        [
            (
                Kind::Breaking,
                "TRACK Order Completed".to_owned(),
                "/properties/properties/properties/b".to_owned(),
                r#""b" no longer planned"#.to_owned()
            ),
            (
                Kind::Additive,
                "TRACK Order Completed".to_owned(),
                "/properties/properties/properties/b".to_owned(),
                r#"property "b" removed"#.to_owned()
            ),
        ]
    );
}

#[test]
fn identify_group_common_page_rules() {
    let plan = |rules: Value| json!({"rules": rules});
    let identify = json!({"type": "IDENTIFY", "jsonSchema": {"properties": {"traits": {"required": ["email"]}}}});
    let loose = json!({"type": "IDENTIFY", "jsonSchema": {"properties": {"traits": {}}}});
    assert_eq!(
        changes(&plan(json!([loose])), &plan(json!([identify]))),
        [(
            Kind::Breaking,
            "IDENTIFY".to_owned(),
            "/properties/traits".to_owned(),
            r#"required: "email" added"#.to_owned()
        )]
    );
    assert_eq!(changes(&plan(json!([])), &plan(json!([identify])))[0].0, Kind::Breaking);
    assert_eq!(changes(&plan(json!([identify])), &plan(json!([])))[0].0, Kind::Additive);
    let group = json!({"type": "GROUP", "jsonSchema": {"required": ["groupId"]}});
    assert_eq!(changes(&plan(json!([])), &plan(json!([group])))[0].1, "GROUP");
    let common = json!({"type": "COMMON", "jsonSchema": {"required": ["context"]}});
    assert_eq!(
        changes(&plan(json!([])), &plan(json!([common]))),
        [(Kind::Breaking, "COMMON".to_owned(), String::new(), "rule added".to_owned())]
    );
    let page = json!({"type": "PAGE", "jsonSchema": {"required": ["name"]}});
    assert_eq!(
        changes(&plan(json!([])), &plan(json!([page]))),
        [(Kind::Neutral, "PAGE".to_owned(), String::new(), "rule added".to_owned())]
    );
}

#[test]
fn event_versions_are_matched_by_what_messages_ask_for() {
    let rule = |version: u64, required: &str| json!({"type": "TRACK", "key": "Signed Up", "version": version, "jsonSchema": {"properties": {"properties": {"required": [required]}}}});
    let old = json!({"rules": [rule(1, "plan")]});
    let new = json!({"rules": [rule(1, "plan"), rule(2, "seats")]});
    // Messages asking for v2 were checked against v1 (the oldest); now against v2.
    let found = changes(&old, &new);
    assert_eq!(
        found,
        [
            (
                Kind::Breaking,
                "TRACK Signed Up v2 (v1 before)".to_owned(),
                PROPS.to_owned(),
                r#"required: "seats" added"#.to_owned()
            ),
            (
                Kind::Additive,
                "TRACK Signed Up v2 (v1 before)".to_owned(),
                PROPS.to_owned(),
                r#"required: "plan" removed"#.to_owned()
            ),
        ]
    );
    assert!(changes(&new, &new).is_empty());
}

#[test]
fn plans_in_other_formats_are_read_as_the_engine_reads_them() {
    // The same rule as a Typewriter v8 plan.json (properties only) and as the Public API's
    // whole-message rule.
    let typewriter = json!({"rules": [{"type": "TRACK", "key": "Paid", "version": 1, "jsonSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#", "eventMetadata": {"name": "Paid", "type": "TRACK"},
        "labels": {}, "type": "object", "properties": {"amount": {"type": "number"}}, "required": ["amount"]}}]});
    let public = convert(&typewriter).unwrap().plan;
    assert!(changes(&typewriter, &public).is_empty());
    let config_api = json!({"display_name": "Web", "rules": {"events": [{"name": "Paid", "version": 1, "rules": {
        "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["properties"],
        "properties": {"properties": {"type": "object", "properties": {"amount": {"type": "integer"}}, "required": ["amount"]}}}}]}});
    let found = changes(&typewriter, &config_api);
    assert!(
        found.contains(&(
            Kind::Breaking,
            "TRACK Paid".to_owned(),
            "/properties/properties/properties/amount".to_owned(),
            r#"type: "number" → "integer""#.to_owned()
        )),
        "{found:?}"
    );
}

#[test]
fn real_plans_have_no_change_from_themselves_or_their_converted_form() {
    let mut seen = 0;
    for vendor in ["avo", "rudderstack", "typewriter"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plans").join(vendor);
        let mut names: Vec<_> = fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
        names.sort();
        for path in names.into_iter().filter(|path| path.to_string_lossy().ends_with(".plan.json")) {
            let plan: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(PlanDiff::between(&plan, &plan).unwrap(), PlanDiff::default(), "{}", path.display());
            let converted = convert(&plan).unwrap().plan;
            let diff = PlanDiff::between(&plan, &converted).unwrap();
            assert_eq!(diff, PlanDiff::default(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} plans");
}

#[test]
fn a_plan_the_engine_refuses_is_named_with_its_reason() {
    let good = json!({"rules": []});
    let error = PlanDiff::between(&json!({"rules": [{"type": "TRAK"}]}), &good).unwrap_err();
    assert_eq!(error.side, Side::Old);
    assert!(error.message.contains("type must be one of"), "{}", error.message);
    let error = PlanDiff::between(&good, &json!({"plan": []})).unwrap_err();
    assert_eq!(error.side, Side::New);
    assert!(error.message.starts_with("the plan's format cannot be told"), "{}", error.message);
}
