//! `plan_violation`: the message breaks a tracking-plan rule (under `anyOf`/`oneOf`: one issue, from the branch that came closest)
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "plan_violation",
    kind: "error or warning",
    tuning: Tuning::Fixed("the tracking plan's settings set it: use trackingPlan's \"violations\""),
    meaning: "the message breaks a tracking-plan rule (under `anyOf`/`oneOf`: one issue, from the branch that came closest)",
    hint: "`did you mean \"USD\"?` (a string an `enum` or `const` nearly allows)",
    reads_context: None,
    check: None,
};
