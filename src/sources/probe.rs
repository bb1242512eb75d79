//! Learning the field names of a struct from its `#[derive(Deserialize)]`, by asking it to
//! deserialize from a deserializer that only listens: so each kind's field list is written
//! once, in its settings struct.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

/// The field names of a struct `T` deserializes into (its derive's list); none for anything
/// that is not a struct.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(Probe) {
        Err(Probed::Fields(fields)) => fields,
        _ => &[],
    }
}

/// A deserializer that only learns which fields a struct has.
struct Probe;

/// What the probe learned (an error, as it deserializes nothing).
#[derive(Debug)]
enum Probed {
    Fields(&'static [&'static str]),
    Other(String),
}

impl fmt::Display for Probed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Probed::Fields(fields) => write!(f, "fields {fields:?}"),
            Probed::Other(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<T: fmt::Display>(msg: T) -> Probed {
        Probed::Other(msg.to_string())
    }
}

impl<'de> Deserializer<'de> for Probe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Probed> {
        Err(Probed::Other("not a struct".into()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed::Fields(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Two {
        alpha: u8,
        beta: Option<String>,
    }

    #[test]
    fn the_probe_learns_a_structs_fields_and_nothing_of_other_types() {
        assert_eq!(fields_of::<Two>(), ["alpha", "beta"]);
        assert!(fields_of::<u8>().is_empty());
    }
}
