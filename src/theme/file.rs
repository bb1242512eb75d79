//! The theme-file format: a flat YAML map of `name`, `description`, `glyphs` and roles.
//!
//! ```yaml
//! name: my-theme
//! description: What it is for
//! glyphs: unicode          # or ascii
//! text: "#d0d0d0"          # a colour: foreground only
//! ok: { fg: green, bold: true }
//! ```

use std::fmt;

use ratatui::style::Style;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use super::color::RoleStyle;
use super::role::Role;

/// Which glyph set a theme file asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlyphChoice {
    /// [`super::Glyphs::UNICODE`].
    #[default]
    Unicode,
    /// [`super::Glyphs::ASCII`].
    Ascii,
}

/// A parsed, not yet resolved, theme file: roles it leaves out are `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeFile {
    /// `name:`, if given.
    pub name: Option<String>,
    /// `description:`, if given.
    pub description: Option<String>,
    /// `glyphs:` (unicode when absent).
    pub glyphs: GlyphChoice,
    /// Each role's style, indexed by [`Role::index`]; `None` where the file is silent.
    pub roles: [Option<Style>; Role::COUNT],
}

/// Keys other than roles.
const OTHER_KEYS: [&str; 3] = ["name", "description", "glyphs"];

/// A key of the top-level map.
enum Key {
    Name,
    Description,
    Glyphs,
    Role(Role),
}

impl Key {
    /// A slot per key, for spotting duplicates.
    fn slot(&self) -> usize {
        match self {
            Key::Role(role) => role.index(),
            Key::Name => Role::COUNT,
            Key::Description => Role::COUNT + 1,
            Key::Glyphs => Role::COUNT + 2,
        }
    }
}

/// Deserializes one key, rejecting unknown and repeated keys at the key's own position.
struct KeySeed<'a> {
    seen: &'a mut [bool; Role::COUNT + OTHER_KEYS.len()],
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a role name or one of name, description, glyphs")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        let key = match v {
            "name" => Key::Name,
            "description" => Key::Description,
            "glyphs" => Key::Glyphs,
            _ => match Role::from_name(v) {
                Some(role) => Key::Role(role),
                None => {
                    return Err(E::custom(format!(
                        "unknown role `{v}` (known roles: {}; other keys: {})",
                        Role::known_list(),
                        OTHER_KEYS.join(", ")
                    )));
                }
            },
        };
        let seen = &mut self.seen[key.slot()];
        if *seen {
            return Err(E::custom(format!("`{v}` is given more than once")));
        }
        *seen = true;
        Ok(key)
    }
}

impl<'de> Deserialize<'de> for ThemeFile {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FileVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = ThemeFile;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a theme: a map of roles (plus optional name, description, glyphs)")
    }

    /// An empty file is a theme that changes nothing.
    fn visit_unit<E: de::Error>(self) -> Result<ThemeFile, E> {
        Ok(ThemeFile::default())
    }

    /// A file of only comments is empty too.
    fn visit_none<E: de::Error>(self) -> Result<ThemeFile, E> {
        Ok(ThemeFile::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ThemeFile, A::Error> {
        let mut file = ThemeFile::default();
        let mut seen = [false; Role::COUNT + OTHER_KEYS.len()];
        while let Some(key) = map.next_key_seed(KeySeed { seen: &mut seen })? {
            match key {
                Key::Role(role) => {
                    file.roles[role.index()] = Some(map.next_value::<RoleStyle>()?.0);
                }
                Key::Name => file.name = Some(map.next_value()?),
                Key::Description => file.description = Some(map.next_value()?),
                Key::Glyphs => file.glyphs = map.next_value()?,
            }
        }
        Ok(file)
    }
}
