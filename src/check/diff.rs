//! `astrolabe-segment diff`: two plan files' texts compared ([`PlanDiff`]), with what replaying
//! traffic through both found ([`Traffic`]), printed as JSON or for a person.

use std::fmt::Write;

use serde::Serialize;

use super::present::{counted, grouped};
use super::replay::Traffic;
use crate::plan::diff::{Change, Kind, PlanDiff, Side};

/// A plan file that could not be read: which one, and why (`not JSON: ...`, `not a tracking plan
/// it can read: ...`), to follow the file's name (`old.json is not JSON: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFileError {
    /// The old plan (the first operand) or the new one.
    pub side: Side,
    /// Why.
    pub message: String,
}

/// Compares the texts of two plan files.
///
/// ```
/// use astrolabe_segment::check::diff_plans;
/// let diff = diff_plans(r#"{"rules": []}"#, r#"{"rules": [], "violations": "block"}"#).unwrap();
/// assert_eq!(diff.breaking[0].change, r#"violations: "allow" → "block""#);
/// assert!(diff_plans("{", "{}").unwrap_err().message.starts_with("not JSON: "));
/// ```
pub fn diff_plans(old: &str, new: &str) -> Result<PlanDiff, PlanFileError> {
    let read = |text: &str, side: Side| -> Result<serde_json::Value, PlanFileError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|error| PlanFileError { side, message: format!("not JSON: {error}") })?;
        if !value.is_object() {
            let message = "not a tracking plan: a plan file holds a JSON object".to_owned();
            return Err(PlanFileError { side, message });
        }
        Ok(value)
    };
    let (old, new) = (read(old, Side::Old)?, read(new, Side::New)?);
    PlanDiff::between(&old, &new).map_err(|error| PlanFileError {
        side: error.side,
        message: format!("not a tracking plan it can read: {}", error.message),
    })
}

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// For a person: the changes by kind and rule, the traffic's figures, a last line.
    Text,
    /// `{"breaking": [...], "additive": [...], "neutral": [...], "traffic"?: {...}}`.
    Json,
}

