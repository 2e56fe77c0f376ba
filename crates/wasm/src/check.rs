//! The tools build's glue for the command line (`pkg/cli/`): a `Checker` fed bytes many lines at
//! a time that gives back only its report, its twin the `Replayer` for `diff --traffic`, and what
//! the CLI asks of the rules in [`astrolabe_segment::check`] (a stream's framing, shards, the
//! files of a directory, reports merged and printed, plans compared). Nothing crosses back per
//! message. Only the tools build has it (`--features tools`).

use wasm_bindgen::prelude::*;

use astrolabe_segment::check::{self, DiffFormat, Format, Framing, Report, Shard, Traffic};

use crate::reader::reader_methods;
use astrolabe_segment::plan::diff::{PlanDiff, Side};

/// Checks the values of streams and counts them (one per worker thread).
#[wasm_bindgen(js_name = Checker)]
pub struct JsChecker {
    inner: check::Checker,
}

#[wasm_bindgen(js_class = Checker)]
impl JsChecker {
    /// `new Checker(configText?, planText?, strict)`: the texts of `--config` and `--plan`; throws
    /// an `Error` naming the one at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(config: Option<String>, plan: Option<String>, strict: bool) -> Result<JsChecker, JsValue> {
        let config = check::settings(config.as_deref(), plan.as_deref(), strict).map_err(error)?;
        let inner = check::Checker::new(config).map_err(|problem| error(problem.to_string()))?;
        Ok(JsChecker { inner })
    }

    /// `warnings()`: what the settings' plan was read with a warning, to print once.
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings().to_vec()
    }

    /// `takeReport()`: the report's JSON, leaving an empty one.
    #[wasm_bindgen(js_name = takeReport)]
    pub fn take_report(&mut self) -> String {
        self.inner.take_report().to_json()
    }
}

reader_methods!(JsChecker, "Checker");

/// Replays the values of streams through two plans and counts how their answers differ (one per
/// worker thread, fed as a `Checker` is).
#[wasm_bindgen(js_name = Replayer)]
pub struct JsReplayer {
    inner: check::Replayer,
}

#[wasm_bindgen(js_class = Replayer)]
impl JsReplayer {
    /// `new Replayer(oldPlanText, newPlanText)`; throws an `Error` naming the plan at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(old: &str, new: &str) -> Result<JsReplayer, JsValue> {
        Ok(JsReplayer { inner: check::Replayer::new(old, new).map_err(error)? })
    }

    /// `takeReport()`: the traffic's JSON, leaving none.
    #[wasm_bindgen(js_name = takeReport)]
    pub fn take_report(&mut self) -> String {
        self.inner.take_traffic().to_json()
    }
}

reader_methods!(JsReplayer, "Replayer");

/// `diffPlans(oldText, newText)` → the diff's JSON; throws an `Error` with `side` (`"old"` or
/// `"new"`) saying why that plan's text is not a plan it reads.
#[wasm_bindgen(js_name = diffPlans)]
pub fn diff_plans(old: &str, new: &str) -> Result<String, JsValue> {
    match check::diff_plans(old, new) {
        Ok(diff) => serde_json::to_string(&diff).map_err(|problem| error(problem.to_string())),
        Err(problem) => {
            let thrown = js_sys::Error::new(&problem.message);
            let side = match problem.side {
                Side::Old => "old",
                Side::New => "new",
            };
            js_sys::Reflect::set(&thrown, &JsValue::from_str("side"), &JsValue::from_str(side))?;
            Err(thrown.into())
        }
    }
}

/// `diffPassed(diffJson)`: nothing breaking (exit status 0).
#[wasm_bindgen(js_name = diffPassed)]
pub fn diff_passed(diff: &str) -> Result<bool, JsValue> {
    Ok(!plan_diff(diff)?.is_breaking())
}

/// `mergeTraffic([json, ...])` → the JSON of their sum.
#[wasm_bindgen(js_name = mergeTraffic)]
pub fn merge_traffic(reports: Vec<String>) -> Result<String, JsValue> {
    Traffic::merged(&reports).map(|whole| whole.to_json()).map_err(error)
}

