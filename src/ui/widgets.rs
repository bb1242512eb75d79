//! Small drawing helpers shared by the panels: text put at a width, bars, bordered blocks.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, BorderType, Borders, Widget};
use unicode_width::UnicodeWidthStr;

use crate::theme::{Role, Theme};

/// Writes `text` at (x, y), cut to `width` columns with an ellipsis when it does not fit.
/// Returns the columns used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style) -> u16 {
    if width == 0 {
        return 0;
    }
    let text_width = text.width();
    if text_width <= width as usize {
        let (end, _) = buf.set_stringn(x, y, text, width as usize, style);
        return end - x;
    }
    let (end, _) = buf.set_stringn(x, y, text, width as usize - 1, style);
    buf.set_stringn(end, y, "…", 1, style);
    end + 1 - x
}

/// A text progress bar: "███░░░ 45%".
pub fn progress_bar(progress: f32, width: usize) -> String {
    let p = progress.clamp(0.0, 1.0);
    let label = format!(" {:>3.0}%", p * 100.0);
    let bar = width.saturating_sub(label.len());
    let filled = (p * bar as f32).round() as usize;
    format!(
        "{}{}{label}",
        "█".repeat(filled),
        "░".repeat(bar - filled.min(bar))
    )
}

/// A bordered panel with its title; focused panels get the focused border.
pub fn panel<'a>(title: &'a str, focused: bool, theme: &Theme) -> Block<'a> {
    let border = if focused {
        theme.style(Role::BorderFocused)
    } else {
        theme.style(Role::Border)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(border)
        .title(title)
        .title_style(theme.style(Role::Title))
}

/// Draws a block and returns the area inside it.
pub fn draw_block(block: Block<'_>, area: Rect, buf: &mut Buffer) -> Rect {
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// One line of a list panel: cells of the given widths, the last one takes the rest. When
/// the line is narrower than the widths ask for, every column shrinks in proportion (to 3
/// columns at least) so each keeps a visible start.
pub fn columns(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    cells: &[(&str, u16, Style)],
    row_style: Option<Style>,
) {
    if let Some(style) = row_style {
        buf.set_style(Rect::new(area.x, y, area.width, 1), style);
    }
    const LAST_MIN: u32 = 10;
    let asked: u32 = cells
        .iter()
        .rev()
        .skip(1)
        .map(|(_, w, _)| u32::from(*w))
        .sum();
    let room = u32::from(area.width).saturating_sub(LAST_MIN);
    let scale = |w: u16| -> u16 {
        if asked <= room || asked == 0 || w <= 3 {
            w
        } else {
            ((u32::from(w) * room / asked) as u16).max(3)
        }
    };
    let mut x = area.x;
    let right = area.x + area.width;
    for (i, (text, width, style)) in cells.iter().enumerate() {
        if x >= right {
            break;
        }
        let last = i + 1 == cells.len();
        let w = if last {
            right - x
        } else {
            scale(*width).min(right - x)
        };
        let style = row_style.map_or(*style, |r| style.patch(r));
        put(buf, x, y, w.saturating_sub(u16::from(!last)), text, style);
        x += w;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_bar_fills_its_width() {
        assert_eq!(progress_bar(0.5, 10), "███░░  50%");
        assert_eq!(progress_bar(2.0, 9), "████ 100%");
    }
}
