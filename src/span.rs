//! Durations as people write them in configuration and on the command line: "30s", "2m", "1h30m".
//! Shared by the configuration, the locks and the sources, so none of them imports another for it.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};

/// A span of time read from text such as "90s", "2m", "1h30m" or "1d"; a bare integer is seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(pub std::time::Duration);

/// The longest span a text may give: ten years. Longer is a typo or an attack; refusing it
/// keeps every time computed from a span (`now + span`, `interval * 2`) far from overflow.
pub const MAX_SPAN_SECS: u64 = 3_650 * 86_400;

impl Span {
    pub const fn seconds(s: u64) -> Span {
        Span(std::time::Duration::from_secs(s))
    }

    /// The span as a chrono duration, saturating (spans read from text are at most ten years).
    pub fn as_chrono(self) -> chrono::Duration {
        chrono::Duration::from_std(self.0).unwrap_or(chrono::Duration::MAX)
    }

    /// A span read from text: refused when longer than [`MAX_SPAN_SECS`].
    fn bounded(self, text: &str) -> Result<Span, String> {
        if self.0 > std::time::Duration::from_secs(MAX_SPAN_SECS) {
            return Err(format!(
                "`{text}` is longer than ten years (expected e.g. `30s`, `5m`, `1h30m`, `2d`)"
            ));
        }
        Ok(self)
    }
}

impl FromStr for Span {
    type Err = String;

    fn from_str(text: &str) -> Result<Span, String> {
        let expected =
            || format!("`{text}` is not a duration (expected e.g. `30s`, `5m`, `1h30m`, `2d`)");
        let text = text.trim();
        if text.is_empty() {
            return Err(expected());
        }
        if let Ok(seconds) = text.parse::<u64>() {
            return Span::seconds(seconds).bounded(text);
        }
        let mut total_ms: u64 = 0;
        let mut digits = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let unit_ms: u64 = match c {
                'm' if chars.peek() == Some(&'s') => {
                    chars.next();
                    1
                }
                's' => 1_000,
                'm' => 60_000,
                'h' => 3_600_000,
                'd' => 86_400_000,
                _ => return Err(expected()),
            };
            let n: u64 = digits.parse().map_err(|_| expected())?;
            digits.clear();
            total_ms = n
                .checked_mul(unit_ms)
                .and_then(|ms| total_ms.checked_add(ms))
                .ok_or_else(expected)?;
        }
        if !digits.is_empty() {
            return Err(expected());
        }
        Span(std::time::Duration::from_millis(total_ms)).bounded(text)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if !ms.is_multiple_of(1000) {
            return write!(f, "{ms}ms");
        }
        let mut s = self.0.as_secs();
        if s == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            if s >= size {
                write!(f, "{}{unit}", s / size)?;
                s %= size;
            }
        }
        Ok(())
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        struct SpanVisitor;
        impl Visitor<'_> for SpanVisitor {
            type Value = Span;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as `30s`, `5m` or `1h30m`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Span, E> {
                Span::seconds(v).bounded(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Span, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("`{v}` is negative (expected a duration)")))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Span, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(SpanVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!("30s".parse::<Span>().unwrap(), Span::seconds(30));
        assert_eq!("2m".parse::<Span>().unwrap(), Span::seconds(120));
        assert_eq!("1h30m".parse::<Span>().unwrap(), Span::seconds(5400));
        assert_eq!("45".parse::<Span>().unwrap(), Span::seconds(45));
        assert_eq!(
            "250ms".parse::<Span>().unwrap(),
            Span(std::time::Duration::from_millis(250))
        );
        assert_eq!(Span::seconds(5400).to_string(), "1h30m");
    }

    #[test]
    fn durations_longer_than_ten_years_are_refused_not_saturated() {
        assert_eq!(
            "3650d".parse::<Span>().unwrap(),
            Span::seconds(MAX_SPAN_SECS)
        );
        for huge in ["3651d", "100000000d", "18446744073709551615", "87600h1s"] {
            let err = huge.parse::<Span>().unwrap_err();
            assert!(err.contains("longer than ten years"), "{huge}: {err}");
        }
        let yaml: Result<Span, _> = serde_yaml::from_str("18446744073709551615");
        assert!(
            yaml.unwrap_err()
                .to_string()
                .contains("longer than ten years")
        );
    }

    #[test]
    fn nonsense_durations_are_refused_with_an_example() {
        for bad in ["", "m", "5x", "1h30", "99999999999999999999d"] {
            let err = bad.parse::<Span>().unwrap_err();
            assert!(err.contains("expected e.g."), "{bad}: {err}");
        }
    }
}