/// `renderDiff(diffJson, trafficJson?, format)`: the diff as `text` or `json` prints it.
#[wasm_bindgen(js_name = renderDiff)]
pub fn render_diff(diff: &str, traffic: Option<String>, format: &str) -> Result<String, JsValue> {
    let format = DiffFormat::from_name(format).ok_or_else(|| error(format!("unknown format {format:?}")))?;
    let traffic = traffic.map(|text| Traffic::from_json(&text)).transpose().map_err(error)?;
    Ok(check::render_diff(&plan_diff(diff)?, traffic.as_ref(), format))
}

fn plan_diff(text: &str) -> Result<PlanDiff, JsValue> {
    serde_json::from_str(text).map_err(|problem| error(problem.to_string()))
}

/// A plan converted by `convertPlan`.
#[wasm_bindgen(js_name = ConvertedPlan, getter_with_clone)]
pub struct JsConvertedPlan {
    /// The Public API's rules form, as JSON text ending in a newline.
    pub text: String,
    /// The format the plan was read as, in words.
    pub format: String,
    /// What was read with a warning.
    pub warnings: Vec<String>,
}

/// `convertPlan(text)`: a plan file's text in the Public API's rules form; throws an `Error`
/// saying why the text is not a plan it reads.
#[wasm_bindgen(js_name = convertPlan)]
pub fn convert_plan(text: &str) -> Result<JsConvertedPlan, JsValue> {
    let converted = check::convert_plan(text).map_err(error)?;
    Ok(JsConvertedPlan { text: converted.text, format: converted.format.to_owned(), warnings: converted.warnings })
}

/// `detectFraming(head, complete)`: `"lines"`, `"document"`, or `undefined` while more of the
/// stream's start is needed (never past `detectBytes()`).
#[wasm_bindgen(js_name = detectFraming)]
pub fn detect_framing(head: &[u8], complete: bool) -> Option<String> {
    Framing::detect(head, complete).map(|framing| framing.as_str().to_owned())
}

/// `detectBytes()`: the most of a stream's start `detectFraming` needs.
#[wasm_bindgen(js_name = detectBytes)]
pub fn detect_bytes() -> usize {
    check::DETECT_BYTES
}

/// `parseShard("I/N")` → `[I, N]`; throws an `Error` saying what is expected.
#[wasm_bindgen(js_name = parseShard)]
pub fn parse_shard(text: &str) -> Result<Vec<u32>, JsValue> {
    let shard = Shard::parse(text).map_err(error)?;
    Ok(vec![shard.index, shard.count])
}

/// `shardTakes(index, count, path)`: whether shard `index` of `count` reads the file at `path`.
#[wasm_bindgen(js_name = shardTakes)]
pub fn shard_takes(index: u32, count: u32, path: &str) -> bool {
    Shard { index, count }.takes(path)
}

/// `wantedInDirectory(name)`: whether a file found in a directory is read.
#[wasm_bindgen(js_name = wantedInDirectory)]
pub fn wanted_in_directory(name: &str) -> bool {
    check::wanted_in_directory(name)
}

/// `mergeReports([json, ...])` → the JSON of their sum; throws an `Error` naming the report (by
/// its position) that is not one.
#[wasm_bindgen(js_name = mergeReports)]
pub fn merge_reports(reports: Vec<String>) -> Result<String, JsValue> {
    Report::merged(&reports).map(|whole| whole.to_json()).map_err(error)
}

/// `renderReport(json, format)`: the report as `text`, `json` or `github` prints it.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(report: &str, format: &str) -> Result<String, JsValue> {
    let format = Format::from_name(format).ok_or_else(|| error(format!("unknown format {format:?}")))?;
    Ok(Report::from_json(report).map_err(error)?.render(format))
}

/// `reportPassed(json)`: nothing invalid and nothing unreadable (exit status 0).
#[wasm_bindgen(js_name = reportPassed)]
pub fn report_passed(report: &str) -> Result<bool, JsValue> {
    Ok(Report::from_json(report).map_err(error)?.passed())
}

pub(crate) fn framing_of(name: &str) -> Result<Framing, JsValue> {
    Framing::from_name(name).ok_or_else(|| error(format!("unknown framing {name:?}")))
}

/// A line number from JS (a safe integer).
pub(crate) fn line_of(number: f64) -> u64 {
    if number.is_finite() && number >= 1.0 {
        number as u64
    } else {
        1
    }
}

pub(crate) fn error(message: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(message.as_ref()).into()
}
