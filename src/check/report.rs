//! What a check found, counted: the report each worker keeps, the one they merge into, and the
//! JSON that `--format json` prints and `merge` reads back.
//!
//! Everything in it adds up: counts and per-code and per-event counts are sums, and the examples
//! of a code are the first [`EXAMPLES_PER_CODE`] in the order of (file, line, path, message),
//! whoever found them. So a report does not depend on how the work was split (threads, shards) or
//! in which order it finished, and merging shards' reports gives the report of the whole run.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::Answer;
use crate::issue::Issue;
use crate::outcome::Status;

/// How many examples a report keeps of each code.
pub const EXAMPLES_PER_CODE: usize = 3;

/// The counts of one check (or of several merged).
///
/// ```
/// use astrolabe_segment::check::Report;
/// let mut whole = Report::from_json(r#"{"messages": 2, "mapped": 2}"#)?;
/// whole.merge(Report::from_json(r#"{"messages": 1, "invalid": 1, "codes": {"missing_event": 1}}"#)?);
/// assert_eq!((whole.messages, whole.invalid, whole.codes["missing_event"]), (3, 1, 1));
/// assert!(!whole.passed());
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Report {
    /// Files (and standard input) read.
    pub files: u64,
    /// Messages checked: `mapped + skipped + invalid` (a batch's items each count).
    pub messages: u64,
    /// Messages valid and mapped.
    pub mapped: u64,
    /// Messages valid but not for Astrolabe (`page`, turned off by `integrations`, ...).
    pub skipped: u64,
    /// Messages with at least one error.
    pub invalid: u64,
    /// Lines or values that are not JSON, and files that could not be read or un-gzipped.
    pub unreadable: u64,
    /// Each code to its count of issues: errors, warnings and skip reasons together.
    pub codes: BTreeMap<String, u64>,
    /// Each track event name to its counts.
    pub events: BTreeMap<String, EventCount>,
    /// Each code to its first examples.
    pub examples: BTreeMap<String, Vec<Example>>,
}

/// The messages of one track event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventCount {
    /// Messages with this event name.
    pub messages: u64,
    /// Of those, the invalid ones.
    pub invalid: u64,
}

/// Where an issue was found, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The file as it was named or found (`-` for standard input).
    pub file: String,
    /// The line the message (or the value that is not JSON) begins on; `null` for a file as a whole.
    pub line: Option<u64>,
    /// A JSON Pointer into the value that begins on that line (`/batch/3/userId`; `/2/event` for
    /// the third element of an array; `/message/...` in an inspector record).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// `error`, `warning` or `skip` (a skipped message's reason).
    pub severity: Severity,
}

/// How much an issue weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The message is invalid, or the input unreadable.
    Error,
    /// A warning of a valid message.
    Warning,
    /// Why a valid message was skipped.
    Skip,
}

/// Where a value was found: its file, the line it begins on, and the path of the message within
/// what begins there (`/2` for an array's third element, `/message` in an inspector record).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub line: Option<u64>,
    pub prefix: &'a str,
}

