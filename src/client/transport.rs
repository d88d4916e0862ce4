//! What the client adds to ureq's transport: a record of whether an attempt opened a new
//! connection and whether any response byte arrived (to resend a request that a server's
//! closed keep-alive connection swallowed), and a resolver that answers IP literals itself and
//! reuses a host name's answer for as long as a pooled connection may be reused.

use std::cell::Cell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

use super::MAX_IDLE_AGE;

/// What happened on the wire during one attempt, on the thread that made it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AttemptTrace {
    /// The attempt opened a connection (rather than reusing a kept-alive one).
    pub(crate) new_connection: bool,
    /// The request went out, whole or in part, on some connection.
    pub(crate) request_sent: bool,
    /// At least one byte of a response arrived.
    pub(crate) response_started: bool,
}

thread_local! {
    static TRACE: Cell<AttemptTrace> = const {
        Cell::new(AttemptTrace { new_connection: false, request_sent: false, response_started: false })
    };
}

/// Starts recording a new attempt on this thread. ureq runs a request on the caller's thread,
/// so the connector and the transport below report to the attempt that uses them.
pub(crate) fn begin_attempt() {
    TRACE.with(|t| t.set(AttemptTrace::default()));
}

/// What this thread's current attempt did so far.
pub(crate) fn attempt_trace() -> AttemptTrace {
    TRACE.with(Cell::get)
}

fn note(update: impl FnOnce(&mut AttemptTrace)) {
    TRACE.with(|t| {
        let mut trace = t.get();
        update(&mut trace);
        t.set(trace);
    });
}

/// The last connector of the chain: it sees only new connections, and wraps them.
#[derive(Debug)]
pub(crate) struct Tracking;

impl Connector<Box<dyn Transport>> for Tracking {
    type Out = TrackedTransport;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<TrackedTransport>, ureq::Error> {
        Ok(chained.map(|inner| {
            note(|t| t.new_connection = true);
            TrackedTransport { inner }
        }))
    }
}

/// A transport that reports the arrival of response bytes to the current attempt.
#[derive(Debug)]
pub(crate) struct TrackedTransport {
    inner: Box<dyn Transport>,
}

impl Transport for TrackedTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        note(|t| t.request_sent = true);
        self.inner.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let progress = self.inner.maybe_await_input(timeout)?;
        if progress {
            note(|t| t.response_started = true);
        }
        Ok(progress)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let progress = self.inner.await_input(timeout)?;
        if progress {
            note(|t| t.response_started = true);
        }
        Ok(progress)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

/// IP literals are answered directly; a host name's answer is reused for at most the idle
/// age of a pooled connection (so a DNS change reaches new connections as soon as it would
/// reach reused ones), and looked up with ureq's own resolver otherwise.
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    fallback: DefaultResolver,
    answers: Mutex<HashMap<String, (ResolvedSocketAddrs, Instant)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri
            .port_u16()
            .or_else(|| {
                uri.scheme()
                    .and_then(|s| s.as_str().eq("https").then_some(443))
            })
            .unwrap_or(80);
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        let now = Instant::now();
        if let Ok(answers) = self.answers.lock() {
            if let Some((addrs, at)) = answers.get(&key) {
                if now.duration_since(*at) < MAX_IDLE_AGE {
                    return Ok(addrs.clone());
                }
            }
        }
        let addrs = self.fallback.resolve(uri, config, timeout)?;
        if let Ok(mut answers) = self.answers.lock() {
            answers.retain(|_, (_, at)| now.duration_since(*at) < MAX_IDLE_AGE);
            answers.insert(key, (addrs.clone(), now));
        }
        Ok(addrs)
    }
}
