//! `astrolabe-segment check`: every message of a set of files checked, and counted.
//!
//! The command line (`pkg/cli/`) reads files, un-gzips them, spreads the bytes over worker threads
//! and prints; everything it decides is here, so that `cargo test` reaches it: how bytes become
//! values ([`Framer`]), what each value counts as (a [`Checker`] and its [`Report`]: `mapped`,
//! `skipped`, `invalid`, or `unreadable` for text that is not JSON), which examples are kept, how
//! reports merge (threads, `--shard`s), which files a directory and a shard hold, and how a report
//! is printed. A `Checker` is fed bytes in pieces, many lines at a time, and gives back only its
//! report at the end.
//!
//! `astrolabe-segment infer` reads the same input the same way into a draft tracking plan: an
//! [`Inferrer`] per thread, fed as a `Checker` is, gives back its [`Inference`], and inferences
//! merge and are written as a plan ([`Inference::plan`]; src/check/infer/ says how).
//!
//! ```
//! use astrolabe_segment::check::{Checker, Framing};
//! use astrolabe_segment::Config;
//!
//! let mut checker = Checker::new(Config::default())?;
//! let lines = concat!(
//!     r#"{"type":"track","userId":"u1","event":"Paid"}"#, "\n",
//!     r#"{"batch":[{"type":"identify","userId":"u1"},{"type":"track","event":"Paid"}]}"#, "\n",
//!     "not JSON\n",
//! );
//! checker.read("logs.ndjson", Framing::Lines, 1, lines.as_bytes());
//! let report = checker.report();
//! assert_eq!((report.messages, report.mapped, report.invalid, report.unreadable), (3, 2, 1, 1));
//! assert_eq!(report.events["Paid"].invalid, 1);
//! let example = &report.examples["missing_identity"][0];
//! assert_eq!((example.line, example.path.as_str()), (Some(2), "/batch/1/userId"));
//! # Ok::<(), astrolabe_segment::ConfigError>(())
//! ```

mod convert;
mod diff;
mod frame;
mod infer;
mod present;
mod probe;
mod record;
mod replay;
mod report;
mod shard;
mod streams;

use std::borrow::Cow;

pub use convert::{convert_plan, ConvertedPlan};
pub use diff::{diff_plans, render_diff, DiffFormat, PlanFileError};
pub use frame::{End, Framed, Framer, Framing, DETECT_BYTES, MAX_HELD};
pub use infer::{Inference, InferredPlan, Inferrer, Inferring};
pub use present::Format;
pub use replay::{Answered, EventTraffic, Replayer, Replaying, Traffic, TrafficExample, EXAMPLES as TRAFFIC_EXAMPLES};
pub use report::{EventCount, Example, Report, Severity, EXAMPLES_PER_CODE};
pub use shard::{path_hash, wanted_in_directory, Shard};
pub use streams::{Reader, Reads};

use crate::answer::{Answer, Sink};
use crate::call::CallType;
use crate::config::{Config, ConfigError};
use crate::destination::{Destination, MapOptions};
use crate::issue::{Code, Issue};
use crate::outcome::Status;
use crate::pointer::Pointer;
use report::Place;

/// A file that could not be read, as the reader found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// It could not be opened or read (`unreadable_file`).
    UnreadableFile,
    /// Its gzip data is broken or cut short (`broken_gzip`).
    BrokenGzip,
}

impl Problem {
    /// The code the report counts it under.
    pub const fn as_str(self) -> &'static str {
        match self {
            Problem::UnreadableFile => "unreadable_file",
            Problem::BrokenGzip => "broken_gzip",
        }
    }

    /// The problem with this code.
    pub fn from_name(name: &str) -> Option<Problem> {
        [Problem::UnreadableFile, Problem::BrokenGzip].into_iter().find(|problem| problem.as_str() == name)
    }

    /// What the report says of it: `detail` is the reader's own error (`ENOENT: no such file`,
    /// `unexpected end of file`).
    pub(crate) fn message(self, detail: &str, line: Option<u64>) -> String {
        match (self, line) {
            (Problem::UnreadableFile, None) => format!("The file cannot be read: {detail}."),
            (Problem::UnreadableFile, Some(_)) => {
                format!("The file cannot be read past this line: {detail}. What came before was checked.")
            }
            (Problem::BrokenGzip, _) => format!(
                "The gzip data is broken ({detail}): the file is read up to this point, what came before was checked."
            ),
        }
    }
}

