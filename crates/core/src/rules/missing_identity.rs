//! `missing_identity`: identify or track without `userId` or `anonymousId` (blank ids count as absent)
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "missing_identity",
    kind: "error",
    tuning: Tuning::Fixed("no operation can be made without the field"),
    meaning: "identify or track without `userId` or `anonymousId` (blank ids count as absent)",
    hint: "`rename \"userID\" to \"userId\"`",
    reads_context: None,
    check: None,
};
