//! Validate Segment `identify`, `group` and `track` messages and map them to Astrolabe operations.
//!
//! The data's path reads top to bottom through the modules: [`input`] refuses text over the
//! limits, [`engine`] reads it once and runs the rest, [`spec`] gives the rules ([`rules`]) their
//! view of a message, [`map`] says which operations it makes, [`answer`] is the typed outcome
//! (borrowing the input; its `Writer` writes the JSON text), and [`outcome`] what callers read. A
//! [`Destination`] holds the compiled settings; every input, text or value, goes through the one
//! engine. The WebAssembly bindings are their own crate (`crates/wasm`), which only converts.
//!
//! ```
//! use astrolabe_segment::{Destination, Config, MapOptions, Status};
//! use serde_json::json;
//!
//! let destination = Destination::new(Config::default()).unwrap();
//! let outcome = destination.map(
//!     &json!({"type": "identify", "userId": "u1", "traits": {"email": "ada@example.com"}}),
//!     &MapOptions::default(),
//! );
//! assert_eq!(outcome.status, Status::Mapped);
//! assert_eq!(
//!     serde_json::to_value(&outcome.operations).unwrap(),
//!     json!([{"op": "upsertUser", "userId": "u1", "traits": {"email": "ada@example.com"}}])
//! );
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

#[cfg(feature = "tools")]
pub mod check;
pub mod config;
pub mod custom;
pub mod destination;
pub mod destination_cache;
pub mod host;
pub mod mapping;
pub mod payload;
#[cfg(feature = "tracking-plan")]
pub mod plan;
mod privacy_config;
pub mod quarantine;
#[cfg(feature = "speed")]
pub mod spans;
#[cfg(test)]
mod types_drift;

pub use astrolabe_segment_core::{
    answer, call, engine, input, issue, js_number, map, operation, outcome, plain, pointer, privacy, quote, rules, spec,
};

pub use call::CallType;
pub use config::{Config, ConfigError};
pub use destination::{Destination, MapOptions};
pub use issue::{Code, Issue};
pub use operation::{AssociateUser, Operation, TrackEvent, UpsertAccount, UpsertUser};
pub use outcome::{BatchOutcome, Mapped, Outcome, Status, Validation};
pub use pointer::Pointer;

/// The README's Rust examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// docs/rust.md's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/rust.md")]
pub struct RustDocDoctests;

/// docs/mappings.md's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/mappings.md")]
pub struct MappingsDocDoctests;

/// docs/quarantine.md's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../docs/quarantine.md")]
pub struct QuarantineDocDoctests;
