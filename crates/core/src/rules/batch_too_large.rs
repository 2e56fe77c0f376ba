//! `batch_too_large`: a batch over 500 KB
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "batch_too_large",
    kind: "batch error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "a batch over 500 KB",
    hint: "",
    reads_context: None,
    check: None,
};
