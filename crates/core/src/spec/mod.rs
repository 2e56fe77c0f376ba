//! The Segment Spec's rules (sections 2 to 7 of `segment-spec.md`): checks one message and reads
//! what the mapping needs, reporting every problem with its path.

pub(crate) mod currency;
pub mod ids;
pub(crate) mod integrations;
pub mod near_miss;
pub(crate) mod reserved;
pub mod timestamp;
pub(crate) mod view;

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::call::CallType;
use crate::issue::{Code, Issue};
use crate::outcome::Status;
use crate::pointer::Pointer;
use crate::quote::quote;
use crate::rules::{self, Level, Levels};
use ids::{json_type_name, Id};
pub use view::{Kind, Lookup, Member, Members, Message, Read};

/// What the rules below read of a message's member, declared once, next to them: the engine
/// parses exactly this into the view the rules read, and copies the rest through unread. A rule
/// that reads one more field declares it here, or the view does not hold it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reads {
    /// The whole value.
    Whole,
    /// The members of an object that `keep` names (the whole value when it is not an object,
    /// for the checks to refuse). Of a kept member that is an object or an array, the rules read
    /// what is inside only when `inside` names it; of any other, only that it is one.
    Members {
        /// The members read, by key and kind.
        keep: fn(&str, Kind) -> bool,
        /// The kept members read inside when they are objects or arrays.
        inside: fn(&str) -> bool,
    },
    /// The whole value of a key that nearly is a Segment field (`userID`): read to be reported.
    Misspelled,
    /// Nothing: unknown top-level fields are ignored (section 4).
    Nothing,
}

/// What the rules read of the top-level member `key`.
pub(crate) fn reads(key: &str) -> Reads {
    match key {
        "type" | "userId" | "anonymousId" | "groupId" | "event" | "messageId" | "timestamp" | "originalTimestamp"
        | "sentAt" | "receivedAt" => Reads::Whole,
        "context" => Reads::Members { keep: reads_of_context, inside: reads_inside_context },
        "integrations" => Reads::Members { keep: |key, _| integrations::is_read(key), inside: |_| true },
        "traits" | "properties" => {
            Reads::Members { keep: |key, _| reserved::is_read(key), inside: reserved::reads_inside }
        }
        _ if near_miss::message_field(key).is_some() => Reads::Misspelled,
        _ => Reads::Nothing,
    }
}

/// What the rules read of a message's or a batch envelope's `context`: the account link, whole,
/// and the members the rules of [`rules`] read (by key and kind).
pub(crate) fn reads_of_context(key: &str, kind: Kind) -> bool {
    reads_inside_context(key) || rules::reads_context(key, kind)
}

/// The members of `context` the rules read whole, not only what kind of value they are.
pub(crate) fn reads_inside_context(key: &str) -> bool {
    key == "groupId"
}

/// Whether an object with these keys is a batch envelope: it has `batch` and no `type`
/// (section 2).
pub(crate) fn is_envelope(keys: impl IntoIterator<Item = impl AsRef<str>>) -> bool {
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
    /// Strict mode: every warning is an error, so nothing a warning's effect describes happens.
    pub strict: bool,
    /// The level users set each rule to (`rules`): an issue goes where its rule's level says.
    pub levels: Levels,
}

impl Report {
    /// An empty report; `strict` makes every warning an error, after `levels`.
    pub fn new(strict: bool, levels: &Levels) -> Report {
        Report { strict, levels: *levels, ..Report::default() }
    }

    /// Where an issue of `code` goes: its rule's level as users set it, else `default`.
    #[cfg_attr(feature = "speed", inline(always))]
    fn level(&self, code: Code, default: Level) -> Level {
        self.levels.get(code).unwrap_or(default)
    }

    /// Records an issue made with [`Issue::new`] (and a hint) as an error.
    pub fn add_error(&mut self, issue: Issue) {
        self.add(issue, Level::Error);
    }

