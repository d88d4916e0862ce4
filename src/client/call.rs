//! One call: its attempts, with the settings it started with; the retries between them; the
//! clock correction; the resend of a request a closed kept-alive connection swallowed; and the
//! log lines of each.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

use ureq::RequestExt as _;

use super::clock::{CORRECTION_THRESHOLD, server_ahead};
use super::failure::{StatusContext, clock_difference, failure_detail, status_error};
use super::log::{LogLevel, Logger, log};
use super::redact::server_text;
use super::settings::Settings;
use super::transport::{self, AttemptTrace};
use super::{CONNECT_TIMEOUT, Client, MAX_ERROR_BODY_BYTES, MAX_RESPONSE_BYTES};
use crate::error::{Error, ErrorKind, Result};
use crate::signing::{self, Request};
use crate::target::UrlScheme;

/// The first retry waits up to this long; each further one up to twice as long as the last.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
/// A stale kept-alive connection is resent on a fresh one at most this often per call.
const MAX_STALE_RESENDS: u32 = 1;

/// A request to make: what is signed and sent, and whether repeating it could do its work twice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub(crate) method: &'a str,
    /// The absolute URL, on the client's API origin.
    pub(crate) url: &'a str,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) body: &'a [u8],
    /// Headers sent besides the signed ones (not covered by the signature).
    pub(crate) extra_headers: &'a [(&'a str, &'a str)],
    /// True when the server doing the request twice would do harm (a GraphQL mutation, a REST
    /// method other than GET and HEAD): then only failures where the server did no work are
    /// retried.
    pub(crate) side_effects: bool,
}

/// The response a call ended with, of any status.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// Server clock minus local clock, from the response's `Date`.
    pub(crate) server_ahead: Option<i64>,
    pub(crate) retry_after: Option<String>,
    pub(crate) location: Option<String>,
    /// The signature values the last attempt sent, to redact from server text.
    pub(crate) signatures: Vec<String>,
    pub(crate) attempts: u32,
}

impl Reply {
    /// Nothing for a 2xx response; the status's error otherwise.
    pub(crate) fn success_body(&self, call: &Call<'_>) -> Result<()> {
        if (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(self.status_error(call))
        }
    }

    /// The error for this reply's status (the message says how many attempts were made).
    pub(crate) fn status_error(&self, call: &Call<'_>) -> Error {
        let context = StatusContext {
            method: call.method,
            url: call.url,
            server_ahead: self.server_ahead,
            retry_after: self.retry_after.as_deref(),
            location: self.location.as_deref(),
            sent: &self.signatures,
        };
        with_attempts(
            status_error(self.status, &self.body, &context),
            self.attempts,
        )
    }
}

/// `error` with `(after N attempts)` when there was more than one.
fn with_attempts(error: Error, attempts: u32) -> Error {
    if attempts > 1 {
        Error::new(
            error.kind(),
            format!("{} (after {attempts} attempts)", error.message()),
        )
    } else {
        error
    }
}

/// How one attempt ended, when it got no response.
struct Failure {
    error: ureq::Error,
    trace: AttemptTrace,
    signatures: Vec<String>,
}

