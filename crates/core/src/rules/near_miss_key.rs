//! `near_miss_key`: a top-level key that is a Segment field but for case or separators (`userID`, `user_id`, `anonymous_id`, `groupID`, `messageID`, `Event`, `Properties`, `Traits`), when the field itself is absent: it is ignored
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "near_miss_key",
    kind: "warning",
    tuning: Tuning::Open,
    meaning: "a top-level key that is a Segment field but for case or separators (`userID`, `user_id`, `anonymous_id`, `groupID`, `messageID`, `Event`, `Properties`, `Traits`), when the field itself is absent: it is ignored",
    hint: "`rename \"userID\" to \"userId\"`",
    reads_context: None,
    check: None,
};
