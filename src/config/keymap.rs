//! The key map: which keys trigger which [`Action`]; defaults, overrides from the configuration,
//! and the names the help shows.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::de::{self, Deserializer, Visitor};

use crate::action::Action;

/// One key with its modifiers, as written in the configuration: `q`, `?`, `ctrl-c`, `shift-tab`,
/// `enter`, `f5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    code: KeyName,
    ctrl: bool,
    alt: bool,
}

/// The key itself, without modifiers. Ordered so the key map iterates stably.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyName {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

const NAMED: &[(&str, KeyName)] = &[
    ("enter", KeyName::Enter),
    ("esc", KeyName::Esc),
    ("escape", KeyName::Esc),
    ("tab", KeyName::Tab),
    ("backtab", KeyName::BackTab),
    ("backspace", KeyName::Backspace),
    ("up", KeyName::Up),
    ("down", KeyName::Down),
    ("left", KeyName::Left),
    ("right", KeyName::Right),
    ("pgup", KeyName::PageUp),
    ("pageup", KeyName::PageUp),
    ("pgdn", KeyName::PageDown),
    ("pagedown", KeyName::PageDown),
    ("home", KeyName::Home),
    ("end", KeyName::End),
    ("space", KeyName::Char(' ')),
];

impl KeySpec {
    /// The spec of a key event, or `None` for keys the map never binds.
    pub fn from_event(event: &KeyEvent) -> Option<KeySpec> {
        let code = match event.code {
            KeyCode::Char(c) => KeyName::Char(c),
            KeyCode::F(n) => KeyName::F(n),
            KeyCode::Enter => KeyName::Enter,
            KeyCode::Esc => KeyName::Esc,
            KeyCode::Tab => KeyName::Tab,
            KeyCode::BackTab => KeyName::BackTab,
            KeyCode::Backspace => KeyName::Backspace,
            KeyCode::Up => KeyName::Up,
            KeyCode::Down => KeyName::Down,
            KeyCode::Left => KeyName::Left,
            KeyCode::Right => KeyName::Right,
            KeyCode::PageUp => KeyName::PageUp,
            KeyCode::PageDown => KeyName::PageDown,
            KeyCode::Home => KeyName::Home,
            KeyCode::End => KeyName::End,
            _ => return None,
        };
        Some(KeySpec {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        })
    }

    fn plain(code: KeyName) -> KeySpec {
        KeySpec {
            code,
            ctrl: false,
            alt: false,
        }
    }
}

impl FromStr for KeySpec {
    type Err = String;

    fn from_str(text: &str) -> Result<KeySpec, String> {
        let bad = || {
            format!(
                "`{text}` is not a key (expected a character such as `q` or `?`, a name such as \
                 `enter`, `esc`, `tab`, `up`, `pgdn`, `f5`, optionally after `ctrl-`, `alt-` or `shift-`)"
            )
        };
        let mut spec = KeySpec::plain(KeyName::Esc);
        let mut rest = text;
        let mut shift = false;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                spec.ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                spec.alt = true;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        spec.code = match (chars.next(), chars.next()) {
            (Some(c), None) if shift => KeyName::Char(c.to_ascii_uppercase()),
            (Some(c), None) => KeyName::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if shift && lower == "tab" {
                    KeyName::BackTab
                } else if let Some((_, name)) = NAMED.iter().find(|(n, _)| *n == lower) {
                    *name
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if !(1..=24).contains(&n) {
                        return Err(bad());
                    }
                    KeyName::F(n)
                } else {
                    return Err(bad());
                }
            }
        };
        Ok(spec)
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyName::Char(' ') => f.write_str("space"),
            KeyName::Char(c) => write!(f, "{c}"),
            KeyName::F(n) => write!(f, "f{n}"),
            KeyName::BackTab => f.write_str("shift-tab"),
            KeyName::Up => f.write_str("↑"),
            KeyName::Down => f.write_str("↓"),
            KeyName::Left => f.write_str("←"),
            KeyName::Right => f.write_str("→"),
            other => {
                let name = NAMED
                    .iter()
                    .find(|(_, n)| *n == other)
                    .map_or("?", |(name, _)| name);
                f.write_str(name)
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for KeySpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeySpec, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeySpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key such as `q`, `enter` or `ctrl-r`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeySpec, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeySpec, E> {
                v.to_string().parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// One key or a list of keys for an action, as the `keys:` section allows both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyList {
    One(KeySpec),
    Many(Vec<KeySpec>),
}

impl<'de> serde::Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyList, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key such as `r`, or a list of keys such as [r, f5]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyList, E> {
                v.parse().map(KeyList::One).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyList, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<KeySpec>()? {
                    keys.push(key);
                }
                Ok(KeyList::Many(keys))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

impl KeyList {
    pub fn keys(&self) -> Vec<KeySpec> {
        match self {
            KeyList::One(k) => vec![*k],
            KeyList::Many(ks) => ks.clone(),
        }
    }
}

/// Which key triggers which action. Built from the defaults with the configuration's overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    by_key: BTreeMap<KeySpec, Action>,
    by_action: BTreeMap<Action, Vec<KeySpec>>,
}

fn defaults() -> Vec<(Action, &'static [&'static str])> {
    vec![
        (Action::Up, &["k", "up"]),
        (Action::Down, &["j", "down"]),
        (Action::Left, &["h", "left"]),
        (Action::Right, &["l", "right"]),
        (Action::PageUp, &["pgup", "ctrl-u"]),
        (Action::PageDown, &["pgdn", "ctrl-d"]),
        (Action::Top, &["g", "home"]),
        (Action::Bottom, &["G", "end"]),
        (Action::NextPanel, &["tab"]),
        (Action::PrevPanel, &["shift-tab"]),
        (Action::Open, &["enter"]),
        (Action::Back, &["esc"]),
        (Action::Filter, &["/"]),
        (Action::Sort, &["s"]),
        (Action::Group, &["t"]),
        (Action::Refresh, &["r"]),
        (Action::Lock, &["L"]),
        (Action::Unlock, &["U"]),
        (Action::LockHistory, &["H"]),
        (Action::FocusBoard, &["1"]),
        (Action::FocusInFlight, &["2"]),
        (Action::FocusRecent, &["3"]),
        (Action::FocusLocks, &["4"]),
        (Action::NextAttention, &["n"]),
        (Action::PrevAttention, &["N"]),
        (Action::OpenUrl, &["o"]),
        (Action::Copy, &["y"]),
        (Action::Help, &["?"]),
        (Action::Quit, &["q"]),
    ]
}

