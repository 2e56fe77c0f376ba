//! `unauthorized`: the edge handler (`astrolabe-segment/edge`): no valid write key (HTTP Basic user name, or `writeKey` in the body); a 401
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "unauthorized",
    kind: "edge error",
    tuning: Tuning::Fixed("the edge handler answers with it about the request, not the message"),
    meaning: "the edge handler (`astrolabe-segment/edge`): no valid write key (HTTP Basic user name, or `writeKey` in the body); a 401",
    hint: "",
    reads_context: None,
    check: None,
};