    /// Records an issue as a warning.
    pub fn add_warning(&mut self, issue: Issue) {
        self.add(issue, Level::Warning);
    }

    /// Records an issue at its rule's level, `default` unless users set one.
    fn add(&mut self, issue: Issue, default: Level) {
        match self.level(issue.code, default) {
            Level::Off => {}
            Level::Warning => self.warnings.push(issue),
            Level::Error => self.errors.push(issue),
        }
    }

    /// Records a warning whose message ends by saying what happens to the message (`effect`,
    /// such as "It is sent as the string \"42\"."). When the warning is an error (strict mode, or
    /// its rule set to `error`) nothing is sent, so the effect is left out: a message never
    /// describes what did not happen.
    pub fn warn_with_effect(&mut self, mut issue: Issue, effect: &str) {
        if !self.strict && self.level(issue.code, Level::Warning) == Level::Warning {
            issue.message.push(' ');
            issue.message.push_str(effect);
        }
        self.add_warning(issue);
    }

    /// Records an error.
    pub fn error(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.add_error(Issue::new(code, path, message));
    }

    /// Records a warning.
    pub fn warn(&mut self, code: Code, path: &Pointer, message: impl Into<String>) {
        self.add_warning(Issue::new(code, path, message));
    }

    /// Strict mode: every warning becomes an error.
    pub fn make_strict(&mut self) {
        self.errors.append(&mut self.warnings);
    }

    /// The status of a checked message: errors win over skipping (`skip`, the reason it is not
    /// for Astrolabe); in strict mode warnings are errors. Gives the reason when it is skipped.
    pub fn settle(&mut self, skip: Option<Issue>) -> (Status, Option<Issue>) {
        if self.strict {
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
    /// The personal data found in the envelope's `context` (`privacy`), reported on each item.
    pub privacy: &'a [crate::privacy::Found],
}

/// An object of the message layered over the same object of the envelope: reading a key gives
/// the item's own value when it has one, else the envelope's, with the path where it was found.
#[derive(Clone, Copy)]
pub struct Layered<'a> {
    /// The object's name in both (`context`, `integrations`).
    pub name: &'static str,
    /// The message's own object.
    pub own: Option<&'a dyn Lookup>,
    /// The message's path: the own object is at `base/name` (the envelope's at `/name`).
    pub base: &'a Pointer,
    /// The envelope's object.
    pub envelope: Option<&'a dyn Lookup>,
}

impl<'a> Layered<'a> {
    /// The value of `key` and where it was found; `null` counts as absent.
    pub fn get<'k>(&self, key: &'k str) -> Option<(&'a Value, Found<'a, 'k>)> {
        let (value, own) = layered(self.own, self.envelope, key)?;
        Some((value, Found { base: self.base, name: self.name, key, own }))
    }

    /// Calls `visit` with each member, its value and where it was found: the message's own, then
    /// the envelope's the message lacks; `null` ones count as absent.
    pub fn each(&self, visit: &mut dyn FnMut(&str, &Value, Found<'_, '_>)) {
        if let Some(own) = self.own {
            own.each(&mut |key, value| {
                if !value.is_null() {
                    visit(key, value, Found { base: self.base, name: self.name, key, own: true });
                }
            });
        }
        if let Some(envelope) = self.envelope {
            envelope.each(&mut |key, value| {
                let shadowed = self.own.and_then(|own| own.get(key)).is_some_and(|own| !own.is_null());
                if !value.is_null() && !shadowed {
                    visit(key, value, Found { base: self.base, name: self.name, key, own: false });
                }
            });
        }
    }
}

/// Where a [`Layered`] value was found. Its path is made when asked: only an issue needs one, and
/// most values read this way (`integrations.All: true`, a string `context.groupId`) make none.
#[derive(Clone, Copy)]
pub struct Found<'a, 'k> {
    base: &'a Pointer,
    name: &'static str,
    key: &'k str,
    /// In the message's own object, not the envelope's.
    own: bool,
}

