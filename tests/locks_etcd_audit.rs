//! The etcd store's audit record comes first, against a local stand-in for the etcd JSON
//! gateway on 127.0.0.1: a lock whose audit line cannot be written sends no transaction, and a
//! lock lost to another writer after its line was written gets a `void` line after it.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::Utc;
use serde_json::json;
use shiproom::locks::{AcquireError, AuditEntry, AuditLog, EtcdStore, Journal, LockStore};
use shiproom::model::{Lock, LockOrigin, LockScope};
use support::{Reply, Server};

fn lock(by: &str) -> Lock {
    Lock {
        scope: LockScope::Environment {
            environment: "production".into(),
        },
        reason: "db failover".into(),
        by: by.into(),
        origin: LockOrigin::Manual,
        since: Utc::now(),
        until: None,
    }
}

fn journal(log: &AuditLog, lock: &Lock) -> Journal {
    Journal::new(
        log,
        AuditEntry {
            time: lock.since,
            who: lock.by.clone(),
            action: "lock".into(),
            scope: lock.scope.label(),
            reason: lock.reason.clone(),
            result: String::new(),
        },
    )
}

fn dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("shiproom-etcd-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A gateway with nothing under the prefix, whose transactions answer `txn`.
async fn gateway(txn: serde_json::Value) -> (Server, LockStore) {
    let server = Server::start().await;
    server.on(
        "/v3/kv/range",
        None,
        Reply::json(&json!({"header": {"revision": "3"}})),
    );
    server.on("/v3/kv/txn", None, Reply::json(&txn));
    let store = EtcdStore::new(&server.url, "shiproom/locks/", Duration::from_secs(2)).unwrap();
    (server, LockStore::Etcd(store))
}

#[tokio::test]
async fn a_lock_whose_audit_line_cannot_be_written_sends_no_transaction() {
    let (server, store) = gateway(json!({"succeeded": true})).await;
    let dir = dir("unwritable");
    std::fs::create_dir(dir.join("audit.jsonl")).unwrap();
    let log = AuditLog::new(dir.join("audit.jsonl"));
    let alice = lock("alice");
    let err = store
        .acquire(alice.clone(), alice.since, &journal(&log, &alice))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AcquireError::Store(e) if e.reason.contains("the audit record is part of the change")),
        "{err:?}"
    );
    assert_eq!(server.count("/v3/kv/range"), 1, "the holder was asked");
    assert_eq!(server.count("/v3/kv/txn"), 0, "no lock was taken");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_lock_lost_after_its_audit_line_is_voided_in_the_log() {
    let bob = serde_json::to_vec(&json!({"environment": "production", "reason": "mine", "by": "bob", "since": "2026-11-24T08:00:00Z", "until": null})).unwrap();
    let (server, store) = gateway(json!({
        "responses": [{"response_range": {"kvs": [{"key": "eA==", "mod_revision": "4", "value": B64.encode(bob)}]}}]
    }))
    .await;
    let dir = dir("lost");
    let log = AuditLog::new(dir.join("audit.jsonl"));
    let alice = lock("alice");
    let err = store
        .acquire(alice.clone(), alice.since, &journal(&log, &alice))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AcquireError::Held(l) if l.by == "bob"),
        "{err:?}"
    );
    assert_eq!(server.count("/v3/kv/txn"), 1);
    let results: Vec<String> = log.recent(10).into_iter().rev().map(|e| e.result).collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0], "ok", "written before the transaction");
    assert!(
        results[1].starts_with("void: taken by bob meanwhile"),
        "{results:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
