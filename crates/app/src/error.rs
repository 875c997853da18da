//! What the app itself can fail with (beyond the core's own errors), as Russian sentences.

use sverka_core::xls::XlsError;

/// Why the app could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The window could not be opened on this graphics backend.
    #[error("окно программы не открылось: {0}")]
    Window(String),
    /// The graphics stack failed inside (a panic while opening or drawing the window).
    #[error("{0}")]
    GraphicsCrashed(String),
    /// The test hook of the Windows smoke test: every graphics attempt fails.
    #[error("графика отключена для проверки (SVERKA_TEST_NO_GRAPHICS)")]
    GraphicsDisabled,
    /// The program could not be started again for the next backend.
    #[error("{0}")]
    Restart(String),
    /// A long job is still running.
    #[error("дождитесь окончания: {0}")]
    Busy(String),
    /// Nothing is open.
    #[error("нет открытой выгрузки")]
    NoExport,
    /// The export could not be opened («файл»: why).
    #[error("«{file}»: {source}")]
    Open {
        /// The file's name (without its folder).
        file: String,
        /// Why it could not be read.
        source: XlsError,
    },
}
