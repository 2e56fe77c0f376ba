//! Users' settings of the rules, as a linter's: `rules: { near_miss_reserved: "off", id_coerced:
//! "error" }`. Only the rules whose [`Tuning`] is `Open` may be set; the others decide whether a
//! message can be read or mapped at all, or are set elsewhere (a tracking plan's settings), and a
//! setting of one is refused with why. Strict mode (every warning an error) applies after them.

use serde_json::{Map, Value};

use super::{Code, Tuning};
use crate::quote::quote;
use crate::spec::near_miss;

/// What a rule is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Not reported, and what its warning describes happens silently.
    Off,
    /// A warning: the message is mapped (but in strict mode).
    Warning,
    /// An error: the message is invalid.
    Error,
}

impl Level {
    /// Each level's name in settings.
    pub const NAMES: [(&'static str, Level); 3] =
        [("off", Level::Off), ("warning", Level::Warning), ("error", Level::Error)];
}

/// The level users set each rule to, where they set one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    set: [Option<Level>; Code::ALL.len()],
}

impl Default for Levels {
    fn default() -> Levels {
        Levels::NONE
    }
}

impl Levels {
    /// Every rule at its own level.
    pub const NONE: Levels = Levels { set: [None; Code::ALL.len()] };

    /// The level users set `code` to, if they set one.
    #[cfg_attr(feature = "speed", inline(always))]
    pub fn get(&self, code: Code) -> Option<Level> {
        self.set.get(code as usize).copied().flatten()
    }

    /// Sets `code` to `level`; refused, with why, for a rule users may not set.
    ///
    /// ```
    /// use astrolabe_segment_core::rules::{Level, Levels};
    /// use astrolabe_segment_core::Code;
    /// let mut levels = Levels::default();
    /// levels.set(Code::NearMissReserved, Level::Off).unwrap();
    /// assert_eq!(levels.get(Code::NearMissReserved), Some(Level::Off));
    /// assert!(levels.set(Code::InvalidJson, Level::Off).unwrap_err().contains("can be read at all"));
    /// ```
    pub fn set(&mut self, code: Code, level: Level) -> Result<(), String> {
        if let Tuning::Fixed(why) = code.tuning() {
            return Err(format!("{} cannot be set: {why}", quote(code.as_str())));
        }
        if let Some(slot) = self.set.get_mut(code as usize) {
            *slot = Some(level);
        }
        Ok(())
    }

    /// The levels a `rules` object sets, or every problem, each naming its rule: an unknown code
    /// (with the nearest one), a rule users may not set (with why), a level that is none.
    pub fn from_map(rules: &Map<String, Value>) -> Result<Levels, Vec<String>> {
        let mut levels = Levels::default();
        let mut problems = Vec::new();
        for (name, value) in rules {
            let Some(code) = Code::from_name(name) else {
                let names = Code::ALL.iter().map(|code| code.as_str());
                let nearest = near_miss::closest(name, names).map(|code| format!(" (did you mean \"{code}\"?)"));
                problems.push(format!("unknown rule {}{}", quote(name), nearest.unwrap_or_default()));
                continue;
            };
            let level = Level::NAMES.iter().find(|(known, _)| value.as_str() == Some(*known)).map(|(_, level)| *level);
            let Some(level) = level else {
                let got = match value {
                    Value::String(text) => {
                        // `warn` for `warning`, as ESLint spells it, besides near misses.
                        let names = Level::NAMES.iter().map(|(known, _)| *known);
                        let nearest = near_miss::closest(text, names.clone())
                            .or_else(|| names.clone().find(|known| text.len() > 1 && known.starts_with(text.as_str())))
                            .map(|known| format!(" (did you mean \"{known}\"?)"));
                        format!("{}{}", quote(text), nearest.unwrap_or_default())
                    }
                    other => crate::spec::ids::json_type_name(other).to_owned(),
                };
                problems.push(format!("{} must be \"off\", \"warning\" or \"error\", not {got}", quote(name)));
                continue;
            };
            if let Err(problem) = levels.set(code, level) {
                problems.push(problem);
            }
        }
        if problems.is_empty() {
            Ok(levels)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(rules: Value) -> Vec<String> {
        Levels::from_map(rules.as_object().unwrap()).unwrap_err()
    }

    #[test]
    fn open_rules_take_any_level() {
        let rules = json!({"near_miss_reserved": "off", "id_coerced": "error", "invalid_timestamp": "warning"});
        let levels = Levels::from_map(rules.as_object().unwrap()).unwrap();
        assert_eq!(levels.get(Code::NearMissReserved), Some(Level::Off));
        assert_eq!(levels.get(Code::IdCoerced), Some(Level::Error));
        assert_eq!(levels.get(Code::InvalidTimestamp), Some(Level::Warning));
        assert_eq!(levels.get(Code::MisplacedField), None);
    }

    #[test]
    fn every_problem_is_named() {
        assert_eq!(
            problems(
                json!({"near_miss_reservd": "off", "invalid_json": "off", "id_coerced": "warn", "misplaced_field": 0})
            ),
            [
                "unknown rule \"near_miss_reservd\" (did you mean \"near_miss_reserved\"?)",
                "\"invalid_json\" cannot be set: it decides whether the input can be read at all",
                "\"id_coerced\" must be \"off\", \"warning\" or \"error\", not \"warn\" (did you mean \"warning\"?)",
                "\"misplaced_field\" must be \"off\", \"warning\" or \"error\", not a number",
            ]
        );
        assert_eq!(
            problems(json!({"plan_violation": "off"})),
            ["\"plan_violation\" cannot be set: the tracking plan's settings set it: use trackingPlan's \"violations\""]
        );
    }

    #[test]
    fn only_warnings_are_open() {
        for code in Code::ALL {
            let rule = code.rule();
            if rule.tuning == Tuning::Open {
                assert_eq!(rule.kind, "warning", "{}", rule.name);
            }
        }
    }
}
