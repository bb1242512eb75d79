//! The etcd lock store against a real etcd (Debian's `etcd-server`), started on 127.0.0.1
//! with a temporary data directory: a race has one winner, a non-holder cannot unlock, a
//! lease lifts a timed lock by itself, and a second client sees the lock.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use shiproom::locks::{AcquireError, EtcdStore, ReleaseError};
use shiproom::model::{Lock, LockOrigin, LockScope};

/// A running etcd, stopped and cleaned up on drop.
struct Etcd {
    child: Child,
    dir: PathBuf,
    url: String,
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts etcd, or returns `None` (with a note) when it is not installed outside CI. In CI a
/// missing etcd fails the test: `.ci/run` installs it.
fn start_etcd(name: &str) -> Option<Etcd> {
    if Command::new("etcd")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        if std::env::var_os("CI").is_some() {
            panic!("etcd is not installed; CI must install the Debian package etcd-server");
        }
        eprintln!("skipping: etcd is not installed (apt-get install etcd-server)");
        return None;
    }
    let base = if PathBuf::from("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("shiproom-etcd-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (client, peer) = (free_port(), free_port());
    let url = format!("http://127.0.0.1:{client}");
    let peer_url = format!("http://127.0.0.1:{peer}");
    let child = Command::new("etcd")
        .args(["--name", "t1", "--data-dir"])
        .arg(dir.join("data"))
        .args([
            "--listen-client-urls",
            &url,
            "--advertise-client-urls",
            &url,
        ])
        .args([
            "--listen-peer-urls",
            &peer_url,
            "--initial-advertise-peer-urls",
            &peer_url,
        ])
        .args([
            "--initial-cluster",
            &format!("t1={peer_url}"),
            "--initial-cluster-state",
            "new",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("etcd starts");
    let etcd = Etcd { child, dir, url };
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", client)).is_ok() {
            return Some(etcd);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("etcd did not start listening on {}", etcd.url);
}

fn store(etcd: &Etcd) -> EtcdStore {
    EtcdStore::new(&etcd.url, "shiproom/locks/", Duration::from_secs(5)).unwrap()
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap()
        + chrono::Duration::seconds(secs)
}

fn production() -> LockScope {
    LockScope::Environment {
        environment: "production".into(),
    }
}

fn lock(by: &str, until: Option<DateTime<Utc>>) -> Lock {
    Lock {
        scope: production(),
        reason: format!("{by}'s incident"),
        by: by.into(),
        origin: LockOrigin::Manual,
        since: at(0),
        until,
    }
}

/// The first request may race etcd's leader election: retry until it answers.
async fn ready(store: &EtcdStore) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while store.list(at(0)).await.is_err() {
        assert!(Instant::now() < deadline, "etcd never answered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn twenty_clients_racing_for_one_scope_leave_exactly_one_holder() {
    let Some(etcd) = start_etcd("race") else {
        return;
    };
    let first = store(&etcd);
    ready(&first).await;
    let mut racers = tokio::task::JoinSet::new();
    for i in 0..20 {
        let client = store(&etcd);
        racers.spawn(async move { client.acquire(&lock(&format!("op{i}"), None), at(0)).await });
    }
    let results = racers.join_all().await;
    let winners = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(winners, 1, "{results:?}");
    let holder = first.list(at(0)).await.unwrap();
    assert_eq!(holder.len(), 1);
    for result in results.iter().filter(|r| r.is_err()) {
        match result {
            Err(AcquireError::Held(held)) => {
                assert_eq!(held.by, holder[0].by, "the losers are told who holds it")
            }
            other => panic!("expected Held, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn only_the_holder_can_unlock_and_a_second_client_sees_the_lock() {
    let Some(etcd) = start_etcd("holder") else {
        return;
    };
    let alice = store(&etcd);
    ready(&alice).await;
    alice.acquire(&lock("alice", None), at(0)).await.unwrap();

    let bob = store(&etcd);
    let seen = bob.list(at(1)).await.unwrap();
    assert_eq!(
        seen.len(),
        1,
        "another client, another connection, the same lock"
    );
    assert_eq!(
        (seen[0].by.as_str(), seen[0].reason.as_str()),
        ("alice", "alice's incident")
    );

    match bob.release(&production(), "bob", false, at(2)).await {
        Err(ReleaseError::HeldBy(held)) => assert_eq!(held.by, "alice"),
        other => panic!("a non-holder's unlock must be refused, got {other:?}"),
    }
    assert_eq!(bob.list(at(3)).await.unwrap().len(), 1, "still locked");
    let lifted = alice
        .release(&production(), "alice", false, at(4))
        .await
        .unwrap();
    assert_eq!(lifted.by, "alice");
    assert!(bob.list(at(5)).await.unwrap().is_empty());
    assert_eq!(
        alice.release(&production(), "alice", false, at(6)).await,
        Err(ReleaseError::NotLocked)
    );
}

#[tokio::test]
async fn a_timed_lock_lifts_by_its_lease_even_with_no_shiproom_running() {
    let Some(etcd) = start_etcd("lease") else {
        return;
    };
    let client = store(&etcd);
    ready(&client).await;
    // Two seconds is etcd's shortest lease.
    client
        .acquire(&lock("alice", Some(at(2))), at(0))
        .await
        .unwrap();
    assert_eq!(client.list(at(0)).await.unwrap().len(), 1);
    drop(client);
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    // Read "as of" the start: only etcd's lease can have removed it.
    let later = store(&etcd);
    assert!(
        later.list(at(0)).await.unwrap().is_empty(),
        "the lease expired and took the key with it"
    );
    later
        .acquire(&lock("bob", None), at(5))
        .await
        .expect("the scope is free again");
}

#[tokio::test]
async fn an_unreachable_etcd_is_a_clear_error() {
    let port = free_port();
    let client = EtcdStore::new(
        &format!("http://127.0.0.1:{port}"),
        "shiproom/locks/",
        Duration::from_secs(2),
    )
    .unwrap();
    let err = client.list(at(0)).await.unwrap_err();
    assert!(
        err.reason
            .contains(&format!("etcd at http://127.0.0.1:{port} unreachable")),
        "{err}"
    );
}
