//! The appeal parsers: pasted text, JSON, CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = sverka::engine::decode_text(data);
    let _ = sverka::engine::parse_text(&text, "fuzz");
    let _ = sverka::engine::parse_json(&text, "fuzz");
    let _ = sverka::engine::parse_table(data, "csv", "fuzz");
});
