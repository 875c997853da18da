//! Speed and memory at the BIFF8 row limit: `cargo run --release --example bench [RUNS]`.
//!
//! Generates a 65,000-row, 40-column «полные сведения»-style export (pupils with two parent
//! groups, realistic errors) and 1,000 ПОС appeals, writes it as `.xls`, and prints medians
//! over RUNS runs (default 5) of: open (parse + schema + full audit), match all appeals, apply
//! 10,000 edits and save (with verify-after-write), peak memory, and GUI frame times for
//! scrolling and filtering that sheet (through egui_kittest, no GPU).

use std::time::{Duration, Instant};

use sverka::appeal::parse_text;
use sverka::book::XlsBook;
use sverka::matching::Matcher;
use sverka::reconcile::Analysis;
use sverka::synth::{SynthConfig, generate};
use sverka::xls::fresh::write;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.0} мс", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();

    let t = Instant::now();
    let synth = generate(&SynthConfig {
        seed: 65_000,
        pupils: 64_996,
        appeals: 1_000,
        extra_columns: 10,
        ..SynthConfig::default()
    });
    let sheet = sverka::book::fresh_sheet(&synth.grid);
    let file = match write(&[sheet]) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("не удалось записать тестовую выгрузку: {e}");
            std::process::exit(1);
        }
    };
    let rows = synth.grid.height();
    let cols = synth.grid.width();
    println!(
        "Выгрузка: {rows} строк × {cols} столбцов, {:.1} МБ; обращений: {}; подготовка {}",
        file.len() as f64 / 1_048_576.0,
        synth.appeals.len(),
        ms(t.elapsed())
    );
    drop(synth.grid);
    let appeals: Vec<_> = synth
        .appeals
        .iter()
        .enumerate()
        .filter_map(|(i, t)| parse_text(t, &format!("{i}")).ok()?.pop())
        .collect();

    let dir = std::env::temp_dir().join(format!("sverka-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut open_t = Vec::new();
    let mut match_t = Vec::new();
    let mut save_t = Vec::new();
    let mut book_for_gui = None;
    for run in 0..runs {
        // Open: parse the file, detect the layout, audit every person.
        let t = Instant::now();
        let book = match XlsBook::from_bytes(file.clone()) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let analysis = Analysis::run(book.originals(), &[], today);
        open_t.push(t.elapsed());

        // Match every appeal (building the index included).
        let t = Instant::now();
        let matcher = Matcher::new(book.originals(), &analysis.schema, &analysis.styles);
        let results = matcher.match_all(&appeals);
        match_t.push(t.elapsed());
        let matched = results
            .iter()
            .filter(|r| r.status == sverka::matching::Status::Matched)
            .count();
        drop(matcher);

        // 10,000 edits and a verified save.
        let mut book = book;
        let t = Instant::now();
        let header = analysis.schema.sheets[0].header_row.unwrap_or(0);
        for k in 0..10_000u32 {
            let row = header + 1 + (k * 6) % (rows - header - 1);
            let col = [8, 9, 10, 18, 19, 27][(k % 6) as usize];
            if let Err(e) = book.set_text(0, row, col, &format!("правка {k}")) {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        let out = dir.join(format!("out{run}.xls"));
        if let Err(e) = book.save_as(&out) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        save_t.push(t.elapsed());
        let _ = std::fs::remove_file(&out);
        if run == 0 {
            println!(
                "людей: {}, замечаний аудита: {}, найдено по обращениям: {matched} из {}",
                analysis.schema.people.len(),
                analysis.findings.len(),
                appeals.len()
            );
        }
        book_for_gui = Some(book);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let peak = peak_mb().unwrap_or(0.0);

    let (scroll, filter) = match book_for_gui {
        Some(book) => gui_frames(book),
        None => (Duration::ZERO, Duration::ZERO),
    };

    println!();
    println!("| измерение (медиана из {runs}) | результат | цель |");
    println!("|---|---|---|");
    println!(
        "| открытие (чтение + схема + аудит) | {} | ≤ 1000 мс |",
        ms(median(open_t))
    );
    println!(
        "| сопоставление 1 000 обращений | {} | ≤ 500 мс |",
        ms(median(match_t))
    );
    println!(
        "| 10 000 правок и сохранение с проверкой | {} | ≤ 500 мс |",
        ms(median(save_t))
    );
    println!("| пиковая память | {peak:.0} МБ | ≤ 400 МБ |");
    println!(
        "| кадр при прокрутке | {:.1} мс | ≤ 16 мс |",
        scroll.as_secs_f64() * 1000.0
    );
    println!(
        "| кадр при фильтре «только с проблемами» | {:.1} мс | ≤ 16 мс |",
        filter.as_secs_f64() * 1000.0
    );
}

/// Median frame times of the real app on this book: scrolling the grid, and the first frame
/// after switching the problem filter on (which rebuilds the row list).
fn gui_frames(book: XlsBook) -> (Duration, Duration) {
    use eframe::egui;
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1560.0, 900.0))
        .build_ui_state(
            |ui, app: &mut sverka::app::SverkaApp| app.frame(ui),
            sverka::app::SverkaApp::default(),
        );
    let mut session = sverka::session::Session::new(book, Vec::new());
    session.set_journal(None);
    harness.state_mut().session = Some(session);
    harness.run();
    let mut scroll = Vec::new();
    for i in 0..60 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(if i % 10 == 0 { -40.0 } else { 0.0 }, -400.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        harness.hover_at(egui::pos2(700.0, 500.0));
        let t = Instant::now();
        harness.step();
        scroll.push(t.elapsed());
    }
    let mut filter = Vec::new();
    for on in [true, false, true, false, true] {
        harness.state_mut().only_problems = on;
        let t = Instant::now();
        harness.step();
        filter.push(t.elapsed());
    }
    (median(scroll), median(filter))
}
