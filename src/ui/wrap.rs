//! Long lines of the help and the detail, wrapped at word boundaries with a hanging indent:
//! the continuation lines start under the text, not under the label.

use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `lines` wrapped to `width` columns. A line of a label and a text (two spans or more, the
/// first no wider than half the width) continues under the text; any other line continues
/// under its own leading spaces.
pub fn wrap_hanging(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(8));
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let first = line.spans.first().map_or(0, |s| s.content.width());
        let indent = if line.spans.len() >= 2 && first <= width / 2 {
            first
        } else {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            text.chars()
                .take_while(|c| *c == ' ')
                .count()
                .min(width / 2)
        };
        wrap_one(line, width, indent, &mut out);
    }
    out
}

fn wrap_one(line: Line<'static>, width: usize, indent: usize, out: &mut Vec<Line<'static>>) {
    let style = line.style;
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let push_line = |current: &mut Vec<Span<'static>>, out: &mut Vec<Line<'static>>| {
        out.push(Line::from(std::mem::take(current)).style(style));
    };
    for span in line.spans {
        let span_style = span.style;
        for word in words(&span.content) {
            let w = word.width();
            if used + w > width && used > indent {
                push_line(&mut current, out);
                current.push(Span::raw(" ".repeat(indent)));
                used = indent;
                if word.trim().is_empty() {
                    continue;
                }
            }
            // A word longer than the room left is cut where the line ends.
            let mut rest: &str = &word;
            while used + rest.width() > width {
                let room = width.saturating_sub(used).max(1);
                let cut = cut_at(rest, room);
                current.push(Span::styled(rest[..cut].to_string(), span_style));
                push_line(&mut current, out);
                current.push(Span::raw(" ".repeat(indent)));
                used = indent;
                rest = &rest[cut..];
            }
            if !rest.is_empty() {
                used += rest.width();
                current.push(Span::styled(rest.to_string(), span_style));
            }
        }
    }
    if !current.is_empty() {
        push_line(&mut current, out);
    }
}

/// Words with the spaces after them, so that joining them gives the text back.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_space = false;
    for c in text.chars() {
        if c == ' ' {
            in_space = true;
        } else if in_space {
            out.push(std::mem::take(&mut word));
            in_space = false;
        }
        word.push(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The byte index that keeps at most `room` columns of `text` (at least one character).
fn cut_at(text: &str, room: usize) -> usize {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > room && i > 0 {
            return i;
        }
        used += w;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_long_line_continues_under_its_text_not_under_its_label() {
        let line = Line::from(vec![
            Span::raw(" Reason    "),
            Span::raw("database migration of the orders table, expected to end at noon"),
        ]);
        let wrapped = text(&wrap_hanging(vec![line], 40));
        assert_eq!(
            wrapped,
            [
                " Reason    database migration of the ",
                "           orders table, expected to ",
                "           end at noon",
            ]
        );
    }

    #[test]
    fn short_lines_are_kept_and_a_word_longer_than_the_line_is_cut() {
        let long = Line::from(vec![Span::raw("  sha "), Span::raw("x".repeat(30))]);
        let wrapped = text(&wrap_hanging(vec![Line::raw("short"), long], 20));
        assert_eq!(wrapped[0], "short");
        assert!(wrapped[1..].iter().all(|l| l.width() <= 20), "{wrapped:?}");
        assert!(wrapped[2].starts_with("      x"), "{wrapped:?}");
    }
}
