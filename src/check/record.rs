//! The inspector's records (`events.jsonl`, and `GET /inspector/export`): one a line, the message
//! it received inside each (docs/inspector.md). A record is checked as its message, with the call
//! type its route gave (`/v1/track` is track) for a message that has no `type` of its own.

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::call::CallType;

/// How the inspector writes a record: `{"id": ..., "receivedAt": ..., ..., "message": ..., "outcome": ...}`.
const RECORD_START: &[u8] = b"{\"id\":";

/// A record as the inspector stores it (other members are skipped).
#[derive(Deserialize)]
struct Stored<'a> {
    #[allow(dead_code)]
    id: u64,
    #[serde(rename = "receivedAt")]
    #[allow(dead_code)]
    received_at: IgnoredAny,
    #[allow(dead_code)]
    outcome: IgnoredAny,
    #[serde(rename = "type")]
    kind: Option<serde_json::Value>,
    #[serde(borrow)]
    message: Option<&'a RawValue>,
    raw: Option<String>,
}

/// What a record holds to check.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Record<'a> {
    /// The message's text as it was received: its JSON, or the start of a body that was not JSON
    /// (`raw`); `None` when the record kept neither (a body that was JSON but no object).
    pub text: Option<std::borrow::Cow<'a, [u8]>>,
    /// The call type of the route, for a message without a `type`.
    pub hint: Option<CallType>,
}

/// The record `text` is, or `None` when it is no inspector record.
pub(crate) fn record(text: &[u8]) -> Option<Record<'_>> {
    if !text.starts_with(RECORD_START) {
        return None;
    }
    let stored: Stored<'_> = serde_json::from_slice(text).ok()?;
    let hint = stored.kind.as_ref().and_then(serde_json::Value::as_str).and_then(CallType::from_name);
    let text = match (stored.message, stored.raw) {
        (Some(message), _) => Some(std::borrow::Cow::Borrowed(message.get().as_bytes())),
        (None, Some(raw)) => Some(std::borrow::Cow::Owned(raw.into_bytes())),
        (None, None) => None,
    };
    Some(Record { text, hint })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_gives_its_message_and_route_type() {
        let line = br#"{"id":42,"receivedAt":"2026-12-05T09:30:00.000Z","route":"/v1/track","http":{"status":200},"type":"track","library":null,"message":{"userId":"u_1","event":"Order Completed"},"outcome":{"status":"mapped"}}"#;
        let found = record(line).unwrap();
        assert_eq!(found.text.unwrap().as_ref(), br#"{"userId":"u_1","event":"Order Completed"}"#);
        assert_eq!(found.hint, Some(CallType::Track));
    }

    #[test]
    fn a_refused_request_gives_its_raw_body() {
        let line = br#"{"id":1,"receivedAt":"x","route":"/v1/batch","http":{"status":400},"type":null,"library":null,"message":null,"raw":"{\"batch\": [","outcome":{"status":"invalid"}}"#;
        let found = record(line).unwrap();
        assert_eq!((found.text.unwrap().as_ref(), found.hint), (&br#"{"batch": ["#[..], None));
        let line = br#"{"id":2,"receivedAt":"x","type":null,"message":null,"outcome":{}}"#;
        assert_eq!(record(line).unwrap().text, None);
    }

    #[test]
    fn messages_are_not_records() {
        assert_eq!(record(br#"{"type":"track","id":1,"receivedAt":"x","outcome":{}}"#), None);
        assert_eq!(record(br#"{"id":"m1","type":"track","event":"x"}"#), None);
        assert_eq!(record(br#"{"id":1,"receivedAt":"x","message":{}"#), None);
    }
}
