//! Hostile input never panics or hangs: deterministic mutations of the real fixtures (bit
//! flips, truncations, record lengths and counts set to huge values, in the compound file and
//! inside the Workbook stream) must each give an error or a readable book; the same for appeal
//! texts. Regression inputs found by fuzzing live in tests/fixtures/fuzz/.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use sverka::book::XlsBook;
use sverka::xls::Container;

use sverka_testkit::synth::Rng;

mod common;
use common::fixture_bytes as fixture;

/// What the `xls_open` fuzz target does with its input: open, edit cell B2, write, read back.
fn as_fuzzed(bytes: Vec<u8>) {
    if let Ok(mut book) = XlsBook::from_bytes(bytes) {
        let _ = book.set_text(0, 1, 1, "проверка");
        if let Ok(out) = book.to_bytes() {
            let _ = book.verify(&out);
        }
    }
}

/// Opens, reads, edits and writes a mutated file; returns whether it opened.
fn exercise(bytes: Vec<u8>) -> bool {
    match XlsBook::from_bytes(bytes) {
        Ok(mut book) => {
            let _ = book.set_text(0, 3, 3, "проверка");
            if let Ok(out) = book.to_bytes() {
                let _ = book.verify(&out);
            }
            true
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            false
        }
    }
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                if let Some(x) = b.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
        }
        1 => b.truncate(rng.below(b.len())),
        2 => {
            // A 16- or 32-bit field set to a huge value.
            let i = rng.below(b.len().saturating_sub(4));
            let v = [0xFF, 0xFF, 0xFF, 0x7F];
            let n = if rng.below(2) == 0 { 2 } else { 4 };
            for (k, byte) in v.iter().take(n).enumerate() {
                if let Some(x) = b.get_mut(i + k) {
                    *x = *byte;
                }
            }
        }
        _ => {
            // A run of bytes zeroed.
            let i = rng.below(b.len());
            let n = 1 + rng.below(64);
            for x in b.iter_mut().skip(i).take(n) {
                *x = 0;
            }
        }
    }
    b
}

/// Record-aware mutation of the Workbook stream: lengths and counts of records set to huge or
/// zero values, then wrapped into a fresh compound file so the record parser sees them.
fn mutate_stream(rng: &mut Rng, stream: &[u8]) -> Vec<u8> {
    let mut s = stream.to_vec();
    // Walk the record headers and hit one of them.
    let mut heads = Vec::new();
    let mut p = 0usize;
    while p + 4 <= s.len() && heads.len() < 100_000 {
        heads.push(p);
        let len = u16::from_le_bytes([s[p + 2], s[p + 3]]) as usize;
        p += 4 + len;
    }
    for _ in 0..1 + rng.below(3) {
        let h = heads[rng.below(heads.len())];
        match rng.below(4) {
            0 => {
                s[h + 2] = 0xFF;
                s[h + 3] = 0xFF;
            }
            1 => {
                s[h + 2] = 0;
                s[h + 3] = 0;
            }
            2 => {
                // The first payload field (row, count, offset…) set huge.
                for k in 4..8 {
                    if let Some(x) = s.get_mut(h + k) {
                        *x = 0xFF;
                    }
                }
            }
            _ => {
                let i = h + 4 + rng.below(16);
                if let Some(x) = s.get_mut(i) {
                    *x = rng.next_u64() as u8;
                }
            }
        }
    }
    Container::fresh(&s).unwrap_or_default()
}

#[test]
fn mutated_exports_never_panic_or_hang() {
    let mut rng = Rng::new(0xBAD_F11E);
    let mut opened = 0;
    let mut refused = 0;
    let mut slowest = Duration::ZERO;
    for name in [
        "short/export.xls",
        "full/export.xls",
        "full/export_libreoffice.xls",
    ] {
        let base = fixture(name);
        let stream = Container::parse(&base)
            .map(|c| c.workbook)
            .unwrap_or_default();
        for case in 0..160 {
            let bytes = if case % 2 == 0 {
                mutate(&mut rng, &base)
            } else {
                mutate_stream(&mut rng, &stream)
            };
            let t = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| exercise(bytes)));
            slowest = slowest.max(t.elapsed());
            match r {
                Ok(true) => opened += 1,
                Ok(false) => refused += 1,
                Err(_) => panic!("{name}: mutation {case} panicked"),
            }
        }
    }
    println!("opened {opened}, refused {refused}, slowest {slowest:?}");
    assert!(opened > 0 && refused > 0);
    assert!(
        slowest < Duration::from_secs(30),
        "a mutation took {slowest:?}"
    );
}

