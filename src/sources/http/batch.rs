//! Independent reads sent several at once: a source that asks many questions that do not
//! depend on each other (Prometheus: one range query per metric and window) sends at most
//! `limit` of them at a time, each at the source's own origin, under its timeout and body cap,
//! with the same credentials, accounting and error words as every other request. An answer
//! that is not a success comes back with its body, for the caller to read its API's own error
//! from, beside the core's reading of its status.

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use tokio::task::JoinSet;

use super::body::{BodyError, read_capped};
use super::client::HttpCore;
use super::error::{HttpError, from_reqwest};
use super::exchange::host_of;

/// One read: `url` with `params`, as a GET query, or (`form`) as the form body of a POST —
/// for a query too long for a URL. Either way it reads and changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub url: String,
    pub params: Vec<(String, String)>,
    pub form: bool,
}

/// An answer as it came: its status and body; for a status that is not a success, the core's
/// reading of it too (a server error, a rate limit, forbidden…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub error: Option<HttpError>,
}

/// What one request task brings back.
enum Outcome {
    Answered(StatusCode, HeaderMap, Vec<u8>),
    Unsent(reqwest::Error),
    TooLarge,
    Unread(reqwest::Error),
    Slow,
}

impl HttpCore {
    /// Sends every one of `asks`, at most `limit` at a time, and gives their answers in the
    /// same order. The credentials are read once for all; after a 401 they are read again and,
    /// if they changed, the refused asks are sent once more. A 401 that stays is a bad token.
    pub async fn ask_all(
        &mut self,
        asks: &[Ask],
        limit: usize,
        now: DateTime<Utc>,
    ) -> Vec<Result<Answer, HttpError>> {
        let all: Vec<usize> = (0..asks.len()).collect();
        let mut results = self.send_batch(asks, &all, limit, now).await;
        let refused: Vec<usize> = (results.iter().enumerate())
            .filter(|(_, r)| matches!(r, Ok(a) if a.status == 401))
            .map(|(i, _)| i)
            .collect();
        if refused.is_empty() {
            return results;
        }
        match self.token_changed().await {
            Ok(true) => {
                let again = self.send_batch(asks, &refused, limit, now).await;
                for (i, result) in refused.iter().zip(again) {
                    results[*i] = result;
                }
            }
            Ok(false) => {}
            Err(e) => {
                for i in &refused {
                    results[*i] = Err(e.clone());
                }
            }
        }
        for result in &mut results {
            if matches!(result, Ok(a) if a.status == 401) {
                *result = Err(HttpError::BadToken);
            }
        }
        results
    }

    /// Counts a body the caller parsed: parsed, or an error when it was not what it should be.
    pub fn count_parse(&mut self, ok: bool) {
        match ok {
            true => self.counts.parsed += 1,
            false => self.counts.errors += 1,
        }
    }

    /// Sends the asks of `which`, at most `limit` in flight; their results in that order.
    async fn send_batch(
        &mut self,
        asks: &[Ask],
        which: &[usize],
        limit: usize,
        now: DateTime<Utc>,
    ) -> Vec<Result<Answer, HttpError>> {
        let host = self.origin.host_port();
        let unanswered = || HttpError::Connect {
            host: host.clone(),
            detail: "the request did not finish".into(),
        };
        let mut results: Vec<Result<Answer, HttpError>> =
            which.iter().map(|_| Err(unanswered())).collect();
        let auth = match self.credentials.header().await {
            Ok(auth) => auth,
            Err(e) => {
                return which
                    .iter()
                    .map(|_| Err(HttpError::NoToken(e.clone())))
                    .collect();
            }
        };
        let mut queue = which.iter().enumerate();
        let mut running = JoinSet::new();
        let mut slots = std::collections::HashMap::new();
        loop {
            while running.len() < limit.max(1) {
                let Some((slot, &i)) = queue.next() else {
                    break;
                };
                let Some(ask) = asks.get(i) else {
                    continue;
                };
                match self.prepare(ask, auth.clone()) {
                    Ok(request) => {
                        self.counts.sent += 1;
                        let (max_body, timeout) = (self.max_body, self.timeout);
                        let task = running.spawn(exchange(request, max_body, timeout));
                        slots.insert(task.id(), slot);
                    }
                    Err(e) => results[slot] = Err(e),
                }
            }
            let Some(joined) = running.join_next_with_id().await else {
                break;
            };
            let Ok((id, outcome)) = joined else {
                self.counts.errors += 1;
                continue;
            };
            let Some(slot) = slots.remove(&id) else {
                continue;
            };
            let url = &asks[which[slot]].url;
            results[slot] = self.answer(outcome, url, now);
        }
        results
    }

    /// The request for `ask` with `auth`; refused unless it goes to the source's own origin.
    fn prepare(
        &self,
        ask: &Ask,
        auth: Option<HeaderValue>,
    ) -> Result<reqwest::RequestBuilder, HttpError> {
        self.own_origin(&ask.url)?;
        let with_params =
            Url::parse_with_params(&ask.url, &ask.params).map_err(|e| HttpError::Unsendable {
                detail: format!("{}: {e}", ask.url),
            })?;
        if !ask.form {
            return Ok(self.request_with(reqwest::Method::GET, with_params.as_str(), auth));
        }
        let body = with_params.query().unwrap_or_default().to_string();
        Ok(self
            .request_with(reqwest::Method::POST, &ask.url, auth)
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body(body))
    }

    /// One task's outcome in the core's words, counted.
    fn answer(
        &mut self,
        outcome: Outcome,
        url: &str,
        now: DateTime<Utc>,
    ) -> Result<Answer, HttpError> {
        let host = host_of(url);
        let failed = match outcome {
            Outcome::Answered(status, headers, body) => {
                tracing::debug!(url, status = status.as_u16(), "answer");
                if status.is_success() {
                    return Ok(Answer {
                        status: status.as_u16(),
                        body,
                        error: None,
                    });
                }
                if status == StatusCode::UNAUTHORIZED {
                    self.counts.errors += 1;
                    return Ok(Answer {
                        status: 401,
                        body,
                        error: Some(HttpError::BadToken),
                    });
                }
                let error = self.status_error(status, &headers, &body, url, now);
                return Ok(Answer {
                    status: status.as_u16(),
                    body,
                    error: Some(error),
                });
            }
            Outcome::Unsent(e) | Outcome::Unread(e) => from_reqwest(&e, &host, self.timeout),
            Outcome::TooLarge => HttpError::TooLarge {
                limit: self.max_body,
            },
            Outcome::Slow => HttpError::Timeout {
                after: self.timeout,
            },
        };
        self.counts.errors += 1;
        tracing::debug!(url, error = ?failed, "request failed");
        Err(failed)
    }
}

/// Sends `request` and reads its body under `max_body` bytes and `timeout`.
async fn exchange(
    request: reqwest::RequestBuilder,
    max_body: usize,
    timeout: std::time::Duration,
) -> Outcome {
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Outcome::Unsent(e),
    };
    let (status, headers) = (response.status(), response.headers().clone());
    match tokio::time::timeout(timeout, read_capped(response, max_body)).await {
        Ok(Ok(body)) => Outcome::Answered(status, headers, body),
        Ok(Err(BodyError::TooLarge)) => Outcome::TooLarge,
        Ok(Err(BodyError::Read(e))) => Outcome::Unread(e),
        Err(_) => Outcome::Slow,
    }
}
