//! The README documents every issue code, and nothing else as a code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::Code;
use std::fs;
use std::path::Path;

#[test]
fn the_codes_table_lists_every_code() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = readme.split("## Codes").nth(1).unwrap().split("\n## ").next().unwrap();
    let listed: Vec<&str> =
        table.lines().filter_map(|line| line.strip_prefix("| `")).filter_map(|rest| rest.split('`').next()).collect();
    let all: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(listed, all, "the README's table of codes must list Code::ALL in order");
}
