//! The quarantine: what a request's refused messages are kept as, so that they can be replayed
//! once fixed (the contract: docs/quarantine.md). One JSON record per refused message, one per
//! line (JSONL), keys in a fixed order:
//!
//! `{"quarantine":1,"receivedAt":…,"route":…,"requestId":…,"index":3|null,"errors":[…],"message":…,"envelope"?:{…}}`
//!
//! The message is its text as received, spliced in (never re-serialized: numbers keep their
//! digits, escapes stay), on one line, without a `writeKey` member. A request refused as a whole
//! gives one record with `"body"` (or `"bodyBase64"` when it is not UTF-8) instead.
//!
//! Which messages are refused is the engine's word: the request is answered again through
//! [`Destination::answer_json`] (the one engine, with its settings: rules, a tracking plan), and
//! each `invalid` answer is recorded, along with the refusals of the edge handler that depend on
//! the route alone ([`Takes`]). The texts come from the engine's own scan
//! ([`crate::engine::split`]).

use serde_json::Value;

use crate::answer::{Answer, Sink};
use crate::engine::split::{Part, Split};
use crate::issue::{Code, Issue};
use crate::outcome::Status;
use crate::pointer::Pointer;
use crate::{CallType, Destination, MapOptions};

/// The record format's version (`"quarantine": 1`).
pub const VERSION: u32 = 1;

/// The member taken out of every stored message and envelope: a write key is never kept.
const WRITE_KEY: &str = "writeKey";

/// What the request's route takes: a route that takes one message refuses a batch as a whole,
/// and one that takes batches refuses a message as a whole (as the edge handler answers them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Takes {
    /// A message or a batch (`/webhook`).
    #[default]
    Any,
    /// One message (`/v1/track`, ...).
    Message,
    /// A batch (`/v1/batch`, `/v1/import`).
    Batch,
}

/// The request a body came with, as its records say it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Meta<'a> {
    /// When the request arrived (ISO 8601, UTC).
    pub received_at: &'a str,
    /// The request's path (`/v1/batch`).
    pub route: &'a str,
    /// The request's id.
    pub request_id: &'a str,
}

impl<'a> Meta<'a> {
    /// The meta of a JSON object `{"receivedAt", "route", "requestId"}`, each a string, or the
    /// problem with it, in the words JS callers read.
    ///
    /// ```
    /// use astrolabe_segment::quarantine::Meta;
    /// use serde_json::json;
    /// let value = json!({"receivedAt": "2026-12-07T20:00:00.000Z", "route": "/v1/track", "requestId": "r1"});
    /// assert_eq!(Meta::from_value(&value).unwrap().route, "/v1/track");
    /// assert_eq!(
    ///     Meta::from_value(&json!({"route": "/v1/track"})).unwrap_err(),
    ///     "quarantine meta needs \"receivedAt\", a string"
    /// );
    /// ```
    pub fn from_value(value: &'a Value) -> Result<Meta<'a>, String> {
        let field = |key: &str| {
            value.get(key).and_then(Value::as_str).ok_or_else(|| format!("quarantine meta needs \"{key}\", a string"))
        };
        Ok(Meta { received_at: field("receivedAt")?, route: field("route")?, request_id: field("requestId")? })
    }
}

/// The options of a quarantine: the call type of a single-message body (as
/// [`MapOptions::call_type`]), and what the route takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// What the body is read with.
    pub map: MapOptions,
    /// What the route takes.
    pub takes: Takes,
}

impl Options {
    /// The problem with options that are not an object (nor `null`).
    pub const NOT_AN_OBJECT: &'static str =
        "quarantine options must be an object such as { type: \"track\" } or { takes: \"batch\" }";

