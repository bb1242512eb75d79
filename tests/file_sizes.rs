//! The guide's limit on file size: no source or test file over 500 lines; a longer one is split
//! by responsibility.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// The most lines a file under `src/`, `tests/` or `benches/` may have.
const MOST_LINES: usize = 500;

/// Files over the limit that other work in flight splits (issue #13): allowed until then, and
/// the test says so once one is short enough, so that the exception goes with it.
const AWAITING: &[(&str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every Rust file of the crate with its line count, relative to the crate ("src/ui/mod.rs").
fn line_counts() -> Vec<(String, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("a readable source file");
            let name = f.strip_prefix(root).expect("under the crate");
            (
                name.to_string_lossy().replace('\\', "/"),
                text.lines().count(),
            )
        })
        .collect()
}

#[test]
fn no_source_or_test_file_is_over_500_lines() {
    let long: Vec<String> = line_counts()
        .into_iter()
        .filter(|(name, lines)| *lines > MOST_LINES && !AWAITING.iter().any(|(a, _)| a == name))
        .map(|(name, lines)| format!("{name}: {lines} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MOST_LINES} lines (split them by responsibility; a long test file gets a \
         new file beside it for new tests):\n{}",
        long.join("\n")
    );
}

#[test]
fn every_awaited_long_file_is_still_long_or_its_exception_goes() {
    let counts = line_counts();
    for (name, when) in AWAITING {
        let lines = counts
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, l)| *l);
        assert!(
            lines > MOST_LINES,
            "{name} has {lines} lines now ({when}): remove it from AWAITING in tests/file_sizes.rs"
        );
    }
}
