//! Column-mapping profiles on disk: the officer's own mappings (saved from the mapping dialog
//! into `profiles.json` in the data folder) and a profile file given to the command line
//! (`--profile`). One object or a list of [`Profile`]s, UTF-8 JSON.

use std::path::{Path, PathBuf};

use crate::engine::schema::Profile;
use crate::xls::io_error_ru;

/// The file the mapping dialog saves into, in the data folder.
pub const FILE_NAME: &str = "profiles.json";

/// Why profiles were not read or not saved.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The profile file could not be read.
    #[error("профиль «{}» не читается: {}", .path.display(), io_error_ru(.source))]
    Read {
        /// The profile file.
        path: PathBuf,
        /// Why reading failed.
        #[source]
        source: std::io::Error,
    },
    /// The profile file is not UTF-8 text.
    #[error("профиль «{}» не в кодировке UTF-8: сохраните его как текст UTF-8", .path.display())]
    NotUtf8 {
        /// The profile file.
        path: PathBuf,
    },
    /// The profile file is not valid JSON.
    #[error(
        "профиль «{}» не читается как JSON: ошибка в строке {line}, позиция {column}",
        .path.display()
    )]
    Syntax {
        /// The profile file.
        path: PathBuf,
        /// The line of the error (from 1).
        line: usize,
        /// The column of the error (from 1).
        column: usize,
        /// The parser's own error.
        #[source]
        source: serde_json::Error,
    },
    /// An entry of the file is not a column-mapping profile.
    #[error(
        "профиль «{}», запись {number}: не профиль сопоставления столбцов ({})",
        .path.display(), crate::json_ru::json_error_ru(.source)
    )]
    Shape {
        /// The profile file.
        path: PathBuf,
        /// 1-based position of the profile in the list.
        number: usize,
        /// Why the entry does not read as a profile.
        #[source]
        source: serde_json::Error,
    },
    /// The officer's mappings could not be saved.
    #[error("сопоставление столбцов не сохранено в «{}»: {}", .path.display(), io_error_ru(.source))]
    Write {
        /// The file they were to be saved into.
        path: PathBuf,
        /// Why writing failed.
        #[source]
        source: std::io::Error,
    },
}

/// Reads profiles from JSON text: one object or a list. `path` only names the file in errors.
pub fn parse(json: &str, path: &Path) -> Result<Vec<Profile>, ProfileError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|source| ProfileError::Syntax {
            path: path.to_path_buf(),
            line: source.line(),
            column: source.column(),
            source,
        })?;
    let list = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|source| ProfileError::Shape {
                path: path.to_path_buf(),
                number: i + 1,
                source,
            })
        })
        .collect()
}

/// Reads a profile file.
pub fn read(path: &Path) -> Result<Vec<Profile>, ProfileError> {
    let bytes = std::fs::read(path).map_err(|source| ProfileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ProfileError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    parse(&text, path)
}

/// The officer's saved mappings in a data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileStore {
    path: PathBuf,
}

impl ProfileStore {
    /// The mappings saved in `profiles.json` in the data folder `data_dir`.
    pub fn in_folder(data_dir: &Path) -> ProfileStore {
        ProfileStore {
            path: data_dir.join(FILE_NAME),
        }
    }

    /// The saved mappings; none when nothing was saved yet.
    pub fn load(&self) -> Result<Vec<Profile>, ProfileError> {
        match read(&self.path) {
            Err(ProfileError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(Vec::new())
            }
            other => other,
        }
    }

    /// Saves `profiles`, replacing what was saved. A file there that cannot be read as
    /// profiles (edited by hand, cut short) is not overwritten: it is kept beside as
    /// `profiles.json.unreadable` first, so nothing the officer had is lost.
    pub fn save(&self, profiles: &[Profile]) -> Result<(), ProfileError> {
        let write = |source| ProfileError::Write {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(write)?;
        }
        if matches!(
            self.load(),
            Err(ProfileError::NotUtf8 { .. }
                | ProfileError::Syntax { .. }
                | ProfileError::Shape { .. })
        ) {
            std::fs::rename(&self.path, self.path.with_extension("json.unreadable"))
                .map_err(write)?;
        }
        let json =
            serde_json::to_string_pretty(profiles).map_err(|e| write(std::io::Error::other(e)))?;
        std::fs::write(&self.path, json).map_err(write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_profiles_load_back_and_a_missing_file_is_no_profiles() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = ProfileStore::in_folder(&dir.path().join("sverka"));
        assert!(store.load().unwrap_or_else(|e| panic!("{e}")).is_empty());
        let profiles = parse(
            r#"{"signature": "фамилия|имя", "columns": [{"col": 0, "field": "surname"}]}"#,
            Path::new("p.json"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        store.save(&profiles).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.load().unwrap_or_else(|e| panic!("{e}")), profiles);
    }

    #[test]
    fn an_unreadable_file_is_kept_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = ProfileStore::in_folder(dir.path());
        std::fs::write(dir.path().join(FILE_NAME), "[{\"columns\": 7}]")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(store.load().is_err());
        store.save(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.load().unwrap_or_else(|e| panic!("{e}")), Vec::new());
        let kept = std::fs::read_to_string(dir.path().join("profiles.json.unreadable"))
            .unwrap_or_default();
        assert_eq!(kept, "[{\"columns\": 7}]");
    }

    #[test]
    fn errors_say_where_in_russian() {
        let p = Path::new("p.json");
        let e = parse("[1, 2", p).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("профиль «p.json» не читается как JSON: ошибка в строке 1, позиция 5")
        );
        let e = parse(r#"[{"columns": []}, {"columns": 7}]"#, p)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.starts_with("профиль «p.json», запись 2: "), "{e}");
        assert!(e.contains("значение не того типа"), "{e}");
        let e = parse(r#"{"columns": [{"field": "surname"}]}"#, p)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.ends_with("(не хватает поля «col»)"), "{e}");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, [0xff, 0xfe, 0x00]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(read(&bad), Err(ProfileError::NotUtf8 { .. })));
    }
}
