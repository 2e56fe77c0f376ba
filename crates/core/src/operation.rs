//! The Astrolabe operations a message becomes (the spec's section 8).

use serde_json::{Map, Value};

use crate::call::CallType;
use crate::write::{self, Body, Parts};

/// One Astrolabe operation. Serialized as a JSON object whose `op` key names it; absent fields
/// are left out, never `null`.
///
/// ```
/// use astrolabe_segment_core::{Operation, UpsertAccount};
/// let op = Operation::UpsertAccount(UpsertAccount {
///     group_id: "0e8c78ea9d97a7b8185e8632".into(),
///     traits: serde_json::from_str(r#"{"name":"Initech","total billed":830}"#).unwrap(),
///     timestamp: None,
///     message_id: None,
/// });
/// assert_eq!(
///     serde_json::to_string(&op).unwrap(),
///     r#"{"op":"upsertAccount","groupId":"0e8c78ea9d97a7b8185e8632","traits":{"name":"Initech","total billed":830}}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Create the User, or update its traits.
    UpsertUser(UpsertUser),
    /// Create or update the Account.
    UpsertAccount(UpsertAccount),
    /// Associate a User with an Account.
    AssociateUser(AssociateUser),
    /// Record an event.
    TrackEvent(TrackEvent),
}

impl Operation {
    /// The operation's name as it appears in `op`.
    pub const fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Its kind.
    pub const fn kind(&self) -> OperationKind {
        match self {
            Operation::UpsertUser(_) => OperationKind::UpsertUser,
            Operation::UpsertAccount(_) => OperationKind::UpsertAccount,
            Operation::AssociateUser(_) => OperationKind::AssociateUser,
            Operation::TrackEvent(_) => OperationKind::TrackEvent,
        }
    }

    /// What it holds, borrowed, for the writer.
    pub fn parts(&self) -> Parts<'_> {
        let mut parts = Parts {
            kind: self.kind(),
            group_id: None,
            event: None,
            user_id: None,
            anonymous_id: None,
            body: Body::Empty,
            timestamp: None,
            message_id: None,
        };
        match self {
            Operation::UpsertUser(op) => {
                parts.user_id = op.user_id.as_deref();
                parts.anonymous_id = op.anonymous_id.as_deref();
                parts.body = Body::Map(&op.traits);
                parts.timestamp = op.timestamp.as_deref();
                parts.message_id = op.message_id.as_deref();
            }
            Operation::UpsertAccount(op) => {
                parts.group_id = Some(&op.group_id);
                parts.body = Body::Map(&op.traits);
                parts.timestamp = op.timestamp.as_deref();
                parts.message_id = op.message_id.as_deref();
            }
            Operation::AssociateUser(op) => {
                parts.group_id = Some(&op.group_id);
                parts.user_id = op.user_id.as_deref();
                parts.anonymous_id = op.anonymous_id.as_deref();
            }
            Operation::TrackEvent(op) => {
                parts.event = Some(&op.event);
                parts.user_id = op.user_id.as_deref();
                parts.anonymous_id = op.anonymous_id.as_deref();
                parts.group_id = op.group_id.as_deref();
                parts.body = Body::Map(&op.properties);
                parts.timestamp = op.timestamp.as_deref();
                parts.message_id = op.message_id.as_deref();
            }
        }
        parts
    }

    /// Drops `keys` from its traits or properties (the keys a tracking plan refused).
    pub fn drop_keys(&mut self, keys: &[String]) {
        let fields = match self {
            Operation::UpsertUser(op) => &mut op.traits,
            Operation::UpsertAccount(op) => &mut op.traits,
            Operation::TrackEvent(op) => &mut op.properties,
            Operation::AssociateUser(_) => return,
        };
        for key in keys {
            fields.shift_remove(key);
        }
    }

    /// The JSON text of this operation, as `write::operation` lays it out.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write::operation(&mut out, &self.parts());
        out
    }
}

write::serialize_as_written!(Operation);

/// `upsertUser`, from `identify`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertUser {
    /// The user's id, when the message has one.
    pub user_id: Option<String>,
    /// The anonymous id, when the message has one.
    pub anonymous_id: Option<String>,
    /// The traits as sent (`{}` when none).
    pub traits: Map<String, Value>,
    /// RFC 3339 UTC with milliseconds.
    pub timestamp: Option<String>,
    /// The message id, for de-duplication.
    pub message_id: Option<String>,
}

/// `upsertAccount`, from `group`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertAccount {
    /// The account's id.
    pub group_id: String,
    /// The group traits as sent (`{}` when none).
    pub traits: Map<String, Value>,
    /// RFC 3339 UTC with milliseconds.
    pub timestamp: Option<String>,
    /// The message id, for de-duplication.
    pub message_id: Option<String>,
}

/// `associateUser`, from a `group` call that names a user.
#[derive(Debug, Clone, PartialEq)]
pub struct AssociateUser {
    /// The account's id.
    pub group_id: String,
    /// The user's id, when the message has one.
    pub user_id: Option<String>,
    /// The anonymous id, when the message has one.
    pub anonymous_id: Option<String>,
}

/// `trackEvent`, from `track`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackEvent {
    /// The event name.
    pub event: String,
    /// The user's id, when the message has one.
    pub user_id: Option<String>,
    /// The anonymous id, when the message has one.
    pub anonymous_id: Option<String>,
    /// The account, from `context.groupId` (the B2B SaaS spec's account link).
    pub group_id: Option<String>,
    /// The properties as sent (`{}` when none).
    pub properties: Map<String, Value>,
    /// RFC 3339 UTC with milliseconds.
    pub timestamp: Option<String>,
    /// The message id, for de-duplication.
    pub message_id: Option<String>,
}

/// The four kinds of operation, for settings that name them (`Config.mappings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// `upsertUser`.
    UpsertUser,
    /// `upsertAccount`.
    UpsertAccount,
    /// `associateUser`.
    AssociateUser,
    /// `trackEvent`.
    TrackEvent,
}

impl OperationKind {
    /// All kinds, in the spec's order.
    pub const ALL: [OperationKind; 4] = [
        OperationKind::UpsertUser,
        OperationKind::UpsertAccount,
        OperationKind::AssociateUser,
        OperationKind::TrackEvent,
    ];

    /// The name used in `op` and in settings.
    pub const fn name(self) -> &'static str {
        match self {
            OperationKind::UpsertUser => "upsertUser",
            OperationKind::UpsertAccount => "upsertAccount",
            OperationKind::AssociateUser => "associateUser",
            OperationKind::TrackEvent => "trackEvent",
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<OperationKind> {
        OperationKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kinds a call becomes, in order (group: the account first, then the association).
    pub const fn for_call(call: CallType) -> &'static [OperationKind] {
        match call {
            CallType::Identify => &[OperationKind::UpsertUser],
            CallType::Group => &[OperationKind::UpsertAccount, OperationKind::AssociateUser],
            CallType::Track => &[OperationKind::TrackEvent],
            CallType::Page | CallType::Screen | CallType::Alias | CallType::Delete => &[],
        }
    }
}
