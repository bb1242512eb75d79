//! Behavioural tests for themes.

use std::path::PathBuf;

use ratatui::style::{Color, Modifier, Style};

use super::*;

fn builtins() -> Vec<Theme> {
    Theme::builtin_names()
        .iter()
        .map(|name| Theme::builtin(name).unwrap())
        .collect()
}

/// A fresh, empty directory under the system temp dir; removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "shiproom-theme-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let dir = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- built-ins -------------------------------------------------------------

#[test]
fn builtin_names_lists_exactly_the_six_builtins() {
    assert_eq!(
        Theme::builtin_names(),
        [
            "default",
            "light",
            "high-contrast",
            "16-colour",
            "ascii",
            "monochrome"
        ]
    );
}

#[test]
fn every_builtin_parses_and_keeps_its_name() {
    for (theme, name) in builtins().iter().zip(Theme::builtin_names()) {
        assert_eq!(theme.name, *name);
        assert!(!theme.description.is_empty(), "{name} has no description");
        let glyphs = if *name == "ascii" {
            &Glyphs::ASCII
        } else {
            &Glyphs::UNICODE
        };
        assert_eq!(theme.glyphs, glyphs, "{name}");
    }
}

#[test]
fn every_builtin_defines_every_role_itself_without_fallback() {
    for name in Theme::builtin_names() {
        let file = file_of(name);
        for role in Role::ALL {
            assert!(
                file.roles[role.index()].is_some(),
                "built-in {name} does not define role `{role}`"
            );
        }
    }
}

fn file_of(name: &str) -> file::ThemeFile {
    parse_file(builtin_yaml(name).unwrap(), name).unwrap()
}

#[test]
fn every_builtin_gives_every_role_a_visible_style() {
    // Every role except plain text and `ok`/`healthy` in monochrome must differ from
    // the empty style; in coloured themes every role sets something.
    for theme in builtins() {
        for role in Role::ALL {
            let style = theme.style(role);
            let plain_allowed =
                theme.name == "monochrome" && matches!(role, Role::Text | Role::Ok | Role::Healthy);
            if !plain_allowed {
                assert_ne!(
                    style,
                    Style::new(),
                    "{}: role `{role}` is unstyled",
                    theme.name
                );
            }
        }
    }
}

#[test]
fn monochrome_has_no_colour_in_any_role() {
    let theme = Theme::builtin("monochrome").unwrap();
    for role in Role::ALL {
        let style = theme.style(role);
        assert_eq!(style.fg, None, "monochrome role `{role}` has a fg");
        assert_eq!(style.bg, None, "monochrome role `{role}` has a bg");
        assert_eq!(style.underline_color, None, "monochrome role `{role}`");
    }
}

#[test]
fn sixteen_colour_uses_only_the_sixteen_ansi_colours() {
    let theme = Theme::builtin("16-colour").unwrap();
    for role in Role::ALL {
        let style = theme.style(role);
        for colour in [style.fg, style.bg].into_iter().flatten() {
            assert!(
                !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                "16-colour role `{role}` uses {colour:?}"
            );
        }
    }
}

#[test]
fn text_is_readable_on_the_selection_in_default_and_light() {
    for name in ["default", "light"] {
        let theme = Theme::builtin(name).unwrap();
        let text_fg = theme.style(Role::Text).fg;
        let selection = theme.style(Role::Selection);
        assert!(text_fg.is_some() && selection.bg.is_some(), "{name}");
        assert_ne!(text_fg, selection.bg, "{name}: text fg equals selection bg");
        assert_ne!(
            selection.fg, selection.bg,
            "{name}: selection fg equals its bg"
        );
    }
}

#[test]
fn statuses_stay_distinguishable_in_monochrome() {
    let theme = Theme::builtin("monochrome").unwrap();
    let styles: Vec<Style> = [
        Role::Ok,
        Role::Error,
        Role::Warning,
        Role::Pending,
        Role::Locked,
    ]
    .map(|role| theme.style(role))
    .to_vec();
    assert!(
        styles.windows(2).any(|w| w[0] != w[1]),
        "ok/error/warning/pending/locked all look the same"
    );
    // Failure must not look like success.
    assert_ne!(theme.style(Role::Ok), theme.style(Role::Error));
    for glyphs in [&Glyphs::UNICODE, &Glyphs::ASCII] {
        let statuses = glyphs.deploy_statuses();
        for (i, a) in statuses.iter().enumerate() {
            for b in &statuses[i + 1..] {
                assert_ne!(a, b, "deploy statuses share glyph {a}");
            }
        }
    }
}