impl Report {
    /// A report read back from its JSON (`--format json`); every key may be left out.
    pub fn from_json(text: &str) -> Result<Report, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if !value.is_object() {
            return Err("a report is a JSON object such as {\"messages\": 0}".to_owned());
        }
        serde_json::from_value(value).map_err(|error| error.to_string())
    }

    /// The report as JSON, two spaces of indentation, keys in a stable order.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Nothing invalid and nothing unreadable: what makes the command exit 0.
    pub fn passed(&self) -> bool {
        self.invalid == 0 && self.unreadable == 0
    }

    /// The reports of shards (each as [`Report::to_json`] wrote it) added up; a report that
    /// cannot be read is named by its place in the list, from 1.
    pub fn merged<T: AsRef<str>>(reports: &[T]) -> Result<Report, String> {
        let mut whole = Report::default();
        for (at, text) in reports.iter().enumerate() {
            whole.merge(Report::from_json(text.as_ref()).map_err(|problem| format!("report {}: {problem}", at + 1))?);
        }
        Ok(whole)
    }

    /// Adds `other` in: the report of both inputs together.
    pub fn merge(&mut self, other: Report) {
        self.files += other.files;
        self.messages += other.messages;
        self.mapped += other.mapped;
        self.skipped += other.skipped;
        self.invalid += other.invalid;
        self.unreadable += other.unreadable;
        for (code, count) in other.codes {
            *self.codes.entry(code).or_default() += count;
        }
        for (name, count) in other.events {
            let mine = self.events.entry(name).or_default();
            mine.messages += count.messages;
            mine.invalid += count.invalid;
        }
        for (code, examples) in other.examples {
            let mine = self.examples.entry(code).or_default();
            mine.extend(examples);
            mine.sort_by(Example::order);
            mine.truncate(EXAMPLES_PER_CODE);
        }
    }

    /// A message checked (the engine's answer), with the track event name it has.
    pub(crate) fn message(&mut self, place: &Place<'_>, answer: &Answer<'_>, event: Option<&str>) {
        self.messages += 1;
        match answer.status {
            Status::Mapped => self.mapped += 1,
            Status::Skipped => self.skipped += 1,
            Status::Invalid => self.invalid += 1,
        }
        self.issues(place, &answer.errors, Severity::Error);
        self.issues(place, &answer.warnings, Severity::Warning);
        self.issues(place, answer.reason.as_slice(), Severity::Skip);
        if let Some(name) = event {
            let invalid = u64::from(answer.status == Status::Invalid);
            if let Some(count) = self.events.get_mut(name) {
                count.messages += 1;
                count.invalid += invalid;
            } else {
                self.events.insert(name.to_owned(), EventCount { messages: 1, invalid });
            }
        }
    }

    /// A batch body refused as a whole (over a limit, a malformed envelope): one invalid message.
    pub(crate) fn refused(&mut self, place: &Place<'_>, errors: &[Issue]) {
        self.messages += 1;
        self.invalid += 1;
        self.issues(place, errors, Severity::Error);
    }

    /// A value that is not JSON.
    pub(crate) fn unreadable(&mut self, place: &Place<'_>, errors: &[Issue]) {
        self.unreadable += 1;
        self.issues(place, errors, Severity::Error);
    }

    /// A file that could not be read (whole or from `line` on).
    pub(crate) fn unreadable_file(&mut self, file: &str, line: Option<u64>, code: &str, message: &str) {
        self.unreadable += 1;
        let place = Place { file, line, prefix: "" };
        self.issue(&place, code, "", message, Severity::Error);
    }

    /// Counts `issues` and offers each as an example.
    pub(crate) fn issues(&mut self, place: &Place<'_>, issues: &[Issue], severity: Severity) {
        for issue in issues {
            self.issue(place, issue.code.as_str(), &issue.path, &issue.message, severity);
        }
    }

    fn issue(&mut self, place: &Place<'_>, code: &str, path: &str, message: &str, severity: Severity) {
        match self.codes.get_mut(code) {
            Some(count) => *count += 1,
            None => {
                self.codes.insert(code.to_owned(), 1);
            }
        }
        if !self.examples.contains_key(code) {
            self.examples.insert(code.to_owned(), Vec::new());
        }
        let Some(examples) = self.examples.get_mut(code) else { return };
        let key = (place.file, place.line, SplitPath(place.prefix, path), message);
        let full = examples.len() >= EXAMPLES_PER_CODE;
        if full && examples.last().is_some_and(|last| compare(key, last) != Ordering::Less) {
            return;
        }
        let example = Example {
            file: place.file.to_owned(),
            line: place.line,
            path: format!("{}{path}", place.prefix),
            message: message.to_owned(),
            severity,
        };
        let at = examples.partition_point(|kept| kept.order(&example) != Ordering::Greater);
        examples.insert(at, example);
        examples.truncate(EXAMPLES_PER_CODE);
    }
}

impl Example {
    /// The order examples are kept in: file, line (a file as a whole first), path (array indexes
    /// as numbers), message.
    pub fn order(&self, other: &Example) -> Ordering {
        compare((&self.file, self.line, SplitPath(&self.path, ""), &self.message), other)
    }
}

/// A JSON Pointer written in two parts (a prefix and the rest), compared without joining them.
#[derive(Clone, Copy)]
struct SplitPath<'a>(&'a str, &'a str);

impl SplitPath<'_> {
    fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').skip(1).chain(self.1.split('/').skip(1))
    }
}

