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

/// A parsed URL borrowing from the URL text: what signing reads, without an allocation.
/// [`Target`] is its owned form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetRef<'a> {
    /// `http` or `https`.
    pub scheme: UrlScheme,
    /// The host as written in the URL (its case kept); an IPv6 address keeps its brackets.
    pub host_as_written: &'a str,
    /// The port, explicit or the scheme's default.
    pub port: u16,
    /// The path and query as written: it may lack the leading `/` (`https://h?q=1`).
    pub path_and_query_as_written: &'a str,
}

impl<'a> TargetRef<'a> {
    /// Parses an absolute `http://` or `https://` URL, as [`Target::parse`] does.
    pub fn parse(url: &'a str) -> Result<TargetRef<'a>> {
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
        let Some(separator) = scheme_separator(url.as_bytes()) else {
            return Err(bad("not an absolute URL"));
        };
        let scheme = &url[..separator];
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            UrlScheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            UrlScheme::Http
        } else {
            return Err(bad("the scheme is not http or https"));
        };
        let rest = &url[separator + 3..];
        let split = split_rest(rest.as_bytes());
        let authority = &rest[..split.authority_end];
        let path_and_query = &rest[split.authority_end..split.end];
        if split.has_at {
            return Err(bad("user information in a URL is not supported"));
        }
        let (host, port) = split_host_port(authority, &split).map_err(bad)?;
        if let Some(why) = split.path_problem {
            return Err(bad(why));
        }
        let target = TargetRef {
            scheme,
            host_as_written: host,
            port: port.unwrap_or(scheme.default_port()),
            path_and_query_as_written: path_and_query,
        };
        // The normalized URL (what a client sends and signs) may be one byte longer: "/"
        // (dropping a default port and lower-casing never lengthen it).
        if url.len() == MAX_URL_BYTES && target.uri_len() > MAX_URL_BYTES {
            return Err(bad(&format!(
                "normalized, it is over the {MAX_URL_BYTES} bytes allowed"
            )));
        }
        Ok(target)
    }

    /// The length of [`Target::uri`] for this URL, without building it.
    pub fn uri_len(&self) -> usize {
        let scheme = match self.scheme {
            UrlScheme::Http => "http://".len(),
            UrlScheme::Https => "https://".len(),
        };
        let port = if self.port_is_explicit() {
            1 + self.port.to_string().len()
        } else {
            0
        };
        scheme
            + self.host_as_written.len()
            + port
            + usize::from(self.needs_leading_slash())
            + self.path_and_query_as_written.len()
    }

    /// True when the port is not the scheme's default, so that the authority shows it.
    pub fn port_is_explicit(&self) -> bool {
        self.port != self.scheme.default_port()
    }

    /// True when the path and query as written lack the leading `/` that is sent.
    pub fn needs_leading_slash(&self) -> bool {
        !self.path_and_query_as_written.starts_with('/')
    }

    /// The owned form.
    pub fn to_target(&self) -> Target {
        let host = self.host_as_written.to_ascii_lowercase();
        let authority = if self.port_is_explicit() {
            format!("{host}:{}", self.port)
        } else {
            host.clone()
        };
        let path_and_query = if self.needs_leading_slash() {
            format!("/{}", self.path_and_query_as_written)
        } else {
            self.path_and_query_as_written.to_owned()
        };
        Target {
            scheme: self.scheme,
            host,
            port: self.port,
            authority,
            path_and_query,
        }
    }
}

