//! The HTTP transport: one ureq agent per client (keep-alive, rustls, timeouts, no redirects)
//! and request signing with the exact bytes sent. A call's attempts, retries and clock
//! correction are in `call`; what the client adds to ureq's transport (tracking of reused
//! connections, a resolver) in `transport`; trusted roots in `tls`; the mapping of failures
//! to an [`ErrorKind`](crate::error::ErrorKind) in `failure`; GraphQL response decoding in `response`; the redaction
//! of server text in `redact`; the log in `log`.

pub(crate) mod call;
pub(crate) mod clock;
mod document;
mod drd;
pub(crate) mod failure;
mod log;
pub(crate) mod redact;
pub(crate) mod response;
mod settings;
mod tls;
mod transport;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde_json::Value;
use ureq::Agent;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::transport::{Connector, DefaultConnector};

use crate::credentials::Credentials;
use crate::error::{Error, Result, printable_path};
use crate::fs::{MAX_CA_FILE_BYTES, read_bounded};
use crate::signing::Scheme;
use crate::target::{Target, UrlScheme};
pub(crate) use call::{Call, Reply};
pub use log::{LogLevel, LogSink};
use response::{graphql_data, graphql_data_as};
use settings::Settings;
use tls::{bundled_and_system_roots, certificates_in};

