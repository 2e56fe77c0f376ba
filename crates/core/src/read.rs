//! The engine's text read back into the structured answers of the Rust API ([`Outcome`],
//! [`BatchOutcome`], [`Validation`], [`Mapped`]). A reader of what [`crate::write`] wrote, field
//! by field, so the structured form is the text, never a second mapping of the message.

use serde_json::{Map, Value};

use crate::issue::{Code, Issue};
use crate::operation::{AssociateUser, Operation, TrackEvent, UpsertAccount, UpsertUser};
use crate::outcome::{BatchOutcome, Mapped, Outcome, Status, Validation};

/// An outcome or a batch outcome, as written.
pub fn mapped(text: &str) -> Option<Mapped> {
    let value: Value = serde_json::from_str(text).ok()?;
    if value.get("outcomes").is_some() {
        batch_of(&value).map(Mapped::Batch)
    } else {
        outcome_of(&value).map(Mapped::Message)
    }
}

/// An outcome, as written.
pub fn outcome(text: &str) -> Option<Outcome> {
    outcome_of(&serde_json::from_str(text).ok()?)
}

/// A batch outcome, as written.
pub fn batch(text: &str) -> Option<BatchOutcome> {
    batch_of(&serde_json::from_str(text).ok()?)
}

/// A validation, as written.
pub fn validation(text: &str) -> Option<Validation> {
    let value: Value = serde_json::from_str(text).ok()?;
    Some(Validation {
        valid: value.get("valid")?.as_bool()?,
        errors: issues(value.get("errors")?)?,
        warnings: issues(value.get("warnings")?)?,
    })
}

fn batch_of(value: &Value) -> Option<BatchOutcome> {
    let outcomes = value.get("outcomes")?.as_array()?.iter().map(outcome_of).collect::<Option<_>>()?;
    Some(BatchOutcome { outcomes, errors: issues(value.get("errors")?)? })
}

fn outcome_of(value: &Value) -> Option<Outcome> {
    let status = match value.get("status")?.as_str()? {
        "mapped" => Status::Mapped,
        "skipped" => Status::Skipped,
        "invalid" => Status::Invalid,
        _ => return None,
    };
    let operations = value.get("operations")?.as_array()?.iter().map(operation).collect::<Option<_>>()?;
    let reason = match value.get("reason") {
        Some(reason) => Some(issue(reason)?),
        None => None,
    };
    Some(Outcome {
        status,
        operations,
        errors: issues(value.get("errors")?)?,
        warnings: issues(value.get("warnings")?)?,
        reason,
    })
}

fn issues(value: &Value) -> Option<Vec<Issue>> {
    value.as_array()?.iter().map(issue).collect()
}

fn issue(value: &Value) -> Option<Issue> {
    Some(Issue {
        code: Code::from_name(value.get("code")?.as_str()?)?,
        path: value.get("path")?.as_str()?.to_owned(),
        message: value.get("message")?.as_str()?.to_owned(),
        hint: value.get("hint").and_then(Value::as_str).map(str::to_owned),
    })
}

fn operation(value: &Value) -> Option<Operation> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let object = |key: &str| value.get(key).and_then(Value::as_object).cloned().unwrap_or_else(Map::new);
    Some(match value.get("op")?.as_str()? {
        "upsertUser" => Operation::UpsertUser(UpsertUser {
            user_id: text("userId"),
            anonymous_id: text("anonymousId"),
            traits: object("traits"),
            timestamp: text("timestamp"),
            message_id: text("messageId"),
        }),
        "upsertAccount" => Operation::UpsertAccount(UpsertAccount {
            group_id: text("groupId")?,
            traits: object("traits"),
            timestamp: text("timestamp"),
            message_id: text("messageId"),
        }),
        "associateUser" => Operation::AssociateUser(AssociateUser {
            group_id: text("groupId")?,
            user_id: text("userId"),
            anonymous_id: text("anonymousId"),
        }),
        "trackEvent" => Operation::TrackEvent(TrackEvent {
            event: text("event")?,
            user_id: text("userId"),
            anonymous_id: text("anonymousId"),
            group_id: text("groupId"),
            properties: object("properties"),
            timestamp: text("timestamp"),
            message_id: text("messageId"),
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pointer::Pointer;

    #[test]
    fn reads_back_what_was_written() {
        let operations = vec![
            Operation::UpsertAccount(UpsertAccount {
                group_id: "g".into(),
                traits: serde_json::from_str(r#"{"n":1.5,"list":[1,"a"]}"#).unwrap(),
                timestamp: Some("2026-01-01T00:00:00.000Z".into()),
                message_id: Some("m".into()),
            }),
            Operation::AssociateUser(AssociateUser {
                group_id: "g".into(),
                user_id: Some("u".into()),
                anonymous_id: None,
            }),
        ];
        let warning = Issue::new(Code::IdCoerced, &Pointer::root().key("userId"), "a \"quoted\" sentence");
        let outcome =
            Outcome { status: Status::Mapped, operations, errors: Vec::new(), warnings: vec![warning], reason: None };
        assert_eq!(self::outcome(&outcome.to_json()), Some(outcome.clone()));
        let batch = BatchOutcome { outcomes: vec![outcome.clone(), Outcome::invalid(Vec::new())], errors: Vec::new() };
        assert_eq!(self::batch(&batch.to_json()), Some(batch.clone()));
        assert_eq!(mapped(&batch.to_json()), Some(Mapped::Batch(batch)));
        assert_eq!(mapped(&outcome.to_json()), Some(Mapped::Message(outcome.clone())));
        let validation = Validation::from(outcome);
        assert_eq!(self::validation(&validation.to_json()), Some(validation));
    }
}
