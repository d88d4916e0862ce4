//! Keeping signatures out of messages: server text that echoes a request is redacted.

/// `text` (from the server) with anything shaped like a base64 HMAC-SHA256 signature (43
/// base64 characters or more) replaced, so that a server echoing the request cannot put a
/// signature into an error message.
pub(super) fn redact_signatures(text: &str) -> String {
    const MIN_RUN: usize = 43;
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_base64) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let len = run.find(|c: char| !is_base64(c)).unwrap_or(run.len());
        if len >= MIN_RUN {
            out.push_str("[redacted]");
            rest = run[len..].trim_start_matches('=');
        } else {
            out.push_str(&run[..len]);
            rest = &run[len..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::failure::status_error;
    use crate::client::response::graphql_data;

    #[test]
    fn server_text_shaped_like_a_signature_is_redacted() {
        let sig = "xNANaA4IuvVLRFMAc/e2oKV5SeiHI5pKyUvQn8d+nP8=";
        let echoed = format!(
            r#"{{"message":"could not verify Authorization: Signature keyId=\"ID\",signature=\"{sig}\""}}"#
        );
        let err = status_error(401, "u", echoed.as_bytes(), None, None, None);
        assert!(!err.message().contains(&sig[..20]), "{err}");
        assert!(err.message().contains("signature=\"[redacted]\""), "{err}");
        let body = format!(r#"{{"errors":[{{"message":"bad remoteit=:{sig}:"}}]}}"#);
        let err = graphql_data(body.as_bytes()).unwrap_err();
        assert!(err.message().contains("bad remoteit=:[redacted]:"), "{err}");
        assert_eq!(
            redact_signatures("Service not found: 80:00:00:00:01:00:00:99"),
            "Service not found: 80:00:00:00:01:00:00:99"
        );
    }
}
