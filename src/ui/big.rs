//! Large digits, three rows tall, for the wall display's counts and clock: readable across
//! a room, in any font, with block characters only.

/// Rows of one glyph, each three columns wide (the colon one).
fn glyph(c: char) -> [&'static str; 3] {
    match c {
        '0' => ["█▀█", "█ █", "▀▀▀"],
        '1' => ["▀█ ", " █ ", "▀▀▀"],
        '2' => ["▀▀█", "█▀▀", "▀▀▀"],
        '3' => ["▀▀█", " ▀█", "▀▀▀"],
        '4' => ["█ █", "▀▀█", "  ▀"],
        '5' => ["█▀▀", "▀▀█", "▀▀▀"],
        '6' => ["█▀▀", "█▀█", "▀▀▀"],
        '7' => ["▀▀█", "  █", "  ▀"],
        '8' => ["█▀█", "█▀█", "▀▀▀"],
        '9' => ["█▀█", "▀▀█", "▀▀▀"],
        ':' => [" ", "▪", "▪"],
        '?' => ["▀▀█", " █▀", " ▀ "],
        _ => ["   ", "   ", "   "],
    }
}

/// `text` (digits and colons) as three rows of large glyphs, one column apart.
pub fn big(text: &str) -> [String; 3] {
    let mut rows = [String::new(), String::new(), String::new()];
    for (i, c) in text.chars().enumerate() {
        for (row, part) in rows.iter_mut().zip(glyph(c)) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(part);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn big_text_is_three_even_rows() {
        let rows = big("14:03");
        assert!(
            rows.iter().all(|r| r.width() == rows[0].width()),
            "{rows:?}"
        );
        assert_eq!(rows[0].width(), 3 * 4 + 1 + 4);
        assert_eq!(big("7"), ["▀▀█".to_string(), "  █".into(), "  ▀".into()]);
    }
}
