//! `astrolabe-segment infer`: a draft tracking plan from the messages of a set of files.
//!
//! The input is read as `check` reads it (the same framing, inspector records, batches and
//! arrays), and every message the engine would call an identify, group or track message, valid
//! or not, counts: a plan describes what senders send, and whether they send it well is the
//! Spec's concern, not the plan's. Calls of other types, messages with no usable type, and
//! track calls without an event name are counted as skipped. Values that are not JSON are counted
//! as unreadable, with their file and line, and never stop the run.
//!
//! An [`Inferrer`] (one per thread) is fed bytes in pieces and keeps an [`Inference`]: per rule,
//! the [shape](shape) of what its messages held. Inferences merge, and the merged one is written
//! as a plan ([`Inference::plan`]) whose rules accept every message they came from: the types,
//! `required`, formats and `enum`s written are only what every message showed.
//!
//! ```
//! use astrolabe_segment::check::{Framing, Inferrer};
//!
//! let mut inferrer = Inferrer::new(Some(2))?;
//! let lines = concat!(
//!     r#"{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","plan":"pro"}}"#, "\n",
//!     r#"{"batch":[{"type":"identify","traits":{"email":"bo@example.com","plan":"free"}},{"type":"page"}]}"#, "\n",
//!     r#"[{"type":"identify","traits":{"email":"cy@example.com","plan":"pro"}}]"#, "\n",
//!     "not JSON\n",
//! );
//! inferrer.read("users.ndjson", Framing::Lines, 1, lines.as_bytes());
//! let inference = inferrer.take_inference();
//! assert_eq!((inference.messages(), inference.skipped(), inference.unreadable()), (3, 1, 1));
//! let plan: serde_json::Value = serde_json::from_str(&inference.plan(1).text).unwrap();
//! let traits = &plan["rules"][0]["jsonSchema"]["properties"]["traits"];
//! assert_eq!(traits["properties"]["email"], serde_json::json!({"format": "email", "type": "string"}));
//! assert_eq!(traits["properties"]["plan"]["enum"], serde_json::json!(["free", "pro"]));
//! # Ok::<(), String>(())
//! ```

mod formats;
mod inference;
mod observe;
mod plan;
mod read;
mod schema;
mod shape;

pub use inference::Inference;
pub use plan::InferredPlan;

use super::frame::{Framed, MAX_HELD};
use super::report::Place;
use super::streams::{Reader, Reads};
use super::{unclosed, Problem, Unwrapped};
use crate::issue::{Code, Issue};
use crate::pointer::Pointer;
use formats::Formats;
use inference::Call;
use observe::Tools;
use read::{Found, Rule};

/// Reads values into an [`Inference`]: a [`Reader`] whose values are gathered ([`Inferring`]).
/// One per thread; several streams may be open at once.
pub type Inferrer = Reader<Inferring>;

impl Inferrer {
    /// An inferrer that keeps up to `enum_max` distinct strings per place (`--enum-max`; `None`:
    /// none). The error says why the format validators did not compile (never expected).
    pub fn new(enum_max: Option<usize>) -> Result<Inferrer, String> {
        let tools = Tools { formats: Formats::new()?, enum_max };
        Ok(Reader::with(Inferring { tools, inference: Inference::new(enum_max) }))
    }

    /// What was gathered so far.
    pub fn inference(&self) -> &Inference {
        &self.reads().inference
    }

    /// The inference, leaving an empty one.
    pub fn take_inference(&mut self) -> Inference {
        let reads = self.reads_mut();
        std::mem::replace(&mut reads.inference, Inference::new(reads.tools.enum_max))
    }
}

/// What an [`Inferrer`]'s values are read with and gathered into.
#[derive(Debug)]
pub struct Inferring {
    tools: Tools,
    inference: Inference,
}

