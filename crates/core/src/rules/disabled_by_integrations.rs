//! `disabled_by_integrations`: `integrations` turns Astrolabe off
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "disabled_by_integrations",
    kind: "skip reason",
    tuning: Tuning::Fixed("it is why a message is skipped, not a problem in it"),
    meaning: "`integrations` turns Astrolabe off",
    hint: "",
    reads_context: None,
    check: None,
};
