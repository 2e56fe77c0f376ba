//! Segment call types, and which of them Astrolabe consumes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Segment call type (the message's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallType {
    /// `identify`: upserts a User.
    Identify,
    /// `group`: upserts an Account and may associate the User with it.
    Group,
    /// `track`: records an event.
    Track,
    /// `page`: not supported by Astrolabe.
    Page,
    /// `screen`: not supported by Astrolabe.
    Screen,
    /// `alias`: not supported by Astrolabe.
    Alias,
    /// `delete` (sent to partners): not supported by Astrolabe.
    Delete,
}

impl CallType {
    /// Every call type, in the Spec's order.
    pub const ALL: &'static [CallType] = &[
        CallType::Identify,
        CallType::Group,
        CallType::Track,
        CallType::Page,
        CallType::Screen,
        CallType::Alias,
        CallType::Delete,
    ];

    /// The call type with this name (`"identify"`, ...). Names are case-sensitive, as in Segment.
    ///
    /// ```
    /// use astrolabe_segment_core::CallType;
    /// assert_eq!(CallType::from_name("track"), Some(CallType::Track));
    /// assert_eq!(CallType::from_name("Track"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<CallType> {
        Some(match name {
            "identify" => CallType::Identify,
            "group" => CallType::Group,
            "track" => CallType::Track,
            "page" => CallType::Page,
            "screen" => CallType::Screen,
            "alias" => CallType::Alias,
            "delete" => CallType::Delete,
            _ => return None,
        })
    }

    /// The name as Segment writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            CallType::Identify => "identify",
            CallType::Group => "group",
            CallType::Track => "track",
            CallType::Page => "page",
            CallType::Screen => "screen",
            CallType::Alias => "alias",
            CallType::Delete => "delete",
        }
    }

    /// Whether Astrolabe consumes this call (identify, group and track).
    pub const fn is_supported(self) -> bool {
        matches!(self, CallType::Identify | CallType::Group | CallType::Track)
    }
}

impl fmt::Display for CallType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
