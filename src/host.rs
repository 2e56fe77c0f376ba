//! Input a host language has converted for the core: a value JSON could not carry everywhere
//! (the issues say where), or the JSON text a host serializer wrote for a value it found plain.
//! The policy for both lives here, where `cargo test` reaches it; the WebAssembly glue only
//! converts and calls these.

use serde_json::Value;

use crate::answer::{Answer, Sink, Writer};
use crate::destination::{Destination, MapOptions};
use crate::engine::Shape;
use crate::issue::{Code, Issue};
use crate::outcome::{BatchOutcome, Mapped, Outcome, Validation};
use crate::pointer::Pointer;

impl Destination {
    /// Maps a batch that was converted with `issues` (values JSON cannot carry, at their paths),
    /// as JSON text. An issue inside an item makes that item `invalid` and leaves the others to
    /// be mapped; an issue in the envelope refuses the whole batch.
    ///
    /// ```
    /// use astrolabe_segment::{Code, Config, Destination, Issue, Pointer};
    /// use serde_json::{json, Value};
    ///
    /// let destination = Destination::new(Config::default())?;
    /// let batch = json!({"batch": [{"type": "identify", "userId": "u1"}, {"type": "track", "userId": "u2", "event": null}]});
    /// let at = Pointer::root().key("batch").index(1).key("event");
    /// let issue = Issue::new(Code::NotJson, &at, "NaN is not JSON.");
    /// let outcome: Value = serde_json::from_str(&destination.map_batch_converted(batch, vec![issue])).unwrap();
    /// assert_eq!(outcome["outcomes"][0]["status"], "mapped");
    /// assert_eq!(outcome["outcomes"][1]["status"], "invalid");
    /// assert_eq!(outcome["outcomes"][1]["errors"][0]["path"], "/batch/1/event");
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn map_batch_converted(&self, mut value: Value, issues: Vec<Issue>) -> String {
        let batch = MapOptions::default();
        if issues.is_empty() {
            return self.answer_value(&value, &batch, Shape::Batch);
        }
        let refused = |errors: Vec<Issue>| BatchOutcome { outcomes: Vec::new(), errors }.to_json();
        let (prefix, items) = match &mut value {
            Value::Object(envelope) => ("/batch/", envelope.get_mut("batch").and_then(Value::as_array_mut)),
            Value::Array(items) => ("/", Some(items)),
            _ => ("/", None),
        };
        let Some(items) = items else { return refused(issues) };
        let mut per_item: Vec<(usize, Vec<Issue>)> = Vec::new();
        let mut envelope = Vec::new();
        for issue in issues {
            match item_index(&issue.path, prefix).filter(|index| *index < items.len()) {
                Some(index) => match per_item.iter_mut().find(|(seen, _)| *seen == index) {
                    Some((_, list)) => list.push(issue),
                    None => per_item.push((index, vec![issue])),
                },
                None => envelope.push(issue),
            }
        }
        if !envelope.is_empty() {
            envelope.extend(per_item.into_iter().flat_map(|(_, list)| list));
            return refused(envelope);
        }
        for (index, _) in &per_item {
            if let Some(item) = items.get_mut(*index) {
                *item = Value::Null;
            }
        }
        // The engine's answers with those items held out, their own outcomes put in their place.
        let mut out = String::new();
        let mut splice = Splice { writer: Writer::new(&mut out, false), per_item, at: 0 };
        let text = serde_json::to_vec(&value).unwrap_or_default();
        if !crate::engine::run(self.settings(false), &text, None, Shape::Batch, &mut splice) {
            return self.answer_value(&value, &batch, Shape::Batch);
        }
        out
    }

    /// The answer of `map` (`Shape::Message`), `validate` (`Shape::Validation`) or `map_batch`
    /// (`Shape::Batch`) for a value a host converted to JSON with `issues` (what JSON cannot carry,
    /// each at its path), as JSON text: with none, the value's own answer; a message with any is
    /// `invalid` with them, a batch as [`Destination::map_batch_converted`] says.
    ///
    /// ```
    /// use astrolabe_segment::{engine::Shape, Code, Config, Destination, Issue, MapOptions, Pointer};
    /// use serde_json::json;
    ///
    /// let destination = Destination::new(Config::default())?;
    /// let message = json!({"type": "track", "userId": "u1", "event": "Paid", "properties": {"total": null}});
    /// let at = Pointer::root().key("properties").key("total");
    /// let issues = vec![Issue::new(Code::NotJson, &at, "NaN is not JSON.")];
    /// let answer = destination.answer_converted(message, issues, &MapOptions::default(), Shape::Validation);
    /// assert!(answer.starts_with(r#"{"valid":false"#), "{answer}");
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn answer_converted(&self, value: Value, issues: Vec<Issue>, options: &MapOptions, shape: Shape) -> String {
        match shape {
            Shape::Batch => self.map_batch_converted(value, issues),
            _ if issues.is_empty() => self.answer_value(&value, options, shape),
            Shape::Validation => Validation::from(Outcome::invalid(issues)).to_json(),
            Shape::Any => Mapped::Message(Outcome::invalid(issues)).to_json(),
            Shape::Message => Outcome::invalid(issues).to_json(),
        }
    }