impl Found<'_, '_> {
    /// The value's path: `base/name/key` in the message's own object, `/name/key` in the
    /// envelope's.
    pub fn path(&self) -> Pointer {
        let object = if self.own { self.base.key(self.name) } else { Pointer::root().key(self.name) };
        object.key(self.key)
    }
}

/// The rule for an object of a message layered over the same object of a batch envelope: the
/// message's own value of `key`, else the envelope's; `null` counts as absent. Gives the value
/// and whether it is the message's own.
pub fn layered<'a>(
    own: Option<&'a dyn Lookup>,
    envelope: Option<&'a dyn Lookup>,
    key: &str,
) -> Option<(&'a Value, bool)> {
    let present = |map: Option<&'a dyn Lookup>| map?.get(key).filter(|value| !value.is_null());
    present(own).map(|value| (value, true)).or_else(|| present(envelope).map(|value| (value, false)))
}

/// What a valid message says, as the mapping needs it.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    /// The call type.
    pub call: CallType,
    /// `userId`, present and a string (numbers coerced).
    pub user_id: Option<Cow<'a, str>>,
    /// `anonymousId`, likewise.
    pub anonymous_id: Option<Cow<'a, str>>,
    /// `groupId` of a group call.
    pub group_id: Option<Cow<'a, str>>,
    /// `context.groupId` of a track call (the item's context first, then the envelope's).
    pub context_group_id: Option<Cow<'a, str>>,
    /// The event name of a track call.
    pub event: Option<Cow<'a, str>>,
    /// `messageId`.
    pub message_id: Option<Cow<'a, str>>,
    /// `traits` of identify and group, when the message was parsed whole (the engine copies
    /// them from the text).
    pub traits: Option<&'a Map<String, Value>>,
    /// `properties` of track, likewise.
    pub properties: Option<&'a Map<String, Value>>,
    /// The operation timestamp: `timestamp`, or the clock-skew corrected one, RFC 3339 UTC.
    pub timestamp: Option<Cow<'a, str>>,
    /// Set when `integrations` turns Astrolabe off.
    pub disabled: Option<Issue>,
}

/// What checking found.
// Not boxed: checking is once per message, and a box was an allocation per message.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub(crate) enum Checked<'a> {
    /// A call type Astrolabe does not consume: skipped without further checks.
    Unsupported(Issue),
    /// A supported call; it is valid when the report has no errors.
    Message(Fields<'a>),
}

/// The view of one parsed message at `base` (its path in the caller's input), for [`check`], or
/// an error when it is not an object.
pub(crate) fn view_of<'a>(value: &'a Value, base: &Pointer, report: &mut Report) -> Option<Message<'a>> {
    match value {
        Value::Object(map) => Some(Message::borrow(map)),
        other => {
            not_an_object(other, base, report);
            None
        }
    }
}

/// The error for a message that is not a JSON object.
pub(crate) fn not_an_object(value: &Value, base: &Pointer, report: &mut Report) {
    report.error(Code::InvalidType, base, format!("A message must be a JSON object, not {}.", json_type_name(value)));
}

