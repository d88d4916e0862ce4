//! URL and method handling in signing: arbitrary method, URL, content type, body and time
//! through both schemes and the signing string. The input is `method NUL url NUL content-type
//! NUL body`; a missing part is empty (the content type then absent). Besides not panicking:
//! a signature's header values are single lines, every message is one bounded line, and with
//! a fixed time the fast path (signing twice: the second time from the thread's cached request
//! shape) gives exactly what the general path gives, rejections and messages included.

#![no_main]

use libfuzzer_sys::fuzz_target;
use remoteit::Credentials;
use remoteit::fuzzing::sign_general;
use remoteit::signing::{Request, Scheme, cavage, sign};
use remoteit::target::Target;

fn check_message(e: &remoteit::Error) {
    let message = e.message();
    assert!(
        !message.chars().any(char::is_control),
        "a control character in {message:?}"
    );
    assert!(
        message.len() <= 4096,
        "a message of {} bytes",
        message.len()
    );
}

fuzz_target!(|data: &[u8]| {
    let (time, data) = match data.split_first_chunk::<8>() {
        Some((time, rest)) => (Some(i64::from_le_bytes(*time)), rest),
        None => (None, data),
    };
    let mut parts = data.splitn(4, |&b| b == 0);
    let method = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let url = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let content_type = parts.next().map(String::from_utf8_lossy);
    let body = parts.next().unwrap_or_default();
    let credentials = Credentials::new("FUZZKEYID", "c2VjcmV0IGtleSBmb3IgZnV6emluZw==", None)
        .expect("fixed credentials are valid");
    let request = Request {
        method: &method,
        url: &url,
        content_type: content_type.as_deref(),
        body,
    };
    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        if time.is_some() {
            let general = sign_general(&credentials, scheme, &request, time);
            for _ in 0..2 {
                assert_eq!(sign(&credentials, scheme, &request, time), general, "{scheme:?}");
            }
        }
        match sign(&credentials, scheme, &request, time) {
            Ok(headers) => {
                for (name, value) in headers {
                    assert!(!name.is_empty());
                    assert!(!value.chars().any(char::is_control), "{name}: {value:?}");
                }
            }
            Err(e) => check_message(&e),
        }
    }
    match cavage::remoteit_signing_string(&method, &url, content_type.as_deref(), body.len(), time)
    {
        Ok(text) => assert!(text.lines().count() >= 4),
        Err(e) => check_message(&e),
    }
    match Target::parse(&url) {
        Ok(target) => {
            assert!(target.path_and_query.starts_with('/'));
            assert!(Target::parse(&target.uri()).is_ok(), "{}", target.uri());
        }
        Err(e) => check_message(&e),
    }
});
