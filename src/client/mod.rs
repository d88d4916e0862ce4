//! The HTTP transport: one ureq agent per client (keep-alive, rustls, timeouts, no redirects)
//! and request signing with the exact bytes sent. Trusted roots are in `tls`, the mapping of
//! failures to an [`ErrorKind`] in `failure`, GraphQL response decoding in `response`, and
//! the redaction of server text in `redact`.

mod failure;
mod redact;
mod response;
mod tls;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use ureq::Agent;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::signing::{self, Request, Scheme};
use crate::target::{Target, UrlScheme};
use failure::{classify, status_error};
use response::graphql_data;
pub(crate) use response::rest_refusal;
use tls::{bundled_and_system_roots, certificates_in};

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

    /// The credentials this client signs with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
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
        self.send("POST", &self.url, body, &[])
    }

    /// Sends a signed `method` request to `url` (an address on this client's API host) with
    /// `body` as `application/json` (the exact `Content-Length`, also 0, is always sent and
    /// signed) and `extra_headers` besides the signature's. Returns the 2xx response body.
    pub(crate) fn send(
        &self,
        method: &str,
        url: &str,
        body: &[u8],
        extra_headers: &[(&str, &str)],
    ) -> Result<Vec<u8>> {
        const CONTENT_TYPE: &str = "application/json";
        let request = Request {
            method,
            url,
            content_type: Some(CONTENT_TYPE),
            body,
        };
        let signature = signing::sign(&self.credentials, self.scheme, &request, None)?;
        let target = Target::parse(url)?;
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(url)
            .header("Host", &target.authority)
            .header("Content-Type", CONTENT_TYPE)
            .header("Accept", "application/json");
        for (name, value) in signature.iter().map(|(n, v)| (n.as_str(), v.as_str())) {
            builder = builder.header(name, value);
        }
        for (name, value) in extra_headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(body)
            .map_err(|e| Error::invalid_argument(format!("{method} {url}: {e}")))?;
        let what = format!("{method} {url}");
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| self.transport_error(&what, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|e| self.transport_error(&what, e))?;
        if (200..300).contains(&status) {
            return Ok(content);
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Err(status_error(
            status,
            &what,
            &content,
            header("date"),
            header("retry-after"),
            header("location"),
        ))
    }

    fn transport_error(&self, what: &str, error: ureq::Error) -> Error {
        let (kind, detail) = classify(&error, self.target.scheme == UrlScheme::Https);
        let detail = match kind {
            ErrorKind::Timeout => format!(
                "{detail} (a call may take {} ms in all, at most {} ms of it to connect)",
                self.timeout.as_millis(),
                self.timeout.min(CONNECT_TIMEOUT).as_millis()
            ),
            _ => detail,
        };
        Error::new(kind, format!("{what}: {detail}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_for_non_loopback_hosts() {
        let creds = Arc::new(Credentials::new("ID", "c2VjcmV0", None).unwrap());
        let err = Client::new(creds.clone(), Some("http://api.remote.it/graphql/v1")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(Client::new(creds.clone(), Some("http://127.0.0.1:9/graphql/v1")).is_ok());
        assert!(Client::new(creds, Some("http://localhost:9/")).is_ok());
    }
}
