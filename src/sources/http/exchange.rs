//! The steps every request of the HTTP core takes, reads and writes alike: the source's own
//! origin only, the token as a sensitive header, one send (counted, its quota headers noted),
//! the body under its cap, and the same errors in the same words.

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::body::{BodyError, error_message, read_capped};
use super::client::HttpCore;
use super::error::{HttpError, from_reqwest};
use super::origin::Origin;
use super::rate_limit::{RateLimit, limited_wait};

impl HttpCore {
    /// Refuses `url` unless it is at the source's own origin: the token goes nowhere else.
    pub(super) fn own_origin(&self, url: &str) -> Result<(), HttpError> {
        match Origin::of(url) {
            Some(origin) if origin == self.origin => Ok(()),
            Some(origin) => Err(HttpError::ForeignUrl {
                origin: origin.to_string(),
            }),
            None => Err(HttpError::ForeignUrl {
                origin: url.chars().take(80).collect(),
            }),
        }
    }

    /// A request of `method` to `url` with the source's headers, timeout and credentials.
    pub(super) async fn request(
        &mut self,
        method: reqwest::Method,
        url: &str,
    ) -> Result<reqwest::RequestBuilder, HttpError> {
        let auth = self
            .credentials
            .header()
            .await
            .map_err(HttpError::NoToken)?;
        Ok(self.request_with(method, url, auth))
    }

    /// A request of `method` to `url` with the source's headers and timeout, and `auth` as
    /// its `Authorization` (none: no credentials).
    pub(super) fn request_with(
        &self,
        method: reqwest::Method,
        url: &str,
        auth: Option<header::HeaderValue>,
    ) -> reqwest::RequestBuilder {
        let request = (self.client.request(method, url))
            .headers(self.headers.clone())
            .timeout(self.timeout);
        match auth {
            Some(auth) => request.header(header::AUTHORIZATION, auth),
            None => request,
        }
    }

    /// Sends `request` once and notes what the answer says of the quota (a 304 is not
    /// charged). A transport failure is counted and sorted; nothing is sent again here.
    pub(super) async fn send(
        &mut self,
        request: reqwest::RequestBuilder,
        url: &str,
    ) -> Result<reqwest::Response, HttpError> {
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
        let rate = RateLimit::from_headers(response.headers());
        self.pacer.record(rate, status != StatusCode::NOT_MODIFIED);
        tracing::debug!(
            url,
            status = status.as_u16(),
            remaining = rate.map(|r| r.remaining),
            "answer"
        );
        if status == StatusCode::UNAUTHORIZED {
            self.counts.errors += 1;
        }
        Ok(response)
    }

    /// After a 401: reads the token again; `true` when it changed (worth one more try).
    pub(super) async fn token_changed(&mut self) -> Result<bool, HttpError> {
        self.credentials.refresh().await.map_err(HttpError::NoToken)
    }

    /// The answer's body, read under the cap and the timeout.
    pub(super) async fn body(
        &mut self,
        response: reqwest::Response,
        url: &str,
    ) -> Result<Vec<u8>, HttpError> {
        match tokio::time::timeout(self.timeout, read_capped(response, self.max_body)).await {
            Ok(Ok(body)) => Ok(body),
            Ok(Err(BodyError::TooLarge)) => {
                self.counts.errors += 1;
                tracing::debug!(url, limit = self.max_body, "answer over the body cap");
                Err(HttpError::TooLarge {
                    limit: self.max_body,
                })
            }
            Ok(Err(BodyError::Read(e))) => {
                self.counts.errors += 1;
                Err(from_reqwest(&e, &host_of(url), self.timeout))
            }
            Err(_) => {
                self.counts.errors += 1;
                Err(HttpError::Timeout {
                    after: self.timeout,
                })
            }
        }
    }

    /// The error an answer of `status` (not a success) stands for: a rate limit (with its
    /// wait), forbidden, not found, a server error, or another status with its message.
    pub(super) fn status_error(
        &mut self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        url: &str,
        now: DateTime<Utc>,
    ) -> HttpError {
        self.counts.errors += 1;
        let message = error_message(body);
        match status {
            StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS => {
                match limited_wait(status, headers, &message, now) {
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
        }
    }

    /// Parses `body` as `T`; a failure names the field (`what` is the root: `deployments`).
    pub(super) fn parse<T: DeserializeOwned>(
        &mut self,
        body: &[u8],
        what: &str,
    ) -> Result<T, HttpError> {
        let mut de = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize(&mut de) {
            Ok(value) => {
                self.counts.parsed += 1;
                Ok(value)
            }
            Err(e) => {
                self.counts.errors += 1;
                let path = e.path().to_string();
                let path = match path.as_str() {
                    "." | "" => what.to_string(),
                    p if p.starts_with('[') => format!("{what}{p}"),
                    p => format!("{what}.{p}"),
                };
                Err(HttpError::Malformed {
                    path,
                    detail: e.into_inner().to_string(),
                })
            }
        }
    }
}

/// `host:port` of a URL, for messages.
pub(super) fn host_of(url: &str) -> String {
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
