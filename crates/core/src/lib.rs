//! The hot path of [astrolabe-segment](https://crates.io/crates/astrolabe-segment), in a crate of
//! its own so the WebAssembly build can optimize it for speed and everything else for size: the
//! message model and the Segment Spec's rules ([`spec`]), issues with JSON Pointer paths, the
//! built-in mapping ([`map`]), the one engine every input goes through ([`engine`]), the one
//! writer of outcomes (`write`). Use it through the
//! `astrolabe-segment` crate, which re-exports every module here under the same name.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod answer;
pub mod call;
pub mod engine;
pub mod input;
pub mod issue;
pub mod js_number;
pub mod map;
pub mod operation;
pub mod outcome;
pub mod plain;
pub mod pointer;
pub mod privacy;
pub mod quote;
pub mod rules;
pub mod spec;
mod write;

pub use call::CallType;
pub use issue::{Code, Issue};
pub use operation::{AssociateUser, Operation, TrackEvent, UpsertAccount, UpsertUser};
pub use outcome::{BatchOutcome, Mapped, Outcome, Status, Validation};
pub use pointer::Pointer;
