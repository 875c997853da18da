//! Operating-system errors in Russian. `std::io::Error` prints the system's English text («No
//! space left on device (os error 28)», «Permission denied»); the officer reads this instead:
//! what happened and what to do, with the system's own text kept in parentheses only where no
//! Russian sentence fits.
//!
//! The sentences name no file: callers say which file («Не удалось записать файл «…»: …»).

use std::io::{Error, ErrorKind};

/// What went wrong, as far as the officer needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsProblem {
    DiskFull,
    NoPermission,
    /// Windows: another program (Excel) holds the file open.
    #[cfg_attr(not(windows), allow(dead_code))]
    OpenElsewhere,
    NotFound,
    AlreadyExists,
    ReadOnly,
    Quota,
    InvalidName,
    PathTooLong,
    NotADirectory,
    IsADirectory,
    FileTooLarge,
    Busy,
    /// Anything else: said generically, with the system's text.
    Other,
}

/// The kind of an OS error, from the raw code where one platform's code says more than
/// [`ErrorKind`] (Windows' sharing violation has no kind of its own), else from the kind.
pub fn classify(e: &Error) -> OsProblem {
    if let Some(p) = e.raw_os_error().and_then(from_raw) {
        return p;
    }
    match e.kind() {
        ErrorKind::StorageFull => OsProblem::DiskFull,
        ErrorKind::PermissionDenied => OsProblem::NoPermission,
        ErrorKind::NotFound => OsProblem::NotFound,
        ErrorKind::AlreadyExists => OsProblem::AlreadyExists,
        ErrorKind::ReadOnlyFilesystem => OsProblem::ReadOnly,
        ErrorKind::QuotaExceeded => OsProblem::Quota,
        ErrorKind::InvalidFilename => OsProblem::InvalidName,
        ErrorKind::NotADirectory => OsProblem::NotADirectory,
        ErrorKind::IsADirectory => OsProblem::IsADirectory,
        ErrorKind::FileTooLarge => OsProblem::FileTooLarge,
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => OsProblem::Busy,
        _ => OsProblem::Other,
    }
}

/// Raw codes that say more than their [`ErrorKind`] (or that the kind does not cover).
#[cfg(windows)]
fn from_raw(code: i32) -> Option<OsProblem> {
    Some(match code {
        // ERROR_ACCESS_DENIED
        5 => OsProblem::NoPermission,
        // ERROR_WRITE_PROTECT
        19 => OsProblem::ReadOnly,
        // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        32 | 33 => OsProblem::OpenElsewhere,
        // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        39 | 112 => OsProblem::DiskFull,
        // ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS
        80 | 183 => OsProblem::AlreadyExists,
        // ERROR_INVALID_NAME
        123 => OsProblem::InvalidName,
        // ERROR_FILENAME_EXCED_RANGE
        206 => OsProblem::PathTooLong,
        // ERROR_NOT_ENOUGH_QUOTA, ERROR_DISK_QUOTA_EXCEEDED
        1816 | 1295 => OsProblem::Quota,
        _ => return None,
    })
}

/// Raw codes that say more than their [`ErrorKind`] (or that the kind does not cover).
#[cfg(unix)]
fn from_raw(code: i32) -> Option<OsProblem> {
    // ENAMETOOLONG: Linux 36, the BSDs and macOS 63; std calls both `InvalidFilename`.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const NAME_TOO_LONG: i32 = 36;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const NAME_TOO_LONG: i32 = 63;
    Some(match code {
        // EPERM, EACCES
        1 | 13 => OsProblem::NoPermission,
        // ENOSPC
        28 => OsProblem::DiskFull,
        // EROFS
        30 => OsProblem::ReadOnly,
        NAME_TOO_LONG => OsProblem::PathTooLong,
        _ => return None,
    })
}

#[cfg(not(any(unix, windows)))]
fn from_raw(_code: i32) -> Option<OsProblem> {
    None
}

