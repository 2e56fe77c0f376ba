//! Tracking plans: settings, rule types, drafts, formats, pointers, construction errors, omit lists.
#![cfg(feature = "tracking-plan")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::plan::{Format, PlanCheck, TrackingPlan};
use astrolabe_segment::{CallType, Code, Issue, Pointer};
use serde_json::{json, Value};

fn plan(value: Value) -> TrackingPlan {
    TrackingPlan::compile(&value).unwrap_or_else(|error| panic!("plan refused: {error}"))
}

fn refused(value: Value) -> String {
    match TrackingPlan::compile(&value) {
        Ok(_) => panic!("plan accepted: {value}"),
        Err(error) => error.message().to_owned(),
    }
}

fn track(plan: &TrackingPlan, message: &Value) -> PlanCheck {
    let event = message["event"].as_str();
    plan.check(message, CallType::Track, event, &Pointer::root())
}

/// The issues' paths, sorted: the order of violations is the schema crate's.
fn paths(issues: &[Issue]) -> Vec<&str> {
    let mut paths: Vec<&str> = issues.iter().map(|issue| issue.path.as_str()).collect();
    paths.sort_unstable();
    paths
}

fn codes(issues: &[Issue]) -> Vec<Code> {
    issues.iter().map(|issue| issue.code).collect()
}

/// A TRACK rule for "Order Completed": revenue a number, order_id required, currency an enum.
fn order_completed() -> Value {
    json!({"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"properties": {
            "type": "object",
            "required": ["order_id"],
            "properties": {
                "order_id": {"type": "string"},
                "revenue": {"type": "number"},
                "currency": {"enum": ["USD", "EUR"]}
            }
        }}
    }})
}

fn with(rules: Value, settings: Value) -> Value {
    let mut plan = json!({"rules": rules});
    for (key, value) in settings.as_object().unwrap() {
        plan[key] = value.clone();
    }
    plan
}

fn order(properties: Value) -> Value {
    json!({"type": "track", "event": "Order Completed", "userId": "u1", "properties": properties})
}

// ---------------------------------------------------------------------------------------------
// Defaults and the `violations` setting.

#[test]
fn valid_message_has_no_issues() {
    let plan = plan(with(json!([order_completed()]), json!({"violations": "block"})));
    let check = track(&plan, &order(json!({"order_id": "o1", "revenue": 12.5, "currency": "EUR"})));
    assert_eq!(check, PlanCheck::default());
}

#[test]
fn defaults_are_segments_allow_everything() {
    let plan = plan(json!({"rules": [order_completed()]}));
    let check = track(&plan, &order(json!({"order_id": "o1", "revenue": "12", "extra": 1})));
    assert!(check.errors.is_empty());
    assert_eq!(codes(&check.warnings), [Code::PlanViolation]);
    assert!(check.omit.is_empty());
    // Unplanned events pass silently by default.
    let check = track(&plan, &json!({"type": "track", "event": "Nope", "properties": {}}));
    assert_eq!(check, PlanCheck::default());
}

