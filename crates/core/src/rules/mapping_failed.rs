//! `mapping_failed`: a custom mapping failed, or left an operation without what it needs
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "mapping_failed",
    kind: "error",
    tuning: Tuning::Fixed("an operation the mapping could not make cannot be sent"),
    meaning: "a custom mapping failed, or left an operation without what it needs",
    hint: "",
    reads_context: None,
    check: None,
};
