//! The message as a destination sees it, for the parts that read whole messages (tracking plans,
//! custom mappings): a batch envelope's `context` and `integrations` merged under the item's own
//! keys, and its `sentAt` given to items that have none.

use serde_json::{Map, Value};
use std::borrow::Cow;

use crate::call::CallType;
use crate::spec::{layered, Envelope, Fields, Lookup};

/// The message with the envelope merged in; borrowed as it is when there is nothing to merge.
///
/// ```
/// use astrolabe_segment::{payload::merged, spec::Envelope};
/// use serde_json::json;
///
/// let context = json!({"groupId": "acme", "ip": "1.2.3.4"});
/// let envelope = Envelope { context: context.as_object(), ..Envelope::default() };
/// let item = json!({"type": "track", "context": {"ip": "5.6.7.8"}});
/// assert_eq!(
///     merged(&item, &envelope).into_owned(),
///     json!({"type": "track", "context": {"groupId": "acme", "ip": "5.6.7.8"}})
/// );
/// ```
pub fn merged<'a>(message: &'a Value, envelope: &Envelope<'_>) -> Cow<'a, Value> {
    let Value::Object(fields) = message else { return Cow::Borrowed(message) };
    let needs_sent_at = envelope.sent_at.is_some() && fields.get("sentAt").is_none_or(Value::is_null);
    if envelope.context.is_none() && envelope.integrations.is_none() && !needs_sent_at {
        return Cow::Borrowed(message);
    }
    let mut fields = fields.clone();
    for (key, shared) in [("context", envelope.context), ("integrations", envelope.integrations)] {
        if let Some(shared) = shared {
            let own = fields.get(key).and_then(Value::as_object);
            fields.insert(key.to_owned(), Value::Object(layer(own, shared)));
        }
    }
    if let (true, Some(sent_at)) = (needs_sent_at, envelope.sent_at) {
        fields.insert("sentAt".to_owned(), sent_at.clone());
    }
    Cow::Owned(Value::Object(fields))
}

/// The envelope's object with the item's own keys over it, by the one rule the checks read
/// layered objects with ([`layered`]: an own `null` does not hide the envelope's value).
fn layer(own: Option<&Map<String, Value>>, shared: &Map<String, Value>) -> Map<String, Value> {
    let own_only = own.into_iter().flatten().map(|(key, _)| key).filter(|key| !shared.contains_key(*key));
    let value = |key: &str| {
        layered(own.map(|own| own as &dyn Lookup), Some(shared), key).map_or(Value::Null, |(value, _)| value.clone())
    };
    shared.keys().chain(own_only).map(|key| (key.clone(), value(key))).collect()
}

/// The payload custom mappings read: the merged message as Segment delivers it to destinations,
/// with the ids as the checks read them (numbers as strings; blank ids removed) and `timestamp`
/// the operation's (corrected for clock skew, RFC 3339 UTC; removed when there is none). So the
/// default directives (`{"@path": "$.userId"}`, ...) give exactly what the built-in mapping gives.
pub fn normalized(message: &Value, envelope: &Envelope<'_>, fields: &Fields<'_>) -> Value {
    let mut payload = merged(message, envelope).into_owned();
    let Value::Object(object) = &mut payload else { return payload };
    set_or_remove(object, "userId", fields.user_id.as_deref());
    set_or_remove(object, "anonymousId", fields.anonymous_id.as_deref());
    set_or_remove(object, "messageId", fields.message_id.as_deref());
    set_or_remove(object, "timestamp", fields.timestamp.as_deref());
    if fields.call == CallType::Group {
        set_or_remove(object, "groupId", fields.group_id.as_deref());
    }
    for key in ["traits", "properties", "context", "integrations"] {
        if object.get(key).is_some_and(Value::is_null) {
            object.shift_remove(key);
        }
    }
    if fields.call == CallType::Track {
        if let Some(Value::Object(context)) = object.get_mut("context") {
            set_or_remove(context, "groupId", fields.context_group_id.as_deref());
        }
    }
    payload
}

fn set_or_remove(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    match value {
        Some(value) => {
            object.insert(key.to_owned(), Value::String(value.to_owned()));
        }
        None => {
            object.shift_remove(key);
        }
    }
}
