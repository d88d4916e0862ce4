//! What went wrong with a request, as an [`ErrorKind`] and a message a person can act on:
//! transport failures and non-2xx statuses.

use std::io::ErrorKind as IoKind;
use std::time::{Duration, SystemTime};

use super::redact::redact_signatures;
use super::response::{rest_refusal, server_message};
use crate::error::{Error, ErrorKind, printable};

/// A 401 whose `Date` is further than this from the local clock is reported as clock skew.
const SKEW_WORTH_MENTIONING: Duration = Duration::from_secs(60);

/// The kind of a transport failure and a description of it.
pub(super) fn classify(error: &ureq::Error, tls: bool) -> (ErrorKind, String) {
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

/// The error for a non-2xx response to `request` (`METHOD URL`): its status, the server's
/// message, and for a 401 whose `Date` is far from the local clock, the difference. A REST
/// failure reply (`status: false`) is [`ErrorKind::Api`] whatever the status.
pub(super) fn status_error(
    status: u16,
    request: &str,
    body: &[u8],
    date: Option<&str>,
    retry_after: Option<&str>,
    location: Option<&str>,
) -> Error {
    if let Some(refusal) = rest_refusal(body) {
        return Error::new(
            ErrorKind::Api,
            format!("{request}: HTTP {status}: the API refused: {refusal}"),
        );
    }
    let mut message = format!("{request}: HTTP {status}");
    if let Some(server) = server_message(body) {
        message.push_str(&format!(": {server}"));
    }
    let kind = match status {
        401 | 403 => {
            message.push_str(" (the access key was rejected: check that it is active and that the secret is right");
            if let Some(skew) = date.and_then(clock_skew_seconds) {
                if skew.unsigned_abs() >= SKEW_WORTH_MENTIONING.as_secs() {
                    let direction = if skew > 0 { "ahead of" } else { "behind" };
                    message.push_str(&format!(
                        "; this machine's clock is {} seconds {direction} the server's, so signatures are refused: correct the system time",
                        skew.unsigned_abs()
                    ));
                }
            }
            message.push(')');
            ErrorKind::Unauthorized
        }
        429 => {
            if let Some(wait) = retry_after {
                message.push_str(&format!(" (rate limited: retry after {wait} s)"));
            }
            ErrorKind::RateLimited
        }
        300..=399 => {
            message.push_str(" (redirects are not followed: a redirected request would carry a signature made for another target");
            if let Some(location) = location {
                message.push_str(&format!(
                    "; Location: {}",
                    printable(&redact_signatures(location), 200)
                ));
            }
            message.push(')');
            ErrorKind::HttpStatus
        }
        _ => ErrorKind::HttpStatus,
    };
    Error::new(kind, message)
}

/// Local clock minus server clock, in seconds, from a response `Date` header.
fn clock_skew_seconds(date: &str) -> Option<i64> {
    let server = httpdate::parse_http_date(date).ok()?;
    let now = SystemTime::now();
    Some(match now.duration_since(server) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_with_a_far_date_mentions_the_clock() {
        let hour_ago = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
        let err = status_error(
            401,
            "u",
            br#"{"message":"invalid signature"}"#,
            Some(&hour_ago),
            None,
            None,
        );
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
        assert!(err.message().contains("invalid signature"), "{err}");
        assert!(
            err.message().contains("seconds ahead of the server's"),
            "{err}"
        );
        let now = httpdate::fmt_http_date(SystemTime::now());
        let err = status_error(401, "u", b"", Some(&now), None, None);
        assert!(!err.message().contains("clock"), "{err}");
    }

    #[test]
    fn statuses_map_to_their_kinds() {
        assert_eq!(
            status_error(403, "u", b"", None, None, None).kind(),
            ErrorKind::Unauthorized
        );
        let limited = status_error(429, "u", b"", None, Some("7"), None);
        assert_eq!(limited.kind(), ErrorKind::RateLimited);
        assert!(limited.message().contains("retry after 7 s"));
        assert_eq!(
            status_error(302, "u", b"", None, None, Some("/x")).kind(),
            ErrorKind::HttpStatus
        );
        assert_eq!(
            status_error(503, "u", b"busy", None, None, None).kind(),
            ErrorKind::HttpStatus
        );
    }
}
