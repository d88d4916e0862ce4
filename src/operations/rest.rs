//! The Remote.It REST API (`/apv/v27`), signed like GraphQL calls and carrying the
//! developer key.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::client::redact::server_text;
use crate::client::response::json_problem;
use crate::client::{Call, Client, Reply};
use crate::error::{Error, ErrorKind, Result, printable};
use crate::target::Target;

/// The REST API's path prefix on the API host.
pub const REST_PREFIX: &str = "/apv/v27";

impl Client {
    /// Calls the REST API: `method` on `<origin of the API URL>/apv/v27<path>` (`path` starts
    /// with `/`, e.g. `/user/info`), with `body_json` (which must be valid JSON) as the body,
    /// signed with the client's scheme and carrying `DeveloperKey`. Returns the reply's JSON
    /// text.
    ///
    /// Without a developer key (`R3_DEVELOPER_API_KEY`) it fails before sending, with
    /// [`ErrorKind::CredentialsIncomplete`]. A reply `{"status": "false", "reason": ...,
    /// "code": ...}`, whatever its HTTP status, is [`ErrorKind::Api`] with the reason and code.
    pub fn rest(&self, method: &str, path: &str, body_json: Option<&str>) -> Result<String> {
        if !path.starts_with('/') {
            return Err(Error::invalid_argument(format!(
                "the REST path \"{}\" does not start with /",
                printable(path, 200)
            )));
        }
        if let Some(body) = body_json {
            serde_json::from_str::<&RawValue>(body).map_err(|e| {
                Error::invalid_argument(format!("the REST body is not valid JSON: {e}"))
            })?;
        }
        let developer_key = self.credentials().developer_key().ok_or_else(|| {
            Error::new(
                ErrorKind::CredentialsIncomplete,
                "the REST API needs the developer key: the credentials have no \
                 R3_DEVELOPER_API_KEY (add it to the profile, or set it in the environment)",
            )
        })?;
        let url = rest_url(self.target(), path)?;
        let call = Call {
            method,
            url: &url,
            content_type: Some("application/json"),
            body: body_json.unwrap_or_default().as_bytes(),
            extra_headers: &[("DeveloperKey", developer_key)],
            side_effects: !matches!(method, "GET" | "HEAD"),
        };
        let reply = self.execute(&call)?;
        decode_reply(&call, reply)
    }
}

/// `<origin of the API URL>/apv/v27<path>`.
fn rest_url(api: &Target, path: &str) -> Result<String> {
    let url = format!(
        "{}://{}{REST_PREFIX}{path}",
        api.scheme.as_str(),
        api.authority
    );
    // The path must be one a URL can carry as it is (RFC 3986 characters only).
    Target::parse(&url)?;
    Ok(url)
}

/// The JSON text of a 2xx reply, or the refusal a reply of any status carries, or the
/// error of its status.
pub(crate) fn decode_reply(call: &Call<'_>, reply: Reply) -> Result<String> {
    let (method, url) = (call.method, call.url);
    if let Some(refusal) = rest_refusal(&reply.body, &reply.signatures) {
        let status = if (200..300).contains(&reply.status) {
            String::new()
        } else {
            format!(" HTTP {}:", reply.status)
        };
        return Err(Error::new(
            ErrorKind::Api,
            format!("{method} {url}:{status} the API refused: {refusal}"),
        ));
    }
    reply.success_body(call)?;
    let protocol = |why: String| Error::new(ErrorKind::Protocol, format!("{method} {url}: {why}"));
    let text = String::from_utf8(reply.body)
        .map_err(|_| protocol("the reply is not UTF-8 text".into()))?;
    serde_json::from_str::<&RawValue>(&text).map_err(|e| {
        protocol(format!(
            "the reply is not JSON ({}); it starts with: {}",
            json_problem(&e),
            server_text(&text, &reply.signatures, 120)
        ))
    })?;
    Ok(text)
}

/// The reason and code of a REST API failure reply (`{"status": "false", "reason": ...,
/// "code": ...}`; `status` may also be the JSON `false`), or `None` for any other body.
fn rest_refusal(body: &[u8], sent: &[String]) -> Option<String> {
    let json = serde_json::from_slice::<Value>(body).ok()?;
    let refused = match json.get("status")? {
        Value::Bool(ok) => !ok,
        Value::String(ok) => ok.eq_ignore_ascii_case("false"),
        _ => false,
    };
    if !refused {
        return None;
    }
    let shown = |key: &str| match json.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(server_text(text, sent, 500)),
        Some(other) => Some(server_text(&other.to_string(), sent, 100)),
    };
    let reason = shown("reason").unwrap_or_else(|| "(no reason given)".into());
    Some(match shown("code") {
        Some(code) => format!("{reason} (code {code})"),
        None => format!("{reason} (no code given)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`decode_reply`] of a 200 reply with `body` to a GET of `u`.
    fn decode(body: &[u8]) -> Result<String> {
        let call = Call {
            method: "GET",
            url: "u",
            content_type: None,
            body: b"",
            extra_headers: &[],
            side_effects: false,
        };
        let reply = Reply {
            status: 200,
            body: body.to_vec(),
            server_ahead: None,
            retry_after: None,
            location: None,
            signatures: Vec::new(),
            attempts: 1,
        };
        decode_reply(&call, reply)
    }

    #[test]
    fn rest_url_is_the_api_origin_with_the_prefix_and_path() {
        assert_eq!(
            rest_url(
                &Target::parse("https://API.remote.it:443/graphql/v1?x=1").unwrap(),
                "/user/info"
            )
            .unwrap(),
            "https://api.remote.it/apv/v27/user/info"
        );
        assert_eq!(
            rest_url(
                &Target::parse("http://127.0.0.1:8080/graphql/v1").unwrap(),
                "/device/list/all"
            )
            .unwrap(),
            "http://127.0.0.1:8080/apv/v27/device/list/all"
        );
        assert!(rest_url(&Target::parse("http://127.0.0.1:8080/").unwrap(), "/a b").is_err());
    }

    #[test]
    fn a_refusal_in_a_2xx_reply_is_an_api_error_with_reason_and_code() {
        let body = br#"{"status":"false","reason":"invalid developer key","code":"ERR_KEY"}"#;
        let err = decode(body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        assert!(
            err.message()
                .contains("invalid developer key (code ERR_KEY)"),
            "{err}"
        );
    }

    #[test]
    fn a_reply_that_is_not_json_is_a_protocol_error() {
        for body in [&b"<html>"[..], b"", b"\xff"] {
            let err = decode(body).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Protocol, "{body:?}");
        }
        assert_eq!(
            decode(br#"{"status":"true","x":1}"#).unwrap(),
            r#"{"status":"true","x":1}"#
        );
    }

    #[test]
    fn rest_refusals_give_reason_and_code_whatever_the_status_type() {
        let refusal = |body: &str| rest_refusal(body.as_bytes(), &[]);
        assert_eq!(
            refusal(r#"{"status":"false","reason":"bad key","code":"ERR_KEY"}"#).as_deref(),
            Some("bad key (code ERR_KEY)")
        );
        assert_eq!(
            refusal(r#"{"status":false,"reason":"x\ny","code":7}"#).as_deref(),
            Some("x\\ny (code 7)")
        );
        assert_eq!(
            refusal(r#"{"status":"false"}"#).as_deref(),
            Some("(no reason given) (no code given)")
        );
        for body in [
            r#"{"status":"true"}"#,
            r#"{"status":true}"#,
            "{}",
            "[]",
            "x",
        ] {
            assert_eq!(refusal(body), None, "{body}");
        }
    }
}
