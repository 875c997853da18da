//! The `sverka` binary: the command line, and `--demo`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--demo") {
        std::process::exit(demo());
    }
    std::process::exit(sverka::cli::run(&args));
}

/// Until the desktop window lands, `--demo` shows what the demo holds.
fn demo() -> i32 {
    const EXPORT: &[u8] = include_bytes!("../assets/demo/export.xls");
    match sverka::book::XlsBook::from_bytes(EXPORT.to_vec()) {
        Ok(book) => {
            println!("Пример: выгрузка класса из СГО (Excel 97-2003)");
            for (i, name) in book.sheet_names().iter().enumerate() {
                let grid = book.original(i);
                let rows = grid.map_or(0, |g| g.height());
                let cols = grid.map_or(0, |g| g.width());
                println!("  лист «{name}»: {rows} строк × {cols} столбцов");
            }
            println!(
                "Окно программы появится в следующей версии; сейчас доступна команда `sverka apply`."
            );
            0
        }
        Err(e) => {
            eprintln!("Ошибка: {e}");
            sverka::cli::EXIT_BAD_INPUT
        }
    }
}
