//! What went wrong with a request, as an [`ErrorKind`] and a message a person can act on:
//! transport failures and non-2xx statuses.

use std::io::ErrorKind as IoKind;

use super::clock::CORRECTION_THRESHOLD;
use super::redact::server_text;
use super::response::server_message;
use crate::error::{Error, ErrorKind};

/// The kind of a transport failure and a description of it.
fn classify(error: &ureq::Error, tls: bool) -> (ErrorKind, String) {
    use ureq::Error as E;
    match error {
        E::Timeout(which) => (ErrorKind::Timeout, format!("timed out ({which})")),
        E::HostNotFound => (
            ErrorKind::Network,
            "the host name was not found (DNS)".into(),
        ),
        E::ConnectionFailed => (ErrorKind::Network, "could not connect".into()),
        E::Tls(why) => (ErrorKind::Tls, format!("TLS failed: {why}")),
        E::Rustls(e) => (ErrorKind::Tls, format!("TLS failed: {e}")),
        E::Pem(e) => (ErrorKind::Tls, format!("TLS configuration: {e}")),
        E::BodyExceedsLimit(limit) => (
            ErrorKind::Protocol,
            format!("the response is larger than {limit} bytes"),
        ),
        E::Io(io) => classify_io(io, tls),
        other => (ErrorKind::Network, other.to_string()),
    }
}

/// [`classify`], with the description fit for a message (it may quote what the server sent):
/// redacted against `sent`, escaped and bounded.
pub(crate) fn failure_detail(
    error: &ureq::Error,
    tls: bool,
    sent: &[String],
) -> (ErrorKind, String) {
    let (kind, detail) = classify(error, tls);
    (kind, server_text(&detail, sent, 300))
}

fn classify_io(io: &std::io::Error, tls: bool) -> (ErrorKind, String) {
    match io.kind() {
        IoKind::TimedOut | IoKind::WouldBlock => (ErrorKind::Timeout, "timed out".into()),
        IoKind::ConnectionRefused => (ErrorKind::Network, "connection refused".into()),
        IoKind::ConnectionReset | IoKind::ConnectionAborted | IoKind::BrokenPipe => {
            (ErrorKind::Network, "the connection was reset".into())
        }
        IoKind::UnexpectedEof => (
            ErrorKind::Network,
            "the connection closed before the response was complete".into(),
        ),
        // rustls reports handshake and certificate failures as InvalidData around its error.
        IoKind::InvalidData if tls => (ErrorKind::Tls, format!("TLS failed: {io}")),
        _ => (ErrorKind::Network, io.to_string()),
    }
}

/// What a status error is reported with, besides the status and the body.
pub(crate) struct StatusContext<'a> {
    /// The request's method.
    pub(crate) method: &'a str,
    /// The request's URL.
    pub(crate) url: &'a str,
    /// Server clock minus local clock in seconds, measured from the response's `Date`.
    pub(crate) server_ahead: Option<i64>,
    /// The response's `Retry-After`, as sent.
    pub(crate) retry_after: Option<&'a str>,
    /// The response's `Location`, as sent.
    pub(crate) location: Option<&'a str>,
    /// The signatures the request carried, redacted wherever the server echoes them.
    pub(crate) sent: &'a [String],
}

impl<'a> StatusContext<'a> {
    /// A context for a POST to `url` with nothing else known.
    #[cfg(test)]
    pub(crate) fn new(url: &'a str) -> Self {
        StatusContext {
            method: "POST",
            url,
            server_ahead: None,
            retry_after: None,
            location: None,
            sent: &[],
        }
    }
}

/// How a clock difference reads in a message: `"this machine's clock is 600 seconds ahead of
/// the server's"`; `server_ahead` is server minus local.
pub(crate) fn clock_difference(server_ahead: i64) -> String {
    let direction = if server_ahead < 0 {
        "ahead of"
    } else {
        "behind"
    };
    format!(
        "this machine's clock is {} seconds {direction} the server's",
        server_ahead.unsigned_abs()
    )
}

/// The error for a non-2xx response: its status, the server's message (redacted, escaped,
/// bounded), and for a 401/403 whose `Date` is far from the local clock, the difference.
pub(crate) fn status_error(status: u16, body: &[u8], context: &StatusContext<'_>) -> Error {
    let mut message = format!("{} {}: HTTP {status}", context.method, context.url);
    if let Some(server) = server_message(body, context.sent) {
        message.push_str(&format!(": {server}"));
    }
    let kind = match status {
        401 | 403 => {
            message.push_str(" (the access key was rejected: check that it is active and that the secret is right");
            if let Some(ahead) = context.server_ahead {
                // Skew the clock correction would correct is worth mentioning.
                if ahead.unsigned_abs() > CORRECTION_THRESHOLD.unsigned_abs() {
                    message.push_str(&format!(
                        "; {}, so signatures are refused: correct the system time or turn clock correction on",
                        clock_difference(ahead)
                    ));
                }
            }
            message.push(')');
            ErrorKind::Unauthorized
        }
        429 => {
            if let Some(wait) = context.retry_after {
                message.push_str(&format!(
                    " (rate limited: retry after {} s)",
                    server_text(wait, context.sent, 40)
                ));
            }
            ErrorKind::RateLimited
        }
        300..=399 => {
            message.push_str(" (redirects are not followed: a redirected request would carry a signature made for another target");
            if let Some(location) = context.location {
                message.push_str(&format!(
                    "; Location: {}",
                    server_text(location, context.sent, 200)
                ));
            }
            message.push(')');
            ErrorKind::HttpStatus
        }
        _ => ErrorKind::HttpStatus,
    };
    Error::new(kind, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(
        server_ahead: Option<i64>,
        retry_after: Option<&'static str>,
    ) -> StatusContext<'static> {
        StatusContext {
            server_ahead,
            retry_after,
            ..StatusContext::new("u")
        }
    }

    #[test]
    fn unauthorized_with_a_far_date_mentions_the_clock() {
        let err = status_error(
            401,
            br#"{"message":"invalid signature"}"#,
            &context(Some(-3600), None),
        );
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
        assert!(err.message().contains("invalid signature"), "{err}");
        assert!(
            err.message().contains("3600 seconds ahead of the server's"),
            "{err}"
        );
        let err = status_error(401, b"", &context(Some(0), None));
        assert!(!err.message().contains("clock"), "{err}");
        let err = status_error(401, b"", &context(Some(600), None));
        assert!(
            err.message().contains("600 seconds behind the server's"),
            "{err}"
        );
    }

    #[test]
    fn statuses_map_to_their_kinds() {
        assert_eq!(
            status_error(403, b"", &context(None, None)).kind(),
            ErrorKind::Unauthorized
        );
        let limited = status_error(429, b"", &context(None, Some("7")));
        assert_eq!(limited.kind(), ErrorKind::RateLimited);
        assert!(limited.message().contains("retry after 7 s"));
        let redirect = StatusContext {
            location: Some("/x"),
            ..StatusContext::new("u")
        };
        assert_eq!(
            status_error(302, b"", &redirect).kind(),
            ErrorKind::HttpStatus
        );
        assert_eq!(
            status_error(503, b"busy", &context(None, None)).kind(),
            ErrorKind::HttpStatus
        );
    }

    #[test]
    fn a_retry_after_is_escaped_and_bounded() {
        let huge = format!("7\r\nX-Evil: 1{}", "9".repeat(10_000));
        let limited = status_error(
            429,
            b"",
            &context(None, Some(Box::leak(huge.into_boxed_str()))),
        );
        assert!(limited.message().len() < 200, "{}", limited.message());
        assert!(!limited.message().contains('\n'));
    }
}
