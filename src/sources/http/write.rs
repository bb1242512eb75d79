//! Writes for actions (promote, roll back, approve, sync): POST, PUT, PATCH and DELETE with
//! the same token, accounting, rate-limit handling and error texts as the reads. A write is
//! sent once: whatever happens after it may have reached the server (a 500, a timeout, a
//! dropped connection), it is never sent again on its own. Only an idempotent one (PUT,
//! DELETE) answered 401 is sent again, once, when the token has changed since: the server
//! refused it unread, and sending it twice does what sending it once does.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::HttpCore;
use super::error::HttpError;
use super::rate_limit::until;

/// A method that changes something at the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Post,
    Put,
    Patch,
    Delete,
}

impl Write {
    fn method(self) -> reqwest::Method {
        match self {
            Write::Post => reqwest::Method::POST,
            Write::Put => reqwest::Method::PUT,
            Write::Patch => reqwest::Method::PATCH,
            Write::Delete => reqwest::Method::DELETE,
        }
    }

    /// Whether sending it twice does what sending it once does (RFC 9110, 9.2.2): PUT and
    /// DELETE are; POST and PATCH are not.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Write::Put | Write::Delete)
    }
}

/// The answer to a write: its status, and its body parsed when it had one (a 204 has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Written<T> {
    pub status: u16,
    pub value: Option<T>,
}

impl HttpCore {
    /// Sends `body` (as JSON, when given) to `url` with `method`, once, and parses the
    /// answer as `T` (`what` names its root in errors). Refused without sending anything
    /// when the last answer said the quota is spent until a reset still to come.
    pub async fn write<B, T>(
        &mut self,
        method: Write,
        url: &str,
        body: Option<&B>,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<Written<T>, HttpError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        self.own_origin(url)?;
        if let Some(rate) = self.rate()
            && rate.remaining == 0
            && rate.reset > now
        {
            return Err(HttpError::RateLimited {
                wait: until(now, rate.reset),
            });
        }
        let json = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| HttpError::Unsendable {
                detail: e.to_string(),
            })?),
            None => None,
        };
        let mut retried = false;
        loop {
            let mut request = self.request(method.method(), url).await?;
            if let Some(json) = &json {
                request = request
                    .header(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    )
                    .body(json.clone());
            }
            let response = self.send(request, url).await?;
            let status = response.status();
            let headers = response.headers().clone();
            if status == StatusCode::UNAUTHORIZED {
                if method.is_idempotent() && !retried && self.token_changed().await? {
                    retried = true;
                    continue;
                }
                return Err(HttpError::BadToken);
            }
            let body = self.body(response, url).await?;
            if !status.is_success() {
                return Err(self.status_error(status, &headers, &body, url, now));
            }
            let value = match body.iter().all(u8::is_ascii_whitespace) {
                true => None,
                false => Some(self.parse::<T>(&body, what)?),
            };
            return Ok(Written {
                status: status.as_u16(),
                value,
            });
        }
    }
}
