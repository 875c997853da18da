//! The command line where the world gets in the way: a reader that closes the pipe early
//! (`sverka check … --json | head`), and a target folder that is missing or read-only — the
//! officer reads Russian, never a panic or the system's English.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::{fixture, sverka};

/// Runs sverka with stdout piped, reads `keep` bytes (none: closes the pipe at once), closes
/// the pipe, and returns the exit code and stderr.
fn with_closed_stdout(args: &[&std::ffi::OsStr], keep: usize) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sverka"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run sverka: {e}"));
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut head = vec![0u8; keep];
    stdout
        .read_exact(&mut head)
        .unwrap_or_else(|e| panic!("reading the first {keep} bytes: {e}"));
    drop(stdout);
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).unwrap_or_default();
    }
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    (status.code(), stderr)
}

fn assert_quiet_end(code: Option<i32>, stderr: &str, what: &str) {
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{what}: {stderr}");
    assert_ne!(code, Some(101), "{what}: exit code of a panic; {stderr}");
    assert!(code.is_some(), "{what}: killed by a signal; {stderr}");
}

/// A generated export of 3,000 pupils (and their parents) with many card errors: `check`
/// prints far more than a pipe holds.
fn big_export(dir: &Path) -> PathBuf {
    let synth = sverka_testkit::synth::generate(&sverka_testkit::synth::SynthConfig {
        seed: 7,
        pupils: 3000,
        appeals: 1,
        noise_share: 0.5,
        ..Default::default()
    });
    let bytes = sverka::xls::write_fresh(&[sverka::book::fresh_sheet(&synth.grid)])
        .unwrap_or_else(|e| panic!("{e}"));
    let export = dir.join("export.xls");
    std::fs::write(&export, bytes).unwrap_or_else(|e| panic!("{e}"));
    export
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = big_export(dir.path());
    let args: [&std::ffi::OsStr; 3] = ["check".as_ref(), export.as_os_str(), "--json".as_ref()];
    // The whole output is far larger than a pipe holds (64 KiB), so the writer is still
    // writing when the reader goes away.
    let (code, full, _) = sverka(&args);
    assert_eq!(code, 1, "the export has findings");
    assert!(full.len() > 256 * 1024, "{} bytes only", full.len());

    let (code, stderr) = with_closed_stdout(&args, 16);
    assert_quiet_end(code, &stderr, "check --json | head -c 16");
    // The command keeps its own exit code: the findings exist whoever reads them.
    assert_eq!(code, Some(1), "{stderr}");

    // The text output, and the pipe closed before the first byte.
    let (code, stderr) = with_closed_stdout(&["check".as_ref(), export.as_os_str()], 0);
    assert_quiet_end(code, &stderr, "check, pipe closed at once");
    assert_eq!(code, Some(1), "{stderr}");
}

#[test]
fn help_and_match_into_a_closed_pipe() {
    let (code, stderr) = with_closed_stdout(&["help".as_ref()], 0);
    assert_quiet_end(code, &stderr, "help");
    assert_eq!(code, Some(0));
    let export = fixture("full/export.xls");
    let appeals = fixture("full/appeals");
    let (code, stderr) = with_closed_stdout(
        &[
            "match".as_ref(),
            export.as_os_str(),
            appeals.as_os_str(),
            "--json".as_ref(),
        ],
        8,
    );
    assert_quiet_end(code, &stderr, "match --json");
    assert_eq!(code, Some(0), "{stderr}");
}

/// No English text of the operating system in a message.
fn assert_no_english_os_text(stderr: &str) {
    for english in [
        "os error",
        "No such file",
        "Permission denied",
        "Read-only",
        "directory",
    ] {
        assert!(!stderr.contains(english), "«{english}» in: {stderr}");
    }
}

fn edits_file(dir: &Path) -> PathBuf {
    let edits = dir.join("edits.json");
    std::fs::write(&edits, "[]").unwrap_or_else(|e| panic!("{e}"));
    edits
}

#[test]
fn saving_into_a_missing_folder_is_said_in_russian() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let edits = edits_file(dir.path());
    let out = dir.path().join("нет такой папки").join("out.xls");
    let export = fixture("short/export.xls");
    let (code, stdout, stderr) = sverka(&[
        "apply".as_ref(),
        export.as_os_str(),
        "--edits".as_ref(),
        edits.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("Не удалось записать файл") && stderr.contains("не найдены"),
        "{stderr}"
    );
    assert_no_english_os_text(&stderr);
    assert!(!out.exists());
}

#[test]
fn a_missing_edits_file_is_said_in_russian() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = fixture("short/export.xls");
    let missing = dir.path().join("правки.json");
    let out = dir.path().join("out.xls");
    let (code, _, stderr) = sverka(&[
        "apply".as_ref(),
        export.as_os_str(),
        "--edits".as_ref(),
        missing.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("не найдены"), "{stderr}");
    assert_no_english_os_text(&stderr);
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_folder_is_said_in_russian() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let edits = edits_file(dir.path());
    let locked = dir.path().join("только чтение");
    std::fs::create_dir(&locked).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|e| panic!("{e}"));
    // As root (or on a file system without permissions) the folder stays writable; Linux's
    // /sys then refuses a new file even to root, where it is mounted so. Otherwise skipped.
    let probe = locked.join("probe");
    let out = if std::fs::write(&probe, b"x").is_err() {
        locked.join("out.xls")
    } else {
        let _ = std::fs::remove_file(&probe);
        let sys = Path::new("/sys/sverka-probe.xls");
        match std::fs::write(sys, b"x") {
            Err(e)
                if cfg!(target_os = "linux")
                    && e.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                sys.to_path_buf()
            }
            _ => {
                let _ = std::fs::remove_file(sys);
                eprintln!("skipped: permissions are not enforced here (running as root?)");
                return;
            }
        }
    };
    let export = fixture("short/export.xls");
    let (code, _, stderr) = sverka(&[
        "apply".as_ref(),
        export.as_os_str(),
        "--edits".as_ref(),
        edits.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let _ = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("Не удалось записать файл") && stderr.contains("нет прав"),
        "{stderr}"
    );
    assert_no_english_os_text(&stderr);
}

#[test]
fn an_edits_file_that_does_not_parse_says_where_in_russian() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = fixture("short/export.xls");
    let edits = dir.path().join("правки.json");
    std::fs::write(&edits, "[{\"sheet\": \"Ученики\", \"row\": 1}]")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out.xls");
    let (code, _, stderr) = sverka(&[
        "apply".as_ref(),
        export.as_os_str(),
        "--edits".as_ref(),
        edits.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("не разобран (строка 1, позиция ")
            && stderr.contains("не хватает поля «col»"),
        "{stderr}"
    );
    assert!(!stderr.contains("missing field"), "{stderr}");
    assert!(!out.exists());
}
