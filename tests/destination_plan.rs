//! Tracking plans enforced through a `Destination`: statuses, paths in batches, dropped keys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::{Config, Destination};
#[cfg(feature = "tracking-plan")]
use astrolabe_segment::{MapOptions, Status};
use serde_json::{json, Value};

fn destination(plan: Value) -> Result<Destination, astrolabe_segment::ConfigError> {
    Destination::new(Config { tracking_plan: Some(plan), ..Config::default() })
}

fn order_plan(settings: Value) -> Value {
    let mut plan = json!({
        "rules": [{"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {
            "properties": {"properties": {
                "type": "object",
                "properties": {"revenue": {"type": "number"}, "currency": {"type": "string"}},
                "required": ["revenue"]
            }}
        }}]
    });
    for (key, value) in settings.as_object().unwrap() {
        plan[key] = value.clone();
    }
    plan
}

#[cfg(feature = "tracking-plan")]
fn order(properties: Value) -> Value {
    json!({"type": "track", "userId": "u1", "event": "Order Completed", "properties": properties})
}

#[cfg(feature = "tracking-plan")]
mod full {
    use super::*;

    #[test]
    fn block_makes_a_violation_invalid() {
        let destination = destination(order_plan(json!({"violations": "block"}))).unwrap();
        let outcome = destination.map(&order(json!({"revenue": "12"})), &MapOptions::default());
        assert_eq!(outcome.status, Status::Invalid);
        assert_eq!(outcome.errors[0].code.as_str(), "plan_violation");
        assert_eq!(outcome.errors[0].path, "/properties/revenue");
    }

    #[test]
    fn allow_keeps_the_operation_and_warns() {
        let destination = destination(order_plan(json!({"violations": "allow"}))).unwrap();
        let outcome = destination.map(&order(json!({"revenue": "12"})), &MapOptions::default());
        assert_eq!(outcome.status, Status::Mapped);
        let codes: Vec<&str> = outcome.warnings.iter().map(|issue| issue.code.as_str()).collect();
        // The reserved property check and the plan both see the string revenue.
        assert_eq!(codes, ["reserved_trait_type", "plan_violation"]);
        assert_eq!(serde_json::to_value(&outcome.operations).unwrap()[0]["properties"], json!({"revenue": "12"}));
    }

    #[test]
    fn omit_properties_drops_the_offending_key_in_order() {
        let destination = destination(order_plan(json!({"violations": "omitProperties"}))).unwrap();
        let outcome =
            destination.map(&order(json!({"a": 1, "revenue": "12", "currency": "USD"})), &MapOptions::default());
        assert_eq!(outcome.status, Status::Mapped);
        let operations = serde_json::to_string(&outcome.operations).unwrap();
        assert!(operations.contains(r#""properties":{"a":1,"currency":"USD"}"#), "{operations}");
    }

    #[test]
    fn unplanned_properties_are_omitted() {
        let destination = destination(order_plan(json!({"unplannedProperties": "omit"}))).unwrap();
        let outcome = destination.map(&order(json!({"revenue": 3, "coupon": "X"})), &MapOptions::default());
        assert_eq!(outcome.status, Status::Mapped);
        assert_eq!(serde_json::to_value(&outcome.operations).unwrap()[0]["properties"], json!({"revenue": 3}));
        assert_eq!(outcome.warnings[0].code.as_str(), "unplanned_property");
        assert_eq!(outcome.warnings[0].path, "/properties/coupon");
    }

    #[test]
    fn unplanned_events_in_a_batch_point_into_the_batch() {
        let destination = destination(order_plan(json!({"unplannedEvents": "block"}))).unwrap();
        let batch =
            json!({"batch": [order(json!({"revenue": 1})), {"type": "track", "userId": "u", "event": "Other"}]});
        let outcome = destination.map_batch(&batch);
        assert_eq!(outcome.outcomes[0].status, Status::Mapped);
        assert_eq!(outcome.outcomes[1].status, Status::Invalid);
        assert_eq!(outcome.outcomes[1].errors[0].code.as_str(), "unplanned_event");
        assert_eq!(outcome.outcomes[1].errors[0].path, "/batch/1/event");
    }

    #[test]
    fn the_plan_sees_the_envelope_context() {
        let plan = json!({"rules": [{"type": "COMMON", "key": "", "jsonSchema": {
            "properties": {"context": {"required": ["groupId"]}}, "required": ["context"]
        }}], "violations": "block"});
        let destination = destination(plan).unwrap();
        let item = json!({"type": "identify", "userId": "u"});
        let with_envelope = destination.map_batch(&json!({"batch": [item.clone()], "context": {"groupId": "g"}}));
        assert_eq!(with_envelope.outcomes[0].status, Status::Mapped, "{:?}", with_envelope.outcomes[0].errors);
        let without = destination.map_batch(&json!({"batch": [item]}));
        assert_eq!(without.outcomes[0].status, Status::Invalid);
    }

    #[test]
    fn a_bad_plan_is_refused_naming_the_rule() {
        let plan = json!({"rules": [{"type": "TRACK", "key": "Order Completed", "jsonSchema": {"type": 12}}]});
        let error = destination(plan).unwrap_err().to_string();
        assert!(error.contains(r#"trackingPlan rules/0 (TRACK "Order Completed")"#), "{error}");
    }

    #[test]
    fn strict_mode_turns_plan_warnings_into_errors() {
        let mut plan = order_plan(json!({"violations": "allow"}));
        plan["unplannedEvents"] = json!("warn");
        let config = Config { strict: true, tracking_plan: Some(plan), ..Config::default() };
        let destination = Destination::new(config).unwrap();
        let outcome = destination.map(&json!({"type": "track", "userId": "u", "event": "X"}), &MapOptions::default());
        assert_eq!(outcome.status, Status::Invalid);
        assert_eq!(outcome.errors[0].code.as_str(), "unplanned_event");
    }
}

#[cfg(not(feature = "tracking-plan"))]
#[test]
fn the_lite_build_refuses_a_plan() {
    let error = destination(order_plan(json!({}))).unwrap_err().to_string();
    assert!(error.contains("trackingPlan is not available"), "{error}");
}
