//! The appeal parsers: pasted text, JSON, CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = sverka::engine::appeal::decode_text(data);
    let _ = sverka::engine::appeal::parse_text(&text, "fuzz");
    let _ = sverka::engine::appeal::parse_json(&text, "fuzz");
    let _ = sverka::engine::appeal::parse_table(data, "csv", "fuzz");
});