impl Target {
    /// Parses an absolute `http://` or `https://` URL of at most [`MAX_URL_BYTES`]. The
    /// fragment, never sent, is dropped.
    pub fn parse(url: &str) -> Result<Target> {
        TargetRef::parse(url).map(|target| target.to_target())
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

/// The bytes a path plus query may have as they are: RFC 3986 unreserved characters,
/// sub-delims, `:`, `@`, `/` and `?` (a `%` must start a percent-encoding).
static PATH_BYTE_PLAIN: [bool; 256] = byte_table(b"-._~!$&'()*+,;=:@/?");

/// The bytes a host name may have: ASCII letters and digits, `-`, `.`, `_` and `~`.
static HOST_BYTE_ALLOWED: [bool; 256] = byte_table(b"-._~");

/// A table of ASCII letters, digits and `extra`.
pub(crate) const fn byte_table(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// Where the first `://` starts.
fn scheme_separator(url: &[u8]) -> Option<usize> {
    (0..url.len().saturating_sub(2))
        .find(|&i| url[i] == b':' && url[i + 1] == b'/' && url[i + 2] == b'/')
}

/// What follows `scheme://`, split in one pass: the authority ends at the first `/` or `?`,
/// everything ends at the first `#` (the fragment, never sent). The same pass notes what the
/// host and port checks need, so that no byte is looked at twice.
struct RestSplit {
    authority_end: usize,
    end: usize,
    /// The first authority byte that is not a host byte (`usize::MAX` when none).
    first_not_host: usize,
    /// The last `:` of the authority.
    last_colon: Option<usize>,
    /// Whether the authority has an `@` (user information).
    has_at: bool,
    /// Why the path plus query cannot be sent as is: RFC 3986 allows only unreserved
    /// characters, delimiters and `%` followed by two hex digits; anything else must be
    /// percent-encoded.
    path_problem: Option<&'static str>,
}

fn split_rest(rest: &[u8]) -> RestSplit {
    let mut i = 0;
    let (mut first_not_host, mut last_colon, mut has_at) = (usize::MAX, None, false);
    while i < rest.len() {
        let b = rest[i];
        if !HOST_BYTE_ALLOWED[usize::from(b)] {
            match b {
                b'/' | b'?' | b'#' => break,
                b':' => last_colon = Some(i),
                b'@' => has_at = true,
                _ => {}
            }
            first_not_host = first_not_host.min(i);
        }
        i += 1;
    }
    let authority_end = i;
    let mut path_problem = None;
    while i < rest.len() {
        let b = rest[i];
        // The common case, one look-up: a byte allowed as it is ('#' and '%' are not in it).
        if PATH_BYTE_PLAIN[usize::from(b)] {
            i += 1;
            continue;
        }
        if b == b'#' {
            break;
        }
        if path_problem.is_none() {
            if b != b'%' {
                path_problem = Some(
                    "the path or query has a character a URL may not have (percent-encode it)",
                );
            } else {
                // A '#' is not a hex digit: the two digits, if there, are before the fragment.
                if rest.len() > i + 2
                    && rest[i + 1].is_ascii_hexdigit()
                    && rest[i + 2].is_ascii_hexdigit()
                {
                    i += 3;
                    continue;
                }
                path_problem = Some("a '%' is not followed by two hex digits");
            }
        }
        i += 1;
    }
    RestSplit {
        authority_end,
        end: i,
        first_not_host,
        last_colon,
        has_at,
        path_problem,
    }
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

/// The host (as written, an IPv6 address with its brackets) and the port, if any, of the
/// `authority` that `split` describes.
fn split_host_port<'a>(
    authority: &'a str,
    split: &RestSplit,
) -> std::result::Result<(&'a str, Option<u16>), &'static str> {
    let (host, port, host_ok) = if let Some(inner) = authority.strip_prefix('[') {
        let (address, after) = inner.split_once(']').ok_or("unclosed '[' in the host")?;
        if address.is_empty()
            || !address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err("the IPv6 address is malformed");
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("unexpected text after the IPv6 address")?,
            ),
        };
        (&authority[..address.len() + 2], port, true)
    } else {
        let (host, port) = match split.last_colon {
            Some(colon) => (&authority[..colon], Some(&authority[colon + 1..])),
            None => (authority, None),
        };
        // Every byte before the first one that is not a host byte is one.
        (host, port, split.first_not_host >= host.len())
    };
    if host.is_empty() {
        return Err("the host is empty");
    }
    if !host_ok {
        return Err("the host has a character a host name may not have");
    }
    let port = match port {
        None => None,
        Some(p) => match parse_port(p.as_bytes()) {
            Some(n) => Some(n),
            None => return Err("the port is not a number from 1 to 65535"),
        },
    };
    Ok((host, port))
}

/// A port: ASCII digits only (any number of leading zeros, as `u16::from_str` allows them),
/// from 1 to 65535.
fn parse_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u32 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
        if n > u32::from(u16::MAX) {
            return None;
        }
    }
    u16::try_from(n).ok().filter(|&n| n > 0)
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
    fn target_ref_borrows_the_url_and_gives_the_same_target() {
        let url = "http://API.example:8080?q=1";
        let borrowed = TargetRef::parse(url).unwrap();
        assert_eq!(borrowed.host_as_written, "API.example");
        assert_eq!(borrowed.path_and_query_as_written, "?q=1");
        assert!(borrowed.port_is_explicit() && borrowed.needs_leading_slash());
        let owned = borrowed.to_target();
        assert_eq!(owned, Target::parse(url).unwrap());
        assert_eq!(owned.uri(), "http://api.example:8080/?q=1");
    }

    #[test]
    fn url_errors_never_show_a_password() {
        let err = Target::parse("https://alice:S3cret@h/").unwrap_err();
        assert!(!err.message().contains("S3cret"), "{err}");
        assert!(err.message().contains("https://***@h/"), "{err}");
    }
}
