//! The command line: `sverka apply EXPORT.xls --edits EDITS.json --out OUT.xls [--in-place]`.
//! Errors are printed as Russian sentences; exit codes: 0 done, 2 bad input.

pub mod reconcile;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::book::XlsBook;

/// One edit of EDITS.json: 0-based row and column, `null` value clears the cell.
#[derive(Debug, Clone, Deserialize)]
pub struct EditSpec {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
    pub value: Option<String>,
}

/// Exit code for bad input or a failed command.
pub const EXIT_BAD_INPUT: i32 = 2;

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
  sverka apply ВЫГРУЗКА.xls --edits ПРАВКИ.json --out ИСПРАВЛЕНО.xls [--replace] [--in-place] [--profile ПРОФИЛЬ.json]
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
                crate::os_error::io_error_ru(&e)
            ));
            EXIT_BAD_INPUT
        }
    }
}

/// Writes a line to standard error; a closed or failing stderr is ignored (`eprintln!` would
/// panic), since there is nowhere left to say it.
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

pub fn print_err(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// An existing output file is never replaced unless `--replace` says so: it may hold an
/// earlier round of fixes.
pub fn refuse_existing(out: &Path, replace: bool) -> Result<(), String> {
    if out.exists() && !replace {
        return Err(format!(
            "файл «{}» уже существует — в нём могут быть исправления прошлого раза; укажите другое имя (--out) или добавьте --replace, чтобы заменить его",
            out.display()
        ));
    }
    Ok(())
}

/// Runs the CLI on `args` (without the program name); returns the exit code. Every output goes
/// through [`print_out`] and [`print_err`], which never panic on a closed pipe.
pub fn run(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("apply") => report(apply(args.get(1..).unwrap_or(&[]))),
        Some(cmd @ ("check" | "match" | "fix")) => {
            match crate::cli::reconcile::run(cmd, args.get(1..).unwrap_or(&[])) {
                Ok((text, code)) => print_out(&format!("{text}\n"), code),
                Err(text) => {
                    print_err(&format!("Ошибка: {text}"));
                    EXIT_BAD_INPUT
                }
            }
        }
        Some("--help" | "-h" | "help") | None => print_out(USAGE, 0),
        Some(other) => {
            print_err(&format!("Неизвестная команда «{other}».\n\n{USAGE}"));
            EXIT_BAD_INPUT
        }
    }
}

fn report(result: Result<String, String>) -> i32 {
    match result {
        Ok(text) => print_out(&format!("{text}\n"), 0),
        Err(text) => {
            print_err(&format!("Ошибка: {text}"));
            EXIT_BAD_INPUT
        }
    }
}

/// Reads EDITS.json.
pub fn read_edits(path: &Path) -> Result<Vec<EditSpec>, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "не удалось прочитать файл правок «{}»: {}",
            path.display(),
            crate::os_error::io_error_ru(&e)
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "файл правок «{}» не разобран ({}). Ожидается список объектов {{\"sheet\", \"row\", \"col\", \"value\"}}.",
            path.display(),
            crate::json_ru::json_error_ru(&e)
        )
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
) -> Result<usize, String> {
    let mut writes = Vec::with_capacity(edits.len());
    for (n, e) in edits.iter().enumerate() {
        let sheet = book
            .sheet_index(&e.sheet)
            .ok_or_else(|| format!("правка №{}: в книге нет листа «{}»", n + 1, e.sheet))?;
        writes.push(crate::engine::writer::CellWrite {
            sheet,
            row: e.row,
            col: e.col,
            text: e.value.clone(),
        });
    }
    crate::engine::writer::Writer::new(schema)
        .write(book, &writes)
        .map_err(|refused| {
            format!(
                "правки не применены, файл не записан — {refused}\nУберите эти правки из файла правок и запустите команду снова."
            )
        })
}

fn apply(args: &[String]) -> Result<String, String> {
    let mut input: Option<PathBuf> = None;
    let mut edits: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut profile: Option<PathBuf> = None;
    let mut in_place = false;
    let mut replace = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--edits" => edits = it.next().map(PathBuf::from),
            "--profile" => profile = it.next().map(PathBuf::from),
            "--out" => out = it.next().map(PathBuf::from),
            "--in-place" => in_place = true,
            "--replace" => replace = true,
            s if s.starts_with("--") => return Err(format!("неизвестный параметр «{s}»")),
            s if input.is_none() => input = Some(PathBuf::from(s)),
            s => return Err(format!("лишний аргумент «{s}»")),
        }
    }
    let input = input.ok_or("не указана выгрузка (.xls)")?;
    let edits_path = edits.ok_or("не указан файл правок (--edits ПРАВКИ.json)")?;
    let mut book = XlsBook::open(&input).map_err(|e| e.to_string())?;
    let specs = read_edits(&edits_path)?;
    let profiles = crate::cli::reconcile::load_profiles(profile.as_deref())?;
    let schema = crate::engine::Schema::detect(book.originals(), &profiles);
    apply_edits(&mut book, &schema, &specs)?;
    // (The input itself as --out gets its own refusal from the save.)
    if let Some(out) = &out
        && std::fs::canonicalize(out).ok() != std::fs::canonicalize(&input).ok()
    {
        refuse_existing(out, replace)?;
    }
    let report = match (out, in_place) {
        (Some(out), _) => book.save_as(&out),
        (None, true) => book.save_in_place(),
        (None, false) => {
            return Err(
                "не указано, куда сохранить (--out ИСПРАВЛЕНО.xls); чтобы перезаписать исходный файл, добавьте --in-place"
                    .into(),
            );
        }
    }
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "Сохранено: «{}» — изменено ячеек: {}; файл перечитан и проверен.",
        report.path.display(),
        report.cells_changed
    ))
}
