//! Where each part of the screen goes, for any terminal size. Used by the view and by update
//! (paging needs the board's height), so both agree.

use ratatui::layout::Rect;

/// The screen's regions. Panels beside each other on wide screens, one at a time on narrow ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub board: Rect,
    /// In flight, recent, locks: all three, or one (the others empty) when narrow.
    pub panels: Rect,
    pub status: Rect,
    /// Panels are shown side by side.
    pub side_by_side: bool,
}

/// Width from which the three panels fit side by side.
pub const WIDE: u16 = 180;

/// Lays out a screen of `area` for a board of `board_rows` lines (services and team
/// headings); `wall` gives the header more room. The board takes what its rows need, up to
/// two thirds of the screen, and the panels below take the rest.
pub fn areas(area: Rect, wall: bool, board_rows: usize) -> Areas {
    // A wall display's header holds large digits when there is room for them.
    let header_h = match (wall, area.height) {
        (true, h) if h >= 30 => 6,
        (true, _) => 3,
        (false, _) => 1,
    }
    .min(area.height);
    let status_h = u16::from(area.height > header_h);
    let rest = area.height - header_h - status_h;
    let board_wants = u16::try_from(board_rows)
        .unwrap_or(u16::MAX)
        .saturating_add(3)
        .max(6);
    let panels_h = if rest < 14 {
        0
    } else {
        (rest / 3)
            .clamp(7, 14)
            .max(rest.saturating_sub(board_wants))
    };
    let board_h = rest - panels_h;
    let x = area.x;
    let w = area.width;
    let mut y = area.y;
    let header = Rect::new(x, y, w, header_h);
    y += header_h;
    let board = Rect::new(x, y, w, board_h);
    y += board_h;
    let panels = Rect::new(x, y, w, panels_h);
    y += panels_h;
    let status = Rect::new(x, y, w, status_h);
    Areas {
        header,
        board,
        panels,
        status,
        side_by_side: w >= WIDE,
    }
}

/// Rows of services the board shows at once (inside its border, below the column headings).
pub fn board_body_height(width: u16, height: u16, wall: bool, board_rows: usize) -> usize {
    let a = areas(Rect::new(0, 0, width, height), wall, board_rows);
    a.board.height.saturating_sub(3) as usize
}

/// Splits the panels area into three columns.
pub fn three_columns(area: Rect) -> [Rect; 3] {
    let w = area.width / 3;
    let last = area.width - 2 * w;
    [
        Rect::new(area.x, area.y, w, area.height),
        Rect::new(area.x + w, area.y, w, area.height),
        Rect::new(area.x + 2 * w, area.y, last, area.height),
    ]
}

/// A centred rectangle of at most `width` × `height` inside `area`; on a screen not much
/// larger than that, the whole area (a margin there would only waste columns).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let fit = |want: u16, have: u16| {
        if have <= want.saturating_add(4) {
            have
        } else {
            want
        }
    };
    let w = fit(width, area.width).max(1);
    let h = fit(height, area.height).max(1);
    Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_fits_and_nothing_overlaps_at_any_size() {
        for (w, h) in [(80, 24), (200, 50), (40, 10), (20, 3), (1, 1), (420, 120)] {
            for rows in [0, 3, 12, 500] {
                let a = areas(Rect::new(0, 0, w, h), false, rows);
                let total = a.header.height + a.board.height + a.panels.height + a.status.height;
                assert_eq!(total, h, "{w}x{h}");
                assert!(a.board.y >= a.header.bottom() && a.panels.y >= a.board.bottom());
            }
        }
    }

    #[test]
    fn an_80_by_24_screen_shows_twelve_services_and_the_panels() {
        let a = areas(Rect::new(0, 0, 80, 24), false, 500);
        assert_eq!(board_body_height(80, 24, false, 500), 12);
        assert_eq!(a.panels.height, 7);
        assert!(!a.side_by_side);
    }

    #[test]
    fn a_short_board_gives_its_spare_lines_to_the_panels() {
        let a = areas(Rect::new(0, 0, 200, 50), false, 12);
        assert_eq!(a.board.height, 15);
        assert_eq!(a.panels.height, 33);
        let big = areas(Rect::new(0, 0, 200, 50), false, 500);
        assert_eq!(big.panels.height, 14);
    }
}
