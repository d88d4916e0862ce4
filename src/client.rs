//! The HTTP transport: one ureq agent per client (keep-alive, rustls, timeouts, no redirects),
//! request signing with the exact bytes sent, and the mapping of every failure to an
//! [`ErrorKind`].

use std::io::ErrorKind as IoKind;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;
use ureq::Agent;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result, printable};
use crate::signing::{self, Request, Scheme, Target, UrlScheme};

/// The API a client talks to unless told otherwise.
pub const DEFAULT_API_URL: &str = "https://api.remote.it/graphql/v1";
/// How long a whole call may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long opening a connection may take at most.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Kept-alive connections idle longer than this are not reused: shorter than servers' usual
/// idle limits, so that a reused connection is rarely one the server is closing.
const MAX_IDLE_AGE: Duration = Duration::from_secs(15);
/// Responses larger than this are refused rather than read into memory.
const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// A 401 whose `Date` is further than this from the local clock is reported as clock skew.
const SKEW_WORTH_MENTIONING: Duration = Duration::from_secs(60);

/// A signed-request client for one API URL. Configure it (`set_*`) before sharing it; after
/// that it is immutable and may be used from many threads at once, all sharing one pool of
/// kept-alive connections.
#[derive(Debug)]
pub struct Client {
    credentials: Arc<Credentials>,
    target: Target,
    url: String,
    timeout: Duration,
    extra_roots: Vec<Certificate<'static>>,
    scheme: Scheme,
    agent: Agent,
}

impl Client {
    /// A client for `api_url` (`None`: [`DEFAULT_API_URL`]). `https://` URLs are accepted, and
    /// `http://` only for loopback hosts.
    pub fn new(credentials: Arc<Credentials>, api_url: Option<&str>) -> Result<Self> {
        let target = Target::parse(api_url.unwrap_or(DEFAULT_API_URL))?;
        if target.scheme == UrlScheme::Http && !target.is_loopback() {
            return Err(Error::invalid_argument(format!(
                "plain http is allowed only to a loopback host, not to {}: use https",
                target.host
            )));
        }
        let url = target.uri();
        let agent = build_agent(&target, DEFAULT_TIMEOUT, &[]);
        Ok(Client {
            credentials,
            target,
            url,
            timeout: DEFAULT_TIMEOUT,
            extra_roots: Vec::new(),
            scheme: Scheme::default(),
            agent,
        })
    }

    /// The API URL, normalized (lower-case host, default port dropped).
    pub fn api_url(&self) -> &str {
        &self.url
    }

    /// Sets how long a whole call may take (connecting takes at most 10 s of it).
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<()> {
        if timeout.is_zero() {
            return Err(Error::invalid_argument("the timeout must be at least 1 ms"));
        }
        self.timeout = timeout;
        self.agent = build_agent(&self.target, self.timeout, &self.extra_roots);
        Ok(())
    }

    /// Trusts the CA certificates of a PEM file as well as the bundled and system roots.
    pub fn set_ca_file(&mut self, pem_path: &Path) -> Result<()> {
        let shown = pem_path.display();
        let pem = std::fs::read(pem_path)
            .map_err(|e| Error::invalid_argument(format!("CA file {shown}: {e}")))?;
        let certs = certificates_in(&pem);
        if certs.is_empty() {
            return Err(Error::invalid_argument(format!(
                "CA file {shown} holds no PEM certificate"
            )));
        }
        self.extra_roots.extend(certs);
        self.agent = build_agent(&self.target, self.timeout, &self.extra_roots);
        Ok(())
    }

    /// Chooses the signature scheme of this client's requests (draft-cavage by default).
    pub fn set_signing_scheme(&mut self, scheme: Scheme) {
        self.scheme = scheme;
    }

    /// Sends a GraphQL operation; returns the response's `data`. `variables` must be a JSON
    /// object; `None` or JSON `null` sends none.
    pub fn graphql(&self, query: &str, variables: Option<&Value>) -> Result<Value> {
        let data = self.graphql_raw(query, variables)?;
        serde_json::from_str(&data)
            .map_err(|e| Error::new(ErrorKind::Protocol, format!("the response's data: {e}")))
    }

    /// [`Client::graphql`], returning the response's `data` as the JSON text the server sent
    /// (numbers keep every digit).
    pub fn graphql_raw(&self, query: &str, variables: Option<&Value>) -> Result<String> {
        if query.trim().is_empty() {
            return Err(Error::invalid_argument("the GraphQL query is empty"));
        }
        let mut request = serde_json::Map::new();
        request.insert("query".into(), Value::String(query.to_owned()));
        match variables {
            None | Some(Value::Null) => {}
            Some(v @ Value::Object(_)) => {
                request.insert("variables".into(), v.clone());
            }
            Some(_) => {
                return Err(Error::invalid_argument(
                    "the GraphQL variables must be a JSON object",
                ));
            }
        }
        let body = serde_json::to_vec(&Value::Object(request)).expect("a JSON value serializes");
        let response = self.post_json(&body)?;
        graphql_data(&response)
    }

