//! `astrolabe-segment convert`: a plan file's text, in any format [`crate::plan::convert`] reads,
//! written as the Public API's rules form.

use crate::plan;

/// A plan file converted, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertedPlan {
    /// The plan in the Public API's rules form: JSON indented by two spaces, ending in a newline.
    pub text: String,
    /// The format it was read as, in words ("a Typewriter v8 plan.json").
    pub format: &'static str,
    /// What was read with a warning.
    pub warnings: Vec<String>,
}

/// Converts the text of a plan file. The error is a sentence: the JSON's line and column when it is
/// not JSON, or why the plan is refused (the same reasons `new Destination` gives).
///
/// ```
/// use astrolabe_segment::check::convert_plan;
///
/// let legacy = r#"{"display_name": "Web", "rules": {"events": [{"name": "Paid", "rules": {}}]}}"#;
/// let converted = convert_plan(legacy).unwrap();
/// assert_eq!(converted.format, "a Segment Config API plan");
/// assert!(converted.text.starts_with("{\n  \"name\": \"Web\",\n  \"rules\": [\n"));
/// assert!(convert_plan("{\"rules\": [").unwrap_err().starts_with("not JSON: "));
/// ```
pub fn convert_plan(text: &str) -> Result<ConvertedPlan, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    if !value.is_object() {
        return Err("not a tracking plan: a plan file holds a JSON object".to_owned());
    }
    let converted =
        plan::convert(&value).map_err(|error| format!("not a tracking plan it can read: {}", error.message()))?;
    let mut text =
        serde_json::to_string_pretty(&converted.plan).map_err(|error| format!("cannot write the plan: {error}"))?;
    text.push('\n');
    Ok(ConvertedPlan { text, format: converted.format.name(), warnings: converted.warnings })
}
