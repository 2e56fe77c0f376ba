//! `astrolabe-segment diff --traffic`: recorded messages replayed through two plans, each with the
//! engine a Destination of that plan is (the answers `check --plan` gives), in one pass over the
//! input: every value is framed once and answered by both Destinations, message by message.
//!
//! What is counted, into a [`Traffic`] that adds up over threads and shards like a check's
//! [`Report`](super::Report):
//!
//! - `messages`: messages replayed (a batch's items each count; a batch refused as a whole is
//!   one), as `check` counts them; `unreadable`: values that are not JSON and files that could not
//!   be read, which neither plan answers;
//! - `changed`: messages whose answer differs between the plans: its status (`mapped`, `skipped`,
//!   `invalid`), or its issues, compared by severity, code and path (not by their wording, which
//!   names the rule's version);
//! - `newlyRefused`: messages the old plan's Destination did not refuse (`mapped` or `skipped`)
//!   and the new one's does (`invalid`); `newlyAccepted`: the other way round;
//! - `byEvent`: the same four counts by what the message is: `TRACK <event>` for a track call
//!   with an event name, else its call type in capitals (`IDENTIFY`, `GROUP`, `PAGE`, ...), or
//!   `(unknown)` when it has none;
//! - `examples`: the first [`EXAMPLES`] changed messages, newly refused first, then the others
//!   changed, then newly accepted, each in the order of file, line and path, with both answers'
//!   statuses and codes and the first issue only one of them gives.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::frame::Framed;
use super::probe::{self, Probed};
use super::report::Severity;
use super::streams::{Reader, Reads};
use super::{Problem, Unwrapped};
use crate::answer::{Answer, Sink};
use crate::call::CallType;
use crate::config::Config;
use crate::destination::{Destination, MapOptions};
use crate::issue::{Code, Issue};
use crate::operation::OperationKind;
use crate::outcome::Status;

/// How many changed messages a [`Traffic`] keeps as examples.
pub const EXAMPLES: usize = 10;

/// What replaying traffic through two plans found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Traffic {
    /// Files (and standard input) read.
    pub files: u64,
    /// Messages replayed.
    pub messages: u64,
    /// Values that are not JSON, and files that could not be read or un-gzipped.
    pub unreadable: u64,
    /// Messages whose answer differs: status, or issues (severity, code, path).
    pub changed: u64,
    /// Messages not refused by the old plan's Destination and refused by the new one's.
    pub newly_refused: u64,
    /// Messages refused by the old plan's Destination and not by the new one's.
    pub newly_accepted: u64,
    /// The counts by track event (`TRACK Order Completed`) or call type (`IDENTIFY`).
    pub by_event: BTreeMap<String, EventTraffic>,
    /// The first changed messages.
    pub examples: Vec<TrafficExample>,
}

/// The counts of one event or call type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct EventTraffic {
    /// Messages replayed.
    pub messages: u64,
    /// Of those, the ones whose answer differs.
    pub changed: u64,
    /// Of those, the ones newly refused.
    pub newly_refused: u64,
    /// Of those, the ones newly accepted.
    pub newly_accepted: u64,
}

/// A changed message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficExample {
    /// The file as it was named or found (`-` for standard input).
    pub file: String,
    /// The line the message (or its batch, its array) begins on.
    pub line: Option<u64>,
    /// Where the message is in what begins there (`/batch/3`, `/2`, `/message`); `""` for the value.
    pub path: String,
    /// `TRACK <event>` or the call type, as in `byEvent`.
    pub event: String,
    /// The old plan's answer.
    pub old: Answered,
    /// The new plan's answer.
    pub new: Answered,
    /// The first issue only one of the answers gives: `new: plan_violation at /properties/revenue:
    /// "revenue" must be a number ...`.
    pub issue: Option<String>,
}

/// An answer, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answered {
    /// `mapped`, `skipped` or `invalid`.
    pub status: String,
    /// The codes of its errors, warnings and skip reason, in that order.
    pub codes: Vec<String>,
}