#[test]
fn violations_block_makes_errors_with_the_rule_named() {
    let plan = plan(with(json!([order_completed()]), json!({"violations": "block"})));
    let check = track(&plan, &order(json!({"order_id": "o1", "revenue": "12"})));
    assert!(check.warnings.is_empty());
    assert_eq!(check.errors.len(), 1);
    let issue = &check.errors[0];
    assert_eq!(issue.code, Code::PlanViolation);
    assert_eq!(issue.path, "/properties/revenue");
    assert_eq!(issue.message, r#""revenue" must be a number (rule TRACK "Order Completed" v1): "12" is a string"#);
}

#[test]
fn violations_allow_makes_warnings() {
    let plan = plan(with(json!([order_completed()]), json!({"violations": "allow"})));
    let check = track(&plan, &order(json!({"revenue": "12"})));
    assert!(check.errors.is_empty());
    assert_eq!(paths(&check.warnings), ["/properties/order_id", "/properties/revenue"]);
    assert!(check.omit.is_empty());
}

#[test]
fn violations_omit_properties_omits_the_offending_keys() {
    let plan = plan(with(json!([order_completed()]), json!({"violations": "omitProperties"})));
    let check = track(&plan, &order(json!({"order_id": 7, "revenue": "12", "currency": "GBP", "ok": 1})));
    assert!(check.errors.is_empty());
    assert_eq!(paths(&check.warnings), ["/properties/currency", "/properties/order_id", "/properties/revenue"]);
    let mut omit = check.omit.clone();
    omit.sort_unstable();
    assert_eq!(omit, ["currency", "order_id", "revenue"]);
}

#[test]
fn violations_omit_properties_outside_properties_only_warn() {
    let rule = json!({"type": "COMMON", "jsonSchema": {"required": ["userId"], "properties": {
        "context": {"properties": {"ip": {"format": "ipv4"}}}
    }}});
    let plan = plan(with(json!([rule]), json!({"violations": "omitProperties"})));
    let message = json!({"type": "track", "event": "E", "anonymousId": "a", "context": {"ip": "x"}});
    let check = track(&plan, &message);
    assert!(check.errors.is_empty());
    assert_eq!(paths(&check.warnings), ["/context/ip", "/userId"]);
    assert!(check.omit.is_empty());
}

#[test]
fn required_points_at_the_missing_key_and_omits_its_parent_property() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {
        "required": ["id"],
        "properties": {"address": {"type": "object", "required": ["city"]}}
    }}}});
    let plan = plan(with(json!([rule]), json!({"violations": "omitProperties"})));
    let check = track(&plan, &json!({"event": "E", "properties": {"address": {}}}));
    assert_eq!(paths(&check.warnings), ["/properties/address/city", "/properties/id"]);
    let message = |path: &str| check.warnings.iter().find(|issue| issue.path == path).unwrap().message.clone();
    assert_eq!(message("/properties/id"), r#""id" is required in "properties" (rule TRACK "E")"#);
    assert_eq!(message("/properties/address/city"), r#""city" is required in "address" (rule TRACK "E")"#);
    // The missing id cannot be dropped; the address that lacks its city can.
    assert_eq!(check.omit, ["address"]);
}

// ---------------------------------------------------------------------------------------------
// Unplanned events.

#[test]
fn unplanned_events_allow_warn_block() {
    let message = json!({"type": "track", "event": "Order Refunded", "properties": {}});
    let allow = plan(with(json!([order_completed()]), json!({"unplannedEvents": "allow"})));
    assert_eq!(track(&allow, &message), PlanCheck::default());

    let warn = plan(with(json!([order_completed()]), json!({"unplannedEvents": "warn"})));
    let check = track(&warn, &message);
    assert!(check.errors.is_empty());
    assert_eq!(codes(&check.warnings), [Code::UnplannedEvent]);
    assert_eq!(paths(&check.warnings), ["/event"]);
    assert_eq!(check.warnings[0].message, r#"event "Order Refunded" is not in the tracking plan"#);

    let block = plan(with(json!([order_completed()]), json!({"unplannedEvents": "block"})));
    let check = block.check(&message, CallType::Track, Some("Order Refunded"), &Pointer::from_escaped("/batch/3"));
    assert!(check.warnings.is_empty());
    assert_eq!(codes(&check.errors), [Code::UnplannedEvent]);
    assert_eq!(paths(&check.errors), ["/batch/3/event"]);
}

#[test]
fn event_names_match_exactly() {
    let plan = plan(with(json!([order_completed()]), json!({"unplannedEvents": "block"})));
    let check = track(&plan, &json!({"event": "order completed", "properties": {}}));
    assert_eq!(codes(&check.errors), [Code::UnplannedEvent]);
}

#[test]
fn identify_and_group_are_never_unplanned_events() {
    let plan = plan(with(json!([order_completed()]), json!({"unplannedEvents": "block"})));
    for call in [CallType::Identify, CallType::Group] {
        let check = plan.check(&json!({"traits": {"a": 1}}), call, None, &Pointer::root());
        assert_eq!(check, PlanCheck::default());
    }
}

// ---------------------------------------------------------------------------------------------
// Unplanned properties.

#[test]
fn unplanned_properties_allow_keeps_everything() {
    let plan = plan(with(json!([order_completed()]), json!({"unplannedProperties": "allow"})));
    let check = track(&plan, &order(json!({"order_id": "o1", "coupon": "X"})));
    assert_eq!(check, PlanCheck::default());
}

#[test]
fn unplanned_properties_omit_lists_and_warns() {
    let plan = plan(with(json!([order_completed()]), json!({"unplannedProperties": "omit"})));
    let check = plan.check(
        &order(json!({"order_id": "o1", "coupon": "X", "a/b~c": 1})),
        CallType::Track,
        Some("Order Completed"),
        &Pointer::root().key("batch").index(0),
    );
    assert!(check.errors.is_empty());
    assert_eq!(codes(&check.warnings), [Code::UnplannedProperty, Code::UnplannedProperty]);
    assert_eq!(paths(&check.warnings), ["/batch/0/properties/a~1b~0c", "/batch/0/properties/coupon"]);
    assert_eq!(check.omit, ["coupon", "a/b~c"]);
}

#[test]
fn unplanned_properties_only_when_a_rule_applies() {
    // No IDENTIFY rule: traits are not judged, even under "omit".
    let plan = plan(with(json!([order_completed()]), json!({"unplannedProperties": "omit"})));
    let check = plan.check(&json!({"traits": {"x": 1}}), CallType::Identify, None, &Pointer::root());
    assert_eq!(check, PlanCheck::default());
    // Unplanned event: no rule, nothing omitted.
    let check = track(&plan, &json!({"event": "Other", "properties": {"x": 1}}));
    assert_eq!(check, PlanCheck::default());
}

#[test]
fn unplanned_traits_counts_names_planned_by_common() {
    let rules = json!([
        {"type": "IDENTIFY", "key": "", "jsonSchema": {"properties": {"traits": {"properties": {"email": {}}}}}},
        {"type": "COMMON", "key": "", "jsonSchema": {"properties": {
            "traits": {"properties": {"plan": {}}},
            "properties": {"properties": {"source": {}}}
        }}},
        {"type": "TRACK", "key": "E", "jsonSchema": {}}
    ]);
    let plan = plan(with(rules, json!({"unplannedProperties": "omit"})));
    let identify = json!({"traits": {"email": "a@b.co", "plan": "pro", "age": 3}});
    let check = plan.check(&identify, CallType::Identify, None, &Pointer::root());
    assert_eq!(check.omit, ["age"]);
    assert_eq!(paths(&check.warnings), ["/traits/age"]);
    let check = track(&plan, &json!({"event": "E", "properties": {"source": "web", "plan": "pro"}}));
    assert_eq!(check.omit, ["plan"]);
}

#[test]
fn omit_lists_each_key_once() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {
        "properties": {"n": {"type": "integer", "minimum": 5}}
    }}}});
    let plan = plan(with(json!([rule]), json!({"violations": "omitProperties", "unplannedProperties": "omit"})));
    let check = track(&plan, &json!({"event": "E", "properties": {"n": 1.5, "x": 1}}));
    assert_eq!(check.warnings.len(), 3);
    assert_eq!(check.omit, ["n", "x"]);
}

