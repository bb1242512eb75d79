//! Every kind of source, registered in one place: a new kind is its folder under
//! `src/sources/` (a type implementing [`Kind`]) and one line in `kinds!` below.

use serde::de::{self, MapAccess};

use super::kind::{Kind, KindEntry, SourceSettings};

/// Registers the kinds: their entries, their names, and how to read each one's fields.
macro_rules! kinds {
    ($($kind:path),* $(,)?) => {
        /// Every registered kind, in the order messages list them.
        pub static KINDS: &[KindEntry] = &[$(KindEntry::of::<$kind>()),*];

        /// Their names, as `kind:` takes them.
        pub const NAMES: &[&str] = &[$(<$kind as Kind>::NAME),*];

        /// Reads the fields of a source of kind `entry` from `map`, the source's mapping in
        /// the configuration; `common` are the fields every source has.
        pub fn parse_fields<'de, A: MapAccess<'de>>(
            entry: &'static KindEntry,
            common: &'static [&'static str],
            map: A,
        ) -> Result<SourceSettings, A::Error> {
            $(
                if entry.name == <$kind as Kind>::NAME {
                    return super::fields::parse::<$kind, A>(entry, KINDS, common, map);
                }
            )*
            Err(de::Error::custom(format!("`{}` is not a registered kind", entry.name)))
        }
    };
}

kinds! {
    super::demo::Demo,
    super::github::Github,
    super::prometheus::Prometheus,
}

/// The kind registered as `name`.
pub fn kind(name: &str) -> Option<&'static KindEntry> {
    KINDS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_kind_is_registered_once_under_the_name_it_answers_to() {
        assert_eq!(KINDS.len(), NAMES.len());
        let names: BTreeSet<&str> = KINDS.iter().map(|k| k.name).collect();
        assert_eq!(names.len(), KINDS.len(), "no name twice");
        for name in NAMES {
            assert_eq!(kind(name).map(|k| k.name), Some(*name));
        }
        assert!(kind("githib").is_none());
    }
}
