//! The queries a Prometheus source sends (`query_range` over a window, an instant `query` for
//! `check`) and how their answers read: one series in the unit shown, none (no data, not an
//! error), or why not — in words that name the service, its environment and the metric, and
//! quote Prometheus's own error.

use chrono::{DateTime, Duration, Utc};

use super::dto::{AnswerError, Series, parse_range};
use crate::impact::windows::Stretch;
use crate::sources::http::{Answer, Ask, CredentialSource, HttpCore, HttpError};

/// A query longer than this goes as a POST form: a URL of several kilobytes is refused by
/// some proxies.
pub const LONGEST_GET: usize = 1_024;

/// A range query of `query` over `span` at `step`.
pub fn range(base: &str, query: &str, span: Stretch, step: Duration) -> Ask {
    Ask {
        url: format!("{base}/api/v1/query_range"),
        params: vec![
            ("query".into(), query.to_string()),
            ("start".into(), unix(span.start)),
            ("end".into(), unix(span.end)),
            ("step".into(), step.num_seconds().max(1).to_string()),
        ],
        form: query.len() > LONGEST_GET,
    }
}

/// An instant query of `query` at `at`.
pub fn instant(base: &str, query: &str, at: DateTime<Utc>) -> Ask {
    Ask {
        url: format!("{base}/api/v1/query"),
        params: vec![
            ("query".into(), query.to_string()),
            ("time".into(), unix(at)),
        ],
        form: query.len() > LONGEST_GET,
    }
}

/// Unix seconds with their milliseconds, as Prometheus takes times.
fn unix(t: DateTime<Utc>) -> String {
    let ms = t.timestamp_millis();
    format!("{}.{:03}", ms.div_euclid(1_000), ms.rem_euclid(1_000))
}

/// Why a query gave nothing to judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub reason: String,
    /// The whole source's failure (the host, the credentials): the cycle stops.
    pub source_wide: bool,
}

/// The series of an answer to a query of `what` ("checkout@production error ratio"): at most
/// one (several is an error asking to aggregate), its values multiplied by `scale`.
pub fn samples(
    http: &mut HttpCore,
    result: Result<Answer, HttpError>,
    what: &str,
    scale: f64,
) -> Result<Vec<(DateTime<Utc>, f64)>, Failure> {
    let series = series(http, result, what)?;
    match series.as_slice() {
        [] => Ok(Vec::new()),
        [one] => Ok((one.points.iter()).map(|(t, v)| (*t, v * scale)).collect()),
        many => Err(Failure {
            reason: format!(
                "{what}: the query gives {} series where one is judged: aggregate it (e.g. `sum(…)`, or `sum by (le)` inside histogram_quantile)",
                many.len()
            ),
            source_wide: false,
        }),
    }
}

/// Every series of an answer to a query of `what`, or why there are none to read.
pub fn series(
    http: &mut HttpCore,
    result: Result<Answer, HttpError>,
    what: &str,
) -> Result<Vec<Series>, Failure> {
    let credentials = http.credential_source().clone();
    let answer = result.map_err(|e| failure(&e, &credentials, what))?;
    match (parse_range(&answer.body), &answer.error) {
        (Err(refused @ AnswerError::Refused { .. }), _) => {
            let hint = match &refused {
                AnswerError::Refused { error_type, .. } if error_type == "bad_data" => {
                    " (check its query in the configuration)"
                }
                _ => "",
            };
            Err(Failure {
                reason: format!("{what}: {refused}{hint}"),
                source_wide: false,
            })
        }
        (_, Some(error)) => Err(failure(error, &credentials, what)),
        (Ok((series, warnings)), None) => {
            http.count_parse(true);
            for warning in warnings {
                tracing::info!(%what, %warning, "prometheus warning");
            }
            Ok(series)
        }
        (Err(malformed), None) => {
            http.count_parse(false);
            Err(Failure {
                reason: format!("{what}: {malformed}"),
                source_wide: false,
            })
        }
    }
}

/// The words for `error` on a query of `what`, in Prometheus's terms where the core's are
/// another API's (a 404 is a wrong url here, not a wrong repository).
fn failure(error: &HttpError, credentials: &CredentialSource, what: &str) -> Failure {
    let reason = match error {
        HttpError::NotFound { path } => format!(
            "404 not found at {path} on {what} (is the url the Prometheus server's, with its path prefix?)"
        ),
        HttpError::BadToken if !credentials.sends_secret() => "401 unauthorised: this Prometheus asks for credentials (set `token_env`, `token_command`, or `username` with `password_env`)".to_string(),
        other => other.reason(&credentials.describe(), what),
    };
    Failure {
        reason,
        source_wide: error.is_source_wide(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_range_query_names_its_window_in_unix_seconds_and_goes_as_a_form_when_long() {
        let start = Utc.with_ymd_and_hms(2023, 11, 14, 22, 13, 20).unwrap();
        let span = Stretch {
            start,
            end: start + Duration::milliseconds(3_600_250),
        };
        let ask = range("http://p:9090", "up", span, Duration::seconds(60));
        assert_eq!(ask.url, "http://p:9090/api/v1/query_range");
        assert_eq!(
            ask.params,
            [
                ("query".to_string(), "up".to_string()),
                ("start".to_string(), "1700000000.000".to_string()),
                ("end".to_string(), "1700003600.250".to_string()),
                ("step".to_string(), "60".to_string()),
            ]
        );
        assert!(!ask.form);
        let long = format!("sum({})", "x + ".repeat(400));
        assert!(range("http://p:9090", &long, span, Duration::seconds(60)).form);
    }
}
