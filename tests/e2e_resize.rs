//! End to end: resizing the terminal while the board runs never ends or freezes it, and the
//! board is redrawn whole at the final size — once, and after fifty resizes in a row.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod pty;

use std::time::Duration;

use pty::Session;

/// The board fills a `cols` × `rows` screen: the header on the first row, the status bar on
/// the last, and the board's border reaching the right edge.
fn fills(screen: &vt100::Screen, cols: u16, rows: u16) -> bool {
    let row = |r: u16| screen.contents_between(r, 0, r, cols);
    let top_right = screen.cell(1, cols - 1).map(|c| c.contents());
    row(0).starts_with("shiproom")
        && row(rows - 1).contains("DEMO")
        && matches!(top_right, Some("┓" | "┐"))
        && screen.size() == (rows, cols)
}

#[test]
fn a_resize_redraws_the_board_at_the_new_size_and_it_keeps_running() {
    let mut s = Session::start(&["--demo"], 160, 48, &[]);
    s.wait_until("the board at 160x48", |sc| fills(sc, 160, 48));
    s.resize(100, 30);
    std::thread::sleep(Duration::from_secs(3));
    assert!(s.running(), "a resize ended the program:\n{}", s.contents());
    s.wait_until("the board at 100x30", |sc| fills(sc, 100, 30));
    // Keys still work after the resize.
    s.send("?");
    s.wait_for("Help");
    s.send("q");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn fifty_resizes_in_a_row_from_tiny_to_huge_end_in_a_whole_board_at_the_last_size() {
    let mut s = Session::start(&["--demo"], 120, 40, &[]);
    s.wait_until("the first board", |sc| fills(sc, 120, 40));
    let mut seed: u32 = 7;
    let mut next = |lo: u32, hi: u32| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        lo + (seed >> 8) % (hi - lo + 1)
    };
    for i in 0..50 {
        let (cols, rows) = match i {
            10 => (20, 5),
            20 => (400, 120),
            _ => (next(20, 400) as u16, next(5, 120) as u16),
        };
        s.resize(cols, rows);
        std::thread::sleep(Duration::from_millis(60));
    }
    s.resize(132, 43);
    s.wait_until("the board at 132x43 after 50 resizes", |sc| {
        fills(sc, 132, 43)
    });
    assert!(s.running());
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn sigquit_leaves_cleanly_and_restores_the_terminal() {
    let mut s = Session::start(&["--demo"], 100, 30, &[]);
    s.wait_until("the board", |sc| fills(sc, 100, 30));
    let pid = s.child.process_id().expect("a pid");
    let killed = std::process::Command::new("kill")
        .arg("-QUIT")
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(killed.success());
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

/// Every SGR sequence's parameters in `output`.
fn sgr_params(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    text.split("\x1b[")
        .skip(1)
        .filter_map(|s| {
            let end = s.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (s.as_bytes().get(end) == Some(&b'm')).then(|| s[..end].to_string())
        })
        .collect()
}

#[test]
fn the_sixteen_colour_theme_writes_only_basic_colour_codes() {
    let mut s = Session::start(&["--demo", "--theme", "16-colour"], 120, 40, &[]);
    s.wait_until("the board", |sc| fills(sc, 120, 40));
    s.send("?");
    s.wait_for("Help");
    s.send("q");
    s.send("\t");
    std::thread::sleep(Duration::from_millis(500));
    let output = s.output();
    let params = sgr_params(&output);
    assert!(
        params
            .iter()
            .any(|p| p.split(';').any(|c| c == "32" || c == "36")),
        "colours are written: {params:?}"
    );
    for p in &params {
        let parts: Vec<&str> = p.split(';').collect();
        assert!(
            !parts
                .windows(2)
                .any(|w| matches!(w, ["38" | "48", "5" | "2"])),
            "a 256-colour or RGB sequence: ESC[{p}m"
        );
        for code in parts.iter().filter_map(|c| c.parse::<u16>().ok()) {
            assert!(
                matches!(code, 0..=9 | 21..=29 | 30..=37 | 39..=47 | 49 | 59 | 90..=97 | 100..=107),
                "SGR {code} in ESC[{p}m is not a basic code"
            );
        }
    }
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn the_ascii_theme_writes_no_byte_outside_ascii() {
    let mut s = Session::start(&["--demo", "--theme", "ascii"], 120, 40, &[]);
    s.wait_until("the board", |sc| {
        sc.contents_between(0, 0, 0, 120).starts_with("shiproom")
    });
    s.send("?");
    s.wait_for("Help");
    s.send("q");
    s.send("\r");
    std::thread::sleep(Duration::from_millis(500));
    s.send("q");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let output = s.output();
    let bad: Vec<(usize, u8)> = (output.iter().copied().enumerate())
        .filter(|(_, b)| !b.is_ascii())
        .take(5)
        .collect();
    assert!(bad.is_empty(), "non-ASCII bytes at {bad:?}");
}
