//! Why a request failed, sorted into the kinds an operator acts on differently.

use std::time::Duration;

/// One failed request. `Display` gives the operator's words; sources add what they know
/// (which repository, which credential) through [`HttpError::reason`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The host name does not resolve.
    Dns { host: String },
    /// Nothing listens there.
    Refused { host: String },
    /// Another connection or TLS failure.
    Connect { host: String, detail: String },
    /// No answer within the timeout.
    Timeout { after: Duration },
    /// 401, even after reading the token again.
    BadToken,
    /// The token could not be read at all.
    NoToken(String),
    /// 403 that is not a rate limit.
    Forbidden { message: String },
    /// 404 for `path`.
    NotFound { path: String },
    /// 403 or 429 rate-limit answer: wait this long.
    RateLimited { wait: Duration },
    /// 5xx.
    Server { status: u16 },
    /// Any other unexpected status.
    Status { status: u16, message: String },
    /// The body is not the JSON expected; `path` is the field that failed (`[0].sha`).
    Malformed { path: String, detail: String },
    /// The body, decompressed, grew past the cap of `limit` bytes; reading stopped there.
    TooLarge { limit: usize },
    /// A `Link: rel="next"` (or a URL) pointed outside the source's own scheme, host and port:
    /// the token is not sent there and paging stops.
    ForeignUrl { origin: String },
    /// The token would travel over plain `http://` to a host that is not loopback.
    InsecureHttp { host: String },
    /// A write's body could not be made into JSON: nothing was sent.
    Unsendable { detail: String },
}

impl HttpError {
    /// The operator's words about target `what` (a repository: `acme/payments`), with
    /// `credential` (`GITHUB_TOKEN`) to name. Failures of one target name it; failures of the
    /// whole source (the token, the host) name what to fix instead.
    pub fn reason(&self, credential: &str, what: &str) -> String {
        match self {
            HttpError::Timeout { after } => format!("timeout after {}s on {what}", after.as_secs()),
            HttpError::Forbidden { message } => {
                format!("403 forbidden on {what}: {message} (does {credential} grant access?)")
            }
            HttpError::NotFound { .. } => format!("404 wrong repository {what}"),
            HttpError::RateLimited { wait } => {
                format!("rate limited on {what}: waiting {}", wait_words(*wait))
            }
            HttpError::Server { status } => format!("{status} server error on {what}"),
            HttpError::Status { status, message } => format!("{status} from {what}: {message}"),
            HttpError::Malformed { path, detail } => {
                format!("malformed JSON from {what} at {path}: {detail}")
            }
            HttpError::TooLarge { .. } | HttpError::ForeignUrl { .. } => {
                format!("{what}: {}", self.detail(credential))
            }
            _ => self.detail(credential),
        }
    }

    /// The operator's words without the target, for a line that already names it
    /// (`shiproom check`: `acme/x: 500 server error`).
    pub fn detail(&self, credential: &str) -> String {
        match self {
            HttpError::Dns { host } => format!("DNS: cannot resolve {host} (check the url)"),
            HttpError::Refused { host } => {
                format!("connection refused by {host} (is the url right and the server up?)")
            }
            HttpError::Connect { host, detail } => format!("cannot connect to {host}: {detail}"),
            HttpError::Timeout { after } => format!("timeout after {}s", after.as_secs()),
            HttpError::BadToken => format!("401 bad token: check {credential}"),
            HttpError::NoToken(message) => message.clone(),
            HttpError::Forbidden { message } => {
                format!("403 forbidden: {message} (does {credential} grant access?)")
            }
            HttpError::NotFound { .. } => "404 wrong repository".to_string(),
            HttpError::RateLimited { wait } => {
                format!("rate limited: waiting {}", wait_words(*wait))
            }
            HttpError::Server { status } => format!("{status} server error"),
            HttpError::Status { status, message } => format!("{status} {message}"),
            HttpError::Malformed { path, detail } => {
                format!("malformed JSON at {path}: {detail}")
            }
            HttpError::TooLarge { limit } => format!(
                "answer over the {} limit once decompressed: not read further",
                size_words(*limit)
            ),
            HttpError::ForeignUrl { origin } => format!(
                "a next-page link points to {origin}, outside this source's url: paging stopped, the token is not sent there"
            ),
            HttpError::InsecureHttp { host } => format!(
                "refusing to send the token over plain http:// to {host}, which is not loopback: use https://, or set `allow_insecure_http: true` on this source"
            ),
            HttpError::Unsendable { detail } => {
                format!("the request could not be written as JSON, so nothing was sent: {detail}")
            }
        }
    }

