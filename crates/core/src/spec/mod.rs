//! The Segment Spec's rules (sections 2 to 7 of `segment-spec.md`): checks one message and reads
//! what the mapping needs, reporting every problem with its path.

pub mod currency;
pub mod ids;
pub mod integrations;
pub mod reserved;
pub mod timestamp;

use serde_json::{Map, Value};

use crate::call::CallType;
use crate::issue::{Code, Issue};
use crate::outcome::Status;
use crate::pointer::Pointer;
use crate::quote::quote;
use ids::{json_type_name, Id};

/// What the rules below read of a message's member, declared once, next to them: the fast lane
/// parses exactly this and copies the rest through unread. A rule that reads one more field
/// declares it here, or the lane cannot see it.
#[derive(Debug, Clone, Copy)]
pub enum Reads {
    /// The whole value.
    Whole,
    /// The members of an object that `keep` names (the whole value when it is not an object,
    /// for the checks to refuse).
    Members(fn(&str) -> bool),
    /// Nothing: unknown top-level fields are ignored (section 4).
    Nothing,
}

/// What the rules read of the top-level member `key`.
pub fn reads(key: &str) -> Reads {
    match key {
        "type" | "userId" | "anonymousId" | "groupId" | "event" | "messageId" | "timestamp" | "originalTimestamp"
        | "sentAt" | "receivedAt" | "integrations" => Reads::Whole,
        "context" => Reads::Members(reads_of_context),
        "traits" | "properties" => Reads::Members(reserved::is_reserved),
        _ => Reads::Nothing,
    }
}

/// What the rules read of a message's or a batch envelope's `context`: the account link.
pub fn reads_of_context(key: &str) -> bool {
    key == "groupId"
}

/// Whether an object with these keys is a batch envelope: it has `batch` and no `type`
/// (section 2).
pub fn is_envelope(keys: impl IntoIterator<Item = impl AsRef<str>>) -> bool {
    let (mut batch, mut typed) = (false, false);
    for key in keys {
        match key.as_ref() {
            "batch" => batch = true,
            "type" => typed = true,
            _ => {}
        }
    }
    batch && !typed
}

/// Errors and warnings collected while checking.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Problems that make the message invalid.
    pub errors: Vec<Issue>,
    /// Data-quality problems (errors in strict mode).
    pub warnings: Vec<Issue>,
}

impl Report {
    /// Records an error.
    pub fn error(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.errors.push(Issue::new(code, path, message));
    }

    /// Records a warning.
    pub fn warn(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.warnings.push(Issue::new(code, path, message));
    }

    /// Strict mode: every warning becomes an error.
    pub fn make_strict(&mut self) {
        self.errors.append(&mut self.warnings);
    }

    /// The status of a checked message: errors win over skipping (`skip`, the reason it is not
    /// for Astrolabe); in strict mode warnings are errors. Gives the reason when it is skipped.
    pub fn settle(&mut self, strict: bool, skip: Option<Issue>) -> (Status, Option<Issue>) {
        if strict {
            self.make_strict();
        }
        if !self.errors.is_empty() {
            (Status::Invalid, None)
        } else if skip.is_some() {
            (Status::Skipped, skip)
        } else {
            (Status::Mapped, None)
        }
    }
}

/// A batch envelope's fields that apply to every item: `context` and `integrations` (merged
/// under the item's own keys) and `sentAt` (for items without one). Paths point into the envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Envelope<'a> {
    /// The envelope's `context` object.
    pub context: Option<&'a Map<String, Value>>,
    /// The envelope's `integrations` object.
    pub integrations: Option<&'a Map<String, Value>>,
    /// The envelope's `sentAt`.
    pub sent_at: Option<&'a Value>,
}

