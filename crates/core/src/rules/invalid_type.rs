//! `invalid_type`: a field of the wrong JSON type (`traits` not an object, a boolean `userId`, ...)
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "invalid_type",
    kind: "error",
    tuning: Tuning::Fixed("a field of the wrong type cannot be read"),
    meaning: "a field of the wrong JSON type (`traits` not an object, a boolean `userId`, ...)",
    hint: "",
    reads_context: None,
    check: None,
};
