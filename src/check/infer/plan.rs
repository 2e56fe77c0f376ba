//! An inference written as a draft tracking plan, in Segment's Public API rules form (the form
//! `convert` prints, which `new Destination({ trackingPlan })` and `check --plan` read as-is), and
//! what the command says of it on standard error.
//!
//! One rule per track event (`TRACK`, keyed by the event name as sent) and one each for identify
//! and group calls, each seen in at least `--min-count` messages; rules sorted by type, then key,
//! each rule's keys in the order `convert` writes them and every key inside its schema sorted.
//! Each `jsonSchema` describes the whole message, as Segment's do (draft-07): its `properties`
//! (track) or `traits` (identify, group), `required` at the top when every message had them, and
//! a `description` with the number of messages it came from. Nothing in it depends on when or
//! how it was run, so the same messages give the same bytes.

use serde_json::Value;

use super::formats::DRAFT;
use super::inference::{Call, Inference};
use super::schema::{schema, sorted, Limits};
use crate::check::EXAMPLES_PER_CODE;

/// A draft plan, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredPlan {
    /// The plan: JSON indented by two spaces, keys sorted, ending in a newline.
    pub text: String,
    /// How many rules it has.
    pub rules: usize,
    /// What was read, skipped, unreadable and left out, a sentence a line, for standard error.
    pub notes: Vec<String>,
}

impl InferredPlan {
    /// The plan has a rule: what makes the command exit 0.
    pub fn passed(&self) -> bool {
        self.rules > 0
    }
}

impl Inference {
    /// The draft plan of what was read: a rule for each call seen in at least `min_count`
    /// messages (0 counts as 1), `enum`s over at least `min_count` strings.
    ///
    /// ```
    /// use astrolabe_segment::check::{Framing, Inferrer};
    ///
    /// let mut inferrer = Inferrer::new(None)?;
    /// let lines = concat!(
    ///     r#"{"type":"track","event":"Paid","properties":{"cents":1200,"coupon":null}}"#, "\n",
    ///     r#"{"type":"track","event":"Paid","properties":{"cents":99,"coupon":"WELCOME"}}"#, "\n",
    /// );
    /// inferrer.read("paid.ndjson", Framing::Lines, 1, lines.as_bytes());
    /// let plan = inferrer.inference().plan(1);
    /// let value: serde_json::Value = serde_json::from_str(&plan.text).unwrap();
    /// let paid = &value["rules"][0]["jsonSchema"]["properties"]["properties"];
    /// assert_eq!(paid["properties"]["coupon"]["type"], serde_json::json!(["null", "string"]));
    /// assert_eq!(paid["required"], serde_json::json!(["cents", "coupon"]));
    /// # Ok::<(), String>(())
    /// ```
    pub fn plan(&self, min_count: u64) -> InferredPlan {
        let limits = Limits { min_count: min_count.max(1), enum_max: self.enum_max };
        let mut rules = Vec::new();
        for (kind, call) in [("GROUP", &self.group), ("IDENTIFY", &self.identify)] {
            if let Some(call) = call.as_ref().filter(|call| call.messages >= limits.min_count) {
                rules.push(rule(kind, "", "traits", call, &limits));
            }
        }
        let events = self.track.iter().filter(|(_, call)| call.messages >= limits.min_count);
        rules.extend(events.map(|(event, call)| rule("TRACK", event, "properties", call, &limits)));
        let count = rules.len();
        let plan = sorted([("rules", Value::Array(rules))]);
        let mut text = serde_json::to_string_pretty(&plan).unwrap_or_default();
        text.push('\n');
        InferredPlan { text, rules: count, notes: self.notes(&limits, count) }
    }

