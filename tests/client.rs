//! The client against the local API double, over real HTTP and HTTPS on loopback.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ApiDouble, Failure, certs_dir, refused_port, root, shown};
use remoteit::{Client, ConnectOptions, Credentials, ErrorKind, ProxyType, Scheme};
use serde_json::json;

const SSH_SERVICE: &str = "80:00:00:00:01:00:00:11";
const WEB_SERVICE: &str = "80:00:00:00:01:00:00:12";

#[test]
fn connect_to_a_tcp_service_gives_host_and_port() {
    let double = ApiDouble::start();
    let connection = shown(double.client("credentials").connect(SSH_SERVICE).unwrap());
    assert!(!connection.host.is_empty());
    assert!(connection.port.is_some_and(|p| p > 0));
    assert!(!connection.reverse_proxy);
    assert!(connection.timeout.is_some());
}

#[test]
fn connect_to_a_web_service_gives_a_reverse_proxy_without_port() {
    let double = ApiDouble::start();
    let connection = shown(double.client("credentials").connect(WEB_SERVICE).unwrap());
    assert_eq!(connection.port, None);
    assert!(connection.reverse_proxy);
    assert!(connection.url.starts_with("https://"), "{}", connection.url);
}

#[test]
fn connect_with_options_passes_host_ip_and_proxy_type() {
    let double = ApiDouble::start();
    let options = ConnectOptions {
        host_ip: Some("0.0.0.0".into()),
        proxy_type: Some(ProxyType::Port),
    };
    let connection = double
        .client("credentials")
        .connect_with_options(WEB_SERVICE, &options)
        .unwrap();
    assert!(
        connection.port.is_some(),
        "PORT_PROXY on a web service gives a port"
    );
    let bad_ip = ConnectOptions {
        host_ip: Some("not-an-ip".into()),
        proxy_type: None,
    };
    let err = double
        .client("credentials")
        .connect_with_options(SSH_SERVICE, &bad_ip)
        .failure();
    assert_eq!(err.kind(), ErrorKind::GraphQl);
}

#[test]
fn disconnect_succeeds_once_then_is_a_graphql_error() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    let connection = shown(client.connect(SSH_SERVICE).unwrap());
    client.disconnect(&connection.id).unwrap();
    let err = client.disconnect(&connection.id).failure();
    assert_eq!(err.kind(), ErrorKind::GraphQl);
    assert!(err.message().contains(&connection.id), "{err}");
}

#[test]
fn unknown_service_is_a_graphql_error_naming_it() {
    let double = ApiDouble::start();
    let err = double
        .client("credentials")
        .connect("80:00:00:00:00:00:00:99")
        .failure();
    assert_eq!(err.kind(), ErrorKind::GraphQl);
    assert!(err.message().contains("80:00:00:00:00:00:00:99"), "{err}");
}

#[test]
fn graphql_query_with_variables_returns_data() {
    let double = ApiDouble::start();
    let query = "query Devices($size: Int, $from: Int) { login { email devices(size: $size, from: $from) { total hasMore items { id name } } } }";
    let data = double
        .client("credentials")
        .graphql(query, Some(&json!({"size": 1, "from": 1})))
        .unwrap();
    let devices = &data["login"]["devices"];
    assert_eq!(devices["items"].as_array().unwrap().len(), 1);
    assert_eq!(devices["items"][0]["id"], "80:00:00:00:01:00:00:02");
    assert_eq!(devices["hasMore"], true);
}

#[test]
fn arguments_with_quotes_travel_as_variables_not_query_text() {
    let double = ApiDouble::start();
    let err = double
        .client("credentials")
        .connect("x\") { id } #")
        .failure();
    assert_eq!(err.kind(), ErrorKind::GraphQl, "{err}");
    assert!(err.message().contains("Service not found"), "{err}");
}

#[test]
fn non_ascii_bodies_are_signed_with_their_byte_length() {
    let double = ApiDouble::start();
    let err = double
        .client("credentials")
        .connect("Küche ☕ – 80:01")
        .failure();
    assert_eq!(
        err.kind(),
        ErrorKind::GraphQl,
        "the signature was accepted: {err}"
    );
}

#[test]
fn rfc9421_signatures_are_accepted_too() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    client.set_signing_scheme(Scheme::Rfc9421);
    client.connect(SSH_SERVICE).unwrap();
}

#[test]
fn a_wrong_key_is_unauthorized() {
    let double = ApiDouble::start();
    let err = double
        .client("wrong-credentials")
        .connect(SSH_SERVICE)
        .failure();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(err.message().contains("401"), "{err}");
}

