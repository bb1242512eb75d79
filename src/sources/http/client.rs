//! The HTTP core every source uses: one `reqwest` client (rustls with ring, timeouts, a user
//! agent, gzip), the token, conditional requests, pagination, rate limits and accounting.
//! Requests go one at a time, except a batch of independent reads (`batch.rs`: at most its
//! limit in flight). Reads are here; writes (POST, PUT, PATCH, DELETE) in `write.rs`, over
//! the same steps.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use super::accounting::RequestCounts;
use super::cache::{ConditionalCache, Validators};
use super::credentials::{CredentialSource, Credentials};
use super::error::HttpError;
use super::origin::Origin;
use super::pagination::next_page;
use super::rate_limit::{Pacer, RateLimit};

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
    /// The source's base URL: requests go only to its scheme, host and port, so the token
    /// never follows a link anywhere else.
    pub base_url: String,
    /// Whether the token may go over plain `http://` to a host that is not loopback.
    pub allow_insecure_http: bool,
    /// The most bytes one answer may have once decompressed ([`DEFAULT_MAX_BODY`]).
    pub max_body: usize,
}

/// The most bytes one answer may have once decompressed, unless a source says otherwise: far
/// above any page a deploy board asks for (a page of 100 deployment statuses is ~100 KB), far
/// below what would hurt (a 1 MB gzip can expand to 1 GB).
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;

/// The user agent of every request (GitHub requires one).
pub const USER_AGENT: &str = concat!("shiproom/", env!("CARGO_PKG_VERSION"));

/// One page of an answer: the parsed body (shared with the cache) and the next page's URL.
#[derive(Debug)]
pub struct Page<T> {
    pub value: Arc<T>,
    /// The next page, when the answer links one at the source's own origin.
    pub next: Option<String>,
    /// The origin of a next-page link that points elsewhere: not followed.
    pub foreign_next: Option<String>,
    /// `false`: a 304 answered and `value` is the one kept from before.
    pub fresh: bool,
}

impl<T> Page<T> {
    /// The next page to ask for, or why paging must stop here: a link to another origin is
    /// an error of the listing, never followed.
    pub fn follow(&self) -> Result<Option<String>, HttpError> {
        match &self.foreign_next {
            Some(origin) => Err(HttpError::ForeignUrl {
                origin: origin.clone(),
            }),
            None => Ok(self.next.clone()),
        }
    }
}

/// A source's connection to its API.
pub struct HttpCore {
    pub(super) client: reqwest::Client,
    pub(super) headers: HeaderMap,
    pub(super) credentials: Credentials,
    pub(super) cache: ConditionalCache,
    pub(super) pacer: Pacer,
    pub(super) counts: RequestCounts,
    pub(super) timeout: Duration,
    pub(super) max_pages: usize,
    pub(super) origin: Origin,
    pub(super) max_body: usize,
}

/// Builds the shared client: rustls with the ring provider, gzip, the user agent, timeouts.
pub fn build_client(timeout: Duration) -> Result<reqwest::Client, String> {
    // Several sources install it; only the first call does anything.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(super::error::connect_timeout(timeout))
        .gzip(true)
        // Nothing is ever sent again on its own: a write that may have reached the server
        // must not run twice (reqwest retries only what never reached it, and not at all
        // over HTTP/1.1; this says so whatever its defaults become).
        .retry(reqwest::retry::never())
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

impl HttpCore {
    /// The connection to the API at `settings.base_url`. `Err` says why it cannot be set up:
    /// a bad URL, or credentials over plain `http://` to another machine without
    /// `allow_insecure_http`.
    pub fn new(settings: HttpSettings) -> Result<HttpCore, String> {
        let origin = Origin::of(&settings.base_url).ok_or_else(|| {
            format!(
                "url `{}` is not an absolute http(s) URL (expected e.g. `https://api.github.com`)",
                settings.base_url
            )
        })?;
        if origin.is_insecure()
            && !settings.allow_insecure_http
            && settings.credentials.sends_secret()
        {
            return Err(HttpError::InsecureHttp {
                host: origin.host_port(),
            }
            .detail(""));
        }
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
            origin,
            max_body: settings.max_body.max(1),
        })
    }

    /// The scheme, host and port every request of this source goes to.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Splits a next-page URL into one to follow (the source's origin) and the origin of one
    /// that must not be followed.
    fn split_next(&self, next: Option<String>) -> (Option<String>, Option<String>) {
        match next {
            Some(url) => match Origin::of(&url) {
                Some(origin) if origin == self.origin => (Some(url), None),
                Some(origin) => (None, Some(origin.to_string())),
                None => (None, Some(url.chars().take(80).collect())),
            },
            None => (None, None),
        }
    }

    /// How the token is named in messages (`GITHUB_TOKEN`, `` `gh auth token` ``).
    pub fn credential_name(&self) -> String {
        self.credentials.source().describe()
    }

    /// Where the credentials come from, as configured.
    pub fn credential_source(&self) -> &CredentialSource {
        self.credentials.source()
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
        self.credentials.begin_cycle();
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

    /// The pacer, to record what a full cycle cost.
    pub fn pacer_mut(&mut self) -> &mut Pacer {
        &mut self.pacer
    }

    /// Forgets the kept answers not asked for this cycle whose URLs start with one of
    /// `prefixes` (the targets read whole), keeping those of targets that failed.
    pub fn forget_unused_under(&mut self, prefixes: &[String]) {
        if !prefixes.is_empty() {
            self.cache
                .sweep_where(|url| prefixes.iter().any(|p| url.starts_with(p.as_str())));
        }
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
        self.own_origin(url)?;
        let mut retried = false;
        loop {
            let validators = self.cache.validators(url);
            let mut request = self.request(reqwest::Method::GET, url).await?;
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(since) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, since);
            }
            let response = self.send(request, url).await?;
            let status = response.status();
            let headers = response.headers().clone();

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
                let (next, foreign_next) = self.split_next(next);
                return Ok(Page {
                    value,
                    next,
                    foreign_next,
                    fresh: false,
                });
            }
            if status == StatusCode::UNAUTHORIZED {
                if !retried && self.token_changed().await? {
                    retried = true;
                    continue;
                }
                return Err(HttpError::BadToken);
            }
            let body = self.body(response, url).await?;
            if !status.is_success() {
                return Err(self.status_error(status, &headers, &body, url, now));
            }
            let value: T = self.parse(&body, what)?;
            let value = Arc::new(value);
            let next = next_page(&headers, url);
            let validators = Validators {
                etag: header_text(&headers, header::ETAG),
                last_modified: header_text(&headers, header::LAST_MODIFIED),
            };
            self.cache
                .store(url, validators, value.clone(), next.clone());
            let (next, foreign_next) = self.split_next(next);
            return Ok(Page {
                value,
                next,
                foreign_next,
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
            if want_more {
                next = page.follow()?;
            }
            pages.push(page.value);
        }
        Ok((pages, false))
    }
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_string)
}
