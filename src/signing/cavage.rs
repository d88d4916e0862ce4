//! draft-cavage HTTP Signatures with HMAC-SHA256: the scheme Remote.It documents.
//!
//! [`signing_string`] is the general signer (any ordered header list, values looked up
//! case-insensitively, repeated headers joined with `, `); [`sign`] applies Remote.It's list.

use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::signing::{Request, Target, checked_target, http_date};

/// The pseudo-header naming the method and the path plus query.
pub const REQUEST_TARGET: &str = "(request-target)";

/// The headers Remote.It signs, in order, when the request has a `Content-Type`.
pub const REMOTEIT_HEADERS: [&str; 5] = [
    REQUEST_TARGET,
    "host",
    "date",
    "content-type",
    "content-length",
];

/// The request a draft-cavage signature covers: method, path plus query, and header fields.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// The HTTP method, in any case.
    pub method: &'a str,
    /// The path and query as sent on the request line.
    pub path_and_query: &'a str,
    /// The header fields, in any case; a name may repeat.
    pub headers: &'a [(&'a str, &'a str)],
}

/// The signing string of `message` over `names` (lower-case header names or
/// `(request-target)`): `name: value` lines joined by `\n`. A listed header that the message
/// lacks is an error.
pub fn signing_string(names: &[&str], message: &Message<'_>) -> Result<String> {
    let lines = names
        .iter()
        .map(|name| {
            let name = name.to_ascii_lowercase();
            let value = if name == REQUEST_TARGET {
                format!(
                    "{} {}",
                    message.method.to_ascii_lowercase(),
                    message.path_and_query
                )
            } else {
                let values: Vec<&str> = message
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(&name))
                    .map(|(_, v)| v.trim())
                    .collect();
                if values.is_empty() {
                    return Err(Error::invalid_argument(format!(
                        "the signed header list names \"{name}\", which the request does not have"
                    )));
                }
                values.join(", ")
            };
            Ok(format!("{name}: {value}"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(lines.join("\n"))
}

/// The `Authorization` header value for a signature over `names`.
pub fn authorization(key_id: &str, names: &[&str], signature_base64: &str) -> String {
    format!(
        "Signature keyId=\"{key_id}\",algorithm=\"hmac-sha256\",headers=\"{}\",signature=\"{signature_base64}\"",
        names.join(" ")
    )
}

/// The Remote.It request a signature covers: what the URL, content type and body length give.
struct Prepared {
    target: Target,
    date: String,
    content_type: Option<String>,
    content_length: String,
}

impl Prepared {
    fn new(
        method: &str,
        url: &str,
        content_type: Option<&str>,
        content_length: usize,
        unix_time: Option<i64>,
    ) -> Result<Self> {
        let (target, time) = checked_target(method, url, content_type, unix_time)?;
        Ok(Prepared {
            target,
            date: http_date(time),
            content_type: content_type.map(str::to_owned),
            content_length: content_length.to_string(),
        })
    }

    fn names(&self) -> &'static [&'static str] {
        if self.content_type.is_some() {
            &REMOTEIT_HEADERS
        } else {
            const WITHOUT_CONTENT_TYPE: [&str; 4] =
                [REQUEST_TARGET, "host", "date", "content-length"];
            &WITHOUT_CONTENT_TYPE
        }
    }

    fn signing_string(&self, method: &str) -> Result<String> {
        let mut headers = vec![
            ("host", self.target.authority.as_str()),
            ("date", self.date.as_str()),
            ("content-length", self.content_length.as_str()),
        ];
        if let Some(ct) = &self.content_type {
            headers.push(("content-type", ct));
        }
        let message = Message {
            method,
            path_and_query: &self.target.path_and_query,
            headers: &headers,
        };
        signing_string(self.names(), &message)
    }
}

/// The Remote.It signing string for a request (no key needed): what [`sign`] signs.
pub fn remoteit_signing_string(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    content_length: usize,
    unix_time: Option<i64>,
) -> Result<String> {
    Prepared::new(method, url, content_type, content_length, unix_time)?.signing_string(method)
}

/// Signs `request` the Remote.It way: returns `Date` and `Authorization`, in that order.
pub fn sign(
    credentials: &Credentials,
    request: &Request<'_>,
    unix_time: Option<i64>,
) -> Result<Vec<(String, String)>> {
    let prepared = Prepared::new(
        request.method,
        request.url,
        request.content_type,
        request.body.len(),
        unix_time,
    )?;
    let signature = credentials
        .key()
        .sign_base64(prepared.signing_string(request.method)?.as_bytes());
    let authorization = authorization(credentials.access_key_id(), prepared.names(), &signature);
    Ok(vec![
        ("Date".to_owned(), prepared.date),
        ("Authorization".to_owned(), authorization),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_are_joined_with_comma_space() {
        let headers = [("X-Tag", "a"), ("host", "h"), ("x-tag", " b ")];
        let message = Message {
            method: "GET",
            path_and_query: "/",
            headers: &headers,
        };
        assert_eq!(signing_string(&["x-tag"], &message).unwrap(), "x-tag: a, b");
    }

    #[test]
    fn header_names_match_case_insensitively() {
        let headers = [("HOST", "example.com")];
        let message = Message {
            method: "GET",
            path_and_query: "/",
            headers: &headers,
        };
        assert_eq!(
            signing_string(&["Host"], &message).unwrap(),
            "host: example.com"
        );
    }

    #[test]
    fn a_listed_header_that_is_missing_is_an_error() {
        let message = Message {
            method: "GET",
            path_and_query: "/",
            headers: &[],
        };
        assert!(signing_string(&["digest"], &message).is_err());
    }

    #[test]
    fn content_type_is_left_out_of_the_list_when_absent() {
        let s = remoteit_signing_string("GET", "https://h/p", None, 0, Some(0)).unwrap();
        assert_eq!(
            s,
            "(request-target): get /p\nhost: h\ndate: Thu, 01 Jan 1970 00:00:00 GMT\ncontent-length: 0"
        );
    }

    #[test]
    fn content_type_with_newline_is_rejected() {
        assert!(
            remoteit_signing_string("POST", "https://h/", Some("a\r\nx: y"), 0, Some(0)).is_err()
        );
    }
}
