//! `reserved_trait_type`: a reserved trait or property of the wrong shape (an `email` without `@`, a string `revenue`)
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "reserved_trait_type",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a reserved trait or property of the wrong shape (an `email` without `@`, a string `revenue`)",
    hint: "`send age as the number 26`; `send currency as \"USD\"`",
    reads_context: None,
    check: None,
};
