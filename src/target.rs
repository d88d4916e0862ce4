//! URLs as the signatures see them: scheme, host, port, authority, and the path plus query
//! checked against RFC 3986 and kept byte for byte.

use crate::error::{Error, Result, printable};

/// The longest URL accepted, in bytes. The HTTP layer (the `http` crate under ureq) refuses
/// URIs of 64 KiB and more, and common servers refuse request lines over 8 KiB (Apache's
/// `LimitRequestLine` is 8190, nginx's buffers 8 KiB): a longer URL could never be called.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// The scheme of an API URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlScheme {
    /// `http://` (port 80 by default).
    Http,
    /// `https://` (port 443 by default).
    Https,
}

impl UrlScheme {
    /// `"http"` or `"https"`.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlScheme::Http => "http",
            UrlScheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            UrlScheme::Http => 80,
            UrlScheme::Https => 443,
        }
    }
}

/// A URL split into what the signatures cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `http` or `https`.
    pub scheme: UrlScheme,
    /// The host, lower-cased; an IPv6 address keeps its brackets.
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
    /// `host`, plus `:port` when the port is not the scheme's default: the `Host` header value.
    pub authority: String,
    /// The path (`/` when empty) and the query, byte for byte as in the URL.
    pub path_and_query: String,
}

impl Target {
    /// Parses an absolute `http://` or `https://` URL of at most [`MAX_URL_BYTES`]. The
    /// fragment, never sent, is dropped.
    pub fn parse(url: &str) -> Result<Target> {
        if url.len() > MAX_URL_BYTES {
            return Err(Error::invalid_argument(format!(
                "URL \"{}\" is {} bytes long; at most {MAX_URL_BYTES} are allowed",
                printable(&without_userinfo(url), 100),
                url.len()
            )));
        }
        let bad = |why: &str| {
            Error::invalid_argument(format!(
                "URL \"{}\": {why}",
                printable(&without_userinfo(url), 300)
            ))
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("not an absolute URL"))?;
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            UrlScheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            UrlScheme::Http
        } else {
            return Err(bad("the scheme is not http or https"));
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(split);
        if authority.contains('@') {
            return Err(bad("user information in a URL is not supported"));
        }
        let (host, port) = split_host_port(authority).map_err(|why| bad(&why))?;
        let port = port.unwrap_or(scheme.default_port());
        if let Some(why) = path_and_query_problem(path_and_query) {
            return Err(bad(why));
        }
        let path_and_query = if path_and_query.starts_with('/') {
            path_and_query.to_owned()
        } else {
            format!("/{path_and_query}")
        };
        let authority = if port == scheme.default_port() {
            host.clone()
        } else {
            format!("{host}:{port}")
        };
        let target = Target {
            scheme,
            host,
            port,
            authority,
            path_and_query,
        };
        // The normalized URL (what a client sends and signs) may be one byte longer: "/".
        if target.uri().len() > MAX_URL_BYTES {
            return Err(bad(&format!(
                "normalized, it is over the {MAX_URL_BYTES} bytes allowed"
            )));
        }
        Ok(target)
    }

    /// `<scheme>://<authority><path and query>`, as RFC 9421's `@target-uri`.
    pub fn uri(&self) -> String {
        format!(
            "{}://{}{}",
            self.scheme.as_str(),
            self.authority,
            self.path_and_query
        )
    }

    /// True when the host is `localhost` or a loopback address.
    pub fn is_loopback(&self) -> bool {
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        bare == "localhost"
            || bare
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

/// Why a path plus query cannot be sent as is: RFC 3986 allows only unreserved characters,
/// delimiters and `%` followed by two hex digits; anything else must be percent-encoded.
fn path_and_query_problem(path_and_query: &str) -> Option<&'static str> {
    let bytes = path_and_query.as_bytes();
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                i += 3
            }
            b'%' => return Some("a '%' is not followed by two hex digits"),
            b if allowed(b) => i += 1,
            _ => {
                return Some(
                    "the path or query has a character a URL may not have (percent-encode it)",
                );
            }
        }
    }
    None
}

