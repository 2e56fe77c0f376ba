//! The one engine: every input, text or value, Rust or JS, default settings or custom ones, is
//! answered here. A value comes in as its JSON text.
//!
//! The text is scanned once (`scan.rs`): that pass checks it is JSON and settles everything about
//! it (broken JSON with what and where, escapes, lone surrogates, numbers of any length, nesting,
//! sizes as written) and records where the fields are. The rules read only a few fields, declared
//! in `spec::reads`, so only those are parsed, into a borrowed view the checks (`spec::check`)
//! run on. The outcome is written by the one writer (`write`), traits and properties copied from
//! the text (numbers keep the digits they were sent with). Settings that read whole messages
//! (custom mappings, a tracking plan: [`Whole`]) get the message parsed whole from the same scan.
//!
//! Only a host's own serializer gets `None` ([`Settings::walks`]): for text that is not JSON or
//! nests too deep, a walk over the host's value answers in its own words.

mod scan;
pub mod split;

pub(crate) use scan::{Broken, Problem};

use serde_json::{Map, Value};

use crate::call::CallType;
use std::borrow::Cow;

use crate::answer::{Answer, Made, Op, Ops, Sink, Writer};
use crate::input::{self, MAX_BATCH_ITEMS, MAX_DEPTH, MAX_MESSAGE_BYTES};
use crate::issue::{Code, Issue};
use crate::map;
use crate::operation::{Operation, OperationKind};
use crate::outcome::Status;
use crate::pointer::Pointer;
use crate::privacy::{self, Found, Privacy};
use crate::rules::Levels;
use crate::spec::{self, Checked, Envelope, Fields, Member, Members, Message, Reads, Report};
use crate::write;
use scan::{Depth, Entry, Kind, Step, Tape};

/// What the text is expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A message or a batch, told apart as `Destination::map_input` does.
    Any,
    /// One message, whatever it looks like (`Destination::map`; the wasm `map` of `JSON.stringify` text).
    Message,
    /// A batch (`Destination::map_batch`; the wasm `mapBatch` of `JSON.stringify` text).
    Batch,
    /// One message, answered as `{valid, errors, warnings}` (`Destination::validate`; the wasm
    /// `validate` of `JSON.stringify` text).
    Validation,
}

/// The outcome text of `bytes` for a Destination with the built-in
/// mapping. With `Shape::Any` there is always an answer: text that is not JSON or over a limit
/// gets its issue. The other shapes read text a host's serializer wrote of a value
/// (`JSON.stringify`), and give `None` when a walk over the value must answer instead: text that
/// is not JSON, or nests past [`MAX_DEPTH`] levels anywhere.
pub fn map_text(strict: bool, bytes: &[u8], hint: Option<CallType>, shape: Shape) -> Option<String> {
    answer(Settings { strict, levels: &Levels::NONE, whole: None, privacy: None, walks: true }, bytes, hint, shape)
}

/// What a Destination adds to the built-in path: a tracking plan and custom mappings, which read
/// whole messages. Implemented by `astrolabe-segment`'s Destination. The engine reads the message
/// whole, checks it and finishes its answer; these say only what the plan and the mappings add.
pub trait Whole {
    /// The tracking plan's verdict on a checked message (`message`, whole, at `base` in the input;
    /// the envelope's `context` and `integrations` whole too): its issues go to `report`; it gives
    /// the keys of traits or properties the plan drops from the operations.
    fn plan(
        &self,
        message: &Value,
        base: &Pointer,
        envelope: &Envelope<'_>,
        fields: &Fields<'_>,
        report: &mut Report,
    ) -> Vec<String>;

    /// The operations of a valid message when custom mappings make any of them (each kind's
    /// custom mapping where it has one, the built-in mapping for the others; failures go to
    /// `report`), or `None` when none is set for its kinds and the built-in mapping makes them all.
    fn operations(
        &self,
        message: &Value,
        base: &Pointer,
        envelope: &Envelope<'_>,
        fields: &Fields<'_>,
        report: &mut Report,
    ) -> Option<Vec<Operation>>;
}

