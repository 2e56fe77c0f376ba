//! `id_coerced`: a numeric id, sent on as its string
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "id_coerced",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a numeric id, sent on as its string",
    hint: "`send userId as the string \"42\"`",
    reads_context: None,
    check: None,
};