impl Traffic {
    /// The traffic read back from its JSON; every key may be left out.
    pub fn from_json(text: &str) -> Result<Traffic, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if !value.is_object() {
            return Err("a traffic report is a JSON object such as {\"messages\": 0}".to_owned());
        }
        serde_json::from_value(value).map_err(|error| error.to_string())
    }

    /// The traffic as JSON, two spaces of indentation.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Traffic reports (each as [`Traffic::to_json`] wrote it) added up; one that cannot be read is
    /// named by its place in the list, from 1.
    pub fn merged<T: AsRef<str>>(reports: &[T]) -> Result<Traffic, String> {
        let mut whole = Traffic::default();
        for (at, text) in reports.iter().enumerate() {
            whole.merge(Traffic::from_json(text.as_ref()).map_err(|problem| format!("report {}: {problem}", at + 1))?);
        }
        Ok(whole)
    }

    /// Adds `other` in.
    pub fn merge(&mut self, other: Traffic) {
        self.files += other.files;
        self.messages += other.messages;
        self.unreadable += other.unreadable;
        self.changed += other.changed;
        self.newly_refused += other.newly_refused;
        self.newly_accepted += other.newly_accepted;
        for (name, count) in other.by_event {
            self.by_event.entry(name).or_default().add(&count);
        }
        self.examples.extend(other.examples);
        self.examples.sort_by(TrafficExample::order);
        self.examples.truncate(EXAMPLES);
    }

    /// One message's answers under both plans.
    fn message(&mut self, place: &Place<'_>, event: String, old: &Seen, new: &Seen) {
        let refused = |seen: &Seen| seen.status == Status::Invalid;
        let changed = old.status != new.status || old.issues != new.issues;
        let count = EventTraffic {
            messages: 1,
            changed: u64::from(changed),
            newly_refused: u64::from(!refused(old) && refused(new)),
            newly_accepted: u64::from(refused(old) && !refused(new)),
        };
        self.messages += 1;
        self.changed += count.changed;
        self.newly_refused += count.newly_refused;
        self.newly_accepted += count.newly_accepted;
        if changed {
            let example = TrafficExample {
                file: place.file.to_owned(),
                line: place.line,
                path: format!("{}{}", place.prefix, old.path),
                event: event.clone(),
                old: old.answered(),
                new: new.answered(),
                issue: first_difference(old, new),
            };
            let full = self.examples.len() >= EXAMPLES;
            if !(full && self.examples.last().is_some_and(|last| example.order(last) != Ordering::Less)) {
                let at = self.examples.partition_point(|kept| kept.order(&example) != Ordering::Greater);
                self.examples.insert(at, example);
                self.examples.truncate(EXAMPLES);
            }
        }
        match self.by_event.get_mut(&event) {
            Some(known) => known.add(&count),
            None => {
                self.by_event.insert(event, count);
            }
        }
    }
}

impl EventTraffic {
    fn add(&mut self, other: &EventTraffic) {
        self.messages += other.messages;
        self.changed += other.changed;
        self.newly_refused += other.newly_refused;
        self.newly_accepted += other.newly_accepted;
    }
}

impl TrafficExample {
    /// Newly refused first, then the others changed, then newly accepted; each by file, line and
    /// path (array indexes as numbers).
    pub fn order(&self, other: &TrafficExample) -> Ordering {
        self.rank()
            .cmp(&other.rank())
            .then_with(|| self.file.cmp(&other.file))
            .then(self.line.cmp(&other.line))
            .then_with(|| super::report::compare_pointers(&self.path, &other.path))
    }

    fn rank(&self) -> u8 {
        match (self.old.status == "invalid", self.new.status == "invalid") {
            (false, true) => 0,
            (true, false) => 2,
            _ => 1,
        }
    }
}

