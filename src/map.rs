//! The default mapping (spec section 8): a checked message becomes Astrolabe operations.

use serde_json::Map;

use crate::call::CallType;
use crate::operation::{AssociateUser, Operation, TrackEvent, UpsertAccount, UpsertUser};
use crate::spec::Fields;

/// The operations of a valid message, in the spec's order: identify → `upsertUser`; group →
/// `upsertAccount`, then `associateUser` when it names a user; track → `trackEvent`.
/// Traits and properties are passed through exactly, keys and values as sent.
pub fn operations(fields: &Fields<'_>) -> Vec<Operation> {
    let traits = || fields.traits.cloned().unwrap_or_else(Map::new);
    match fields.call {
        CallType::Identify => vec![Operation::UpsertUser(UpsertUser {
            user_id: fields.user_id.clone(),
            anonymous_id: fields.anonymous_id.clone(),
            traits: traits(),
            timestamp: fields.timestamp.clone(),
            message_id: fields.message_id.clone(),
        })],
        CallType::Group => {
            let Some(group_id) = fields.group_id.clone() else { return Vec::new() };
            let mut operations = vec![Operation::UpsertAccount(UpsertAccount {
                group_id: group_id.clone(),
                traits: traits(),
                timestamp: fields.timestamp.clone(),
                message_id: fields.message_id.clone(),
            })];
            if fields.user_id.is_some() || fields.anonymous_id.is_some() {
                operations.push(Operation::AssociateUser(AssociateUser {
                    group_id,
                    user_id: fields.user_id.clone(),
                    anonymous_id: fields.anonymous_id.clone(),
                }));
            }
            operations
        }
        CallType::Track => match fields.event.clone() {
            Some(event) => vec![Operation::TrackEvent(TrackEvent {
                event,
                user_id: fields.user_id.clone(),
                anonymous_id: fields.anonymous_id.clone(),
                group_id: fields.context_group_id.clone(),
                properties: fields.properties.cloned().unwrap_or_else(Map::new),
                timestamp: fields.timestamp.clone(),
                message_id: fields.message_id.clone(),
            })],
            None => Vec::new(),
        },
        CallType::Page | CallType::Screen | CallType::Alias | CallType::Delete => Vec::new(),
    }
}
