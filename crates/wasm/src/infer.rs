//! The tools build's glue for `astrolabe-segment infer` (`pkg/cli/infer.mjs`): an `Inferrer` fed
//! bytes as a `Checker` is (the same worker code drives both) that gives back only its inference,
//! as JSON, and `inferPlan`, the inferences merged and written as a plan. Everything decided is in
//! [`astrolabe_segment::check`]; this only converts. Only the tools build has it (`--features tools`).

use wasm_bindgen::prelude::*;

use astrolabe_segment::check::{End, Inference, Inferrer, Problem};

use crate::check::{error, framing_of, line_of};

/// Reads the messages of streams into an inference (one per worker thread).
#[wasm_bindgen(js_name = Inferrer)]
pub struct JsInferrer {
    inner: Inferrer,
}

#[wasm_bindgen(js_class = Inferrer)]
impl JsInferrer {
    /// `new Inferrer(enumMax?)`: `--enum-max`, or `undefined` for no enums.
    #[wasm_bindgen(constructor)]
    pub fn new(enum_max: Option<u32>) -> Result<JsInferrer, JsValue> {
        let inner = Inferrer::new(enum_max.map(|most| most as usize)).map_err(error)?;
        Ok(JsInferrer { inner })
    }

    /// `check(file, framing, firstLine, bytes)`: a piece of a stream that ends where a line does
    /// (named as the Checker's, so that one worker drives either).
    pub fn check(&mut self, file: &str, framing: &str, first_line: f64, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.read(file, framing_of(framing)?, line_of(first_line), bytes);
        Ok(())
    }

    /// `open(id, file, framing, firstLine)`: a stream fed in pieces (`feed`) until `close`.
    pub fn open(&mut self, id: u32, file: &str, framing: &str, first_line: f64) -> Result<(), JsValue> {
        self.inner.open(id, file, framing_of(framing)?, line_of(first_line));
        Ok(())
    }

    /// `feed(id, bytes)`: the next piece of stream `id`.
    pub fn feed(&mut self, id: u32, bytes: &[u8]) -> Result<(), JsValue> {
        if self.inner.feed(id, bytes) {
            Ok(())
        } else {
            Err(error(format!("no stream {id} is open")))
        }
    }

    /// `close(id, truncated)`: the stream is over; `truncated` when it was cut short.
    pub fn close(&mut self, id: u32, truncated: bool) {
        self.inner.close(id, if truncated { End::Truncated } else { End::Complete });
    }

    /// `countFile()`: one more file (or standard input) read.
    #[wasm_bindgen(js_name = countFile)]
    pub fn count_file(&mut self) {
        self.inner.count_file();
    }

    /// `problem(file, line?, code, detail)`: a file that could not be read (`unreadable_file`) or
    /// un-gzipped (`broken_gzip`), as a whole or from `line` on.
    pub fn problem(&mut self, file: &str, line: Option<f64>, code: &str, detail: &str) -> Result<(), JsValue> {
        let problem = Problem::from_name(code).ok_or_else(|| error(format!("unknown problem {code:?}")))?;
        self.inner.problem(file, line.map(line_of), problem, detail);
        Ok(())
    }

    /// Messages read, skipped and unreadable so far, for the progress line.
    pub fn seen(&self) -> f64 {
        self.inner.seen() as f64
    }

    /// `takeInference()`: the inference's JSON, leaving an empty one.
    #[wasm_bindgen(js_name = takeInference)]
    pub fn take_inference(&mut self) -> String {
        self.inner.take_inference().to_json()
    }
}

/// A plan written by `inferPlan`.
#[wasm_bindgen(js_name = InferredPlan, getter_with_clone)]
pub struct JsInferredPlan {
    /// The plan in the Public API's rules form, as JSON text ending in a newline.
    pub text: String,
    /// What was read, skipped, unreadable and left out, a sentence each, for standard error.
    pub notes: Vec<String>,
    /// The plan has a rule (exit status 0).
    pub passed: bool,
}

/// `inferPlan([json, ...], minCount)`: the inferences of the workers merged and written as a
/// plan; throws an `Error` naming the inference (by its position) that is not one.
#[wasm_bindgen(js_name = inferPlan)]
pub fn infer_plan(inferences: Vec<String>, min_count: f64) -> Result<JsInferredPlan, JsValue> {
    let whole = Inference::merged(&inferences).map_err(error)?;
    // A whole number from JS; what below 1 means is the library's.
    let plan = whole.plan(min_count as u64);
    let passed = plan.passed();
    Ok(JsInferredPlan { text: plan.text, notes: plan.notes, passed })
}