/// The first issue only one answer gives: `new: plan_violation at /properties/revenue: ...`.
fn first_difference(old: &Seen, new: &Seen) -> Option<String> {
    let only = |side: &str, mine: &Seen, theirs: &Seen| {
        mine.issues
            .iter()
            .zip(&mine.messages)
            .find(|(issue, _)| !theirs.issues.contains(issue))
            .map(|((_, code, path), message)| format!("{side}: {code} at {path}: {message}"))
    };
    only("new", new, old).or_else(|| only("old", old, new))
}

/// Where a value was found.
struct Place<'a> {
    file: &'a str,
    line: Option<u64>,
    prefix: &'a str,
}

/// One message's answer, as the replay compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    status: Status,
    /// `(severity, code, path)` of each error, warning and skip reason, in that order.
    issues: Vec<(u8, &'static str, String)>,
    /// Each issue's sentence, beside `issues`.
    messages: Vec<String>,
    event: Option<String>,
    /// The call, from the operations of a mapped message.
    call: Option<CallType>,
    /// `/batch/3` for a batch's item, `""` for a message.
    path: String,
}

impl Seen {
    fn of(answer: &Answer<'_>, path: String) -> Seen {
        let mut issues = Vec::new();
        let mut messages = Vec::new();
        let severities = [(Severity::Error, &answer.errors[..]), (Severity::Warning, &answer.warnings[..])];
        for (severity, list) in severities.into_iter().chain([(Severity::Skip, answer.reason.as_slice())]) {
            for issue in list {
                issues.push((severity as u8, issue.code.as_str(), issue.path.clone()));
                messages.push(issue.message.clone());
            }
        }
        let call = answer.operations.iter().next().map(|operation| match operation.kind() {
            OperationKind::TrackEvent => CallType::Track,
            OperationKind::UpsertUser => CallType::Identify,
            OperationKind::UpsertAccount | OperationKind::AssociateUser => CallType::Group,
        });
        Seen { status: answer.status, issues, messages, event: answer.event.as_deref().map(str::to_owned), call, path }
    }

    fn refused(errors: &[Issue], path: String) -> Seen {
        let issues =
            errors.iter().map(|issue| (Severity::Error as u8, issue.code.as_str(), issue.path.clone())).collect();
        let messages = errors.iter().map(|issue| issue.message.clone()).collect();
        Seen { status: Status::Invalid, issues, messages, event: None, call: None, path }
    }

    fn answered(&self) -> Answered {
        let status = match self.status {
            Status::Mapped => "mapped",
            Status::Skipped => "skipped",
            Status::Invalid => "invalid",
        };
        Answered {
            status: status.to_owned(),
            codes: self.issues.iter().map(|(_, code, _)| (*code).to_owned()).collect(),
        }
    }
}

/// One value's answers from one Destination, as they come.
#[derive(Default)]
struct Collect {
    seen: Vec<Seen>,
    /// The value is not JSON (or not UTF-8).
    unreadable: bool,
    /// Whether the answers are a batch's items.
    batch: bool,
}

impl Sink for Collect {
    fn message(&mut self, answer: &mut Answer<'_>) {
        if answer.status == Status::Invalid && answer.errors.iter().any(|issue| issue.code == Code::InvalidJson) {
            self.unreadable = true;
            return;
        }
        self.seen.push(Seen::of(answer, String::new()));
    }

    fn batch(&mut self, items: usize) {
        self.batch = true;
        self.seen.reserve(items);
    }

    fn item(&mut self, answer: &mut Answer<'_>) {
        let path = format!("/batch/{}", self.seen.len());
        self.seen.push(Seen::of(answer, path));
    }

    fn batch_end(&mut self, errors: Vec<Issue>) {
        if self.seen.is_empty() && !errors.is_empty() {
            self.seen.push(Seen::refused(&errors, String::new()));
        }
    }
}

/// Replays values through two Destinations and counts how their answers differ: a [`Reader`]
/// whose values are replayed ([`Replaying`]). One per thread, fed as a [`Checker`](super::Checker)
/// is.
pub type Replayer = Reader<Replaying>;