fn compare(key: (&str, Option<u64>, SplitPath<'_>, &str), example: &Example) -> Ordering {
    let (file, line, path, message) = key;
    file.cmp(&example.file)
        .then(line.cmp(&example.line))
        .then_with(|| compare_paths(path.segments(), SplitPath(&example.path, "").segments()))
        .then_with(|| message.cmp(&example.message))
}

/// Two JSON Pointers compared as examples are: segment by segment, array indexes as numbers.
pub(crate) fn compare_pointers(a: &str, b: &str) -> Ordering {
    compare_paths(SplitPath(a, "").segments(), SplitPath(b, "").segments())
}

/// Segment by segment; two array indexes (all digits) by their numbers.
fn compare_paths<'a>(mut left: impl Iterator<Item = &'a str>, mut right: impl Iterator<Item = &'a str>) -> Ordering {
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(a), Some(b)) => {
                let numbers = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
                let order = if numbers(a) && numbers(b) {
                    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
                    a.len().cmp(&b.len()).then(a.cmp(b))
                } else {
                    a.cmp(b)
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Code;
    use crate::pointer::Pointer;

    fn example(file: &str, line: Option<u64>, path: &str) -> Example {
        Example { file: file.into(), line, path: path.into(), message: "m".into(), severity: Severity::Error }
    }

    #[test]
    fn examples_are_the_first_in_a_stable_order() {
        let issue = |path: &str| Issue { path: path.into(), ..Issue::new(Code::MissingEvent, &Pointer::root(), "m") };
        let places = [
            ("b", Some(1), "", "/event"),
            ("a", Some(9), "/10", "/event"),
            ("a", Some(9), "/2", "/event"),
            ("a", None, "", ""),
        ];
        let mut reports = Vec::new();
        // Every order of arrival keeps the same three.
        for rotation in 0..places.len() {
            let mut report = Report::default();
            for (file, line, prefix, path) in places.iter().cycle().skip(rotation).take(places.len()) {
                report.issues(&Place { file, line: *line, prefix }, &[issue(path)], Severity::Error);
            }
            reports.push(report);
        }
        let expected =
            vec![example("a", None, ""), example("a", Some(9), "/2/event"), example("a", Some(9), "/10/event")];
        for report in &reports {
            assert_eq!(report.examples["missing_event"], expected);
            assert_eq!(report.codes["missing_event"], 4);
        }
    }

    #[test]
    fn merged_reports_add_up() {
        let mut left = Report { files: 1, messages: 2, mapped: 1, invalid: 1, ..Report::default() };
        left.codes.insert("missing_event".into(), 1);
        left.events.insert("Paid".into(), EventCount { messages: 2, invalid: 1 });
        left.examples.insert("missing_event".into(), vec![example("b", Some(1), ""), example("b", Some(5), "")]);
        let mut right = Report { files: 2, messages: 3, skipped: 3, unreadable: 1, ..Report::default() };
        right.codes.insert("missing_event".into(), 2);
        right.events.insert("Paid".into(), EventCount { messages: 1, invalid: 0 });
        right.examples.insert("missing_event".into(), vec![example("a", Some(7), ""), example("b", Some(2), "")]);
        let mut both = left.clone();
        both.merge(right.clone());
        let mut other_way = right;
        other_way.merge(left);
        assert_eq!(both, other_way);
        assert_eq!((both.files, both.messages, both.unreadable, both.codes["missing_event"]), (3, 5, 1, 3));
        assert_eq!(both.events["Paid"], EventCount { messages: 3, invalid: 1 });
        assert_eq!(
            both.examples["missing_event"],
            [example("a", Some(7), ""), example("b", Some(1), ""), example("b", Some(2), "")]
        );
        assert_eq!(Report::from_json(&both.to_json()), Ok(both));
    }

    #[test]
    fn reports_read_back_refuse_what_is_not_one() {
        assert!(Report::from_json("{\"messages\": \"2\"}").unwrap_err().contains("invalid type"));
        assert!(Report::from_json("{\"message\": 2}").unwrap_err().contains("unknown field"));
        assert!(Report::from_json("[]").is_err());
        assert!(Report::from_json("{}").unwrap().passed());
    }
}