/// The error said in Russian, without the file's name: «на диске не осталось места: …».
pub fn io_error_ru(e: &Error) -> String {
    match classify(e) {
        OsProblem::DiskFull => {
            "на диске не осталось места: освободите место или сохраните файл на другой диск".into()
        }
        OsProblem::NoPermission => {
            if cfg!(windows) {
                "нет прав доступа к файлу или папке (или файл открыт в другой программе, например в Excel): закройте файл или выберите другую папку, например «Документы»".into()
            } else {
                "нет прав доступа к файлу или папке: выберите другую папку, например «Документы», или попросите права у администратора".into()
            }
        }
        OsProblem::OpenElsewhere => {
            "файл открыт в другой программе (например, в Excel): закройте его и повторите".into()
        }
        OsProblem::NotFound => "файл или папка не найдены: проверьте путь".into(),
        OsProblem::AlreadyExists => "файл с таким именем уже есть: выберите другое имя".into(),
        OsProblem::ReadOnly => {
            "диск доступен только для чтения (например, защищённая флешка или компакт-диск): сохраните файл в другое место".into()
        }
        OsProblem::Quota => {
            "превышена квота на диске для вашей учётной записи: освободите место или сохраните файл в другое место".into()
        }
        OsProblem::InvalidName => {
            "недопустимое имя файла: уберите из него знаки \\ / : * ? \" < > |".into()
        }
        OsProblem::PathTooLong => {
            "слишком длинный путь к файлу: сократите имя или сохраните файл в папку ближе к корню диска".into()
        }
        OsProblem::NotADirectory => "часть пути — файл, а не папка: проверьте путь".into(),
        OsProblem::IsADirectory => "это папка, а не файл".into(),
        OsProblem::FileTooLarge => "файл слишком большой для этого диска".into(),
        OsProblem::Busy => {
            "файл занят другой программой: закройте её и повторите".into()
        }
        OsProblem::Other => format!("ошибка операционной системы ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(e: Error) -> String {
        io_error_ru(&e)
    }

    /// No English word of the system's text leaks into a classified message.
    fn is_russian(s: &str) -> bool {
        let s = s.replace("Excel", "");
        !s.chars().any(|c| c.is_ascii_alphabetic()) && s.chars().any(|c| matches!(c, 'а'..='я'))
    }

    #[test]
    fn kinds_are_said_in_russian() {
        let cases = [
            (ErrorKind::StorageFull, "не осталось места"),
            (ErrorKind::PermissionDenied, "нет прав"),
            (ErrorKind::NotFound, "не найдены"),
            (ErrorKind::AlreadyExists, "уже есть"),
            (ErrorKind::ReadOnlyFilesystem, "только для чтения"),
            (ErrorKind::QuotaExceeded, "квота"),
            (ErrorKind::InvalidFilename, "недопустимое имя"),
            (ErrorKind::NotADirectory, "не папка"),
            (ErrorKind::IsADirectory, "это папка"),
            (ErrorKind::FileTooLarge, "слишком большой"),
            (ErrorKind::ResourceBusy, "занят"),
        ];
        for (kind, words) in cases {
            let text = ru(Error::from(kind));
            assert!(text.contains(words), "{kind:?}: {text}");
            assert!(is_russian(&text), "{kind:?}: {text}");
        }
    }

    #[test]
    fn anything_else_keeps_the_system_text_in_parentheses() {
        let text = ru(Error::other("strange failure"));
        assert_eq!(text, "ошибка операционной системы (strange failure)");
        let text = ru(Error::from(ErrorKind::UnexpectedEof));
        assert!(text.starts_with("ошибка операционной системы ("), "{text}");
        assert!(text.ends_with(')'), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn unix_codes() {
        let disk = ru(Error::from_raw_os_error(28));
        assert!(disk.contains("не осталось места"), "{disk}");
        assert!(!disk.contains("No space"), "{disk}");
        assert_eq!(
            classify(&Error::from_raw_os_error(13)),
            OsProblem::NoPermission
        );
        assert_eq!(
            classify(&Error::from_raw_os_error(1)),
            OsProblem::NoPermission
        );
        assert_eq!(classify(&Error::from_raw_os_error(30)), OsProblem::ReadOnly);
        assert_eq!(classify(&Error::from_raw_os_error(2)), OsProblem::NotFound);
        assert_eq!(
            classify(&Error::from_raw_os_error(17)),
            OsProblem::AlreadyExists
        );
        // On Unix 32 is a broken pipe, not Windows' sharing violation.
        assert_ne!(
            classify(&Error::from_raw_os_error(32)),
            OsProblem::OpenElsewhere
        );
        for code in [28, 13, 30, 2, 17] {
            let text = ru(Error::from_raw_os_error(code));
            assert!(is_russian(&text), "{code}: {text}");
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn linux_codes() {
        assert_eq!(
            classify(&Error::from_raw_os_error(36)),
            OsProblem::PathTooLong
        );
        assert_eq!(classify(&Error::from_raw_os_error(122)), OsProblem::Quota);
        let long = ru(Error::from_raw_os_error(36));
        assert!(long.contains("слишком длинный путь"), "{long}");
    }

    #[cfg(windows)]
    #[test]
    fn windows_codes() {
        let open = ru(Error::from_raw_os_error(32));
        assert_eq!(
            open,
            "файл открыт в другой программе (например, в Excel): закройте его и повторите"
        );
        assert_eq!(
            classify(&Error::from_raw_os_error(33)),
            OsProblem::OpenElsewhere
        );
        assert_eq!(
            classify(&Error::from_raw_os_error(112)),
            OsProblem::DiskFull
        );
        assert_eq!(
            classify(&Error::from_raw_os_error(5)),
            OsProblem::NoPermission
        );
        assert_eq!(
            classify(&Error::from_raw_os_error(123)),
            OsProblem::InvalidName
        );
        assert_eq!(
            classify(&Error::from_raw_os_error(206)),
            OsProblem::PathTooLong
        );
        for code in [32, 33, 112, 5, 123, 206] {
            let text = ru(Error::from_raw_os_error(code));
            assert!(is_russian(&text), "{code}: {text}");
        }
    }
}