impl Replayer {
    /// A replayer of two plans (the JSON of each plan file, in any format), each the
    /// `trackingPlan` of an otherwise default Destination: the answers of `check --plan`. The
    /// error names the plan (`the old plan`, `the new plan`) and says why.
    pub fn new(old: &str, new: &str) -> Result<Replayer, String> {
        let destination = |text: &str, side: &str| {
            let plan: serde_json::Value =
                serde_json::from_str(text).map_err(|error| format!("the {side} plan is not JSON: {error}"))?;
            Destination::new(Config { tracking_plan: Some(plan), ..Config::default() })
                .map_err(|error| format!("the {side} plan is not a tracking plan it can read: {}", error.message()))
        };
        Ok(Reader::with(Replaying {
            old: destination(old, "old")?,
            new: destination(new, "new")?,
            traffic: Traffic::default(),
        }))
    }

    /// What was counted so far.
    pub fn traffic(&self) -> &Traffic {
        &self.reads().traffic
    }

    /// The traffic counted, leaving none.
    pub fn take_traffic(&mut self) -> Traffic {
        std::mem::take(&mut self.reads_mut().traffic)
    }
}

/// What a [`Replayer`]'s values are answered by, and counted into.
#[derive(Debug)]
pub struct Replaying {
    old: Destination,
    new: Destination,
    traffic: Traffic,
}

impl Reads for Replaying {
    fn framed(&mut self, file: &str, framed: Framed<'_>) {
        match framed {
            Framed::Value { line, index, text } => self.value(file, line, index, text),
            Framed::Unclosed { .. } => self.traffic.unreadable += 1,
        }
    }

    fn count_file(&mut self) {
        self.traffic.files += 1;
    }

    /// One unreadable: neither plan answers what could not be read.
    fn problem(&mut self, _file: &str, _line: Option<u64>, _problem: Problem, _detail: &str) {
        self.traffic.unreadable += 1;
    }

    /// Messages and unreadable values so far.
    fn seen(&self) -> u64 {
        self.traffic.messages + self.traffic.unreadable
    }
}

impl Replaying {
    fn value(&mut self, file: &str, line: u64, index: Option<usize>, text: &[u8]) {
        let Ok(value) = Unwrapped::of(text, index) else {
            self.traffic.unreadable += 1;
            return;
        };
        let options = MapOptions { call_type: value.hint };
        let (mut old, mut new) = (Collect::default(), Collect::default());
        self.old.answer_json(&value.text, &options, &mut old);
        self.new.answer_json(&value.text, &options, &mut new);
        if old.unreadable || new.unreadable {
            self.traffic.unreadable += 1;
            return;
        }
        let place = Place { file, line: Some(line), prefix: &value.prefix };
        // The calls of the messages neither answer names, read from the text once if needed.
        let mut probed: Option<probe::Names> = None;
        for (item, (old, new)) in old.seen.iter().zip(&new.seen).enumerate() {
            let event = old.event.as_ref().or(new.event.as_ref()).cloned();
            let call = old.call.or(new.call);
            let name = match (event, call) {
                (Some(event), _) => format!("TRACK {event}"),
                (None, Some(call)) => call.as_str().to_uppercase(),
                (None, None) => {
                    let names = probed.get_or_insert_with(|| probe::names(&value.text, value.hint));
                    let found = if old.batch_item() {
                        names.items.as_ref().and_then(|items| items.get(item)).cloned().unwrap_or_default()
                    } else {
                        Probed { call: names.call, event: names.message.clone() }
                    };
                    match (found.event, found.call) {
                        (Some(event), _) => format!("TRACK {event}"),
                        (None, Some(call)) => call.as_str().to_uppercase(),
                        (None, None) => "(unknown)".to_owned(),
                    }
                }
            };
            self.traffic.message(&place, name, old, new);
        }
    }
}