/// An object of the message layered over the same object of the envelope: reading a key gives
/// the item's own value when it has one, else the envelope's, with the path where it was found.
#[derive(Debug, Clone, Default)]
pub struct Layered<'a> {
    /// The message's own object and its path.
    pub own: Option<(&'a Map<String, Value>, Pointer)>,
    /// The envelope's object and its path.
    pub envelope: Option<(&'a Map<String, Value>, Pointer)>,
}

impl<'a> Layered<'a> {
    /// The value of `key` and where it was found; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<(&'a Value, Pointer)> {
        let own = self.own.as_ref();
        let envelope = self.envelope.as_ref();
        let (value, own_key) = layered(own.map(|(map, _)| *map), envelope.map(|(map, _)| *map), key)?;
        let path = if own_key { own.map(|(_, path)| path) } else { envelope.map(|(_, path)| path) };
        Some((value, path.map(|path| path.key(key)).unwrap_or_default()))
    }
}

/// The rule for an object of a message layered over the same object of a batch envelope: the
/// message's own value of `key`, else the envelope's; `null` counts as absent. Gives the value
/// and whether it is the message's own.
pub fn layered<'a>(
    own: Option<&'a Map<String, Value>>,
    envelope: Option<&'a Map<String, Value>>,
    key: &str,
) -> Option<(&'a Value, bool)> {
    let present = |map: Option<&'a Map<String, Value>>| map?.get(key).filter(|value| !value.is_null());
    present(own).map(|value| (value, true)).or_else(|| present(envelope).map(|value| (value, false)))
}

/// What a valid message says, as the mapping needs it.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    /// The call type.
    pub call: CallType,
    /// The message object.
    pub message: &'a Map<String, Value>,
    /// `userId`, present and a string (numbers coerced).
    pub user_id: Option<String>,
    /// `anonymousId`, likewise.
    pub anonymous_id: Option<String>,
    /// `groupId` of a group call.
    pub group_id: Option<String>,
    /// `context.groupId` of a track call (the item's context first, then the envelope's).
    pub context_group_id: Option<String>,
    /// The event name of a track call.
    pub event: Option<String>,
    /// `messageId`.
    pub message_id: Option<String>,
    /// `traits` of identify and group.
    pub traits: Option<&'a Map<String, Value>>,
    /// `properties` of track.
    pub properties: Option<&'a Map<String, Value>>,
    /// The operation timestamp: `timestamp`, or the clock-skew corrected one, RFC 3339 UTC.
    pub timestamp: Option<String>,
    /// Set when `integrations` turns Astrolabe off.
    pub disabled: Option<Issue>,
}

/// What checking found.
#[derive(Debug, Clone)]
pub enum Checked<'a> {
    /// A call type Astrolabe does not consume: skipped without further checks.
    Unsupported(Issue),
    /// A supported call; it is valid when the report has no errors.
    Message(Box<Fields<'a>>),
}

