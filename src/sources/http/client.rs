//! The HTTP core every source uses: one `reqwest` client (rustls with ring, timeouts, a user
//! agent, gzip), the token, conditional requests, pagination, rate limits and accounting.
//! Requests go one at a time: a source never has two in flight.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::accounting::RequestCounts;
use super::cache::{ConditionalCache, Validators};
use super::credentials::{CredentialSource, Credentials};
use super::error::{HttpError, from_reqwest};
use super::pagination::next_page;
use super::rate_limit::{Pacer, RateLimit, limited_wait};

/// How a source's client is set up.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Per request, from sending to the last byte of the body.
    pub timeout: Duration,
    /// Headers sent with every request (`Accept`, an API version).
    pub headers: Vec<(&'static str, String)>,
    pub credentials: CredentialSource,
    /// The share of the API's hourly quota this source may spend (0.25: a quarter).
    pub quota_share: f64,
    /// The most pages one listing follows.
    pub max_pages: usize,
}

/// The user agent of every request (GitHub requires one).
pub const USER_AGENT: &str = concat!("shiproom/", env!("CARGO_PKG_VERSION"));

/// One page of an answer: the parsed body (shared with the cache) and the next page's URL.
#[derive(Debug)]
pub struct Page<T> {
    pub value: Arc<T>,
    pub next: Option<String>,
    /// `false`: a 304 answered and `value` is the one kept from before.
    pub fresh: bool,
}

/// A source's connection to its API.
pub struct HttpCore {
    client: reqwest::Client,
    headers: HeaderMap,
    credentials: Credentials,
    cache: ConditionalCache,
    pacer: Pacer,
    counts: RequestCounts,
    timeout: Duration,
    max_pages: usize,
}

