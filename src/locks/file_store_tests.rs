use std::fs;

use super::*;
use crate::locks::AuditEntry;
use chrono::{Duration, TimeZone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap()
}

/// A store and audit log in a fresh directory that exists (a configured path).
fn temp_store(name: &str) -> (FileStore, AuditLog) {
    let dir =
        std::env::temp_dir().join(format!("shiproom-filestore-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    (
        FileStore::new(dir.join("locks.json")),
        AuditLog::new(dir.join("audit.jsonl")),
    )
}

fn lock(env: &str, service: Option<&str>, by: &str, until: Option<DateTime<Utc>>) -> Lock {
    StoredLock {
        environment: env.into(),
        service: service.map(str::to_string),
        reason: "incident".into(),
        by: by.into(),
        since: now(),
        until,
    }
    .to_lock()
}

fn journal(log: &AuditLog, lock: &Lock) -> Journal {
    Journal::new(
        log,
        AuditEntry {
            time: now(),
            who: lock.by.clone(),
            action: "lock".into(),
            scope: lock.scope.label(),
            reason: lock.reason.clone(),
            result: String::new(),
        },
    )
}

fn take(store: &FileStore, log: &AuditLog, lock: &Lock) -> Result<bool, AcquireError> {
    store.acquire(lock, now(), &journal(log, lock))
}

fn store_error<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    result.unwrap_err().reason
}

#[test]
fn a_second_lock_on_the_same_scope_is_refused_and_names_the_holder() {
    let (store, log) = temp_store("conflict");
    assert_eq!(
        take(&store, &log, &lock("production", None, "alice", None)),
        Ok(true)
    );
    match take(&store, &log, &lock("production", None, "bob", None)) {
        Err(AcquireError::Held(held)) => assert_eq!(held.by, "alice"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        take(
            &store,
            &log,
            &lock("production", Some("checkout"), "bob", None)
        ),
        Ok(false)
    );
    assert_eq!(
        store.list(now()).unwrap().len(),
        2,
        "a service lock is another scope"
    );
}

#[test]
fn only_the_holder_lifts_a_lock_unless_forced() {
    let (store, log) = temp_store("release");
    let scope = LockScope::Environment {
        environment: "staging".into(),
    };
    let alice = lock("staging", None, "alice", None);
    store.init(&log, false).unwrap();
    let j = journal(&log, &alice);
    assert_eq!(
        store.release(&scope, "alice", false, now(), &j),
        Err(ReleaseError::NotLocked)
    );
    take(&store, &log, &alice).unwrap();
    assert!(
        matches!(store.release(&scope, "bob", false, now(), &j), Err(ReleaseError::HeldBy(l)) if l.by == "alice")
    );
    assert_eq!(
        store.release(&scope, "bob", true, now(), &j).unwrap().by,
        "alice"
    );
    assert!(store.list(now()).unwrap().is_empty());
}

#[test]
fn an_expired_lock_lifts_by_itself_and_frees_its_scope() {
    let (store, log) = temp_store("expiry");
    take(
        &store,
        &log,
        &lock("staging", None, "alice", Some(now() + Duration::hours(2))),
    )
    .unwrap();
    let later = now() + Duration::hours(2);
    assert!(store.list(later).unwrap().is_empty());
    let bob = lock("staging", None, "bob", None);
    store.acquire(&bob, later, &journal(&log, &bob)).unwrap();
}

#[test]
fn a_corrupt_document_is_reported_and_never_overwritten() {
    let (store, log) = temp_store("corrupt");
    fs::write(store.path(), "{ not json").unwrap();
    let err = take(&store, &log, &lock("staging", None, "alice", None)).unwrap_err();
    assert!(
        matches!(&err, AcquireError::Store(e) if e.reason.contains("is not a lock document")),
        "{err:?}"
    );
    assert_eq!(fs::read_to_string(store.path()).unwrap(), "{ not json");
}

#[test]
fn an_empty_document_is_corrupt_not_an_open_store() {
    let (store, log) = temp_store("empty");
    for empty in ["", "\n  \n"] {
        fs::write(store.path(), empty).unwrap();
        assert!(store_error(store.list(now())).contains("is empty, so it is not a lock document"));
        assert!(take(&store, &log, &lock("staging", None, "alice", None)).is_err());
        assert_eq!(
            fs::read_to_string(store.path()).unwrap(),
            empty,
            "never overwritten"
        );
    }
}

#[test]
fn a_configured_store_never_created_or_without_its_directory_cannot_be_read() {
    let (store, log) = temp_store("never");
    assert_eq!(store.presence(), Presence::Never);
    assert!(store_error(store.list(now())).contains("does not exist yet"));
    let gone = FileStore::new(
        store
            .path()
            .parent()
            .unwrap()
            .join("no/such/dir/locks.json"),
    );
    assert_eq!(gone.presence(), Presence::NoDirectory);
    assert!(store_error(gone.list(now())).contains("does not exist, so manual locks are unknown"));
    let err = take(&gone, &log, &lock("staging", None, "alice", None)).unwrap_err();
    assert!(matches!(err, AcquireError::Store(_)), "{err:?}");
    assert!(
        !gone.path().parent().unwrap().exists(),
        "a configured directory is never created"
    );
    assert!(gone.init(&log, true).is_err());
}

#[test]
fn a_document_that_vanished_is_unknown_and_not_recreated_by_a_lock() {
    let (store, log) = temp_store("vanished");
    take(&store, &log, &lock("production", None, "alice", None)).unwrap();
    fs::remove_file(store.path()).unwrap();
    assert_eq!(store.presence(), Presence::Vanished);
    assert!(store_error(store.list(now())).contains("is gone although the store was in use"));
    assert!(take(&store, &log, &lock("staging", None, "bob", None)).is_err());
    assert!(!store.path().exists());
    assert!(
        store.init(&log, false).is_err(),
        "only --init-store starts it again"
    );
    assert_eq!(store.init(&log, true), Ok(Init::Recreated));
    assert!(store.list(now()).unwrap().is_empty());
}

#[test]
fn the_default_store_creates_its_private_directory_at_first_use() {
    let (configured, log) = temp_store("ours");
    let dir = configured.path().parent().unwrap().join("data/shiproom");
    let store = FileStore::with_ownership(dir.join("locks-1.json"), Ownership::Ours);
    assert_eq!(store.init(&log, false), Ok(Init::Created));
    assert!(store.list(now()).unwrap().is_empty());
    assert_eq!(store.init(&log, false), Ok(Init::AlreadyThere));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(store.path()), 0o600);
    }
}