/// The settings the engine runs with.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    /// Warnings are errors.
    pub strict: bool,
    /// The level users set each rule to (`rules`).
    pub levels: &'a Levels,
    /// Custom mappings or a plan: messages are read whole and answered by it.
    pub whole: Option<&'a dyn Whole>,
    /// Personal data looked for in each message, and what is done with it (`pii_detected`).
    pub privacy: Option<&'a Privacy>,
    /// The text is what a host's serializer (`JSON.stringify`) wrote of a value the host can
    /// walk itself: when it is not JSON or nests past [`MAX_DEPTH`] levels anywhere, the answer
    /// is `None` and the walk reports it in its own words. Otherwise every text is answered.
    pub walks: bool,
}

/// The levels a scan records for one message (the root is level 1): its members, and the
/// members of those the rules take apart (`context`, `traits`, ...).
const MESSAGE_LEVELS: u32 = 2;
/// For a batch written as a bare array: its items are one level below the root.
const ARRAY_LEVELS: u32 = MESSAGE_LEVELS + 1;
/// For a batch envelope: its items are two levels below the root (`{"batch": [...]}`).
const ENVELOPE_LEVELS: u32 = MESSAGE_LEVELS + 2;

/// [`map_text`] with a Destination's settings: the one engine for text, whatever the settings.
/// `hint` is the call type of a single message's body; a batch's items carry their own.
pub fn answer(settings: Settings<'_>, bytes: &[u8], hint: Option<CallType>, shape: Shape) -> Option<String> {
    let mut out = String::new();
    answer_into(settings, bytes, hint, shape, &mut out).then_some(out)
}

/// [`answer`] written into `out` (cleared first), so that a caller answering input after input
/// keeps one buffer's room instead of allocating an answer each time. False, with `out` empty,
/// when [`answer`] gives `None`.
pub fn answer_into(
    settings: Settings<'_>,
    bytes: &[u8],
    hint: Option<CallType>,
    shape: Shape,
    out: &mut String,
) -> bool {
    out.clear();
    out.reserve(bytes.len() + 256);
    let answered = run(settings, bytes, hint, shape, &mut Writer::new(out, shape == Shape::Validation));
    if !answered {
        out.clear();
    }
    answered
}

/// Answers `bytes` read as `shape`, handing each answer to `sink` as it goes. False when a walk
/// over the host's value must answer instead ([`Settings::walks`]); then `sink` got nothing.
pub fn run(settings: Settings<'_>, bytes: &[u8], hint: Option<CallType>, shape: Shape, sink: &mut dyn Sink) -> bool {
    let walks = settings.walks && shape != Shape::Any;
    let text = match input::text(bytes) {
        Ok(text) => text,
        Err(_) if walks => return false,
        Err(issue) => return refusal(sink, issue, shape),
    };
    let lane = Lane {
        text,
        strict: settings.strict,
        levels: settings.levels,
        whole: settings.whole,
        privacy: settings.privacy,
    };
    // Text that may be a message or an envelope is scanned as a message until a root member
    // named `batch`.
    let first = text.bytes().find(|byte| !crate::plain::is_whitespace(*byte));
    let depth = match (shape, first) {
        (Shape::Message | Shape::Validation, _) => Depth::fixed(MESSAGE_LEVELS),
        (_, Some(b'[')) => Depth::fixed(ARRAY_LEVELS),
        (Shape::Batch, _) => Depth::fixed(ENVELOPE_LEVELS),
        (Shape::Any, _) => Depth { levels: MESSAGE_LEVELS, batch: ENVELOPE_LEVELS },
    };
    let tape = match Tape::scan(text, depth) {
        Ok(tape) => tape,
        Err(_) if walks => return false,
        Err(broken) => return refusal(sink, input::broken(text, broken), shape),
    };
    let Some(root) = tape.get(0) else { return false };
    if walks && root.height as usize > MAX_DEPTH {
        return false;
    }
    let batch = match (shape, root.kind) {
        (Shape::Message | Shape::Validation, _) => false,
        (_, Kind::Array) => {
            let items = Items { tape: &tape, container: 0, path: Pointer::root() };
            return lane.batch(sink, &items, &Envelope::default());
        }
        (Shape::Batch, _) => true,
        // An envelope has a `batch` key: without one spelled plainly (the scan went deeper at
        // it) or one that might be spelled with escapes, the keys need not be read.
        (Shape::Any, Kind::Object) => {
            (tape.levels == ENVELOPE_LEVELS || tape.escaped_root_key)
                && spec::is_envelope(tape.children(0).map(|(_, entry)| lane.key(entry)))
        }
        (Shape::Any, _) => false,
    };
    if !batch {
        lane.message(sink, false, &tape, 0, &Pointer::root(), hint, &Envelope::default()).is_some()
    } else if tape.levels != ENVELOPE_LEVELS {
        // Its `batch` key was written with escapes: scanned again, as deep as a batch.
        match Tape::scan(text, Depth::fixed(ENVELOPE_LEVELS)) {
            Ok(tape) => lane.envelope(sink, &tape),
            Err(_) => false,
        }
    } else {
        lane.envelope(sink, &tape)
    }
}

