//! The shape of the code, checked: the layers of `docs/ARCHITECTURE.md` depend only downwards,
//! and no source file grows past one job's size. The crates `sverka-xls` and `sverka-norm`
//! are kept below everything by the compiler (they depend on no other part of sverka); these
//! tests keep the order of the layers inside the main crate, which the compiler cannot.

use std::path::{Path, PathBuf};

/// The layers of the main crate, lowest first: a module may use its own layer and those
/// before it, never one after it.
const LAYERS: [&str; 5] = ["book", "engine", "session", "cli", "app"];

/// Lines of code a source file may hold, its test module not counted.
const MAX_LINES: usize = 700;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its trailing test module and without comment lines.
fn code_of(text: &str) -> String {
    let end = text.find("\n#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text.get(..end)
        .unwrap_or(text)
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn layers_depend_only_downwards() {
    let mut wrong = Vec::new();
    for (i, layer) in LAYERS.iter().enumerate() {
        let mut files = Vec::new();
        rust_files(&root().join("src").join(layer), &mut files);
        assert!(!files.is_empty(), "src/{layer} has no files");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let code = code_of(&text);
            for above in LAYERS.iter().skip(i + 1) {
                if code.contains(&format!("crate::{above}::")) {
                    wrong.push(format!("{} uses crate::{above}", f.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a layer reaches up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_holds_more_than_one_jobs_worth_of_code() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for krate in ["xls", "norm", "testkit"] {
        rust_files(&root().join("crates").join(krate).join("src"), &mut files);
    }
    assert!(files.len() > 40, "sources not found: {}", files.len());
    let mut big: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let n = code_of(&text).lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    big.sort();
    assert!(big.is_empty(), "split these files:\n{}", big.join("\n"));
}
