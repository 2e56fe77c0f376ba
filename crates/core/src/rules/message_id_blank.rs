//! `message_id_blank`: a blank `messageId`: the message is sent without one, so its retries cannot be told apart
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "message_id_blank",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a blank `messageId`: the message is sent without one, so its retries cannot be told apart",
    hint: "`send a unique messageId, such as a UUID, or leave it out`",
    reads_context: None,
    check: None,
};