/// The answer to input refused as a whole, in the shape asked for (with `Shape::Any`, a batch's
/// when the issue is the batch's, else an invalid message's). Always an answer.
fn refusal(sink: &mut dyn Sink, issue: Issue, shape: Shape) -> bool {
    if shape == Shape::Batch || (shape == Shape::Any && issue.code == Code::BatchTooLarge) {
        refuse_batch(sink, vec![issue]);
    } else {
        sink.message(&mut Answer::invalid(vec![issue]));
    }
    true
}

/// A batch refused as a whole, with its errors.
fn refuse_batch(sink: &mut dyn Sink, errors: Vec<Issue>) {
    sink.batch(0);
    sink.batch_end(errors);
}

/// Hands a message's answer to `sink`, as an item of a batch when `item`.
fn emit(sink: &mut dyn Sink, item: bool, mut answer: Answer<'_>) {
    if item {
        sink.item(&mut answer);
    } else {
        sink.message(&mut answer);
    }
}

/// One input's text and the settings it is answered with.
#[derive(Clone, Copy)]
struct Lane<'t> {
    text: &'t str,
    strict: bool,
    levels: &'t Levels,
    whole: Option<&'t dyn Whole>,
    privacy: Option<&'t Privacy>,
}

/// The items of a batch: the array's entry and its path.
struct Items<'a> {
    tape: &'a Tape,
    container: u32,
    path: Pointer,
}

/// Where a message's traits or properties were, to copy them out.
#[derive(Default, Clone, Copy)]
struct Raw {
    traits: Option<Entry>,
    properties: Option<Entry>,
}