/// Checks one message at `base` (its path in the caller's input). `hint` is the call type the
/// caller gave for HTTP single-call bodies. Returns `None` when the message cannot be read as a
/// call at all (no usable type); the report says why.
pub(crate) fn check<'m>(
    message: &'m Message<'_>,
    base: &Pointer,
    hint: Option<CallType>,
    envelope: &Envelope<'_>,
    report: &mut Report,
) -> Option<Checked<'m>> {
    let call = call_type(message, base, hint, report)?;
    // Near-miss keys an error below names in its hint, so they are not told twice.
    let mut renamed: Vec<&str> = Vec::new();
    if !call.is_supported() {
        return Some(Checked::Unsupported(Issue::new(
            Code::UnsupportedType,
            &base.key("type"),
            format!("Astrolabe does not support {call} calls (only identify, group and track)."),
        )));
    }
    let object = |key: &str, report: &mut Report| object_field(message, key, base, report);
    let own_context = object("context", report);
    let context = Layered {
        name: "context",
        own: own_context.as_deref().map(|own| own as &dyn Lookup),
        base,
        envelope: envelope.context.map(|map| map as &dyn Lookup),
    };
    let integrations = object("integrations", report);
    let body_key = if call == CallType::Track { "properties" } else { "traits" };
    let body = object(body_key, report);
    let whole_body = body.as_ref().and_then(|body| body.whole());
    let (traits, properties) = if call == CallType::Track { (None, whole_body) } else { (whole_body, None) };

    let user_id = id_field(message, "userId", base, report);
    let anonymous_id = id_field(message, "anonymousId", base, report);
    let has_user = user_id.is_some() || anonymous_id.is_some();
    let user_given = has_user || is_wrong_type(message, "userId") || is_wrong_type(message, "anonymousId");
    let mut fields = Fields {
        call,
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
        CallType::Identify | CallType::Track if !user_given => {
            let near = near_miss_of(message, &["userId", "anonymousId"]);
            renamed.extend(near.map(|(key, _)| key));
            report.add_error(
                Issue::new(
                    Code::MissingIdentity,
                    &base.key("userId"),
                    format!(
                        "{} call needs a userId or an anonymousId (a string that is not blank).",
                        with_article(call)
                    ),
                )
                .with_hint(near.map(rename)),
            );
        }
        _ => {}
    }
    match call {
        CallType::Group => {
            fields.group_id = id_field(message, "groupId", base, report);
            if fields.group_id.is_none() && !is_wrong_type(message, "groupId") {
                let near = near_miss_of(message, &["groupId"]);
                renamed.extend(near.map(|(key, _)| key));
                report.add_error(
                    Issue::new(
                        Code::MissingGroupId,
                        &base.key("groupId"),
                        "A group call needs a groupId (a string that is not blank).",
                    )
                    .with_hint(near.map(rename)),
                );
            }
            if !user_given {
                let near = near_miss_of(message, &["userId", "anonymousId"]);
                renamed.extend(near.map(|(key, _)| key));
                let hint =
                    near.map_or_else(|| String::from("add the userId of a user who belongs to this group"), rename);
                report.warn_with_effect(
                    Issue::new(
                        Code::NoUserToAssociate,
                        &base.key("userId"),
                        "This group call names no user (userId or anonymousId), so no user is associated with the Account.",
                    )
                    .with_hint(hint),
                    "The Account is upserted.",
                );
            }
            misplaced(message, "properties", call, base, report);
        }
        CallType::Track => {
            fields.event = event(message, base, report, &mut renamed);
            misplaced(message, "traits", call, base, report);
            if let Some((value, found)) = context.get("groupId") {
                fields.context_group_id = read_id(Some(Read::of(value)), "context.groupId", &|| found.path(), report)
                    .map(|id| Cow::Owned(id.into_owned()));
            }
        }
        CallType::Identify => misplaced(message, "properties", call, base, report),
        _ => {}
    }
    near_miss_keys(message, base, &renamed, report);
    if let Some(body) = &body {
        reserved::check(call, body, &|| base.key(body_key), report);
    }
    fields.timestamp = operation_timestamp(message, base, envelope, report);
    let integrations = Layered {
        name: "integrations",
        own: integrations.as_deref().map(|own| own as &dyn Lookup),
        base,
        envelope: envelope.integrations.map(|map| map as &dyn Lookup),
    };
    fields.disabled = integrations::skip_reason(&integrations);
    let checked = rules::Context { message, call, base, context };
    for check in rules::checks() {
        check(&checked, report);
    }
    Some(Checked::Message(fields))
}

/// The first key of `message` that is a near miss of one of `fields` (absent themselves): the key
/// and the field.
fn near_miss_of<'m>(message: &'m Message<'_>, fields: &[&'static str]) -> Option<(&'m str, &'static str)> {
    if !message.misspelled() {
        return None;
    }
    message.iter().filter(|(_, member)| !member.is_null()).find_map(|(key, _)| {
        let field = near_miss::message_field(key)?;
        fields.contains(&field).then_some((key, field))
    })
}

