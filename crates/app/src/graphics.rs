//! Opening the window on whatever graphics the PC has. eframe draws through wgpu, which picks
//! one backend (DirectX 12 on Windows) and does not try another when it fails — as it does on
//! old integrated graphics, in remote desktop sessions, in virtual machines and under Wine.
//! sverka tries the next backend instead: first the default choice (or the one set by hand
//! in `WGPU_BACKEND`) in this process, then Vulkan and OpenGL each in a fresh process (a
//! window system allows one event loop per process). Only when none opens a window is the officer told, in Russian, what to do — in a
//! message box on Windows, where a windowed program has no console.

use std::path::PathBuf;
use std::process::Command;

use super::error::AppError;

/// Set in a child process started for a fallback attempt: run the app directly, report a
/// graphics failure by [`EXIT_NO_GRAPHICS`].
const CHILD_ENV: &str = "SVERKA_GRAPHICS_ATTEMPT";

/// The exit code of a child process whose window did not open.
const EXIT_NO_GRAPHICS: i32 = 70;

/// The backends tried after the default one fails: (wgpu's name, the officer's name).
const FALLBACKS: [(&str, &str); 2] = [("vulkan", "Vulkan"), ("gl", "OpenGL")];

/// Runs the app, falling back to the other graphics backends; returns the exit code.
pub fn run_with_fallback(files: Vec<PathBuf>, demo: bool) -> i32 {
    if std::env::var_os(CHILD_ENV).is_some() {
        // A fallback attempt: the parent decides what comes next.
        return match run_caught(files, demo) {
            Ok(()) => 0,
            Err(e) => {
                sverka_core::cli::print_err(&format!("sverka: окно не открылось: {e}"));
                EXIT_NO_GRAPHICS
            }
        };
    }
    // The first attempt: wgpu's own choice, or the backend set by hand in WGPU_BACKEND.
    let chosen = std::env::var("WGPU_BACKEND").ok();
    let first_name = chosen.as_deref().unwrap_or("по умолчанию").to_string();
    let first = match run_caught(files, demo) {
        Ok(()) => return 0,
        Err(e) => e,
    };
    let mut failures = vec![format!("{first_name}: {first}")];
    let rest = FALLBACKS
        .iter()
        .filter(|(backend, _)| chosen.as_deref() != Some(*backend));
    for &(backend, name) in rest {
        sverka_core::cli::print_err(&format!(
            "sverka: вывод изображения ({}) не сработал; пробую {name}",
            failures.last().map_or("", String::as_str)
        ));
        match run_child(backend) {
            Ok(Some(code)) if code != EXIT_NO_GRAPHICS => return code,
            Ok(_) => failures.push(format!("{name}: окно не открылось")),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    fail(&failures);
    1
}

/// Runs the app in this process; a panic inside the graphics stack counts as a failure.
fn run_caught(files: Vec<PathBuf>, demo: bool) -> Result<(), AppError> {
    // Test hook for the Windows smoke test: every attempt fails as on a PC without usable
    // graphics, so that the fallback chain and the message box are what run.
    if std::env::var_os("SVERKA_TEST_NO_GRAPHICS").is_some() {
        return Err(AppError::GraphicsDisabled);
    }
    match std::panic::catch_unwind(move || super::run(files, demo)) {
        Ok(result) => result,
        Err(panic) => Err(AppError::GraphicsCrashed(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_else(|| "внутренняя ошибка графики".into()),
        )),
    }
}

/// Runs this program again with the same arguments and `WGPU_BACKEND=backend`; its exit code
/// (`None` when it was killed).
fn run_child(backend: &str) -> Result<Option<i32>, AppError> {
    let restart = |e: std::io::Error| AppError::Restart(sverka_core::xls::io_error_ru(&e));
    let exe = std::env::current_exe().map_err(restart)?;
    let status = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("WGPU_BACKEND", backend)
        .env(CHILD_ENV, backend)
        .status()
        .map_err(restart)?;
    Ok(status.code())
}

/// The Russian explanation when no window could be opened.
pub fn failure_text(failures: &[String]) -> String {
    format!(
        "sverka не смогла открыть окно: видеокарта или её драйвер не поддерживают ни один из \
         способов вывода изображения.\n\n\
         Что можно сделать:\n\
         • обновите драйвер видеокарты (или попросите об этом системного администратора);\n\
         • если вы работаете через удалённый рабочий стол или в виртуальной машине, \
         запустите sverka на самом компьютере;\n\
         • проверка и исправление выгрузки работают и без окна — из командной строки: \
         sverka-cli.exe check выгрузка.xls (см. руководство, раздел «Командная строка»).\n\n\
         Что было испробовано:\n{}",
        failures
            .iter()
            .map(|f| format!("• {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn fail(failures: &[String]) {
    let text = failure_text(failures);
    sverka_core::cli::print_err(&text);
    message_box(&text);
}

#[cfg(windows)]
fn message_box(text: &str) {
    use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
    let wide = |s: &str| {
        s.encode_utf16()
            .chain(std::iter::once(0))
            .collect::<Vec<u16>>()
    };
    let (text, title) = (wide(text), wide("sverka — окно не открылось"));
    // SAFETY: both strings are NUL-terminated UTF-16 buffers that outlive the call; a null
    // owner window is allowed.
    unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            text.as_ptr(),
            title.as_ptr(),
            MB_OK | MB_ICONERROR,
        );
    }
}

#[cfg(not(windows))]
fn message_box(_text: &str) {
    // On Linux the program is started from a desktop menu or a terminal; stderr reaches the
    // terminal or the session log.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_text_says_what_to_do_and_what_was_tried() {
        let text = failure_text(&["по умолчанию: Parent device is lost".into()]);
        assert!(text.contains("обновите драйвер"));
        assert!(text.contains("sverka-cli.exe check"));
        assert!(text.contains("• по умолчанию: Parent device is lost"));
    }
}
