//! `not_json`: a JS value JSON cannot carry: `NaN`, `Infinity`, a `BigInt`, a function, a symbol, `undefined` in an array
use super::{Rule, Tuning};

pub(crate) const RULE: Rule = Rule {
    name: "not_json",
    kind: "error",
    tuning: Tuning::Fixed("it decides whether the input can be read at all"),
    meaning: "a JS value JSON cannot carry: `NaN`, `Infinity`, a `BigInt`, a function, a symbol, `undefined` in an array",
    hint: "",
    reads_context: None,
    check: None,
};
