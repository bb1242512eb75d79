//! The answers of Prometheus's HTTP API shiproom reads (`/api/v1/query_range`), as the
//! official documentation and a real server give them: an envelope with a status, the data or
//! an error type and message; values as strings (`"NaN"`, `"+Inf"` included).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The envelope every answer comes in.
#[derive(Debug, Deserialize)]
struct Envelope {
    status: String,
    data: Option<Data>,
    #[serde(rename = "errorType")]
    error_type: Option<String>,
    error: Option<String>,
    #[serde(default)]
    warnings: Vec<String>,
}

/// `data`, by its `resultType`.
#[derive(Debug, Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
enum Data {
    Matrix(Vec<RangeSeries>),
    Vector(Vec<InstantSample>),
    Scalar((f64, String)),
    /// A string result: not numbers, never an answer to a metric's query.
    String(serde::de::IgnoredAny),
}

#[derive(Debug, Deserialize)]
struct RangeSeries {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    values: Vec<(f64, String)>,
}

#[derive(Debug, Deserialize)]
struct InstantSample {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    value: (f64, String),
}

/// One series of a range query: its labels and its points (time, value), NaN and infinities
/// kept as they came (the analysis leaves them out).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<(DateTime<Utc>, f64)>,
}

/// Why an answer could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// Prometheus said no: `bad_data` (a bad query), `execution`, `timeout`…, with its message.
    Refused { error_type: String, message: String },
    /// Not the shape of a range query's answer.
    Malformed(String),
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerError::Refused {
                error_type,
                message,
            } => write!(f, "Prometheus refused the query ({error_type}): {message}"),
            AnswerError::Malformed(why) => write!(f, "not a Prometheus answer: {why}"),
        }
    }
}

/// A range query's answer: its series (none is a valid, empty answer) and its warnings.
pub fn parse_range(body: &[u8]) -> Result<(Vec<Series>, Vec<String>), AnswerError> {
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| AnswerError::Malformed(format!("{e}")))?;
    if envelope.status != "success" {
        return Err(AnswerError::Refused {
            error_type: envelope.error_type.unwrap_or_else(|| "unknown".into()),
            message: envelope.error.unwrap_or_default(),
        });
    }
    let series = match envelope.data {
        Some(Data::Matrix(series)) => series
            .into_iter()
            .map(|s| {
                let points = s
                    .values
                    .iter()
                    .map(|(t, v)| point(*t, v))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Series {
                    labels: s.metric,
                    points,
                })
            })
            .collect::<Result<Vec<_>, AnswerError>>()?,
        Some(Data::Vector(samples)) => samples
            .into_iter()
            .map(|s| {
                Ok(Series {
                    labels: s.metric,
                    points: vec![point(s.value.0, &s.value.1)?],
                })
            })
            .collect::<Result<Vec<_>, AnswerError>>()?,
        Some(Data::Scalar((t, v))) => vec![Series {
            labels: BTreeMap::new(),
            points: vec![point(t, &v)?],
        }],
        Some(Data::String(_)) => {
            return Err(AnswerError::Malformed("a string, not numbers".into()));
        }
        None => return Err(AnswerError::Malformed("no `data`".into())),
    };
    Ok((series, envelope.warnings))
}

/// One point: a unix time in (fractional) seconds and a value as Prometheus writes it.
fn point(t: f64, value: &str) -> Result<(DateTime<Utc>, f64), AnswerError> {
    if !t.is_finite() {
        return Err(AnswerError::Malformed(format!("time {t}")));
    }
    // Prometheus keeps milliseconds: round there, not to the float's noise below them.
    let millis = (t * 1000.0).round();
    let at = (millis.abs() < 8.0e15)
        .then(|| DateTime::from_timestamp_millis(millis as i64))
        .flatten()
        .ok_or_else(|| AnswerError::Malformed(format!("time {t} out of range")))?;
    let value: f64 = value
        .parse()
        .map_err(|_| AnswerError::Malformed(format!("value `{value}` is not a number")))?;
    Ok((at, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/prometheus/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(path).expect("the fixture")
    }

    #[test]
    fn a_range_answer_gives_its_series_with_times_and_values() {
        let (series, warnings) = parse_range(&fixture("query_range_5xx_ratio.json")).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(series.len(), 1);
        let points = &series[0].points;
        assert_eq!(points.len(), 3);
        assert_eq!(points[0].0.timestamp(), 1_700_001_800);
        assert!((points[0].1 - 0.047_619_047_619_047_616).abs() < 1e-15);
        let (labelled, _) = parse_range(&fixture("query_range_matrix_with_labels.json")).unwrap();
        assert_eq!(
            labelled[0].labels.get("code").map(String::as_str),
            Some("500")
        );
    }

    #[test]
    fn an_empty_answer_is_no_series_not_an_error() {
        let (series, _) = parse_range(&fixture("query_range_empty.json")).unwrap();
        assert!(series.is_empty());
    }

    #[test]
    fn refusals_carry_prometheus_error_type_and_message() {
        let bad = parse_range(&fixture("error_400_bad_data.json")).unwrap_err();
        assert_eq!(
            bad.to_string(),
            "Prometheus refused the query (bad_data): invalid parameter \"query\": 1:18: parse error: unclosed left parenthesis"
        );
        let execution = parse_range(&fixture("error_422_execution.json")).unwrap_err();
        assert!(
            matches!(execution, AnswerError::Refused { error_type, .. } if error_type == "execution")
        );
    }

    #[test]
    fn nan_and_infinities_parse_and_fractional_times_keep_their_milliseconds() {
        let body = br#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1795421389.918,"NaN"],[1795421390,"+Inf"],[1795421391,"-Inf"]]}]}}"#;
        let (series, _) = parse_range(body).unwrap();
        let p = &series[0].points;
        assert!(p[0].1.is_nan() && p[1].1 == f64::INFINITY && p[2].1 == f64::NEG_INFINITY);
        assert_eq!(p[0].0.timestamp_subsec_millis(), 918);
        assert!(parse_range(b"<html>proxy error</html>").is_err());
        assert!(parse_range(br#"{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"x"]]}]}}"#).is_err());
    }
}