impl Reads for Inferring {
    fn framed(&mut self, file: &str, framed: Framed<'_>) {
        match framed {
            Framed::Value { line, index, text } => self.value(file, line, index, text),
            Framed::Unclosed { line, elements } => {
                self.unreadable(&Place { file, line: Some(line), prefix: "" }, unclosed(elements, "read").message);
            }
        }
    }

    fn count_file(&mut self) {
        self.inference.reading.files += 1;
    }

    fn problem(&mut self, file: &str, line: Option<u64>, problem: Problem, detail: &str) {
        self.inference.reading.unreadable_file(file, line, problem.as_str(), &problem.message(detail, line));
    }

    /// Messages read, skipped and unreadable so far.
    fn seen(&self) -> u64 {
        self.inference.messages() + self.inference.skipped() + self.inference.unreadable()
    }
}

impl Inferring {
    /// One value: a message, a batch body, a list of messages, or an inspector record holding one.
    fn value(&mut self, file: &str, line: u64, index: Option<usize>, text: &[u8]) {
        let Unwrapped { text, hint, prefix } = match Unwrapped::of(text, index) {
            Ok(value) => value,
            Err((prefix, issue)) => {
                return self.unreadable(&Place { file, line: Some(line), prefix: &prefix }, issue.message);
            }
        };
        let place = Place { file, line: Some(line), prefix: &prefix };
        if text.len() >= MAX_HELD {
            let message =
                format!("The value is longer than {} bytes, the most a batch may be: it is not read.", MAX_HELD - 1);
            return self.unreadable(&place, message);
        }
        let Ok(text) = std::str::from_utf8(&text) else {
            return self.unreadable(&place, "The value is not UTF-8 text.".to_owned());
        };
        match read::messages(text, hint) {
            Ok(found) => found.into_iter().for_each(|found| self.found(found)),
            Err(error) => self.unreadable(&place, not_json(text, &error)),
        }
    }

    fn found(&mut self, found: Found<'_>) {
        let (rule, body) = match found {
            Found::Message { rule, body } => (rule, body),
            Found::Skipped(skip) => {
                let reason = skip.as_str();
                match self.inference.skipped.get_mut(reason) {
                    Some(count) => *count += 1,
                    None => {
                        self.inference.skipped.insert(reason.to_owned(), 1);
                    }
                }
                return;
            }
        };
        let call = match rule {
            Rule::Identify => self.inference.identify.get_or_insert_with(Call::default),
            Rule::Group => self.inference.group.get_or_insert_with(Call::default),
            Rule::Track(event) => {
                if !self.inference.track.contains_key(&*event) {
                    self.inference.track.insert(event.clone().into_owned(), Call::default());
                }
                let Some(call) = self.inference.track.get_mut(&*event) else { return };
                call
            }
        };
        call.messages += 1;
        if let Some(body) = body {
            call.body.seen += 1;
            // The body was read once already, as part of its message: it is JSON.
            let _ = observe::observe(body.get(), &mut call.body, &mut self.tools);
        }
    }

    fn unreadable(&mut self, place: &Place<'_>, message: String) {
        self.inference.reading.unreadable(place, &[Issue::new(Code::InvalidJson, &Pointer::root(), message)]);
    }
}

/// Why `text` is not JSON, in the engine's words (what `check` says of it), or serde_json's
/// where the engine reads it after all. Only for text that is not JSON, so its cost is no matter.
fn not_json(text: &str, error: &serde_json::Error) -> String {
    let answer = crate::engine::map_text(false, text.as_bytes(), None, crate::engine::Shape::Any);
    let engine = answer.and_then(|answer| {
        let answer: serde_json::Value = serde_json::from_str(&answer).ok()?;
        let errors = answer.get("errors")?.as_array()?;
        let issue = errors.iter().find(|issue| issue.get("code") == Some(&Code::InvalidJson.as_str().into()))?;
        Some(issue.get("message")?.as_str()?.to_owned())
    });
    engine.unwrap_or_else(|| format!("The value is not JSON: {error}."))
}

#[cfg(test)]
mod tests;
