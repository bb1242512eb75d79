//! A stand-in Prometheus on the local server: `query_range` answers shaped as the official
//! examples (tests/fixtures/prometheus), one series at the asked start, end and step — a calm
//! 0.5 % error ratio, a steady 0.75 s p95 — unless a fault answers first.

use super::{Reply, Request, Server};

/// The parameters of a request, from its query string or its form body, decoded.
pub fn params(request: &Request) -> Vec<(String, String)> {
    let text = match request.method.as_str() {
        "POST" => String::from_utf8_lossy(&request.body).to_string(),
        _ => request
            .target
            .split_once('?')
            .map_or("", |(_, q)| q)
            .to_string(),
    };
    (text.split('&'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// The parameter `name` of `request`.
pub fn param(request: &Request, name: &str) -> Option<String> {
    params(request)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Whether the request queries `service` (`job="service"` in its PromQL).
pub fn about(request: &Request, service: &str) -> bool {
    param(request, "query").is_some_and(|q| q.contains(&format!("job=\"{service}\"")))
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The calm answer to a range query: one series from `start` to `end` every `step`.
pub fn calm(request: &Request) -> Reply {
    let number = |name: &str| param(request, name).and_then(|v| v.parse::<f64>().ok());
    let (Some(start), Some(end), Some(step)) = (number("start"), number("end"), number("step"))
    else {
        return Reply::raw(
            400,
            r#"{"status":"error","errorType":"bad_data","error":"missing start, end or step"}"#,
        );
    };
    let latency = param(request, "query").is_some_and(|q| q.contains("histogram_quantile"));
    let mut values = Vec::new();
    let mut t = start;
    let mut k = 0i64;
    while t <= end + 1e-9 {
        let v = match latency {
            true => 0.75,
            false => 0.005 + ((k * 7_919) % 21 - 10) as f64 / 100_000.0,
        };
        values.push(serde_json::json!([t, v.to_string()]));
        t += step;
        k += 1;
    }
    Reply::json(&serde_json::json!({
        "status": "success",
        "data": {"resultType": "matrix", "result": [{"metric": {}, "values": values}]}
    }))
}

/// The calm answer to an instant query: one sample at its time.
pub fn calm_instant(request: &Request) -> Reply {
    let time: f64 = param(request, "time")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.0);
    Reply::json(&serde_json::json!({
        "status": "success",
        "data": {"resultType": "vector", "result": [{"metric": {}, "value": [time, "0.005"]}]}
    }))
}

/// Serves `query_range` and `query` (GET and POST): `fault`'s reply where it has one, else
/// the calm one; and the build information.
pub fn serve(server: &Server, fault: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static) {
    let fault = std::sync::Arc::new(fault);
    let instant = fault.clone();
    server.on_fn("/api/v1/query_range", None, move |request| {
        fault(request).unwrap_or_else(|| calm(request))
    });
    server.on_fn("/api/v1/query", None, move |request| {
        instant(request).unwrap_or_else(|| calm_instant(request))
    });
    server.on(
        "/api/v1/status/buildinfo",
        None,
        Reply::json(&serde_json::json!({"status": "success", "data": {"version": "2.42.0"}})),
    );
}

/// A fixture of tests/fixtures/prometheus.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/prometheus/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}
