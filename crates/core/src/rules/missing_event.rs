//! `missing_event`: track without an `event` that is not blank
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "missing_event",
    kind: "error",
    tuning: Tuning::Fixed("no operation can be made without the field"),
    meaning: "track without an `event` that is not blank",
    hint: "`rename \"Event\" to \"event\"`",
    reads_context: None,
    check: None,
};
