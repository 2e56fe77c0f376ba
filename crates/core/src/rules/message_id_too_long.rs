//! `message_id_too_long`: a `messageId` of 100 characters or more
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "message_id_too_long",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a `messageId` of 100 characters or more",
    hint: "`send a shorter messageId, such as a UUID (36 characters)`",
    reads_context: None,
    check: None,
};