#[test]
fn the_selection_stands_out_in_monochrome() {
    let theme = Theme::builtin("monochrome").unwrap();
    assert!(
        theme
            .style(Role::Selection)
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

// ---- parsing ----------------------------------------------------------------

#[test]
fn a_role_may_be_a_colour_or_a_style_map() {
    let yaml = "ok: green\nerror: { fg: \"#ff0000\", bg: 17, bold: true, underline: true }\n\
                muted: dark_grey\nlocked: 208\n";
    let theme = Theme::parse(yaml, "t").unwrap();
    assert_eq!(theme.style(Role::Ok), Style::new().fg(Color::Green));
    assert_eq!(
        theme.style(Role::Error),
        Style::new()
            .fg(Color::Rgb(255, 0, 0))
            .bg(Color::Indexed(17))
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    );
    assert_eq!(theme.style(Role::Muted), Style::new().fg(Color::DarkGray));
    assert_eq!(
        theme.style(Role::Locked),
        Style::new().fg(Color::Indexed(208))
    );
}

#[test]
fn a_missing_role_falls_back_to_the_default_theme() {
    let theme = Theme::parse("name: partial\nok: white\n", "t").unwrap();
    let default = Theme::builtin("default").unwrap();
    assert_eq!(theme.name, "partial");
    assert_eq!(theme.style(Role::Ok), Style::new().fg(Color::White));
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Ok) {
        assert_eq!(theme.style(role), default.style(role), "role `{role}`");
    }
}

#[test]
fn an_empty_file_is_the_default_theme() {
    let theme = Theme::parse("# nothing\n", "t").unwrap();
    let default = Theme::builtin("default").unwrap();
    for role in Role::ALL {
        assert_eq!(theme.style(role), default.style(role));
    }
}

#[test]
fn ascii_glyphs_can_be_chosen() {
    let theme = Theme::parse("glyphs: ascii\n", "t").unwrap();
    assert_eq!(theme.glyphs, &Glyphs::ASCII);
}

// ---- loading ----------------------------------------------------------------

#[test]
fn a_user_file_overrides_the_builtin_of_the_same_name() {
    let dir = TempDir::new("override");
    dir.write("light.yaml", "description: mine\nok: magenta\n");
    let theme = Theme::load("light", Some(&dir.0)).unwrap();
    assert_eq!(theme.name, "light");
    assert_eq!(theme.description, "mine");
    assert_eq!(theme.style(Role::Ok), Style::new().fg(Color::Magenta));
    // Not in the file: the *default* theme's style, not the built-in light one.
    let default = Theme::builtin("default").unwrap();
    assert_eq!(theme.style(Role::Text), default.style(Role::Text));
}

#[test]
fn a_user_file_can_add_a_new_theme_and_builtins_still_load() {
    let dir = TempDir::new("add");
    dir.write("solar.yaml", "text: \"#839496\"\n");
    let theme = Theme::load("solar", Some(&dir.0)).unwrap();
    assert_eq!(theme.name, "solar");
    assert_eq!(
        theme.style(Role::Text).fg,
        Some(Color::Rgb(0x83, 0x94, 0x96))
    );
    assert_eq!(
        Theme::load("monochrome", Some(&dir.0)).unwrap().name,
        "monochrome"
    );
    assert_eq!(Theme::load("16-colour", None).unwrap().name, "16-colour");
    assert_eq!(
        Theme::available(Some(&dir.0)).last().map(String::as_str),
        Some("solar")
    );
}

#[test]
fn an_unknown_theme_error_names_the_known_themes() {
    let dir = TempDir::new("unknown");
    dir.write("solar.yaml", "");
    let message = Theme::load("nope", Some(&dir.0)).unwrap_err().to_string();
    assert!(message.contains("unknown theme `nope`"), "{message}");
    for name in Theme::builtin_names().iter().chain(&["solar"]) {
        assert!(message.contains(name), "{message}");
    }
    assert!(Theme::builtin("nope").is_err());
}

#[test]
fn a_theme_name_that_is_a_path_is_rejected() {
    for name in ["../etc/passwd", "a/b", "", ".hidden"] {
        assert!(Theme::load(name, None).is_err(), "{name:?}");
    }
}

#[test]
fn a_broken_user_file_reports_its_path() {
    let dir = TempDir::new("broken");
    let path = dir.write("default.yaml", "ok: gren\n");
    let err = Theme::load("default", Some(&dir.0)).unwrap_err();
    assert_eq!(err.origin(), path.display().to_string());
    assert!(
        err.to_string()
            .starts_with(&format!("{}:1:5: ", path.display())),
        "{err}"
    );
}

// ---- default_name -------------------------------------------------------------

#[test]
fn no_color_set_and_non_empty_selects_monochrome() {
    assert_eq!(Theme::default_name(Some("1")), "monochrome");
    assert_eq!(Theme::default_name(None), "default");
    assert_eq!(Theme::default_name(Some("")), "default");
}
