//! Conditional requests: the ETag / Last-Modified of each URL (query string included) with the
//! result parsed from its body, so a `304 Not Modified` reuses that result without parsing.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// The most URLs kept; beyond it the least recently used go first.
const MAX_ENTRIES: usize = 20_000;

/// A parsed result, shared: a 304 hands out the same value again.
pub type Parsed = Arc<dyn Any + Send + Sync>;

#[derive(Clone)]
struct Entry {
    etag: Option<String>,
    last_modified: Option<String>,
    value: Parsed,
    /// The next page, from the answer that gave `value`.
    next: Option<String>,
    /// The cycle it was last used in.
    used: u64,
}

/// The validators and parsed results of the URLs a source polls.
#[derive(Default)]
pub struct ConditionalCache {
    entries: HashMap<String, Entry>,
    cycle: u64,
}

/// What to send with a request: `If-None-Match` and `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl ConditionalCache {
    /// The validators for `url`, if an earlier answer gave any.
    pub fn validators(&self, url: &str) -> Validators {
        self.entries
            .get(url)
            .map(|e| Validators {
                etag: e.etag.clone(),
                last_modified: e.last_modified.clone(),
            })
            .unwrap_or_default()
    }

    /// After a 304: the result kept for `url` and its next page.
    pub fn reuse(&mut self, url: &str) -> Option<(Parsed, Option<String>)> {
        let cycle = self.cycle;
        let entry = self.entries.get_mut(url)?;
        entry.used = cycle;
        Some((entry.value.clone(), entry.next.clone()))
    }

    /// Keeps the result of a 200 for `url`, when it came with a validator.
    pub fn store(
        &mut self,
        url: &str,
        validators: Validators,
        value: Parsed,
        next: Option<String>,
    ) {
        if validators.etag.is_none() && validators.last_modified.is_none() {
            self.entries.remove(url);
            return;
        }
        if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(url) {
            self.evict_oldest();
        }
        self.entries.insert(
            url.to_string(),
            Entry {
                etag: validators.etag,
                last_modified: validators.last_modified,
                value,
                next,
                used: self.cycle,
            },
        );
    }

    /// Starts a poll cycle.
    pub fn begin_cycle(&mut self) {
        self.cycle += 1;
    }

    /// After a complete cycle: forgets the URLs it did not ask for (deployments that left
    /// the list, pages that no longer exist).
    pub fn sweep(&mut self) {
        let cycle = self.cycle;
        self.entries.retain(|_, e| e.used == cycle);
    }

    /// Forgets the URLs for which `under` holds that were not asked for in this cycle.
    pub fn sweep_where(&mut self, under: impl Fn(&str) -> bool) {
        let cycle = self.cycle;
        self.entries.retain(|url, e| e.used == cycle || !under(url));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn evict_oldest(&mut self) {
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, e)| e.used)
            .map(|(k, _)| k.clone());
        if let Some(key) = oldest {
            self.entries.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_answer_gives_its_validators_and_its_parsed_value_back() {
        let mut cache = ConditionalCache::default();
        cache.begin_cycle();
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: None,
        };
        cache.store(
            "u?page=1",
            v.clone(),
            Arc::new(vec![1u32, 2]),
            Some("u?page=2".into()),
        );
        assert_eq!(cache.validators("u?page=1"), v);
        assert_eq!(cache.validators("u?page=2"), Validators::default());
        let (value, next) = cache.reuse("u?page=1").unwrap();
        assert_eq!(value.downcast_ref::<Vec<u32>>(), Some(&vec![1, 2]));
        assert_eq!(next.as_deref(), Some("u?page=2"));
    }

    #[test]
    fn urls_not_asked_for_in_a_cycle_are_swept() {
        let mut cache = ConditionalCache::default();
        let v = Validators {
            etag: Some("\"e\"".into()),
            last_modified: None,
        };
        cache.begin_cycle();
        cache.store("a", v.clone(), Arc::new(1u8), None);
        cache.store("b", v, Arc::new(2u8), None);
        cache.begin_cycle();
        assert!(cache.reuse("a").is_some());
        cache.sweep();
        assert_eq!(cache.len(), 1);
        assert!(cache.reuse("b").is_none());
    }
}
