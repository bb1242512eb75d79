//! The terminal: raw mode and the alternate screen on the way in, restored on the way out —
//! on quit, on error and on panic. Frames go out in one write, wrapped in synchronized output.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::{Frame, Terminal};

/// Start and end of a synchronized update: the terminal shows the frame whole or not at all.
const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";

/// Collects one frame's bytes; `flush` is a no-op so the frame leaves in one write.
#[derive(Clone, Default)]
struct FrameBuffer(Rc<RefCell<Vec<u8>>>);

impl Write for FrameBuffer {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The full-screen terminal. Dropping it restores the terminal.
pub struct Tui {
    terminal: Terminal<CrosstermBackend<FrameBuffer>>,
    frame: FrameBuffer,
    /// Bytes written to the terminal so far, for the logs.
    pub bytes_written: u64,
    pub frames_written: u64,
}

impl Tui {
    /// Enters raw mode and the alternate screen, and hides the cursor.
    pub fn enter() -> io::Result<Tui> {
        terminal::enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e);
        }
        let frame = FrameBuffer::default();
        let terminal = match Terminal::new(CrosstermBackend::new(frame.clone())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Tui {
            terminal,
            frame,
            bytes_written: 0,
            frames_written: 0,
        })
    }

    /// The terminal's size (columns, rows).
    pub fn size(&self) -> io::Result<(u16, u16)> {
        terminal::size()
    }

    /// Renders a frame and writes only the cells that changed, in one write. Writes nothing
    /// at all when no cell changed.
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        self.terminal.draw(render)?;
        let bytes = std::mem::take(&mut *self.frame.0.borrow_mut());
        if changes_nothing(&bytes) {
            return Ok(());
        }
        let mut out = Vec::with_capacity(bytes.len() + BEGIN_SYNC.len() + END_SYNC.len());
        out.extend_from_slice(BEGIN_SYNC);
        basic_colours(&bytes, &mut out);
        out.extend_from_slice(END_SYNC);
        let mut stdout = io::stdout().lock();
        stdout.write_all(&out)?;
        stdout.flush()?;
        self.bytes_written += out.len() as u64;
        self.frames_written += 1;
        Ok(())
    }

    /// Takes a new size: the next frame clears the screen and repaints every cell at that size.
    /// Asks the terminal nothing (ratatui's `clear` reads the cursor position, which blocks
    /// while the input thread owns stdin and then fails), so a resize can never end the board.
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, width, height))
    }
}

/// Copies a frame into `out`, writing the 16 ANSI colours as the basic SGR codes (30–37, 90–97
/// and 40–47, 100–107) rather than as 256-colour indices (`38;5;2`), which crossterm writes for
/// them: the same colours, understood by terminals that know only 16.
fn basic_colours(mut bytes: &[u8], out: &mut Vec<u8>) {
    while let Some(at) = bytes.windows(2).position(|w| w == b"\x1b[") {
        out.extend_from_slice(&bytes[..at]);
        let rest = &bytes[at + 2..];
        let params = rest
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        if rest.get(params) == Some(&b'm') {
            out.extend_from_slice(b"\x1b[");
            out.extend_from_slice(basic_sgr(&rest[..params]).as_bytes());
            out.push(b'm');
            bytes = &rest[params + 1..];
        } else {
            out.extend_from_slice(b"\x1b[");
            bytes = rest;
        }
    }
    out.extend_from_slice(bytes);
}

/// The parameters of one SGR sequence with `38;5;N` and `48;5;N` for N < 16 rewritten.
fn basic_sgr(params: &[u8]) -> String {
    let text = String::from_utf8_lossy(params);
    let parts: Vec<&str> = text.split(';').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let index = parts.get(i + 2).and_then(|n| n.parse::<u8>().ok());
        match (parts[i], parts.get(i + 1), index) {
            ("38", Some(&"5"), Some(n @ 0..16)) => {
                out.push(if n < 8 { 30 + n } else { 82 + n }.to_string());
                i += 3;
            }
            ("48", Some(&"5"), Some(n @ 0..16)) => {
                out.push(if n < 8 { 40 + n } else { 92 + n }.to_string());
                i += 3;
            }
            (other, ..) => {
                out.push(other.to_string());
                i += 1;
            }
        }
    }
    out.join(";")
}

/// Sequences the backend writes after every draw even when no cell changed: style resets
/// and hiding the (already hidden) cursor.
const NO_OP_SEQUENCES: [&[u8]; 5] = [
    b"\x1b[39m",
    b"\x1b[49m",
    b"\x1b[59m",
    b"\x1b[0m",
    b"\x1b[?25l",
];

/// Whether a frame's bytes leave the screen as it was: nothing, or only no-op sequences.
fn changes_nothing(mut bytes: &[u8]) -> bool {
    'strip: while !bytes.is_empty() {
        for seq in NO_OP_SEQUENCES {
            if let Some(rest) = bytes.strip_prefix(seq) {
                bytes = rest;
                continue 'strip;
            }
        }
        return false;
    }
    true
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen, shows the cursor and leaves raw mode. Safe to call twice,
/// and from a panic hook.
pub fn restore() {
    let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixteen_ansi_colours_are_written_as_basic_sgr_codes_and_others_are_kept() {
        let mut out = Vec::new();
        basic_colours(
            b"a\x1b[38;5;2mb\x1b[48;5;9mc\x1b[38;5;208md\x1b[1m\x1b[38;5;15;48;5;1m\x1b[2J",
            &mut out,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\x1b[32mb\x1b[101mc\x1b[38;5;208md\x1b[1m\x1b[97;41m\x1b[2J"
        );
    }

    #[test]
    fn a_frame_of_only_style_resets_changes_nothing_and_any_cell_does() {
        assert!(changes_nothing(b""));
        assert!(changes_nothing(b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[?25l"));
        assert!(!changes_nothing(
            b"\x1b[12;52H2\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[?25l"
        ));
    }
}
