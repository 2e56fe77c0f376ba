//! `invalid_json`: the input is not JSON (the message gives line and column) or not UTF-8
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "invalid_json",
    kind: "error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "the input is not JSON (the message gives line and column) or not UTF-8",
    hint: "",
    reads_context: None,
    check: None,
};
