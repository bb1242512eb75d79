//! Draws one board cell: its pieces ([`crate::present::cell`]), fitted to the column, in the
//! theme's styles.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::Ctx;
use super::widgets::put;
use crate::model::Cell;
use crate::present::cell::{fit, pieces};
use crate::theme::Role;

/// Draws one cell in `area` (one row); `cursor` gives it the selection style.
pub fn render(ctx: &Ctx, cell: &Cell, area: Rect, cursor: bool, buf: &mut Buffer) {
    let theme = ctx.theme;
    let base = if cursor {
        theme.style(Role::Selection)
    } else {
        Style::default()
    };
    if cursor {
        buf.set_style(area, base);
    }
    let style = |role: Role| {
        let s = theme.style(role);
        if cursor { s.patch(base) } else { s }
    };
    let mut x = area.x;
    let right = area.right();
    let (now, step) = (ctx.model.now, ctx.model.settings.age_step_secs());
    for (i, p) in fit(pieces(cell, theme.glyphs, now, step), area.width as usize)
        .iter()
        .enumerate()
    {
        if i > 0 && !p.joined {
            x += 1;
        }
        if x >= right {
            break;
        }
        x += put(buf, x, area.y, right - x, &p.text, style(p.role));
    }
}
