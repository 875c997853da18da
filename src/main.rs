//! The `sverka` binary: the desktop app (`sverka`, `sverka --demo`, `sverka FILE.xls
//! [APPEAL...]`) and the command line (`check`, `match`, `fix`, `apply`).
//!
//! On Windows the release build is a windowed program (no console window behind the app); a
//! command given to it writes to the console it was started from, if any. Scripts use
//! `sverka-cli.exe`, a console program whose output and exit code cmd and PowerShell wait for.

#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

// mimalloc: the audit and matching of a 65,000-row book make millions of small allocations,
// which the system allocators (glibc's, Windows') serve markedly slower and with more
// fragmentation. Its settings: `sverka::allocator`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    sverka::allocator::return_freed_memory_at_once();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str);
    match command {
        Some("check" | "match" | "fix" | "apply" | "help" | "--help" | "-h") => {
            sverka::cli::attach_console();
            std::process::exit(sverka::cli::run(&args));
        }
        Some("--demo") => run_app(Vec::new(), true),
        _ => {
            let files: Vec<std::path::PathBuf> =
                args.iter().map(std::path::PathBuf::from).collect();
            if let Some(bad) = args.iter().find(|a| a.starts_with('-')) {
                sverka::cli::attach_console();
                sverka::cli::print_err(&format!(
                    "Неизвестный параметр «{bad}».\n\n{}",
                    sverka::cli::USAGE
                ));
                std::process::exit(sverka::cli::EXIT_BAD_INPUT);
            }
            run_app(files, false);
        }
    }
}

#[cfg(feature = "gui")]
fn run_app(files: Vec<std::path::PathBuf>, demo: bool) {
    let code = sverka::app::graphics::run_with_fallback(files, demo);
    if code != 0 {
        std::process::exit(code);
    }
}

#[cfg(not(feature = "gui"))]
fn run_app(_files: Vec<std::path::PathBuf>, _demo: bool) {
    sverka::cli::print_err(&format!(
        "Эта сборка без окна программы (собрана без функции «gui»).\n\n{}",
        sverka::cli::USAGE
    ));
    std::process::exit(sverka::cli::EXIT_BAD_INPUT);
}
