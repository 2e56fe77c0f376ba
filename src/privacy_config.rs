//! The `privacy` option: `{detect: [kinds], action: "warn" | "redact" | "hash" | "block", allow:
//! [JSON Pointers], hashKey: "..."}`, read into the core's [`Privacy`]. Every problem names its
//! field.

use serde_json::{Map, Value};

use crate::privacy::Privacy;
#[cfg(feature = "privacy")]
use crate::{
    config::suggestion,
    pointer::Pointer,
    privacy::{Action, Kind, Kinds},
    quote::quote,
    spec::ids::json_type_name,
};

/// The fields `privacy` may have.
#[cfg(feature = "privacy")]
const FIELDS: [&str; 4] = ["detect", "action", "allow", "hashKey"];

/// The shortest `hashKey` taken: a shorter key could be guessed, and with it every hashed value.
#[cfg(feature = "privacy")]
pub(crate) const MIN_HASH_KEY: usize = 16;

/// In a build without detection (the lite build), `privacy` is refused rather than ignored.
#[cfg(not(feature = "privacy"))]
pub(crate) fn read(_: &Map<String, Value>, problems: &mut Vec<String>) -> Option<Privacy> {
    problems.push(String::from(
        "option \"privacy\" is not available in this build (the lite build has no personal data detection): use the full build",
    ));
    None
}

/// The settings `privacy` gives; each problem goes to `problems`, naming its field.
#[cfg(feature = "privacy")]
pub(crate) fn read(fields: &Map<String, Value>, problems: &mut Vec<String>) -> Option<Privacy> {
    let before = problems.len();
    let mut problem = |text: String| problems.push(format!("option \"privacy\": {text}"));
    let mut kinds = Kinds::ALL;
    let mut action = Action::Warn;
    let mut allow = Vec::new();
    let mut hash_key = None;
    for (name, value) in fields {
        match (name.as_str(), value) {
            ("detect", Value::Array(names)) => {
                kinds = Kinds::default();
                for item in names {
                    match item.as_str().map(|text| (text, Kind::from_name(text))) {
                        Some((_, Some(kind))) => kinds = kinds.with(kind),
                        Some((text, None)) => {
                            let suggestion = suggestion(text, Kind::ALL.iter().map(|kind| kind.name()));
                            let known: Vec<&str> = Kind::ALL.iter().map(|kind| kind.name()).collect();
                            problem(format!(
                                "unknown kind {}{suggestion}; the kinds are {}",
                                quote(text),
                                known.join(", ")
                            ));
                        }
                        None => problem(format!("\"detect\" must list kinds' names, not {}", json_type_name(item))),
                    }
                }
                if names.is_empty() {
                    problem(String::from("\"detect\" lists no kind: leave it out to detect every kind"));
                }
            }
            ("action", Value::String(text)) => match Action::NAMES.iter().find(|(known, _)| known == text) {
                Some((_, found)) => action = *found,
                None => problem(format!(
                    "\"action\" must be \"warn\", \"redact\", \"hash\" or \"block\", not {}",
                    quote(text)
                )),
            },
            ("allow", Value::Array(items)) => {
                for item in items {
                    match item.as_str() {
                        Some(text) if text.starts_with('/') => allow.push(Pointer::from_escaped(text)),
                        Some(text) => problem(format!(
                            "\"allow\" takes JSON Pointers into a message, such as \"/properties/contact\", not {}",
                            quote(text)
                        )),
                        None => problem(format!("\"allow\" must list JSON Pointers, not {}", json_type_name(item))),
                    }
                }
            }
            ("hashKey", Value::String(key)) if key.len() >= MIN_HASH_KEY => hash_key = Some(key.as_bytes().to_vec()),
            ("hashKey", Value::String(_)) => {
                problem(format!("\"hashKey\" must be at least {MIN_HASH_KEY} bytes, a secret the hashes depend on"))
            }
            (field @ ("detect" | "allow"), other) => {
                problem(format!("\"{field}\" must be an array, not {}", json_type_name(other)))
            }
            (field @ ("action" | "hashKey"), other) => {
                problem(format!("\"{field}\" must be a string, not {}", json_type_name(other)))
            }
            (unknown, _) => problem(format!("unknown field {} (the fields are {})", quote(unknown), FIELDS.join(", "))),
        }
    }
    if action == Action::Hash && hash_key.is_none() {
        problem(String::from("\"action\": \"hash\" needs \"hashKey\", a secret of 16 bytes or more"));
    }
    (problems.len() == before).then(|| Privacy::new(kinds, action, &allow, hash_key.unwrap_or_default()))
}

#[cfg(all(test, feature = "privacy"))]
mod tests {
    use crate::Config;
    use serde_json::json;

    fn problem(privacy: serde_json::Value) -> String {
        Config::from_value(json!({ "privacy": privacy })).unwrap_err().message().to_owned()
    }

    #[test]
    fn every_problem_names_its_field() {
        assert_eq!(
            problem(json!({"detect": ["emal"]})),
            "option \"privacy\": unknown kind \"emal\" (did you mean \"email\"?); the kinds are email, phone, card, iban, ssn, ip, jwt, secret"
        );
        assert_eq!(
            problem(json!({"action": "drop"})),
            "option \"privacy\": \"action\" must be \"warn\", \"redact\", \"hash\" or \"block\", not \"drop\""
        );
        assert_eq!(
            problem(json!({"action": "hash"})),
            "option \"privacy\": \"action\": \"hash\" needs \"hashKey\", a secret of 16 bytes or more"
        );
        assert!(problem(json!({"allow": ["traits.email"]})).contains("JSON Pointers"));
        assert!(problem(json!({"hashKey": "short"})).contains("at least 16 bytes"));
        assert!(problem(json!({"detct": []})).contains("unknown field \"detct\""));
        assert!(problem(json!([])).contains("must be an object"));
    }

    #[test]
    fn defaults() {
        let config = Config::from_value(json!({"privacy": {}})).unwrap();
        let privacy = config.privacy.unwrap();
        assert_eq!(privacy.kinds, crate::privacy::Kinds::ALL);
        assert_eq!(privacy.action, crate::privacy::Action::Warn);
        assert!(Config::from_value(json!({"privacy": null})).unwrap().privacy.is_none());
    }
}