    /// What the command says on standard error.
    fn notes(&self, limits: &Limits, rules: usize) -> Vec<String> {
        let mut notes = Vec::new();
        let files = self.reading.files;
        let calls = [("identify", &self.identify), ("group", &self.group)]
            .into_iter()
            .filter_map(|(name, call)| Some(format!("{} {name}", call.as_ref()?.messages)));
        let track: u64 = self.track.values().map(|call| call.messages).sum();
        let mut parts: Vec<String> = Vec::new();
        if track > 0 {
            parts.push(format!("{track} track ({})", plural(self.track.len() as u64, "event", "events")));
        }
        parts.extend(calls);
        let read = plural(self.messages(), "message", "messages");
        let from = plural(files, "file", "files");
        let listed = if parts.is_empty() { String::new() } else { format!(": {}", parts.join(", ")) };
        notes.push(format!("read {read} from {from}{listed}"));
        if self.skipped() > 0 {
            let mut reasons: Vec<(&str, u64)> =
                self.skipped.iter().map(|(reason, count)| (skip_words(reason), *count)).collect();
            reasons.sort();
            let reasons: Vec<String> = reasons.iter().map(|(words, count)| format!("{count} {words}")).collect();
            notes.push(format!(
                "skipped {} that no rule describes: {}",
                plural(self.skipped(), "message", "messages"),
                reasons.join(", ")
            ));
        }
        if self.unreadable() > 0 {
            notes.push(format!(
                "{} could not be read (each is left out; the first {EXAMPLES_PER_CODE} of each kind follow)",
                plural(self.unreadable(), "value or file", "values or files")
            ));
            for example in self.reading.examples.values().flatten() {
                let line = example.line.map_or(String::new(), |line| format!(":{line}"));
                let path = if example.path.is_empty() { String::new() } else { format!(" at {}", example.path) };
                notes.push(format!("  {}{line}{path}: {}", example.file, example.message));
            }
        }
        let few = [&self.identify, &self.group].into_iter().flatten().chain(self.track.values());
        let left_out = few.filter(|call| call.messages < limits.min_count).count() as u64;
        if left_out > 0 {
            notes.push(format!(
                "left out {} seen in fewer than {} (--min-count)",
                plural(left_out, "rule", "rules"),
                plural(limits.min_count, "message", "messages")
            ));
        }
        if rules == 0 {
            notes.push("no rule inferred: no identify, group or track message was read often enough".to_owned());
        } else {
            notes.push(format!("wrote {}", plural(rules as u64, "rule", "rules")));
        }
        notes
    }
}

/// One rule: its schema describes the whole message, with the call's `properties` or `traits`.
fn rule(kind: &'static str, key: &str, field: &str, call: &Call, limits: &Limits) -> Value {
    let mut message = vec![
        ("$schema", Value::from(DRAFT)),
        ("type", Value::from("object")),
        (
            "description",
            Value::from(format!(
                "Inferred by astrolabe-segment infer from {}.",
                plural(call.messages, "message", "messages")
            )),
        ),
    ];
    if call.body.types != 0 {
        let mut properties = serde_json::Map::new();
        properties.insert(field.to_owned(), schema(&call.body, limits));
        message.push(("properties", Value::Object(properties)));
    }
    if call.body.seen > 0 && call.body.seen == call.messages {
        message.push(("required", Value::from(vec![field])));
    }
    // The rule's own keys in the order `convert` writes them, so that converting the plan changes
    // nothing (and it diffs cleanly against a converted one); everything inside sorted.
    let rule = [
        ("type", Value::from(kind)),
        ("key", Value::from(key)),
        ("version", Value::from(1)),
        ("jsonSchema", sorted(message)),
    ];
    Value::Object(rule.into_iter().map(|(name, value)| (name.to_owned(), value)).collect())
}

/// `1 message`, `2 messages`.
fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A skip reason's key ([`super::read::Skip::as_str`]) in words.
fn skip_words(reason: &str) -> &str {
    match reason {
        "no_type" => "without a type",
        "unknown_type" => "of an unknown type",
        "no_event" => "track without an event name",
        "not_an_object" => "not an object",
        "not_a_batch" => "batch whose batch is not an array",
        call => call,
    }
}
