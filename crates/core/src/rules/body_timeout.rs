//! `body_timeout`: the edge handler: the body did not arrive within `ASTROLABE_BODY_TIMEOUT_MS`; a 408
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "body_timeout",
    kind: "edge error",
    tuning: Tuning::Fixed("the edge handler answers with it about the request, not the message"),
    meaning: "the edge handler: the body did not arrive within `ASTROLABE_BODY_TIMEOUT_MS`; a 408",
    hint: "",
    reads_context: None,
    check: None,
};
