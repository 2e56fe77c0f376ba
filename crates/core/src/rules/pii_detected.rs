//! `pii_detected`: personal data (an email address, a phone, card or Social Security number, an IBAN, an IP address, a JSON Web Token, a secret key) where none is expected
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "pii_detected",
    kind: "warning or error (set by privacy)",
    tuning: Tuning::Fixed("the privacy settings set it: use privacy's \"action\""),
    meaning: "personal data (`privacy`: an email address, a phone, card or SSN, an IBAN, an IP address, a JWT, a secret key) in a string or key of `traits`, `properties` or `context`, where it is not allowed; the issue names the path and the kind, never the value",
    hint: "`If this field is meant to hold it, allow it: privacy.allow: [\"/properties/contact\"].`",
    reads_context: None,
    check: None,
};
