//! Users' settings of the rules, as a linter's: `rules: { near_miss_reserved: "off", id_coerced:
//! "error" }`. Only the rules whose [`Tuning`] is `Open` may be set; the others decide whether a
//! message can be read or mapped at all, or are set elsewhere (a tracking plan's settings), and a
//! setting of one is refused with why. Strict mode (every warning an error) applies after them.

use super::{Code, Tuning};
use crate::quote::quote;

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_rules_take_any_level_and_fixed_ones_none() {
        let mut levels = Levels::default();
        levels.set(Code::NearMissReserved, Level::Off).unwrap();
        levels.set(Code::IdCoerced, Level::Error).unwrap();
        assert_eq!(levels.get(Code::NearMissReserved), Some(Level::Off));
        assert_eq!(levels.get(Code::IdCoerced), Some(Level::Error));
        assert_eq!(levels.get(Code::MisplacedField), None);
        assert_eq!(
            levels.set(Code::PlanViolation, Level::Off).unwrap_err(),
            "\"plan_violation\" cannot be set: the tracking plan's settings set it: use trackingPlan's \"violations\""
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
