//! The Remote.It REST API (`/apv/v27`), signed like GraphQL calls and carrying the
//! developer key.

use serde_json::value::RawValue;

use crate::client::{Client, rest_refusal};
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
        let url = rest_url(self.api_url(), path)?;
        let reply = self.send(
            method,
            &url,
            body_json.unwrap_or_default().as_bytes(),
            &[("DeveloperKey", developer_key)],
        )?;
        decode_reply(method, &url, reply)
    }
}

/// `<origin of api_url>/apv/v27<path>`.
fn rest_url(api_url: &str, path: &str) -> Result<String> {
    let api = Target::parse(api_url)?;
    let url = format!(
        "{}://{}{REST_PREFIX}{path}",
        api.scheme.as_str(),
        api.authority
    );
    // The path must be one a URL can carry as it is (RFC 3986 characters only).
    Target::parse(&url)?;
    Ok(url)
}

/// The JSON text of a 2xx reply, or the refusal it carries.
fn decode_reply(method: &str, url: &str, reply: Vec<u8>) -> Result<String> {
    if let Some(refusal) = rest_refusal(&reply, &[]) {
        return Err(Error::new(
            ErrorKind::Api,
            format!("{method} {url}: the API refused: {refusal}"),
        ));
    }
    let protocol = |why: String| Error::new(ErrorKind::Protocol, format!("{method} {url}: {why}"));
    let text =
        String::from_utf8(reply).map_err(|_| protocol("the reply is not UTF-8 text".into()))?;
    serde_json::from_str::<&RawValue>(&text).map_err(|e| {
        protocol(format!(
            "the reply is not JSON ({e}); it starts with: {}",
            printable(&text, 120)
        ))
    })?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_url_is_the_api_origin_with_the_prefix_and_path() {
        assert_eq!(
            rest_url("https://API.remote.it:443/graphql/v1?x=1", "/user/info").unwrap(),
            "https://api.remote.it/apv/v27/user/info"
        );
        assert_eq!(
            rest_url("http://127.0.0.1:8080/graphql/v1", "/device/list/all").unwrap(),
            "http://127.0.0.1:8080/apv/v27/device/list/all"
        );
        assert!(rest_url("http://127.0.0.1:8080/", "/a b").is_err());
    }

    #[test]
    fn a_refusal_in_a_2xx_reply_is_an_api_error_with_reason_and_code() {
        let body = br#"{"status":"false","reason":"invalid developer key","code":"ERR_KEY"}"#;
        let err = decode_reply("GET", "u", body.to_vec()).unwrap_err();
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
            let err = decode_reply("GET", "u", body.to_vec()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Protocol, "{body:?}");
        }
        assert_eq!(
            decode_reply("GET", "u", br#"{"status":"true","x":1}"#.to_vec()).unwrap(),
            r#"{"status":"true","x":1}"#
        );
    }
}