/// `url` with any `user:password@` replaced, so that a message never shows a password.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

fn split_host_port(authority: &str) -> std::result::Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (address, after) = inner.split_once(']').ok_or("unclosed '[' in the host")?;
        if address.is_empty()
            || !address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err("the IPv6 address is malformed".into());
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("unexpected text after the IPv6 address")?,
            ),
        };
        (format!("[{address}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (authority.to_owned(), None),
        }
    };
    if host.is_empty() {
        return Err("the host is empty".into());
    }
    let host_ok = host.starts_with('[')
        || host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !host_ok {
        return Err("the host has a character a host name may not have".into());
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => return Err("the port is not a number from 1 to 65535".into()),
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_host_is_lower_cased_and_default_port_dropped() {
        let t = Target::parse("HTTPS://API.Remote.IT:443/graphql/v1").unwrap();
        assert_eq!(t.authority, "api.remote.it");
        assert_eq!(t.port, 443);
        assert_eq!(t.uri(), "https://api.remote.it/graphql/v1");
    }

    #[test]
    fn url_non_default_port_is_kept() {
        let t = Target::parse("http://127.0.0.1:8080/x").unwrap();
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert!(t.is_loopback());
        assert_eq!(
            Target::parse("http://example.com:443/").unwrap().authority,
            "example.com:443"
        );
    }

    #[test]
    fn url_path_and_query_are_kept_byte_for_byte() {
        let t = Target::parse("https://h/a/%7Eb/../c?x=1&y=%20&Z#frag").unwrap();
        assert_eq!(t.path_and_query, "/a/%7Eb/../c?x=1&y=%20&Z");
    }

    #[test]
    fn url_empty_path_is_slash() {
        assert_eq!(Target::parse("https://h").unwrap().path_and_query, "/");
        assert_eq!(
            Target::parse("https://h?q=1").unwrap().path_and_query,
            "/?q=1"
        );
    }

    #[test]
    fn url_ipv6_host_keeps_brackets() {
        let t = Target::parse("http://[::1]:9000/p").unwrap();
        assert_eq!(t.authority, "[::1]:9000");
        assert!(t.is_loopback());
    }

    #[test]
    fn url_malformed_ones_are_rejected() {
        for url in [
            "api.remote.it/graphql",
            "ftp://h/",
            "https://",
            "https://:443/",
            "https://h:0/",
            "https://h:99999/",
            "https://h:8a/",
            "https://user:pw@h/",
            "https://h/with space",
            "https://h/caf\u{e9}",
            "https://h\r\n/",
            "https://[::1/",
            "http://127.0.0.1:9/a<b>",
            "https://h/a`b",
            "https://h/{x}",
            "https://h/a\"b",
            "https://h/100%",
            "https://h/%zz",
        ] {
            assert!(Target::parse(url).is_err(), "{url} should be rejected");
        }
    }

    #[test]
    fn url_of_the_maximum_length_is_accepted() {
        let prefix = "https://h/";
        let url = format!("{prefix}{}", "a".repeat(MAX_URL_BYTES - prefix.len()));
        assert!(Target::parse(&url).is_ok());
    }

    #[test]
    fn url_whose_normalized_form_is_over_the_maximum_length_is_invalid() {
        let prefix = "https://h?";
        let url = format!("{prefix}{}", "a".repeat(MAX_URL_BYTES - prefix.len()));
        assert_eq!(url.len(), MAX_URL_BYTES);
        assert!(Target::parse(&url).is_err());
    }

    #[test]
    fn url_over_the_maximum_length_is_invalid_with_a_bounded_message() {
        let url = format!("https://h/{}", "a".repeat(70_000));
        let err = Target::parse(&url).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::InvalidArgument);
        assert!(err.message().contains("70010 bytes long"), "{err}");
        assert!(err.message().len() < 300, "{} bytes", err.message().len());
    }

    #[test]
    fn url_errors_never_show_a_password() {
        let err = Target::parse("https://alice:S3cret@h/").unwrap_err();
        assert!(!err.message().contains("S3cret"), "{err}");
        assert!(err.message().contains("https://***@h/"), "{err}");
    }
}
