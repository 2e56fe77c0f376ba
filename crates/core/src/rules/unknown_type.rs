//! `unknown_type`: a `type` that is no Segment call
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "unknown_type",
    kind: "error",
    tuning: Tuning::Fixed("it decides what call the message is"),
    meaning: "a `type` that is no Segment call",
    hint: "`did you mean \"identify\"?`",
    reads_context: None,
    check: None,
};
