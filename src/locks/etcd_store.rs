//! The etcd lock store, for a whole team across machines: etcd v3 through its JSON gateway.
//! A lock is taken by a transaction that succeeds only if its key does not exist, lifted by a
//! compare-and-delete on the holder's revision, and a timed lock rides on a lease so it lifts
//! even when no shiproom is running. Keys and values are base64; int64s arrive as strings;
//! fields at their default are left out (the API notes on etcd; real gateway answers in `tests/fixtures/etcd/`).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{AcquireError, ReleaseError, StoreError};
use super::stored::StoredLock;
use crate::model::{Lock, LockScope};

/// The prefix under which locks live when the configuration names none.
pub const DEFAULT_PREFIX: &str = "shiproom/locks/";

/// etcd's shortest lease.
const MIN_LEASE_SECS: i64 = 2;

/// A key-value pair as the gateway returns it.
#[derive(Debug, Deserialize)]
struct Kv {
    #[serde(default)]
    value: String,
    #[serde(default)]
    mod_revision: String,
}

#[derive(Debug, Default, Deserialize)]
struct RangeResponse {
    #[serde(default)]
    kvs: Vec<Kv>,
}

#[derive(Debug, Deserialize)]
struct ResponseOp {
    #[serde(default)]
    response_range: Option<RangeResponse>,
}

#[derive(Debug, Default, Deserialize)]
struct TxnResponse {
    /// Left out when false.
    #[serde(default)]
    succeeded: bool,
    #[serde(default)]
    responses: Vec<ResponseOp>,
}

#[derive(Debug, Deserialize)]
struct LeaseGrant {
    #[serde(rename = "ID")]
    id: String,
}

#[derive(Debug, Deserialize)]
struct GatewayError {
    #[serde(default)]
    error: String,
}

/// The store at one etcd endpoint, under one key prefix.
#[derive(Debug, Clone)]
pub struct EtcdStore {
    endpoint: String,
    prefix: String,
    client: reqwest::Client,
}

