//! Loading appeals from disk: one file by its extension, or the appeal files of a folder.

use std::path::{Path, PathBuf};

use super::{
    Appeal, AppealError, MAX_FILE_BYTES, decode_text, parse_json, parse_table, parse_text,
};

/// Loads appeals from a file, by its extension (`.txt`, `.json`, `.csv`, `.xlsx`).
pub fn load_file(path: &Path) -> Result<Vec<Appeal>, AppealError> {
    let io = |source| AppealError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(AppealError::TooLarge { bytes: meta.len() });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "" => parse_text(&decode_text(&bytes), &source),
        "json" => parse_json(&decode_text(&bytes), &source),
        "csv" | "tsv" | "xlsx" | "xlsm" | "xls" | "ods" => parse_table(&bytes, &ext, &source),
        other => Err(AppealError::UnknownFormat(format!(".{other}"))),
    }
}

/// The kinds of file a folder of appeals is searched for.
pub const FOLDER_EXTENSIONS: [&str; 4] = ["txt", "json", "csv", "xlsx"];

/// What came of one appeal file named by the officer or found in a folder.
#[derive(Debug)]
pub struct LoadedFile {
    /// The file (or the folder, when the folder could not be listed).
    pub path: PathBuf,
    /// The appeals read from it, or why none were.
    pub appeals: Result<Vec<Appeal>, AppealError>,
}

/// Loads the appeals of every path: a file as [`load_file`] reads it, a folder as the appeal
/// files directly inside it ([`FOLDER_EXTENSIONS`], not its subfolders) in name order. The
/// command line and the app both load through here, so a folder means the same to both.
pub fn load_paths(paths: &[PathBuf]) -> Vec<LoadedFile> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(LoadedFile {
                path: p.clone(),
                appeals: load_file(p),
            });
            continue;
        }
        match std::fs::read_dir(p) {
            Ok(entries) => {
                let mut inside: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| {
                        f.is_file()
                            && f.extension()
                                .map(|x| x.to_string_lossy().to_lowercase())
                                .is_some_and(|x| FOLDER_EXTENSIONS.contains(&x.as_str()))
                    })
                    .collect();
                inside.sort();
                out.extend(inside.into_iter().map(|f| LoadedFile {
                    appeals: load_file(&f),
                    path: f,
                }));
            }
            Err(source) => out.push(LoadedFile {
                path: p.clone(),
                appeals: Err(AppealError::FolderUnreadable {
                    path: p.clone(),
                    source,
                }),
            }),
        }
    }
    out
}
