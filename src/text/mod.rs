//! Text from outside made safe to print: lock reasons, names from the configuration, API data
//! and error bodies may hold terminal escapes (a title change, an OSC 52 clipboard write, a
//! screen clear) or line breaks that forge lines in a CI log. Every text command writes through
//! [`SafeOut`], which makes control characters visible; fields that must stay on one line go
//! through [`one_line`] as well. JSON stays exact: [`json`] only escapes what serde leaves raw.

pub mod json;

use std::borrow::Cow;
use std::fmt;
use std::io;

/// Whether `c` is a control character that text from outside must not carry to a terminal:
/// C0 (but not '\n'), DEL, C1, and the bidirectional controls that reorder what is shown.
fn is_hidden_control(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The bidirectional formatting controls (overrides, embeddings, isolates, marks).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether [`one_line`] would change the character `c`.
pub fn is_control_char(c: char) -> bool {
    c == '\n' || is_hidden_control(c)
}

/// Whether `text` holds anything [`one_line`] would change: a control character (line breaks
/// and tabs included) or a bidirectional control. For refusing such input.
pub fn has_control(text: &str) -> bool {
    text.chars().any(is_control_char)
}

/// The visible form of one hidden character: `^[` for ESC (caret notation for C0 and DEL, as
/// `cat -v` shows them), `\n`, `\r`, `\t` for line breaks and tabs, `\u{9b}` for the rest.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{7f}' => out.push_str("^?"),
        c if (c as u32) < 0x20 => {
            out.push('^');
            // C0 in caret notation: 0x1b → '[' (0x5b). Below 0x20, so the sum stays ASCII.
            out.push(char::from(b'@'.saturating_add(c as u8)));
        }
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

fn escape(text: &str, hide: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&hide) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hide(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every control character except '\n' made visible (`\e` → `^[`), and the
/// bidirectional controls too (`\u{202e}`).
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, is_hidden_control)
}

/// `text` for a field that must stay on one line (a reason, a name, a version, an error):
/// as [`visible`], and '\n', '\r' and '\t' shown as `\n`, `\r`, `\t`.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || is_hidden_control(c))
}

/// `text` for a log file: as [`visible`], and every line break but a final one shown as `\n`,
/// so a field from outside cannot forge a log line.
pub fn log_record(text: &str) -> Cow<'_, str> {
    match text.strip_suffix('\n') {
        Some(body) => match one_line(body) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(mut body) => {
                body.push('\n');
                Cow::Owned(body)
            }
        },
        None => one_line(text),
    }
}

/// A text stream (stdout or stderr) that makes control characters visible in everything
/// written to it: the one way text commands print. Write with `write!`/`writeln!`.
pub struct SafeOut<W: io::Write> {
    inner: W,
    /// The first error of the underlying stream, kept for `finish`.
    error: Option<io::Error>,
}

impl<W: io::Write> SafeOut<W> {
    pub fn new(inner: W) -> SafeOut<W> {
        SafeOut { inner, error: None }
    }

    /// Writes `text` (made visible) as it is.
    pub fn text(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(e) = self.inner.write_all(visible(text).as_bytes())
        {
            self.error = Some(e);
        }
    }

    /// Flushes; the first write error, if any (a closed pipe).
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.inner.flush()
    }
}

impl SafeOut<io::Stdout> {
    pub fn stdout() -> SafeOut<io::Stdout> {
        SafeOut::new(io::stdout())
    }
}

impl SafeOut<io::Stderr> {
    pub fn stderr() -> SafeOut<io::Stderr> {
        SafeOut::new(io::stderr())
    }
}

impl<W: io::Write> fmt::Write for SafeOut<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    const HOSTILE: &str =
        "x\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7}\u{9b}31m\u{202e}dlrow\u{7f}";

    fn clean(text: &str) -> bool {
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || is_bidi_control(c))
    }

    #[test]
    fn escapes_c1_controls_and_bidi_overrides_are_made_visible() {
        let shown = visible(HOSTILE);
        assert!(clean(&shown), "{shown:?}");
        assert_eq!(
            shown,
            "x^[]0;pwned^G^[[2J^[]52;c;cHduZWQ=^G\\u{9b}31m\\u{202e}dlrow^?"
        );
    }

    #[test]
    fn one_line_shows_line_breaks_and_tabs_and_visible_keeps_newlines() {
        assert_eq!(one_line("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(visible("a\nb\r"), "a\nb\\r");
        assert_eq!(log_record("one\nforged line\n"), "one\\nforged line\n");
        assert!(matches!(one_line("plain text ✓ ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn has_control_finds_what_one_line_would_change() {
        assert!(has_control("a\tb") && has_control("a\u{2066}b") && has_control("\u{85}"));
        assert!(!has_control("checkout@production — ok ✓"));
    }

    #[test]
    fn safe_out_makes_everything_written_visible() {
        let mut out = SafeOut::new(Vec::new());
        writeln!(out, "reason: {HOSTILE}").unwrap();
        let bytes = out.inner.clone();
        let text = String::from_utf8(bytes).unwrap();
        assert!(clean(&text), "{text:?}");
        assert!(text.ends_with('\n'));
        out.finish().unwrap();
    }
}