    /// `mapJson`'s answer for a host string that cannot be encoded as UTF-8 (JavaScript's, with
    /// a lone surrogate): `invalid_json` at the root, as for bytes that are not UTF-8.
    pub fn unencodable_text_answer() -> String {
        let issue = Issue::new(
            Code::InvalidJson,
            &Pointer::root(),
            "The text has a lone surrogate, which cannot be encoded as UTF-8.",
        );
        Mapped::Message(Outcome::invalid(vec![issue])).to_json()
    }

    /// The answer of `map` (`Shape::Message`), `validate` (`Shape::Validation`) or `map_batch`
    /// (`Shape::Batch`), as JSON text, for `text` that a host's serializer (`JSON.stringify`) wrote
    /// of a value it found to be plain JSON. `None` when only a walk over the value itself can
    /// answer exactly: text that is not JSON or over 500 KB, or nesting past 64 levels, which the
    /// walk reports in its own words (for cycles, say).
    ///
    /// ```
    /// use astrolabe_segment::{engine::Shape, Config, Destination, MapOptions};
    ///
    /// let destination = Destination::new(Config::default())?;
    /// let text = r#"{"type":"track","userId":"u1","event":"Paid"}"#;
    /// let outcome = destination.map_stringified(text, &MapOptions::default(), Shape::Message).unwrap();
    /// assert!(outcome.starts_with(r#"{"status":"mapped""#));
    /// let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    /// assert_eq!(destination.map_stringified(&deep, &MapOptions::default(), Shape::Message), None);
    /// # Ok::<(), astrolabe_segment::ConfigError>(())
    /// ```
    pub fn map_stringified(&self, text: &str, options: &MapOptions, shape: Shape) -> Option<String> {
        self.engine(text.as_bytes(), options.call_type, shape, true)
    }
}

/// Writes a batch's answers with some items' outcomes replaced: `invalid` with the issues the host
/// found in them (values JSON cannot carry).
struct Splice<'o> {
    writer: Writer<'o>,
    /// Each held-out item's index and its issues.
    per_item: Vec<(usize, Vec<Issue>)>,
    /// The index of the next item.
    at: usize,
}

impl Sink for Splice<'_> {
    fn message(&mut self, answer: &mut Answer<'_>) {
        self.writer.message(answer);
    }

    fn batch(&mut self, items: usize) {
        self.at = 0;
        self.writer.batch(items);
    }

    fn item(&mut self, answer: &mut Answer<'_>) {
        let index = self.at;
        self.at += 1;
        match self.per_item.iter().position(|(held, _)| *held == index) {
            Some(found) => {
                let (_, issues) = self.per_item.swap_remove(found);
                self.writer.item(&mut Answer::invalid(issues));
            }
            None => self.writer.item(answer),
        }
    }

    fn batch_end(&mut self, mut errors: Vec<Issue>) {
        // The batch was refused as a whole (a limit): its errors, and ours.
        if self.at == 0 && !errors.is_empty() {
            errors.extend(self.per_item.drain(..).flat_map(|(_, issues)| issues));
        }
        self.writer.batch_end(errors);
    }
}