impl Seen {
    fn batch_item(&self) -> bool {
        !self.path.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Framing;

    const OLD: &str = r#"{"rules": [{"type": "TRACK", "key": "Paid", "jsonSchema": {"properties": {"properties": {"properties": {"cents": {"type": "number"}}}}}}], "violations": "block"}"#;
    const NEW: &str = r#"{"rules": [{"type": "TRACK", "key": "Paid", "jsonSchema": {"properties": {"properties": {"properties": {"cents": {"type": "integer"}}, "required": ["cents"]}}}}], "violations": "block"}"#;

    #[test]
    fn messages_are_counted_by_how_their_answer_changes() {
        let mut replayer = Replayer::new(OLD, NEW).unwrap();
        let lines = concat!(
            r#"{"type":"track","userId":"u","event":"Paid","properties":{"cents":12}}"#,
            "\n",
            r#"{"type":"track","userId":"u","event":"Paid","properties":{"cents":1.5}}"#,
            "\n",
            r#"{"batch":[{"type":"identify","userId":"u"},{"type":"track","userId":"u","event":"Paid","properties":{}},{"type":"track","userId":"u","event":"Paid","properties":{"cents":"x"}}]}"#,
            "\n",
            "not JSON\n",
            r#"{"type":"page","userId":"u"}"#,
            "\n",
            r#"{"type":"track","event":"Paid","properties":{"cents":2.5}}"#,
            "\n",
        );
        replayer.count_file();
        replayer.read("t.ndjson", Framing::Lines, 1, lines.as_bytes());
        let traffic = replayer.take_traffic();
        assert_eq!((traffic.files, traffic.messages, traffic.unreadable), (1, 7, 1));
        // 1.5 and the missing cents are newly refused; "x" was refused and still is, for the same
        // reason (a code at a path); 2.5 without a user was refused and is, with one issue more.
        assert_eq!((traffic.changed, traffic.newly_refused, traffic.newly_accepted), (3, 2, 0));
        assert_eq!(
            traffic.by_event["TRACK Paid"],
            EventTraffic { messages: 5, changed: 3, newly_refused: 2, newly_accepted: 0 }
        );
        assert_eq!(traffic.by_event["IDENTIFY"].messages, 1);
        assert_eq!(traffic.by_event["PAGE"].messages, 1);
        let first = &traffic.examples[0];
        assert_eq!((first.line, first.path.as_str(), first.event.as_str()), (Some(2), "", "TRACK Paid"));
        assert_eq!(first.old, Answered { status: "mapped".into(), codes: vec![] });
        assert_eq!(first.new, Answered { status: "invalid".into(), codes: vec!["plan_violation".into()] });
        assert!(first.issue.as_deref().unwrap().starts_with("new: plan_violation at /properties/cents: "), "{first:?}");
        assert_eq!((traffic.examples[1].line, traffic.examples[1].path.as_str()), (Some(3), "/batch/1"));
        assert_eq!((traffic.examples[2].line, traffic.examples[2].old.status.as_str()), (Some(6), "invalid"));
        assert_eq!(traffic.examples.len(), 3);
        // The same input, checked in pieces by two replayers, adds up to the same.
        let mut halves = Traffic::default();
        for (at, piece) in lines.split_inclusive('\n').enumerate() {
            let mut replayer = Replayer::new(OLD, NEW).unwrap();
            replayer.read("t.ndjson", Framing::Lines, at as u64 + 1, piece.as_bytes());
            halves.merge(Traffic::from_json(&replayer.take_traffic().to_json()).unwrap());
        }
        halves.files = 1;
        assert_eq!(halves, traffic);
    }

    #[test]
    fn plans_that_cannot_be_read_are_named() {
        assert!(Replayer::new("{", NEW).unwrap_err().starts_with("the old plan is not JSON: "));
        let error = Replayer::new(OLD, r#"{"rules": 3}"#).unwrap_err();
        assert!(error.starts_with("the new plan is not a tracking plan it can read: "), "{error}");
    }
}
