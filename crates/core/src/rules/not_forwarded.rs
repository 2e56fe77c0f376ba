//! `not_forwarded`: the edge handler: analytics.js's own metrics (`/v1/m`), acknowledged and not forwarded
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "not_forwarded",
    kind: "edge skip reason",
    tuning: Tuning::Fixed("the edge handler answers with it about the request, not the message"),
    meaning: "the edge handler: analytics.js's own metrics (`/v1/m`), acknowledged and not forwarded",
    hint: "",
    reads_context: None,
    check: None,
};
