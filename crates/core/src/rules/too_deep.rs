//! `too_deep`: JSON nested deeper than 64 levels
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "too_deep",
    kind: "error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "JSON nested deeper than 64 levels",
    hint: "",
    reads_context: None,
    check: None,
};
