//! astrolabe-segment patch: the current moment, from a clock the embedder can set.
//!
//! `time::OffsetDateTime::now_utc` reads the system clock, which wasm32-unknown-unknown does not
//! have: there it traps (`unreachable`), and a template saying `'now' | date: '%Y'` stopped the
//! whole WebAssembly module. An embedder without a system clock sets one with [`set_clock`] (the
//! WebAssembly bindings of astrolabe-segment give `Date.now()`); elsewhere the system clock is read.
//! With neither, "now" is not a date, as any other string that is not one.

use std::sync::OnceLock;

/// Milliseconds since the Unix epoch, as JavaScript's `Date.now()` gives them.
pub type Clock = fn() -> f64;

static CLOCK: OnceLock<Clock> = OnceLock::new();

/// Sets the clock that "now" and "today" read; the first clock set stays.
pub fn set_clock(clock: Clock) {
    let _ = CLOCK.set(clock);
}

/// The current moment in UTC, or `None` when there is no clock to read.
pub(crate) fn now_utc() -> Option<time::OffsetDateTime> {
    if let Some(clock) = CLOCK.get() {
        let nanos = (clock() * 1_000_000.0) as i128;
        return time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok();
    }
    system_now()
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn system_now() -> Option<time::OffsetDateTime> {
    Some(time::OffsetDateTime::now_utc())
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn system_now() -> Option<time::OffsetDateTime> {
    None
}
