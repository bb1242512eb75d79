//! The `sources:` section, tagged by `kind`, read in two passes over the YAML so that every
//! error keeps its file, line and column. The first pass, with the rest of the file, reads
//! what every source has: `name`, `kind` (one of the registered kinds) and `interval`. The
//! second reads each source's mapping again, through the YAML deserializer, into its kind's
//! own settings (`deny_unknown_fields`; a field of another kind is refused by name).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::model::{SourceId, SourceKind};
use crate::sources::{KindEntry, SourceSettings, fields, probe, registry};
use crate::span::Span;

/// What every source says, whatever its kind; the kind's own fields are read in the second
/// pass (`kind_settings`).
#[derive(Debug, Clone, Deserialize)]
pub struct SourceHead {
    pub name: String,
    pub kind: KindName,
    /// How often to poll (default: the kind's).
    pub interval: Option<Span>,
}

/// A registered kind, as `kind:` names it; any other name is refused with the list.
#[derive(Debug, Clone, Copy)]
pub struct KindName(pub &'static KindEntry);

impl<'de> Deserialize<'de> for KindName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KindName, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = KindName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a kind of source ({})", fields::one_of(registry::NAMES))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KindName, E> {
                registry::kind(v)
                    .map(KindName)
                    .ok_or_else(|| E::unknown_variant(v, registry::NAMES))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// One configured source: who it is, its kind, how often it polls (resolved: the configured
/// interval or its kind's default) and its kind's own settings.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub id: SourceId,
    pub name: String,
    pub kind: SourceKind,
    pub interval: Span,
    pub settings: SourceSettings,
}

impl SourceConfig {
    /// Resolves `head` and its kind's `settings`: the interval default is taken here, once.
    pub fn resolve(head: &SourceHead, settings: SourceSettings) -> SourceConfig {
        let entry = head.kind.0;
        SourceConfig {
            id: SourceId::new(head.name.clone()),
            name: head.name.clone(),
            kind: SourceKind::named(entry.name),
            interval: head.interval.unwrap_or(entry.default_interval),
            settings,
        }
    }

    /// Its kind's registry entry.
    pub fn entry(&self) -> &'static KindEntry {
        self.settings.kind()
    }

    /// Whether it reports locks of its own, so `locks` and `gate` must ask it.
    pub fn reports_locks(&self) -> bool {
        self.entry().reports_locks
    }

    /// Whether it judges deploys' impact, so update asks it to analyse finished deploys.
    pub fn analyses_impact(&self) -> bool {
        self.entry().analyses_impact
    }
}

/// The second pass: every source's settings, read by its kind from the source's mapping in
/// `text`; `heads` are the first pass's sources, in order.
pub fn kind_settings(
    text: &str,
    heads: &[SourceHead],
) -> Result<Vec<SourceSettings>, serde_yaml::Error> {
    let kinds: Vec<&'static KindEntry> = heads.iter().map(|h| h.kind.0).collect();
    let document = Document {
        kinds: &kinds,
        common: probe::fields_of::<SourceHead>(),
    };
    document.deserialize(serde_yaml::Deserializer::from_str(text))
}

/// The whole file, of which only `sources` is read.
#[derive(Clone, Copy)]
struct Document<'a> {
    kinds: &'a [&'static KindEntry],
    common: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = Vec<SourceSettings>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = Vec<SourceSettings>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a configuration")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut sources = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "sources" {
                sources = map.next_value_seed(Sources(self))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(sources)
    }
}

/// The `sources` list, each element read by its kind.
struct Sources<'a>(Document<'a>);

impl<'de> DeserializeSeed<'de> for Sources<'_> {
    type Value = Vec<SourceSettings>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Sources<'_> {
    type Value = Vec<SourceSettings>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of sources")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(self.0.kinds.len());
        for &kind in self.0.kinds {
            let element = Element {
                kind,
                common: self.0.common,
            };
            match seq.next_element_seed(element)? {
                Some(settings) => out.push(settings),
                None => break,
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(out)
    }
}

/// One source's mapping, read by its kind.
struct Element {
    kind: &'static KindEntry,
    common: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Element {
    type Value = SourceSettings;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Element {
    type Value = SourceSettings;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a `{}` source", self.kind.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        registry::parse_fields(self.kind, self.common, map)
    }
}
