//! PromQL templates: a service's metric queries with `{service}`, `{environment}` and
//! `{target}` filled in, escaped for PromQL's double-quoted strings. And the defaults used when
//! a service names none: the 5xx ratio and the p95 latency of a classic histogram.

/// The values a template may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholders<'a> {
    pub service: &'a str,
    pub environment: &'a str,
    /// The service's name in this environment's source (its target), else the environment's.
    pub target: &'a str,
}

/// The 5xx share of requests, over 5 minutes.
pub const DEFAULT_ERROR_RATIO: &str = r#"sum(rate(http_requests_total{job="{service}",environment="{environment}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="{service}",environment="{environment}"}[5m]))"#;

/// The 95th percentile of request latency, in seconds, from a classic histogram.
pub const DEFAULT_P95_LATENCY: &str = r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="{service}",environment="{environment}"}[5m])))"#;

/// `template` with its placeholders filled in. Each value is escaped for a PromQL string
/// (`\` and `"`), so a name cannot change the query. An unknown `{name}` is an error naming
/// it; `{{` and `}}` stand for PromQL's own braces next to a placeholder-like word.
pub fn render(template: &str, values: &Placeholders) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(tail) = after.strip_prefix('{') {
            out.push('{');
            rest = tail;
            continue;
        }
        let word_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let (word, tail) = after.split_at(word_len);
        match (tail.strip_prefix('}'), word) {
            (Some(tail), "service") => {
                escape_into(values.service, &mut out);
                rest = tail;
            }
            (Some(tail), "environment") => {
                escape_into(values.environment, &mut out);
                rest = tail;
            }
            (Some(tail), "target") => {
                escape_into(values.target, &mut out);
                rest = tail;
            }
            (Some(_), word) if !word.is_empty() => {
                return Err(format!(
                    "unknown placeholder `{{{word}}}` (expected {{service}}, {{environment}} or {{target}}; write `{{{{` for a PromQL brace)"
                ));
            }
            // A PromQL brace (a label matcher): kept as it is.
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(&rest.replace("}}", "}"));
    Ok(out)
}

fn escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKOUT: Placeholders = Placeholders {
        service: "checkout",
        environment: "production",
        target: "prod",
    };

    #[test]
    fn the_default_queries_name_the_service_and_its_environment() {
        let q = render(DEFAULT_ERROR_RATIO, &CHECKOUT).unwrap();
        assert_eq!(
            q,
            r#"sum(rate(http_requests_total{job="checkout",environment="production",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="checkout",environment="production"}[5m]))"#
        );
        let q = render(DEFAULT_P95_LATENCY, &CHECKOUT).unwrap();
        assert!(
            q.starts_with("histogram_quantile(0.95, sum by (le) ("),
            "{q}"
        );
        assert!(q.contains(r#"job="checkout""#));
    }

    #[test]
    fn a_value_is_escaped_so_it_cannot_change_the_query() {
        let evil = Placeholders {
            service: r#"x"} or vector(1) or {a="b"#,
            ..CHECKOUT
        };
        let q = render(r#"up{job="{service}"}"#, &evil).unwrap();
        assert_eq!(q, r#"up{job="x\"} or vector(1) or {a=\"b"}"#);
    }

    #[test]
    fn an_unknown_placeholder_is_named_and_promql_braces_stay() {
        let e = render(r#"up{job="{servce}"}"#, &CHECKOUT).unwrap_err();
        assert!(e.contains("unknown placeholder `{servce}`"), "{e}");
        assert_eq!(
            render(r#"sum by (le) (x{le!="",job="{target}"})"#, &CHECKOUT).unwrap(),
            r#"sum by (le) (x{le!="",job="prod"})"#
        );
        assert_eq!(render("{{service}}", &CHECKOUT).unwrap(), "{service}");
    }
}
