//! Pagination: follow the server's `Link: <…>; rel="next"` (GitHub, GitLab) or GitLab's
//! `x-next-page`, never build page URLs by hand, and stop after a bounded number of pages.

use reqwest::header::HeaderMap;

/// How many pages one listing may follow unless the source says otherwise: enough for a
/// deploy board, not enough for a huge history to run away.
pub const DEFAULT_MAX_PAGES: usize = 5;

/// The `rel="next"` URL of a `Link` header value, if any.
pub fn next_from_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        let url = pieces.next()?.trim();
        let url = url.strip_prefix('<')?.strip_suffix('>')?;
        let is_next = pieces.any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=")
                .map(|v| v.trim_matches('"').split_whitespace().any(|r| r == "next"))
                .unwrap_or(false)
        });
        is_next.then(|| url.to_string())
    })
}

/// The next page's URL from the headers of an answer to `url`: the `Link` header first, else
/// GitLab's `x-next-page` (empty on the last page) set as the `page` query parameter.
pub fn next_page(headers: &HeaderMap, url: &str) -> Option<String> {
    if let Some(next) = headers
        .get(reqwest::header::LINK)
        .and_then(|v| v.to_str().ok())
        .and_then(next_from_link)
    {
        return Some(next);
    }
    let page = headers
        .get("x-next-page")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))?;
    let mut parsed = reqwest::Url::parse(url).ok()?;
    let others: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    parsed
        .query_pairs_mut()
        .clear()
        .extend_pairs(others)
        .append_pair("page", page);
    Some(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_next_link_is_found_among_prev_next_last_and_first() {
        let link = r#"<https://api.github.com/repositories/1/deployments?page=1>; rel="prev", <https://api.github.com/repositories/1/deployments?page=3>; rel="next", <https://api.github.com/repositories/1/deployments?page=5>; rel="last", <https://api.github.com/repositories/1/deployments?page=1>; rel="first""#;
        assert_eq!(
            next_from_link(link).as_deref(),
            Some("https://api.github.com/repositories/1/deployments?page=3")
        );
        assert_eq!(
            next_from_link(r#"<https://x/?page=1>; rel="prev", <https://x/?page=1>; rel="first""#),
            None,
            "the last page has no next"
        );
        assert_eq!(next_from_link(""), None);
    }

    #[test]
    fn gitlab_x_next_page_sets_the_page_parameter_and_an_empty_one_ends() {
        let mut headers = HeaderMap::new();
        headers.insert("x-next-page", HeaderValue::from_static("3"));
        assert_eq!(
            next_page(
                &headers,
                "https://gitlab.example.com/api/v4/projects/1/deployments?page=2&per_page=20"
            )
            .as_deref(),
            Some("https://gitlab.example.com/api/v4/projects/1/deployments?per_page=20&page=3")
        );
        headers.insert("x-next-page", HeaderValue::from_static(""));
        assert_eq!(next_page(&headers, "https://g/x?page=2"), None);
    }
}
