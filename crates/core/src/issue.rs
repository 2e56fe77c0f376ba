//! Problems found in a message: a stable code, a JSON Pointer into the caller's input, a sentence.

use serde::{Serialize, Serializer};
use std::fmt;

use crate::pointer::Pointer;

/// What kind of problem an [`Issue`] reports. The snake_case names are the public contract: the
/// same words appear in Rust, in the JS package and in the README's table of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    // Input text and limits.
    /// The input is not JSON text (with line and column), or not UTF-8.
    InvalidJson,
    /// A JS value that JSON cannot carry (`NaN`, `Infinity`, `BigInt`, a function, a symbol,
    /// `undefined` in an array).
    NotJson,
    /// One message is over 32 KB serialized.
    TooLarge,
    /// A batch is over 500 KB.
    BatchTooLarge,
    /// A batch has more than 2,500 items.
    BatchTooMany,
    /// JSON nested deeper than 64 levels.
    TooDeep,
    /// A batch envelope that is not `{"batch": [...]}` with object `context`/`integrations`.
    InvalidBatch,

    // The call type.
    /// No `type` in the message and none given by the caller.
    MissingType,
    /// `type` is a string but not a Segment call type.
    UnknownType,
    /// The message's `type` disagrees with the type the caller gave.
    TypeMismatch,

    // Fields.
    /// A field has the wrong JSON type (`traits` that is not an object, a boolean `userId`, ...).
    InvalidType,
    /// `identify` or `track` without `userId` and `anonymousId`.
    MissingIdentity,
    /// `group` without `groupId`.
    MissingGroupId,
    /// `track` without a non-empty `event`.
    MissingEvent,
    /// A timestamp that is not ISO-8601 (warning; an error in strict mode).
    InvalidTimestamp,
    /// A numeric id turned into a string (warning).
    IdCoerced,
    /// `messageId` of 100 characters or more (warning).
    MessageIdTooLong,
    /// A reserved trait or property whose value has the wrong shape (warning).
    ReservedTraitType,
    /// A `group` call that names no user: no `associateUser` is emitted (warning).
    NoUserToAssociate,
    /// A blank `messageId`: the message has none, so retries cannot be told apart (warning).
    MessageIdBlank,
    /// A top-level key that is a Segment field but for case or separators (`userID`,
    /// `anonymous_id`, `Event`): it is ignored (warning).
    NearMissKey,
    /// A trait or property that is a reserved one but for case or separators (`firstname`,
    /// `e-mail`, `created_at`) (warning).
    NearMissReserved,
    /// A field that belongs to another call: `properties` on identify or group, top-level
    /// `traits` on track. It is not sent (warning).
    MisplacedField,

    // Skip reasons.
    /// `page`, `screen`, `alias`, `delete`: not supported by Astrolabe.
    UnsupportedType,
    /// `integrations` turns Astrolabe off for this message.
    DisabledByIntegrations,

    // Custom mappings and tracking plans.
    /// A custom mapping failed on this message, or left an operation without a required field.
    MappingFailed,
    /// The message breaks a rule of the tracking plan.
    PlanViolation,
    /// A `track` event the tracking plan does not list.
    UnplannedEvent,
    /// A property the tracking plan does not name, dropped from the operation (warning).
    UnplannedProperty,

    // The edge handler's own answers (`astrolabe-segment/edge`): about the request, not the message.
    /// No valid write key (HTTP Basic user name, or `writeKey` in the body).
    Unauthorized,
    /// A delivery to `/webhook` without a valid `X-Signature` (Segment's Webhooks destination).
    InvalidSignature,
    /// The request's `Origin` is not in `ALLOWED_ORIGINS`.
    OriginNotAllowed,
    /// The body did not arrive within the handler's deadline (a 408).
    BodyTimeout,
    /// Acknowledged and not forwarded: analytics.js's own metrics.
    NotForwarded,
    /// A message without `messageId` nor `timestamp`, whose id the handler derived from its
    /// content (warning).
    MessageIdDerived,
}