/// The API a client talks to unless told otherwise.
pub const DEFAULT_API_URL: &str = "https://api.remote.it/graphql/v1";
/// How long a whole call may take by default, retries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long opening a connection may take at most.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a call is retried by default after a transient failure.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Kept-alive connections idle longer than this are not reused: shorter than servers' usual
/// idle limits, so that a reused connection is rarely one the server is closing.
pub(crate) const MAX_IDLE_AGE: Duration = Duration::from_secs(15);
/// Responses larger than this are refused rather than read into memory.
const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// Of an error response, at most this much is read (the rest is dropped with the connection).
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// A signed-request client for one API URL, shared by any number of threads. Its settings may
/// be changed at any time: each call runs with the settings it started with.
#[derive(Debug)]
pub struct Client {
    credentials: Arc<Credentials>,
    target: Target,
    url: String,
    settings: RwLock<Arc<Settings>>,
    /// Server clock minus local clock, in seconds, added to every signature's time (0 until an
    /// offset beyond the threshold was measured with correction on).
    clock_offset: AtomicI64,
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
        let settings = Settings::new(build_agent(&target, &[]));
        Ok(Client {
            credentials,
            target,
            url,
            settings: RwLock::new(Arc::new(settings)),
            clock_offset: AtomicI64::new(0),
        })
    }

    /// The API URL, normalized (lower-case host, default port dropped).
    pub fn api_url(&self) -> &str {
        &self.url
    }

    /// The API URL, parsed.
    pub(crate) fn target(&self) -> &Target {
        &self.target
    }

    /// The credentials this client signs with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The settings lock, as `drd` names it.
    fn settings_lock(&self) -> drd::Lock {
        std::ptr::from_ref(&self.settings).cast()
    }

    /// The settings calls start with now.
    fn settings(&self) -> Arc<Settings> {
        let slot = match self.settings.read() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        drd::acquired(self.settings_lock(), false);
        let settings = slot.clone();
        drd::released(self.settings_lock(), false);
        settings
    }

    /// Replaces the settings with `change` applied to a copy; calls in flight keep theirs.
    fn update(&self, change: impl FnOnce(&mut Settings) -> Result<()>) -> Result<()> {
        let mut slot = match self.settings.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        drd::acquired(self.settings_lock(), true);
        let mut next = Settings::clone(&slot);
        let changed = change(&mut next);
        if changed.is_ok() {
            *slot = Arc::new(next);
        }
        drd::released(self.settings_lock(), true);
        changed
    }

    /// Sets how long a whole call may take, retries included (connecting takes at most 10 s
    /// of it).
    pub fn set_timeout(&self, timeout: Duration) -> Result<()> {
        if timeout.is_zero() {
            return Err(Error::invalid_argument("the timeout must be at least 1 ms"));
        }
        self.update(|s| {
            s.timeout = timeout;
            Ok(())
        })
    }

    /// Trusts the CA certificates of a PEM file as well as the bundled and system roots (a
    /// certificate given before is not added twice). The pool of kept-alive connections
    /// starts anew.
    pub fn set_ca_file(&self, pem_path: &Path) -> Result<()> {
        let shown = printable_path(pem_path);
        let pem = read_bounded(pem_path, MAX_CA_FILE_BYTES)
            .map_err(|e| Error::invalid_argument(format!("CA file {shown}: {e}")))?;
        let certs = certificates_in(&pem);
        if certs.is_empty() {
            return Err(Error::invalid_argument(format!(
                "CA file {shown} holds no PEM certificate"
            )));
        }
        self.update(|s| {
            let mut roots = s.extra_roots.as_ref().clone();
            // A certificate already trusted is not added again: a program that applies its
            // settings again and again keeps a bounded list.
            for cert in certs {
                if !roots.iter().any(|known| known.der() == cert.der()) {
                    roots.push(cert);
                }
            }
            s.agent = build_agent(&self.target, &roots);
            s.extra_roots = Arc::new(roots);
            Ok(())
        })
    }

    /// Chooses the signature scheme of this client's requests (draft-cavage by default).
    pub fn set_signing_scheme(&self, scheme: Scheme) {
        let _ = self.update(|s| {
            s.scheme = scheme;
            Ok(())
        });
    }

    /// Sets how many times a call is retried after a transient failure (default 2; 0: none).
    pub fn set_max_retries(&self, max_retries: u32) {
        let _ = self.update(|s| {
            s.max_retries = max_retries;
            Ok(())
        });
    }

    /// Turns the correction of this machine's clock by the server's `Date` on or off (on by
    /// default). Turning it off also drops the offset in use.
    pub fn set_clock_correction(&self, enabled: bool) {
        let _ = self.update(|s| {
            s.clock_correction = enabled;
            Ok(())
        });
        if !enabled {
            self.clock_offset.store(0, Ordering::Relaxed);
        }
    }

    /// The clock offset in use: server time minus local time, in seconds (0 until one beyond
    /// 5 s was measured with correction on).
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::Relaxed)
    }

    /// Sends `User-Agent: <product> libremoteit/<version>`; `product` is an RFC 9110 token with
    /// an optional `/version`. `None` restores `libremoteit/<version>`.
    pub fn set_user_agent(&self, product: Option<&str>) -> Result<()> {
        let user_agent = settings::user_agent(product)?;
        self.update(|s| {
            s.user_agent = user_agent;
            Ok(())
        })
    }

    /// Sends every log line up to `max_level` to `sink` (on the thread making the call);
    /// `None` turns the log off.
    pub fn set_logger(&self, max_level: LogLevel, sink: Option<LogSink>) {
        let _ = self.update(|s| {
            s.logger = sink.map(|sink| log::Logger::new(max_level, sink));
            Ok(())
        });
    }

    /// Sends a GraphQL operation; returns the response's `data`. `variables` must be a JSON
    /// object; `None` or JSON `null` sends none.
    pub fn graphql(&self, query: &str, variables: Option<&Value>) -> Result<Value> {
        let reply = self.send_graphql(query, variables)?;
        graphql_data_as(&reply.body, &reply.signatures)
    }

    /// [`Client::graphql`], returning the response's `data` as the JSON text the server sent
    /// (numbers keep every digit). A document with a `mutation` is never repeated after the
    /// server may have done its work.
    pub fn graphql_raw(&self, query: &str, variables: Option<&Value>) -> Result<String> {
        let reply = self.send_graphql(query, variables)?;
        graphql_data(&reply.body, &reply.signatures)
    }

    /// Sends `{"query": ..., "variables": ...}` and checks the status; the body is the
    /// caller's to decode.
    fn send_graphql(&self, query: &str, variables: Option<&Value>) -> Result<call::Reply> {
        if query.trim().is_empty() {
            return Err(Error::invalid_argument("the GraphQL query is empty"));
        }
        let variables = match variables {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v),
            Some(_) => {
                return Err(Error::invalid_argument(
                    "the GraphQL variables must be a JSON object",
                ));
            }
        };
        let body = request_body(query, variables)?;
        let call = Call {
            method: "POST",
            url: &self.url,
            content_type: Some("application/json"),
            body: &body,
            extra_headers: &[],
            side_effects: document::has_side_effects(query),
        };
        let reply = self.execute(&call)?;
        reply.success_body(&call)?;
        Ok(reply)
    }
}

/// The JSON body of a GraphQL request, written directly (the same bytes as serializing a map
/// of `query` then `variables`, without building one or copying the variables).
fn request_body(query: &str, variables: Option<&Value>) -> Result<Vec<u8>> {
    let mut body = Vec::with_capacity(query.len() + 64);
    body.extend_from_slice(b"{\"query\":");
    let written = serde_json::to_writer(&mut body, query).and_then(|()| {
        if let Some(variables) = variables {
            body.extend_from_slice(b",\"variables\":");
            serde_json::to_writer(&mut body, variables)?;
        }
        Ok(())
    });
    // Writing JSON into a Vec cannot fail; if it ever did, say so rather than send half.
    written.map_err(|e| {
        Error::invalid_argument(format!("the GraphQL request cannot be encoded: {e}"))
    })?;
    body.push(b'}');
    Ok(body)
}

