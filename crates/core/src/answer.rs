//! What the engine answers, typed: each message's outcome as it was found, borrowing the input's
//! text (traits and properties stay the text they were sent as, so numbers keep their digits).
//! The engine hands each answer to a [`Sink`], as it goes: the [`Writer`] writes JSON text (the
//! answer's one serialization, at the edge), [`Outcomes`] makes the owned [`Outcome`]s of the Rust
//! API, and any other reader (the CLI's counts) takes what it needs without either.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::issue::Issue;
use crate::map;
use crate::operation::{Operation, OperationKind};
use crate::outcome::{BatchOutcome, Mapped, Outcome, Status, Validation};
use crate::spec::Fields;
use crate::write::{self, Body, Parts};

/// An operation the built-in mapping made from a message's text: the checked message's fields
/// (for the kind's members), and the traits or properties as the input holds them.
#[derive(Debug, Clone, Copy)]
pub struct Made<'t> {
    /// Which operation.
    pub(crate) kind: OperationKind,
    /// What the checks read of the message.
    pub(crate) fields: &'t Fields<'t>,
    /// Traits (upsertUser, upsertAccount) or properties (trackEvent): the input's text of the
    /// object, and whether it holds neither whitespace nor escapes; `None` for none (`{}`).
    pub(crate) body: Option<(&'t str, bool)>,
}

impl Made<'_> {
    /// What it holds, borrowed, for the writer.
    pub(crate) fn parts(&self) -> Parts<'_> {
        let fields = self.fields;
        let group_id = if self.kind == OperationKind::TrackEvent { &fields.context_group_id } else { &fields.group_id };
        Parts {
            kind: self.kind,
            group_id: group_id.as_deref(),
            event: fields.event.as_deref(),
            user_id: fields.user_id.as_deref(),
            anonymous_id: fields.anonymous_id.as_deref(),
            body: self.body.map_or(Body::Empty, |(text, clean)| Body::Text { text, clean }),
            timestamp: fields.timestamp.as_deref(),
            message_id: fields.message_id.as_deref(),
        }
    }

    /// The operation, owned: its traits or properties parsed from the text.
    pub(crate) fn to_operation(self) -> Option<Operation> {
        let mut operation = map::operation(self.kind, self.fields)?;
        if let Some((text, _)) = self.body {
            let parsed = serde_json::from_str::<Map<String, Value>>(text).unwrap_or_default();
            match &mut operation {
                Operation::UpsertUser(op) => op.traits = parsed,
                Operation::UpsertAccount(op) => op.traits = parsed,
                Operation::TrackEvent(op) => op.properties = parsed,
                Operation::AssociateUser(_) => {}
            }
        }
        Some(operation)
    }
}

/// One operation of an answer: made from the text by the built-in mapping, or owned (a custom
/// mapping's, or any made from a message read whole).
#[derive(Debug, Clone)]
pub enum Op<'t> {
    /// Made from the input's text.
    Made(Made<'t>),
    /// Owned (boxed: most answers hold none, and the answer stays small).
    Owned(Box<Operation>),
}

impl Op<'_> {
    /// What it holds, borrowed, for the writer.
    pub(crate) fn parts(&self) -> Parts<'_> {
        match self {
            Op::Made(made) => made.parts(),
            Op::Owned(operation) => operation.parts(),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> OperationKind {
        match self {
            Op::Made(made) => made.kind,
            Op::Owned(operation) => operation.kind(),
        }
    }

    /// The operation, owned.
    pub(crate) fn into_operation(self) -> Option<Operation> {
        match self {
            Op::Made(made) => made.to_operation(),
            Op::Owned(operation) => Some(*operation),
        }
    }
}

/// The operations of one answer: two at most (a group call's account and association), kept in
/// place rather than in an allocation of their own, since every mapped message has one or two.
#[derive(Debug, Clone, Default)]
pub struct Ops<'t> {
    slots: [Option<Op<'t>>; 2],
}

impl<'t> Ops<'t> {
    /// Adds an operation; a third one (none is ever made) is dropped.
    pub(crate) fn push(&mut self, op: Op<'t>) {
        if let Some(slot) = self.slots.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some(op);
        }
    }

    /// The operations, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Op<'t>> {
        self.slots.iter().flatten()
    }

    /// Drops them all.
    pub(crate) fn clear(&mut self) {
        self.slots = [None, None];
    }
}

impl<'t> IntoIterator for Ops<'t> {
    type Item = Op<'t>;
    type IntoIter = std::iter::Flatten<std::array::IntoIter<Option<Op<'t>>, 2>>;

    fn into_iter(self) -> Self::IntoIter {
        self.slots.into_iter().flatten()
    }
}

/// One message's answer: an [`Outcome`] that borrows the input.
#[derive(Debug, Clone)]
pub struct Answer<'t> {
    /// How the message ended.
    pub status: Status,
    /// The operations, in the spec's order (none unless `mapped`).
    pub operations: Ops<'t>,
    /// Every error.
    pub errors: Vec<Issue>,
    /// Every warning.
    pub warnings: Vec<Issue>,
    /// Why a `skipped` message was skipped.
    pub reason: Option<Issue>,
    /// A track call's event name, when it has one, mapped or not (the CLI counts by event).
    pub event: Option<Cow<'t, str>>,
}