/// Builds the shared client: rustls with the ring provider, gzip, the user agent, timeouts.
pub fn build_client(timeout: Duration) -> Result<reqwest::Client, String> {
    // Several sources install it; only the first call does anything.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .gzip(true)
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

impl HttpCore {
    pub fn new(settings: HttpSettings) -> Result<HttpCore, String> {
        let client = build_client(settings.timeout)?;
        let mut headers = HeaderMap::new();
        for (name, value) in &settings.headers {
            let value = HeaderValue::from_str(value).map_err(|e| format!("header {name}: {e}"))?;
            headers.insert(HeaderName::from_static(name), value);
        }
        Ok(HttpCore {
            client,
            headers,
            credentials: Credentials::new(settings.credentials),
            cache: ConditionalCache::default(),
            pacer: Pacer::new(settings.quota_share),
            counts: RequestCounts::default(),
            timeout: settings.timeout,
            max_pages: settings.max_pages.max(1),
        })
    }

    /// How the token is named in messages (`GITHUB_TOKEN`, `` `gh auth token` ``).
    pub fn credential_name(&self) -> String {
        self.credentials.source().describe()
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn max_pages(&self) -> usize {
        self.max_pages
    }

    /// Starts counting a new poll cycle.
    pub fn begin_cycle(&mut self) {
        self.counts = RequestCounts::default();
        self.cache.begin_cycle();
    }

    /// Ends a cycle and returns what it cost. A complete cycle forgets the cached URLs it no
    /// longer asked for; a failed one keeps them all for the next try.
    pub fn end_cycle(&mut self, complete: bool) -> RequestCounts {
        if complete {
            self.cache.sweep();
        }
        self.counts
    }

    /// Requests of the cycle so far.
    pub fn counts(&self) -> RequestCounts {
        self.counts
    }

    /// The quota as the last answer reported it.
    pub fn rate(&self) -> Option<RateLimit> {
        self.pacer.last()
    }

    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// GETs `url` and parses its JSON as `T` (`what` names the root in errors:
    /// `deployments[0].sha`). Sends the validators kept for `url`; a 304 hands back the value
    /// parsed before, without parsing anything. A 401 reads the token again and, if it
    /// changed, tries once more.
    pub async fn get<T>(
        &mut self,
        url: &str,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<Page<T>, HttpError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let mut retried = false;
        loop {
            let token = self.credentials.token().await.map_err(HttpError::NoToken)?;
            let validators = self.cache.validators(url);
            let mut request = self
                .client
                .get(url)
                .headers(self.headers.clone())
                .timeout(self.timeout);
            if let Some(auth) = token.bearer() {
                request = request.header(header::AUTHORIZATION, auth);
            }
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(since) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, since);
            }
            self.counts.sent += 1;
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) => {
                    self.counts.errors += 1;
                    let error = from_reqwest(&e, &host_of(url), self.timeout);
                    tracing::debug!(url, error = ?error, "request failed");
                    return Err(error);
                }
            };
            let status = response.status();
            let headers = response.headers().clone();
            let rate = RateLimit::from_headers(&headers);
            self.pacer.record(rate, status != StatusCode::NOT_MODIFIED);
            tracing::debug!(
                url,
                status = status.as_u16(),
                remaining = rate.map(|r| r.remaining),
                "answer"
            );

            if status == StatusCode::NOT_MODIFIED {
                self.counts.not_modified += 1;
                let Some((value, next)) = self.cache.reuse(url) else {
                    self.counts.errors += 1;
                    return Err(HttpError::Status {
                        status: 304,
                        message: "not modified, but nothing was kept for it".into(),
                    });
                };
                let value = value.downcast::<T>().map_err(|_| HttpError::Status {
                    status: 304,
                    message: "the kept answer is of another type".into(),
                })?;
                return Ok(Page {
                    value,
                    next,
                    fresh: false,
                });
            }
            if status == StatusCode::UNAUTHORIZED {
                self.counts.errors += 1;
                if !retried
                    && self
                        .credentials
                        .refresh()
                        .await
                        .map_err(HttpError::NoToken)?
                {
                    retried = true;
                    continue;
                }
                return Err(HttpError::BadToken);
            }
            let body = match tokio::time::timeout(self.timeout, response.bytes()).await {
                Ok(Ok(body)) => body,
                Ok(Err(e)) => {
                    self.counts.errors += 1;
                    return Err(from_reqwest(&e, &host_of(url), self.timeout));
                }
                Err(_) => {
                    self.counts.errors += 1;
                    return Err(HttpError::Timeout {
                        after: self.timeout,
                    });
                }
            };
            if !status.is_success() {
                self.counts.errors += 1;
                let message = error_message(&body);
                return Err(match status {
                    StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS => {
                        match limited_wait(status, &headers, &message, now) {
                            Some(wait) => HttpError::RateLimited { wait },
                            None => HttpError::Forbidden { message },
                        }
                    }
                    StatusCode::NOT_FOUND => HttpError::NotFound {
                        path: Url::parse(url)
                            .map(|u| u.path().to_string())
                            .unwrap_or_default(),
                    },
                    s if s.is_server_error() => HttpError::Server { status: s.as_u16() },
                    s => HttpError::Status {
                        status: s.as_u16(),
                        message,
                    },
                });
            }
            let mut de = serde_json::Deserializer::from_slice(&body);
            let value: T = match serde_path_to_error::deserialize(&mut de) {
                Ok(value) => value,
                Err(e) => {
                    self.counts.errors += 1;
                    let path = e.path().to_string();
                    let path = match path.as_str() {
                        "." | "" => what.to_string(),
                        p if p.starts_with('[') => format!("{what}{p}"),
                        p => format!("{what}.{p}"),
                    };
                    return Err(HttpError::Malformed {
                        path,
                        detail: e.into_inner().to_string(),
                    });
                }
            };
            self.counts.parsed += 1;
            let value = Arc::new(value);
            let next = next_page(&headers, url);
            let validators = Validators {
                etag: header_text(&headers, header::ETAG),
                last_modified: header_text(&headers, header::LAST_MODIFIED),
            };
            self.cache
                .store(url, validators, value.clone(), next.clone());
            return Ok(Page {
                value,
                next,
                fresh: true,
            });
        }
    }

    /// GETs `url` and the pages after it, at most `max_pages` in all, while `more` says the
    /// pages so far are not enough. Returns the pages and whether the bound cut the listing.
    pub async fn get_pages<T>(
        &mut self,
        url: &str,
        what: &str,
        now: DateTime<Utc>,
        mut more: impl FnMut(&T) -> bool,
    ) -> Result<(Vec<Arc<T>>, bool), HttpError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let mut pages = Vec::new();
        let mut next = Some(url.to_string());
        while let Some(url) = next.take() {
            if pages.len() >= self.max_pages {
                tracing::info!(url, pages = pages.len(), "listing cut at the page bound");
                return Ok((pages, true));
            }
            let page = self.get::<T>(&url, what, now).await?;
            let want_more = more(&page.value);
            pages.push(page.value);
            if want_more {
                next = page.next;
            }
        }
        Ok((pages, false))
    }
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_string)
}

/// `host:port` of a URL, for messages.
fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_string();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| url.to_string())
}

/// The `message` of a JSON error body (`{"message": …}`), else the start of the body.
fn error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: String,
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(b) => b.message,
        Err(_) => String::from_utf8_lossy(body).chars().take(120).collect(),
    }
}