/// The settings of a check: a Destination's config (`--config`, JSON), a tracking plan that
/// replaces the config's (`--plan`, JSON) and `--strict`. The errors say which file is at fault.
///
/// ```
/// use astrolabe_segment::check::settings;
/// let config = settings(Some(r#"{"strict": false}"#), Some(r#"{"rules": []}"#), true).unwrap();
/// assert!(config.strict && config.tracking_plan.is_some());
/// assert!(settings(Some("{"), None, false).unwrap_err().starts_with("the --config file is not JSON: "));
/// ```
pub fn settings(config: Option<&str>, plan: Option<&str>, strict: bool) -> Result<Config, String> {
    let mut config = match config {
        Some(text) => {
            let value =
                serde_json::from_str(text).map_err(|error| format!("the --config file is not JSON: {error}"))?;
            Config::from_value(value)
                .map_err(|error| format!("the --config file is not a Destination config: {}", error.message()))?
        }
        None => Config::default(),
    };
    if let Some(text) = plan {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|error| format!("the --plan file is not JSON: {error}"))?;
        if !value.is_object() {
            return Err("the --plan file is not a tracking plan: it must be a JSON object".to_owned());
        }
        config.tracking_plan = Some(value);
    }
    config.strict |= strict;
    Ok(config)
}

/// Checks values and counts them into a [`Report`]: a [`Reader`] whose values are checked
/// ([`Checking`]). One per thread; several streams may be open at once.
pub type Checker = Reader<Checking>;

impl Checker {
    /// A checker with these settings (those of `new Destination(config)`).
    pub fn new(config: Config) -> Result<Checker, ConfigError> {
        Ok(Reader::with(Checking { destination: Destination::new(config)?, report: Report::default() }))
    }

    /// What the settings' plan was read with a warning (a `$schema` read as the draft it nearly
    /// names), for the command line to print once.
    pub fn warnings(&self) -> &[String] {
        self.reads().destination.warnings()
    }

    /// What was counted so far.
    pub fn report(&self) -> &Report {
        &self.reads().report
    }

    /// The report, leaving an empty one.
    pub fn take_report(&mut self) -> Report {
        std::mem::take(&mut self.reads_mut().report)
    }
}

/// What a [`Checker`]'s values are checked with and counted into.
#[derive(Debug)]
pub struct Checking {
    destination: Destination,
    report: Report,
}

impl Reads for Checking {
    fn framed(&mut self, file: &str, framed: Framed<'_>) {
        match framed {
            Framed::Value { line, index, text } => self.value(file, line, index, text),
            Framed::Unclosed { line, elements } => {
                let place = Place { file, line: Some(line), prefix: "" };
                self.report.unreadable(&place, &[unclosed(elements, "checked")]);
            }
        }
    }

    /// Counted in the report's `files`.
    fn count_file(&mut self) {
        self.report.files += 1;
    }

    fn problem(&mut self, file: &str, line: Option<u64>, problem: Problem, detail: &str) {
        self.report.unreadable_file(file, line, problem.as_str(), &problem.message(detail, line));
    }

    fn seen(&self) -> u64 {
        self.report.messages + self.report.unreadable
    }
}

impl Checking {
    /// One value: a message, a batch body, or an inspector record holding one.
    fn value(&mut self, file: &str, line: u64, index: Option<usize>, text: &[u8]) {
        let value = match Unwrapped::of(text, index) {
            Ok(value) => value,
            Err((prefix, issue)) => {
                let place = Place { file, line: Some(line), prefix: &prefix };
                self.report.unreadable(&place, &[issue]);
                return;
            }
        };
        let place = Place { file, line: Some(line), prefix: &value.prefix };
        let hint = value.hint;
        let mut tally = Tally { report: &mut self.report, place, text: &value.text, hint, probed: None, item: 0 };
        self.destination.answer_json(&value.text, &MapOptions { call_type: hint }, &mut tally);
    }
}