    /// Options from a JSON object: `type` (a call type: the body is one message of it; the route
    /// takes a message unless `takes` says otherwise) and `takes` (`"message"`, `"batch"` or
    /// `"any"`). `null` is none.
    ///
    /// ```
    /// use astrolabe_segment::quarantine::{Options, Takes};
    /// use serde_json::json;
    /// assert_eq!(Options::from_value(&json!({"type": "track"})).unwrap().takes, Takes::Message);
    /// assert_eq!(Options::from_value(&json!({"takes": "batch"})).unwrap().takes, Takes::Batch);
    /// assert_eq!(Options::from_value(&json!(null)).unwrap().takes, Takes::Any);
    /// assert!(Options::from_value(&json!({"take": "batch"})).is_err());
    /// ```
    pub fn from_value(options: &Value) -> Result<Options, String> {
        let fields = match options {
            Value::Null => return Ok(Options::default()),
            Value::Object(fields) => fields,
            _ => return Err(String::from(Options::NOT_AN_OBJECT)),
        };
        if let Some(unknown) = fields.keys().find(|key| *key != "type" && *key != "takes") {
            return Err(format!(
                "unknown quarantine option {}: the options are \"type\" and \"takes\"",
                crate::quote::quote(unknown)
            ));
        }
        let mut call = serde_json::Map::new();
        if let Some(value) = fields.get("type") {
            call.insert(String::from("type"), value.clone());
        }
        let map = MapOptions::from_value(&Value::Object(call))?;
        let takes = match fields.get("takes") {
            None | Some(Value::Null) if map.call_type.is_some() => Takes::Message,
            None | Some(Value::Null) => Takes::Any,
            Some(Value::String(name)) => match name.as_str() {
                "any" => Takes::Any,
                "message" => Takes::Message,
                "batch" => Takes::Batch,
                _ => {
                    return Err(format!(
                        "unknown quarantine option takes {}: expected \"message\", \"batch\" or \"any\"",
                        crate::quote::quote(name)
                    ))
                }
            },
            Some(_) => {
                return Err(String::from("quarantine option \"takes\" must be \"message\", \"batch\" or \"any\""))
            }
        };
        Ok(Options { map, takes })
    }
}

impl Options {
    /// Options for a route of one message of this call type.
    pub fn message(call_type: CallType) -> Options {
        Options { map: MapOptions::with_type(call_type), takes: Takes::Message }
    }

    /// Options for a batch route.
    pub fn batch() -> Options {
        Options { map: MapOptions::default(), takes: Takes::Batch }
    }
}

/// What the engine refused of one body, as it answered it.
#[derive(Debug, Default)]
struct Refused {
    /// The body was answered as one message, with these errors when it was invalid.
    message: Option<Option<Vec<Issue>>>,
    /// The body was answered as a batch: each invalid item's index and errors.
    items: Option<Vec<(usize, Vec<Issue>)>>,
    /// Items answered so far.
    seen: usize,
    /// The items the batch had.
    count: usize,
    /// The batch was refused as a whole, with these errors.
    whole: Vec<Issue>,
}

impl Sink for Refused {
    fn message(&mut self, answer: &mut Answer<'_>) {
        self.message = Some((answer.status == Status::Invalid).then(|| std::mem::take(&mut answer.errors)));
    }

    fn batch(&mut self, items: usize) {
        self.items = Some(Vec::new());
        self.count = items;
    }

    fn item(&mut self, answer: &mut Answer<'_>) {
        let index = self.seen;
        self.seen += 1;
        if answer.status == Status::Invalid {
            if let Some(items) = &mut self.items {
                items.push((index, std::mem::take(&mut answer.errors)));
            }
        }
    }

    fn batch_end(&mut self, errors: Vec<Issue>) {
        self.whole = errors;
    }
}

/// The codes of a body that could not be read as JSON as a whole (the edge handler's answer keeps
/// them on a batch route; any other refusal there is `invalid_batch`).
const PARSE_CODES: [Code; 4] = [Code::InvalidJson, Code::TooLarge, Code::TooDeep, Code::BatchTooLarge];

