//! Everything a command can fail with, one type, each a Russian sentence, each with its exit
//! code.

use std::path::PathBuf;

use crate::cli::args::UsageError;
use crate::engine::{AppealError, Refused};
use crate::session::ProfileError;
use crate::xls::XlsError;

/// Exit code for bad input or a failed command.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Why a command did not do its work.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line was not understood.
    #[error("{0}")]
    Usage(#[from] UsageError),
    /// The export could not be opened, or the corrected file not written.
    #[error("{0}")]
    Book(#[from] XlsError),
    /// `apply`: the edits file could not be read.
    #[error("не удалось прочитать файл правок «{}»: {}", .path.display(), crate::xls::io_error_ru(.source))]
    EditsUnreadable {
        /// The edits file.
        path: PathBuf,
        /// Why reading it failed.
        source: std::io::Error,
    },
    /// `apply`: the edits file is not a JSON list of edits.
    #[error("файл правок «{}» не разобран ({reason}). Ожидается список объектов {{\"sheet\", \"row\", \"col\", \"value\"}}.", .path.display())]
    EditsInvalid {
        /// The edits file.
        path: PathBuf,
        /// What is wrong in it, and where, in Russian.
        reason: String,
    },
    /// `apply`: an edit names a sheet the book does not have.
    #[error("правка №{number}: в книге нет листа «{sheet}»")]
    NoSuchSheet {
        /// The edit's number in the file (from 1).
        number: usize,
        /// The sheet name the edit gives.
        sheet: String,
    },
    /// `apply`: an edit was refused; nothing was written.
    #[error(
        "правки не применены, файл не записан — {0}\nУберите эти правки из файла правок и запустите команду снова."
    )]
    EditsRefused(Refused),
    /// `fix`: a fix was refused; nothing was written.
    #[error("исправления не записаны — {0}")]
    FixesRefused(Refused),
    /// The `--out` file exists and `--replace` was not given.
    #[error("файл «{}» уже существует — в нём могут быть исправления прошлого раза; укажите другое имя (--out) или добавьте --replace, чтобы заменить его", .0.display())]
    OutExists(PathBuf),
    /// An appeal file could not be read or understood.
    #[error("обращение «{}»: {source}", .path.display())]
    Appeal {
        /// The appeal file.
        path: PathBuf,
        /// Why it was not read.
        source: AppealError,
    },
    /// The `--profile` file could not be read or understood.
    #[error("{0}")]
    Profile(#[from] ProfileError),
}

impl CliError {
    /// The process's exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        EXIT_BAD_INPUT
    }

    /// Is it a command line not understood (then the usage is shown with it)?
    pub fn is_usage(&self) -> bool {
        matches!(self, CliError::Usage(_))
    }
}
