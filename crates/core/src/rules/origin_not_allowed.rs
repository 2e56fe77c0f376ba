//! `origin_not_allowed`: the edge handler: the request's `Origin` is not in `ALLOWED_ORIGINS`; a 403
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "origin_not_allowed",
    kind: "edge error",
    tuning: Tuning::Fixed("the edge handler answers with it about the request, not the message"),
    meaning: "the edge handler: the request's `Origin` is not in `ALLOWED_ORIGINS`; a 403",
    hint: "",
    reads_context: None,
    check: None,
};
