//! `type_mismatch`: the message's `type` disagrees with the type given as an option
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "type_mismatch",
    kind: "error",
    tuning: Tuning::Fixed("it decides what call the message is"),
    meaning: "the message's `type` disagrees with the type given as an option",
    hint: "`send it as a track call, or set \"type\" to \"identify\"`",
    reads_context: None,
    check: None,
};
