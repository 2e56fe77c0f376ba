//! `missing_type`: no `type` (or a blank one) and none given as an option
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "missing_type",
    kind: "error",
    tuning: Tuning::Fixed("it decides what call the message is"),
    meaning: "no `type` (or a blank one) and none given as an option",
    hint: "`add \"type\": \"track\", since it has an event`; `rename \"Type\" to \"type\"`",
    reads_context: None,
    check: None,
};
