//! Destination settings: what a `Destination` is built from.

use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// Settings of a [`Destination`](crate::Destination). Deserialized from camelCase JSON; unknown
/// keys are refused with an error that names them.
///
/// ```
/// use astrolabe_segment::Config;
/// let config = Config::from_json(r#"{"strict": true}"#).unwrap();
/// assert!(config.strict);
/// let error = Config::from_json(r#"{"strcit": true}"#).unwrap_err();
/// assert!(error.to_string().contains("strcit"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Config {
    /// Every warning becomes an error.
    pub strict: bool,
    /// Custom mappings: per operation, field name to mapping-kit directive.
    pub mappings: Option<Value>,
    /// A Segment Protocols tracking plan.
    pub tracking_plan: Option<Value>,
}

impl Config {
    /// Settings from JSON text.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        serde_json::from_str(text).map_err(|error| ConfigError::new(error.to_string()))
    }

    /// Settings from a parsed JSON value (`null` means the defaults).
    pub fn from_value(value: Value) -> Result<Config, ConfigError> {
        if value.is_null() {
            return Ok(Config::default());
        }
        serde_json::from_value(value).map_err(|error| ConfigError::new(error.to_string()))
    }
}

/// A configuration that cannot be used: an unknown key, a value of the wrong type, a bad custom
/// mapping or tracking plan. The message names the key, operation, field or rule at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> ConfigError {
        ConfigError { message: message.into() }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Destination config: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}