// ---------------------------------------------------------------------------------------------
// Rule types.

#[test]
fn identify_rule_checks_traits() {
    let rule = json!({"type": "IDENTIFY", "key": "", "version": 2, "jsonSchema": {"properties": {"traits": {
        "properties": {"email": {"type": "string", "format": "email"}}
    }}}});
    let plan = plan(with(json!([rule]), json!({"violations": "block"})));
    let check = plan.check(&json!({"traits": {"email": "nope"}}), CallType::Identify, None, &Pointer::root());
    assert_eq!(paths(&check.errors), ["/traits/email"]);
    assert_eq!(check.errors[0].message, r#""email" must be a valid email (rule IDENTIFY v2): "nope" is not"#);
    // The rule is not applied to groups.
    let check = plan.check(&json!({"traits": {"email": "nope"}}), CallType::Group, None, &Pointer::root());
    assert_eq!(check, PlanCheck::default());
}

#[test]
fn group_rule_checks_traits() {
    let rule = json!({"type": "GROUP", "jsonSchema": {"properties": {"traits": {
        "required": ["name"], "properties": {"employees": {"type": "integer"}}
    }}}});
    let plan = plan(with(json!([rule]), json!({"violations": "block"})));
    let check =
        plan.check(&json!({"groupId": "g", "traits": {"employees": "many"}}), CallType::Group, None, &Pointer::root());
    assert_eq!(paths(&check.errors), ["/traits/employees", "/traits/name"]);
    let check = plan.check(&json!({"traits": {"employees": "many"}}), CallType::Identify, None, &Pointer::root());
    assert_eq!(check, PlanCheck::default());
}

#[test]
fn common_rule_applies_to_every_supported_call_beside_the_own_rule() {
    let common = json!({"type": "COMMON", "key": "", "jsonSchema": {"properties": {
        "context": {"type": "object", "required": ["locale"]}
    }}});
    let plan = plan(with(json!([common, order_completed()]), json!({"violations": "block"})));
    for call in [CallType::Identify, CallType::Group] {
        let check = plan.check(&json!({"context": {}}), call, None, &Pointer::root());
        assert_eq!(paths(&check.errors), ["/context/locale"], "{call}");
    }
    let check = track(&plan, &json!({"event": "Order Completed", "context": {}, "properties": {"revenue": "x"}}));
    assert_eq!(paths(&check.errors), ["/context/locale", "/properties/order_id", "/properties/revenue"]);
    assert!(check.errors[0].message.contains("(rule COMMON)"));
    // Unplanned events still meet COMMON.
    let check = track(&plan, &json!({"event": "Other", "context": {}}));
    assert_eq!(paths(&check.errors), ["/context/locale"]);
}

#[test]
fn page_and_screen_rules_are_accepted_and_unused() {
    let rules = json!([
        {"type": "PAGE", "key": "Home", "jsonSchema": {"required": ["never"]}},
        {"type": "SCREEN", "key": "", "jsonSchema": {"required": ["never"]}},
        {"type": "PAGE", "key": "Home", "jsonSchema": {"type": "not a type"}}
    ]);
    let plan = plan(with(rules, json!({"violations": "block", "unplannedEvents": "block"})));
    for call in [CallType::Page, CallType::Screen, CallType::Identify, CallType::Group] {
        assert_eq!(plan.check(&json!({}), call, None, &Pointer::root()), PlanCheck::default());
    }
}

#[test]
fn unsupported_calls_get_nothing_even_from_common() {
    let common = json!({"type": "COMMON", "jsonSchema": {"required": ["never"]}});
    let plan = plan(with(json!([common]), json!({"violations": "block"})));
    for call in [CallType::Page, CallType::Screen, CallType::Alias, CallType::Delete] {
        assert_eq!(plan.check(&json!({}), call, None, &Pointer::root()), PlanCheck::default());
    }
}

#[test]
fn public_api_rule_fields_are_accepted() {
    let rule = json!({
        "type": "TRACK", "key": "E", "version": 2, "jsonSchema": {},
        "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-02-01T00:00:00Z", "deprecatedAt": null
    });
    plan(json!({"rules": [rule]}));
}

// ---------------------------------------------------------------------------------------------
// Drafts and formats.

fn draft_rule(schema_uri: Option<&str>, extra: Value) -> Value {
    let mut schema = json!({"properties": {"properties": {"properties": {"n": {"type": "integer"}}}}});
    if let Some(uri) = schema_uri {
        schema["$schema"] = json!(uri);
    }
    for (key, value) in extra.as_object().unwrap() {
        schema[key] = value.clone();
    }
    json!({"type": "TRACK", "key": "E", "jsonSchema": schema})
}

/// The sorted paths of the errors a one-rule plan finds in a track message.
fn errors_for(rule: Value, message: Value) -> Vec<String> {
    let plan = plan(with(json!([rule]), json!({"violations": "block"})));
    let mut paths: Vec<String> = track(&plan, &message).errors.into_iter().map(|issue| issue.path).collect();
    paths.sort_unstable();
    paths
}

#[test]
fn every_draft_compiles_and_checks() {
    for uri in [
        None,
        Some("http://json-schema.org/draft-04/schema#"),
        Some("http://json-schema.org/draft-06/schema#"),
        Some("http://json-schema.org/draft-07/schema#"),
        Some("https://json-schema.org/draft/2019-09/schema"),
        Some("https://json-schema.org/draft/2020-12/schema"),
    ] {
        let message = json!({"event": "E", "properties": {"n": "one"}});
        assert_eq!(errors_for(draft_rule(uri, json!({})), message), ["/properties/n"], "{uri:?}");
    }
}

#[test]
fn drafts_differ_as_declared() {
    // Draft 4: exclusiveMaximum is a boolean modifier of maximum.
    let draft4 = draft_rule(
        Some("http://json-schema.org/draft-04/schema#"),
        json!({"properties": {"properties": {"properties": {"n": {"maximum": 5, "exclusiveMaximum": true}}}}}),
    );
    assert_eq!(errors_for(draft4, json!({"event": "E", "properties": {"n": 5}})), ["/properties/n"]);
    // Draft 6+: exclusiveMaximum is a number.
    let draft6 = draft_rule(
        Some("http://json-schema.org/draft-06/schema#"),
        json!({"properties": {"properties": {"properties": {"n": {"exclusiveMaximum": 5}}}}}),
    );
    assert_eq!(errors_for(draft6, json!({"event": "E", "properties": {"n": 5}})), ["/properties/n"]);
    // 2019-09: unevaluatedProperties and $defs. The failing allOf branch evaluates nothing, so
    // "id" is both of the wrong type and unevaluated.
    let draft2019 = json!({"type": "TRACK", "key": "E", "jsonSchema": {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$defs": {"id": {"type": "string"}},
        "properties": {"properties": {
            "allOf": [{"properties": {"id": {"$ref": "#/$defs/id"}}}],
            "unevaluatedProperties": false
        }}
    }});
    assert_eq!(
        errors_for(draft2019, json!({"event": "E", "properties": {"id": 1, "x": 2}})),
        ["/properties/id", "/properties/id", "/properties/x"]
    );
    // 2020-12: prefixItems.
    let draft2020 = json!({"type": "TRACK", "key": "E", "jsonSchema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "properties": {"properties": {"properties": {"pair": {"prefixItems": [{"type": "string"}], "items": false}}}}
    }});
    assert_eq!(
        errors_for(draft2020, json!({"event": "E", "properties": {"pair": [1, 2]}})),
        ["/properties/pair/0", "/properties/pair/1"]
    );
    // Draft 7 with definitions and a local $ref.
    let draft7 = json!({"type": "TRACK", "key": "E", "jsonSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"money": {"type": "number", "minimum": 0}},
        "properties": {"properties": {"properties": {"revenue": {"$ref": "#/definitions/money"}}}}
    }});
    assert_eq!(errors_for(draft7, json!({"event": "E", "properties": {"revenue": -1}})), ["/properties/revenue"]);
}

