//! `invalid_timestamp`: a timestamp that is not ISO-8601 (`2015-2-02T00:30:08.276Z`)
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "invalid_timestamp",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a timestamp that is not ISO-8601 (`2015-2-02T00:30:08.276Z`)",
    hint: "`send timestamp as \"2015-02-02T00:30:08.276Z\"` (Unix times too)",
    reads_context: None,
    check: None,
};