impl Client {
    /// Makes `call`, retrying what the contract allows within the client's timeout, and
    /// returns the last response, whatever its status; transport failures are errors.
    pub(crate) fn execute(&self, call: &Call<'_>) -> Result<Reply> {
        let settings = self.settings();
        let logger = settings.logger.as_ref();
        let deadline = Instant::now() + settings.timeout;
        let mut attempts = 0u32;
        let mut retries = 0u32;
        let mut stale_resends = 0u32;
        let mut resent_for_clock = false;
        let mut fresh_connection = false;
        loop {
            attempts += 1;
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(with_attempts(
                    Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "{} {}: the call's {} ms ran out",
                            call.method,
                            call.url,
                            settings.timeout.as_millis()
                        ),
                    ),
                    attempts - 1,
                ));
            }
            let offset = if settings.clock_correction {
                self.clock_offset.load(Ordering::Relaxed)
            } else {
                0
            };
            let started = Instant::now();
            let outcome = self.attempt(&settings, call, offset, left, fresh_connection)?;
            fresh_connection = false;
            let elapsed = started.elapsed().as_millis();
            match outcome {
                Ok(mut reply) => {
                    reply.attempts = attempts;
                    log(logger, LogLevel::Info, || {
                        format!(
                            "{} {}: HTTP {} in {elapsed} ms (attempt {attempts})",
                            call.method, call.url, reply.status
                        )
                    });
                    let corrected = self.correct_clock(&settings, &reply, offset);
                    if corrected && matches!(reply.status, 401 | 403) && !resent_for_clock {
                        resent_for_clock = true;
                        log(logger, LogLevel::Warn, || {
                            format!(
                                "{} {}: HTTP {} with a skewed clock: signing again with the server's time",
                                call.method, call.url, reply.status
                            )
                        });
                        continue;
                    }
                    let retryable = match reply.status {
                        429 | 503 => true,
                        502 | 504 => !call.side_effects,
                        _ => false,
                    };
                    if !retryable || retries >= settings.max_retries {
                        return Ok(reply);
                    }
                    let asked = reply.retry_after.as_deref().and_then(retry_after_delay);
                    let wait = asked.unwrap_or_else(|| backoff(retries));
                    let left = deadline.saturating_duration_since(Instant::now());
                    if wait >= left {
                        if let Some(asked) = asked {
                            return Err(too_long_to_wait(reply.status_error(call), asked, left));
                        }
                        return Ok(reply);
                    }
                    retries += 1;
                    let reason = format!("HTTP {}", reply.status);
                    pause_before_retry(logger, call, &reason, wait, retries, settings.max_retries);
                }
                Err(failure) => {
                    let (kind, detail) = failure_detail(
                        &failure.error,
                        self.target.scheme == UrlScheme::Https,
                        &failure.signatures,
                    );
                    log(logger, LogLevel::Info, || {
                        format!(
                            "{} {}: failed in {elapsed} ms: {detail} (attempt {attempts})",
                            call.method, call.url
                        )
                    });
                    let stale = failure.trace.request_sent
                        && !failure.trace.new_connection
                        && !failure.trace.response_started
                        && kind != ErrorKind::Timeout;
                    if stale && stale_resends < MAX_STALE_RESENDS {
                        stale_resends += 1;
                        fresh_connection = true;
                        log(logger, LogLevel::Warn, || {
                            format!(
                                "{} {}: the kept-alive connection closed before any answer ({detail}): sending again on a new connection",
                                call.method, call.url
                            )
                        });
                        continue;
                    }
                    let nothing_sent = matches!(
                        failure.error,
                        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound
                    ) || matches!(&failure.error, ureq::Error::Io(io)
                        if io.kind() == std::io::ErrorKind::ConnectionRefused);
                    let wait = backoff(retries);
                    let room = wait < deadline.saturating_duration_since(Instant::now());
                    if nothing_sent && retries < settings.max_retries && room {
                        retries += 1;
                        pause_before_retry(
                            logger,
                            call,
                            &detail,
                            wait,
                            retries,
                            settings.max_retries,
                        );
                        continue;
                    }
                    let error = self.transport_error(&settings, call, kind, detail);
                    log(logger, LogLevel::Error, || error.message().to_owned());
                    return Err(with_attempts(error, attempts));
                }
            }
        }
    }

    /// Signs and sends one attempt. A signing failure is the outer error; the inner result is
    /// the response or the transport failure.
    fn attempt(
        &self,
        settings: &Settings,
        call: &Call<'_>,
        offset: i64,
        left: Duration,
        fresh_connection: bool,
    ) -> Result<std::result::Result<Reply, Failure>> {
        let request = Request {
            method: call.method,
            url: call.url,
            content_type: call.content_type,
            body: call.body,
        };
        let unix_time = signing::resolve_time(None)?.saturating_add(offset).max(0);
        let signature = signing::sign(
            &self.credentials,
            settings.scheme,
            &request,
            Some(unix_time),
        )?;
        log(
            settings.logger.as_ref(),
            LogLevel::Debug,
            || match signing::signed_text(
                self.credentials.access_key_id(),
                settings.scheme,
                &request,
                unix_time,
            ) {
                Ok(text) => format!("{} {}: signed:\n{text}", call.method, call.url),
                Err(e) => format!("{} {}: {e}", call.method, call.url),
            },
        );
        let signatures = signature_values(&signature);
        let mut builder = ureq::http::Request::builder()
            .method(call.method)
            .uri(call.url)
            .header("Host", &self.target.authority)
            .header("Accept", "application/json")
            .header("User-Agent", &settings.user_agent);
        if let Some(content_type) = call.content_type {
            builder = builder.header("Content-Type", content_type);
        }
        for (name, value) in signature
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(call.extra_headers.iter().copied())
        {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(call.body)
            .map_err(|e| Error::invalid_argument(format!("the request cannot be built: {e}")))?;
        let mut config = http_request
            .with_agent(&settings.agent)
            .configure()
            .timeout_global(Some(left))
            .timeout_connect(Some(left.min(CONNECT_TIMEOUT)))
            .allow_non_standard_methods(true);
        if fresh_connection {
            // A pooled connection is never younger than zero: this attempt opens a new one.
            config = config.max_idle_age(Duration::ZERO);
        }
        transport::begin_attempt();
        let sent_at = SystemTime::now();
        let failure = |error| Failure {
            error,
            trace: transport::attempt_trace(),
            signatures: signatures.clone(),
        };
        let mut response = match config.build().run() {
            Ok(response) => response,
            Err(error) => return Ok(Err(failure(error))),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let date = header("date");
        let retry_after = header("retry-after");
        let location = header("location");
        let warnings: Vec<String> = response
            .headers()
            .get_all("x-r3-warning")
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        let body = if (200..300).contains(&status) {
            response
                .body_mut()
                .with_config()
                .limit(MAX_RESPONSE_BYTES)
                .read_to_vec()
        } else {
            read_start(response.body_mut(), MAX_ERROR_BODY_BYTES)
        };
        let received_at = SystemTime::now();
        let body = match body {
            Ok(body) => body,
            Err(error) => return Ok(Err(failure(error))),
        };
        for warning in &warnings {
            log(settings.logger.as_ref(), LogLevel::Warn, || {
                warning_line(call, warning, &signatures)
            });
        }
        Ok(Ok(Reply {
            status,
            body,
            server_ahead: date
                .as_deref()
                .and_then(|d| server_ahead(d, sent_at, received_at)),
            retry_after,
            location,
            signatures,
            attempts: 1,
        }))
    }

    /// Takes the offset `reply` shows when correction is on and it differs from the one in use
    /// by more than the threshold; true when it did.
    fn correct_clock(&self, settings: &Settings, reply: &Reply, in_use: i64) -> bool {
        let Some(ahead) = reply.server_ahead else {
            return false;
        };
        if !settings.clock_correction || (ahead - in_use).abs() <= CORRECTION_THRESHOLD {
            return false;
        }
        self.clock_offset.store(ahead, Ordering::Relaxed);
        log(settings.logger.as_ref(), LogLevel::Warn, || {
            format!(
                "clock correction: {}; signing with the server's time ({ahead:+} s) from now on",
                clock_difference(ahead)
            )
        });
        true
    }

    fn transport_error(
        &self,
        settings: &Settings,
        call: &Call<'_>,
        kind: ErrorKind,
        detail: String,
    ) -> Error {
        let detail = match kind {
            ErrorKind::Timeout => format!(
                "{detail} (a call may take {} ms in all, at most {} ms of it to connect)",
                settings.timeout.as_millis(),
                settings.timeout.min(CONNECT_TIMEOUT).as_millis()
            ),
            _ => detail,
        };
        Error::new(kind, format!("{} {}: {detail}", call.method, call.url))
    }
}

/// The values of the signature headers (`Authorization`'s and `Signature`'s signature parts),
/// which server text must never show.
fn signature_values(headers: &[(String, String)]) -> Vec<String> {
    headers
        .iter()
        .filter_map(|(name, value)| match name.as_str() {
            "Authorization" => value
                .rsplit_once("signature=\"")
                .map(|(_, v)| v.trim_end_matches('"').to_owned()),
            "Signature" => value
                .split_once("=:")
                .map(|(_, v)| v.trim_end_matches(':').to_owned()),
            _ => None,
        })
        .collect()
}

/// The log line of a warning the API sent (`X-R3-Warning`): redacted, escaped, bounded.
pub(crate) fn warning_line(call: &Call<'_>, warning: &str, sent: &[String]) -> String {
    format!(
        "{} {}: the API warns: {}",
        call.method,
        call.url,
        server_text(warning, sent, 500)
    )
}

/// At most `limit` bytes of a body, without failing when there are more (an error response's
/// body only feeds its message).
fn read_start(body: &mut ureq::Body, limit: u64) -> std::result::Result<Vec<u8>, ureq::Error> {
    use std::io::Read as _;
    let mut start = Vec::new();
    body.as_reader()
        .take(limit)
        .read_to_end(&mut start)
        .map_err(ureq::Error::Io)?;
    Ok(start)
}

/// The wait a `Retry-After` asks for: delay-seconds, or an HTTP date (against this machine's
/// clock). Anything else is ignored.
pub(crate) fn retry_after_delay(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.len() <= 10 && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(Duration::from_secs);
    }
    if value.len() > 64 {
        return None;
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Logs retry number `retry` (of `max_retries`) with its `reason`, then waits `wait`.
fn pause_before_retry(
    logger: Option<&Logger>,
    call: &Call<'_>,
    reason: &str,
    wait: Duration,
    retry: u32,
    max_retries: u32,
) {
    log(logger, LogLevel::Warn, || {
        format!(
            "{} {}: {reason}: retrying in {} ms (retry {retry} of {max_retries})",
            call.method,
            call.url,
            wait.as_millis()
        )
    });
    std::thread::sleep(wait);
}

/// Full jitter: a random wait up to `BACKOFF_BASE × 2^retries`.
fn backoff(retries: u32) -> Duration {
    let ceiling = BACKOFF_BASE.saturating_mul(1 << retries.min(16));
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    let fraction = (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64;
    ceiling.mul_f64(fraction)
}

/// `error` for a response whose `Retry-After` asks for more than the call has left.
pub(crate) fn too_long_to_wait(error: Error, asked: Duration, left: Duration) -> Error {
    Error::new(
        error.kind(),
        format!(
            "{}; the server asked to wait {} s, more than the {} ms this call has left",
            error.message(),
            asked.as_secs(),
            left.as_millis()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(retry_after_delay("7"), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after_delay(&later).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        for ignored in ["", "soon", "-1", "99999999999999999999", &"9".repeat(100)] {
            assert_eq!(retry_after_delay(ignored), None, "{ignored:?}");
        }
    }

    #[test]
    fn backoff_stays_under_its_ceiling() {
        for retries in 0..5 {
            for _ in 0..50 {
                assert!(backoff(retries) <= BACKOFF_BASE * (1 << retries));
            }
        }
    }

    #[test]
    fn signature_values_are_found_in_both_schemes() {
        let headers = vec![
            ("Date".to_owned(), "x".to_owned()),
            (
                "Authorization".to_owned(),
                "Signature keyId=\"K\",algorithm=\"hmac-sha256\",headers=\"h\",signature=\"abc=\""
                    .to_owned(),
            ),
            ("Signature".to_owned(), "remoteit=:def=:".to_owned()),
        ];
        assert_eq!(signature_values(&headers), ["abc=", "def="]);
    }
}