#[test]
fn formats_are_checked() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {"properties": {
        "email": {"format": "email"}, "at": {"format": "date-time"}, "site": {"format": "uri"}
    }}}}});
    let good = json!({"event": "E", "properties": {
        "email": "ada@example.com", "at": "2024-05-01T10:00:00Z", "site": "https://example.com/a?b=c"
    }});
    assert!(errors_for(rule.clone(), good).is_empty());
    let bad = json!({"event": "E", "properties": {"email": "ada", "at": "yesterday", "site": "not a uri"}});
    assert_eq!(errors_for(rule.clone(), bad), ["/properties/at", "/properties/email", "/properties/site"]);
    // In draft 7 too (where format is an annotation unless asked for).
    let mut draft7 = rule;
    draft7["jsonSchema"]["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    let bad = json!({"event": "E", "properties": {"email": "ada", "at": "2024-13-45", "site": "a b"}});
    assert_eq!(errors_for(draft7, bad).len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Every violation, with the right pointers.

#[test]
fn all_violations_are_reported_with_escaped_pointers() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {
        "additionalProperties": false,
        "required": ["a/b", "c~d"],
        "properties": {
            "a/b": {"type": "string"},
            "c~d": {"type": "string"},
            "~1": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
            "n": {"minimum": 5, "multipleOf": 2}
        }
    }}}});
    let message = json!({"event": "E", "properties": {
        "~1": 1,
        "items": [{"sku": "a"}, {"sku": 2}],
        "n": 3,
        "x/y": true,
        "z~": null
    }});
    let plan = plan(with(json!([rule]), json!({"violations": "block"})));
    let check = plan.check(&message, CallType::Track, Some("E"), &Pointer::root().key("batch").index(3));
    assert_eq!(
        paths(&check.errors),
        [
            "/batch/3/properties/a~1b",
            "/batch/3/properties/c~0d",
            "/batch/3/properties/items/1/sku",
            "/batch/3/properties/n",
            "/batch/3/properties/n",
            "/batch/3/properties/x~1y",
            "/batch/3/properties/z~0",
            "/batch/3/properties/~01",
        ]
    );
    assert!(codes(&check.errors).iter().all(|code| *code == Code::PlanViolation));
    let unexpected = check.errors.iter().find(|issue| issue.path.ends_with("x~1y")).unwrap();
    assert_eq!(
        unexpected.message,
        r#""x/y" is not allowed (rule TRACK "E"): "additionalProperties" refuses keys the schema does not name"#
    );
    let minimum = check.errors.iter().find(|issue| issue.message.contains("minimum")).unwrap();
    assert_eq!(minimum.message, r#""n" is invalid (rule TRACK "E"): 3 is less than the minimum of 5"#);
}