impl Destination {
    /// The quarantine records of a request's body (see the [module](crate::quarantine)): one JSONL
    /// line, ending in a newline, per message this Destination refuses, or one for the body when
    /// it is refused as a whole; empty when nothing is refused.
    ///
    /// ```
    /// use astrolabe_segment::quarantine::{Meta, Options};
    /// use astrolabe_segment::{Config, Destination};
    ///
    /// let destination = Destination::new(Config::default())?;
    /// let meta = Meta { received_at: "2026-12-07T20:00:00.000Z", route: "/v1/batch", request_id: "r1" };
    /// let body = br#"{"batch": [{"type": "identify", "userId": "u1"}, {"type": "track", "userId": "u1", "writeKey": "k"}]}"#;
    /// let records = destination.quarantine(body, &Options::batch(), &meta);
    /// assert!(records.starts_with(r#"{"quarantine":1,"receivedAt":"2026-12-07T20:00:00.000Z","route":"/v1/batch","requestId":"r1","index":1,"errors":[{"code":"missing_event""#));
    /// assert!(records.ends_with(concat!(r#""message":{"type": "track", "userId": "u1"}}"#, "\n")));
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn quarantine(&self, bytes: &[u8], options: &Options, meta: &Meta<'_>) -> String {
        let mut refused = Refused::default();
        self.answer_json(bytes, &options.map, &mut refused);
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok();
        let split = text.and_then(Split::new);
        let mut out = String::new();
        let body = |out: &mut String, errors: &[Issue]| write_body(out, meta, errors, bytes, split.as_ref());
        match (&refused.message, &refused.items) {
            (_, Some(_)) if options.takes == Takes::Message => {
                let issue = Issue::new(
                    Code::InvalidType,
                    &Pointer::root(),
                    "Expected one message (a JSON object), got a batch.",
                );
                body(&mut out, &[issue]);
            }
            (Some(_), None) if options.takes == Takes::Batch => {
                let errors = refused.message.iter().flatten().flatten();
                let mut parse: Vec<Issue> = errors
                    .filter(|error| PARSE_CODES.contains(&error.code) && error.path.is_empty())
                    .cloned()
                    .collect();
                if parse.is_empty() {
                    parse.push(Issue::new(
                        Code::InvalidBatch,
                        &Pointer::root(),
                        "Expected a batch: {\"batch\": [message, ...]}.",
                    ));
                }
                body(&mut out, &parse);
            }
            (Some(Some(errors)), None) => match &split {
                Some(split) => write_record(&mut out, meta, None, errors, &split.whole(), &[]),
                None => body(&mut out, errors),
            },
            (_, Some(_)) if !refused.whole.is_empty() => body(&mut out, &refused.whole),
            (_, Some(items)) => {
                let parts = split.as_ref().map(Split::items).unwrap_or_default();
                let envelope = split.as_ref().map(Split::envelope).unwrap_or_default();
                for (index, errors) in items {
                    match parts.get(*index).filter(|_| parts.len() == refused.count) {
                        Some(part) => write_record(&mut out, meta, Some(*index), errors, part, &envelope),
                        // The engine's items and the scan's always agree; should they not, the
                        // whole body is kept rather than the wrong text.
                        None => body(&mut out, errors),
                    }
                }
            }
            _ => {}
        }
        out
    }
}

/// The record's keys up to `errors`, included.
fn write_head(out: &mut String, meta: &Meta<'_>, index: Option<usize>, errors: &[Issue]) {
    out.push_str("{\"quarantine\":");
    out.push_str(&VERSION.to_string());
    for (key, value) in [("receivedAt", meta.received_at), ("route", meta.route), ("requestId", meta.request_id)] {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        push_string(out, value);
    }
    out.push_str(",\"index\":");
    match index {
        Some(index) => out.push_str(&index.to_string()),
        None => out.push_str("null"),
    }
    out.push_str(",\"errors\":[");
    for (at, error) in errors.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        out.push_str(&error.to_json());
    }
    out.push(']');
}

/// A refused message's record: its text, and the envelope's parts it was sent with.
fn write_record(
    out: &mut String,
    meta: &Meta<'_>,
    index: Option<usize>,
    errors: &[Issue],
    message: &Part<'_, '_>,
    envelope: &[(&str, Part<'_, '_>)],
) {
    write_head(out, meta, index, errors);
    out.push_str(",\"message\":");
    out.push_str(&message.one_line_without(WRITE_KEY));
    if !envelope.is_empty() {
        out.push_str(",\"envelope\":{");
        for (at, (key, part)) in envelope.iter().enumerate() {
            if at > 0 {
                out.push(',');
            }
            push_string(out, key);
            out.push(':');
            out.push_str(&part.one_line_without(WRITE_KEY));
        }
        out.push('}');
    }
    out.push_str("}\n");
}

/// The record of a body refused as a whole: the body as a JSON string (without its write keys
/// when it is JSON), or base64 when it is not UTF-8.
fn write_body(out: &mut String, meta: &Meta<'_>, errors: &[Issue], bytes: &[u8], split: Option<&Split<'_>>) {
    write_head(out, meta, None, errors);
    match (split, std::str::from_utf8(bytes)) {
        (Some(split), _) => {
            out.push_str(",\"body\":");
            push_string(out, &split.whole_without(WRITE_KEY));
        }
        (None, Ok(text)) => {
            out.push_str(",\"body\":");
            push_string(out, text);
        }
        (None, Err(_)) => {
            out.push_str(",\"bodyBase64\":\"");
            base64(out, bytes);
            out.push('"');
        }
    }
    out.push_str("}\n");
}

/// `text` as a JSON string.
fn push_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\"")));
}

