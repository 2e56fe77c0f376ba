//! Bytes in: `Destination::map_json` with every configuration; the last byte picks the call type.
#![no_main]

mod common;

use std::sync::OnceLock;

use astrolabe_segment::Destination;
use libfuzzer_sys::fuzz_target;

static DESTINATIONS: OnceLock<Vec<Destination>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let destinations = DESTINATIONS.get_or_init(common::destinations);
    let options = common::options(data.last().copied().unwrap_or(4));
    for destination in destinations {
        common::check(&destination.map_json(data, &options));
    }
});
