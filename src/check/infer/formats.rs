//! The string formats `infer` may write (`date-time`, `email`, `uri`), checked by the very
//! validators a plan compiles: the schema crate's, built with the plan engine's options
//! ([`crate::plan::schema_options`]) and the draft the inferred rules declare. A format is written
//! only where every string matched it, so the plan never refuses a string it was inferred from.

use jsonschema::Validator;
use serde_json::{json, Value};

/// The draft the inferred rules declare (`$schema`): Segment's own, draft-07.
pub(crate) const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The formats, in the order one is chosen when several fit every value.
pub(crate) const NAMES: [&str; 3] = ["date-time", "email", "uri"];

/// A set of [`NAMES`], one bit each (bit `i` for `NAMES[i]`).
pub(crate) type FormatSet = u8;

/// Every format: what a place holds before any string is seen.
pub(crate) const ALL: FormatSet = (1 << NAMES.len()) - 1;

/// One validator per format, and a string value reused to hand them each text.
#[derive(Debug)]
pub(crate) struct Formats {
    validators: Vec<Validator>,
    text: Value,
}

impl Formats {
    /// The validators, compiled as a plan's schema is.
    pub fn new() -> Result<Formats, String> {
        let validators = NAMES
            .iter()
            .map(|name| {
                crate::plan::schema_options()
                    .build(&json!({"$schema": DRAFT, "format": name}))
                    .map_err(|error| format!("the format {name} does not compile: {error}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Formats { validators, text: Value::String(String::new()) })
    }

    /// Of the formats in `candidates`, those `text` matches.
    pub fn matched(&mut self, candidates: FormatSet, text: &str) -> FormatSet {
        if candidates == 0 {
            return 0;
        }
        if let Value::String(held) = &mut self.text {
            held.clear();
            held.push_str(text);
        }
        let mut kept = 0;
        for (bit, validator) in self.validators.iter().enumerate() {
            let mask = 1 << bit;
            if candidates & mask != 0 && validator.is_valid(&self.text) {
                kept |= mask;
            }
        }
        kept
    }
}

/// The format written for a place whose strings all matched `set`: the first of [`NAMES`] in it.
pub(crate) fn chosen(set: FormatSet) -> Option<&'static str> {
    NAMES.iter().enumerate().find(|(bit, _)| set & (1 << bit) != 0).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats_of(text: &str) -> Vec<&'static str> {
        let set = Formats::new().unwrap().matched(ALL, text);
        NAMES.iter().enumerate().filter(|(bit, _)| set & (1 << bit) != 0).map(|(_, name)| *name).collect()
    }

    #[test]
    fn each_format_is_the_schema_crates() {
        assert_eq!(formats_of("2024-12-05T09:30:00.000Z"), ["date-time"]);
        assert_eq!(formats_of("2024-12-05T09:30:00+01:00"), ["date-time"]);
        assert_eq!(formats_of("ada@example.com"), ["email"]);
        assert_eq!(formats_of("https://example.com/a?b=c"), ["uri"]);
        assert_eq!(formats_of("mailto:ada@example.com"), ["uri"]);
        // Close, but not: a date alone, a time zone missing, a space for T, no domain, no scheme.
        for text in ["2024-12-05", "2024-12-05T09:30:00", "2024-12-05 09:30:00Z", "ada@", "example.com/a", "", " "] {
            assert_eq!(formats_of(text), Vec::<&str>::new(), "{text:?}");
        }
    }

    #[test]
    fn the_first_format_that_fits_is_chosen() {
        assert_eq!(chosen(0), None);
        assert_eq!(chosen(ALL), Some("date-time"));
        assert_eq!(chosen(0b110), Some("email"));
        assert_eq!(chosen(0b100), Some("uri"));
        assert_eq!(Formats::new().unwrap().matched(0, "ada@example.com"), 0);
    }
}