/// The hint for a near miss: `rename "userID" to "userId"`.
fn rename((key, field): (&str, &str)) -> String {
    format!("rename {} to \"{field}\"", quote(key))
}

/// Warns about each top-level key that nearly is a Segment field the message lacks (`userID`
/// for `userId`), but for those an error's hint already renames.
fn near_miss_keys(message: &Message<'_>, base: &Pointer, renamed: &[&str], report: &mut Report) {
    if !message.misspelled() {
        return;
    }
    for (key, member) in message.iter() {
        let Some(field) = near_miss::message_field(key) else { continue };
        if member.is_null() || renamed.contains(&key) || message.has(field) {
            continue;
        }
        report.warn_with_effect(
            Issue::new(
                Code::NearMissKey,
                &base.key(key),
                format!("{} is not a Segment field, but it looks like \"{field}\".", quote(key)),
            )
            .with_hint(rename((key, field))),
            &format!("It is ignored, so the message has no {field}."),
        );
    }
}

/// Warns about a field that belongs to another call: `properties` on identify or group, `traits`
/// at the top of a track call (its user's traits go in `context.traits`).
fn misplaced(message: &Message<'_>, key: &str, call: CallType, base: &Pointer, report: &mut Report) {
    if !message.has(key) {
        return;
    }
    let (belongs, hint) = if call == CallType::Track {
        ("a track call carries the user's traits in context.traits", "move traits into context.traits")
    } else {
        ("it carries its data in traits", "move these properties into traits")
    };
    report.add_warning(
        Issue::new(
            Code::MisplacedField,
            &base.key(key),
            format!("{} call has no top-level \"{key}\", so they are not sent: {belongs}.", with_article(call)),
        )
        .with_hint(String::from(hint)),
    );
}

/// "An identify", "A group", "A track": call names with their article, for sentences.
fn with_article(call: CallType) -> String {
    let article = if call.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { "A" };
    format!("{article} {call}")
}

/// The call type from `type`, or from the caller's hint for bodies without one.
fn call_type(message: &Message<'_>, base: &Pointer, hint: Option<CallType>, report: &mut Report) -> Option<CallType> {
    let path = || base.key("type");
    match message.get("type") {
        None | Some(Read::Null) => {
            if hint.is_none() {
                report.add_error(
                    Issue::new(
                        Code::MissingType,
                        &path(),
                        "The message has no \"type\": give one (identify, group or track), or pass the call type as an option for an HTTP API body.",
                    )
                    .with_hint(type_hint(message)),
                );
            }
            hint
        }
        // Blank counts as absent, as it does for ids and events.
        Some(Read::Text(name)) if ids::is_blank(name) => {
            if hint.is_none() {
                report.add_error(
                    Issue::new(
                        Code::MissingType,
                        &path(),
                        "The message's \"type\" is blank: give one (identify, group or track), or pass the call type as an option for an HTTP API body.",
                    )
                    .with_hint(type_hint(message)),
                );
            }
            hint
        }
        Some(Read::Text(name)) => match CallType::from_name(name) {
            Some(call) => {
                if let Some(expected) = hint.filter(|expected| *expected != call) {
                    report.add_error(
                        Issue::new(
                            Code::TypeMismatch,
                            &path(),
                            format!(
                                "The message says it is {} call, but it was sent as {} call.",
                                with_article(call).to_lowercase(),
                                with_article(expected).to_lowercase()
                            ),
                        )
                        .with_hint(format!(
                            "send it as {} call, or set \"type\" to \"{expected}\"",
                            with_article(call).to_lowercase()
                        )),
                    );
                }
                Some(call)
            }
            None => {
                let names = CallType::ALL.iter().map(|call| call.as_str());
                let hint = near_miss::did_you_mean(name, names);
                report.add_error(
                    Issue::new(
                        Code::UnknownType,
                        &path(),
                        format!(
                            "{} is not a Segment call type (identify, group, track, page, screen, alias, delete).",
                            quote(name)
                        ),
                    )
                    .with_hint(hint),
                );
                None
            }
        },
        Some(other) => {
            report.error(Code::InvalidType, &path(), format!("\"type\" must be a string, not {}.", other.type_name()));
            hint
        }
    }
}

