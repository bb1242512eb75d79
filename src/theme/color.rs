//! Colour and role-style values in theme files, with hand-written `Deserialize`
//! impls so that serde_yaml attaches a line and column to every error.

use std::fmt;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

/// What a colour may look like; appended to colour errors.
const EXPECTED_COLOUR: &str = "expected an ANSI name such as `green`, `#rrggbb` or 0-255";

/// Why a null value is an error (the usual cause is an unquoted `#rrggbb`).
const NULL_HINT: &str =
    "missing value (quote `#rrggbb` colours: an unquoted `#` starts a YAML comment)";

/// The sixteen ANSI colours plus `reset`, by normalised name (lower case, no
/// separators, `grey` spelt `gray`).
const NAMED: [(&str, Color); 17] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

/// Parses a colour written as text: an ANSI name (`light-red`, `light_red`,
/// `dark-grey`…), `reset`, `#rrggbb`, or a decimal index `0`–`255`.
pub fn parse_colour(text: &str) -> Result<Color, String> {
    let trimmed = text.trim();
    if let Some(hex) = trimmed.strip_prefix('#') {
        return parse_hex(hex).ok_or_else(|| {
            format!("bad hex colour `{trimmed}` (expected `#rrggbb` with six hex digits)")
        });
    }
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return match trimmed.parse::<u64>() {
            Ok(index) => colour_index(index),
            Err(_) => Err(index_out_of_range(trimmed)),
        };
    }
    let normalised: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace("grey", "gray");
    NAMED
        .iter()
        .find(|(name, _)| *name == normalised)
        .map(|(_, colour)| *colour)
        .ok_or_else(|| format!("unknown colour `{trimmed}` ({EXPECTED_COLOUR})"))
}

fn parse_hex(hex: &str) -> Option<Color> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?))
}

fn colour_index(index: u64) -> Result<Color, String> {
    u8::try_from(index)
        .map(Color::Indexed)
        .map_err(|_| index_out_of_range(&index.to_string()))
}

fn index_out_of_range(index: &str) -> String {
    format!("colour index {index} is out of range (expected 0-255)")
}

/// A colour in a theme file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThemeColour(pub Color);

impl<'de> Deserialize<'de> for ThemeColour {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ColourVisitor).map(ThemeColour)
    }
}

struct ColourVisitor;

impl<'de> Visitor<'de> for ColourVisitor {
    type Value = Color;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a colour ({EXPECTED_COLOUR})")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Color, E> {
        parse_colour(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Color, E> {
        colour_index(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Color, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(index_out_of_range(&v.to_string()))),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Color, E> {
        Err(E::custom(NULL_HINT))
    }
}

/// `deserialize_with` helper: a present `fg`/`bg` key must hold a colour (an explicit
/// null is an error rather than silently meaning "no colour").
fn some_colour<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Option<Color>, D::Error> {
    ThemeColour::deserialize(deserializer).map(|c| Some(c.0))
}

/// The map form of a role: `{fg, bg, bold, dim, italic, underline, reverse}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleMap {
    #[serde(default, deserialize_with = "some_colour")]
    fg: Option<Color>,
    #[serde(default, deserialize_with = "some_colour")]
    bg: Option<Color>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reverse: bool,
}

impl StyleMap {
    fn into_style(self) -> Style {
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reverse, Modifier::REVERSED),
        ];
        let modifiers = flags
            .into_iter()
            .filter(|(on, _)| *on)
            .fold(Modifier::empty(), |acc, (_, m)| acc | m);
        let mut style = Style::new().add_modifier(modifiers);
        style.fg = self.fg;
        style.bg = self.bg;
        style
    }
}

/// A role's value in a theme file: a colour (foreground only) or a style map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleStyle(pub Style);

impl<'de> Deserialize<'de> for RoleStyle {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(RoleStyleVisitor)
            .map(RoleStyle)
    }
}

struct RoleStyleVisitor;

impl<'de> Visitor<'de> for RoleStyleVisitor {
    type Value = Style;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a colour (an ANSI name, `#rrggbb` or 0-255) or a map of \
             fg, bg, bold, dim, italic, underline, reverse",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Style, E> {
        ColourVisitor.visit_str(v).map(|c| Style::new().fg(c))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Style, E> {
        ColourVisitor.visit_u64(v).map(|c| Style::new().fg(c))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Style, E> {
        ColourVisitor.visit_i64(v).map(|c| Style::new().fg(c))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Style, E> {
        Err(E::custom(NULL_HINT))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Style, A::Error> {
        StyleMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(StyleMap::into_style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_names_accept_grey_underscores_hyphens_and_case() {
        assert_eq!(parse_colour("dark-grey"), Ok(Color::DarkGray));
        assert_eq!(parse_colour("dark_gray"), Ok(Color::DarkGray));
        assert_eq!(parse_colour("Light-Red"), Ok(Color::LightRed));
        assert_eq!(parse_colour("grey"), Ok(Color::Gray));
        assert_eq!(parse_colour("reset"), Ok(Color::Reset));
    }

    #[test]
    fn hex_and_index_colours_parse() {
        assert_eq!(parse_colour("#0a1B2c"), Ok(Color::Rgb(0x0a, 0x1b, 0x2c)));
        assert_eq!(parse_colour("255"), Ok(Color::Indexed(255)));
        assert_eq!(parse_colour("0"), Ok(Color::Indexed(0)));
    }

    #[test]
    fn malformed_colours_are_rejected_with_a_reason() {
        assert!(parse_colour("#12345").is_err_and(|e| e.contains("bad hex")));
        assert!(parse_colour("#gggggg").is_err_and(|e| e.contains("bad hex")));
        assert!(parse_colour("#ff00ff00").is_err_and(|e| e.contains("bad hex")));
        assert!(parse_colour("256").is_err_and(|e| e.contains("out of range")));
        assert!(parse_colour("99999999999999999999999").is_err_and(|e| e.contains("range")));
        assert!(parse_colour("").is_err_and(|e| e.contains("unknown colour")));
        assert!(parse_colour("gren").is_err_and(|e| e.contains("unknown colour `gren`")));
    }
}
