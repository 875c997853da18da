//! Speed and memory at the BIFF8 row limit: `cargo run --release --example bench [RUNS]`.
//!
//! Generates a 65,000-row, 40-column «полные сведения»-style export (pupils with two parent
//! groups, realistic errors) and 1,000 ПОС appeals, writes them to a temporary folder, and
//! measures each run in a fresh process — so the peak memory is the app's own, not the
//! generator's — doing what the app does: open (read the file, detect the layout, audit every
//! person: `Session::new`), match all appeals, apply 10,000 edits as one journaled bulk
//! operation and save with verify-after-write. Prints medians (with the range) over RUNS runs
//! (default 5), the peak resident memory of each step (largest over the runs), and GUI frame
//! times for scrolling and filtering that sheet (through egui_kittest, no GPU).
//!
//! For profiling: `bench --files DIR` writes the export and appeals only, and
//! `bench --measure EXPORT APPEALS OUT` runs one measured pass on them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sverka::book::XlsBook;
use sverka::session::Journal;
use sverka::session::{Session, Source};
use sverka::xls::write_fresh as write;
use sverka_testkit::synth::{SynthConfig, generate};

// The allocator and its settings are the app's own (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.0} мс", d.as_secs_f64() * 1000.0)
}

/// The median with the range of the runs: `612 мс (548–731)`.
fn spread(v: Vec<Duration>) -> String {
    let lo = v.iter().min().copied().unwrap_or_default();
    let hi = v.iter().max().copied().unwrap_or_default();
    format!(
        "{} ({:.0}–{:.0})",
        ms(median(v)),
        lo.as_secs_f64() * 1000.0,
        hi.as_secs_f64() * 1000.0
    )
}

/// Peak resident memory of this process since the last [`reset_peak`] (Linux), in MB.
fn peak_mb() -> f64 {
    let read = || -> Option<f64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    read().unwrap_or(0.0)
}

/// Starts a new peak: the high-water mark drops to what the process holds now (Linux 4.0+).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn fail(what: impl std::fmt::Display) -> ! {
    eprintln!("{what}");
    std::process::exit(1);
}

/// One run, in this (child) process, doing what the app does; prints
/// `open match save peak-open peak-match peak-save people findings matched` (µs, MB).
fn measure(export: &Path, appeals: &Path, out: &Path) {
    let t = Instant::now();
    let book = XlsBook::open(export).unwrap_or_else(|e| fail(e));
    let mut session = Session::new(book, Vec::new());
    let open = t.elapsed();
    let peak_open = peak_mb();
    let findings = session.analysis().findings.len();
    // The crash journal as the app keeps it, beside the files instead of the user's folder.
    session.set_journal(Journal::for_export_in(
        out.parent().unwrap_or(Path::new(".")),
        export,
    ));

    let appeals = sverka::engine::load_file(appeals).unwrap_or_else(|e| fail(e));
    reset_peak();
    let t = Instant::now();
    let (version, work) = session.matching_work(appeals);
    let outcomes = work();
    session.accept_outcomes(outcomes, version);
    let matching = t.elapsed();
    let peak_match = peak_mb();
    let matched = session
        .outcomes()
        .iter()
        .filter(|o| o.result.status == sverka::engine::Status::Matched)
        .count();

    // 10,000 cells of the contact columns, one bulk operation (as «Исправить все такие»),
    // then a save with verify-after-write.
    let rows = session.grids().first().map_or(0, |g| g.height());
    let header = session
        .analysis()
        .schema
        .sheets
        .first()
        .and_then(|l| l.header_row)
        .unwrap_or(0);
    let cells: Vec<sverka::engine::CellWrite> = (0..10_000u32)
        .map(|k| {
            let row = header + 1 + (k * 6) % (rows - header - 1);
            let col = [8, 9, 10, 18, 19, 27][(k % 6) as usize];
            sverka::engine::CellWrite {
                cell: sverka::book::CellRef::new(0, row, col),
                text: Some(format!("правка {k}")),
            }
        })
        .collect();
    reset_peak();
    let t = Instant::now();
    let changed = session
        .apply(cells, "10 000 правок", Source::Bulk("bench".into()))
        .unwrap_or_else(|e| fail(e));
    let (_, save) = session.save_work(out.to_path_buf());
    save().unwrap_or_else(|e| fail(e));
    let saving = t.elapsed();
    let peak_save = peak_mb();
    session.discard_journal();
    if changed != 10_000 {
        fail(format!("изменено {changed} ячеек вместо 10 000"));
    }
    println!(
        "{} {} {} {peak_open:.1} {peak_match:.1} {peak_save:.1} {} {} {matched}",
        open.as_micros(),
        matching.as_micros(),
        saving.as_micros(),
        session.schema().people.len(),
        findings,
    );
}