/// What a message without a type most likely is: `type` under another spelling, else what its
/// fields say (an event is a track call, a groupId a group call, traits an identify call).
fn type_hint(message: &Message<'_>) -> Option<String> {
    if let Some(near) = near_miss_of(message, &["type"]) {
        return Some(rename(near));
    }
    let has = |key: &str| message.has(key);
    let (call, because) = if has("event") {
        ("track", "it has an event")
    } else if has("groupId") {
        ("group", "it has a groupId")
    } else if has("traits") {
        ("identify", "it has traits")
    } else {
        return None;
    };
    Some(format!("add \"type\": \"{call}\", since {because}"))
}

/// An object-typed field: `null` is absent, anything else but an object is an error.
fn object_field<'m, 'a>(
    message: &'m Message<'a>,
    key: &str,
    base: &Pointer,
    report: &mut Report,
) -> Option<Cow<'m, Members<'a>>> {
    let member = message.member(key).filter(|member| !member.is_null())?;
    match (member.object(), member.read()) {
        (Some(members), _) => Some(members),
        (None, None) => None,
        (None, Some(other)) => {
            report.error(
                Code::InvalidType,
                &base.key(key),
                format!("\"{key}\" must be an object, not {}.", other.type_name()),
            );
            None
        }
    }
}

fn is_wrong_type(message: &Message<'_>, key: &str) -> bool {
    matches!(ids::read_of(message.get(key)), Id::WrongType(_))
}

fn id_field<'m>(message: &'m Message<'_>, key: &str, base: &Pointer, report: &mut Report) -> Option<Cow<'m, str>> {
    read_id(message.get(key), key, &|| base.key(key), report)
}

/// Reads an id, warning about a coerced number and failing a value of another type.
fn read_id<'v>(
    value: Option<Read<'v>>,
    name: &str,
    path: &dyn Fn() -> Pointer,
    report: &mut Report,
) -> Option<Cow<'v, str>> {
    match ids::read_of(value) {
        Id::Absent => None,
        Id::Text(text) => Some(Cow::Borrowed(text)),
        Id::Coerced(text) => {
            report.warn_with_effect(
                Issue::new(Code::IdCoerced, &path(), format!("{name} is the number {text}, not a string."))
                    .with_hint(format!("send {name} as the string {}", quote(&text))),
                &format!("It is sent as the string {}.", quote(&text)),
            );
            Some(Cow::Owned(text))
        }
        Id::WrongType(kind) => {
            report.error(Code::InvalidType, &path(), format!("{name} must be a string (or a number), not {kind}."));
            None
        }
    }
}

/// Segment de-duplicates on messageId; ids of 100 characters or more are too long for it.
fn message_id<'m>(message: &'m Message<'_>, base: &Pointer, report: &mut Report) -> Option<Cow<'m, str>> {
    let path = || base.key("messageId");
    if let Some(Read::Text(blank)) =
        message.get("messageId").filter(|id| matches!(id, Read::Text(id) if ids::is_blank(id)))
    {
        let what = if blank.is_empty() { "empty" } else { "blank" };
        report.warn_with_effect(
            Issue::new(
                Code::MessageIdBlank,
                &path(),
                format!("messageId is {what}, so retries of this message cannot be told apart."),
            )
            .with_hint(String::from("send a unique messageId, such as a UUID, or leave it out")),
            "The message is sent without one.",
        );
        return None;
    }
    let id = read_id(message.get("messageId"), "messageId", &path, report)?;
    // Characters, not bytes; fewer than 100 bytes is fewer than 100 characters.
    let length = if id.len() < 100 { 0 } else { id.chars().count() };
    if length >= 100 {
        report.add_warning(
            Issue::new(
                Code::MessageIdTooLong,
                &path(),
                format!("messageId has {length} characters; Segment expects fewer than 100."),
            )
            .with_hint(String::from("send a shorter messageId, such as a UUID (36 characters)")),
        );
    }
    Some(id)
}