#[test]
fn a_newer_document_is_read_but_never_written() {
    let (store, log) = temp_store("newer");
    let newer = r#"{"version": 2, "locks": [{"environment": "production", "reason": "migration", "by": "alice", "since": "2026-11-24T08:00:00Z", "until": null}], "holds": ["a field this shiproom does not know"]}"#;
    fs::write(store.path(), newer).unwrap();
    assert_eq!(store.list(now()).unwrap().len(), 1);
    let err = take(&store, &log, &lock("staging", None, "bob", None)).unwrap_err();
    assert!(
        matches!(&err, AcquireError::Store(e) if e.reason.contains("is version 2, written by a newer shiproom") && e.reason.contains("read-only here")),
        "{err:?}"
    );
    let scope = LockScope::Environment {
        environment: "production".into(),
    };
    let j = journal(&log, &lock("production", None, "alice", None));
    assert!(matches!(
        store.release(&scope, "alice", false, now(), &j),
        Err(ReleaseError::Store(_))
    ));
    assert_eq!(
        fs::read_to_string(store.path()).unwrap(),
        newer,
        "neither downgraded nor trimmed"
    );
}

#[test]
fn an_audit_log_that_cannot_be_written_refuses_the_change() {
    let (store, _) = temp_store("unaudited");
    let log = AuditLog::new(store.path().parent().unwrap().join("missing/audit.jsonl"));
    store.init(&log, false).unwrap();
    let err = take(&store, &log, &lock("staging", None, "alice", None)).unwrap_err();
    assert!(
        matches!(&err, AcquireError::Store(e) if e.reason.contains("the audit record is part of the change, so nothing was changed")),
        "{err:?}"
    );
    assert!(
        store.list(now()).unwrap().is_empty(),
        "no lock without its record"
    );
}

/// What a writer killed between its audit line and its rename leaves: a complete temporary
/// file whose audit id is in the log.
#[test]
fn a_stopped_writers_audited_change_is_finished_and_an_unaudited_one_discarded() {
    let (store, log) = temp_store("stale");
    store.init(&log, false).unwrap();
    let alice = lock("production", None, "alice", None);
    let j = journal(&log, &alice);
    j.commit().unwrap();
    let dir = store.path().parent().unwrap().to_path_buf();
    let audited = Document {
        version: VERSION,
        locks: vec![StoredLock::from_lock(&alice)],
        audit_id: Some(j.id().to_string()),
    };
    let stale = dir.join(".locks.json.4242.tmp");
    fs::write(&stale, serde_json::to_string(&audited).unwrap()).unwrap();
    let half = dir.join(".locks.json.4243.tmp");
    fs::write(&half, "{\"version\": 1, \"lo").unwrap();

    take(&store, &log, &lock("staging", None, "bob", None)).unwrap();
    assert!(
        !stale.exists() && !half.exists(),
        "no temporary file is left for ever"
    );
    let held: Vec<String> = store
        .list(now())
        .unwrap()
        .iter()
        .map(|l| l.scope.label())
        .collect();
    assert_eq!(
        held,
        ["production", "staging"],
        "the audited change was finished"
    );
    let audit = log.recent(10);
    assert_eq!(audit.len(), 2, "one line per change, no void: {audit:?}");
}