/// The generated export and appeals.
fn generate_files(dir: &Path) -> (PathBuf, PathBuf) {
    let t = Instant::now();
    let synth = generate(&SynthConfig {
        seed: 65_000,
        pupils: 64_996,
        appeals: 1_000,
        extra_columns: 10,
        ..SynthConfig::default()
    });
    let file = write(&[sverka::book::fresh_sheet(&synth.grid)]).unwrap_or_else(|e| {
        fail(format!("не удалось записать тестовую выгрузку: {e}"));
    });
    if let Err(e) = std::fs::create_dir_all(dir) {
        fail(e);
    }
    let export = dir.join("выгрузка.xls");
    let appeals = dir.join("обращения.txt");
    if let Err(e) = std::fs::write(&export, &file)
        .and_then(|()| std::fs::write(&appeals, synth.appeals.join("\n\n")))
    {
        fail(e);
    }
    println!(
        "Выгрузка: {} строк × {} столбцов, {:.1} МБ; обращений: {}; подготовка {}",
        synth.grid.height(),
        synth.grid.width(),
        file.len() as f64 / 1_048_576.0,
        synth.appeals.len(),
        ms(t.elapsed())
    );
    (export, appeals)
}

fn main() {
    sverka::allocator::return_freed_memory_at_once();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--measure") => {
            match (args.get(1), args.get(2), args.get(3)) {
                (Some(e), Some(a), Some(o)) => measure(Path::new(e), Path::new(a), Path::new(o)),
                _ => fail("--measure ВЫГРУЗКА ОБРАЩЕНИЯ РЕЗУЛЬТАТ"),
            }
            return;
        }
        // Only the files, for profiling one `--measure` run.
        Some("--files") => {
            let dir = args
                .get(1)
                .map_or_else(|| fail("--files ПАПКА"), PathBuf::from);
            generate_files(&dir);
            return;
        }
        _ => {}
    }
    let runs: usize = args
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);

    let dir = std::env::temp_dir().join(format!("sverka-bench-{}", std::process::id()));
    let (export, appeals) = generate_files(&dir);

    let me = std::env::current_exe().unwrap_or_else(|e| fail(e));
    let mut times: [Vec<Duration>; 3] = Default::default();
    let mut peaks = [0.0f64; 3];
    for run in 0..runs {
        let out = dir.join(format!("out{run}.xls"));
        let child = std::process::Command::new(&me)
            .arg("--measure")
            .arg(&export)
            .arg(&appeals)
            .arg(&out)
            .output()
            .unwrap_or_else(|e| fail(e));
        let text = String::from_utf8_lossy(&child.stdout).to_string();
        if !child.status.success() {
            fail(format!(
                "прогон {run}: {}",
                String::from_utf8_lossy(&child.stderr)
            ));
        }
        let f: Vec<&str> = text.split_whitespace().collect();
        let us =
            |i: usize| Duration::from_micros(f.get(i).and_then(|v| v.parse().ok()).unwrap_or(0));
        let mb = |i: usize| f.get(i).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        for k in 0..3 {
            times[k].push(us(k));
            peaks[k] = peaks[k].max(mb(3 + k));
        }
        if run == 0 {
            println!(
                "людей: {}, замечаний аудита: {}, найдено по обращениям: {} из 1000",
                f.get(6).unwrap_or(&"?"),
                f.get(7).unwrap_or(&"?"),
                f.get(8).unwrap_or(&"?"),
            );
        }
        let _ = std::fs::remove_file(&out);
    }

    let (scroll, filter) = match XlsBook::open(&export) {
        Ok(book) => gui_frames(book),
        Err(e) => fail(e),
    };
    let _ = std::fs::remove_dir_all(&dir);

    let [open_t, match_t, save_t] = times;
    let peak = peaks.iter().copied().fold(0.0, f64::max);
    println!();
    println!("| измерение (медиана из {runs}; наименьшее–наибольшее) | результат | цель |");
    println!("|---|---|---|");
    println!(
        "| открытие (чтение + схема + аудит) | {} | ≤ 1000 мс |",
        spread(open_t)
    );
    println!(
        "| сопоставление 1 000 обращений | {} | ≤ 500 мс |",
        spread(match_t)
    );
    println!(
        "| 10 000 правок и сохранение с проверкой | {} | ≤ 500 мс |",
        spread(save_t)
    );
    println!(
        "| пиковая память (наибольшая за прогоны; открытие / сопоставление / сохранение) | {peak:.0} МБ ({:.0} / {:.0} / {:.0}) | ≤ 400 МБ |",
        peaks[0], peaks[1], peaks[2]
    );
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
    let mut session = Session::new(book, Vec::new());
    session.set_journal(None);
    harness.state_mut().workspace = sverka::app::Workspace::on(session);
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
