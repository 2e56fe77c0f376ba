//! `near_miss_reserved`: a trait or property that is a reserved one but for case or separators (`firstname`, `e-mail`, `created_at`), when the reserved one is absent
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "near_miss_reserved",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a trait or property that is a reserved one but for case or separators (`firstname`, `e-mail`, `created_at`), when the reserved one is absent",
    hint: "`rename \"firstname\" to \"firstName\"`",
    reads_context: None,
    check: None,
};
