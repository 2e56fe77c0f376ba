//! `missing_group_id`: group without `groupId`
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "missing_group_id",
    kind: "error",
    tuning: Tuning::Fixed("no operation can be made without the field"),
    meaning: "group without `groupId`",
    hint: "`rename \"groupID\" to \"groupId\"`",
    reads_context: None,
    check: None,
};