impl Code {
    /// Every code, in the order of the README's table.
    pub const ALL: &'static [Code] = &[
        Code::InvalidJson,
        Code::NotJson,
        Code::TooLarge,
        Code::BatchTooLarge,
        Code::BatchTooMany,
        Code::TooDeep,
        Code::InvalidBatch,
        Code::MissingType,
        Code::UnknownType,
        Code::TypeMismatch,
        Code::InvalidType,
        Code::MissingIdentity,
        Code::MissingGroupId,
        Code::MissingEvent,
        Code::InvalidTimestamp,
        Code::IdCoerced,
        Code::MessageIdTooLong,
        Code::ReservedTraitType,
        Code::NoUserToAssociate,
        Code::MessageIdBlank,
        Code::NearMissKey,
        Code::NearMissReserved,
        Code::MisplacedField,
        Code::UnsupportedType,
        Code::DisabledByIntegrations,
        Code::MappingFailed,
        Code::PlanViolation,
        Code::UnplannedEvent,
        Code::UnplannedProperty,
        Code::Unauthorized,
        Code::InvalidSignature,
        Code::OriginNotAllowed,
        Code::BodyTimeout,
        Code::NotForwarded,
        Code::MessageIdDerived,
    ];

    /// The stable snake_case name.
    ///
    /// ```
    /// use astrolabe_segment_core::Code;
    /// assert_eq!(Code::MissingIdentity.as_str(), "missing_identity");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "invalid_json",
            Code::NotJson => "not_json",
            Code::TooLarge => "too_large",
            Code::BatchTooLarge => "batch_too_large",
            Code::BatchTooMany => "batch_too_many",
            Code::TooDeep => "too_deep",
            Code::InvalidBatch => "invalid_batch",
            Code::MissingType => "missing_type",
            Code::UnknownType => "unknown_type",
            Code::TypeMismatch => "type_mismatch",
            Code::InvalidType => "invalid_type",
            Code::MissingIdentity => "missing_identity",
            Code::MissingGroupId => "missing_group_id",
            Code::MissingEvent => "missing_event",
            Code::InvalidTimestamp => "invalid_timestamp",
            Code::IdCoerced => "id_coerced",
            Code::MessageIdTooLong => "message_id_too_long",
            Code::ReservedTraitType => "reserved_trait_type",
            Code::NoUserToAssociate => "no_user_to_associate",
            Code::MessageIdBlank => "message_id_blank",
            Code::NearMissKey => "near_miss_key",
            Code::NearMissReserved => "near_miss_reserved",
            Code::MisplacedField => "misplaced_field",
            Code::UnsupportedType => "unsupported_type",
            Code::DisabledByIntegrations => "disabled_by_integrations",
            Code::MappingFailed => "mapping_failed",
            Code::PlanViolation => "plan_violation",
            Code::UnplannedEvent => "unplanned_event",
            Code::UnplannedProperty => "unplanned_property",
            Code::Unauthorized => "unauthorized",
            Code::InvalidSignature => "invalid_signature",
            Code::OriginNotAllowed => "origin_not_allowed",
            Code::BodyTimeout => "body_timeout",
            Code::NotForwarded => "not_forwarded",
            Code::MessageIdDerived => "message_id_derived",
        }
    }

    /// The code with this snake_case name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem: `{code, path, message, hint?}`.
///
/// `path` is an RFC 6901 JSON Pointer into the input as the caller gave it (`""` for the whole
/// input, `/batch/3/traits/email` for a trait of the fourth batch item). `hint`, where a fix can
/// be named, says what to send instead, in a short imperative sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The stable code.
    pub code: Code,
    /// Where in the input.
    pub path: String,
    /// One sentence a person understands.
    pub message: String,
    /// How to fix it, with the value to use, when it can be named ("rename \"userID\" to
    /// \"userId\"").
    pub hint: Option<String>,
}

impl Issue {
    /// An issue at `path`.
    pub fn new(code: Code, path: &Pointer, message: impl Into<String>) -> Issue {
        Issue { code, path: path.as_str().to_owned(), message: message.into(), hint: None }
    }

    /// This issue with a hint, or without one when `hint` is `None`.
    ///
    /// ```
    /// use astrolabe_segment_core::{Code, Issue, Pointer};
    /// let issue = Issue::new(Code::IdCoerced, &Pointer::root().key("userId"), "userId is a number.")
    ///     .with_hint(String::from("send userId as the string \"42\""));
    /// assert_eq!(issue.to_json(), r#"{"code":"id_coerced","path":"/userId","message":"userId is a number.","hint":"send userId as the string \"42\""}"#);
    /// ```
    pub fn with_hint(mut self, hint: impl Into<Option<String>>) -> Issue {
        self.hint = hint.into();
        self
    }

    /// The JSON text of this issue: `{"code":...,"path":...,"message":...,"hint":...}` (no
    /// `hint` when there is none).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        crate::write::issue(&mut out, self);
        out
    }
}

crate::write::serialize_as_written!(Issue);

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(root)" } else { &self.path };
        write!(f, "{} at {}: {}", self.code, path, self.message)?;
        match &self.hint {
            Some(hint) => write!(f, " (hint: {hint})"),
            None => Ok(()),
        }
    }
}