#[test]
fn regression_inputs_from_fuzzing() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let bytes = std::fs::read(e.path()).unwrap_or_default();
        let name = e.file_name().to_string_lossy().into_owned();
        let r = catch_unwind(AssertUnwindSafe(|| {
            if name.starts_with("appeal") {
                let _ = sverka::engine::parse_text(&String::from_utf8_lossy(&bytes), "fuzz");
            } else {
                as_fuzzed(bytes.clone());
                exercise(bytes);
            }
        }));
        assert!(r.is_ok(), "{name} panicked");
    }
}

#[test]
fn mutated_appeal_texts_never_panic() {
    let mut rng = Rng::new(0xA99EA1);
    let base = String::from_utf8_lossy(&fixture("full/appeals/001.txt")).into_owned();
    let chars: Vec<char> = base.chars().collect();
    let alphabet: Vec<char> = "ФИОСНИЛС:\t\n _*-.0123456789ёЁaA@\u{0}\u{feff}\u{200b}李😀"
        .chars()
        .collect();
    for case in 0..2000 {
        let mut c = chars.clone();
        for _ in 0..1 + rng.below(12) {
            let i = rng.below(c.len() + 1);
            match rng.below(3) {
                0 if i < c.len() => {
                    c.remove(i);
                }
                1 => c.insert(i.min(c.len()), alphabet[rng.below(alphabet.len())]),
                _ => c.truncate(i.min(c.len())),
            }
        }
        let text: String = c.into_iter().collect();
        let r = catch_unwind(AssertUnwindSafe(|| {
            let _ = sverka::engine::parse_text(&text, "t");
            let _ = sverka::engine::parse_json(&text, "t");
            let _ = sverka::engine::parse_table(text.as_bytes(), "csv", "t");
        }));
        assert!(r.is_ok(), "case {case} panicked on {text:?}");
    }
}

/// Every limit refuses with its own Russian message and leaves everything as it was.
#[test]
fn limits_refuse_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));

    // An export over 256 MB (a sparse file: nothing is written to disk).
    let huge = dir.path().join("огромная.xls");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(sverka::xls::MAX_FILE_BYTES + 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let err = XlsBook::open(&huge).err().map(|e| e.to_string());
    let err = err.unwrap_or_default();
    assert!(err.contains("257") && err.contains("256"), "{err}");

    // An appeal file over 16 MB, and a paste over 4 MB.
    let appeals = dir.path().join("обращения.txt");
    std::fs::File::create(&appeals)
        .and_then(|f| f.set_len(sverka::engine::MAX_FILE_BYTES + 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let too_large = |r: Result<Vec<sverka::engine::Appeal>, sverka::engine::AppealError>| {
        let err = r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("Слишком большой объём"), "{err}");
    };
    too_large(sverka::engine::load_file(&appeals));
    let paste = "Фамилия Иванов\n".repeat(sverka::engine::MAX_PASTE_BYTES / 10);
    too_large(sverka::engine::parse_text(&paste, "вставка"));

    // Cell text beyond 32,767 characters: refused, the cell keeps its value.
    let mut book =
        XlsBook::from_bytes(fixture("short/export.xls")).unwrap_or_else(|e| panic!("{e}"));
    let before = book.value(0, 2, 6);
    let err = book.set_text(0, 2, 6, &"ж".repeat(32_768)).err();
    let err = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("32"), "{err}");
    assert_eq!(book.value(0, 2, 6), before);
    assert!(book.edits().is_empty());
    assert!(book.set_text(0, 2, 6, &"ж".repeat(32_767)).is_ok());
}
