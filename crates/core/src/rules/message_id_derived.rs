//! `message_id_derived`: the edge handler: a message with neither `messageId` nor `timestamp`, whose id was derived from its content, so an identical one sent again counts as a retry
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "message_id_derived",
    kind: "edge warning",
    tuning: Tuning::Fixed("the edge handler answers with it about the request, not the message"),
    meaning: "the edge handler: a message with neither `messageId` nor `timestamp`, whose id was derived from its content, so an identical one sent again counts as a retry",
    hint: "",
    reads_context: None,
    check: None,
};