/// Checks one message at `base` (its path in the caller's input). `hint` is the call type the
/// caller gave for HTTP single-call bodies. Returns `None` when the message cannot be read as a
/// call at all (not an object, no usable type); the report says why.
pub fn check<'a>(
    value: &'a Value,
    base: &Pointer,
    hint: Option<CallType>,
    envelope: &Envelope<'a>,
    report: &mut Report,
) -> Option<Checked<'a>> {
    let Value::Object(message) = value else {
        report.error(
            Code::InvalidType,
            base,
            format!("A message must be a JSON object, not {}.", json_type_name(value)),
        );
        return None;
    };
    let call = call_type(message, base, hint, report)?;
    if !call.is_supported() {
        return Some(Checked::Unsupported(Issue::new(
            Code::UnsupportedType,
            &base.key("type"),
            format!("Astrolabe does not support {call} calls (only identify, group and track)."),
        )));
    }
    let object = |key: &str, report: &mut Report| object_field(message, key, base, report);
    let context = object("context", report);
    let integrations = object("integrations", report);
    let (traits, properties) = match call {
        CallType::Track => (None, object("properties", report)),
        _ => (object("traits", report), None),
    };

    let user_id = id_field(message, "userId", base, report);
    let anonymous_id = id_field(message, "anonymousId", base, report);
    let has_user = user_id.is_some() || anonymous_id.is_some();
    let user_given = has_user || is_wrong_type(message, "userId") || is_wrong_type(message, "anonymousId");
    let mut fields = Fields {
        call,
        message,
        user_id,
        anonymous_id,
        group_id: None,
        context_group_id: None,
        event: None,
        message_id: message_id(message, base, report),
        traits,
        properties,
        timestamp: None,
        disabled: None,
    };
    match call {
        CallType::Identify | CallType::Track if !user_given => report.error(
            Code::MissingIdentity,
            &base.key("userId"),
            format!("{} call needs a userId or an anonymousId (a non-empty string).", with_article(call)),
        ),
        _ => {}
    }
    match call {
        CallType::Group => {
            fields.group_id = id_field(message, "groupId", base, report);
            if fields.group_id.is_none() && !is_wrong_type(message, "groupId") {
                report.error(
                    Code::MissingGroupId,
                    &base.key("groupId"),
                    "A group call needs a groupId (a non-empty string).",
                );
            }
            if !user_given {
                report.warn(
                    Code::NoUserToAssociate,
                    &base.key("userId"),
                    "This group call names no user (userId or anonymousId): the Account is upserted, but no user is associated with it.",
                );
            }
        }
        CallType::Track => {
            fields.event = event(message, base, report);
            let context = Layered {
                own: context.map(|map| (map, base.key("context"))),
                envelope: envelope.context.map(|map| (map, Pointer::root().key("context"))),
            };
            if let Some((value, path)) = context.get("groupId") {
                fields.context_group_id = read_id(Some(value), "context.groupId", &|| path.clone(), report);
            }
        }
        _ => {}
    }
    if let Some(fields_object) = fields.traits.or(fields.properties) {
        let key = if call == CallType::Track { "properties" } else { "traits" };
        reserved::check(call, fields_object, &base.key(key), report);
    }
    fields.timestamp = operation_timestamp(message, base, envelope, report);
    let integrations = Layered {
        own: integrations.map(|map| (map, base.key("integrations"))),
        envelope: envelope.integrations.map(|map| (map, Pointer::root().key("integrations"))),
    };
    fields.disabled = integrations::skip_reason(&integrations);
    Some(Checked::Message(Box::new(fields)))
}

/// "An identify", "A group", "A track": call names with their article, for sentences.
fn with_article(call: CallType) -> String {
    let article = if call.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { "A" };
    format!("{article} {call}")
}

/// The call type from `type`, or from the caller's hint for bodies without one.
fn call_type(
    message: &Map<String, Value>,
    base: &Pointer,
    hint: Option<CallType>,
    report: &mut Report,
) -> Option<CallType> {
    let path = || base.key("type");
    match message.get("type") {
        None | Some(Value::Null) => {
            if hint.is_none() {
                report.error(
                    Code::MissingType,
                    &path(),
                    "The message has no \"type\": give one (identify, group or track), or pass the call type as an option for an HTTP API body.",
                );
            }
            hint
        }
        Some(Value::String(name)) => match CallType::from_name(name) {
            Some(call) => {
                if let Some(expected) = hint.filter(|expected| *expected != call) {
                    report.error(
                        Code::TypeMismatch,
                        &path(),
                        format!(
                            "The message says it is {} call, but it was sent as {} call.",
                            with_article(call).to_lowercase(),
                            with_article(expected).to_lowercase()
                        ),
                    );
                }
                Some(call)
            }
            None => {
                report.error(
                    Code::UnknownType,
                    &path(),
                    format!(
                        "{} is not a Segment call type (identify, group, track, page, screen, alias).",
                        quote(name)
                    ),
                );
                None
            }
        },
        Some(other) => {
            report.error(
                Code::InvalidType,
                &path(),
                format!("\"type\" must be a string, not {}.", json_type_name(other)),
            );
            hint
        }
    }
}

/// An object-typed field: `null` is absent, anything else but an object is an error.
fn object_field<'a>(
    message: &'a Map<String, Value>,
    key: &str,
    base: &Pointer,
    report: &mut Report,
) -> Option<&'a Map<String, Value>> {
    match message.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map),
        Some(other) => {
            report.error(
                Code::InvalidType,
                &base.key(key),
                format!("\"{key}\" must be an object, not {}.", json_type_name(other)),
            );
            None
        }
    }
}

fn is_wrong_type(message: &Map<String, Value>, key: &str) -> bool {
    matches!(ids::read(message.get(key)), Id::WrongType(_))
}

