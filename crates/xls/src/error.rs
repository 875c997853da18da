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
    #[error("в файле {found} листов вместо {expected}")]
    SheetCount { found: usize, expected: usize },
    #[error("лист «{expected}» называется «{found}»")]
    SheetName { expected: String, found: String },
    #[error("ячейка {} листа «{sheet}» прочиталась не так, как задумано", a1(*.row, *.col))]
    Cell { sheet: String, row: u32, col: u32 },
    #[error("в собранном файле не тот поток книги, что был проверен")]
    StreamReplaced,
    #[error("проверка прервалась")]
    Interrupted,
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
    #[error("книга получилась больше 4 ГБ")]
    TooBig,
    #[error(
        "лист разбит на слишком много блоков строк ({0}), больше, чем помещается в Excel 97-2003"
    )]
    TooManyRowBlocks(usize),
    #[error("файл Office не собрался ({})", crate::os_error::io_error_ru(.0))]
    Container(#[source] std::io::Error),
}

/// What is wrong with a file that sverka was asked to open, or why a save failed.
#[derive(Debug, thiserror::Error)]
pub enum XlsError {
    #[error("Файл «{}» не найден.", .0.display())]
    NotFound(PathBuf),
    #[error("Не удалось прочитать файл «{}»: {}.", .path.display(), crate::os_error::io_error_ru(.source))]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Не удалось прочитать файл «{}»: это папка, а не файл.", .0.display())]
    IsFolder(PathBuf),
    #[error(
        "Файл пустой (0 байт): вероятно, выгрузка не докачалась. Выгрузите класс из СГО ещё раз."
    )]
    Empty,
    #[error(
        "Файл слишком большой ({size_mb} МБ). Выгрузка Excel 97-2003 из СГО не бывает больше {limit_mb} МБ: проверьте, тот ли это файл."
    )]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error(
        "Это книга Excel 2007 и новее (.xlsx), хотя имя оканчивается на .xls. СГО принимает только Excel 97-2003: откройте файл в Excel и сохраните как «Книга Excel 97-2003 (*.xls)» или выгрузите класс из СГО заново."
    )]
    XlsxNamedXls,
    #[error(
        "Это таблица OpenDocument (.ods), хотя имя оканчивается на .xls. Сохраните её как «Книга Excel 97-2003 (*.xls)» или выгрузите класс из СГО заново."
    )]
    OdsNamedXls,
    #[error(
        "Это zip-архив, а не книга Excel 97-2003. Распакуйте архив или выгрузите класс из СГО заново."
    )]
    ZipArchive,
    #[error(
        "Это веб-страница (HTML), сохранённая с расширением .xls, а не книга Excel 97-2003. Выгрузите класс из СГО заново через «Пакетное обновление > Выгрузка данных»."
    )]
    Html,
    #[error(
        "Это XML-файл (например, «Таблица XML 2003»), а не книга Excel 97-2003. Откройте его в Excel и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    Xml,
    #[error(
        "Это текстовый файл (CSV или обычный текст), а не книга Excel 97-2003. Выгрузите класс из СГО заново через «Пакетное обновление > Выгрузка данных»."
    )]
    Text,
    #[error("Формат файла не распознан: это не книга Excel 97-2003 (.xls).")]
    Unknown,
    #[error(
        "Файл повреждён или скопирован не полностью (обрезан): {detail}. Выгрузите класс из СГО ещё раз."
    )]
    Corrupt { detail: String },
    #[error(
        "Файл защищён паролем (зашифрован). Откройте его в Excel, снимите пароль («Файл > Сведения > Защита книги») и сохраните как Excel 97-2003."
    )]
    Encrypted,
    #[error(
        "Это книга старого формата Excel 5.0/95 (BIFF5). СГО ждёт Excel 97-2003: откройте файл в Excel и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    Biff5,
    #[error(
        "Это книга очень старого формата Excel (версии 2.x–4.0 или отдельный лист Excel 5.0). СГО ждёт Excel 97-2003: откройте файл в Excel или LibreOffice и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    OldExcel,
    #[error(
        "Неподдерживаемая версия формата Excel (код {version:#06x}); ожидается Excel 97-2003 (BIFF8)."
    )]
    UnsupportedVersion { version: u16 },
    #[error("В файле нет книги Excel (поток «Workbook» не найден) — это другой документ Office.")]
    NoWorkbook,
    #[error("В книге нет листа «{0}».")]
    NoSuchSheet(String),
    #[error("Лист «{0}» — не обычный лист с ячейками (диаграмма или макрос); его нельзя править.")]
    NotAWorksheet(String),
    #[error(
        "Ячейка {cell} вне пределов листа Excel 97-2003 (не больше 65 536 строк и 256 столбцов)."
    )]
    CellOutOfRange { cell: String },
    #[error(
        "Текст в ячейке {cell} слишком длинный: {len} символов, Excel допускает не больше 32 767."
    )]
    TextTooLong { cell: String, len: usize },
    #[error(
        "В тексте для ячейки {cell} есть управляющий символ (код {code}) — его не видно, а СГО и Excel читают его по-разному; уберите его (часто он приходит при копировании из другой программы)."
    )]
    ControlCharacter { cell: String, code: String },
    #[error(
        "В ячейку {cell} нельзя записать дату: ни в ней, ни в её столбце нет ни одной даты, формат даты взять неоткуда."
    )]
    NoDateFormat { cell: String },
    #[error("В ячейку {cell} можно записать только текст, число или дату.")]
    UnwritableValue { cell: String },
    #[error(
        "Ячейка {cell} содержит формулу, связанную с другими ячейками (общая формула или массив); sverka не меняет такие ячейки — исправьте её в Excel."
    )]
    SharedFormula { cell: String },
    #[error(
        "В листе «{sheet}» {rows} строк; в Excel 97-2003 помещается не больше 65 536. Разделите таблицу на части."
    )]
    TooManyRows { sheet: String, rows: usize },
    /// An `.xlsx` or `.ods` source (read by calamine in `sverka::book`) could not be read.
    #[error(
        "Не удалось прочитать книгу: файл повреждён или это не книга Excel или OpenDocument. Откройте его в Excel и сохраните как «Книга Excel 97-2003 (*.xls)»."
    )]
    OtherFormat(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error(
        "Файл «{}» — это исходная выгрузка; sverka не перезаписывает её. Выберите другое имя для исправленного файла.",
        .0.display()
    )]
    WouldOverwrite(PathBuf),
    #[error(
        "Не удалось собрать исправленный файл: {0}. Исходная выгрузка не тронута; исправления остаются в программе."
    )]
    BuildFailed(#[source] BuildProblem),
    #[error("Не удалось записать файл «{}»: {}.", .path.display(), crate::os_error::io_error_ru(.source))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("У книги нет исходного файла: сохраните исправленный файл под новым именем.")]
    NoSourceFile,
    #[error(
        "Проверка записанного файла не прошла: {detail}. Файл «{}» не сохранён, исходная выгрузка не тронута.",
        .path.display()
    )]
    VerifyFailed {
        path: PathBuf,
        #[source]
        detail: VerifyError,
    },
    #[error(
        "Файл «{}» — книга {format}, а СГО принимает только Excel 97-2003. Исправленный файл сохраняется рядом как новый .xls; исходный файл не перезаписывается.",
        .path.display()
    )]
    ConvertedSource { path: PathBuf, format: &'static str },
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
