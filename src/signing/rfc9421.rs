//! RFC 9421 HTTP Message Signatures with HMAC-SHA256, as Remote.It's own tools use them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::error::Result;
use crate::signing::{Request, checked_target, http_date};

/// The signature label Remote.It's tools use.
pub(crate) const LABEL: &str = "remoteit";
/// How long a signature stays valid, in seconds (`expires = created + this`).
pub(crate) const VALIDITY_SECONDS: i64 = 300;

/// The inner list of covered components, e.g. `("@method" "date")`.
pub fn inner_list(components: &[&str]) -> String {
    let quoted: Vec<String> = components.iter().map(|c| format!("\"{c}\"")).collect();
    format!("({})", quoted.join(" "))
}

/// The signature base: a `"<component>": <value>` line per component, then
/// `"@signature-params": <signature_params>`, joined by `\n`.
pub fn signature_base(components: &[(&str, &str)], signature_params: &str) -> String {
    let mut lines: Vec<String> = components
        .iter()
        .map(|(name, value)| format!("\"{name}\": {value}"))
        .collect();
    lines.push(format!("\"@signature-params\": {signature_params}"));
    lines.join("\n")
}

/// `sha-256=:<base64 SHA-256 of body>:`, the `Content-Digest` value.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", BASE64.encode(Sha256::digest(body)))
}

/// What an RFC 9421 signature of a request covers, before the key is applied.
struct Prepared {
    date: String,
    digest: Option<String>,
    params: String,
    base: String,
}

fn prepare(key_id: &str, request: &Request<'_>, unix_time: Option<i64>) -> Result<Prepared> {
    let (target, created) =
        checked_target(request.method, request.url, request.content_type, unix_time)?;
    let date = http_date(created);
    let method = request.method.to_ascii_uppercase();
    let uri = target.uri();
    let digest = (!request.body.is_empty()).then(|| content_digest(request.body));

    let mut components = vec![
        ("@method", method.as_str()),
        ("@authority", target.authority.as_str()),
        ("@target-uri", uri.as_str()),
        ("date", date.as_str()),
    ];
    if let Some(digest) = &digest {
        components.push(("content-digest", digest));
    }
    let names: Vec<&str> = components.iter().map(|(name, _)| *name).collect();
    let params = format!(
        "{};keyid=\"{key_id}\";alg=\"hmac-sha256\";created={created};expires={}",
        inner_list(&names),
        created + VALIDITY_SECONDS
    );
    let base = signature_base(&components, &params);
    Ok(Prepared {
        date,
        digest,
        params,
        base,
    })
}

/// The signature base [`sign`] would sign for `request` with the key `key_id` (no secret
/// needed: for logs and debugging).
pub fn remoteit_signature_base(
    key_id: &str,
    request: &Request<'_>,
    unix_time: Option<i64>,
) -> Result<String> {
    Ok(prepare(key_id, request, unix_time)?.base)
}

/// Signs `request`: returns `Date`, `Content-Digest` (only with a body), `Signature-Input`
/// and `Signature`, in that order.
pub fn sign(
    credentials: &Credentials,
    request: &Request<'_>,
    unix_time: Option<i64>,
) -> Result<Vec<(String, String)>> {
    let prepared = prepare(credentials.access_key_id(), request, unix_time)?;
    let signature = credentials.key().sign_base64(prepared.base.as_bytes());
    let mut headers = vec![("Date".to_owned(), prepared.date)];
    if let Some(digest) = prepared.digest {
        headers.push(("Content-Digest".to_owned(), digest));
    }
    headers.push((
        "Signature-Input".to_owned(),
        format!("{LABEL}={}", prepared.params),
    ));
    headers.push(("Signature".to_owned(), format!("{LABEL}=:{signature}:")));
    Ok(headers)
}