impl Drop for Client {
    fn drop(&mut self) {
        drd::destroyed(self.settings_lock());
    }
}

/// The agent of one trust configuration; timeouts and the `User-Agent` are set per request.
/// A proxy named in the environment (`HTTPS_PROXY`, `ALL_PROXY`, ... with `NO_PROXY`) is
/// used, except for a loopback API, which is always reached directly.
fn build_agent(target: &Target, extra_roots: &[Certificate<'static>]) -> Agent {
    let mut roots: Vec<Certificate<'static>> = bundled_and_system_roots().to_vec();
    roots.extend_from_slice(extra_roots);
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .build();
    let mut config = Agent::config_builder();
    if target.is_loopback() {
        config = config.proxy(None);
    }
    let config = config
        .http_status_as_error(false)
        .max_redirects(0)
        .no_delay(true)
        .max_idle_age(MAX_IDLE_AGE)
        .max_idle_connections(16)
        .max_idle_connections_per_host(16)
        .tls_config(tls)
        .build();
    let connector = DefaultConnector::new().chain(transport::Tracking);
    Agent::with_parts(config, connector, transport::CachingResolver::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn request_body_is_what_serializing_the_map_gives() {
        for (query, variables) in [
            ("{ a }", None),
            (
                "query Q($id: String!) { x(id: $id) } # \"quoted\" \\ \u{1} é",
                None,
            ),
            (
                "mutation M { m }",
                Some(serde_json::json!({"b": [1, 2.5, null], "a": {"z": "\n\t\u{7f}"}})),
            ),
        ] {
            let mut map = serde_json::Map::new();
            map.insert("query".into(), Value::String(query.to_owned()));
            if let Some(v) = &variables {
                map.insert("variables".into(), v.clone());
            }
            let expected = Value::Object(map).to_string();
            let body = request_body(query, variables.as_ref()).unwrap();
            assert_eq!(String::from_utf8(body).unwrap(), expected);
        }
    }

    #[test]
    fn plain_http_is_refused_for_non_loopback_hosts() {
        let creds = Arc::new(Credentials::new("ID", "c2VjcmV0", None).unwrap());
        let err = Client::new(creds.clone(), Some("http://api.remote.it/graphql/v1")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(Client::new(creds.clone(), Some("http://127.0.0.1:9/graphql/v1")).is_ok());
        assert!(Client::new(creds, Some("http://localhost:9/")).is_ok());
    }

    /// A self-signed root made for this test (EC P-256; its key was not kept).
    const TEST_ROOT_PEM: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBoDCCAUegAwIBAgIUEnyHTy7qrj7ucg8ga3ZmAYWn7ikwCgYIKoZIzj0EAwIw\n\
JTEjMCEGA1UEAwwabGlicmVtb3RlaXQgdW5pdCB0ZXN0IHJvb3QwIBcNMjYxMjAx\n\
MTAzMTM4WhgPMjEyNjExMDcxMDMxMzhaMCUxIzAhBgNVBAMMGmxpYnJlbW90ZWl0\n\
IHVuaXQgdGVzdCByb290MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAr+zB8nC\n\
1c22heIAYgQa3jgOIEOnaBpZYttRdfatek9TL9YCZivWBfWFhpdCiLGHybwyDgpw\n\
e1KTbBTjG0AgfqNTMFEwHQYDVR0OBBYEFB/rpTdIipRi24sYmXHI8/9RqsFwMB8G\n\
A1UdIwQYMBaAFB/rpTdIipRi24sYmXHI8/9RqsFwMA8GA1UdEwEB/wQFMAMBAf8w\n\
CgYIKoZIzj0EAwIDRwAwRAIgOYyklISIlSqXGvXLdfOW/Lude6aVxqC1eAPALAWQ\n\
U/QCIHWXFtNJ4UST8QSK1HeNyelpXbNYnycySLktP5vX4HWp\n\
-----END CERTIFICATE-----\n";

    #[test]
    fn a_ca_certificate_given_again_is_trusted_once() {
        let path = std::env::temp_dir().join(format!("remoteit-ca-{}.pem", std::process::id()));
        std::fs::write(&path, format!("{TEST_ROOT_PEM}{TEST_ROOT_PEM}")).unwrap();
        let creds = Arc::new(Credentials::new("ID", "c2VjcmV0", None).unwrap());
        let client = Client::new(creds, None).unwrap();
        let results: Vec<_> = (0..3).map(|_| client.set_ca_file(&path)).collect();
        let _ = std::fs::remove_file(&path);
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert_eq!(client.settings().extra_roots.len(), 1);
    }
}