/// The issue of a JSON array left open at the end of its line or file, whose elements were each
/// `done` ("checked", "read") as a message.
pub(crate) fn unclosed(elements: usize, done: &str) -> Issue {
    let message = format!(
        "The JSON array that starts here is not closed: its line or file ends after {elements} element{}, each {done} as a message.",
        if elements == 1 { "" } else { "s" }
    );
    Issue::new(Code::InvalidJson, &Pointer::root(), message)
}

/// A framed value made ready for the engine: the message's text (an inspector record's message),
/// the call type its route gave, and the path of the message within what begins on its line.
pub(crate) struct Unwrapped<'t> {
    pub text: Cow<'t, [u8]>,
    pub hint: Option<CallType>,
    /// `/2` for an array's third element, `/message` in an inspector record.
    pub prefix: String,
}

impl<'t> Unwrapped<'t> {
    /// The value `text` (element `index` of a top-level array), or, for a record that kept no
    /// message, its prefix and why it is unreadable.
    pub fn of(text: &'t [u8], index: Option<usize>) -> Result<Unwrapped<'t>, (String, Issue)> {
        let mut prefix = index.map_or(String::new(), |index| Pointer::root().index(index).as_str().to_owned());
        match record::record(text) {
            Some(record) => {
                prefix.push_str("/message");
                let Some(text) = record.text else {
                    let message = "The inspector kept no message in this record (its body was JSON but not an object).";
                    return Err((prefix, Issue::new(Code::InvalidJson, &Pointer::root(), message)));
                };
                Ok(Unwrapped { text, hint: record.hint, prefix })
            }
            None => Ok(Unwrapped { text: Cow::Borrowed(text), hint: None, prefix }),
        }
    }
}

/// Counts the engine's answers for one value as they come: its message's, or its batch's items'.
struct Tally<'a> {
    report: &'a mut Report,
    place: Place<'a>,
    /// The value's text, read again for the event names the answers do not know.
    text: &'a [u8],
    hint: Option<CallType>,
    /// The batch's items' event names, read from the text once an item needs one.
    probed: Option<Option<Vec<probe::Probed>>>,
    /// The next item's index.
    item: usize,
}

impl Tally<'_> {
    /// A track call's event name: the answer's, or, when the engine could not read the call
    /// (no usable `type`), what the text says.
    fn event(&mut self, answer: &Answer<'_>, item: Option<usize>) -> Option<String> {
        if let Some(event) = &answer.event {
            return Some(event.to_string());
        }
        let unsupported = answer.reason.as_ref().is_some_and(|reason| reason.code == Code::UnsupportedType);
        if answer.status != Status::Invalid || unsupported {
            return None;
        }
        match item {
            None => probe::names(self.text, self.hint).message,
            Some(index) => {
                let text = self.text;
                let probed = self.probed.get_or_insert_with(|| probe::names(text, None).items);
                probed.as_ref().and_then(|items| items.get(index)).and_then(|item| item.event.clone())
            }
        }
    }
}

impl Sink for Tally<'_> {
    fn message(&mut self, answer: &mut Answer<'_>) {
        if unreadable(answer) {
            self.report.unreadable(&self.place, &answer.errors);
            return;
        }
        let event = self.event(answer, None);
        self.report.message(&self.place, answer, event.as_deref());
    }

    fn batch(&mut self, _: usize) {
        self.item = 0;
    }

    fn item(&mut self, answer: &mut Answer<'_>) {
        let index = self.item;
        self.item += 1;
        let event = self.event(answer, Some(index));
        self.report.message(&self.place, answer, event.as_deref());
    }

    fn batch_end(&mut self, errors: Vec<Issue>) {
        if self.item == 0 && !errors.is_empty() {
            self.report.refused(&self.place, &errors);
        } else {
            self.report.issues(&self.place, &errors, report::Severity::Error);
        }
    }
}

/// Text the engine could not read as JSON (or UTF-8): unreadable, not an invalid message.
fn unreadable(answer: &Answer<'_>) -> bool {
    answer.status == Status::Invalid && answer.errors.iter().any(|issue| issue.code == Code::InvalidJson)
}

#[cfg(test)]
mod tests;
