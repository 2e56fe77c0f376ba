//! `unplanned_property`: a property the tracking plan does not name, dropped
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "unplanned_property",
    kind: "warning",
    tuning: Tuning::Fixed("the tracking plan's settings set it: use trackingPlan's \"unplannedProperties\""),
    meaning: "a property the tracking plan does not name, dropped",
    hint: "",
    reads_context: None,
    check: None,
};
