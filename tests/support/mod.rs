//! Support for the source tests: a tiny HTTP/1.1 server on 127.0.0.1 that answers scripted
//! replies and records every request, and GitHub fixtures built from the official example
//! responses in `tests/fixtures/github` (values varied per scenario, shapes kept).
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

pub mod github;
pub mod harness;
pub mod prometheus;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body, as long as its `content-length` said.
    pub body: Vec<u8>,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn json(value: &serde_json::Value) -> Reply {
        Reply {
            status: 200,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec(value).unwrap(),
            delay: Duration::ZERO,
        }
    }

    /// Any status with a raw body.
    pub fn raw(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Gives an ETag: a request that sends it back in `If-None-Match` gets a 304.
    pub fn etag(self, tag: &str) -> Reply {
        self.header("etag", format!("\"{tag}\""))
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Answer = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

struct Route {
    path: String,
    query: Option<String>,
    /// `path` is a prefix: every path under it.
    prefix: bool,
    answer: Answer,
}

struct State {
    routes: Vec<Route>,
    requests: Vec<Request>,
    /// `x-ratelimit-remaining` of the next charged answer.
    remaining: u64,
    /// `x-ratelimit-reset` (epoch seconds).
    reset: i64,
    /// Whether a matching `If-None-Match` gets a 304 (else every answer is a charged 200).
    conditional: bool,
    /// Requests being answered now, and the most there ever were at once.
    in_flight: usize,
    peak: usize,
}

/// The test server. Dropping it leaves its task to end with the runtime.
#[derive(Clone)]
pub struct Server {
    pub url: String,
    state: Arc<Mutex<State>>,
    stop: Arc<tokio::sync::Notify>,
}

impl Server {
    /// Binds 127.0.0.1 on a free port and serves on the current tokio runtime.
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            routes: Vec::new(),
            requests: Vec::new(),
            remaining: 5000,
            reset: github::reset_epoch(),
            conditional: true,
            in_flight: 0,
            peak: 0,
        }));
        let shared = state.clone();
        let stop = Arc::new(tokio::sync::Notify::new());
        let stopped = stop.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = stopped.notified() => break,
                };
                let Ok((stream, _)) = accepted else { break };
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state.clone()).await;
                    state.lock().unwrap().in_flight -= 1;
                });
            }
        });
        Server { url, state, stop }
    }

    /// Stops listening: from now on a connection to its port is refused.
    pub async fn stop(&self) {
        self.stop.notify_one();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// The most requests it was answering at once.
    pub fn peak(&self) -> usize {
        self.state.lock().unwrap().peak
    }

    /// Answers GETs of `path` (whose query contains `query`, when given) with `reply`. A later
    /// route for the same path and query replaces the earlier one.
    pub fn on(&self, path: &str, query: Option<&str>, reply: Reply) {
        self.on_fn(path, query, move |_| reply.clone());
    }

    /// Answers with a function of the request.
    pub fn on_fn(
        &self,
        path: &str,
        query: Option<&str>,
        answer: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) {
        let mut state = self.state.lock().unwrap();
        state
            .routes
            .retain(|r| !(r.path == path && r.query.as_deref() == query && !r.prefix));
        state.routes.push(Route {
            path: path.into(),
            query: query.map(str::to_string),
            prefix: false,
            answer: Arc::new(answer),
        });
    }

    /// Answers every GET of a path that starts with `prefix` with `reply`, over the routes
    /// given before it (a later route wins).
    pub fn on_prefix(&self, prefix: &str, reply: Reply) {
        let mut state = self.state.lock().unwrap();
        state.routes.push(Route {
            path: prefix.into(),
            query: None,
            prefix: true,
            answer: Arc::new(move |_| reply.clone()),
        });
    }

    /// Drops the routes of `on_prefix(prefix, …)`: the exact routes answer again.
    pub fn off_prefix(&self, prefix: &str) {
        let mut state = self.state.lock().unwrap();
        state.routes.retain(|r| !(r.prefix && r.path == prefix));
    }

    /// How many requests asked for a path under `prefix`.
    pub fn count_under(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path().starts_with(prefix))
            .count()
    }

    /// Sets the quota left that the next answers report.
    pub fn set_remaining(&self, remaining: u64) {
        self.state.lock().unwrap().remaining = remaining;
    }

    /// Whether ETags are honoured: `false` answers every request whole, as if everything
    /// changed all the time.
    pub fn set_conditional(&self, conditional: bool) {
        self.state.lock().unwrap().conditional = conditional;
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Forgets the requests so far.
    pub fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }

    /// How many requests asked for `path` (exact path, any query).
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    {
        let mut state = state.lock().unwrap();
        state.in_flight += 1;
        state.peak = state.peak.max(state.in_flight);
    }
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > 64 * 1024 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: BTreeMap<String, String> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let start = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 4;
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    while buf.len() < start + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[start.min(buf.len())..(start + length).min(buf.len())].to_vec();
    let request = Request {
        method,
        target,
        headers,
        body,
    };
    let (reply, remaining, reset) = {
        let mut state = state.lock().unwrap();
        state.requests.push(request.clone());
        let query = request.target.split_once('?').map_or("", |(_, q)| q);
        let route = state.routes.iter().rev().find(|r| {
            let path = if r.prefix {
                request.path().starts_with(&r.path)
            } else {
                r.path == request.path()
            };
            path && r.query.as_deref().is_none_or(|q| query.contains(q))
        });
        let mut reply = match route {
            Some(route) => (route.answer)(&request),
            None => Reply::raw(
                404,
                r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#,
            ),
        };
        let matches = state.conditional
            && reply
                .header_value("etag")
                .is_some_and(|tag| request.header("if-none-match") == Some(tag));
        if matches {
            reply.status = 304;
            reply.body.clear();
        } else if state.remaining > 0 {
            state.remaining -= 1;
        }
        (reply, state.remaining, state.reset)
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    let mut headers = reply.headers.clone();
    for (name, value) in [
        ("x-ratelimit-limit", "5000".to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-resource", "core".to_string()),
    ] {
        if !headers.iter().any(|(n, _)| n == name) {
            headers.push((name.into(), value));
        }
    }
    for (name, value) in &headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        reply.body.len()
    ));
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(&reply.body).await?;
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
