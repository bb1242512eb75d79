//! A real Prometheus (Debian's `prometheus` and `promtool`) on 127.0.0.1, serving a history
//! written by the test: OpenMetrics generated here, backfilled with `promtool tsdb
//! create-blocks-from openmetrics`, served from a fresh data directory. Missing binaries fail
//! the test when `CI` is set, and skip it (saying so) otherwise.
#![allow(dead_code)]

pub mod fleet;

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One service's traffic through time: requests per second, the 5xx share, and the latency
/// histogram's per-second bucket counts — each a function of the second.
pub struct Traffic {
    pub job: &'static str,
    pub environment: &'static str,
    pub requests_per_second: f64,
    pub error_share: Box<dyn Fn(i64) -> f64>,
    /// The share of requests at or under each bucket bound, per second (cumulative, ≤ 1).
    pub latency_buckets: Box<dyn Fn(i64) -> [(f64, f64); 4]>,
}

/// The OpenMetrics text of `traffic` from `start` for `seconds`, one sample every 15 s:
/// counters that grow by the rates, reset to zero at `resets` (seconds since start).
pub fn openmetrics(traffic: &[Traffic], start: i64, seconds: i64, resets: &[i64]) -> String {
    let mut out = String::new();
    out.push_str("# HELP http_requests Requests.\n# TYPE http_requests counter\n");
    let times: Vec<i64> = (0..=seconds).step_by(15).collect();
    for t in traffic {
        let (mut ok, mut errors) = (0.0, 0.0);
        let mut last = 0;
        for &s in &times {
            if resets.iter().any(|r| last < *r && *r <= s) {
                ok = 0.0;
                errors = 0.0;
            }
            for second in last..s {
                let share = (t.error_share)(second);
                errors += t.requests_per_second * share;
                ok += t.requests_per_second * (1.0 - share);
            }
            last = s;
            let at = start + s;
            let labels = format!("job=\"{}\",environment=\"{}\"", t.job, t.environment);
            let _ = writeln!(
                out,
                "http_requests_total{{code=\"200\",{labels}}} {ok} {at}"
            );
            let _ = writeln!(
                out,
                "http_requests_total{{code=\"500\",{labels}}} {errors} {at}"
            );
        }
    }
    out.push_str("# HELP http_request_duration_seconds Latency.\n");
    out.push_str("# TYPE http_request_duration_seconds histogram\n");
    for t in traffic {
        let mut counts = [0.0f64; 5];
        let mut last = 0;
        for &s in &times {
            for second in last..s {
                let buckets = (t.latency_buckets)(second);
                for (i, (_, share)) in buckets.iter().enumerate() {
                    counts[i] += t.requests_per_second * share;
                }
                counts[4] += t.requests_per_second;
            }
            last = s;
            let at = start + s;
            let labels = format!("job=\"{}\",environment=\"{}\"", t.job, t.environment);
            let bounds = (t.latency_buckets)(s);
            for (i, (le, _)) in bounds.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {} {at}",
                    counts[i]
                );
            }
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {} {at}",
                counts[4]
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{{labels}}} {} {at}",
                counts[4]
            );
            let _ = writeln!(out, "http_request_duration_seconds_sum{{{labels}}} 0 {at}");
        }
    }
    out.push_str("# EOF\n");
    out
}

/// A running Prometheus, killed on drop.
pub struct Prometheus {
    child: Child,
    dir: PathBuf,
    pub url: String,
    port: u16,
}

fn have(binary: &str) -> bool {
    Command::new(binary)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

impl Prometheus {
    /// Backfills `openmetrics` and serves it; `None` (with a line on stderr) when Prometheus
    /// is not installed and `CI` is not set.
    pub fn start(name: &str, openmetrics: &str) -> Option<Prometheus> {
        if !have("prometheus") || !have("promtool") {
            assert!(
                std::env::var_os("CI").is_none(),
                "prometheus and promtool are needed (apt-get install -y prometheus)"
            );
            eprintln!("skipped: prometheus is not installed");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("shiproom-prom-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).expect("a data directory");
        let om = dir.join("history.om");
        std::fs::write(&om, openmetrics).expect("the history is written");
        let made = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&om)
            .arg(dir.join("data"))
            .output()
            .expect("promtool runs");
        assert!(
            made.status.success(),
            "promtool: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        std::fs::write(
            dir.join("prometheus.yml"),
            "global:\n  scrape_interval: 15s\n",
        )
        .expect("a configuration");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new("prometheus")
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--storage.tsdb.retention.time=100y")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus starts");
        let p = Prometheus {
            child,
            dir,
            url: format!("http://127.0.0.1:{port}"),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while p.get("/-/ready").map(|(code, _)| code) != Some(200) {
            assert!(Instant::now() < deadline, "prometheus never became ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(p)
    }

    /// `GET path` over HTTP/1.0: the status code and the body.
    pub fn get(&self, path: &str) -> Option<(u16, Vec<u8>)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).ok()?;
        let split = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&answer[..split]);
        let code = head.split_whitespace().nth(1)?.parse().ok()?;
        Some((code, answer[split + 4..].to_vec()))
    }

    /// A range query: `query` from `start` to `end` (unix seconds) at `step` seconds.
    pub fn query_range(&self, query: &str, start: i64, end: i64, step: i64) -> (u16, Vec<u8>) {
        let path = format!(
            "/api/v1/query_range?query={}&start={start}&end={end}&step={step}",
            encode(query)
        );
        self.get(&path).expect("prometheus answers")
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `text` percent-encoded for a query string.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}
