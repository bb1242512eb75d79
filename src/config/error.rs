//! Configuration errors that point at the file, line and column, and say what was expected.

use std::fmt;

/// A configuration problem, located in its file. Printed as `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem is not tied to a line (the file cannot be read).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    pub fn at(file: &str, (line, column): (usize, usize), message: impl Into<String>) -> Self {
        ConfigError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// From serde_yaml: its message already names the field path ("services[2].team: ...").
    pub fn from_yaml(file: &str, error: &serde_yaml::Error) -> Self {
        let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
        let mut message = error.to_string();
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        if let Some(rest) = message.strip_prefix('.') {
            message = rest.to_string();
        }
        ConfigError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Finds where `value` is written in the `section` of a YAML text, for errors found after
/// parsing (a reference to an unknown environment, a duplicate name). Returns 1-based
/// (line, column); the section's own line when the value is not found; (1, 1) at worst.
pub fn locate(text: &str, section: &str, value: &str) -> (usize, usize) {
    let header = format!("{section}:");
    let mut in_section = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with('#') && !trimmed.is_empty() {
            in_section = trimmed.starts_with(&header).then_some(i + 1);
            if in_section.is_none() {
                continue;
            }
        }
        if in_section.is_some() && !value.is_empty() && !trimmed.starts_with('#') {
            let body = line.split(" #").next().unwrap_or(line);
            if let Some(col) = find_scalar(body, value) {
                return (i + 1, col + 1);
            }
        }
    }
    text.lines()
        .position(|l| l.starts_with(&header))
        .map_or((1, 1), |i| (i + 1, 1))
}

/// Finds where a scalar that begins with `needle` is written in `section` (a value written
/// with escapes, whose parsed form is not in the text): a quoted scalar first, then the text
/// anywhere. The section's own line when there is none, or `needle` is empty.
pub fn locate_text(text: &str, section: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return locate(text, section, "");
    }
    let quoted = [
        format!("\"{needle}"),
        format!("'{needle}"),
        needle.to_string(),
    ];
    for wanted in &quoted {
        let header = format!("{section}:");
        let mut in_section = false;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if line.len() == trimmed.len() && !trimmed.starts_with('#') && !trimmed.is_empty() {
                in_section = trimmed.starts_with(&header);
            }
            if in_section && let Some(col) = line.find(wanted.as_str()) {
                return (i + 1, col + 1);
            }
        }
    }
    locate(text, section, "")
}

/// Column of `value` in `line` when it stands there as a whole YAML scalar or key.
fn find_scalar(line: &str, value: &str) -> Option<usize> {
    let mut start = 0;
    while let Some(pos) = line[start..].find(value) {
        let at = start + pos;
        let before = line[..at].chars().next_back();
        let after = line[at + value.len()..].chars().next();
        let edge = |c: Option<char>| {
            c.is_none_or(|c| {
                c.is_whitespace()
                    || matches!(c, ':' | '"' | '\'' | ',' | '[' | ']' | '{' | '}' | '-')
            })
        };
        if edge(before) && edge(after) {
            return Some(at);
        }
        start = at + value.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_a_value_inside_its_section_only() {
        let text = "environments:\n  - name: staging\nservices:\n  - name: api\n    environments:\n      staging: {}\n      prod: {}\n";
        assert_eq!(locate(text, "services", "prod"), (7, 7));
        assert_eq!(locate(text, "services", "staging"), (6, 7));
        assert_eq!(locate(text, "environments", "staging"), (2, 11));
        assert_eq!(locate(text, "services", "nowhere"), (3, 1));
        assert_eq!(locate(text, "keys", "x"), (1, 1));
    }

    #[test]
    fn a_yaml_error_keeps_its_field_path_and_loses_the_duplicate_location() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            name: String,
        }
        let err = serde_yaml::from_str::<Vec<S>>("- name: a\n- nme: b\n").unwrap_err();
        let e = ConfigError::from_yaml("x.yaml", &err);
        assert_eq!((e.line, e.column), (2, 3));
        assert!(
            e.message.starts_with("[1]: unknown field `nme`"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("at line"));
        assert!(e.to_string().starts_with("x.yaml:2:3: "));
    }
}