#[test]
fn omit_properties_unescapes_keys() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {
        "additionalProperties": false, "properties": {"a/b": {"type": "object", "properties": {"c": {"type": "string"}}}}
    }}}});
    let plan = plan(with(json!([rule]), json!({"violations": "omitProperties"})));
    let check = track(&plan, &json!({"event": "E", "properties": {"a/b": {"c": 1}, "x~y": 1}}));
    assert_eq!(paths(&check.warnings), ["/properties/a~1b/c", "/properties/x~0y"]);
    assert_eq!(check.omit, ["a/b", "x~y"]);
}

#[test]
fn root_and_top_level_violations() {
    let rule = json!({"type": "COMMON", "jsonSchema": {"type": "object", "maxProperties": 1}});
    let plan = plan(with(json!([rule]), json!({"violations": "block"})));
    let check = plan.check(&json!({"a": 1, "b": 2}), CallType::Identify, None, &Pointer::from_escaped("/batch/0"));
    assert_eq!(paths(&check.errors), ["/batch/0"]);
    assert!(check.errors[0].message.starts_with("the message is invalid (rule COMMON): "));
}

#[test]
fn long_values_are_cut_short_in_messages() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {
        "properties": {"s": {"type": "number"}}
    }}}});
    let plan = plan(with(json!([rule]), json!({"violations": "block"})));
    let check = track(&plan, &json!({"event": "E", "properties": {"s": "x".repeat(10_000)}}));
    assert!(check.errors[0].message.len() < 300, "{}", check.errors[0].message);
    assert!(check.errors[0].message.ends_with("… is a string"));
}

