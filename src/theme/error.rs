//! Errors from loading and parsing themes.

use std::fmt;

use super::role::Role;

/// A theme could not be found, read or parsed.
///
/// Displays as `ORIGIN:LINE:COLUMN: CONTEXT: PROBLEM`, for example
/// ``themes/x.yaml:4:5: role `ok`: unknown colour `gren` (expected …)``.
#[derive(Debug)]
pub struct ThemeError {
    origin: String,
    location: Option<(usize, usize)>,
    message: String,
    source: Option<std::io::Error>,
}

impl ThemeError {
    /// An error with no file position (unknown theme, bad name).
    pub(crate) fn plain(origin: impl Into<String>, message: impl Into<String>) -> Self {
        ThemeError {
            origin: origin.into(),
            location: None,
            message: message.into(),
            source: None,
        }
    }

    /// A file that exists but could not be read.
    pub(crate) fn io(origin: impl Into<String>, err: std::io::Error) -> Self {
        ThemeError {
            origin: origin.into(),
            location: None,
            message: format!("cannot read theme file: {err}"),
            source: Some(err),
        }
    }

    /// Turns a serde_yaml error into one that names the file, position and role.
    pub(crate) fn from_yaml(origin: &str, err: &serde_yaml::Error) -> Self {
        let location = err.location().map(|l| (l.line(), l.column()));
        let mut text = err.to_string();
        if let Some((line, column)) = location {
            // serde_yaml appends " at line L column C"; we print the position up front.
            let suffix = format!(" at line {line} column {column}");
            if let Some(at) = text.find(&suffix) {
                text.replace_range(at..at + suffix.len(), "");
            }
        }
        ThemeError {
            origin: origin.to_owned(),
            location,
            message: with_friendly_path(&text),
            source: None,
        }
    }

    /// Where the theme came from: a file path, or `built-in NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// 1-based line of the problem, when known.
    pub fn line(&self) -> Option<usize> {
        self.location.map(|(line, _)| line)
    }

    /// 1-based column of the problem, when known.
    pub fn column(&self) -> Option<usize> {
        self.location.map(|(_, column)| column)
    }

    /// The problem, without the origin and position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// serde_yaml prefixes messages with a dotted path such as `ok.fg: `; rewrite it
/// as ``role `ok`, field `fg`: `` (or ``key `glyphs`: ``).
fn with_friendly_path(text: &str) -> String {
    let Some((path, rest)) = text.split_once(": ") else {
        return text.to_owned();
    };
    let looks_like_path = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '?'));
    if !looks_like_path {
        return text.to_owned();
    }
    let mut segments = path.split('.');
    let first = segments.next().unwrap_or_default();
    let mut context = match Role::from_name(first) {
        Some(role) => format!("role `{role}`"),
        None => format!("key `{first}`"),
    };
    for segment in segments {
        context.push_str(&format!(", field `{segment}`"));
    }
    format!("{context}: {rest}")
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.origin.is_empty() {
            f.write_str(&self.origin)?;
            if let Some((line, column)) = self.location {
                write!(f, ":{line}:{column}")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ThemeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
