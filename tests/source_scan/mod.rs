//! Reads the library's source files and lists the crate paths each one names, resolved to the
//! module they point at: every `use` tree expanded (`use crate::{msg, ui::Drawn}` names
//! `ui::Drawn`), and every `crate::`, `super::` and `self::` path in code. Comments, strings
//! and character literals name nothing. Used by the tests that keep the import walls standing.

use std::path::{Path, PathBuf};

/// One source file of the library, as the module it is.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the crate: "src/update/navigate.rs".
    pub path: String,
    /// The module it is, from the crate's root: `["update", "navigate"]`.
    pub module: Vec<String>,
    /// Every crate path it names.
    pub paths: Vec<Named>,
}

/// One crate path a file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub line: usize,
    /// From the crate's root: `["ui", "format", "span"]`.
    pub path: Vec<String>,
    /// The name it binds (a `use` item: its last segment or its alias); empty in code.
    pub bound: String,
    /// A `pub use` (a re-export).
    pub public: bool,
}

impl Named {
    /// The path as written from the crate's root: "crate::ui::format::span".
    pub fn written(&self) -> String {
        format!("crate::{}", self.path.join("::"))
    }
}

/// Every `.rs` file of the library under `<crate>/src` (not the binary's `main.rs`), sorted.
pub fn library() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.sort();
    let mut texts = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        if relative == "src/main.rs" || relative.starts_with("src/bin/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        texts.push((relative, text));
    }
    // `#[path = "x_tests.rs"] mod tests;` makes x_tests.rs the module `…::x::tests`.
    let mut placed: Vec<(String, Vec<String>)> = Vec::new();
    for (path, text) in &texts {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        for (file, name) in path_attributes(text) {
            let mut module = module_of(path);
            module.push(name);
            placed.push((format!("{dir}/{file}"), module));
        }
    }
    texts
        .iter()
        .map(|(path, text)| {
            let module = (placed.iter())
                .find(|(p, _)| p == path)
                .map_or_else(|| module_of(path), |(_, m)| m.clone());
            parse(path, module, text)
        })
        .collect()
}

/// The `#[path = "file"] mod name;` declarations of `text`: (file, name).
fn path_attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[path = \"") {
        rest = &rest[at + 10..];
        let Some((file, after)) = rest.split_once('"') else {
            break;
        };
        let name = after
            .split_once("mod ")
            .map(|(_, n)| n.chars().take_while(|&c| is_ident(c)).collect::<String>());
        if let Some(name) = name {
            out.push((file.to_string(), name));
        }
        rest = after;
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file under `src/` is by its place: `src/lib.rs` is the root, `src/x/mod.rs`
/// and `src/x.rs` are `x`.
pub fn module_of(path: &str) -> Vec<String> {
    let inner = path.trim_start_matches("src/").trim_end_matches(".rs");
    let mut module: Vec<String> = inner.split('/').map(str::to_string).collect();
    match module.last().map(String::as_str) {
        Some("lib") if module.len() == 1 => module.clear(),
        Some("mod") => {
            module.pop();
        }
        _ => {}
    }
    module
}

/// The crate paths `text` (the file at `path`, the module `module`) names.
pub fn parse(path: &str, module: Vec<String>, text: &str) -> SourceFile {
    let code: Vec<char> = code_only(text).chars().collect();
    let children = child_modules(&code);
    let mut paths = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if starts_word(&code, i, "use") && code.get(i + 3).is_some_and(|c| c.is_whitespace()) {
            let end = statement_end(&code, i + 3);
            let tree: String = code[i + 3..end].iter().collect();
            let line = line_at(&code, i);
            let public = is_public(&code, i);
            for (segments, bound) in expand(&tree) {
                if let Some(path) = resolve(&module, &children, &segments, true) {
                    paths.push(Named {
                        line,
                        path,
                        bound,
                        public,
                    });
                }
            }
            i = end;
            continue;
        }
        let start = ["crate", "super", "self"]
            .into_iter()
            .find(|w| starts_word(&code, i, w) && code[i + w.len()..].starts_with(&[':', ':']));
        if start.is_some() {
            let (segments, end) = read_path(&code, i);
            if let Some(path) = resolve(&module, &children, &segments, false) {
                paths.push(Named {
                    line: line_at(&code, i),
                    path,
                    bound: String::new(),
                    public: false,
                });
            }
            i = end;
            continue;
        }
        i += 1;
    }
    SourceFile {
        path: path.to_string(),
        module,
        paths,
    }
}