fn event<'m>(
    message: &'m Message<'_>,
    base: &Pointer,
    report: &mut Report,
    renamed: &mut Vec<&'m str>,
) -> Option<Cow<'m, str>> {
    let path = || base.key("event");
    match message.get("event") {
        Some(Read::Text(name)) if !ids::is_blank(name) => Some(Cow::Borrowed(name)),
        None | Some(Read::Null) | Some(Read::Text(_)) => {
            let near = near_miss_of(message, &["event"]);
            renamed.extend(near.map(|(key, _)| key));
            report.add_error(
                Issue::new(
                    Code::MissingEvent,
                    &path(),
                    "A track call needs an \"event\" (a string that is not blank, naming the event).",
                )
                .with_hint(near.map(rename)),
            );
            None
        }
        Some(other) => {
            report.error(Code::InvalidType, &path(), format!("\"event\" must be a string, not {}.", other.type_name()));
            None
        }
    }
}

/// `send timestamp as "2024-12-05T12:00:00.000Z"`, when the value has an ISO-8601 form.
fn timestamp_hint(key: &str, value: Read<'_>) -> Option<String> {
    timestamp::suggest(&value.to_value()).map(|iso| format!("send {key} as {}", quote(&iso)))
}

/// Checks the four timestamps and gives the operation's: `timestamp` when valid; when it is
/// absent, `receivedAt - (sentAt - originalTimestamp)` (Segment's clock-skew correction).
fn operation_timestamp<'m>(
    message: &'m Message<'_>,
    base: &Pointer,
    envelope: &Envelope<'_>,
    report: &mut Report,
) -> Option<Cow<'m, str>> {
    // `envelope` says the value came from the batch envelope: its path is then the envelope's.
    let mut read = |key: &str, value: Option<Read<'_>>, envelope: bool| -> Option<timestamp::Millis> {
        let path = || if envelope { Pointer::root().key(key) } else { base.key(key) };
        match value {
            None | Some(Read::Null) => None,
            Some(Read::Text(text)) => match timestamp::parse(text) {
                Ok(millis) => Some(millis),
                Err(why) => {
                    report.add_warning(
                        Issue::new(
                            Code::InvalidTimestamp,
                            &path(),
                            format!("{key} {} is not an ISO-8601 date-time: {why}.", quote(text)),
                        )
                        .with_hint(timestamp_hint(key, Read::Text(text))),
                    );
                    None
                }
            },
            Some(other) => {
                report.add_warning(
                    Issue::new(
                        Code::InvalidTimestamp,
                        &path(),
                        format!("{key} must be an ISO-8601 date-time string, not {}.", other.type_name()),
                    )
                    .with_hint(timestamp_hint(key, other)),
                );
                None
            }
        }
    };
    let timestamp = read("timestamp", message.get("timestamp"), false);
    let original = read("originalTimestamp", message.get("originalTimestamp"), false);
    let sent = match message.get("sentAt").filter(|value| *value != Read::Null) {
        Some(value) => read("sentAt", Some(value), false),
        None => read("sentAt", envelope.sent_at.map(Read::of), true),
    };
    let received = read("receivedAt", message.get("receivedAt"), false);

    let timestamp_absent = !message.has("timestamp");
    // Most senders write a valid `timestamp` as it is sent on: it is not written again.
    if let (Some(_), Some(Read::Text(text))) = (timestamp, message.get("timestamp")) {
        if timestamp::is_canonical(text) {
            return Some(Cow::Borrowed(text));
        }
    }
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
    formatted.map(Cow::Owned)
}
