//! The default mapping (spec section 8): a checked message becomes Astrolabe operations.

use std::borrow::Cow;

use serde_json::Map;

use crate::operation::{AssociateUser, Operation, OperationKind, TrackEvent, UpsertAccount, UpsertUser};
use crate::spec::Fields;

/// The operations of a valid message, in the spec's order: identify → `upsertUser`; group →
/// `upsertAccount`, then `associateUser` when it names a user; track → `trackEvent`.
/// Traits and properties are passed through exactly, keys and values as sent.
pub(crate) fn operations(fields: &Fields<'_>) -> Vec<Operation> {
    OperationKind::for_call(fields.call).iter().filter_map(|kind| operation(*kind, fields)).collect()
}

/// Whether a valid message makes an operation of this kind: not an `associateUser` for a group
/// call that names no user, nor one whose required field (groupId, event) is missing. The one rule
/// for both [`operation`] (settings that read whole messages) and the engine, which writes
/// operations from the text.
pub(crate) fn makes(kind: OperationKind, fields: &Fields<'_>) -> bool {
    match kind {
        OperationKind::UpsertUser => true,
        OperationKind::UpsertAccount => fields.group_id.is_some(),
        OperationKind::AssociateUser => {
            fields.group_id.is_some() && (fields.user_id.is_some() || fields.anonymous_id.is_some())
        }
        OperationKind::TrackEvent => fields.event.is_some(),
    }
}

/// An operation's copy of a field the checks read.
fn owned(field: &Option<Cow<'_, str>>) -> Option<String> {
    field.as_deref().map(str::to_owned)
}

/// One operation of a valid message, or `None` when the message does not make it (`makes`).
pub fn operation(kind: OperationKind, fields: &Fields<'_>) -> Option<Operation> {
    if !makes(kind, fields) {
        return None;
    }
    let traits = || fields.traits.cloned().unwrap_or_else(Map::new);
    Some(match kind {
        OperationKind::UpsertUser => Operation::UpsertUser(UpsertUser {
            user_id: owned(&fields.user_id),
            anonymous_id: owned(&fields.anonymous_id),
            traits: traits(),
            timestamp: owned(&fields.timestamp),
            message_id: owned(&fields.message_id),
        }),
        OperationKind::UpsertAccount => Operation::UpsertAccount(UpsertAccount {
            group_id: owned(&fields.group_id)?,
            traits: traits(),
            timestamp: owned(&fields.timestamp),
            message_id: owned(&fields.message_id),
        }),
        OperationKind::AssociateUser => Operation::AssociateUser(AssociateUser {
            group_id: owned(&fields.group_id)?,
            user_id: owned(&fields.user_id),
            anonymous_id: owned(&fields.anonymous_id),
        }),
        OperationKind::TrackEvent => Operation::TrackEvent(TrackEvent {
            event: owned(&fields.event)?,
            user_id: owned(&fields.user_id),
            anonymous_id: owned(&fields.anonymous_id),
            group_id: owned(&fields.context_group_id),
            properties: fields.properties.cloned().unwrap_or_else(Map::new),
            timestamp: owned(&fields.timestamp),
            message_id: owned(&fields.message_id),
        }),
    })
}