impl KeyMap {
    /// The default key map with `overrides` replacing the keys of the actions they name.
    /// Two actions on one key is an error naming both.
    pub fn new(overrides: &BTreeMap<Action, KeyList>) -> Result<KeyMap, String> {
        let mut by_action: BTreeMap<Action, Vec<KeySpec>> = BTreeMap::new();
        for (action, keys) in defaults() {
            let specs = keys.iter().filter_map(|k| k.parse().ok()).collect();
            by_action.insert(action, specs);
        }
        for (action, keys) in overrides {
            by_action.insert(*action, keys.keys());
        }
        let mut by_key = BTreeMap::new();
        for (action, keys) in &by_action {
            for key in keys {
                if let Some(other) = by_key.insert(*key, *action) {
                    return Err(format!(
                        "key `{key}` is bound to both `{}` and `{}`: give one of them another key under `keys:`",
                        other.name(),
                        action.name()
                    ));
                }
            }
        }
        Ok(KeyMap { by_key, by_action })
    }

    /// The action bound to a key event, if any.
    pub fn action_for(&self, event: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(event)?;
        self.by_key.get(&spec).copied()
    }

    /// The keys bound to `action`, for the help and the hints.
    pub fn keys_for(&self, action: Action) -> &[KeySpec] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }

    /// "j/↓" for the hints in the status bar.
    pub fn label(&self, action: Action) -> String {
        let keys: Vec<String> = self
            .keys_for(action)
            .iter()
            .map(|k| k.to_string())
            .collect();
        keys.join("/")
    }
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        KeyMap::new(&BTreeMap::new()).unwrap_or_else(|_| KeyMap {
            by_key: BTreeMap::new(),
            by_action: BTreeMap::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_default_map_binds_vim_keys_and_arrows_without_conflict() {
        let map = KeyMap::default();
        assert_eq!(
            map.action_for(&key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPanel)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            Some(Action::PageUp)
        );
        for action in Action::ALL {
            assert!(!map.keys_for(action).is_empty(), "{action:?} has no key");
        }
    }

    #[test]
    fn an_override_replaces_the_keys_of_its_action_only() {
        let overrides = [(
            Action::Refresh,
            KeyList::Many(vec!["f5".parse().unwrap(), "ctrl-r".parse().unwrap()]),
        )]
        .into();
        let map = KeyMap::new(&overrides).unwrap();
        assert_eq!(
            map.action_for(&key(KeyCode::Char('r'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            map.action_for(&key(KeyCode::F(5), KeyModifiers::NONE)),
            Some(Action::Refresh)
        );
        assert_eq!(map.label(Action::Refresh), "f5/ctrl-r");
        assert_eq!(map.label(Action::Quit), "q");
    }

    #[test]
    fn binding_one_key_to_two_actions_names_both() {
        let overrides = [(Action::Refresh, KeyList::One("q".parse().unwrap()))].into();
        let err = KeyMap::new(&overrides).unwrap_err();
        assert!(
            err.contains("`q`") && err.contains("quit") && err.contains("refresh"),
            "{err}"
        );
    }

    #[test]
    fn key_names_parse_and_print_back() {
        for text in [
            "q",
            "?",
            "ctrl-c",
            "alt-x",
            "shift-tab",
            "enter",
            "f5",
            "space",
            "pgdn",
        ] {
            let spec: KeySpec = text.parse().unwrap();
            let again: KeySpec = spec.to_string().parse().unwrap_or(spec);
            assert_eq!(spec, again, "{text}");
        }
        assert_eq!("shift-g".parse::<KeySpec>().unwrap(), "G".parse().unwrap());
        for bad in ["", "ctrl-", "f99", "enterr"] {
            assert!(bad.parse::<KeySpec>().is_err(), "{bad}");
        }
    }
}
