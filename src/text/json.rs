//! JSON for a terminal: pretty-printed by serde, with the characters serde leaves raw (DEL, C1
//! controls, bidirectional controls, line and paragraph separators) written as `\uXXXX`
//! escapes. The document is unchanged for a parser; only its bytes are safe to show.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// A pretty formatter that escapes what could act on a terminal inside strings.
struct SafeFormatter<'a>(PrettyFormatter<'a>);

fn needs_escape(c: char) -> bool {
    c.is_control() || super::is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

impl Formatter for SafeFormatter<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| needs_escape(*c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON with a final newline, safe to print to a terminal.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::with_capacity(4096);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut bytes, SafeFormatter(PrettyFormatter::new()));
    value.serialize(&mut ser)?;
    bytes.push(b'\n');
    // serde_json writes UTF-8 and the escapes above are ASCII.
    String::from_utf8(bytes).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_their_value_and_lose_their_raw_controls() {
        let hostile = "x\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}\u{7f}\nend";
        let text = to_string_pretty(&serde_json::json!({"reason": hostile, "n": [1, 2]})).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(!text.contains('\u{202e}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["reason"], hostile, "the value is exact");
        assert_eq!(
            text,
            serde_json::to_string_pretty(&back).unwrap().replace(
                "\\u001b]0;pwned\\u0007\u{9b}2J\u{202e}\u{7f}",
                "\\u001b]0;pwned\\u0007\\u009b2J\\u202e\\u007f"
            ) + "\n",
            "the layout is serde's own"
        );
    }
}
