//! Origins: the scheme, host and port a source talks to. The token goes to its source's own
//! origin only, and never in clear text to another machine.

use reqwest::Url;

/// The host of an `http://` or `https://` URL, when it has one (`http://:2379` has none).
pub fn http_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    (!host.is_empty()).then_some(host)
}

/// The scheme, host and port of a URL: requests carry the token only to the source's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    /// The origin of `url`, if it is an absolute URL with a host.
    pub fn of(url: &str) -> Option<Origin> {
        let url = Url::parse(url).ok()?;
        Some(Origin {
            scheme: url.scheme().to_string(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default(),
        })
    }

    /// Whether the host is this machine: 127.0.0.0/8, ::1 or `localhost`.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Whether a token sent here would travel in clear text over the network.
    pub fn is_insecure(&self) -> bool {
        self.scheme == "http" && !self.is_loopback()
    }

    /// `host:port`, for messages.
    pub fn host_port(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host_port())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host_have_one() {
        assert_eq!(http_host("http://127.0.0.1:2379"), Some("127.0.0.1"));
        assert_eq!(
            http_host("https://user@etcd.internal:2379/x"),
            Some("etcd.internal")
        );
        assert_eq!(http_host("http://[::1]:2379"), Some("::1"));
        for bad in [
            "http://",
            "http://:2379",
            "https:///v3",
            "unix:///run/etcd.sock",
            "127.0.0.1:2379",
        ] {
            assert_eq!(http_host(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_origin_is_scheme_host_and_port_with_the_default_port_filled_in() {
        let of = |url| Origin::of(url).unwrap();
        assert_eq!(
            of("https://api.github.com/repos"),
            of("https://API.github.com:443/x")
        );
        assert_ne!(of("https://api.github.com/"), of("http://api.github.com/"));
        assert_ne!(of("http://127.0.0.1:8080/"), of("http://127.0.0.1:8081/"));
        assert_ne!(
            of("https://api.github.com/"),
            of("https://api.github.com.evil.example/")
        );
        assert_eq!(
            of("http://127.0.0.1:8080/a").to_string(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(Origin::of("not a url"), None);
    }

    #[test]
    fn loopback_is_127_0_0_0_8_the_ipv6_loopback_and_localhost() {
        for url in [
            "http://127.0.0.1:1/",
            "http://127.1.2.3/",
            "http://[::1]:9/",
            "http://localhost/",
        ] {
            assert!(!Origin::of(url).unwrap().is_insecure(), "{url}");
        }
        for url in [
            "http://10.0.0.5/",
            "http://github.example.com/",
            "http://[2001:db8::1]/",
        ] {
            assert!(Origin::of(url).unwrap().is_insecure(), "{url}");
        }
        assert!(!Origin::of("https://10.0.0.5/").unwrap().is_insecure());
    }
}
