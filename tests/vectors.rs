//! Known-answer vectors (tests/data/*.json), reproduced byte for byte through the Rust API.

mod common;

use std::path::Path;

use base64::Engine as _;
use common::{Failure, shown};
use remoteit::signing::{Request, Scheme, cavage, rfc9421, sign};
use remoteit::{Credentials, ErrorKind};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing"))
}

#[test]
fn remoteit_cavage_vectors_reproduce_byte_for_byte() {
    let cases = vectors("remoteit-cavage.json");
    assert!(cases.as_array().unwrap().len() >= 6);
    for case in cases.as_array().unwrap() {
        let name = text(case, "name");
        let creds = shown(
            Credentials::new(
                text(case, "access_key_id"),
                text(case, "secret_access_key"),
                None,
            )
            .unwrap(),
        );
        let body = text(case, "body").as_bytes();
        let request = Request {
            method: text(case, "method"),
            url: text(case, "url"),
            content_type: case["content_type"].as_str(),
            body,
        };
        let time = case["unix_time"].as_i64();
        let headers = sign(&creds, Scheme::Cavage, &request, time).unwrap();
        assert_eq!(
            headers[0],
            ("Date".into(), text(case, "date").into()),
            "{name}"
        );
        assert_eq!(
            headers[1],
            ("Authorization".into(), text(case, "authorization").into()),
            "{name}"
        );
        assert_eq!(headers.len(), 2, "{name}");
        let signing_string = cavage::remoteit_signing_string(
            request.method,
            request.url,
            request.content_type,
            body.len(),
            time,
        )
        .unwrap();
        assert_eq!(signing_string, text(case, "signing_string"), "{name}");
    }
}

#[test]
fn cavage_appendix_c_hmac_vectors_reproduce_through_the_general_signer() {
    let data = vectors("cavage-appendix-c-hmac.json");
    let request = &data["request"];
    let headers: Vec<(&str, &str)> = request["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h[0].as_str().unwrap(), h[1].as_str().unwrap()))
        .collect();
    let message = cavage::Message {
        method: text(request, "method"),
        path_and_query: text(request, "path_and_query"),
        headers: &headers,
    };
    let secret = base64::engine::general_purpose::STANDARD.encode(text(&data, "key_ascii"));
    let creds = shown(Credentials::new(text(&data, "key_id"), &secret, None).unwrap());
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 3, "the Appendix C file lost its cases");
    for case in cases {
        let names: Vec<&str> = text(case, "headers").split(' ').collect();
        let signing_string = cavage::signing_string(&names, &message).unwrap();
        assert_eq!(
            signing_string,
            text(case, "signing_string"),
            "{}",
            text(case, "name")
        );
        let signature = remoteit::signing::sign_bytes_base64(&creds, signing_string.as_bytes());
        assert_eq!(signature, text(case, "signature"), "{}", text(case, "name"));
    }
}

#[test]
fn rfc9421_b25_hmac_vector_reproduces() {
    let data = vectors("rfc9421-b25.json");
    let headers = data["request"]["headers"].as_array().unwrap();
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
            .map(|h| h[1].as_str().unwrap())
            .unwrap()
    };
    let components = [
        ("date", header("date")),
        ("@authority", header("host")),
        ("content-type", header("content-type")),
    ];
    let names: Vec<&str> = components.iter().map(|(n, _)| *n).collect();
    let params = format!(
        "{};created={};keyid=\"{}\"",
        rfc9421::inner_list(&names),
        data["created"].as_i64().unwrap(),
        text(&data, "keyid")
    );
    let base = rfc9421::signature_base(&components, &params);
    assert_eq!(base, text(&data, "signature_base"));
    assert_eq!(format!("sig-b25={params}"), text(&data, "signature_input"));
    let creds = shown(
        Credentials::new(
            text(&data, "keyid"),
            text(&data, "shared_secret_base64"),
            None,
        )
        .unwrap(),
    );
    let signature = remoteit::signing::sign_bytes_base64(&creds, base.as_bytes());
    assert_eq!(format!("sig-b25=:{signature}:"), text(&data, "signature"));
}

#[test]
fn rfc9421_request_headers_follow_the_contract() {
    let creds = shown(Credentials::new("KEYID", "ZXhhbXBsZQ==", None).unwrap());
    let body = br#"{"query":"{ login { email } }"}"#;
    let request = Request {
        method: "post",
        url: "HTTPS://API.remote.it:443/graphql/v1?x=1",
        content_type: Some("application/json"),
        body,
    };
    let headers = sign(&creds, Scheme::Rfc9421, &request, Some(1_700_000_000)).unwrap();
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["Date", "Content-Digest", "Signature-Input", "Signature"]
    );
    assert_eq!(headers[1].1, rfc9421::content_digest(body));
    let params = "(\"@method\" \"@authority\" \"@target-uri\" \"date\" \"content-digest\");keyid=\"KEYID\";alg=\"hmac-sha256\";created=1700000000;expires=1700000300";
    assert_eq!(headers[2].1, format!("remoteit={params}"));
    let base = rfc9421::signature_base(
        &[
            ("@method", "POST"),
            ("@authority", "api.remote.it"),
            ("@target-uri", "https://api.remote.it/graphql/v1?x=1"),
            ("date", "Tue, 14 Nov 2023 22:13:20 GMT"),
            ("content-digest", &headers[1].1),
        ],
        params,
    );
    let expected = remoteit::signing::sign_bytes_base64(&creds, base.as_bytes());
    assert_eq!(headers[3].1, format!("remoteit=:{expected}:"));

    let no_body = Request {
        body: b"",
        ..request
    };
    let headers = sign(&creds, Scheme::Rfc9421, &no_body, Some(1_700_000_000)).unwrap();
    assert_eq!(headers.len(), 3, "no Content-Digest without a body");
    assert!(!headers[1].1.contains("content-digest"));
}

#[test]
fn content_length_counts_bytes_not_characters() {
    let s = cavage::remoteit_signing_string(
        "POST",
        "https://h/",
        Some("application/json"),
        "Küche ☕".len(),
        Some(0),
    )
    .unwrap();
    assert_eq!("Küche ☕".chars().count(), 7);
    assert!(s.ends_with("content-length: 10"), "{s}");
}

#[test]
fn a_wrong_key_gives_another_signature() {
    let request = Request {
        method: "POST",
        url: "https://api.remote.it/graphql/v1",
        content_type: Some("application/json"),
        body: b"{}",
    };
    let right = shown(Credentials::new("ID", "cmlnaHQ=", None).unwrap());
    let wrong = shown(Credentials::new("ID", "d3Jvbmc=", None).unwrap());
    assert_ne!(
        sign(&right, Scheme::Cavage, &request, Some(1)).unwrap(),
        sign(&wrong, Scheme::Cavage, &request, Some(1)).unwrap()
    );
}

#[test]
fn a_bad_method_is_an_invalid_argument() {
    let creds = shown(Credentials::new("ID", "cmlnaHQ=", None).unwrap());
    let request = Request {
        method: "GE T",
        url: "https://h/",
        content_type: None,
        body: b"",
    };
    assert_eq!(
        sign(&creds, Scheme::Cavage, &request, Some(1))
            .failure()
            .kind(),
        ErrorKind::InvalidArgument
    );
}
