//! The import walls of the project's guide, kept standing by reading the source: views, update,
//! the loop's state and the domain (`model`, `impact`) import nothing of the sources; update,
//! locks, sources, the domain, the loop's state, the message type, the commands and the shared
//! presentation import nothing of the view; what update reads and writes imports nothing of
//! update; and no module folder listed here has files that import each other in a circle. What
//! the view, update and the commands share lives in `crate::present`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod source_scan;

use std::collections::{BTreeMap, BTreeSet};

use source_scan::{Named, SourceFile, library, parse};

/// A wall: code in these modules may not name anything under `forbidden`.
struct Wall {
    modules: &'static [&'static str],
    forbidden: &'static str,
    why: &'static str,
}

const WALLS: &[Wall] = &[
    Wall {
        modules: &["ui", "update", "state", "model", "impact", "present"],
        forbidden: "sources",
        why: "views, update, the loop's state and the domain import nothing of the sources: \
              what a source says reaches them as `crate::model` types in messages",
    },
    Wall {
        modules: &[
            "update", "locks", "sources", "model", "impact", "state", "msg", "commands", "present",
        ],
        forbidden: "ui",
        why: "only the view draws: what it shares with update and the commands (rows, layout, \
              formats, a cell's text) lives in `crate::present`",
    },
    Wall {
        modules: &["present", "model", "impact", "state", "msg"],
        forbidden: "update",
        why: "update reads and writes these: depending on it would make a circle",
    },
];

/// Crossings that other work in flight removes (issue #13): allowed until then, and the test
/// says so once one is gone, so that the exception goes with it.
const AWAITING: &[(&str, &str, &str)] = &[];

/// Module folders whose files may not import each other in a circle.
const NO_CIRCLES_WITHIN: &[&str] = &[
    "commands",
    "config",
    "impact",
    "locks",
    "model",
    "present",
    "sources",
    "sources/demo",
    "sources/github",
    "sources/http",
    "state",
    "theme",
    "text",
    "ui",
    "update",
];

