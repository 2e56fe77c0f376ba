//! Destination settings: what a `Destination` is built from.

use serde_json::Value;

use crate::issue::Code;
use crate::privacy::Privacy;
use crate::quote::quote;
use crate::rules::{Level, Levels};
use crate::spec::ids::json_type_name;
use crate::spec::near_miss;
use std::fmt;

/// Settings of a [`Destination`](crate::Destination), read from camelCase JSON
/// ([`Config::from_value`]); unknown keys are refused with an error that names them.
///
/// ```
/// use astrolabe_segment::Config;
/// let config = Config::from_json(r#"{"strict": true}"#).unwrap();
/// assert!(config.strict);
/// let error = Config::from_json(r#"{"strcit": true, "strict": "yes"}"#).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "invalid Destination config: unknown option \"strcit\" (the options are strict, mappings, trackingPlan, rules, privacy); \
///      option \"strict\" must be a boolean, not a string"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Every warning becomes an error.
    pub strict: bool,
    /// Custom mappings: per operation, field name to mapping-kit directive.
    pub mappings: Option<Value>,
    /// A Segment Protocols tracking plan.
    pub tracking_plan: Option<Value>,
    /// The level of each rule users set, as a linter's (`{"near_miss_reserved": "off"}`).
    pub rules: Levels,
    /// Personal data looked for, and what is done with it (`pii_detected`); off when `None`.
    pub privacy: Option<Privacy>,
}

impl Config {
    /// Settings from JSON text.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let value = serde_json::from_str(text).map_err(|error| ConfigError::new(error.to_string()))?;
        Config::from_value(value)
    }

    /// Settings from a parsed JSON value (`null` means the defaults). Every problem is reported,
    /// each naming its option: `option "strict" must be a boolean, not a string`, `unknown option
    /// "strcit" (the options are strict, mappings, trackingPlan)`.
    pub fn from_value(value: Value) -> Result<Config, ConfigError> {
        let map = match value {
            Value::Null => return Ok(Config::default()),
            Value::Object(map) => map,
            other => return Err(ConfigError::not_an_object(json_type_name(&other))),
        };
        let mut config = Config::default();
        let mut problems = Vec::new();
        for (key, value) in map {
            match (key.as_str(), value) {
                (_, Value::Null) if OPTIONS.contains(&key.as_str()) => {}
                ("strict", Value::Bool(strict)) => config.strict = strict,
                ("mappings", value @ Value::Object(_)) => config.mappings = Some(value),
                ("trackingPlan", value @ Value::Object(_)) => config.tracking_plan = Some(value),
                ("rules", Value::Object(rules)) => config.rules = levels(&rules, &mut problems),
                ("privacy", Value::Object(privacy)) => {
                    config.privacy = crate::privacy_config::read(&privacy, &mut problems)
                }
                ("strict", other) => {
                    problems.push(format!("option \"strict\" must be a boolean, not {}", json_type_name(&other)))
                }
                (name @ ("mappings" | "trackingPlan" | "rules" | "privacy"), other) => {
                    problems.push(format!("option \"{name}\" must be an object, not {}", json_type_name(&other)))
                }
                (unknown, _) => {
                    problems.push(format!("unknown option {} (the options are {})", quote(unknown), OPTIONS.join(", ")))
                }
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::new(problems.join("; ")))
        }
    }
}

/// The levels a `rules` object sets; each problem, naming its rule, goes to `problems`: an
/// unknown code (with the nearest one), a rule users may not set (with why), a level that is none.
fn levels(rules: &serde_json::Map<String, Value>, problems: &mut Vec<String>) -> Levels {
    let mut levels = Levels::default();
    for (name, value) in rules {
        let problem = match (Code::from_name(name), value.as_str()) {
            (None, _) => {
                format!("unknown rule {}{}", quote(name), suggestion(name, Code::ALL.iter().map(|code| code.as_str())))
            }
            (Some(code), Some(level)) => match Level::NAMES.iter().find(|(known, _)| *known == level) {
                Some((_, level)) => match levels.set(code, *level) {
                    Ok(()) => continue,
                    Err(problem) => problem,
                },
                // `warn` for `warning`, as ESLint spells it.
                None if level.len() > 1 && "warning".starts_with(level) => {
                    format!(
                        "{} must be \"off\", \"warning\" or \"error\", not {} (did you mean \"warning\"?)",
                        quote(name),
                        quote(level)
                    )
                }
                None => format!("{} must be \"off\", \"warning\" or \"error\", not {}", quote(name), quote(level)),
            },
            (Some(_), None) => {
                format!("{} must be \"off\", \"warning\" or \"error\", not {}", quote(name), json_type_name(value))
            }
        };
        problems.push(format!("option \"rules\": {problem}"));
    }
    levels
}

