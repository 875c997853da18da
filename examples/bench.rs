//! Speed and memory at the BIFF8 row limit: `cargo run --release --example bench [RUNS]`.
//!
//! Generates a 65,000-row, 40-column «полные сведения»-style export (pupils with two parent
//! groups, realistic errors) and 1,000 ПОС appeals, writes them to a temporary folder, and
//! measures each run in a fresh process — so the peak memory is the app's own, not the
//! generator's — doing what the app does: open (read the file, detect the layout, audit every
//! person: `Session::new`), match all appeals, apply 10,000 edits and save with
//! verify-after-write. Prints medians over RUNS runs (default 5), the largest peak memory,
//! and GUI frame times for scrolling and filtering that sheet (through egui_kittest, no GPU).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sverka::book::XlsBook;
use sverka::session::Session;
use sverka::synth::{SynthConfig, generate};
use sverka::xls::fresh::write;

/// mimalloc (as in the app) with a count of live heap bytes and their peak.
struct Counting;
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.alloc(l) };
        let now = LIVE.fetch_add(l.size(), std::sync::atomic::Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, std::sync::atomic::Ordering::Relaxed);
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        LIVE.fetch_sub(l.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
        let q = unsafe { mimalloc::MiMalloc.realloc(p, l, n) };
        if n >= l.size() {
            let now = LIVE.fetch_add(n - l.size(), std::sync::atomic::Ordering::Relaxed) + n - l.size();
            PEAK.fetch_max(now, std::sync::atomic::Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - n, std::sync::atomic::Ordering::Relaxed);
        }
        q
    }
}
#[global_allocator]
static ALLOCATOR: Counting = Counting;
fn heap() -> String {
    format!("heap {} MB peak {} MB", LIVE.load(std::sync::atomic::Ordering::Relaxed) >> 20, PEAK.load(std::sync::atomic::Ordering::Relaxed) >> 20)
}

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

fn rss_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn fail(what: impl std::fmt::Display) -> ! {
    eprintln!("{what}");
    std::process::exit(1);
}

/// One run, in this (child) process: prints `open match save peak people findings matched`.
fn measure(export: &Path, appeals: &Path, out: &Path) {
    let t = Instant::now();
    let book = XlsBook::open(export).unwrap_or_else(|e| fail(e));
    eprintln!("book open {:?} {}", t.elapsed(), heap());
    let mut session = Session::new(book, Vec::new());
    session.set_journal(None);
    let open = t.elapsed();
    eprintln!("after open: rss {:?} hwm {:?} {}", rss_mb("VmRSS:"), peak_mb(), heap());

    let appeals = sverka::appeal::load_file(appeals).unwrap_or_else(|e| fail(e));
    let t = Instant::now();
    let (_, work) = session.matching_work(appeals);
    let outcomes = work();
    let matched = outcomes
        .iter()
        .filter(|o| o.result.status == sverka::matching::Status::Matched)
        .count();
    let matching = t.elapsed();
    eprintln!("after match: rss {:?} hwm {:?} {}", rss_mb("VmRSS:"), peak_mb(), heap());

    let rows = session.grids.first().map_or(0, |g| g.height());
    let header = session
        .analysis
        .schema
        .sheets
        .first()
        .and_then(|l| l.header_row)
        .unwrap_or(0);
    let t = Instant::now();
    for k in 0..10_000u32 {
        let row = header + 1 + (k * 6) % (rows - header - 1);
        let col = [8, 9, 10, 18, 19, 27][(k % 6) as usize];
        if let Err(e) = session.book.set_text(0, row, col, &format!("правка {k}")) {
            fail(e);
        }
    }
    eprintln!("after edits: rss {:?} hwm {:?} {}", rss_mb("VmRSS:"), peak_mb(), heap());
    if std::env::var_os("SVERKA_BENCH_PHASES").is_some() {
        let t = Instant::now();
        let bytes = session.book.to_bytes().unwrap_or_else(|e| fail(e));
        eprintln!("to_bytes {:?} rss {:?} hwm {:?} {}", t.elapsed(), rss_mb("VmRSS:"), peak_mb(), heap());
        let t = Instant::now();
        session.book.verify(&bytes).unwrap_or_else(|e| fail(e));
        eprintln!("verify {:?} rss {:?} hwm {:?} {}", t.elapsed(), rss_mb("VmRSS:"), peak_mb(), heap());
        let t = Instant::now();
        sverka::book::atomic_write(out, &bytes).unwrap_or_else(|e| fail(e));
        eprintln!("write {:?}", t.elapsed());
    }
    let (_, save) = session.save_work(out.to_path_buf());
    save().unwrap_or_else(|e| fail(e));
    let saving = t.elapsed();
    println!(
        "{} {} {} {:.1} {} {} {matched}",
        open.as_micros(),
        matching.as_micros(),
        saving.as_micros(),
        peak_mb().unwrap_or(0.0),
        session.analysis.schema.people.len(),
        session.analysis.findings.len(),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure") {
        match (args.get(1), args.get(2), args.get(3)) {
            (Some(e), Some(a), Some(o)) => measure(Path::new(e), Path::new(a), Path::new(o)),
            _ => fail("--measure ВЫГРУЗКА ОБРАЩЕНИЯ РЕЗУЛЬТАТ"),
        }
        return;
    }
    let runs: usize = args
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);

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
    let dir = std::env::temp_dir().join(format!("sverka-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let export: PathBuf = dir.join("выгрузка.xls");
    let appeals: PathBuf = dir.join("обращения.txt");
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
    drop(synth);

    let me = std::env::current_exe().unwrap_or_else(|e| fail(e));
    let (mut open_t, mut match_t, mut save_t, mut peak) =
        (Vec::new(), Vec::new(), Vec::new(), 0.0f64);
    for run in 0..runs {
        let out = dir.join(format!("out{run}.xls"));
        let child = std::process::Command::new(&me).stderr(std::process::Stdio::inherit())
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
        open_t.push(us(0));
        match_t.push(us(1));
        save_t.push(us(2));
        peak = peak.max(f.get(3).and_then(|v| v.parse().ok()).unwrap_or(0.0));
        if run == 0 {
            println!(
                "людей: {}, замечаний аудита: {}, найдено по обращениям: {} из 1000",
                f.get(4).unwrap_or(&"?"),
                f.get(5).unwrap_or(&"?"),
                f.get(6).unwrap_or(&"?"),
            );
        }
        let _ = std::fs::remove_file(&out);
    }

    let (scroll, filter) = match XlsBook::open(&export) {
        Ok(book) => gui_frames(book),
        Err(e) => fail(e),
    };
    if std::env::var_os("SVERKA_BENCH_KEEP").is_none() { let _ = std::fs::remove_dir_all(&dir); } else { eprintln!("kept {}", dir.display()); }

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
    println!("| пиковая память (наибольшая за прогоны) | {peak:.0} МБ | ≤ 400 МБ |");
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
