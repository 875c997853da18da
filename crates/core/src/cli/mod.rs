//! The command line: the commands parsed into types by one parser (`args`), run here
//! (`apply`) and in `reconcile` (`check`, `match`, `fix`); every failure is a [`CliError`],
//! printed as a Russian sentence with its exit code: 0 done, 1 findings (`check`), 2 bad
//! input or a failed command.

pub mod args;
pub mod error;
pub mod reconcile;

pub use args::{Command, UsageError};
pub use error::{CliError, EXIT_BAD_INPUT};

use std::path::Path;

use serde::Deserialize;

use crate::book::XlsBook;

/// One edit of EDITS.json: 0-based row and column, `null` value clears the cell.
#[derive(Debug, Clone, Deserialize)]
pub struct EditSpec {
    /// The sheet's name, as its tab shows it.
    pub sheet: String,
    /// The row (0-based).
    pub row: u32,
    /// The column (0-based).
    pub col: u32,
    /// The new value as text (it takes the type of its column); `null` clears the cell.
    pub value: Option<String>,
}

/// The help text (in Russian): the commands and their options, with what each does.
pub const USAGE: &str = "\
sverka — сверка карточек «Сетевого города» с данными Госуслуг

Использование:
  sverka --demo                          открыть пример (выгрузка и обращения)
  sverka check ВЫГРУЗКА.xls [ОБРАЩЕНИЕ...] [--profile ПРОФИЛЬ.json] [--json]
      проверить все карточки (и расхождения с обращениями, если они указаны);
      код выхода 1, если найдены ошибки или предупреждения
  sverka match ВЫГРУЗКА.xls ОБРАЩЕНИЕ... [--profile ПРОФИЛЬ.json] [--json]
      найти человека из каждого обращения и сравнить поля
  sverka fix ВЫГРУЗКА.xls ОБРАЩЕНИЕ... --out ИСПРАВЛЕНО.xls [--replace] [--profile ПРОФИЛЬ.json] [--json]
      исправить всё, что можно исправить в файле, и перечислить то, что правится вручную в СГО
      (ОБРАЩЕНИЕ — файл .txt, .json, .csv, .xlsx или папка с ними)
  sverka apply ВЫГРУЗКА.xls --edits ПРАВКИ.json (--out ИСПРАВЛЕНО.xls [--replace] | --in-place) [--profile ПРОФИЛЬ.json]
      применить правки из JSON: [{\"sheet\": \"Ученики\", \"row\": 5, \"col\": 8, \"value\": \"123-456-789 64\"}]
      (строки и столбцы с 0; \"value\": null очищает ячейку). Значение получает тип своего столбца
      (дата в столбце дат — дата). Правка ФИО или даты рождения ученика или строки заголовков
      отменяет все правки: файл не записывается, код выхода 2. Исходный файл не перезаписывается,
      если не указан --in-place.
";

/// Writes `text` to standard output and returns `code`, the command's exit code.
///
/// `println!` panics when stdout is gone (`sverka check … --json | head` closes the pipe after
/// ten lines). Here a closed pipe ends the output quietly and the command keeps its own exit
/// code: the reader asked for no more, and what the command found (`1` for findings) is still
/// true. Any other failure to write (a full disk under `> file`) is said in Russian on stderr
/// and gives [`EXIT_BAD_INPUT`]: the output is incomplete.
pub fn print_out(text: &str, code: i32) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    match written {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            print_err(&format!(
                "Ошибка: вывод не записан: {}",
                crate::xls::io_error_ru(&e)
            ));
            EXIT_BAD_INPUT
        }
    }
}

/// On Windows a windowed program (the release `sverka.exe`) has no console: a command given
/// to it writes to the console of the cmd or PowerShell window it was started from. (cmd does
/// not wait for a windowed program; scripts use `sverka-cli.exe`.) Output redirected to a file
/// or a pipe is left as it is. Elsewhere nothing to do.
pub fn attach_console() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
        // SAFETY: a plain Win32 call without pointers; failing (no parent console, or one
        // already attached) leaves the process as it was.
        unsafe {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}

/// Writes a line to standard error; a closed or failing stderr is ignored (`eprintln!` would
/// panic), since there is nowhere left to say it.
pub fn print_err(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// An existing output file is never replaced unless `--replace` says so: it may hold an
/// earlier round of fixes.
pub fn refuse_existing(out: &Path, replace: bool) -> Result<(), CliError> {
    if out.exists() && !replace {
        return Err(CliError::OutExists(out.to_path_buf()));
    }
    Ok(())
}

/// Runs the CLI on `args` (without the program name); returns the exit code. Every output goes
/// through [`print_out`] and [`print_err`], which never panic on a closed pipe.
pub fn run(args: &[String]) -> i32 {
    let today = chrono::Local::now().date_naive();
    let result =
        args::parse(args, today)
            .map_err(CliError::from)
            .and_then(|command| match command {
                Command::Help => Ok((USAGE.trim_end().to_string(), 0)),
                Command::Apply(a) => apply(&a).map(|text| (text, 0)),
                Command::Check(r) => reconcile::check(&r),
                Command::Match(r) => reconcile::matches(&r),
                Command::Fix(f) => reconcile::fix(&f),
            });
    match result {
        Ok((text, code)) => print_out(&format!("{text}\n"), code),
        Err(e) => {
            let usage = if e.is_usage() {
                format!("\n\n{USAGE}")
            } else {
                String::new()
            };
            print_err(&format!("Ошибка: {e}{usage}"));
            e.exit_code()
        }
    }
}

/// Reads EDITS.json.
pub fn read_edits(path: &Path) -> Result<Vec<EditSpec>, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::EditsUnreadable {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| CliError::EditsInvalid {
        path: path.to_path_buf(),
        reason: crate::json_ru::json_error_ru(&e),
    })
}

/// Applies the edits to the book through the one writer (`engine::writer`), whole or not at
/// all: an edit of a protected cell (a pupil's ФИО or birth date, a header) or a value that
/// cannot be written refuses every edit, and the message names each refused cell. Values
/// take the type their column holds (a date into a date column is a date). Returns the number
/// of cells changed.
pub fn apply_edits(
    book: &mut XlsBook,
    schema: &crate::engine::Schema,
    edits: &[EditSpec],
) -> Result<usize, CliError> {
    let mut writes = Vec::with_capacity(edits.len());
    for (n, e) in edits.iter().enumerate() {
        let sheet = book
            .sheet_index(&e.sheet)
            .ok_or_else(|| CliError::NoSuchSheet {
                number: n + 1,
                sheet: e.sheet.clone(),
            })?;
        writes.push(crate::engine::CellWrite {
            cell: crate::book::CellRef::new(sheet, e.row, e.col),
            text: e.value.clone(),
        });
    }
    crate::engine::Writer::new(schema)
        .write(book, &writes)
        .map_err(CliError::EditsRefused)
}

fn apply(a: &args::Apply) -> Result<String, CliError> {
    let mut book = XlsBook::open(&a.export)?;
    let specs = read_edits(&a.edits)?;
    let profiles = reconcile::load_profiles(a.profile.as_deref())?;
    let schema = crate::engine::Schema::detect(book.originals(), &profiles);
    apply_edits(&mut book, &schema, &specs)?;
    let report = match &a.target {
        args::Target::Out(out) => {
            // (The input itself as --out gets its own refusal from the save.)
            if std::fs::canonicalize(out).ok() != std::fs::canonicalize(&a.export).ok() {
                refuse_existing(out, a.replace)?;
            }
            book.save_as(out)?
        }
        args::Target::InPlace => book.save_in_place()?,
    };
    Ok(format!(
        "Сохранено: «{}» — изменено ячеек: {}; файл перечитан и проверен.",
        report.path.display(),
        report.cells_changed
    ))
}