/// ` (did you mean "X"?)` after an unknown name, when one of `names` is close to it.
pub(crate) fn suggestion<'n>(wanted: &str, names: impl IntoIterator<Item = &'n str>) -> String {
    near_miss::did_you_mean(wanted, names).map(|hint| format!(" ({hint})")).unwrap_or_default()
}

/// The options a config may have.
pub(crate) const OPTIONS: [&str; 5] = ["strict", "mappings", "trackingPlan", "rules", "privacy"];

/// A configuration that cannot be used: an unknown key, a value of the wrong type, a bad custom
/// mapping or tracking plan. The message names the key, operation, field or rule at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
    /// The settings are not an object at all (a host throws its `TypeError` for that).
    not_an_object: bool,
}

impl ConfigError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> ConfigError {
        ConfigError { message: message.into(), not_an_object: false }
    }

    /// Settings that are not an object: `what` they are instead, as "a string" or "an array" (a
    /// host names its own kinds of value, as "a function").
    pub fn not_an_object(what: &str) -> ConfigError {
        ConfigError {
            message: format!("the config must be an object such as {{\"strict\": true}}, not {what}"),
            not_an_object: true,
        }
    }

    /// Whether the settings were not an object at all, rather than an object with a problem.
    pub fn is_not_an_object(&self) -> bool {
        self.not_an_object
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problem(value: Value) -> String {
        Config::from_value(value).unwrap_err().message().to_owned()
    }

    #[test]
    fn every_problem_names_its_option() {
        assert_eq!(problem(json!({"mappings": []})), "option \"mappings\" must be an object, not an array");
        assert_eq!(
            problem(json!({"trackingPlan": "plan.json"})),
            "option \"trackingPlan\" must be an object, not a string"
        );
        assert_eq!(problem(json!([])), "the config must be an object such as {\"strict\": true}, not an array");
        let both = problem(json!({"Strict": true, "strict": 1}));
        assert!(
            both.contains("unknown option \"Strict\"") && both.contains("option \"strict\" must be a boolean"),
            "{both}"
        );
    }

    #[test]
    fn every_rule_problem_is_named() {
        let found = problem(
            json!({"rules": {"near_miss_reservd": "off", "invalid_json": "off", "id_coerced": "warn", "misplaced_field": 0, "no_user_to_associate": "loud"}}),
        );
        assert_eq!(
            found,
            [
                "option \"rules\": unknown rule \"near_miss_reservd\" (did you mean \"near_miss_reserved\"?)",
                "option \"rules\": \"invalid_json\" cannot be set: it decides whether the input can be read at all",
                "option \"rules\": \"id_coerced\" must be \"off\", \"warning\" or \"error\", not \"warn\" (did you mean \"warning\"?)",
                "option \"rules\": \"misplaced_field\" must be \"off\", \"warning\" or \"error\", not a number",
                "option \"rules\": \"no_user_to_associate\" must be \"off\", \"warning\" or \"error\", not \"loud\"",
            ]
            .join("; ")
        );
        let config =
            Config::from_value(json!({"rules": {"near_miss_reserved": "off", "id_coerced": "error"}})).unwrap();
        assert_eq!(config.rules.get(Code::NearMissReserved), Some(Level::Off));
        assert_eq!(config.rules.get(Code::IdCoerced), Some(Level::Error));
    }

    #[test]
    fn null_means_the_default() {
        assert_eq!(Config::from_value(json!(null)).unwrap(), Config::default());
        assert_eq!(Config::from_value(json!({"strict": null, "mappings": null})).unwrap(), Config::default());
        let config =
            Config::from_value(json!({"strict": true, "mappings": {}, "trackingPlan": {"rules": []}})).unwrap();
        assert!(config.strict && config.mappings.is_some() && config.tracking_plan.is_some());
    }
}
