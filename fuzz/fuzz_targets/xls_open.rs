//! Opening an `.xls`: compound file, record index, SST, cell bounds, the cell reader, the
//! sheet facts (date formats, hidden columns, empty formulas), and — when the file opens —
//! edits of each kind (a text, a number, a date where a date format can be had, a cleared
//! cell), the rewrite and the verification.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sverka::book::CellValue;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut book) = sverka::book::XlsBook::from_bytes(data.to_vec()) {
        let _ = book.set_text(0, 1, 1, "проверка");
        let _ = book.set(0, 2, 0, Some(CellValue::Number(42.5)));
        if let Some(day) = chrono::NaiveDate::from_ymd_opt(1982, 10, 14) {
            let date = book.date_value(day);
            let _ = book.set(0, 3, 2, Some(date));
        }
        let _ = book.clear(0, 0, 0);
        if let Ok(out) = book.to_bytes() {
            let _ = book.verify(&out);
        }
    }
});
