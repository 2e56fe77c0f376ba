//! What one inference has gathered: per rule (each track event, identify, group) its message count
//! and the shape of its `properties` or `traits`; what was skipped and why; what could not be
//! read. Each worker thread keeps one and hands it over as JSON at the end; they merge into the
//! inference of the whole input, the same whatever the split or the order (all counts are sums,
//! all sets unions, examples the first in a fixed order).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::shape::Shape;
use crate::check::Report;

/// The messages of one rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Call {
    /// Messages read.
    pub messages: u64,
    /// Their `properties` (track) or `traits` (identify, group); its `seen` counts the messages
    /// that had one.
    pub body: Shape,
}

impl Call {
    fn merge(&mut self, other: Call, enum_max: Option<usize>) {
        self.messages += other.messages;
        self.body.merge(other.body, enum_max);
    }
}

/// An inference: what `infer` gathered from the messages it read, before it is written as a plan
/// ([`Inference::plan`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Inference {
    /// `--enum-max`: how many distinct strings each place keeps (`None`: none, no `enum`s).
    pub(crate) enum_max: Option<usize>,
    /// Files read, and what could not be read (values that are not JSON, arrays left open,
    /// files unreadable or with broken gzip), counted and exemplified as `check` reports them.
    pub(crate) reading: Report,
    /// Each reason a message gave no rule anything ([`super::read::Skip`]) to its count.
    pub(crate) skipped: BTreeMap<String, u64>,
    pub(crate) identify: Option<Call>,
    pub(crate) group: Option<Call>,
    /// Each track event name to its messages.
    pub(crate) track: BTreeMap<String, Call>,
}

impl Inference {
    /// An empty inference for a run with this `--enum-max`.
    pub fn new(enum_max: Option<usize>) -> Inference {
        Inference { enum_max, ..Inference::default() }
    }

    /// The identify, group and track messages read (those rules are inferred from).
    pub fn messages(&self) -> u64 {
        let calls = self.identify.iter().chain(self.group.iter()).chain(self.track.values());
        calls.map(|call| call.messages).sum()
    }

    /// The messages and values that gave no rule anything: other calls, no type, ...
    pub fn skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Values and files that could not be read.
    pub fn unreadable(&self) -> u64 {
        self.reading.unreadable
    }

    /// The inference as JSON (what a worker hands over).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// An inference read back from [`Inference::to_json`].
    pub fn from_json(text: &str) -> Result<Inference, String> {
        serde_json::from_str(text).map_err(|error| error.to_string())
    }

    /// Inferences (each as [`Inference::to_json`] wrote it) merged into one; one that cannot be
    /// read is named by its place in the list, from 1.
    pub fn merged<T: AsRef<str>>(inferences: &[T]) -> Result<Inference, String> {
        let mut whole: Option<Inference> = None;
        for (at, text) in inferences.iter().enumerate() {
            let place = |problem: String| format!("inference {}: {problem}", at + 1);
            let next = Inference::from_json(text.as_ref()).map_err(place)?;
            match &mut whole {
                None => whole = Some(next),
                Some(whole) => whole.merge(next).map_err(place)?,
            }
        }
        Ok(whole.unwrap_or_default())
    }

    /// Adds `other` in: the inference of both inputs together. Refused when the two kept distinct
    /// values for different `--enum-max`s.
    pub fn merge(&mut self, other: Inference) -> Result<(), String> {
        if self.enum_max != other.enum_max {
            return Err(format!(
                "inferred with --enum-max {:?}, not {:?}: inferences merge only with the same",
                other.enum_max, self.enum_max
            ));
        }
        let enum_max = self.enum_max;
        self.reading.merge(other.reading);
        for (reason, count) in other.skipped {
            *self.skipped.entry(reason).or_default() += count;
        }
        for (mine, theirs) in [(&mut self.identify, other.identify), (&mut self.group, other.group)] {
            match (mine.as_mut(), theirs) {
                (Some(mine), Some(theirs)) => mine.merge(theirs, enum_max),
                (None, theirs) => *mine = theirs,
                (Some(_), None) => {}
            }
        }
        for (event, call) in other.track {
            match self.track.get_mut(&event) {
                Some(mine) => mine.merge(call, enum_max),
                None => {
                    self.track.insert(event, call);
                }
            }
        }
        Ok(())
    }
}
