//! `misplaced_field`: a field of another call, not sent: `properties` on identify or group, top-level `traits` on track
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "misplaced_field",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a field of another call, not sent: `properties` on identify or group, top-level `traits` on track",
    hint: "`move traits into context.traits`",
    reads_context: None,
    check: None,
};
