//! The tools build's glue for `astrolabe-segment infer` (`pkg/cli/infer.mjs`): an `Inferrer` fed
//! bytes as a `Checker` is (the same worker code drives both) that gives back only its inference,
//! as JSON, and `inferPlan`, the inferences merged and written as a plan. Everything decided is in
//! [`astrolabe_segment::check`]; this only converts. Only the tools build has it (`--features tools`).

use wasm_bindgen::prelude::*;

use astrolabe_segment::check::{Inference, Inferrer};

use crate::check::error;
use crate::reader::reader_methods;

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

    /// `takeInference()`: the inference's JSON, leaving an empty one.
    #[wasm_bindgen(js_name = takeInference)]
    pub fn take_inference(&mut self) -> String {
        self.inner.take_inference().to_json()
    }
}

reader_methods!(JsInferrer, "Inferrer");

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
