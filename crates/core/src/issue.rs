//! Problems found in a message: a stable code, a JSON Pointer into the caller's input, a sentence.

use serde::{Serialize, Serializer};
use std::fmt;

use crate::pointer::Pointer;
pub use crate::rules::Code;

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem: `{code, path, message, hint?}`.
///
/// `path` is an RFC 6901 JSON Pointer into the input as the caller gave it (`""` for the whole
/// input, `/batch/3/traits/email` for a trait of the fourth batch item). `hint`, where a fix can
/// be named, says what to send instead, in a short imperative sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The stable code.
    pub code: Code,
    /// Where in the input.
    pub path: String,
    /// One sentence a person understands.
    pub message: String,
    /// How to fix it, with the value to use, when it can be named ("rename \"userID\" to
    /// \"userId\"").
    pub hint: Option<String>,
}

impl Issue {
    /// An issue at `path`.
    pub fn new(code: Code, path: &Pointer, message: impl Into<String>) -> Issue {
        Issue { code, path: path.as_str().to_owned(), message: message.into(), hint: None }
    }

    /// This issue with a hint, or without one when `hint` is `None`.
    ///
    /// ```
    /// use astrolabe_segment_core::{Code, Issue, Pointer};
    /// let issue = Issue::new(Code::IdCoerced, &Pointer::root().key("userId"), "userId is a number.")
    ///     .with_hint(String::from("send userId as the string \"42\""));
    /// assert_eq!(issue.to_json(), r#"{"code":"id_coerced","path":"/userId","message":"userId is a number.","hint":"send userId as the string \"42\""}"#);
    /// ```
    pub fn with_hint(mut self, hint: impl Into<Option<String>>) -> Issue {
        self.hint = hint.into();
        self
    }

    /// The JSON text of this issue: `{"code":...,"path":...,"message":...,"hint":...}` (no
    /// `hint` when there is none).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        crate::write::issue(&mut out, self);
        out
    }
}

crate::write::serialize_as_written!(Issue);

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(root)" } else { &self.path };
        write!(f, "{} at {}: {}", self.code, path, self.message)?;
        match &self.hint {
            Some(hint) => write!(f, " (hint: {hint})"),
            None => Ok(()),
        }
    }
}
