//! Reading a kind's own fields out of a source's mapping in the configuration, with the
//! YAML deserializer underneath, so every error keeps its file, line and column: the fields
//! every source has (`name`, `kind`, `interval`) are skipped, a field of another kind is
//! refused by name ("a `github` source takes no `seed`"), and the rest go to the kind's
//! settings struct.

use std::fmt;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor,
};

use super::kind::{Kind, KindEntry, SourceSettings};

/// Reads `K`'s settings from `map`, the rest of a source's mapping; `common` are the fields
/// every source has (read elsewhere, skipped here), `kinds` every registered kind (to name
/// the one a foreign field belongs to).
pub fn parse<'de, K: Kind, A: MapAccess<'de>>(
    entry: &'static KindEntry,
    kinds: &'static [KindEntry],
    common: &'static [&'static str],
    map: A,
) -> Result<SourceSettings, A::Error> {
    let settings = K::Settings::deserialize(KindFields {
        map,
        entry,
        kinds,
        common,
    })?;
    Ok(SourceSettings::new::<K>(entry, settings))
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`" — as serde words its lists.
pub fn one_of(names: &[&str]) -> String {
    match names {
        [] => "no fields".to_string(),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        many => format!(
            "one of {}",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Why `field` is not a field of a source of kind `entry`: another kind's, or nobody's.
fn refusal(entry: &KindEntry, kinds: &[KindEntry], field: &str, common: &[&str]) -> String {
    let mut own: Vec<&str> = common.to_vec();
    own.extend(entry.fields());
    let others: Vec<&str> = (kinds.iter())
        .filter(|k| k.name != entry.name && k.fields().contains(&field))
        .map(|k| k.name)
        .collect();
    let kind = entry.name;
    if others.is_empty() {
        return format!("unknown field `{field}`, expected {}", one_of(&own));
    }
    format!(
        "a `{kind}` source takes no `{field}` (`{field}` is not a field of a {kind} source but of a {} source); expected {}",
        others.join(" or "),
        one_of(&own)
    )
}

/// A deserializer over the rest of a source's mapping that learns the settings' field names.
struct KindFields<A> {
    map: A,
    entry: &'static KindEntry,
    kinds: &'static [KindEntry],
    common: &'static [&'static str],
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for KindFields<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(Filtered {
            map: self.map,
            entry: self.entry,
            kinds: self.kinds,
            common: self.common,
            fields: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(Filtered {
            map: self.map,
            entry: self.entry,
            kinds: self.kinds,
            common: self.common,
            fields: Some(fields),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The mapping without the common fields; a key that is not the settings' own is refused
/// where it is written (the YAML deserializer marks the error with the key's place).
struct Filtered<A> {
    map: A,
    entry: &'static KindEntry,
    kinds: &'static [KindEntry],
    common: &'static [&'static str],
    fields: Option<&'static [&'static str]>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Filtered<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            let sniff = Sniff {
                seed: &mut seed,
                entry: self.entry,
                kinds: self.kinds,
                common: self.common,
                fields: self.fields,
            };
            match self.map.next_key_seed(sniff)? {
                None => return Ok(None),
                Some(Sniffed::Common) => {
                    self.map.next_value::<IgnoredAny>()?;
                }
                Some(Sniffed::Key(key)) => return Ok(Some(key)),
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A key: one every source has (skipped), or the settings' own.
enum Sniffed<T> {
    Common,
    Key(T),
}

/// Reads a key as text, then decides what it is.
struct Sniff<'a, K> {
    seed: &'a mut Option<K>,
    entry: &'static KindEntry,
    kinds: &'static [KindEntry],
    common: &'static [&'static str],
    fields: Option<&'static [&'static str]>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for Sniff<'_, K> {
    type Value = Sniffed<K::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for Sniff<'_, K> {
    type Value = Sniffed<K::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        if self.common.contains(&key) {
            return Ok(Sniffed::Common);
        }
        if let Some(fields) = self.fields
            && !fields.contains(&key)
        {
            return Err(E::custom(refusal(self.entry, self.kinds, key, self.common)));
        }
        let seed = (self.seed.take()).ok_or_else(|| E::custom("a field was read twice"))?;
        let key: de::value::StrDeserializer<'_, E> = key.into_deserializer();
        seed.deserialize(key).map(Sniffed::Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_like_serdes() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b"]), "`a` or `b`");
        assert_eq!(one_of(&["a", "b", "c"]), "one of `a`, `b`, `c`");
    }
}
