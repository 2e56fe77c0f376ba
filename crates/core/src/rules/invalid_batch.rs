//! `invalid_batch`: the envelope is not `{"batch": [...]}` with object `context` / `integrations`
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "invalid_batch",
    kind: "batch error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "the envelope is not `{\"batch\": [...]}` with object `context` / `integrations`",
    hint: "",
    reads_context: None,
    check: None,
};
