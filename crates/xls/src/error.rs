//! Typed errors of the `.xls` layer. Each variant's text is the Russian sentence the officer sees.

use crate::address::a1;
use std::path::PathBuf;

/// Why a written file does not read back as it must: the detail of
/// [`XlsError::VerifyFailed`], and what `sverka::book` read-back returns.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The written file's records cannot be read.
    #[error("{0}")]
    Unreadable(#[source] Box<XlsError>),
    /// The written file has a different number of sheets than the book.
    #[error("в файле {found} листов вместо {expected}")]
    SheetCount {
        /// Sheets in the written file.
        found: usize,
        /// Sheets in the book.
        expected: usize,
    },
    /// A sheet of the written file is named differently from the book's sheet at its place.
    #[error("лист «{expected}» называется «{found}»")]
    SheetName {
        /// The book's sheet name.
        expected: String,
        /// The name in the written file.
        found: String,
    },
    /// A cell of the written file does not read back as the original value or its edit.
    #[error("ячейка {} листа «{sheet}» прочиталась не так, как задумано", a1(*.row, *.col))]
    Cell {
        /// Name of the sheet.
        sheet: String,
        /// Row of the cell, 0-based.
        row: u32,
        /// Column of the cell, 0-based.
        col: u32,
    },
    /// The compound file built around the new `Workbook` stream does not hold that stream.
    #[error("в собранном файле не тот поток книги, что был проверен")]
    StreamReplaced,
    /// The read-back, run on its own thread, ended without a result (the thread panicked).
    #[error("проверка прервалась")]
    Interrupted,
    /// The file read back from disk differs from the bytes written.
    #[error("прочитанный с диска файл отличается от записанного")]
    DiskDiffers,
}

impl From<XlsError> for VerifyError {
    fn from(e: XlsError) -> VerifyError {
        VerifyError::Unreadable(Box::new(e))
    }
}

/// Why the corrected file could not be built (a save-side failure: the export is fine).
#[derive(Debug, thiserror::Error)]
pub enum BuildProblem {
    /// The patched `Workbook` stream would be larger than 4 GB, beyond its 32-bit offsets.
    #[error("книга получилась больше 4 ГБ")]
    TooBig,
    /// A sheet has more row blocks (the count given) than the positions of their DBCELL
    /// records one INDEX record can hold.
    #[error(
        "лист разбит на слишком много блоков строк ({0}), больше, чем помещается в Excel 97-2003"
    )]
    TooManyRowBlocks(usize),
    /// Writing the new compound file around the stream failed.
    #[error("файл Office не собрался ({})", crate::os_error::io_error_ru(.0))]
    Container(#[source] std::io::Error),
}

