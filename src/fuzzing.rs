//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature, off by default): the
//! internal parsers a fuzzer should reach directly. Not a public API.

use std::path::Path;

use crate::credentials::Credentials;
use crate::error::Result;

/// Parses `text` as a credentials file and reads `profile` from it (`None`: `DEFAULT`), as
/// loading a file does after reading it.
pub fn credentials_from_text(text: &str, profile: Option<&str>) -> Result<Credentials> {
    Credentials::from_text(text, Path::new("fuzz-input"), profile)
}

/// Signs `request` with the general path only (the reference the fast path must equal byte
/// for byte, rejections included): what [`crate::signing::sign`] gives when the fast path
/// declines.
pub fn sign_general(
    credentials: &Credentials,
    scheme: crate::signing::Scheme,
    request: &crate::signing::Request<'_>,
    unix_time: Option<i64>,
) -> Result<Vec<(String, String)>> {
    crate::signing::general_sign(credentials, scheme, request, unix_time)
}

/// A response as the client receives it, and the signatures the request carried.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The HTTP status (100 to 999).
    pub status: u16,
    /// The `Date` header, when sent.
    pub date: Option<&'a str>,
    /// The `Retry-After` header, when sent.
    pub retry_after: Option<&'a str>,
    /// The `Location` header, when sent.
    pub location: Option<&'a str>,
    /// An `X-R3-Warning` header, when sent (it becomes a log line).
    pub warning: Option<&'a str>,
    /// The text of an I/O error the exchange broke off with (a transport failure that quotes
    /// the peer, as a TLS alert or a protocol error may), when there was one.
    pub transport_error: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
    /// The signature values the request carried.
    pub sent: &'a [String],
}

/// Decodes `response` through every path the client has for a response (a GraphQL call and
/// the data of `connect`, `disconnect` and a page of devices; a REST call; the status error;
/// the `Retry-After` wait; the API's warning; a transport failure) and returns every text that
/// would reach the caller: each error's message and `Debug`, and each log line.
pub fn decode_response(response: &Response<'_>) -> Vec<String> {
    use std::time::{Duration, SystemTime};

    use crate::client::call::{retry_after_delay, too_long_to_wait, warning_line};
    use crate::client::clock::server_ahead;
    use crate::client::failure::failure_detail;
    use crate::client::response::{graphql_data, graphql_data_as};
    use crate::client::{Call, Reply};
    use crate::error::Error;
    use crate::operations::devices::{collect_pages, devices_page};
    use crate::operations::parse_connection;
    use crate::operations::rest::decode_reply;

    let mut shown: Vec<String> = Vec::new();
    fn failed(shown: &mut Vec<String>, result: Result<()>) {
        if let Err(e) = result {
            shown.push(e.message().to_owned());
            shown.push(format!("{e:?}"));
        }
    }
    let now = SystemTime::now();
    let reply = |attempts| Reply {
        status: response.status,
        body: response.body.to_vec(),
        server_ahead: response.date.and_then(|d| server_ahead(d, now, now)),
        retry_after: response.retry_after.map(str::to_owned),
        location: response.location.map(str::to_owned),
        signatures: response.sent.to_vec(),
        attempts,
    };
    let graphql = Call {
        method: "POST",
        url: "https://api.remote.it/graphql/v1",
        content_type: Some("application/json"),
        body: b"{}",
        extra_headers: &[],
        side_effects: false,
    };
    let rest = Call {
        method: "GET",
        url: "https://api.remote.it/apv/v27/user/info",
        content_type: Some("application/json"),
        body: b"",
        extra_headers: &[],
        side_effects: false,
    };

    // A GraphQL call, then what the operations make of its data.
    let first = reply(1);
    let data = first
        .success_body(&graphql)
        // Both decodings the client makes: the text as sent (graphql_raw), and the value.
        .and_then(|()| graphql_data(&first.body, &first.signatures))
        .and_then(|_| graphql_data_as::<serde_json::Value>(&first.body, &first.signatures));
    match data {
        Ok(data) => {
            failed(
                &mut shown,
                parse_connection(data.get("connect").unwrap_or(&serde_json::Value::Null)).map(drop),
            );
            for account in [None, Some("acct-1")] {
                let page = devices_page(data.clone(), account);
                failed(&mut shown, collect_pages(|_| page.clone()).map(drop));
            }
        }
        Err(e) => failed(&mut shown, Err(e)),
    }
    // The same reply after retries, to a REST call.
    failed(&mut shown, decode_reply(&rest, reply(3)).map(drop));
    // A wait longer than the call has left.
    if let Some(asked) = response.retry_after.and_then(retry_after_delay) {
        let error = too_long_to_wait(
            first.status_error(&graphql),
            asked,
            Duration::from_millis(1),
        );
        failed(&mut shown, Err(error));
    }
    if let Some(warning) = response.warning {
        shown.push(warning_line(&graphql, warning, response.sent));
    }
    if let Some(text) = response.transport_error {
        for kind in [std::io::ErrorKind::InvalidData, std::io::ErrorKind::Other] {
            let error = ureq::Error::Io(std::io::Error::new(kind, text.to_owned()));
            for tls in [false, true] {
                let (kind, detail) = failure_detail(&error, tls, response.sent);
                failed(&mut shown, Err(Error::new(kind, detail)));
            }
        }
    }
    shown
}
