//! Tracking plans: a plan and a message, JSON texts split at the first NUL byte. Compiling any plan
//! gives a Destination or a ConfigError; a compiled plan checks any message without a panic.
#![no_main]

mod common;

use astrolabe_segment::{Config, Destination};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let (plan, message) = common::split(data);
    let Ok(plan) = serde_json::from_slice::<Value>(plan) else { return };
    let Ok(config) = Config::from_value(json!({"trackingPlan": plan})) else { return };
    let Ok(destination) = Destination::new(config) else { return };
    let options = common::options(message.first().copied().unwrap_or(4));
    common::check(&destination.map_json(message, &options));
});