/// What is wrong with a file that sverka was asked to open, or why a save failed.
#[derive(Debug, thiserror::Error)]
pub enum XlsError {
    /// The file to read does not exist.
    #[error("Файл «{}» не найден.", .0.display())]
    NotFound(PathBuf),
    /// Reading the file from disk failed for another reason than its absence.
    #[error("Не удалось прочитать файл «{}»: {}.", .path.display(), crate::os_error::io_error_ru(.source))]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path to read is a folder.
    #[error("Не удалось прочитать файл «{}»: это папка, а не файл.", .0.display())]
    IsFolder(PathBuf),
    /// The file is empty (0 bytes), its workbook stream is empty, or no sheets were given to
    /// write.
    #[error(
        "Файл пустой (0 байт): вероятно, выгрузка не докачалась. Выгрузите класс из СГО ещё раз."
    )]
    Empty,
    /// The file is larger than [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES).
    #[error(
        "Файл слишком большой ({size_mb} МБ). Выгрузка Excel 97-2003 из СГО не бывает больше {limit_mb} МБ: проверьте, тот ли это файл."
    )]
    TooLarge {
        /// Size of the file in MB, rounded up.
        size_mb: u64,
        /// The limit in MB.
        limit_mb: u64,
    },
    /// The content is an Office Open XML workbook (`.xlsx`), whatever the file's name.
    #[error(
        "Это книга Excel 2007 и новее (.xlsx), хотя имя оканчивается на .xls. СГО принимает только Excel 97-2003: откройте файл в Excel и сохраните как «Книга Excel 97-2003 (*.xls)» или выгрузите класс из СГО заново."
    )]
    XlsxNamedXls,
    /// The content is an OpenDocument spreadsheet (`.ods`).
    #[error(
        "Это таблица OpenDocument (.ods), хотя имя оканчивается на .xls. Сохраните её как «Книга Excel 97-2003 (*.xls)» или выгрузите класс из СГО заново."
    )]
    OdsNamedXls,
    /// The content is a zip archive other than an `.xlsx` or `.ods` workbook.
    #[error(
        "Это zip-архив, а не книга Excel 97-2003. Распакуйте архив или выгрузите класс из СГО заново."
    )]
    ZipArchive,
    /// The content is an HTML page.
    #[error(
        "Это веб-страница (HTML), сохранённая с расширением .xls, а не книга Excel 97-2003. Выгрузите класс из СГО заново через «Пакетное обновление > Выгрузка данных»."
    )]
    Html,
    /// The content is XML (such as an XML Spreadsheet 2003).
    #[error(
        "Это XML-файл (например, «Таблица XML 2003»), а не книга Excel 97-2003. Откройте его в Excel и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    Xml,
    /// The content is plain text (CSV or other).
    #[error(
        "Это текстовый файл (CSV или обычный текст), а не книга Excel 97-2003. Выгрузите класс из СГО заново через «Пакетное обновление > Выгрузка данных»."
    )]
    Text,
    /// The content is of no kind recognised.
    #[error("Формат файла не распознан: это не книга Excel 97-2003 (.xls).")]
    Unknown,
    /// The compound file or its BIFF8 records are damaged, cut short or not as Excel 97-2003
    /// writes them.
    #[error(
        "Файл повреждён или скопирован не полностью (обрезан): {detail}. Выгрузите класс из СГО ещё раз."
    )]
    Corrupt {
        /// What is wrong, in Russian.
        detail: String,
    },
    /// The workbook is encrypted (a FILEPASS record, or an encrypted OOXML package).
    #[error(
        "Файл защищён паролем (зашифрован). Откройте его в Excel, снимите пароль («Файл > Сведения > Защита книги») и сохраните как Excel 97-2003."
    )]
    Encrypted,
    /// The workbook stream is BIFF5 (Excel 5.0/95).
    #[error(
        "Это книга старого формата Excel 5.0/95 (BIFF5). СГО ждёт Excel 97-2003: откройте файл в Excel и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    Biff5,
    /// The workbook is a BIFF2–BIFF4 stream (Excel 2.x–4.0), or a bare BIFF5 worksheet file
    /// outside a compound file.
    #[error(
        "Это книга очень старого формата Excel (версии 2.x–4.0 или отдельный лист Excel 5.0). СГО ждёт Excel 97-2003: откройте файл в Excel или LibreOffice и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    OldExcel,
    /// The workbook's BOF gives a BIFF version other than BIFF8 or BIFF5.
    #[error(
        "Неподдерживаемая версия формата Excel (код {version:#06x}); ожидается Excel 97-2003 (BIFF8)."
    )]
    UnsupportedVersion {
        /// The BOF `vers` field.
        version: u16,
    },
    /// The compound file has no `Workbook` (or `Book`) stream: it is another Office document.
    #[error("В файле нет книги Excel (поток «Workbook» не найден) — это другой документ Office.")]
    NoWorkbook,
    /// A sheet asked for is not in the book.
    #[error("В книге нет листа «{0}».")]
    NoSuchSheet(String),
    /// An edit is aimed at a sheet that is not a worksheet (a chart, macro or VBA sheet).
    #[error("Лист «{0}» — не обычный лист с ячейками (диаграмма или макрос); его нельзя править.")]
    NotAWorksheet(String),
    /// A cell lies beyond the 65,536 rows or 256 columns of a BIFF8 sheet.
    #[error(
        "Ячейка {cell} вне пределов листа Excel 97-2003 (не больше 65 536 строк и 256 столбцов)."
    )]
    CellOutOfRange {
        /// The cell, A1-style.
        cell: String,
    },
    /// A text is longer than the 32,767 characters a cell holds.
    #[error(
        "Текст в ячейке {cell} слишком длинный: {len} символов, Excel допускает не больше 32 767."
    )]
    TextTooLong {
        /// The cell, A1-style.
        cell: String,
        /// Length of the text in UTF-16 units.
        len: usize,
    },
    /// A text to write holds a control character.
    #[error(
        "В тексте для ячейки {cell} есть управляющий символ (код {code}) — его не видно, а СГО и Excel читают его по-разному; уберите его (часто он приходит при копировании из другой программы)."
    )]
    ControlCharacter {
        /// The cell, A1-style.
        cell: String,
        /// The character's code point, as `U+XXXX`.
        code: String,
    },
    /// A date is to be written where neither the cell nor its column has a date format to take.
    #[error(
        "В ячейку {cell} нельзя записать дату: ни в ней, ни в её столбце нет ни одной даты, формат даты взять неоткуда."
    )]
    NoDateFormat {
        /// The cell, A1-style.
        cell: String,
    },
    /// A value to write is a boolean, an error, or a number or date that is not finite.
    #[error("В ячейку {cell} можно записать только текст, число или дату.")]
    UnwritableValue {
        /// The cell, A1-style.
        cell: String,
    },
    /// An edit is aimed at a formula cell linked to others: part of a shared formula, an array
    /// formula or a data table.
    #[error(
        "Ячейка {cell} содержит формулу, связанную с другими ячейками (общая формула или массив); sverka не меняет такие ячейки — исправьте её в Excel."
    )]
    SharedFormula {
        /// The cell, A1-style.
        cell: String,
    },
    /// A sheet to write has more rows than the 65,536 of a BIFF8 sheet.
    #[error(
        "В листе «{sheet}» {rows} строк; в Excel 97-2003 помещается не больше 65 536. Разделите таблицу на части."
    )]
    TooManyRows {
        /// Name of the sheet.
        sheet: String,
        /// Number of rows it needs.
        rows: usize,
    },
    /// An `.xlsx` or `.ods` source (read by calamine in `sverka::book`) could not be read.
    #[error(
        "Не удалось прочитать книгу: файл повреждён или это не книга Excel или OpenDocument. Откройте его в Excel и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    OtherFormat(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A save would overwrite the file the book was opened from.
    #[error(
        "Файл «{}» — это исходная выгрузка; sverka не перезаписывает её. Выберите другое имя для исправленного файла.",
        .0.display()
    )]
    WouldOverwrite(PathBuf),
    /// The corrected file could not be built (the detail says why).
    #[error(
        "Не удалось собрать исправленный файл: {0}. Исходная выгрузка не тронута; исправления остаются в программе."
    )]
    BuildFailed(#[source] BuildProblem),
    /// Creating, writing, syncing or reading back the temporary file, or renaming it over the
    /// target, failed.
    #[error("Не удалось записать файл «{}»: {}.", .path.display(), crate::os_error::io_error_ru(.source))]
    Write {
        /// The file being saved.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A save in place was asked of a book that was not read from a file.
    #[error("У книги нет исходного файла: сохраните исправленный файл под новым именем.")]
    NoSourceFile,
    /// The written file did not read back as the book with its edits; nothing was saved.
    #[error(
        "Проверка записанного файла не прошла: {detail}. Файл «{}» не сохранён, исходная выгрузка не тронута.",
        .path.display()
    )]
    VerifyFailed {
        /// The file that was to be saved.
        path: PathBuf,
        /// What did not read back.
        #[source]
        detail: VerifyError,
    },
    /// A save in place was asked of a book converted from another format (`.xlsx`, `.ods`).
    #[error(
        "Файл «{}» — книга {format}, а СГО принимает только Excel 97-2003. Исправленный файл сохраняется рядом как новый .xls; исходный файл не перезаписывается.",
        .path.display()
    )]
    ConvertedSource {
        /// The source file.
        path: PathBuf,
        /// Name of the source's format, for the message.
        format: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failure on the save side is said to be one: it does not send the officer to export
    /// the class again.
    #[test]
    fn a_build_failure_is_not_called_a_damaged_export() {
        let text = XlsError::BuildFailed(BuildProblem::TooBig).to_string();
        assert!(
            text.contains("Не удалось собрать исправленный файл"),
            "{text}"
        );
        assert!(text.contains("Исходная выгрузка не тронута"), "{text}");
        assert!(
            !text.contains("повреждён") && !text.contains("Выгрузите"),
            "{text}"
        );
    }
}
