//! `unsupported_type`: page, screen, alias and delete calls
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "unsupported_type",
    kind: "skip reason",
    tuning: Tuning::Fixed("it is why a message is skipped, not a problem in it"),
    meaning: "page, screen, alias and delete calls",
    hint: "",
    reads_context: None,
    check: None,
};