impl DiffFormat {
    /// The format with this name (`text`, `json`).
    pub fn from_name(name: &str) -> Option<DiffFormat> {
        match name {
            "text" => Some(DiffFormat::Text),
            "json" => Some(DiffFormat::Json),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct Whole<'a> {
    breaking: &'a [Change],
    additive: &'a [Change],
    neutral: &'a [Change],
    #[serde(skip_serializing_if = "Option::is_none")]
    traffic: Option<&'a Traffic>,
}

/// How many events (and calls) the text lists; JSON lists them all.
const TEXT_EVENTS: usize = 25;

/// The diff (and the traffic, when it was replayed) as `format` prints it, ending in a line feed.
///
/// ```
/// use astrolabe_segment::check::{diff_plans, render_diff, DiffFormat};
/// let diff = diff_plans(r#"{"rules": []}"#, r#"{"rules": [], "violations": "block"}"#).unwrap();
/// let text = render_diff(&diff, None, DiffFormat::Text);
/// assert!(text.starts_with("changes: 1 breaking, 0 additive, 0 neutral\n"));
/// assert!(text.ends_with("failed: 1 breaking change\n"));
/// ```
pub fn render_diff(diff: &PlanDiff, traffic: Option<&Traffic>, format: DiffFormat) -> String {
    match format {
        DiffFormat::Json => {
            let whole = Whole { breaking: &diff.breaking, additive: &diff.additive, neutral: &diff.neutral, traffic };
            serde_json::to_string_pretty(&whole).unwrap_or_default() + "\n"
        }
        DiffFormat::Text => text(diff, traffic),
    }
}

fn text(diff: &PlanDiff, traffic: Option<&Traffic>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "changes: {} breaking, {} additive, {} neutral",
        diff.breaking.len(),
        diff.additive.len(),
        diff.neutral.len()
    );
    for (kind, title) in [
        (Kind::Breaking, "Breaking: a message may get a worse answer than under the old plan"),
        (Kind::Additive, "Additive: no message gets a worse answer"),
        (Kind::Neutral, "Neutral: no message's answer changes"),
    ] {
        let list = match kind {
            Kind::Breaking => &diff.breaking,
            Kind::Additive => &diff.additive,
            Kind::Neutral => &diff.neutral,
        };
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        let mut rule: Option<&str> = None;
        for change in list {
            if rule != Some(change.rule.as_str()) {
                let _ = writeln!(out, "  {}", change.rule);
                rule = Some(&change.rule);
            }
            // An empty path is the rule's schema as a whole.
            if change.path.is_empty() {
                let _ = writeln!(out, "    {}", change.change);
            } else {
                let _ = writeln!(out, "    {}: {}", change.path, change.change);
            }
            let _ = writeln!(out, "      {}", change.reason);
        }
    }
    if let Some(traffic) = traffic {
        traffic_text(traffic, &mut out);
    }
    let breaking = diff.breaking.len();
    if breaking > 0 {
        let _ = writeln!(out, "\nfailed: {}", counted(breaking as u64, "breaking change"));
    } else {
        let _ = writeln!(out, "\nok: no breaking change");
    }
    out
}

fn traffic_text(traffic: &Traffic, out: &mut String) {
    let _ = writeln!(
        out,
        "\nTraffic: {} in {} replayed through both plans; {} unreadable",
        counted(traffic.messages, "message"),
        counted(traffic.files, "file"),
        grouped(traffic.unreadable),
    );
    let _ = writeln!(
        out,
        "  {} changed, {} newly refused, {} newly accepted",
        grouped(traffic.changed),
        grouped(traffic.newly_refused),
        grouped(traffic.newly_accepted)
    );
    if !traffic.by_event.is_empty() {
        let mut events: Vec<_> = traffic.by_event.iter().collect();
        events.sort_by(|a, b| b.1.changed.cmp(&a.1.changed).then(b.1.messages.cmp(&a.1.messages)).then(a.0.cmp(b.0)));
        let shown = events.len().min(TEXT_EVENTS);
        let width = events.iter().take(shown).map(|(name, _)| name.chars().count()).max().unwrap_or(0).max(5);
        let _ = writeln!(
            out,
            "\n  {:<width$}  {:>10}  {:>10}  {:>14}  {:>15}",
            "event", "messages", "changed", "newly refused", "newly accepted"
        );
        for (name, count) in events.iter().take(shown) {
            let _ = writeln!(
                out,
                "  {name:<width$}  {:>10}  {:>10}  {:>14}  {:>15}",
                grouped(count.messages),
                grouped(count.changed),
                grouped(count.newly_refused),
                grouped(count.newly_accepted),
            );
        }
        if events.len() > shown {
            let _ = writeln!(out, "  ... and {} more (--format json lists them all)", events.len() - shown);
        }
    }
    if !traffic.examples.is_empty() {
        let _ = writeln!(out, "\n  Examples:");
        for example in &traffic.examples {
            let line = example.line.map_or(String::new(), |line| format!(":{line}"));
            let path = if example.path.is_empty() { String::new() } else { format!(" {}", example.path) };
            let codes =
                |codes: &[String]| if codes.is_empty() { String::new() } else { format!(" ({})", codes.join(", ")) };
            let _ = writeln!(
                out,
                "  {}{line}{path}  {}: {}{} → {}{}",
                example.file,
                example.event,
                example.old.status,
                codes(&example.old.codes),
                example.new.status,
                codes(&example.new.codes),
            );
            if let Some(issue) = &example.issue {
                let _ = writeln!(out, "    {issue}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Framing;
    use crate::check::Replayer;

    #[test]
    fn plan_files_that_cannot_be_read_say_which_and_why() {
        let error = diff_plans(r#"{"rules": []}"#, "[]").unwrap_err();
        assert_eq!(
            error,
            PlanFileError { side: Side::New, message: "not a tracking plan: a plan file holds a JSON object".into() }
        );
        let error = diff_plans(r#"{"rules": 1}"#, r#"{"rules": []}"#).unwrap_err();
        assert_eq!(error.side, Side::Old);
        assert!(error.message.starts_with("not a tracking plan it can read: "), "{}", error.message);
    }

    #[test]
    fn text_and_json() {
        let old = r#"{"rules": [{"type": "TRACK", "key": "Paid", "jsonSchema": {"properties": {"properties": {"properties": {"cents": {"type": "number", "description": "c"}}}}}}], "violations": "block"}"#;
        let new = r#"{"rules": [{"type": "TRACK", "key": "Paid", "jsonSchema": {"properties": {"properties": {"properties": {"cents": {"type": "integer"}}}}}}, {"type": "IDENTIFY", "jsonSchema": {}}], "violations": "block"}"#;
        let diff = diff_plans(old, new).unwrap();
        let mut replayer = Replayer::new(old, new).unwrap();
        replayer.count_file();
        replayer.read(
            "t.ndjson",
            Framing::Lines,
            1,
            b"{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Paid\",\"properties\":{\"cents\":1.5}}\n",
        );
        let traffic = replayer.take_traffic();
        let text = render_diff(&diff, Some(&traffic), DiffFormat::Text);
        let expected = r#"changes: 1 breaking, 1 additive, 1 neutral

Breaking: a message may get a worse answer than under the old plan
  TRACK Paid
    /properties/properties/properties/cents: type: "number" → "integer"
      a value of type number was accepted and is now refused

Additive: no message gets a worse answer
  IDENTIFY
    rule added
      its schema accepts every message

Neutral: no message's answer changes
  TRACK Paid
    /properties/properties/properties/cents: description removed (was "c")
      an annotation, which the validator does not read

Traffic: 1 message in 1 file replayed through both plans; 0 unreadable
  1 changed, 1 newly refused, 0 newly accepted

  event         messages     changed   newly refused   newly accepted
  TRACK Paid           1           1               1                0

  Examples:
  t.ndjson:1  TRACK Paid: mapped → invalid (plan_violation)
    new: plan_violation at /properties/cents: "cents" must be an integer (rule TRACK "Paid"): 1.5 is a number

failed: 1 breaking change
"#;
        assert_eq!(text, expected);
        let json: serde_json::Value =
            serde_json::from_str(&render_diff(&diff, Some(&traffic), DiffFormat::Json)).unwrap();
        assert_eq!(json["breaking"][0]["rule"], "TRACK Paid");
        assert_eq!(json["breaking"][0]["path"], "/properties/properties/properties/cents");
        assert_eq!(json["traffic"]["newlyRefused"], 1);
        assert_eq!(json["traffic"]["byEvent"]["TRACK Paid"]["changed"], 1);
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["breaking", "additive", "neutral", "traffic"]);
        let plain: serde_json::Value = serde_json::from_str(&render_diff(&diff, None, DiffFormat::Json)).unwrap();
        assert!(plain.get("traffic").is_none());
        let same = diff_plans(old, old).unwrap();
        assert_eq!(
            render_diff(&same, None, DiffFormat::Text),
            "changes: 0 breaking, 0 additive, 0 neutral\n\nok: no breaking change\n"
        );
    }
}