/// Standard base64, padded.
fn base64(out: &mut String, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |value: u32| char::from(ALPHABET.get((value & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|at| u32::from(chunk.get(at).copied().unwrap_or(0)));
        let triple = (a << 16) | (b << 8) | c;
        out.push(digit(triple >> 18));
        out.push(digit(triple >> 12));
        out.push(if chunk.len() > 1 { digit(triple >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { digit(triple) } else { '=' });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use serde_json::json;

    const META: Meta<'static> =
        Meta { received_at: "2026-12-07T20:00:00.000Z", route: "/v1/batch", request_id: "req-1" };

    fn records_of(destination: &Destination, body: &[u8], options: &Options) -> Vec<Value> {
        let text = destination.quarantine(body, options, &META);
        assert!(text.is_empty() || text.ends_with('\n'), "{text}");
        text.lines()
            .map(|line| {
                assert!(!line.contains('\r'));
                serde_json::from_str(line).unwrap()
            })
            .collect()
    }

    fn defaults() -> Destination {
        Destination::new(Config::default()).unwrap()
    }

    /// The record's `message` member's text, as it stands in the line.
    fn message_text(line: &str) -> &str {
        let start = line.rfind(",\"message\":").unwrap() + ",\"message\":".len();
        let end = line.find(",\"envelope\":").unwrap_or(line.len() - 1);
        &line[start..end]
    }

    #[test]
    fn keys_come_in_the_contracts_order() {
        let text = defaults().quarantine(br#"{"type": "track", "userId": "u1"}"#, &Options::default(), &META);
        let value: Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["quarantine", "receivedAt", "route", "requestId", "index", "errors", "message"]);
        assert_eq!(value["index"], Value::Null);
        assert_eq!(value["errors"][0]["code"], "missing_event");
        assert_eq!(value["requestId"], "req-1");
    }

    #[test]
    fn valid_and_skipped_messages_are_never_recorded() {
        let destination = defaults();
        for body in [
            &br#"{"type": "identify", "userId": "u1"}"#[..],
            br#"{"type": "page", "userId": "u1"}"#,
            br#"{"batch": [{"type": "identify", "userId": "u1"}, {"type": "screen", "anonymousId": "a"}]}"#,
            br#"[{"type": "track", "event": "E", "userId": "u1", "integrations": {"Astrolabe": false}}]"#,
            br#"{"batch": []}"#,
        ] {
            assert_eq!(
                destination.quarantine(body, &Options::default(), &META),
                "",
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let only_second = records_of(
            &destination,
            br#"{"batch": [{"type": "identify", "userId": "u1"}, {"type": "track"}, {"type": "group", "userId": "u", "groupId": "g"}]}"#,
            &Options::batch(),
        );
        assert_eq!(only_second.len(), 1);
        assert_eq!(only_second[0]["index"], 1);
    }

    #[test]
    fn big_numbers_keep_their_digits_and_escapes_stay() {
        let body = r#"{"type": "track", "userId": 12345678901234567890123, "properties": {"n": 1.000000000000000000001, "s": "\u00e9\n\"x\"", "e": 1E+2}}"#;
        let text = defaults().quarantine(body.as_bytes(), &Options::message(CallType::Track), &META);
        assert_eq!(message_text(text.trim_end()), body);
    }

    #[test]
    fn pretty_printed_input_becomes_one_line() {
        let body = "{\r\n  \"batch\": [\r\n    {\r\n      \"type\": \"track\",\r\n      \"userId\": \"u1\"\r\n    }\r\n  ]\r\n}\r\n";
        let text = defaults().quarantine(body.as_bytes(), &Options::batch(), &META);
        assert_eq!(text.lines().count(), 1);
        assert!(!text.trim_end().contains(['\r', '\n']));
        assert_eq!(message_text(text.trim_end()), "{        \"type\": \"track\",        \"userId\": \"u1\"      }");
    }

    #[test]
    fn write_keys_are_taken_out() {
        let body = br#"{"writeKey": "secret", "context": {"ip": "1.2.3.4"}, "batch": [{"writeKey": "secret", "type": "track", "userId": "u1"}]}"#;
        let text = defaults().quarantine(body, &Options::batch(), &META);
        assert!(!text.contains("secret"), "{text}");
        assert_eq!(message_text(text.trim_end()), r#"{"type": "track", "userId": "u1"}"#);
        let single =
            defaults().quarantine(br#"{"type": "identify", "writeKey": "secret"}"#, &Options::default(), &META);
        assert!(!single.contains("secret") && !single.contains("writeKey"), "{single}");
        // A body refused as a whole loses its write keys too, root and items.
        let whole = defaults().quarantine(
            br#"{"writeKey": "secret", "context": 1, "batch": [{"writeKey": "secret"}]}"#,
            &Options::batch(),
            &META,
        );
        assert!(!whole.contains("secret"), "{whole}");
        let over =
            format!(r#"{{"writeKey": "secret", "batch": [{}]}}"#, vec![r#"{"writeKey": "secret"}"#; 2501].join(","));
        let whole = defaults().quarantine(over.as_bytes(), &Options::batch(), &META);
        assert!(whole.contains("batch_too_many") && !whole.contains("secret"));
    }

    #[test]
    fn the_envelope_is_carried_as_sent() {
        let body = r#"{"sentAt": "2026-12-07T19:59:59.000Z", "batch": [{"type": "track", "userId": "u1"}], "integrations": {"All": false, "n": 1e400000000}, "context": {"library": {"name": "x"}}}"#;
        let body = body.replace("1e400000000", "12345678901234567890123");
        let records = records_of(&defaults(), body.as_bytes(), &Options::batch());
        assert_eq!(records.len(), 1);
        assert_eq!(
            records[0]["envelope"],
            json!({"context": {"library": {"name": "x"}}, "integrations": {"All": false, "n": 12345678901234567890123_f64}, "sentAt": "2026-12-07T19:59:59.000Z"})
        );
        let text = defaults().quarantine(body.as_bytes(), &Options::batch(), &META);
        assert!(text.contains(r#""envelope":{"context":{"library": {"name": "x"}},"integrations":{"All": false, "n": 12345678901234567890123},"sentAt":"2026-12-07T19:59:59.000Z"}"#), "{text}");
        // An array has no envelope; an envelope without these members gives none.
        for body in [&br#"[{"type": "track"}]"#[..], br#"{"batch": [{"type": "track"}]}"#] {
            let records = records_of(&defaults(), body, &Options::default());
            assert!(records[0].get("envelope").is_none());
            assert_eq!(records[0]["index"], 0);
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_stored_as_body() {
        let records = records_of(&defaults(), b"{\"type\": \"track\",\n", &Options::message(CallType::Track));
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["body"], "{\"type\": \"track\",\n");
        assert_eq!(records[0]["errors"][0]["code"], "invalid_json");
        assert!(records[0].get("message").is_none());
        assert_eq!(records[0]["index"], Value::Null);
    }

    #[test]
    fn a_body_that_is_not_utf8_is_stored_in_base64() {
        let body = b"{\"type\": \"track\", \"event\": \"caf\xe9\"}";
        let records = records_of(&defaults(), body, &Options::default());
        assert_eq!(records[0]["bodyBase64"], "eyJ0eXBlIjogInRyYWNrIiwgImV2ZW50IjogImNhZukifQ==");
        assert_eq!(records[0]["errors"][0]["code"], "invalid_json");
        let mut out = String::new();
        base64(&mut out, b"ab");
        assert_eq!(out, "YWI=");
    }

    #[test]
    fn the_route_refuses_what_it_does_not_take() {
        let batch = br#"{"batch": [{"type": "identify", "userId": "u1"}]}"#;
        let records = records_of(&defaults(), batch, &Options::message(CallType::Identify));
        assert_eq!(records[0]["errors"][0]["code"], "invalid_type");
        assert_eq!(records[0]["body"], std::str::from_utf8(batch).unwrap());
        let message = br#"{"type": "identify", "userId": "u1"}"#;
        let records = records_of(&defaults(), message, &Options::batch());
        assert_eq!(records[0]["errors"][0]["code"], "invalid_batch");
        assert_eq!(records[0]["body"], std::str::from_utf8(message).unwrap());
        let records = records_of(&defaults(), b"[1", &Options::batch());
        assert_eq!(records[0]["errors"][0]["code"], "invalid_json");
        let refused = records_of(&defaults(), br#"{"batch": [], "context": 1}"#, &Options::batch());
        assert_eq!(refused[0]["errors"][0]["code"], "invalid_batch");
        assert_eq!(refused[0]["errors"][0]["path"], "/context");
    }

    #[cfg(feature = "tracking-plan")]
    #[test]
    fn plan_violations_are_refused_too() {
        let plan = json!({"rules": [{"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {
            "properties": {"properties": {"properties": {"total": {"type": "number"}}}}
        }}], "violations": "block"});
        let destination = Destination::new(Config { tracking_plan: Some(plan), ..Config::default() }).unwrap();
        let body = br#"{"batch": [
            {"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"total": 12.5}},
            {"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"total": "12.5"}}
        ]}"#;
        let records = records_of(&destination, body, &Options::batch());
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["index"], 1);
        assert_eq!(records[0]["message"]["properties"]["total"], "12.5");
        assert!(records[0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|error| error["path"].as_str().unwrap().starts_with("/batch/1")));
    }
}