impl<'t> Answer<'t> {
    /// An `invalid` answer with these errors and nothing else known.
    pub fn invalid(errors: Vec<Issue>) -> Answer<'t> {
        Answer {
            status: Status::Invalid,
            operations: Ops::default(),
            errors,
            warnings: Vec::new(),
            reason: None,
            event: None,
        }
    }

    /// Appends the outcome's JSON text.
    pub(crate) fn write(&self, out: &mut String) {
        let operations = self.operations.iter().map(|operation| operation.parts());
        write::outcome(out, self.status, operations, &self.errors, &self.warnings, self.reason.as_ref());
    }

    /// Appends the JSON text of `{valid, errors, warnings}`.
    pub(crate) fn write_validation(&self, out: &mut String) {
        write::validation(out, self.errors.is_empty(), &self.errors, &self.warnings);
    }

    /// The outcome, owned, taken out of the answer (which is left without issues).
    pub(crate) fn take_outcome(&mut self) -> Outcome {
        Outcome {
            status: self.status,
            operations: std::mem::take(&mut self.operations).into_iter().filter_map(Op::into_operation).collect(),
            errors: std::mem::take(&mut self.errors),
            warnings: std::mem::take(&mut self.warnings),
            reason: self.reason.take(),
        }
    }
}

/// Where the engine hands its answers, as it goes: one message's, or a batch's items between
/// [`batch`](Sink::batch) and [`batch_end`](Sink::batch_end). An answer is lent, not given: it
/// borrows what the engine read, which lives only while the message is answered; a sink that
/// keeps anything takes it out (as `Answer::take_outcome` does).
pub trait Sink {
    /// The answer of an input that is one message.
    fn message(&mut self, answer: &mut Answer<'_>);
    /// A batch begins (`items` of them follow, none when it is refused as a whole).
    fn batch(&mut self, items: usize);
    /// The answer of the batch's next item.
    fn item(&mut self, answer: &mut Answer<'_>);
    /// The batch ends, with its own errors (a limit, a malformed envelope).
    fn batch_end(&mut self, errors: Vec<Issue>);
}

/// Writes each answer as JSON text: outcomes, or `{valid, errors, warnings}` (`validation`).
pub struct Writer<'o> {
    /// Where the text goes.
    pub out: &'o mut String,
    /// Write validations instead of outcomes.
    pub validation: bool,
    /// Items written in the batch so far (for the commas).
    items: usize,
}

impl<'o> Writer<'o> {
    /// A writer into `out`.
    pub fn new(out: &'o mut String, validation: bool) -> Writer<'o> {
        Writer { out, validation, items: 0 }
    }

    fn answer(&mut self, answer: &Answer<'_>) {
        if self.validation {
            answer.write_validation(self.out);
        } else {
            answer.write(self.out);
        }
    }
}

impl Sink for Writer<'_> {
    fn message(&mut self, answer: &mut Answer<'_>) {
        self.answer(answer);
    }

    fn batch(&mut self, _: usize) {
        self.items = 0;
        write::batch_open(self.out);
    }

    fn item(&mut self, answer: &mut Answer<'_>) {
        if self.items > 0 {
            self.out.push(',');
        }
        self.items += 1;
        self.answer(answer);
    }

    fn batch_end(&mut self, errors: Vec<Issue>) {
        write::batch_close(self.out, &errors);
    }
}

/// Makes the owned outcomes of the Rust API: an [`Outcome`] or a [`BatchOutcome`].
#[derive(Debug, Default)]
pub struct Outcomes {
    /// What the input became, once answered.
    pub mapped: Option<Mapped>,
}

impl Outcomes {
    /// The input's one outcome (a batch's first item's, should it have been a batch).
    pub fn outcome(self) -> Option<Outcome> {
        match self.mapped? {
            Mapped::Message(outcome) => Some(outcome),
            Mapped::Batch(batch) => batch.outcomes.into_iter().next(),
        }
    }

    /// The input's batch outcome (a message's as a batch of one, should it have been one).
    pub fn batch(self) -> Option<BatchOutcome> {
        match self.mapped? {
            Mapped::Batch(batch) => Some(batch),
            Mapped::Message(outcome) => Some(BatchOutcome { outcomes: vec![outcome], errors: Vec::new() }),
        }
    }

    /// The input's validation.
    pub fn validation(self) -> Option<Validation> {
        self.outcome().map(Validation::from)
    }
}

impl Sink for Outcomes {
    fn message(&mut self, answer: &mut Answer<'_>) {
        self.mapped = Some(Mapped::Message(answer.take_outcome()));
    }

    fn batch(&mut self, items: usize) {
        self.mapped = Some(Mapped::Batch(BatchOutcome { outcomes: Vec::with_capacity(items), errors: Vec::new() }));
    }

    fn item(&mut self, answer: &mut Answer<'_>) {
        if let Some(Mapped::Batch(batch)) = &mut self.mapped {
            batch.outcomes.push(answer.take_outcome());
        }
    }

    fn batch_end(&mut self, errors: Vec<Issue>) {
        if let Some(Mapped::Batch(batch)) = &mut self.mapped {
            batch.errors = errors;
        }
    }
}