// ---------------------------------------------------------------------------------------------
// Construction errors.

#[test]
fn bad_schema_is_refused_naming_the_rule() {
    let rule = json!({"type": "TRACK", "key": "Order Completed", "jsonSchema": {"type": "nope"}});
    let message = refused(json!({"rules": [rule]}));
    assert!(message.starts_with(r#"rules/0 (TRACK "Order Completed"): "#), "{message}");
    assert!(message.contains("/type"), "{message}");

    let rules =
        json!([order_completed(), {"type": "IDENTIFY", "jsonSchema": {"properties": {"traits": {"pattern": "("}}}}]);
    let message = refused(json!({"rules": rules}));
    assert!(message.starts_with("rules/1 (IDENTIFY): "), "{message}");

    let message = refused(json!({"rules": [{"type": "GROUP", "jsonSchema": 3}]}));
    assert!(message.starts_with("rules/0 (GROUP): "), "{message}");

    let message = refused(json!({"rules": [{"type": "COMMON", "jsonSchema": {"$ref": "#/definitions/none"}}]}));
    assert!(message.starts_with("rules/0 (COMMON): "), "{message}");
    assert!(message.contains("/definitions/none"), "{message}");

    let message =
        refused(json!({"rules": [{"type": "COMMON", "jsonSchema": {"$schema": "https://example.com/meta"}}]}));
    assert!(message.starts_with("rules/0 (COMMON): "), "{message}");
}

#[test]
fn remote_ref_is_refused_clearly() {
    for (schema, uri) in [
        (json!({"$ref": "https://example.com/schemas/order.json"}), "https://example.com/schemas/order.json"),
        (
            json!({"properties": {"properties": {"properties": {"a": {"$ref": "http://example.com/a.json#/x"}}}}}),
            "http://example.com/a.json",
        ),
        (json!({"$id": "https://example.com/root.json", "$ref": "other.json"}), "https://example.com/other.json"),
    ] {
        let rule = json!({"type": "TRACK", "key": "Order Completed", "jsonSchema": schema});
        let message = refused(json!({"rules": [rule]}));
        assert_eq!(
            message,
            format!(
                r##"rules/0 (TRACK "Order Completed"): remote $ref "{uri}" is not supported: schemas must be self-contained (no network access); put the definition under "$defs" or "definitions" and refer to it with "#/...""##
            )
        );
    }
    let message = refused(json!({"rules": [{"type": "IDENTIFY", "jsonSchema": {"$ref": "other.json"}}]}));
    assert!(message.starts_with(r#"rules/0 (IDENTIFY): external $ref "other.json" is not supported"#), "{message}");
}

#[test]
fn a_ref_to_an_id_inside_the_schema_is_not_remote() {
    let schema = json!({
        "$id": "https://example.com/root.json",
        "$defs": {"money": {"$id": "https://example.com/money.json", "type": "number"}},
        "properties": {"properties": {"properties": {"revenue": {"$ref": "https://example.com/money.json"}}}}
    });
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": schema});
    assert_eq!(errors_for(rule, json!({"event": "E", "properties": {"revenue": "1"}})), ["/properties/revenue"]);
}

#[test]
fn unknown_keys_are_refused() {
    let message = refused(json!({"rules": [], "unplanedEvents": "block"}));
    assert!(message.contains("unplanedEvents"), "{message}");
    let message = refused(json!({"rules": [{"type": "TRACK", "key": "E", "jsonSchema": {}, "schema": {}}]}));
    assert_eq!(
        message,
        r#"rules/0 (TRACK "E"): unknown key "schema" (the keys are type, key, jsonSchema, version, createdAt, updatedAt, deprecatedAt)"#
    );
    let message = refused(json!({"rules": [{"type": "ALIAS", "jsonSchema": {}}]}));
    assert_eq!(
        message,
        r#"rules/0 (ALIAS): type must be one of TRACK, IDENTIFY, GROUP, COMMON, PAGE, SCREEN; got "ALIAS""#
    );
    let message = refused(json!({"rules": [{"type": "TRACK", "key": "E"}]}));
    assert_eq!(message, r#"rules/0 (TRACK "E"): "jsonSchema" is required"#);
    let message = refused(json!({"rules": [], "violations": "blok"}));
    assert_eq!(message, r#"violations must be one of allow, omitProperties, block; got "blok""#);
    let message = refused(json!({"rules": [], "unplannedEvents": 1, "unplannedProperties": "drop"}));
    assert_eq!(
        message,
        r#"unplannedEvents must be one of allow, warn, block; got a number; unplannedProperties must be one of allow, omit; got "drop""#
    );
    let message = refused(json!({"unplannedEvents": "block"}));
    assert!(message.contains("rules"), "{message}");
    // A rules object is the legacy Config API's shape: an empty one is a plan without rules.
    assert_eq!(plan(json!({"rules": {}})).format(), Format::SegmentConfigApi);
    let message = refused(json!({"rules": "plan.json"}));
    assert!(
        message.starts_with("the plan's format cannot be told from its shape: it has the keys \"rules\""),
        "{message}"
    );
    refused(json!([]));
}

#[test]
fn track_rule_needs_a_key() {
    let message = refused(json!({"rules": [{"type": "TRACK", "key": "", "jsonSchema": {}}]}));
    assert_eq!(message, r#"rules/0 (TRACK ""): a TRACK rule needs the event name in "key""#);
    let message = refused(json!({"rules": [{"type": "TRACK", "jsonSchema": {}}]}));
    assert!(message.contains("needs the event name"), "{message}");
}

#[test]
fn duplicate_rules_are_refused_naming_both() {
    let rules = json!([
        order_completed(),
        {"type": "IDENTIFY", "jsonSchema": {}},
        {"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {}}
    ]);
    let message = refused(json!({"rules": rules}));
    assert!(
        message.starts_with(r#"rules/2 (TRACK "Order Completed"): duplicate of rules/0 (TRACK "Order Completed")"#),
        "{message}"
    );
    let rules = json!([{"type": "COMMON", "jsonSchema": {}}, {"type": "COMMON", "jsonSchema": {}}]);
    let message = refused(json!({"rules": rules}));
    assert!(message.starts_with("rules/1 (COMMON): duplicate of rules/0 (COMMON)"), "{message}");
}

#[test]
fn config_error_display_names_the_config() {
    let error = TrackingPlan::compile(&json!({"rules": [{"type": "GROUP", "jsonSchema": 3}]})).unwrap_err();
    assert!(error.to_string().starts_with("invalid Destination config: rules/0 (GROUP): "));
}

#[test]
fn plan_is_shareable_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<TrackingPlan>();
}

#[test]
fn unknown_formats_are_ignored() {
    let rule = json!({"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {
        "properties": {"price": {"type": "string", "format": "currency"}}
    }}}});
    assert!(errors_for(rule, json!({"event": "E", "properties": {"price": "$12"}})).is_empty());
}

#[test]
fn event_versions_are_chosen_by_context_protocols_event_version() {
    let v1 = json!({"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {
        "properties": {"properties": {"required": ["order_id"]}}}});
    let v2 = json!({"type": "TRACK", "key": "Order Completed", "version": 2, "jsonSchema": {
        "properties": {"properties": {"required": ["order_id", "subtotal"]}}}});
    let plan = TrackingPlan::compile(&json!({"rules": [v2, v1], "violations": "block"})).unwrap();
    let check = |context: Value| {
        let message =
            json!({"type": "track", "event": "Order Completed", "properties": {"order_id": "o1"}, "context": context});
        plan.check(&message, CallType::Track, Some("Order Completed"), &Pointer::root()).errors.len()
    };
    // No version, or one the plan lacks (3, 3.2): the oldest version, which this message meets.
    assert_eq!(check(json!({})), 0);
    assert_eq!(check(json!({"protocols": {"event_version": 3}})), 0);
    assert_eq!(check(json!({"protocols": {"event_version": 3.2}})), 0);
    assert_eq!(check(json!({"protocols": {"event_version": 1}})), 0);
    // Version 2 also needs a subtotal.
    assert_eq!(check(json!({"protocols": {"event_version": 2}})), 1);
}

#[test]
fn a_version_must_be_a_positive_integer() {
    let rule = json!({"type": "TRACK", "key": "E", "version": 1.5, "jsonSchema": {}});
    let message = refused(json!({"rules": [rule]}));
    assert!(message.contains("\"version\" must be a positive integer"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// One best issue under anyOf / oneOf, and the nearest planned event (issue 17).

fn payment_rule(keyword: &str) -> Value {
    json!({"type": "TRACK", "key": "Order Completed", "jsonSchema": {"properties": {"properties": {"properties": {
        "payment": {keyword: [
            {"type": "object", "required": ["card"], "properties": {"card": {"type": "object", "properties": {"last4": {"type": "string", "pattern": "^[0-9]{4}$"}}}}},
            {"type": "object", "required": ["iban"], "properties": {"iban": {"type": "string"}}},
            {"type": "string"}
        ]}
    }}}}})
}

#[test]
fn a_failure_under_any_of_or_one_of_is_one_issue_from_the_closest_branch() {
    for keyword in ["anyOf", "oneOf"] {
        let plan = plan(with(json!([payment_rule(keyword)]), json!({"violations": "block"})));
        let check = track(&plan, &order(json!({"payment": {"card": {"last4": "12x4"}}})));
        assert_eq!(check.errors.len(), 1, "{keyword}: {:?}", check.errors);
        let issue = &check.errors[0];
        assert_eq!(issue.code, Code::PlanViolation);
        // The deepest path of the branch that came closest: the card branch, at last4.
        assert_eq!(issue.path, "/properties/payment/card/last4", "{keyword}");
        assert!(issue.message.contains(&format!("under {keyword}, schema 1 of 3 came closest")), "{}", issue.message);
        assert!(issue.message.contains("schema 2: \"iban\" is required"), "{}", issue.message);
        assert!(issue.message.contains("schema 3: \"payment\" must be a string"), "{}", issue.message);
    }
    // A value that matches a branch has no issue.
    let plan = plan(with(json!([payment_rule("anyOf")]), json!({"violations": "block"})));
    assert!(track(&plan, &order(json!({"payment": {"iban": "DE00"}}))).errors.is_empty());
}

#[test]
fn an_unplanned_event_names_the_planned_event_it_nearly_is() {
    let plan = plan(with(json!([order_completed()]), json!({"unplannedEvents": "block"})));
    for (sent, hint) in [
        ("order_completed", Some("did you mean \"Order Completed\"?")),
        ("Order Complted", Some("did you mean \"Order Completed\"?")),
        ("Checkout Started", None),
    ] {
        let check = track(&plan, &json!({"type": "track", "event": sent, "userId": "u1"}));
        assert_eq!(codes(&check.errors), [Code::UnplannedEvent], "{sent}");
        assert_eq!(check.errors[0].hint.as_deref(), hint, "{sent}");
    }
}

#[test]
fn an_enum_or_const_miss_names_the_allowed_value_it_nearly_is() {
    let orders = plan(with(json!([order_completed()]), json!({"violations": "block"})));
    for (currency, hint) in
        [("usd", Some("did you mean \"USD\"?")), ("Eur", Some("did you mean \"EUR\"?")), ("GBP", None)]
    {
        let check = track(&orders, &order(json!({"order_id": "o1", "currency": currency})));
        assert_eq!(paths(&check.errors), ["/properties/currency"], "{currency}");
        assert_eq!(check.errors[0].hint.as_deref(), hint, "{currency}");
    }
    let constant = json!({"type": "TRACK", "key": "Signed Up", "jsonSchema": {"properties": {"properties": {
        "properties": {"plan": {"const": "pro_plan"}}}}}});
    let signups = plan(with(json!([constant]), json!({"violations": "block"})));
    let check = track(
        &signups,
        &json!({"type": "track", "event": "Signed Up", "userId": "u", "properties": {"plan": "Pro Plan"}}),
    );
    assert_eq!(check.errors[0].hint.as_deref(), Some("did you mean \"pro_plan\"?"));
}
