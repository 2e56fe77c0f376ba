//! What a message or a batch becomes: the results callers read.

use serde::{Serialize, Serializer};

use crate::issue::Issue;
use crate::operation::Operation;
use crate::write;

/// How a message ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Valid and selected: `operations` holds what it becomes.
    Mapped,
    /// Valid, but not for Astrolabe (`reason` says why).
    Skipped,
    /// At least one error: nothing to send.
    Invalid,
}

impl Status {
    /// `"mapped"`, `"skipped"` or `"invalid"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Mapped => "mapped",
            Status::Skipped => "skipped",
            Status::Invalid => "invalid",
        }
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The outcome of one message: `{status, operations, errors, warnings, reason?}`.
///
/// `skipped` and `invalid` outcomes carry no operations; a `skipped` one carries its `reason`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// How the message ended.
    pub status: Status,
    /// The operations, in the spec's order (empty unless `mapped`).
    pub operations: Vec<Operation>,
    /// Every error found (all of them, not the first).
    pub errors: Vec<Issue>,
    /// Every warning found.
    pub warnings: Vec<Issue>,
    /// Why a `skipped` message was skipped.
    pub reason: Option<Issue>,
}

impl Outcome {
    /// An `invalid` outcome with these errors.
    pub fn invalid(errors: Vec<Issue>) -> Outcome {
        Outcome { status: Status::Invalid, operations: Vec::new(), errors, warnings: Vec::new(), reason: None }
    }

    /// Whether the message had no errors (it may still be skipped).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The JSON text of this outcome.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Appends this outcome's JSON text.
    pub(crate) fn write(&self, out: &mut String) {
        let operations = self.operations.iter().map(|operation| operation.parts());
        write::outcome(out, self.status, operations, &self.errors, &self.warnings, self.reason.as_ref());
    }
}

/// The outcome of a batch: one outcome per item, in order, and the errors of the batch as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOutcome {
    /// One outcome per item (empty when the batch as a whole was refused).
    pub outcomes: Vec<Outcome>,
    /// Errors of the whole batch: limits, a malformed envelope.
    pub errors: Vec<Issue>,
}

impl BatchOutcome {
    /// The JSON text of this batch outcome.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write::batch_open(&mut out);
        for (at, outcome) in self.outcomes.iter().enumerate() {
            if at > 0 {
                out.push(',');
            }
            outcome.write(&mut out);
        }
        write::batch_close(&mut out, &self.errors);
        out
    }

    /// All operations of the mapped items, in order.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.outcomes.iter().flat_map(|outcome| outcome.operations.iter())
    }
}

/// The answer to a `Destination::validate` call: `{valid, errors, warnings}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// No errors.
    pub valid: bool,
    /// Every error.
    pub errors: Vec<Issue>,
    /// Every warning.
    pub warnings: Vec<Issue>,
}

impl Validation {
    /// The JSON text of this answer.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write::validation(&mut out, self.valid, &self.errors, &self.warnings);
        out
    }
}

impl From<Outcome> for Validation {
    fn from(outcome: Outcome) -> Validation {
        Validation { valid: outcome.errors.is_empty(), errors: outcome.errors, warnings: outcome.warnings }
    }
}

/// What raw input became: one message's outcome, or a batch's.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapped {
    /// The input was one message.
    Message(Outcome),
    /// The input was a batch envelope or a JSON array.
    Batch(BatchOutcome),
}

impl Mapped {
    /// The JSON text of the outcome.
    pub fn to_json(&self) -> String {
        match self {
            Mapped::Message(outcome) => outcome.to_json(),
            Mapped::Batch(batch) => batch.to_json(),
        }
    }
}

write::serialize_as_written!(Outcome, BatchOutcome, Validation, Mapped);
