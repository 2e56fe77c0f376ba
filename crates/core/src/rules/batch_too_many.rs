//! `batch_too_many`: a batch of more than 2,500 items
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "batch_too_many",
    kind: "batch error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "a batch of more than 2,500 items",
    hint: "",
    reads_context: None,
    check: None,
};
