//! Decoding a GraphQL response body: its `data` as sent, or the errors it reports.

use std::fmt;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::error::Category;
use serde_json::value::RawValue;

use super::redact::server_text;
use crate::error::{Error, ErrorKind, Result};

/// At most this many GraphQL errors are quoted in a message; the rest are counted.
const MAX_ERRORS_SHOWN: usize = 10;

/// The server's own words: a JSON `message` (or `error`/`reason`), else the start of the text.
/// Redacted, escaped and bounded (see [`server_text`]).
pub(crate) fn server_message(body: &[u8], sent: &[String]) -> Option<String> {
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        for key in ["message", "error", "reason"] {
            if let Some(text) = json.get(key).and_then(Value::as_str) {
                return Some(server_text(text, sent, 500));
            }
        }
        if let Some(errors) = json.get("errors") {
            return graphql_error_messages(errors, sent);
        }
    }
    let excerpt = &body[..body.len().min(4096)];
    let text = String::from_utf8_lossy(excerpt);
    let text = text.trim();
    (!text.is_empty()).then(|| server_text(text, sent, 200))
}

/// What serde_json found wrong with a document, fit for a message: its own words for bad
/// syntax (which never quote the document), a plain description for a value of the wrong type
/// (serde's words would quote the value: server text, unredacted and unbounded).
pub(crate) fn json_problem(e: &serde_json::Error) -> String {
    match e.classify() {
        Category::Data => format!(
            "a value of another type at line {} column {}",
            e.line(),
            e.column()
        ),
        Category::Io | Category::Syntax | Category::Eof => e.to_string(),
    }
}

/// Every message of a GraphQL `errors` array (the first ten), with its path, joined by `; `.
fn graphql_error_messages(errors: &Value, sent: &[String]) -> Option<String> {
    let list = errors.as_array().filter(|l| !l.is_empty())?;
    let mut messages: Vec<String> = list
        .iter()
        .take(MAX_ERRORS_SHOWN)
        .map(|e| {
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("(no message)");
            let message = server_text(message, sent, 500);
            let path = e.get("path").and_then(Value::as_array).map(|p| {
                p.iter()
                    .take(32)
                    .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(".")
            });
            match path {
                Some(path) if !path.is_empty() => {
                    format!("{message} (at {})", server_text(&path, sent, 200))
                }
                _ => message,
            }
        })
        .collect();
    if list.len() > MAX_ERRORS_SHOWN {
        messages.push(format!("and {} more", list.len() - MAX_ERRORS_SHOWN));
    }
    Some(messages.join("; "))
}

/// The `data` of a GraphQL response body, as sent, or the error its `errors` array
/// describes. An empty `errors` array counts as none.
/// Nothing here panics, whatever the body: anything undecodable (too deep, not UTF-8, not an
/// object) is a `PROTOCOL` error.
pub(crate) fn graphql_data(body: &[u8], sent: &[String]) -> Result<String> {
    graphql_data_raw(body, sent).map(|data| data.get().to_owned())
}

/// [`graphql_data`] decoded as `D` (a `Value` for the typed calls), after the `errors` check:
/// a response with errors reports them whatever its `data` is.
pub(crate) fn graphql_data_as<D: DeserializeOwned>(body: &[u8], sent: &[String]) -> Result<D> {
    let data = graphql_data_raw(body, sent)?;
    serde_json::from_str(data.get()).map_err(|e| {
        Error::new(
            ErrorKind::Protocol,
            format!(
                "the response's data cannot be decoded: {}",
                json_problem(&e)
            ),
        )
    })
}