/// The crossings of the walls in `files`, one line each: the file, the line, what it names
/// and which wall it crosses.
fn crossings(files: &[SourceFile]) -> Vec<String> {
    let mut out = Vec::new();
    for file in files {
        let Some(top) = file.module.first() else {
            continue;
        };
        for wall in WALLS.iter().filter(|w| w.modules.contains(&top.as_str())) {
            let forbidden = |n: &&Named| n.path.first().map(String::as_str) == Some(wall.forbidden);
            for named in file.paths.iter().filter(forbidden) {
                let awaited = (AWAITING.iter())
                    .any(|(f, p, _)| *f == file.path && named.written().starts_with(p));
                if !awaited {
                    out.push(format!(
                        "{}:{} names `{}`: {top} may not import `crate::{}`",
                        file.path,
                        named.line,
                        named.written(),
                        wall.forbidden,
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn no_file_crosses_an_import_wall() {
    let found = crossings(&library());
    let walls: Vec<String> = WALLS
        .iter()
        .map(|w| format!("- {}: {}", w.modules.join(", "), w.why))
        .collect();
    assert!(
        found.is_empty(),
        "{} imports cross a wall:\n{}\nThe walls (the modules each one holds, and why):\n{}",
        found.len(),
        found.join("\n"),
        walls.join("\n")
    );
}

#[test]
fn every_awaited_crossing_is_still_there_or_its_exception_goes() {
    let files = library();
    for (path, written, when) in AWAITING {
        let file = files.iter().find(|f| f.path == *path);
        let present =
            file.is_some_and(|f| f.paths.iter().any(|n| n.written().starts_with(written)));
        assert!(
            present,
            "{path} no longer names `{written}` ({when}): remove it from AWAITING in tests/walls.rs"
        );
    }
}

/// One import from a file of a folder to another of its files: where it is written.
struct Import {
    to: String,
    file: String,
    named: Named,
}

/// The imports between the files (child modules) of `folder` ("locks", "sources/github"). An
/// import of a name the folder's `mod.rs` re-exports counts as one of the file it comes from.
fn imports_within(files: &[SourceFile], folder: &str) -> BTreeMap<String, Vec<Import>> {
    let prefix: Vec<&str> = folder.split('/').collect();
    let depth = prefix.len();
    let under = |module: &[String]| {
        module.len() >= depth && module.iter().zip(&prefix).all(|(m, p)| m == p)
    };
    let inside: Vec<&SourceFile> = files.iter().filter(|f| under(&f.module)).collect();
    let children: BTreeSet<&String> = inside.iter().filter_map(|f| f.module.get(depth)).collect();
    // `pub use store::{StoreError, …}` in the folder's mod.rs: StoreError comes from store.
    let reexported: BTreeMap<&String, &String> = (inside.iter())
        .filter(|f| f.module.len() == depth)
        .flat_map(|f| f.paths.iter())
        .filter(|n| n.public && n.path.len() > depth + 1 && under(&n.path))
        .map(|n| (&n.bound, &n.path[depth]))
        .collect();
    let mut edges: BTreeMap<String, Vec<Import>> = BTreeMap::new();
    for file in &inside {
        let Some(from) = file.module.get(depth) else {
            continue;
        };
        for named in file.paths.iter().filter(|n| under(&n.path)) {
            let Some(name) = named.path.get(depth) else {
                continue;
            };
            let to = if children.contains(name) {
                name
            } else if let Some(origin) = reexported.get(name) {
                *origin
            } else {
                continue; // defined in the folder's mod.rs itself
            };
            if to != from {
                edges.entry(from.clone()).or_default().push(Import {
                    to: to.clone(),
                    file: file.path.clone(),
                    named: named.clone(),
                });
            }
        }
    }
    edges
}

/// Every import that is part of a circle among the files of `folder`: one line for each
/// file that imports another of the same circle, naming the first such import.
fn circles(files: &[SourceFile], folder: &str) -> Vec<String> {
    let edges = imports_within(files, folder);
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_string()];
        while let Some(at) = todo.pop() {
            for import in edges.get(&at).into_iter().flatten() {
                if seen.insert(import.to.clone()) {
                    todo.push(import.to.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|k| (k, reach(k))).collect();
    let leads_back =
        |to: &String, from: &String| reachable.get(to).is_some_and(|r| r.contains(from));
    let mut out = Vec::new();
    for (from, imports) in &edges {
        let mut told = BTreeSet::new();
        for import in imports.iter().filter(|i| leads_back(&i.to, from)) {
            if told.insert(&import.to) {
                out.push(format!(
                    "{folder}: {from} imports {} ({}:{} names `{}`), and {} leads back to {from}",
                    import.to,
                    import.file,
                    import.named.line,
                    import.named.written(),
                    import.to,
                ));
            }
        }
    }
    out
}

#[test]
fn no_files_within_a_module_folder_import_each_other_in_a_circle() {
    let files = library();
    let found: Vec<String> = NO_CIRCLES_WITHIN
        .iter()
        .flat_map(|folder| circles(&files, folder))
        .collect();
    assert!(
        found.is_empty(),
        "import circles (move what both need into a file of its own that imports neither):\n{}",
        found.join("\n")
    );
}

// The scan itself: each way of writing an import is seen, and nothing else is.

fn scan(path: &str, text: &str) -> Vec<String> {
    parse(path, source_scan::module_of(path), text)
        .paths
        .iter()
        .map(Named::written)
        .collect()
}

#[test]
fn a_grouped_import_of_the_view_is_a_crossing_named_with_its_line() {
    let file = parse(
        "src/update/navigate.rs",
        source_scan::module_of("src/update/navigate.rs"),
        "//! Moving around.\n\nuse crate::{\n    msg::Msg,\n    ui::{self, layout as l},\n};\n",
    );
    assert_eq!(
        scan(
            "src/update/navigate.rs",
            "use crate::{msg::Msg, ui::{self, layout as l}};"
        ),
        ["crate::msg::Msg", "crate::ui", "crate::ui::layout"]
    );
    let found = crossings(&[file]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with(
            "src/update/navigate.rs:3 names `crate::ui`: update may not import `crate::ui`"
        ),
        "{}",
        found[0]
    );
}

#[test]
fn paths_through_super_and_in_code_are_resolved_to_the_module_they_name() {
    assert_eq!(
        scan(
            "src/update/pointers.rs",
            "use super::super::ui::cell;\nfn f() { super::navigate::x(); crate::ui::cell::attempt(c); }"
        ),
        [
            "crate::ui::cell",
            "crate::update::navigate::x",
            "crate::ui::cell::attempt"
        ]
    );
    assert_eq!(
        scan(
            "src/ui/mod.rs",
            "pub mod widgets;\nuse widgets::{draw_block};\nuse ratatui::Frame;"
        ),
        ["crate::ui::widgets::draw_block"],
        "a relative path from a declared module is this crate's, another crate's path is not"
    );
}

#[test]
fn comments_strings_and_characters_name_no_module() {
    let text = "//! See [`crate::ui`].\n/* crate::sources /* nested */ crate::ui */\n\
                fn f<'a>(x: &'a str) -> char { let _ = \"crate::ui::format\"; \
                let _ = r#\"use crate::ui;\"#; '\"' }\nuse crate::model::Lock;";
    assert_eq!(scan("src/locks/actions.rs", text), ["crate::model::Lock"]);
}

#[test]
fn files_that_import_each_other_make_a_circle_and_a_shared_file_breaks_it() {
    let circle = [
        parse(
            "src/locks/mod.rs",
            vec!["locks".into()],
            "mod store; mod file_store;\npub use store::StoreError;",
        ),
        parse(
            "src/locks/store.rs",
            vec!["locks".into(), "store".into()],
            "use super::file_store::FileStore;",
        ),
        parse(
            "src/locks/file_store.rs",
            vec!["locks".into(), "file_store".into()],
            "use crate::locks::StoreError;",
        ),
    ];
    let found = circles(&circle, "locks");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains(
            "file_store imports store (src/locks/file_store.rs:1 names `crate::locks::StoreError`)"
        ),
        "{}",
        found[0]
    );
    let broken = [
        parse(
            "src/locks/mod.rs",
            vec!["locks".into()],
            "mod error; mod store; mod file_store;\npub use error::StoreError;",
        ),
        parse(
            "src/locks/store.rs",
            vec!["locks".into(), "store".into()],
            "use super::file_store::FileStore;\nuse super::error::StoreError;",
        ),
        parse(
            "src/locks/file_store.rs",
            vec!["locks".into(), "file_store".into()],
            "use crate::locks::StoreError;",
        ),
    ];
    assert_eq!(circles(&broken, "locks"), Vec::<String>::new());
    let nested = [
        parse(
            "src/sources/github/fetch.rs",
            source_scan::module_of("src/sources/github/fetch.rs"),
            "use super::source::Poller;",
        ),
        parse(
            "src/sources/github/source.rs",
            source_scan::module_of("src/sources/github/source.rs"),
            "fn f() { super::fetch::all(); }",
        ),
    ];
    assert_eq!(
        circles(&nested, "sources/github").len(),
        2,
        "a folder inside a folder"
    );
    assert_eq!(
        circles(&nested, "sources"),
        Vec::<String>::new(),
        "one file of sources/"
    );
}