fn id_field(message: &Map<String, Value>, key: &str, base: &Pointer, report: &mut Report) -> Option<String> {
    read_id(message.get(key), key, &|| base.key(key), report)
}

/// Reads an id, warning about a coerced number and failing a value of another type.
fn read_id(value: Option<&Value>, name: &str, path: &dyn Fn() -> Pointer, report: &mut Report) -> Option<String> {
    match ids::read(value) {
        Id::Absent => None,
        Id::Text(text) => Some(text.to_owned()),
        Id::Coerced(text) => {
            report.warn(
                Code::IdCoerced,
                &path(),
                format!("{name} is a number; it is sent as the string {}.", quote(&text)),
            );
            Some(text)
        }
        Id::WrongType(kind) => {
            report.error(Code::InvalidType, &path(), format!("{name} must be a string (or a number), not {kind}."));
            None
        }
    }
}

/// Segment de-duplicates on messageId; ids of 100 characters or more are too long for it.
fn message_id(message: &Map<String, Value>, base: &Pointer, report: &mut Report) -> Option<String> {
    let path = || base.key("messageId");
    let id = read_id(message.get("messageId"), "messageId", &path, report)?;
    let length = id.chars().count();
    if length >= 100 {
        report.warn(
            Code::MessageIdTooLong,
            &path(),
            format!("messageId has {length} characters; Segment expects fewer than 100."),
        );
    }
    Some(id)
}

fn event(message: &Map<String, Value>, base: &Pointer, report: &mut Report) -> Option<String> {
    let path = || base.key("event");
    match message.get("event") {
        Some(Value::String(name)) if !name.trim().is_empty() => Some(name.clone()),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            report.error(
                Code::MissingEvent,
                &path(),
                "A track call needs an \"event\" (a non-empty string naming the event).",
            );
            None
        }
        Some(other) => {
            report.error(
                Code::InvalidType,
                &path(),
                format!("\"event\" must be a string, not {}.", json_type_name(other)),
            );
            None
        }
    }
}

/// Checks the four timestamps and gives the operation's: `timestamp` when valid; when it is
/// absent, `receivedAt - (sentAt - originalTimestamp)` (Segment's clock-skew correction).
fn operation_timestamp(
    message: &Map<String, Value>,
    base: &Pointer,
    envelope: &Envelope<'_>,
    report: &mut Report,
) -> Option<String> {
    // `envelope` says the value came from the batch envelope: its path is then the envelope's.
    let mut read = |key: &str, value: Option<&Value>, envelope: bool| -> Option<timestamp::Millis> {
        let path = || if envelope { Pointer::root().key(key) } else { base.key(key) };
        match value {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => match timestamp::parse(text) {
                Ok(millis) => Some(millis),
                Err(why) => {
                    report.warn(
                        Code::InvalidTimestamp,
                        &path(),
                        format!("{key} {} is not an ISO-8601 date-time: {why}.", quote(text)),
                    );
                    None
                }
            },
            Some(other) => {
                report.warn(
                    Code::InvalidTimestamp,
                    &path(),
                    format!("{key} must be an ISO-8601 date-time string, not {}.", json_type_name(other)),
                );
                None
            }
        }
    };
    let timestamp = read("timestamp", message.get("timestamp"), false);
    let original = read("originalTimestamp", message.get("originalTimestamp"), false);
    let sent = match message.get("sentAt").filter(|value| !value.is_null()) {
        Some(value) => read("sentAt", Some(value), false),
        None => read("sentAt", envelope.sent_at, true),
    };
    let received = read("receivedAt", message.get("receivedAt"), false);

    let timestamp_absent = message.get("timestamp").is_none_or(Value::is_null);
    let millis = match (timestamp, original, sent, received) {
        (Some(millis), ..) => Some(millis),
        (None, Some(original), Some(sent), Some(received)) if timestamp_absent => {
            received.checked_sub(sent.checked_sub(original)?)
        }
        _ => None,
    }?;
    let formatted = timestamp::format(millis);
    if formatted.is_none() {
        report.warn(
            Code::InvalidTimestamp,
            &base.key("receivedAt"),
            "The clock-skew corrected timestamp falls outside the years 0000 to 9999.",
        );
    }
    formatted
}
