//! The client in the field, against the API double: clock skew, transient failures, kept-alive
//! connections the server closes, settings changed under load, and the log that shows it all.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{ApiDouble, Failure, record, record_error, refused_port, root};
use remoteit::client::{LogLevel, LogSink};
use remoteit::{Client, Credentials, ErrorKind};
use serde_json::json;

const SSH_SERVICE: &str = "80:00:00:00:01:00:00:11";
const LOGIN_QUERY: &str = "query Login { login { email } }";

/// Every log line a client wrote, with its level.
fn capture(client: &Client, max_level: LogLevel) -> Arc<Mutex<Vec<(LogLevel, String)>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink_lines = lines.clone();
    let sink: LogSink = Arc::new(move |level, line: &str| {
        record("log", line);
        sink_lines.lock().unwrap().push((level, line.to_owned()));
    });
    client.set_logger(max_level, Some(sink));
    lines
}

fn connect_and_disconnect(client: &Client) -> remoteit::Result<()> {
    let connection = client.connect(SSH_SERVICE)?;
    client.disconnect(&connection.id)
}

#[test]
fn a_server_clock_ten_minutes_ahead_or_behind_is_corrected() {
    for offset in [600i64, -600] {
        let double = ApiDouble::start();
        double.control("clock", json!({ "offset": offset }));
        let client = double.client("credentials");
        let lines = capture(&client, LogLevel::Warn);
        connect_and_disconnect(&client).unwrap();
        let applied = client.clock_offset();
        assert!(
            (applied - offset).abs() <= 2,
            "offset {applied} for {offset}"
        );
        let log = lines.lock().unwrap();
        assert!(
            log.iter()
                .any(|(level, line)| *level == LogLevel::Warn && line.contains("clock correction")),
            "{log:?}"
        );
        // Later calls are signed with the corrected time from the start: one attempt each.
        let before = double.attempts("field:login");
        client.graphql_raw(LOGIN_QUERY, None).unwrap();
        assert_eq!(double.attempts("field:login") - before, 1);
    }
}

#[test]
fn without_clock_correction_a_skewed_server_is_unauthorized_naming_the_difference() {
    for (offset, words) in [
        (600i64, "behind the server's"),
        (-600, "ahead of the server's"),
    ] {
        let double = ApiDouble::start();
        double.control("clock", json!({ "offset": offset }));
        let client = double.client("credentials");
        client.set_clock_correction(false);
        let err = client.connect(SSH_SERVICE).failure();
        assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
        assert!(err.message().contains(words), "{err}");
        assert!(err.message().contains("seconds"), "{err}");
        assert_eq!(client.clock_offset(), 0);
    }
}

#[test]
fn a_transient_503_or_429_is_invisible_to_the_caller() {
    for fault in [
        json!({"kind": "503", "key": "field:login"}),
        json!({"kind": "429", "key": "field:login", "retry_after": 0}),
    ] {
        let double = ApiDouble::start();
        let client = double.client("credentials");
        double.fault(fault.clone());
        client.graphql_raw(LOGIN_QUERY, None).unwrap();
        assert_eq!(double.attempts("field:login"), 2, "{fault}");
    }
}

#[test]
fn a_persistent_503_fails_after_three_attempts_within_the_timeout() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    client.set_timeout(Duration::from_secs(10)).unwrap();
    double.fault(json!({"kind": "503", "always": true}));
    let started = Instant::now();
    let err = client.graphql_raw(LOGIN_QUERY, None).failure();
    assert_eq!(err.kind(), ErrorKind::HttpStatus, "{err}");
    assert!(err.message().contains("after 3 attempts"), "{err}");
    assert_eq!(double.attempts("field:login"), 3);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_502_is_retried_for_a_query_but_not_for_a_mutation() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    double.fault(json!({"kind": "502", "on": "mutation"}));
    let err = client.connect(SSH_SERVICE).failure();
    assert_eq!(err.kind(), ErrorKind::HttpStatus, "{err}");
    assert_eq!(double.attempts("field:connect"), 1);

    double.fault(json!({"kind": "502", "on": "query"}));
    client.graphql_raw(LOGIN_QUERY, None).unwrap();
    assert_eq!(double.attempts("field:login"), 2);
}

#[test]
fn max_retries_zero_turns_retries_off() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    client.set_max_retries(0);
    double.fault(json!({"kind": "503", "key": "field:login"}));
    let err = client.graphql_raw(LOGIN_QUERY, None).failure();
    assert_eq!(err.kind(), ErrorKind::HttpStatus, "{err}");
    assert!(!err.message().contains("attempts"), "{err}");
    assert_eq!(double.attempts("field:login"), 1);
}

