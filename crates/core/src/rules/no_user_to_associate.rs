//! `no_user_to_associate`: a group call that names no user: the Account is upserted, no association is made
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "no_user_to_associate",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a group call that names no user: the Account is upserted, no association is made",
    hint: "`add the userId of a user who belongs to this group`",
    reads_context: None,
    check: None,
};
