//! A build without personal data detection (the lite build) refuses `privacy` rather than
//! ignoring it: a message would otherwise leave unchecked while its settings say it is checked.
#![cfg(not(feature = "privacy"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::Config;
use serde_json::json;

#[test]
fn privacy_is_refused() {
    let error = Config::from_value(json!({"privacy": {"action": "block"}})).unwrap_err();
    assert_eq!(
        error.message(),
        "option \"privacy\" is not available in this build (the lite build has no personal data detection): use the full build"
    );
}
