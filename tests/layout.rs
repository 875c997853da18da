//! The shape of the code, checked: the layers of `docs/ARCHITECTURE.md` depend only downwards,
//! and no source file grows past one job's size. The crates `sverka-xls` and `sverka-norm`
//! are kept below everything by the compiler (they depend on no other part of sverka), and
//! so is the app (`sverka-app`) above the core (`sverka-core`); these tests keep the order of
//! the layers inside the core, which the compiler cannot, and what the app may name.

use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may use its own layer and those before it, never one
/// after it. All but the app are folders of `crates/core`.
const LAYERS: [&str; 5] = ["book", "engine", "session", "cli", "app"];

/// Lines of code a source file may hold, its test module not counted.
const MAX_LINES: usize = 700;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where a layer's sources are: the app is the crate `sverka-app`, the others are folders of
/// the crate `sverka-core`.
fn layer_dir(layer: &str) -> PathBuf {
    if layer == "app" {
        root().join("crates/app/src")
    } else {
        root().join("crates/core/src").join(layer)
    }
}

/// Every source file of the program: the programs' own and every crate's.
fn all_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for krate in ["xls", "norm", "core", "app", "testkit"] {
        rust_files(&root().join("crates").join(krate).join("src"), &mut files);
    }
    files
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
        rust_files(&layer_dir(layer), &mut files);
        assert!(!files.is_empty(), "{layer} has no files");
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

/// The source files under `dir` whose code (tests and comments left out) holds `needle`.
fn files_whose_code_has(dir: &Path, needle: &str) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files
        .iter()
        .filter(|f| code_of(&std::fs::read_to_string(f).unwrap_or_default()).contains(needle))
        .map(|f| f.display().to_string())
        .collect()
}

/// The app drives the core through the session: it names no part of the engine (the words
/// it needs, `Field`, `Outcome`, `Severity`…, are the session's `vocabulary`), so every rule
/// it relies on runs where the command line and the tests run it too.
#[test]
fn the_app_reaches_the_engine_only_through_the_session() {
    let found = files_whose_code_has(&layer_dir("app"), "engine::");
    assert!(
        found.is_empty(),
        "the app calls the engine past the session:\n{}",
        found.join("\n")
    );
}

/// The session's parts (history, appeals, findings, edits, saving…) name what they use from
/// each other: no `use super::*`, which would let a line of one part touch all of them.
#[test]
fn the_session_parts_name_what_they_use() {
    let found = files_whose_code_has(&layer_dir("session"), "use super::*");
    assert!(found.is_empty(), "use super::* in:\n{}", found.join("\n"));
}

#[test]
fn no_source_file_holds_more_than_one_jobs_worth_of_code() {
    let files = all_sources();
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

/// The module a source file belongs to, as `layer::module` (a folder module counts as one):
/// `src/engine/appeal/parse.rs` → `engine::appeal`; the layer's own `mod.rs` → `None`.
fn module_of(base: &Path, file: &Path, prefix: &str) -> Option<String> {
    let rel = file.strip_prefix(base).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let name = first.trim_end_matches(".rs");
    (name != "mod" && name != "lib" && name != "main").then(|| format!("{prefix}{name}"))
}

/// References from `text` (a file of module `me`, directly in its layer's folder when
/// `top`) to other modules of the same layer: `crate::{path}NAME` and `super::NAME`, in code
/// and in doc links alike.
fn references(text: &str, path: &str, prefix: &str, top: bool, me: &str) -> Vec<String> {
    let end = text.find("\n#[cfg(test)]\nmod tests").unwrap_or(text.len());
    let text = text.get(..end).unwrap_or(text);
    let mut out = Vec::new();
    let mut patterns = vec![format!("crate::{path}")];
    if top {
        patterns.push("super::".to_string());
    }
    for pat in &patterns {
        for (at, _) in text.match_indices(pat.as_str()) {
            let rest = text.get(at + pat.len()..).unwrap_or("");
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let m = format!("{prefix}{name}");
            if m != me && !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// A cycle in `graph`, if any, as the modules along it.
fn find_cycle(graph: &std::collections::BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &std::collections::BTreeMap<String, Vec<String>>,
        state: &mut std::collections::BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let from = stack.iter().position(|x| x == m).unwrap_or(0);
                let mut cycle = stack.get(from..).unwrap_or(&[]).to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = std::collections::BTreeMap::new();
    for m in graph.keys() {
        if let Some(c) = visit(m, graph, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

/// No two modules of a layer (or of the crates `sverka-xls`, `sverka-norm`) depend on each
/// other, even through others: each layer's modules form a tree of dependencies, doc links
/// counted.
#[test]
fn no_module_depends_on_itself_through_others() {
    // The layers of the core are folders (`crate::engine::…`); the app is a crate of its own
    // whose modules are named from its root (`crate::grid::…`), like xls and norm.
    let mut places: Vec<(PathBuf, String, String)> = LAYERS
        .iter()
        .filter(|l| **l != "app")
        .map(|l| (layer_dir(l), format!("{l}::"), format!("{l}::")))
        .collect();
    places.push((layer_dir("app"), String::new(), "app::".to_string()));
    for krate in ["xls", "norm"] {
        places.push((
            root().join("crates").join(krate).join("src"),
            String::new(),
            format!("{krate}::"),
        ));
    }
    for (base, path, prefix) in places {
        let mut files = Vec::new();
        rust_files(&base, &mut files);
        let mut graph: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let modules: std::collections::BTreeSet<String> = files
            .iter()
            .filter_map(|f| module_of(&base, f, &prefix))
            .collect();
        for f in &files {
            let Some(me) = module_of(&base, f, &prefix) else {
                continue;
            };
            let top = f.parent() == Some(base.as_path());
            let text = std::fs::read_to_string(f).unwrap_or_default();
            // An item re-exported by the layer (`crate::engine::Field`) is not a module.
            let refs = references(&text, &path, &prefix, top, &me)
                .into_iter()
                .filter(|r| modules.contains(r));
            let edges = graph.entry(me).or_default();
            for r in refs {
                if !edges.contains(&r) {
                    edges.push(r);
                }
            }
        }
        assert!(!graph.is_empty(), "{}: modules not found", base.display());
        if let Some(cycle) = find_cycle(&graph) {
            panic!("a module cycle: {}", cycle.join(" → "));
        }
    }
}

/// Errors are typed: no function of the program's sources returns a bare `String` as its error (a caller
/// could not tell one failure from another, nor give each its exit code).
#[test]
fn no_result_with_a_string_error() {
    let files = all_sources();
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (n, line) in code_of(&text).lines().enumerate() {
            let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if squeezed.contains("Result<") && squeezed.contains(",String>") {
                found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Result<_, String> left:\n{}",
        found.join("\n")
    );
}
