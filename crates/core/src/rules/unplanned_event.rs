//! `unplanned_event`: a track event the tracking plan does not list
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "unplanned_event",
    kind: "error or warning",
    tuning: Tuning::Fixed("the tracking plan's settings set it: use trackingPlan's \"unplannedEvents\""),
    meaning: "a track event the tracking plan does not list",
    hint: "`did you mean \"Order Completed\"?`",
    reads_context: None,
    check: None,
};
