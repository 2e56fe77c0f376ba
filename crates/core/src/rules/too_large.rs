//! `too_large`: one message over 32 KB serialized
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "too_large",
    kind: "error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "one message over 32 KB serialized",
    hint: "",
    reads_context: None,
    check: None,
};