impl EtcdStore {
    /// A store talking to `endpoint` (e.g. `http://127.0.0.1:2379`) with a per-request timeout.
    pub fn new(endpoint: &str, prefix: &str, timeout: Duration) -> Result<EtcdStore, StoreError> {
        let client =
            crate::sources::http::client::build_client(timeout).map_err(StoreError::new)?;
        Ok(EtcdStore {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            prefix: prefix.to_string(),
            client,
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn key(&self, scope: &LockScope) -> String {
        match scope.service() {
            Some(service) => format!("{}{}/{service}", self.prefix, scope.environment()),
            None => format!("{}{}", self.prefix, scope.environment()),
        }
    }

    /// One gateway call; errors name the endpoint and what etcd said.
    async fn call<T: for<'de> Deserialize<'de> + Default>(
        &self,
        path: &str,
        body: Value,
    ) -> Result<T, StoreError> {
        let url = format!("{}{path}", self.endpoint);
        let response = self
            .client
            .post(&url)
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                let why = if e.is_timeout() {
                    "timed out".to_string()
                } else if e.is_connect() {
                    "connection refused or unreachable".to_string()
                } else {
                    e.to_string()
                };
                StoreError::new(format!("etcd at {} unreachable: {why}", self.endpoint))
            })?;
        let status = response.status();
        let text = response.text().await.map_err(|e| {
            StoreError::new(format!(
                "etcd at {}: cannot read the answer: {e}",
                self.endpoint
            ))
        })?;
        if !status.is_success() {
            let said = serde_json::from_str::<GatewayError>(&text)
                .map(|g| g.error)
                .unwrap_or(text);
            return Err(StoreError::new(format!(
                "etcd at {} answered {status}: {said}",
                self.endpoint
            )));
        }
        serde_json::from_str(&text).map_err(|e| {
            StoreError::new(format!(
                "etcd at {}: unexpected answer to {path}: {e}",
                self.endpoint
            ))
        })
    }

    fn decode(&self, kv: &Kv) -> Result<Lock, StoreError> {
        let bytes = B64.decode(&kv.value).map_err(|e| {
            StoreError::new(format!(
                "etcd at {}: a lock value is not base64: {e}",
                self.endpoint
            ))
        })?;
        serde_json::from_slice::<StoredLock>(&bytes)
            .map(|s| s.to_lock())
            .map_err(|e| {
                StoreError::new(format!(
                    "etcd at {}: a lock value is not a lock: {e}",
                    self.endpoint
                ))
            })
    }

    /// Every manual lock in force at `now`: one range read over the prefix.
    pub async fn list(&self, now: DateTime<Utc>) -> Result<Vec<Lock>, StoreError> {
        let mut end = self.prefix.clone().into_bytes();
        if let Some(last) = end.last_mut() {
            *last += 1;
        }
        let range: RangeResponse = self
            .call(
                "/v3/kv/range",
                json!({"key": B64.encode(&self.prefix), "range_end": B64.encode(&end)}),
            )
            .await?;
        let mut locks = Vec::with_capacity(range.kvs.len());
        for kv in &range.kvs {
            let lock = self.decode(kv)?;
            if lock.is_active(now) {
                locks.push(lock);
            }
        }
        Ok(locks)
    }

    /// Takes `lock` if no key holds its scope; a timed lock gets a lease that ends with it.
    pub async fn acquire(&self, lock: &Lock, now: DateTime<Utc>) -> Result<(), AcquireError> {
        let key = B64.encode(self.key(&lock.scope));
        let value = serde_json::to_vec(&StoredLock::from_lock(lock))
            .map_err(|e| StoreError::new(format!("cannot encode the lock: {e}")))?;
        let mut put = json!({"key": key, "value": B64.encode(value)});
        if let Some(until) = lock.until {
            let ttl = (until - now).num_seconds().max(MIN_LEASE_SECS);
            let grant: LeaseGrantOrDefault = self
                .call("/v3/lease/grant", json!({"TTL": ttl.to_string()}))
                .await?;
            let Some(id) = grant.0 else {
                return Err(
                    StoreError::new(format!("etcd at {} granted no lease", self.endpoint)).into(),
                );
            };
            put["lease"] = Value::String(id);
        }
        let txn: TxnResponse = self
            .call(
                "/v3/kv/txn",
                json!({
                    "compare": [{"target": "CREATE", "key": key, "result": "EQUAL", "create_revision": "0"}],
                    "success": [{"request_put": put}],
                    "failure": [{"request_range": {"key": key}}],
                }),
            )
            .await?;
        if txn.succeeded {
            return Ok(());
        }
        let holder = txn
            .responses
            .into_iter()
            .find_map(|r| r.response_range)
            .and_then(|r| r.kvs.into_iter().next());
        match holder {
            Some(kv) => Err(AcquireError::Held(Box::new(self.decode(&kv)?))),
            // The holder vanished between compare and read: say so rather than guess.
            None => {
                Err(StoreError::new("the lock changed while it was being taken; try again").into())
            }
        }
    }

    /// The lock that holds `scope` now, if any: one range read of its key.
    pub async fn holder(&self, scope: &LockScope) -> Result<Option<Lock>, StoreError> {
        let key = B64.encode(self.key(scope));
        let range: RangeResponse = self.call("/v3/kv/range", json!({"key": key})).await?;
        range.kvs.first().map(|kv| self.decode(kv)).transpose()
    }

    /// Lifts the lock on `scope` with a compare-and-delete on the revision that was read.
    pub async fn release(
        &self,
        scope: &LockScope,
        who: &str,
        force: bool,
        _now: DateTime<Utc>,
    ) -> Result<Lock, ReleaseError> {
        let key = B64.encode(self.key(scope));
        let range: RangeResponse = self.call("/v3/kv/range", json!({"key": key})).await?;
        let Some(kv) = range.kvs.first() else {
            return Err(ReleaseError::NotLocked);
        };
        let held = self.decode(kv)?;
        if held.by != who && !force {
            return Err(ReleaseError::HeldBy(Box::new(held)));
        }
        let txn: TxnResponse = self
            .call(
                "/v3/kv/txn",
                json!({
                    "compare": [{"target": "MOD", "key": key, "result": "EQUAL", "mod_revision": kv.mod_revision}],
                    "success": [{"request_delete_range": {"key": key}}],
                }),
            )
            .await?;
        if txn.succeeded {
            Ok(held)
        } else {
            Err(
                StoreError::new("the lock changed while it was being lifted; look again and retry")
                    .into(),
            )
        }
    }
}

/// A lease grant, tolerant of an answer without an ID.
#[derive(Debug, Default)]
struct LeaseGrantOrDefault(Option<String>);

impl<'de> Deserialize<'de> for LeaseGrantOrDefault {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(LeaseGrantOrDefault(
            LeaseGrant::deserialize(d).ok().map(|g| g.id),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_gateway_answers_parse_with_their_omitted_defaults() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/etcd/");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        let won: TxnResponse = serde_json::from_str(&read("txn_acquire_succeeded.json")).unwrap();
        assert!(won.succeeded);
        let lost: TxnResponse = serde_json::from_str(&read("txn_acquire_failed.json")).unwrap();
        assert!(!lost.succeeded, "`succeeded` is left out when false");
        let kv = &lost.responses[0].response_range.as_ref().unwrap().kvs[0];
        assert_eq!(B64.decode(&kv.value).unwrap(), b"alice");
        assert_eq!(kv.mod_revision, "3", "int64s arrive as strings");
        let grant: LeaseGrant = serde_json::from_str(&read("lease_grant.json")).unwrap();
        assert!(!grant.id.is_empty());
    }

    #[test]
    fn keys_put_each_scope_under_the_prefix() {
        let store =
            EtcdStore::new("http://127.0.0.1:1", DEFAULT_PREFIX, Duration::from_secs(1)).unwrap();
        assert_eq!(
            store.key(&LockScope::Environment {
                environment: "production".into()
            }),
            "shiproom/locks/production"
        );
        assert_eq!(
            store.key(&LockScope::Service {
                environment: "production".into(),
                service: "api".into()
            }),
            "shiproom/locks/production/api"
        );
    }
}
