//! The default mapping (spec section 8): a checked message becomes Astrolabe operations.

use serde_json::Map;

use crate::operation::{AssociateUser, Operation, OperationKind, TrackEvent, UpsertAccount, UpsertUser};
use crate::spec::Fields;

/// The operations of a valid message, in the spec's order: identify → `upsertUser`; group →
/// `upsertAccount`, then `associateUser` when it names a user; track → `trackEvent`.
/// Traits and properties are passed through exactly, keys and values as sent.
pub fn operations(fields: &Fields<'_>) -> Vec<Operation> {
    OperationKind::for_call(fields.call).iter().filter_map(|kind| operation(*kind, fields)).collect()
}

/// One operation of a valid message, or `None` when the message does not make it (an
/// `associateUser` for a group call that names no user).
pub fn operation(kind: OperationKind, fields: &Fields<'_>) -> Option<Operation> {
    let traits = || fields.traits.cloned().unwrap_or_else(Map::new);
    Some(match kind {
        OperationKind::UpsertUser => Operation::UpsertUser(UpsertUser {
            user_id: fields.user_id.clone(),
            anonymous_id: fields.anonymous_id.clone(),
            traits: traits(),
            timestamp: fields.timestamp.clone(),
            message_id: fields.message_id.clone(),
        }),
        OperationKind::UpsertAccount => Operation::UpsertAccount(UpsertAccount {
            group_id: fields.group_id.clone()?,
            traits: traits(),
            timestamp: fields.timestamp.clone(),
            message_id: fields.message_id.clone(),
        }),
        OperationKind::AssociateUser => {
            if fields.user_id.is_none() && fields.anonymous_id.is_none() {
                return None;
            }
            Operation::AssociateUser(AssociateUser {
                group_id: fields.group_id.clone()?,
                user_id: fields.user_id.clone(),
                anonymous_id: fields.anonymous_id.clone(),
            })
        }
        OperationKind::TrackEvent => Operation::TrackEvent(TrackEvent {
            event: fields.event.clone()?,
            user_id: fields.user_id.clone(),
            anonymous_id: fields.anonymous_id.clone(),
            group_id: fields.context_group_id.clone(),
            properties: fields.properties.cloned().unwrap_or_else(Map::new),
            timestamp: fields.timestamp.clone(),
            message_id: fields.message_id.clone(),
        }),
    })
}
