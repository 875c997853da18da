//! Opening an `.xls`: compound file, record index, SST, cell bounds, the cell reader, and —
//! when the file opens — an edit, the rewrite and the verification.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut book) = sverka::book::XlsBook::from_bytes(data.to_vec()) {
        let _ = book.set_text(0, 1, 1, "проверка");
        if let Ok(out) = book.to_bytes() {
            let _ = book.verify(&out);
        }
    }
});
