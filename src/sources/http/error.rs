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
}

impl HttpError {
    /// The operator's words, with `credential` (`GITHUB_TOKEN`) and `repository` to name.
    pub fn reason(&self, credential: &str, what: &str) -> String {
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
                format!("403 forbidden on {what}: {message} (does {credential} grant access?)")
            }
            HttpError::NotFound { .. } => format!("404 wrong repository {what}"),
            HttpError::RateLimited { wait } => {
                format!("rate limited: waiting {}", wait_words(*wait))
            }
            HttpError::Server { status } => format!("{status} server error"),
            HttpError::Status { status, message } => format!("{status} {message}"),
            HttpError::Malformed { path, detail } => {
                format!("malformed JSON at {path}: {detail}")
            }
        }
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

/// Sorts a transport error: DNS, refused, timeout, other connection failures.
pub fn from_reqwest(e: &reqwest::Error, host: &str, timeout: Duration) -> HttpError {
    if e.is_timeout() {
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
    fn each_kind_reads_as_an_operator_would_say_it() {
        let r = |e: HttpError| e.reason("GITHUB_TOKEN", "acme/x");
        assert_eq!(r(HttpError::BadToken), "401 bad token: check GITHUB_TOKEN");
        assert_eq!(
            r(HttpError::NotFound { path: "/x".into() }),
            "404 wrong repository acme/x"
        );
        assert_eq!(
            r(HttpError::Timeout {
                after: Duration::from_secs(10)
            }),
            "timeout after 10s"
        );
        assert_eq!(
            r(HttpError::RateLimited {
                wait: Duration::from_secs(600)
            }),
            "rate limited: waiting 10m"
        );
        assert_eq!(r(HttpError::Server { status: 502 }), "502 server error");
        assert_eq!(
            r(HttpError::Malformed {
                path: "deployments[0].sha".into(),
                detail: "invalid type: null, expected a string".into()
            }),
            "malformed JSON at deployments[0].sha: invalid type: null, expected a string"
        );
    }
}