    /// POSTs `body` as `application/json`, signed; returns the 2xx response body.
    fn post_json(&self, body: &[u8]) -> Result<Vec<u8>> {
        const CONTENT_TYPE: &str = "application/json";
        let request = Request {
            method: "POST",
            url: &self.url,
            content_type: Some(CONTENT_TYPE),
            body,
        };
        let signature = signing::sign(&self.credentials, self.scheme, &request, None)?;
        let mut builder = self
            .agent
            .post(&self.url)
            .header("Host", &self.target.authority)
            .header("Content-Type", CONTENT_TYPE)
            .header("Accept", "application/json");
        for (name, value) in &signature {
            builder = builder.header(name, value);
        }
        let mut response = builder.send(body).map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|e| self.transport_error(e))?;
        if (200..300).contains(&status) {
            return Ok(content);
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Err(status_error(
            status,
            &self.url,
            &content,
            header("date"),
            header("retry-after"),
            header("location"),
        ))
    }

    fn transport_error(&self, error: ureq::Error) -> Error {
        let (kind, detail) = classify(&error, self.target.scheme == UrlScheme::Https);
        let detail = match kind {
            ErrorKind::Timeout => format!(
                "{detail} (a call may take {} ms in all, at most {} ms of it to connect)",
                self.timeout.as_millis(),
                self.timeout.min(CONNECT_TIMEOUT).as_millis()
            ),
            _ => detail,
        };
        Error::new(kind, format!("POST {}: {detail}", self.url))
    }
}

/// The agent of one client configuration. A proxy named in the environment (`HTTPS_PROXY`,
/// `ALL_PROXY`, ... with `NO_PROXY`) is used, except for a loopback API, which is always reached
/// directly.
fn build_agent(target: &Target, timeout: Duration, extra_roots: &[Certificate<'static>]) -> Agent {
    let mut roots: Vec<Certificate<'static>> = bundled_and_system_roots().to_vec();
    roots.extend_from_slice(extra_roots);
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .build();
    let mut config = Agent::config_builder();
    if target.is_loopback() {
        config = config.proxy(None);
    }
    config
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("libremoteit/", env!("CARGO_PKG_VERSION")))
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(CONNECT_TIMEOUT)))
        .no_delay(true)
        .max_idle_age(MAX_IDLE_AGE)
        .max_idle_connections(16)
        .max_idle_connections_per_host(16)
        .tls_config(tls)
        .build()
        .into()
}

/// Mozilla's roots (bundled) plus, where a PEM bundle exists, the system's: read once.
fn bundled_and_system_roots() -> &'static [Certificate<'static>] {
    static ROOTS: OnceLock<Vec<Certificate<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()))
            .collect();
        let env_file = std::env::var_os("SSL_CERT_FILE").map(std::path::PathBuf::from);
        let system_file = env_file.into_iter().chain(
            [
                "/etc/ssl/certs/ca-certificates.crt",
                "/etc/pki/tls/certs/ca-bundle.crt",
                "/etc/ssl/ca-bundle.pem",
                "/etc/ssl/cert.pem",
            ]
            .map(Into::into),
        );
        // The first bundle that holds certificates: a garbage SSL_CERT_FILE does not hide the
        // system's own bundle.
        let system = system_file
            .filter_map(|p| std::fs::read(p).ok())
            .map(|pem| certificates_in(&pem))
            .find(|certs| !certs.is_empty());
        roots.extend(system.unwrap_or_default());
        roots
    })
}

fn certificates_in(pem: &[u8]) -> Vec<Certificate<'static>> {
    ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect()
}

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

/// The error for a non-2xx response: its status, the server's message, and for a 401 whose
/// `Date` is far from the local clock, the difference.
fn status_error(
    status: u16,
    url: &str,
    body: &[u8],
    date: Option<&str>,
    retry_after: Option<&str>,
    location: Option<&str>,
) -> Error {
    let mut message = format!("POST {url}: HTTP {status}");
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

/// The server's own words: a JSON `message` (or `error`/`reason`), else the start of the text.
fn server_message(body: &[u8]) -> Option<String> {
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
fn graphql_data(body: &[u8]) -> Result<String> {
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

/// `text` (from the server) with anything shaped like a base64 HMAC-SHA256 signature (43
/// base64 characters or more) replaced, so that a server echoing the request cannot put a
/// signature into an error message.
fn redact_signatures(text: &str) -> String {
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
    fn errors_that_are_not_a_list_are_a_protocol_error() {
        assert_eq!(
            graphql_data(br#"{"data":{},"errors":"x"}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::Protocol
        );
    }

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

    #[test]
    fn plain_http_is_refused_for_non_loopback_hosts() {
        let creds = Arc::new(Credentials::new("ID", "c2VjcmV0", None).unwrap());
        let err = Client::new(creds.clone(), Some("http://api.remote.it/graphql/v1")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(Client::new(creds.clone(), Some("http://127.0.0.1:9/graphql/v1")).is_ok());
        assert!(Client::new(creds, Some("http://localhost:9/")).is_ok());
    }
}
