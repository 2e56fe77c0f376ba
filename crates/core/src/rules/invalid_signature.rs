//! `invalid_signature`: the edge handler: a delivery to `/webhook` without a valid `X-Signature` while `SEGMENT_SHARED_SECRET` is set; a 401
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "invalid_signature",
    kind: "edge error",
    tuning: Tuning::Fixed("the edge handler answers with it about the request, not the message"),
    meaning: "the edge handler: a delivery to `/webhook` without a valid `X-Signature` while `SEGMENT_SHARED_SECRET` is set; a 401",
    hint: "",
    reads_context: None,
    check: None,
};
