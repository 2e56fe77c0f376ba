//! Destination selection by `integrations` (spec section 6).

use serde_json::Value;

use super::Layered;
use crate::issue::{Code, Issue};

/// The destination's name in `integrations` (case-sensitive, as Segment's names are).
pub(crate) const DESTINATION_NAME: &str = "Astrolabe";

/// Whether [`skip_reason`] reads the member `key` of `integrations`.
pub(crate) fn is_read(key: &str) -> bool {
    key == DESTINATION_NAME || key == "All"
}

/// Why the message is not for Astrolabe, or `None` when it is.
///
/// `integrations.Astrolabe: false` turns it off; `integrations.All: false` turns it off unless
/// `Astrolabe` is truthy (`true` or an object of destination options). A batch envelope's
/// `integrations` apply under the item's own keys.
pub(crate) fn skip_reason(integrations: &Layered<'_>) -> Option<Issue> {
    let astrolabe = integrations.get(DESTINATION_NAME);
    if let Some((Value::Bool(false), found)) = &astrolabe {
        return Some(Issue::new(
            Code::DisabledByIntegrations,
            &found.path(),
            "integrations.Astrolabe is false, so this message is not for Astrolabe.",
        ));
    }
    if let Some((Value::Bool(false), found)) = integrations.get("All") {
        if !astrolabe.is_some_and(|(value, _)| is_truthy(value)) {
            return Some(Issue::new(
                Code::DisabledByIntegrations,
                &found.path(),
                "integrations.All is false and integrations.Astrolabe does not turn Astrolabe back on.",
            ));
        }
    }
    None
}

/// JavaScript truthiness, as the SDKs test destination switches.
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pointer::Pointer;
    use crate::spec::Lookup;
    use serde_json::{json, Map};

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    fn reason(item: Value, envelope: Option<Value>) -> Option<String> {
        let item = object(item);
        let envelope = envelope.map(object);
        let base = Pointer::root().key("batch").index(0);
        let layered = Layered {
            name: "integrations",
            own: Some(&item as &dyn Lookup),
            base: &base,
            envelope: envelope.as_ref().map(|map| map as &dyn Lookup),
        };
        skip_reason(&layered).map(|issue| issue.path)
    }

    #[test]
    fn default_is_enabled() {
        assert_eq!(reason(json!({}), None), None);
        assert_eq!(reason(json!({"Mixpanel": false, "Salesforce": false}), None), None);
        assert_eq!(reason(json!({"All": true}), None), None);
    }

    #[test]
    fn astrolabe_false_disables() {
        assert_eq!(reason(json!({"Astrolabe": false}), None).as_deref(), Some("/batch/0/integrations/Astrolabe"));
        assert_eq!(
            reason(json!({"All": true, "Astrolabe": false}), None).as_deref(),
            Some("/batch/0/integrations/Astrolabe")
        );
    }

    #[test]
    fn all_false_needs_astrolabe_on() {
        assert_eq!(reason(json!({"All": false}), None).as_deref(), Some("/batch/0/integrations/All"));
        assert_eq!(reason(json!({"All": false, "Astrolabe": true}), None), None);
        assert_eq!(reason(json!({"All": false, "Astrolabe": {"apiKey": "k"}}), None), None);
        assert_eq!(
            reason(json!({"All": false, "Astrolabe": false}), None).as_deref(),
            Some("/batch/0/integrations/Astrolabe")
        );
    }

    #[test]
    fn names_are_case_sensitive() {
        assert_eq!(reason(json!({"astrolabe": false}), None), None);
        assert_eq!(
            reason(json!({"All": false, "astrolabe": true}), None).as_deref(),
            Some("/batch/0/integrations/All")
        );
    }

    #[test]
    fn envelope_applies_under_the_items_own_keys() {
        assert_eq!(reason(json!({}), Some(json!({"All": false}))).as_deref(), Some("/integrations/All"));
        assert_eq!(reason(json!({"Astrolabe": true}), Some(json!({"All": false}))), None);
        assert_eq!(reason(json!({"Astrolabe": true}), Some(json!({"Astrolabe": false}))), None);
        assert_eq!(reason(json!({"All": true}), Some(json!({"All": false}))), None);
        assert_eq!(reason(json!({}), Some(json!({"Astrolabe": false}))).as_deref(), Some("/integrations/Astrolabe"));
    }
}