#[test]
fn a_retry_after_longer_than_the_time_left_fails_at_once() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    client.set_timeout(Duration::from_secs(3)).unwrap();
    double.fault(json!({"kind": "429", "retry_after": 60}));
    let started = Instant::now();
    let err = client.graphql_raw(LOGIN_QUERY, None).failure();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert!(err.message().contains("asked to wait 60 s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_refused_connection_is_retried_and_says_how_many_attempts() {
    let creds = Credentials::from_file(&root().join("tests/data/credentials"), None).unwrap();
    let url = format!("http://127.0.0.1:{}/graphql/v1", refused_port());
    let client = Client::new(Arc::new(creds), Some(&url)).unwrap();
    let err = client.graphql_raw(LOGIN_QUERY, None).failure();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.message().contains("after 3 attempts"), "{err}");
}

#[test]
fn the_log_shows_attempts_retries_warnings_and_the_signing_string() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    let lines = capture(&client, LogLevel::Debug);
    double.fault(json!({"kind": "503", "key": "field:login"}));
    double.control("warning", json!({"text": "key rotation due"}));
    client.graphql_raw(LOGIN_QUERY, None).unwrap();
    let log = lines.lock().unwrap();
    let has = |level: LogLevel, words: &str| {
        log.iter()
            .any(|(l, line)| *l == level && line.contains(words))
    };
    assert!(has(LogLevel::Info, "HTTP 503 in "), "{log:?}");
    assert!(has(LogLevel::Info, "HTTP 200 in "), "{log:?}");
    assert!(has(LogLevel::Info, " ms (attempt 2)"), "{log:?}");
    assert!(has(LogLevel::Warn, "retrying in"), "{log:?}");
    assert!(has(LogLevel::Warn, "key rotation due"), "{log:?}");
    assert!(
        has(LogLevel::Debug, "(request-target): post /graphql/v1"),
        "{log:?}"
    );
    for (_, line) in log.iter() {
        assert!(!line.contains("signature=\""), "{line}");
    }
}

#[test]
fn the_log_stops_at_its_level_and_can_be_turned_off() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    let lines = capture(&client, LogLevel::Warn);
    client.graphql_raw(LOGIN_QUERY, None).unwrap();
    assert!(lines.lock().unwrap().is_empty());
    client.set_logger(LogLevel::Debug, None);
    client.graphql_raw(LOGIN_QUERY, None).unwrap();
    assert!(lines.lock().unwrap().is_empty());
}

#[test]
fn a_user_agent_product_goes_before_the_library() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    client.set_user_agent(Some("garage-door/2.1")).unwrap();
    client.graphql_raw(LOGIN_QUERY, None).unwrap();
    let agent = double.stats()["last_user_agent"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(agent.starts_with("garage-door/2.1 libremoteit/"), "{agent}");
    assert_eq!(
        client.set_user_agent(Some("bad agent")).failure().kind(),
        ErrorKind::InvalidArgument
    );
}

/// `threads` threads making `calls` calls each on one client, while the double closes every
/// kept-alive connection after 10 answers (`delay_ms` later); returns the failures.
fn calls_under_closing_server(delay_ms: u64, threads: usize, calls: usize) -> Vec<String> {
    let double = ApiDouble::start();
    double.control(
        "keepalive",
        json!({"close_after": 10, "delay_ms": delay_ms}),
    );
    let client = Arc::new(double.client("credentials"));
    client.set_timeout(Duration::from_secs(20)).unwrap();
    let failures = Arc::new(Mutex::new(Vec::new()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let client = client.clone();
            let failures = failures.clone();
            scope.spawn(move || {
                for _ in 0..calls {
                    if let Err(e) = client.graphql_raw(LOGIN_QUERY, None) {
                        record_error(&e);
                        failures.lock().unwrap().push(e.to_string());
                    }
                }
            });
        }
    });
    failures.lock().unwrap().clone()
}

#[test]
fn a_server_closing_kept_alive_connections_fails_no_call() {
    for delay_ms in [0, 10] {
        let failures = calls_under_closing_server(delay_ms, 4, 100);
        assert!(failures.is_empty(), "delay {delay_ms} ms: {failures:?}");
    }
}

#[test]
fn settings_changed_under_load_fail_no_call() {
    let double = ApiDouble::start();
    let client = Arc::new(double.client("credentials"));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let (client, failures) = (client.clone(), failures.clone());
            scope.spawn(move || {
                for _ in 0..100 {
                    if let Err(e) = client.graphql_raw(LOGIN_QUERY, None) {
                        record_error(&e);
                        failures.lock().unwrap().push(e.to_string());
                    }
                }
            });
        }
        let (client, done_setting) = (client.clone(), done.clone());
        scope.spawn(move || {
            let mut i = 0u32;
            while !done_setting.load(std::sync::atomic::Ordering::Relaxed) && i < 2_000 {
                client
                    .set_timeout(Duration::from_millis(10_000 + u64::from(i % 7)))
                    .unwrap();
                client.set_max_retries(i % 3);
                client.set_user_agent(Some(&format!("setter/{i}"))).unwrap();
                client.set_signing_scheme(if i % 2 == 0 {
                    remoteit::Scheme::Cavage
                } else {
                    remoteit::Scheme::Rfc9421
                });
                i += 1;
            }
        });
        std::thread::sleep(Duration::from_millis(1));
    });
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let failures = failures.lock().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
}
