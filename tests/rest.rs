//! The REST API with the developer key, against the local API double.

mod common;

use std::sync::Arc;

use common::{ApiDouble, Failure, root, shown};
use remoteit::{Client, Credentials, ErrorKind, Scheme};
use serde_json::Value;

fn client_with_developer_key(double: &ApiDouble, developer_key: Option<&str>) -> Client {
    let file = Credentials::from_file(&root().join("tests/data/credentials"), None).unwrap();
    let secret = "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE=";
    let creds = Credentials::new(file.access_key_id(), secret, developer_key).unwrap();
    shown(Client::new(Arc::new(shown(creds)), Some(&double.url)).unwrap())
}

#[test]
fn the_right_developer_key_gets_the_users_info() {
    let double = ApiDouble::start();
    let reply = double
        .client("credentials")
        .rest("GET", "/user/info", None)
        .unwrap();
    let info: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(info["status"], "true");
    assert_eq!(info["email"], "demo@example.com");
    assert_eq!(double.attempts("path:/apv/v27/user/info"), 1);
}

#[test]
fn rest_works_with_rfc9421_signatures_too() {
    let double = ApiDouble::start_with(&["--devices", "12"]);
    let client = double.client("credentials");
    client.set_signing_scheme(Scheme::Rfc9421);
    let reply: Value =
        serde_json::from_str(&client.rest("GET", "/device/list/all", None).unwrap()).unwrap();
    assert_eq!(reply["status"], "true");
    assert!(reply["devices"].as_array().is_some_and(|d| !d.is_empty()));
}

#[test]
fn a_wrong_developer_key_is_an_api_error_with_reason_and_code() {
    let double = ApiDouble::start();
    let err = client_with_developer_key(&double, Some("WRONGKEY"))
        .rest("GET", "/user/info", None)
        .failure();
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert!(
        err.message().contains("(code INVALID_DEVELOPER_KEY)"),
        "{err}"
    );
    assert!(err.message().contains("the API refused: "), "{err}");
    assert!(!err.message().contains("WRONGKEY"), "{err}");
}

#[test]
fn an_unknown_path_is_an_api_error_although_its_status_is_404() {
    let double = ApiDouble::start();
    let err = double
        .client("credentials")
        .rest("GET", "/no/such/thing", None)
        .failure();
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert!(err.message().contains("HTTP 404"), "{err}");
    assert!(err.message().contains("(code NOT_FOUND)"), "{err}");
}

#[test]
fn no_developer_key_fails_before_anything_is_sent() {
    let double = ApiDouble::start();
    let client = client_with_developer_key(&double, None);
    let err = client.rest("GET", "/user/info", None).failure();
    assert_eq!(err.kind(), ErrorKind::CredentialsIncomplete);
    assert!(err.message().contains("R3_DEVELOPER_API_KEY"), "{err}");
    assert_eq!(double.stats()["requests"], 0);
}

#[test]
fn bad_paths_and_bodies_are_invalid_arguments_before_sending() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    for (method, path, body) in [
        ("GET", "user/info", None),
        ("GET", "/user info", None),
        ("POST", "/user/info", Some("{not json")),
        ("BAD METHOD", "/user/info", None),
    ] {
        let err = client.rest(method, path, body).failure();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{path}: {err}");
    }
    assert_eq!(double.stats()["requests"], 0);
}

#[test]
fn a_body_is_sent_as_given() {
    let double = ApiDouble::start();
    // The double knows POST on no REST path: its refusal shows the signed body got there.
    let err = double
        .client("credentials")
        .rest("POST", "/device/connect", Some(r#"{"deviceaddress": "x"}"#))
        .failure();
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert_eq!(double.stats()["verified"], 1);
}