impl<'t> Lane<'t> {
    #[cfg_attr(feature = "speed", inline(always))]
    fn slice(&self, (start, end): (u32, u32)) -> &'t str {
        self.text.get(start as usize..end as usize).unwrap_or_default()
    }

    /// A member's key, decoded when it holds escapes.
    #[cfg_attr(feature = "speed", inline(always))]
    fn key(&self, entry: &Entry) -> Cow<'t, str> {
        let key = self.slice(entry.key);
        if !entry.key_escaped {
            return Cow::Borrowed(key);
        }
        self.decoded_key(entry, key)
    }

    /// A key that holds escapes, decoded.
    #[cold]
    fn decoded_key(&self, entry: &Entry, key: &'t str) -> Cow<'t, str> {
        let quoted =
            self.text.get(entry.key.0.saturating_sub(1) as usize..entry.key.1 as usize + 1).unwrap_or_default();
        crate::plain::decoded(quoted).map_or(Cow::Borrowed(key), Cow::Owned)
    }

    /// A string without escapes, between its quotes: read without a copy.
    fn clean_text(&self, entry: &Entry) -> Option<&'t str> {
        let text = self.slice(entry.value);
        (entry.kind == Kind::String && entry.clean).then(|| text.get(1..text.len().saturating_sub(1))).flatten()
    }

    /// The value of an entry, parsed.
    fn value(&self, entry: &Entry) -> Option<Value> {
        let text = self.slice(entry.value);
        // Most of what the rules read is a string without escapes, or a literal: no parser needed.
        match entry.kind {
            Kind::String if entry.clean => self.clean_text(entry).map(|inner| Value::String(inner.to_owned())),
            Kind::Null => Some(Value::Null),
            Kind::Bool => Some(Value::Bool(text == "true")),
            _ => serde_json::from_str(text).ok(),
        }
    }

    /// The envelope's `context` with only the members the checks read, parsed as a message's are.
    fn skeleton(&self, tape: &Tape, index: u32) -> Option<Value> {
        let mut map = Map::new();
        for (_, entry) in tape.children(index) {
            let key = self.key(entry);
            if spec::reads_of_context(&key, entry.kind) {
                let value = self.value_or_empty(entry, !spec::reads_inside_context(&key))?;
                map.insert(key.into_owned(), value);
            } else if !map.is_empty() {
                // As a message's own members: a key sent twice counts with its last value.
                map.shift_remove(&*key);
            }
        }
        Some(Value::Object(map))
    }

    /// A member the rules read some members of (`keep`, each read inside when `inside` says so):
    /// an object's are parsed, anything else is read whole, for the checks to refuse.
    /// `shadowing` is the batch envelope's same object, for `context`: a member it has is kept
    /// whatever its kind, since the message's own value is what applies, not the envelope's.
    fn member(
        &self,
        tape: &Tape,
        index: u32,
        entry: &Entry,
        reads: Reads,
        shadowing: Option<&Map<String, Value>>,
    ) -> Option<Member<'t>> {
        let Reads::Members { keep, inside } = reads else { return None };
        if entry.kind != Kind::Object {
            return Some(Member::Value(Cow::Owned(self.value(entry)?)));
        }
        let mut members = Members::default();
        for (_, child) in tape.children(index) {
            let key = self.key(child);
            if keep(&key, child.kind) || shadowing.is_some_and(|shared| shared.contains_key(&*key)) {
                let value = self.value_or_empty(child, !inside(&key))?;
                members.insert(key, Cow::Owned(value));
            } else if !members.is_empty() {
                // A key sent twice counts with its last value: one kept for its kind before is
                // not, when its last value is not read.
                members.remove(&key);
            }
        }
        Some(Member::Object(members))
    }

    /// The value of an entry, or an empty one of the same kind when it is an object or an array
    /// the rules do not read inside (`empty`).
    fn value_or_empty(&self, entry: &Entry, empty: bool) -> Option<Value> {
        match entry.kind {
            Kind::Object if empty => Some(Value::Object(Map::new())),
            Kind::Array if empty => Some(Value::Array(Vec::new())),
            _ => self.value(entry),
        }
    }

    /// `{"batch": [...], "context"?, "integrations"?, "sentAt"?}`, or the batch refused with the
    /// envelope's errors (spec section 2).
    fn envelope(&self, sink: &mut dyn Sink, tape: &Tape) -> bool {
        let root = Pointer::root();
        if tape.get(0).is_none_or(|entry| entry.kind != Kind::Object) {
            let issue = Issue::new(
                Code::InvalidBatch,
                &root,
                "A batch must be an object {\"batch\": [...]} or a JSON array of messages.",
            );
            refuse_batch(sink, vec![issue]);
            return true;
        }
        let (mut items, mut context, mut integrations, mut sent_at) = (None, None, None, None);
        // What personal data the envelope's `context` holds: reported on every item, since each
        // reads it under its own.
        let mut found: Vec<Found> = Vec::new();
        // Reported in the spec's order, whatever the text's: batch, context, integrations.
        let (mut context_error, mut integrations_error) = (None, None);
        for (index, entry) in tape.children(0) {
            let key = self.key(entry);
            match &*key {
                "batch" => items = Some(index).filter(|_| entry.kind == Kind::Array),
                "context" | "integrations" => {
                    // A key sent twice counts once, with its last value, as a JSON parser reads it.
                    let (slot, read) = if key == "context" {
                        (&mut context_error, &mut context)
                    } else {
                        (&mut integrations_error, &mut integrations)
                    };
                    (*slot, *read) = (None, None);
                    let path = root.key(&key);
                    match entry.kind {
                        Kind::Null => {}
                        Kind::Object => match self.too_deep(entry, &path, 2) {
                            Some(issue) => *slot = Some(issue),
                            None => {
                                let rewritten =
                                    if key == "context" { self.private_context(entry, &mut found) } else { None };
                                *read = match rewritten {
                                    Some(text) => serde_json::from_str(&text).ok(),
                                    None if key == "context" && self.whole.is_none() => self.skeleton(tape, index),
                                    None => self.value(entry),
                                };
                            }
                        },
                        _ => {
                            let message = format!("The batch's \"{key}\" must be an object.");
                            *slot = Some(Issue::new(Code::InvalidBatch, &path, message));
                        }
                    }
                }
                "sentAt" => sent_at = self.value(entry).filter(|value| !value.is_null()),
                _ => {}
            }
        }
        let batch_error = items
            .is_none()
            .then(|| Issue::new(Code::InvalidBatch, &root.key("batch"), "\"batch\" must be an array of messages."));
        let errors: Vec<Issue> = [batch_error, context_error, integrations_error].into_iter().flatten().collect();
        let Some(items) = items.filter(|_| errors.is_empty()) else {
            refuse_batch(sink, errors);
            return true;
        };
        let envelope = Envelope {
            context: context.as_ref().and_then(Value::as_object),
            integrations: integrations.as_ref().and_then(Value::as_object),
            sent_at: sent_at.as_ref(),
            privacy: &found,
        };
        self.batch(sink, &Items { tape, container: items, path: root.key("batch") }, &envelope)
    }

    /// The personal data found in the envelope's `context` (into `found`, which it replaces: a
    /// key sent twice counts with its last value), and the context's text written again when
    /// what was found is replaced; `None` when it is read as it came.
    fn private_context(&self, entry: &Entry, found: &mut Vec<Found>) -> Option<String> {
        found.clear();
        let privacy = self.privacy?;
        let text = self.slice(entry.value);
        privacy.scan(text, 0, "/context", found);
        (!found.is_empty() && privacy.rewrites()).then(|| privacy.rewrite(text, found))
    }

    /// `too_deep` at the first container of `entry` (standing at `level`) past [`MAX_DEPTH`].
    fn too_deep(&self, entry: &Entry, base: &Pointer, level: u32) -> Option<Issue> {
        if (entry.height + level - 1) as usize <= MAX_DEPTH {
            return None;
        }
        let steps = scan::too_deep(self.slice(entry.value), level, MAX_DEPTH as u32)?;
        let at = steps.iter().fold(base.clone(), |path, step| match step {
            Step::Key(key) => path.key(key),
            Step::Index(index) => path.index(*index),
        });
        Some(Issue::new(Code::TooDeep, &at, format!("The JSON is nested deeper than {MAX_DEPTH} levels here.")))
    }

    /// Whether the value of `entry` is over [`MAX_MESSAGE_BYTES`] as serde writes it (numbers as
    /// written). That is never longer than the text as sent: whitespace goes, and what serde
    /// escapes came escaped at least as long. So only text over the limit is compacted, to be
    /// measured.
    fn too_large(&self, entry: &Entry) -> bool {
        let text = self.slice(entry.value);
        text.len() > MAX_MESSAGE_BYTES && {
            let mut compact = String::with_capacity(text.len());
            write::compact(&mut compact, text, entry.clean);
            compact.len() > MAX_MESSAGE_BYTES
        }
    }

    /// Each item's answer, or the batch refused with `batch_too_many`.
    fn batch(&self, sink: &mut dyn Sink, items: &Items<'_>, envelope: &Envelope<'_>) -> bool {
        let count = items.tape.children(items.container).count();
        if count > MAX_BATCH_ITEMS {
            let message = format!("The batch has {count} items; the limit is {MAX_BATCH_ITEMS}.");
            refuse_batch(sink, vec![Issue::new(Code::BatchTooMany, &items.path, message)]);
            return true;
        }
        sink.batch(count);
        for (at, (index, _)) in items.tape.children(items.container).enumerate() {
            if self.message(sink, true, items.tape, index, &items.path.index(at), None, envelope).is_none() {
                return false;
            }
        }
        sink.batch_end(Vec::new());
        true
    }

    /// One message's answer, handed to `sink` (as an item of a batch when `item`).
    #[allow(clippy::too_many_arguments)]
    fn message(
        &self,
        sink: &mut dyn Sink,
        item: bool,
        tape: &Tape,
        index: u32,
        base: &Pointer,
        hint: Option<CallType>,
        envelope: &Envelope<'_>,
    ) -> Option<()> {
        let entry = tape.get(index)?;
        // The limits of one message (spec section 3): its depth from itself, its size as written.
        let limit = self.too_deep(entry, base, 1).or_else(|| {
            self.too_large(entry).then(|| {
                Issue::new(
                    Code::TooLarge,
                    base,
                    format!("The message is over {MAX_MESSAGE_BYTES} bytes serialized as JSON; Segment refuses messages over 32 KB."),
                )
            })
        });
        let mut report = Report::new(self.strict, self.levels);
        if let Some(issue) = limit {
            report.errors.push(issue);
            emit(sink, item, self.finish(report, Ops::default(), None, None));
            return Some(());
        }
        if let (Some(privacy), Kind::Object) = (self.privacy, entry.kind) {
            privacy.report(envelope.privacy, &Pointer::root(), &mut report);
            let text = self.slice(entry.value);
            let mut found = Vec::new();
            for (_, member) in tape.children(index).filter(|(_, member)| member.kind == Kind::Object) {
                let key = self.key(member);
                let Some((_, prefix)) = privacy::MEMBERS.iter().find(|(name, _)| *name == key) else { continue };
                let offset = member.value.0.saturating_sub(entry.value.0) as usize;
                privacy.scan(self.slice(member.value), offset, prefix, &mut found);
            }
            privacy.report(&found, base, &mut report);
            if !found.is_empty() && privacy.rewrites() {
                // The message answered is the one that leaves: its found parts replaced.
                let rewritten = privacy.rewrite(text, &found);
                let tape = Tape::scan(&rewritten, Depth::fixed(MESSAGE_LEVELS)).ok()?;
                let lane = Lane { text: &rewritten, privacy: None, ..*self };
                return lane.answer(sink, item, &tape, 0, base, hint, envelope, report);
            }
        }
        self.answer(sink, item, tape, index, base, hint, envelope, report)
    }

    /// The answer of a message within the limits, whose report holds what was found before its
    /// checks.
    #[allow(clippy::too_many_arguments)]
    fn answer(
        &self,
        sink: &mut dyn Sink,
        item: bool,
        tape: &Tape,
        index: u32,
        base: &Pointer,
        hint: Option<CallType>,
        envelope: &Envelope<'_>,
        mut report: Report,
    ) -> Option<()> {
        let entry = tape.get(index)?;
        if let Some(whole) = self.whole {
            emit(sink, item, self.whole_message(whole, report, &self.value(entry)?, base, hint, envelope));
            return Some(());
        }
        if entry.kind != Kind::Object {
            spec::not_an_object(&self.value(entry)?, base, &mut report);
            emit(sink, item, self.finish(report, Ops::default(), None, None));
            return Some(());
        }
        let mut raw = Raw::default();
        let mut message = Message::with_capacity(16);
        for (child, member) in tape.children(index) {
            let key = self.key(member);
            let reads = spec::reads(&key);
            let value = match reads {
                Reads::Whole | Reads::Misspelled => match self.clean_text(member) {
                    Some(text) => Member::Text(text),
                    None => Member::Value(Cow::Owned(self.value(member)?)),
                },
                Reads::Members { .. } => {
                    if key == "traits" || key == "properties" {
                        let slot = if key == "traits" { &mut raw.traits } else { &mut raw.properties };
                        *slot = Some(*member).filter(|member| member.kind == Kind::Object);
                    }
                    let shadowing = if key == "context" { envelope.context } else { None };
                    self.member(tape, child, member, reads, shadowing)?
                }
                Reads::Nothing => continue,
            };
            if matches!(reads, Reads::Misspelled) {
                message.insert_misspelled(key, value);
            } else {
                message.insert(key, value);
            }
        }
        match spec::check(&message, base, hint, envelope, &mut report) {
            None => emit(sink, item, self.finish(report, Ops::default(), None, None)),
            Some(Checked::Unsupported(reason)) => {
                emit(sink, item, self.finish(report, Ops::default(), Some(reason), None))
            }
            Some(Checked::Message(fields)) => {
                let operations = if report.errors.is_empty() && fields.disabled.is_none() {
                    self.operations(&fields, raw)
                } else {
                    Ops::default()
                };
                let skip = fields.disabled.clone();
                emit(sink, item, self.finish(report, operations, skip, fields.event.clone()));
            }
        }
        Some(())
    }

    /// The answer of a message read whole, for settings that read whole messages (a tracking
    /// plan, custom mappings): the same checks, then what the plan and the mappings say.
    fn whole_message<'m>(
        &self,
        whole: &dyn Whole,
        mut report: Report,
        value: &'m Value,
        base: &Pointer,
        hint: Option<CallType>,
        envelope: &Envelope<'_>,
    ) -> Answer<'m> {
        let Some(view) = spec::view_of(value, base, &mut report) else {
            return self.finish(report, Ops::default(), None, None);
        };
        let fields = match spec::check(&view, base, hint, envelope, &mut report) {
            None => return self.finish(report, Ops::default(), None, None),
            Some(Checked::Unsupported(reason)) => return self.finish(report, Ops::default(), Some(reason), None),
            Some(Checked::Message(fields)) => fields,
        };
        let omit = whole.plan(value, base, envelope, &fields, &mut report);
        let mut operations = Ops::default();
        if report.errors.is_empty() && fields.disabled.is_none() {
            let made = whole
                .operations(value, base, envelope, &fields, &mut report)
                .unwrap_or_else(|| map::operations(&fields));
            for mut operation in made {
                operation.drop_keys(&omit);
                operations.push(Op::Owned(Box::new(operation)));
            }
        }
        let event = fields.event.as_deref().map(|event| Cow::Owned(event.to_owned()));
        self.finish(report, operations, fields.disabled.clone(), event)
    }

    /// The answer of a checked message (see `Report::settle`): operations only when mapped.
    fn finish<'a>(
        &self,
        mut report: Report,
        mut operations: Ops<'a>,
        skip: Option<Issue>,
        event: Option<Cow<'a, str>>,
    ) -> Answer<'a> {
        let (status, reason) = report.settle(skip);
        if status != Status::Mapped {
            operations.clear();
        }
        Answer { status, operations, errors: report.errors, warnings: report.warnings, reason, event }
    }

    /// The built-in mapping (`map::makes`) of a message read from the text: its traits or
    /// properties stay the input's text.
    fn operations<'a>(&self, fields: &'a Fields<'a>, raw: Raw) -> Ops<'a>
    where
        't: 'a,
    {
        let mut operations = Ops::default();
        for kind in OperationKind::for_call(fields.call) {
            if !map::makes(*kind, fields) {
                continue;
            }
            let body = match kind {
                OperationKind::UpsertUser | OperationKind::UpsertAccount => self.body(raw.traits.as_ref()),
                OperationKind::TrackEvent => self.body(raw.properties.as_ref()),
                OperationKind::AssociateUser => None,
            };
            operations.push(Op::Made(Made { kind: *kind, fields, body }));
        }
        operations
    }

    /// Traits or properties as sent, or none.
    fn body(&self, entry: Option<&Entry>) -> Option<(&'t str, bool)> {
        entry.map(|entry| (self.slice(entry.value), entry.clean))
    }
}