    /// Whether the failure is the whole source's, not one target's: the token, the host,
    /// the quota (which is per token). A cycle stops at such a failure; the targets it did
    /// not reach are reported as not read.
    pub fn is_source_wide(&self) -> bool {
        matches!(
            self,
            HttpError::Dns { .. }
                | HttpError::Refused { .. }
                | HttpError::Connect { .. }
                | HttpError::BadToken
                | HttpError::NoToken(_)
                | HttpError::RateLimited { .. }
                | HttpError::InsecureHttp { .. }
        )
    }

    /// The wait a rate-limit answer asked for.
    pub fn rate_wait(&self) -> Option<Duration> {
        match self {
            HttpError::RateLimited { wait } => Some(*wait),
            _ => None,
        }
    }
}

/// "45s", "12m", "1h5m".
pub fn wait_words(wait: Duration) -> String {
    let s = wait.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s.div_ceil(60)),
        _ => format!("{}h{}m", s / 3600, (s % 3600) / 60),
    }
}

/// "32 MB", "512 KB", "100 bytes" (binary units).
pub fn size_words(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// How long a connection may take to open: half the request timeout, at most 10 s, so a host
/// that takes no connection is told apart from a slow answer.
pub fn connect_timeout(timeout: Duration) -> Duration {
    (timeout / 2).min(Duration::from_secs(10))
}

/// "500ms" below a second, else as [`wait_words`].
pub fn duration_words(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        wait_words(d)
    }
}

/// Sorts a transport error: DNS, refused, timeout, other connection failures.
pub fn from_reqwest(e: &reqwest::Error, host: &str, timeout: Duration) -> HttpError {
    if e.is_timeout() {
        if e.is_connect() {
            // The host itself does not answer: every target of the source would wait as long.
            return HttpError::Connect {
                host: host.into(),
                detail: format!(
                    "no connection within {}",
                    duration_words(connect_timeout(timeout))
                ),
            };
        }
        return HttpError::Timeout { after: timeout };
    }
    let mut chain = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return HttpError::Refused { host: host.into() };
                }
                std::io::ErrorKind::TimedOut => return HttpError::Timeout { after: timeout },
                _ => {}
            }
        }
        chain.push(err.to_string());
        source = err.source();
    }
    let text = chain.join(": ").to_lowercase();
    if text.contains("dns error")
        || text.contains("failed to lookup address")
        || text.contains("name or service not known")
        || text.contains("no address associated")
    {
        return HttpError::Dns { host: host.into() };
    }
    if text.contains("connection refused") {
        return HttpError::Refused { host: host.into() };
    }
    let detail = chain.last().cloned().unwrap_or_else(|| e.to_string());
    HttpError::Connect {
        host: host.into(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_of_a_target_names_the_target_and_the_source_wide_ones_what_to_fix() {
        let r = |e: HttpError| e.reason("GITHUB_TOKEN", "acme/payments");
        assert_eq!(r(HttpError::BadToken), "401 bad token: check GITHUB_TOKEN");
        assert_eq!(
            r(HttpError::NotFound { path: "/x".into() }),
            "404 wrong repository acme/payments"
        );
        assert_eq!(
            r(HttpError::Timeout {
                after: Duration::from_secs(10)
            }),
            "timeout after 10s on acme/payments"
        );
        assert_eq!(
            r(HttpError::RateLimited {
                wait: Duration::from_secs(600)
            }),
            "rate limited on acme/payments: waiting 10m"
        );
        assert_eq!(
            r(HttpError::Server { status: 500 }),
            "500 server error on acme/payments"
        );
        assert_eq!(
            r(HttpError::Malformed {
                path: "deployments[0].sha".into(),
                detail: "invalid type: null, expected a string".into()
            }),
            "malformed JSON from acme/payments at deployments[0].sha: invalid type: null, expected a string"
        );
        assert_eq!(
            r(HttpError::TooLarge {
                limit: 32 * 1024 * 1024
            }),
            "acme/payments: answer over the 32 MB limit once decompressed: not read further"
        );
        assert!(
            r(HttpError::Refused { host: "h:1".into() }).starts_with("connection refused by h:1")
        );
    }

    #[test]
    fn a_line_that_names_the_target_already_gets_the_reason_without_it() {
        assert_eq!(
            HttpError::Server { status: 502 }.detail("GITHUB_TOKEN"),
            "502 server error"
        );
        assert_eq!(
            HttpError::Forbidden {
                message: "Resource not accessible by integration".into()
            }
            .detail("GITHUB_TOKEN"),
            "403 forbidden: Resource not accessible by integration (does GITHUB_TOKEN grant access?)"
        );
    }
}
