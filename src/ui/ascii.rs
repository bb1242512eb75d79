//! The ASCII screen: with the ASCII glyph set, every character drawn is rewritten to plain
//! ASCII as the last step of a frame, so no border, bar, mark or name from outside can slip a
//! byte past a terminal or font that shows only ASCII.

use ratatui::buffer::Buffer;

/// The ASCII look-alike of a character, `?` when it has none.
pub fn ascii_of(c: char) -> char {
    match c {
        c if c.is_ascii() => c,
        // Box drawing: corners and crossings, horizontals, verticals.
        '┌' | '┐' | '└' | '┘' | '┏' | '┓' | '┗' | '┛' | '╭' | '╮' | '╯' | '╰' | '├' | '┤' | '┬'
        | '┴' | '┼' | '┣' | '┫' | '┳' | '┻' | '╋' => '+',
        '─' | '━' | '═' | '╌' | '┄' => '-',
        '│' | '┃' | '║' | '▏' | '▕' => '|',
        // Blocks, bars and the big digits.
        '█' | '▓' | '▌' | '▐' => '#',
        '▀' => '"',
        '▄' | '▁' => '_',
        '░' | '▒' | '·' | '•' | '▪' | '∙' => '.',
        // Arrows, marks and punctuation.
        '›' | '→' | '▸' | '▶' | '»' | '⇢' => '>',
        '‹' | '←' | '«' => '<',
        '↓' => 'v',
        '↑' => '^',
        '…' => '~',
        '—' | '–' | '‐' | '−' => '-',
        '“' | '”' | '„' => '"',
        '‘' | '’' | '‚' => '\'',
        '≥' => '>',
        '≤' => '<',
        '×' => 'x',
        '\u{a0}' => ' ',
        _ => '?',
    }
}

/// Rewrites every cell of `buf` to ASCII. A wide character's cell and its continuation become
/// `?` and a space, so columns stay where they were.
pub fn to_ascii(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let mut chars = symbol.chars();
        let first = chars.next().map_or(' ', ascii_of);
        let mut text = [0u8; 4];
        cell.set_symbol(first.encode_utf8(&mut text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borders_bars_marks_and_foreign_letters_become_ascii() {
        let text: String = "┏━┓│█░›…—é".chars().map(ascii_of).collect();
        assert_eq!(text, "+-+|#.>~-?");
    }
}