#[test]
fn a_401_with_a_far_server_clock_reports_the_skew() {
    let double = ApiDouble::start_with(&["--skew-offset", "3600"]);
    let client = double.client("credentials");
    client.set_clock_correction(false);
    let err = client.connect(SSH_SERVICE).failure();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(
        err.message().contains("seconds behind the server's"),
        "{err}"
    );
}

#[test]
fn a_refused_port_is_a_network_error() {
    let creds = Credentials::from_file(&root().join("tests/data/credentials"), None).unwrap();
    let url = format!("http://127.0.0.1:{}/graphql/v1", refused_port());
    let err = Client::new(Arc::new(creds), Some(&url))
        .unwrap()
        .connect(SSH_SERVICE)
        .failure();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
}

/// Each fault the double can inject, and the error kind it must map to.
#[test]
fn every_fault_maps_to_its_kind_within_the_timeout() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    client.set_timeout(Duration::from_millis(1500)).unwrap();
    // Each fault as the caller sees it without the client's recovery (retries, clock
    // correction), which have tests of their own.
    client.set_max_retries(0);
    client.set_clock_correction(false);
    let cases = [
        (json!({"kind": "500"}), ErrorKind::HttpStatus, "500"),
        (json!({"kind": "503"}), ErrorKind::HttpStatus, "503"),
        (
            json!({"kind": "429", "retry_after": 7}),
            ErrorKind::RateLimited,
            "retry after 7",
        ),
        (
            json!({"kind": "malformed_json"}),
            ErrorKind::Protocol,
            "not a JSON object",
        ),
        (
            json!({"kind": "non_json"}),
            ErrorKind::Protocol,
            "not a JSON object",
        ),
        (
            json!({"kind": "slow", "delay_ms": 4000}),
            ErrorKind::Timeout,
            "1500 ms",
        ),
        (json!({"kind": "reset"}), ErrorKind::Network, ""),
        (json!({"kind": "truncated"}), ErrorKind::Network, ""),
        (
            json!({"kind": "redirect"}),
            ErrorKind::HttpStatus,
            "redirects are not followed",
        ),
        (json!({"kind": "401"}), ErrorKind::Unauthorized, "clock"),
        (json!({"kind": "graphql_error"}), ErrorKind::GraphQl, ";"),
    ];
    for (fault, kind, words) in cases {
        double.fault(fault.clone());
        let started = Instant::now();
        let err = client.connect(SSH_SERVICE).failure();
        assert_eq!(err.kind(), kind, "{fault}: {err}");
        assert!(err.message().contains(words), "{fault}: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{fault} took {:?}",
            started.elapsed()
        );
    }
    client
        .connect(SSH_SERVICE)
        .expect("the client recovers after the faults");
}

#[test]
fn https_with_the_test_ca_works() {
    let double = ApiDouble::start_https();
    let client = double.client("credentials");
    client.set_ca_file(&certs_dir().join("ca.pem")).unwrap();
    client.connect(SSH_SERVICE).unwrap();
}

#[test]
fn https_with_an_untrusted_certificate_is_a_tls_error() {
    let double = ApiDouble::start_https();
    let err = double.client("credentials").connect(SSH_SERVICE).failure();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    let client = double.client("credentials");
    client
        .set_ca_file(&certs_dir().join("other-ca.pem"))
        .unwrap();
    assert_eq!(client.connect(SSH_SERVICE).failure().kind(), ErrorKind::Tls);
}

#[test]
fn a_ca_file_without_certificates_is_rejected() {
    let creds = Arc::new(Credentials::new("ID", "c2VjcmV0", None).unwrap());
    let client = Client::new(creds, None).unwrap();
    let err = client
        .set_ca_file(&root().join("tests/data/credentials"))
        .failure();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = client
        .set_ca_file(&root().join("no/such/file.pem"))
        .failure();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn one_client_keeps_one_connection_alive_for_many_calls() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    let before = double.stats()["connections"].as_u64().unwrap();
    for _ in 0..100 {
        client.graphql("{ login { email } }", None).unwrap();
    }
    // The stats request itself is one more connection (ureq's default agent).
    let after = double.stats()["connections"].as_u64().unwrap();
    assert_eq!(after - before, 2, "100 calls + 1 stats request");
}

#[test]
fn requests_carry_the_library_user_agent() {
    let double = ApiDouble::start();
    double
        .client("credentials")
        .graphql("{ login { email } }", None)
        .unwrap();
    let expected = format!("libremoteit/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(double.stats()["last_user_agent"], expected.as_str());
}

#[test]
fn one_client_serves_eight_threads() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..100 {
                    client.graphql("{ login { email } }", None).unwrap();
                }
            });
        }
    });
    assert_eq!(double.stats()["verified"].as_u64().unwrap(), 800);
}
