//! Themes: YAML files that map semantic [`Role`]s to styles, plus a [`Glyphs`] set.
//!
//! Widgets ask [`Theme::style`] for a role; no colour literal lives outside this
//! module. Status is never conveyed by colour alone: pair a role with its glyph.
//!
//! Built-ins are compiled in from `themes/*.yaml`; a user file
//! `<user_theme_dir>/<name>.yaml` overrides the built-in of that name or adds a theme.
//! Roles a file leaves out fall back to the built-in `default` theme's.

mod color;
mod error;
#[cfg(test)]
mod error_tests;
mod file;
mod glyphs;
mod role;
#[cfg(test)]
mod tests;

use std::path::Path;

use ratatui::style::Style;

pub use color::parse_colour;
pub use error::ThemeError;
pub use file::GlyphChoice;
pub use glyphs::Glyphs;
pub use role::Role;

use file::ThemeFile;

/// Embeds `themes/NAME.yaml` from the crate root.
macro_rules! builtin_yaml {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/",
            $name,
            ".yaml"
        ))
    };
}

/// Built-in theme names, in display order.
const BUILTIN_NAMES: [&str; 6] = [
    "default",
    "light",
    "high-contrast",
    "16-colour",
    "ascii",
    "monochrome",
];

/// The embedded YAML of a built-in theme.
fn builtin_yaml(name: &str) -> Option<&'static str> {
    Some(match name {
        "default" => builtin_yaml!("default"),
        "light" => builtin_yaml!("light"),
        "high-contrast" => builtin_yaml!("high-contrast"),
        "16-colour" => builtin_yaml!("16-colour"),
        "ascii" => builtin_yaml!("ascii"),
        "monochrome" => builtin_yaml!("monochrome"),
        _ => return None,
    })
}

/// A resolved theme: a style for every role and a glyph set.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// The theme's name (the file's `name`, else the name it was loaded as).
    pub name: String,
    /// A one-line description (empty if the file gave none).
    pub description: String,
    /// The glyph set to draw statuses with.
    pub glyphs: &'static Glyphs,
    styles: [Style; Role::COUNT],
}

impl Theme {
    /// The style for `role`.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role.index()]
    }

    /// Names of the built-in themes, in a stable order.
    pub fn builtin_names() -> &'static [&'static str] {
        &BUILTIN_NAMES
    }

    /// A built-in by name, parsed from its embedded YAML.
    pub fn builtin(name: &str) -> Result<Theme, ThemeError> {
        let yaml = builtin_yaml(name).ok_or_else(|| unknown_theme(name, &[]))?;
        let mut theme = Theme::parse(yaml, &format!("built-in {name}"))?;
        if theme.name.is_empty() {
            theme.name = name.to_owned();
        }
        Ok(theme)
    }

    /// Loads `name`: a file `<user_theme_dir>/<name>.yaml` if it exists overrides the
    /// built-in of that name (or adds a new theme); else the built-in; else a
    /// [`ThemeError`] naming the known themes.
    pub fn load(name: &str, user_theme_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        if name.is_empty()
            || name.starts_with('.')
            || name.contains(['/', '\\'])
            || Path::new(name).is_absolute()
        {
            return Err(ThemeError::plain(
                "",
                format!("invalid theme name `{name}` (a theme name is a file stem, not a path)"),
            ));
        }
        if let Some(dir) = user_theme_dir {
            let path = dir.join(format!("{name}.yaml"));
            let origin = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(yaml) => {
                    let mut theme = Theme::parse(&yaml, &origin)?;
                    if theme.name.is_empty() {
                        theme.name = name.to_owned();
                    }
                    return Ok(theme);
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(ThemeError::io(origin, err)),
            }
        }
        if builtin_yaml(name).is_some() {
            return Theme::builtin(name);
        }
        let user_names = user_theme_dir.map(user_theme_names).unwrap_or_default();
        Err(unknown_theme(name, &user_names))
    }

    /// Parses YAML text; `origin` (a path or "built-in NAME") is used in error messages.
    ///
    /// Roles the text leaves out take the built-in `default` theme's style. The
    /// theme's name is the file's `name`, or empty if it has none.
    pub fn parse(yaml: &str, origin: &str) -> Result<Theme, ThemeError> {
        let file = parse_file(yaml, origin)?;
        let fallback = default_styles()?;
        let styles = std::array::from_fn(|i| file.roles[i].unwrap_or(fallback[i]));
        Ok(Theme::from_file(file, styles))
    }

    /// The theme name to use when none is asked for: "monochrome" if NO_COLOR is set
    /// and non-empty (pass its value in; this does not read the environment), else
    /// "default".
    pub fn default_name(no_color: Option<&str>) -> &'static str {
        match no_color {
            Some(value) if !value.is_empty() => "monochrome",
            _ => "default",
        }
    }

    /// Theme names offered to the user: the built-ins, then any extra `*.yaml`
    /// stems found in `user_theme_dir`, sorted.
    pub fn available(user_theme_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN_NAMES.iter().map(|n| (*n).to_owned()).collect();
        let mut extra = user_theme_dir.map(user_theme_names).unwrap_or_default();
        extra.retain(|n| !names.contains(n));
        names.extend(extra);
        names
    }

    fn from_file(file: ThemeFile, styles: [Style; Role::COUNT]) -> Theme {
        Theme {
            name: file.name.unwrap_or_default(),
            description: file.description.unwrap_or_default(),
            glyphs: match file.glyphs {
                GlyphChoice::Unicode => &Glyphs::UNICODE,
                GlyphChoice::Ascii => &Glyphs::ASCII,
            },
            styles,
        }
    }
}

fn parse_file(yaml: &str, origin: &str) -> Result<ThemeFile, ThemeError> {
    serde_yaml::from_str(yaml).map_err(|err| ThemeError::from_yaml(origin, &err))
}

/// The built-in `default` theme's styles; it must define every role itself.
fn default_styles() -> Result<[Style; Role::COUNT], ThemeError> {
    let origin = "built-in default";
    let file = parse_file(builtin_yaml!("default"), origin)?;
    let mut styles = [Style::new(); Role::COUNT];
    for role in Role::ALL {
        styles[role.index()] = file.roles[role.index()].ok_or_else(|| {
            ThemeError::plain(
                origin,
                format!("role `{role}` is missing from the default theme"),
            )
        })?;
    }
    Ok(styles)
}

/// Sorted stems of the `*.yaml` files in `dir` (unreadable dirs give none).
fn user_theme_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .collect();
    names.sort();
    names
}

fn unknown_theme(name: &str, user_names: &[String]) -> ThemeError {
    let mut known: Vec<&str> = BUILTIN_NAMES.to_vec();
    known.extend(
        user_names
            .iter()
            .map(String::as_str)
            .filter(|n| !BUILTIN_NAMES.contains(n)),
    );
    ThemeError::plain(
        "",
        format!(
            "unknown theme `{name}` (known themes: {})",
            known.join(", ")
        ),
    )
}
