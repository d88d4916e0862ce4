//! Decoding a GraphQL response body: its `data` as sent, or the errors it reports.

use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

use super::redact::redact_signatures;
use crate::error::{Error, ErrorKind, Result, printable};

/// The server's own words: a JSON `message` (or `error`/`reason`), else the start of the text.
pub(super) fn server_message(body: &[u8]) -> Option<String> {
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        for key in ["message", "error", "reason"] {
            if let Some(text) = json.get(key).and_then(Value::as_str) {
                return Some(printable(&redact_signatures(text), 500));
            }
        }
        if let Some(errors) = json.get("errors") {
            return graphql_error_messages(errors);
        }
    }
    let text = redact_signatures(String::from_utf8_lossy(body).trim());
    (!text.is_empty()).then(|| printable(&text, 200))
}

/// The reason and code of a REST API failure reply (`{"status": "false", "reason": ...,
/// "code": ...}`; `status` may also be the JSON `false`), or `None` for any other body.
pub(crate) fn rest_refusal(body: &[u8]) -> Option<String> {
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
        Some(Value::String(text)) => Some(printable(&redact_signatures(text), 500)),
        Some(other) => Some(printable(&other.to_string(), 100)),
    };
    let reason = shown("reason").unwrap_or_else(|| "(no reason given)".into());
    Some(match shown("code") {
        Some(code) => format!("{reason} (code {code})"),
        None => format!("{reason} (no code given)"),
    })
}

/// Every message of a GraphQL `errors` array, with its path, joined by `; `.
fn graphql_error_messages(errors: &Value) -> Option<String> {
    let list = errors.as_array().filter(|l| !l.is_empty())?;
    let messages: Vec<String> = list
        .iter()
        .map(|e| {
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("(no message)");
            let message = printable(&redact_signatures(message), 500);
            let path = e.get("path").and_then(Value::as_array).map(|p| {
                p.iter()
                    .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(".")
            });
            match path {
                Some(path) if !path.is_empty() => {
                    format!("{message} (at {})", printable(&path, 200))
                }
                _ => message,
            }
        })
        .collect();
    Some(messages.join("; "))
}

/// The `data` of a GraphQL response body, as sent, or the error its `errors` array
/// describes. An empty `errors` array counts as none.
pub(super) fn graphql_data(body: &[u8]) -> Result<String> {
    let protocol = |why: String| Error::new(ErrorKind::Protocol, why);
    let mut response: HashMap<String, Box<RawValue>> =
        serde_json::from_slice(body).map_err(|e| {
            protocol(format!(
                "the response is not a JSON object ({e}); it starts with: {}",
                printable(&String::from_utf8_lossy(&body[..body.len().min(120)]), 120)
            ))
        })?;
    if let Some(errors) = response.get("errors") {
        let errors: Value = serde_json::from_str(errors.get()).expect("a raw JSON value parses");
        let listed = errors.as_array().is_some_and(|list| !list.is_empty());
        if listed {
            let messages = graphql_error_messages(&errors).unwrap_or_default();
            return Err(Error::new(
                ErrorKind::GraphQl,
                format!("GraphQL error: {messages}"),
            ));
        }
        if !errors.is_null() && !errors.is_array() {
            return Err(protocol("the response's \"errors\" is not a list".into()));
        }
    }
    response
        .remove("data")
        .map(|data| data.get().to_owned())
        .ok_or_else(|| protocol("the response has neither \"data\" nor \"errors\"".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_errors_are_all_reported_with_their_paths() {
        let body = br#"{"data":null,"errors":[{"message":"Service not found","path":["connect"]},{"message":"second"}]}"#;
        let err = graphql_data(body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::GraphQl);
        assert!(
            err.message()
                .contains("Service not found (at connect); second"),
            "{err}"
        );
    }

    #[test]
    fn non_json_and_truncated_json_are_protocol_errors() {
        for body in [
            &b"<html>hi</html>"[..],
            b"{\"data\": {\"connect\": ",
            b"",
            b"[1]",
            b"{}",
        ] {
            assert_eq!(
                graphql_data(body).unwrap_err().kind(),
                ErrorKind::Protocol,
                "{body:?}"
            );
        }
    }

    #[test]
    fn data_is_returned_as_sent_when_there_are_no_errors() {
        let body = br#"{"data": {"n": 12345678901234567890123, "f": 1.10, "b": 1}, "errors": []}"#;
        assert_eq!(
            graphql_data(body).unwrap(),
            r#"{"n": 12345678901234567890123, "f": 1.10, "b": 1}"#
        );
        assert_eq!(
            graphql_data(br#"{"data":{"x":1},"errors":null}"#).unwrap(),
            r#"{"x":1}"#
        );
    }

    #[test]
    fn rest_refusals_give_reason_and_code_whatever_the_status_type() {
        let refusal = |body: &str| rest_refusal(body.as_bytes());
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

    #[test]
    fn errors_that_are_not_a_list_are_a_protocol_error() {
        assert_eq!(
            graphql_data(br#"{"data":{},"errors":"x"}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::Protocol
        );
    }
}