/// The batch item a path points into: `/batch/3/traits` with prefix `/batch/` is item 3.
fn item_index(path: &str, prefix: &str) -> Option<usize> {
    let rest = path.strip_prefix(prefix)?;
    let digits = rest.split('/').next()?;
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Config, Pointer};
    use serde_json::json;

    fn destination() -> Destination {
        Destination::new(Config::default()).unwrap()
    }

    fn converted(destination: &Destination, value: Value, issues: Vec<Issue>) -> Value {
        serde_json::from_str(&destination.map_batch_converted(value, issues)).unwrap()
    }

    fn paths(issues: &Value) -> Vec<&str> {
        issues.as_array().unwrap().iter().map(|issue| issue["path"].as_str().unwrap()).collect()
    }

    fn not_json(path: &Pointer) -> Issue {
        Issue::new(Code::NotJson, path, "NaN is not JSON.")
    }

    #[test]
    fn item_indexes() {
        assert_eq!(item_index("/batch/3/traits", "/batch/"), Some(3));
        assert_eq!(item_index("/batch/12", "/batch/"), Some(12));
        assert_eq!(item_index("/0/x", "/"), Some(0));
        assert_eq!(item_index("/batch/03/x", "/batch/"), None);
        assert_eq!(item_index("/batch//x", "/batch/"), None);
        assert_eq!(item_index("/context/x", "/batch/"), None);
        assert_eq!(item_index("/batch/x", "/batch/"), None);
    }

    #[test]
    fn an_issue_in_an_item_invalidates_that_item_only() {
        let batch = json!([{"type": "identify", "userId": "u1"}, {"type": "identify", "userId": "u2"}, 1]);
        let root = Pointer::root();
        let issues = vec![not_json(&root.index(0).key("traits")), not_json(&root.index(0).key("x"))];
        let outcome = converted(&destination(), batch, issues);
        assert_eq!(outcome["errors"], json!([]));
        assert_eq!(outcome["outcomes"].as_array().unwrap().len(), 3);
        assert_eq!(outcome["outcomes"][0]["status"], "invalid");
        assert_eq!(paths(&outcome["outcomes"][0]["errors"]), ["/0/traits", "/0/x"]);
        assert_eq!(outcome["outcomes"][1]["status"], "mapped");
    }

    #[test]
    fn an_issue_in_the_envelope_refuses_the_batch() {
        let batch = json!({"batch": [{"type": "identify", "userId": "u1"}], "context": {}});
        let root = Pointer::root();
        let issues = vec![not_json(&root.key("context").key("x")), not_json(&root.key("batch").index(0).key("y"))];
        let outcome = converted(&destination(), batch, issues);
        assert_eq!(outcome["outcomes"], json!([]));
        assert_eq!(paths(&outcome["errors"]), ["/context/x", "/batch/0/y"]);
    }

    #[test]
    fn an_issue_past_the_items_or_without_items_is_the_batchs() {
        let root = Pointer::root();
        let outcome = converted(&destination(), json!([]), vec![not_json(&root.index(4))]);
        assert_eq!(paths(&outcome["errors"]), ["/4"]);
        let outcome = converted(&destination(), json!("x"), vec![not_json(&root)]);
        assert_eq!(paths(&outcome["errors"]), [""]);
    }

    #[test]
    fn a_refused_batch_keeps_its_errors_and_ours() {
        let items: Vec<Value> = (0..2_501).map(|_| json!({"type": "identify", "userId": "u"})).collect();
        let path = Pointer::root().key("batch").index(0).key("x");
        let outcome = converted(&destination(), json!({ "batch": items }), vec![not_json(&path)]);
        assert_eq!(outcome["outcomes"], json!([]));
        assert_eq!(outcome["errors"][0]["code"], Code::BatchTooMany.as_str());
        assert_eq!(outcome["errors"][1]["path"], "/batch/0/x");
    }

    #[test]
    fn stringified_text_answers_each_shape_as_the_value_api_does() {
        let destination = destination();
        let message = json!({"type": "group", "groupId": "g", "traits": {"n": 1.5}});
        let text = message.to_string();
        let options = MapOptions::default();
        assert_eq!(
            destination.map_stringified(&text, &options, Shape::Message),
            Some(destination.map(&message, &options).to_json())
        );
        assert_eq!(
            destination.map_stringified(&text, &options, Shape::Validation),
            serde_json::to_string(&destination.validate(&message, &options)).ok()
        );
        let batch = json!([message]);
        assert_eq!(
            destination.map_stringified(&batch.to_string(), &options, Shape::Batch),
            Some(destination.map_batch(&batch).to_json())
        );
    }

    #[test]
    fn stringified_text_past_the_limits_is_left_to_the_walk() {
        let destination = destination();
        let options = MapOptions::default();
        let mut deep = json!(1);
        for _ in 0..crate::input::MAX_DEPTH {
            deep = json!({ "a": deep });
        }
        let text = json!({"type": "track", "userId": "u", "event": "e", "properties": deep}).to_string();
        assert_eq!(destination.map_stringified(&text, &options, Shape::Message), None);
        assert_eq!(destination.map_stringified("{", &options, Shape::Message), None);
    }
}
