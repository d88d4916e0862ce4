//! HTTP request signatures: the parts both schemes share (argument checks, the date) and the two schemes Remote.It accepts, each a pure function of its inputs.

pub(crate) mod buffer;
pub mod cavage;
mod fast;
#[cfg(test)]
mod fast_tests;
pub mod rfc9421;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::credentials::Credentials;
use crate::error::{Error, Result, printable};
use crate::signing::buffer::SignedHeaders;
pub use crate::target::{Target, UrlScheme};

/// Which signature scheme a request is signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// draft-cavage HTTP Signatures: `Authorization: Signature keyId=...` (the default).
    #[default]
    Cavage,
    /// RFC 9421 HTTP Message Signatures: `Signature-Input` and `Signature`.
    Rfc9421,
}

/// The request facts a signature covers. `body` is the exact bytes that will be sent.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The absolute `http://` or `https://` URL.
    pub url: &'a str,
    /// The `Content-Type` the request will carry, if any.
    pub content_type: Option<&'a str>,
    /// The request body.
    pub body: &'a [u8],
}

/// Signs `request` with `scheme`, returning the headers to add, in order.
pub fn sign(
    credentials: &Credentials,
    scheme: Scheme,
    request: &Request<'_>,
    unix_time: Option<i64>,
) -> Result<Vec<(String, String)>> {
    let mut headers = SignedHeaders::new();
    match fast::sign(credentials, scheme, request, unix_time, &mut headers) {
        Some(()) => Ok(headers.to_pairs()),
        None => general_sign(credentials, scheme, request, unix_time),
    }
}

/// Signs `request` into `out` (empty): the fast path, or the general path for what the fast
/// path does not handle, rejections included.
pub(crate) fn sign_into(
    credentials: &Credentials,
    scheme: Scheme,
    request: &Request<'_>,
    unix_time: Option<i64>,
    out: &mut SignedHeaders,
) -> Result<()> {
    if fast::sign(credentials, scheme, request, unix_time, out).is_some() {
        return Ok(());
    }
    let pairs = general_sign(credentials, scheme, request, unix_time)?;
    *out = SignedHeaders::from_pairs(&pairs)
        .ok_or_else(|| Error::invalid_argument("a header contains a NUL byte"))?;
    Ok(())
}

/// The general path: each scheme's reference signer.
pub(crate) fn general_sign(
    credentials: &Credentials,
    scheme: Scheme,
    request: &Request<'_>,
    unix_time: Option<i64>,
) -> Result<Vec<(String, String)>> {
    match scheme {
        Scheme::Cavage => cavage::sign(credentials, request, unix_time),
        Scheme::Rfc9421 => rfc9421::sign(credentials, request, unix_time),
    }
}

/// The text `scheme` signs for `request`: the signing string (draft-cavage) or the signature
/// base (RFC 9421). It holds no secret and no signature: for logs and debugging.
pub fn signed_text(
    key_id: &str,
    scheme: Scheme,
    request: &Request<'_>,
    unix_time: i64,
) -> Result<String> {
    match scheme {
        Scheme::Cavage => cavage::remoteit_signing_string(
            request.method,
            request.url,
            request.content_type,
            request.body.len(),
            Some(unix_time),
        ),
        Scheme::Rfc9421 => rfc9421::remoteit_signature_base(key_id, request, Some(unix_time)),
    }
}

/// base64(HMAC-SHA256(secret, `data`)) with the credentials' key: the signature of any
/// signing string or signature base built by hand (for schemes or header lists of your own).
pub fn sign_bytes_base64(credentials: &Credentials, data: &[u8]) -> String {
    credentials.key().sign_base64(data)
}

/// The checks both schemes make before signing: `method` is an HTTP token, `content_type`
/// has no control character, `url` parses, `unix_time` is in range. Returns the parsed target
/// and the signing time.
pub(crate) fn checked_target(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    unix_time: Option<i64>,
) -> Result<(Target, i64)> {
    check_method(method)?;
    if let Some(ct) = content_type {
        check_header_value("content type", ct)?;
    }
    Ok((Target::parse(url)?, resolve_time(unix_time)?))
}

/// The bytes of an HTTP token (RFC 9110 `tchar`s).
static TCHAR: [bool; 256] = crate::target::byte_table(b"!#$%&'*+-.^_`|~");

/// True when `text` is an RFC 9110 token: one or more `tchar`s.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| TCHAR[usize::from(b)])
}

/// Checks that `method` is an HTTP token (RFC 9110 `tchar`s).
pub fn check_method(method: &str) -> Result<()> {
    if !is_token(method) {
        return Err(Error::invalid_argument(format!(
            "method \"{}\" is not an HTTP token",
            printable(method, 100)
        )));
    }
    Ok(())
}

/// Checks that a header value can be sent as is: no control characters (no CR/LF injection).
pub fn check_header_value(name: &str, value: &str) -> Result<()> {
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid_argument(format!(
            "the {name} value contains a control character"
        )));
    }
    Ok(())
}

/// The latest time an IMF-fixdate can show: 9999-12-31 23:59:59 GMT.
const MAX_UNIX_TIME: i64 = 253_402_300_799;

/// The signing time in seconds since the epoch: `unix_time` itself, or now when `None` or
/// negative.
pub fn resolve_time(unix_time: Option<i64>) -> Result<i64> {
    match unix_time {
        Some(t) if t > MAX_UNIX_TIME => Err(Error::invalid_argument(format!(
            "unix_time {t} is past year 9999"
        ))),
        Some(t) if t >= 0 => Ok(t),
        _ => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}

/// `unix_time` (non-negative, at most 9999-12-31 23:59:59) as an IMF-fixdate in GMT.
pub fn http_date(unix_time: i64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix_time.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_must_be_an_http_token() {
        assert!(check_method("POST").is_ok());
        assert!(check_method("M-SEARCH").is_ok());
        for bad in ["", "PO ST", "GET\r\n", "G(T", "PÖST"] {
            assert!(check_method(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn date_is_imf_fixdate_gmt() {
        assert_eq!(http_date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn negative_time_means_now_and_far_future_is_rejected() {
        let now = resolve_time(Some(-1)).unwrap();
        assert!(now > 1_700_000_000);
        assert!(resolve_time(Some(MAX_UNIX_TIME)).is_ok());
        assert!(resolve_time(Some(MAX_UNIX_TIME + 1)).is_err());
    }
}