/// `text` with every comment, string and character literal blanked (line breaks kept, so
/// lines still count right).
pub fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        let after_word = i > 0 && is_ident(c[i - 1]);
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if c[i] == 'r' && !after_word && matches!(next, Some('"' | '#')) {
            // A raw string: r"…", r#"…"#.
            let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
            if c.get(i + 1 + hashes) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut j = i + 2 + hashes;
            while j < c.len() && !c[j..].starts_with(&close) {
                j += 1;
            }
            let end = (j + close.len()).min(c.len());
            for &ch in &c[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(c.len());
            for &ch in &c[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{1b}'); anything else is a lifetime.
            let end = if next == Some('\\') {
                c[i + 2..]
                    .iter()
                    .position(|&ch| ch == '\'')
                    .map(|p| i + 3 + p)
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for &ch in &c[i..end] {
                        blank(&mut out, ch);
                    }
                    i = end;
                }
                None => {
                    out.push(c[i]);
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `word` starts at `i`, as a whole word (not part of a longer name or path).
fn starts_word(code: &[char], i: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    code[i..].starts_with(&w)
        && (i == 0 || !(is_ident(code[i - 1]) || code[i - 1] == ':' || code[i - 1] == '$'))
        && code.get(i + w.len()).is_none_or(|&c| !is_ident(c))
}

fn line_at(code: &[char], i: usize) -> usize {
    1 + code[..i].iter().filter(|&&c| c == '\n').count()
}

/// The `use` at `i` is `pub` or `pub(…)`.
fn is_public(code: &[char], i: usize) -> bool {
    let before: String = code[..i].iter().collect();
    let before = before.trim_end();
    let before = match before.strip_suffix(')') {
        Some(rest) => rest
            .rsplit_once('(')
            .map_or(rest, |(head, _)| head)
            .trim_end(),
        None => before,
    };
    before.ends_with("pub")
        && before[..before.len() - 3]
            .chars()
            .last()
            .is_none_or(|c| !is_ident(c))
}

/// Where the statement from `from` ends: its `;` outside braces.
fn statement_end(code: &[char], from: usize) -> usize {
    let mut depth = 0i32;
    for (j, &c) in code.iter().enumerate().skip(from) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ';' if depth <= 0 => return j,
            _ => {}
        }
    }
    code.len()
}

/// `a::b::c` from `i`: its segments and where it ends.
fn read_path(code: &[char], mut i: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    loop {
        let start = i;
        while i < code.len() && is_ident(code[i]) {
            i += 1;
        }
        if i == start {
            break;
        }
        segments.push(code[start..i].iter().collect());
        if code[i..].starts_with(&[':', ':']) && code.get(i + 2).is_some_and(|&c| is_ident(c)) {
            i += 2;
        } else {
            break;
        }
    }
    (segments, i)
}

/// The modules `code` declares (`mod x;`, `pub mod x { … }`): relative `use` paths start there.
fn child_modules(code: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..code.len() {
        if starts_word(code, i, "mod") {
            let (name, _) = read_path(code, skip_space(code, i + 3));
            if let [name] = name.as_slice() {
                out.push(name.clone());
            }
        }
    }
    out
}

fn skip_space(code: &[char], mut i: usize) -> usize {
    while i < code.len() && code[i].is_whitespace() {
        i += 1;
    }
    i
}

/// The segments a path written in `module` points at from the crate's root; `None` for
/// another crate's path (std, ratatui, …) or one that leaves the crate.
fn resolve(
    module: &[String],
    children: &[String],
    segments: &[String],
    in_use: bool,
) -> Option<Vec<String>> {
    let first = segments.first()?;
    let mut base: Vec<String> = module.to_vec();
    let mut rest = segments;
    match first.as_str() {
        "crate" => {
            base.clear();
            rest = &segments[1..];
        }
        "self" => rest = &segments[1..],
        "super" => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        name if in_use && children.iter().any(|c| c == name) => {}
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Colons,
    Open,
    Close,
    Comma,
}

fn tokens(tree: &str) -> Vec<Token> {
    let c: Vec<char> = tree.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let single = match c[i] {
            '{' => Some(Token::Open),
            '}' => Some(Token::Close),
            ',' => Some(Token::Comma),
            '*' => Some(Token::Name("*".to_string())),
            _ => None,
        };
        if let Some(token) = single {
            out.push(token);
            i += 1;
        } else if c[i..].starts_with(&[':', ':']) {
            out.push(Token::Colons);
            i += 2;
        } else if is_ident(c[i]) {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(Token::Name(c[start..i].iter().collect()));
        } else {
            i += 1;
        }
    }
    out
}

/// The paths a `use` tree names, each with the name it binds:
/// `crate::{msg::Msg, ui::{self, Ctx as C}}` → `crate::msg::Msg` (Msg), `crate::ui` (ui),
/// `crate::ui::Ctx` (C).
pub fn expand(tree: &str) -> Vec<(Vec<String>, String)> {
    let tokens = tokens(tree);
    let mut out = Vec::new();
    let mut pos = 0;
    if tokens.first() == Some(&Token::Colons) {
        pos = 1; // `use ::std::…`: another crate
    }
    use_tree(&tokens, &mut pos, Vec::new(), &mut out);
    out
}

fn use_tree(
    tokens: &[Token],
    pos: &mut usize,
    mut path: Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    loop {
        match tokens.get(*pos) {
            Some(Token::Name(name)) => {
                path.push(name.clone());
                *pos += 1;
            }
            Some(Token::Open) => {
                *pos += 1;
                loop {
                    match tokens.get(*pos) {
                        Some(Token::Close) => {
                            *pos += 1;
                            return;
                        }
                        Some(Token::Comma) => *pos += 1,
                        None => return,
                        Some(_) => use_tree(tokens, pos, path.clone(), out),
                    }
                }
            }
            _ => return,
        }
        if tokens.get(*pos) == Some(&Token::Colons) {
            *pos += 1;
        } else {
            break;
        }
    }
    let mut bound = path.last().cloned().unwrap_or_default();
    if tokens.get(*pos) == Some(&Token::Name("as".to_string())) {
        if let Some(Token::Name(alias)) = tokens.get(*pos + 1) {
            bound = alias.clone();
        }
        *pos += 2;
    }
    if path.len() > 1 && path.last().is_some_and(|s| s == "self") {
        path.pop();
        if bound == "self" {
            bound = path.last().cloned().unwrap_or_default();
        }
    }
    out.push((path, bound));
}