/// The `data` of a GraphQL response body as sent (members other than `data` and `errors`
/// skipped unread, in one pass), or the error its `errors` array describes.
fn graphql_data_raw<'a>(body: &'a [u8], sent: &[String]) -> Result<&'a RawValue> {
    let protocol = Error::protocol;
    let response: Envelope<'a> = serde_json::from_slice(body).map_err(|e| {
        protocol(format!(
            "the response is not a JSON object ({}); it starts with: {}",
            json_problem(&e),
            server_text(
                &String::from_utf8_lossy(&body[..body.len().min(120)]),
                sent,
                120
            )
        ))
    })?;
    if let Some(errors) = response.errors {
        let errors: Value = serde_json::from_str(errors.get()).map_err(|e| {
            protocol(format!(
                "the response's \"errors\" cannot be decoded: {}",
                json_problem(&e)
            ))
        })?;
        let listed = errors.as_array().is_some_and(|list| !list.is_empty());
        if listed {
            let messages = graphql_error_messages(&errors, sent).unwrap_or_default();
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
        .data
        .ok_or_else(|| protocol("the response has neither \"data\" nor \"errors\"".into()))
}

/// The members of a GraphQL response that matter, as raw JSON borrowed from the body. A JSON
/// `null` `data` is `Some` (the text `null`); a repeated member counts as its last occurrence.
struct Envelope<'a> {
    data: Option<&'a RawValue>,
    errors: Option<&'a RawValue>,
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<De: Deserializer<'de>>(
        deserializer: De,
    ) -> std::result::Result<Self, De::Error> {
        deserializer.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Envelope<'de>, A::Error> {
        let mut envelope = Envelope {
            data: None,
            errors: None,
        };
        while let Some(key) = map.next_key::<Member>()? {
            match key {
                Member::Data => envelope.data = Some(map.next_value()?),
                Member::Errors => envelope.errors = Some(map.next_value()?),
                Member::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

/// A member name of the response object, without keeping the text.
enum Member {
    Data,
    Errors,
    Other,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<De: Deserializer<'de>>(
        deserializer: De,
    ) -> std::result::Result<Self, De::Error> {
        struct MemberVisitor;
        impl Visitor<'_> for MemberVisitor {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E>(self, name: &str) -> std::result::Result<Member, E> {
                Ok(match name {
                    "data" => Member::Data,
                    "errors" => Member::Errors,
                    _ => Member::Other,
                })
            }
        }
        deserializer.deserialize_str(MemberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_errors_are_all_reported_with_their_paths() {
        let body = br#"{"data":null,"errors":[{"message":"Service not found","path":["connect"]},{"message":"second"}]}"#;
        let err = graphql_data(body, &[]).unwrap_err();
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
                graphql_data(body, &[]).unwrap_err().kind(),
                ErrorKind::Protocol,
                "{body:?}"
            );
        }
    }

    #[test]
    fn data_decodes_in_one_pass_as_a_value_or_as_text() {
        let body =
            br#"{"extensions": {"cost": [1, {"deep": true}]}, "data": {"connect": {"id": "c1"}}}"#;
        let value: Value = graphql_data_as(body, &[]).unwrap();
        assert_eq!(value, serde_json::json!({"connect": {"id": "c1"}}));
        assert_eq!(
            graphql_data(body, &[]).unwrap(),
            r#"{"connect": {"id": "c1"}}"#
        );
        // A null data is data (the typed callers report what is missing), and the last of a
        // repeated member counts, as with a map.
        let null: Value = graphql_data_as(br#"{"data": null}"#, &[]).unwrap();
        assert_eq!(null, Value::Null);
        assert_eq!(graphql_data(br#"{"data": null}"#, &[]).unwrap(), "null");
        assert_eq!(
            graphql_data(br#"{"data": 1, "data": 2}"#, &[]).unwrap(),
            "2"
        );
        // An escaped member name is still recognized.
        assert_eq!(graphql_data(br#"{"d\u0061ta": 3}"#, &[]).unwrap(), "3");
        let err =
            graphql_data_as::<Value>(br#"{"data": {"x": 1}, "errors": [{"message": "no"}]}"#, &[])
                .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::GraphQl);
        let err = graphql_data_as::<Value>(br#"[1]"#, &[]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
    }

    #[test]
    fn errors_are_reported_before_a_data_too_deep_to_decode() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let with_errors = format!(r#"{{"data": {deep}, "errors": [{{"message": "boom"}}]}}"#);
        let err = graphql_data_as::<Value>(with_errors.as_bytes(), &[]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::GraphQl);
        assert!(err.message().contains("boom"), "{err}");
        let alone = format!(r#"{{"data": {deep}}}"#);
        let err = graphql_data_as::<Value>(alone.as_bytes(), &[]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(
            err.message()
                .starts_with("the response's data cannot be decoded"),
            "{err}"
        );
        // The text as sent needs no decoding: it is returned.
        assert_eq!(graphql_data(alone.as_bytes(), &[]).unwrap(), deep);
    }

    #[test]
    fn data_is_returned_as_sent_when_there_are_no_errors() {
        let body = br#"{"data": {"n": 12345678901234567890123, "f": 1.10, "b": 1}, "errors": []}"#;
        assert_eq!(
            graphql_data(body, &[]).unwrap(),
            r#"{"n": 12345678901234567890123, "f": 1.10, "b": 1}"#
        );
        assert_eq!(
            graphql_data(br#"{"data":{"x":1},"errors":null}"#, &[]).unwrap(),
            r#"{"x":1}"#
        );
    }

    #[test]
    fn errors_that_are_not_a_list_are_a_protocol_error() {
        assert_eq!(
            graphql_data(br#"{"data":{},"errors":"x"}"#, &[])
                .unwrap_err()
                .kind(),
            ErrorKind::Protocol
        );
    }

    #[test]
    fn deeply_nested_errors_are_a_protocol_error_not_a_panic() {
        for depth in [200, 10_000] {
            let body = format!(
                r#"{{"data":null,"errors":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let err = graphql_data(body.as_bytes(), &[]).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Protocol | ErrorKind::GraphQl),
                "{err}"
            );
        }
    }

    #[test]
    fn error_paths_are_redacted_and_many_errors_are_counted() {
        let sig = "xNANaA4IuvVLRFMAc/e2oKV5SeiHI5pKyUvQn8d+nP8=";
        let mut errors: Vec<String> = (0..25)
            .map(|i| format!(r#"{{"message":"e{i}"}}"#))
            .collect();
        errors[0] = format!(r#"{{"message":"m","path":["{sig}"]}}"#);
        let body = format!(r#"{{"errors":[{}]}}"#, errors.join(","));
        let err = graphql_data(body.as_bytes(), &[]).unwrap_err();
        assert!(!err.message().contains(&sig[..16]), "{err}");
        assert!(err.message().contains("and 15 more"), "{err}");
    }

    /// Found by the `response` fuzz target: serde's message for a value of the wrong type
    /// quoted it whole, unredacted.
    #[test]
    fn a_body_that_is_a_json_string_is_not_quoted_whole() {
        let sig = "xNANaA4IuvVLRFMAc/e2oKV5SeiHI5pKyUvQn8d+nP8=";
        let body = format!("\"{sig} {}\"", "x".repeat(100_000));
        let err = graphql_data(body.as_bytes(), &[sig.to_owned()]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(!err.message().contains(&sig[..43]), "{err}");
        assert!(err.message().len() < 400, "{err}");
        assert!(err.message().contains("a value of another type"), "{err}");
    }

    #[test]
    fn a_non_json_body_is_quoted_redacted() {
        let sig = "xNANaA4IuvVLRFMAc_e2oKV5SeiHI5pKyUvQn8d-nP8";
        let body = format!("<html>signature={sig}</html>");
        let err = graphql_data(body.as_bytes(), &[]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(!err.message().contains(&sig[..16]), "{err}");
    }
}
