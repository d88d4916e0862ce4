//! The floor a signature is measured against (`make bench`): HMAC-SHA256 from a precomputed
//! key state over the same signing string the library signs, plus base64 of the tag, timed
//! with the thread's CPU clock like `bench/sign_c.c`. One line per round: ns per signature.
//!
//!     cargo run --release --example sign_floor -- MODE SCHEME BODY_BYTES ITERATIONS ROUNDS
//!
//! MODE `floor`: for RFC 9421 with a body, the floor also hashes the body for `Content-Digest`
//! (that work is the scheme's own). MODE `sha2`: only SHA-256 of the body, the cost a large
//! body cannot go below.

use std::hint::black_box;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use remoteit::signing::{cavage, http_date, rfc9421};
use sha2::{Digest, Sha256};

const KEY_ID: &str = "EXAMPLEKEYID00000000";
const SECRET: &str = "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=";
const URL: &str = "https://api.remote.it/graphql/v1";
const TIME: i64 = 1_700_000_000;

fn thread_ns() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e9 + t.tv_nsec as f64
}

/// The RFC 9421 signature base the library signs, built with the crate's public helpers.
fn rfc9421_base(body: &[u8]) -> String {
    let date = http_date(TIME);
    let digest = rfc9421::content_digest(body);
    let mut components = vec![
        ("@method", "POST"),
        ("@authority", "api.remote.it"),
        ("@target-uri", URL),
        ("date", date.as_str()),
    ];
    if !body.is_empty() {
        components.push(("content-digest", digest.as_str()));
    }
    let names: Vec<&str> = components.iter().map(|(name, _)| *name).collect();
    let params = format!(
        "{};keyid=\"{KEY_ID}\";alg=\"hmac-sha256\";created={TIME};expires={}",
        rfc9421::inner_list(&names),
        TIME + 300
    );
    rfc9421::signature_base(&components, &params)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, scheme, body_len, iterations, rounds] = args.as_slice() else {
        eprintln!("usage: sign_floor floor|sha2 SCHEME BODY_BYTES ITERATIONS ROUNDS");
        std::process::exit(2);
    };
    let number = |s: &str| s.parse::<usize>().expect("a number");
    let (rfc9421, iterations, rounds) = (scheme == "1", number(iterations), number(rounds));
    let body: Vec<u8> = (0..number(body_len))
        .map(|i| b'a' + (i % 26) as u8)
        .collect();
    let text = if rfc9421 {
        rfc9421_base(&body)
    } else {
        cavage::remoteit_signing_string(
            "POST",
            URL,
            Some("application/json"),
            body.len(),
            Some(TIME),
        )
        .expect("the example request signs")
    };
    let secret = BASE64.decode(SECRET).expect("base64");
    let key = Hmac::<Sha256>::new_from_slice(&secret).expect("any key length");
    let hash_body = rfc9421 && !body.is_empty();
    for _ in 0..rounds {
        let started = thread_ns();
        for _ in 0..iterations {
            let body = black_box(body.as_slice());
            if mode == "sha2" {
                black_box(Sha256::digest(body));
                continue;
            }
            let mut out = [0u8; 44];
            if hash_body {
                BASE64
                    .encode_slice(Sha256::digest(body), &mut out)
                    .expect("44 bytes");
                black_box(&out);
            }
            let mut mac = key.clone();
            mac.update(black_box(text.as_bytes()));
            BASE64
                .encode_slice(mac.finalize().into_bytes(), &mut out)
                .expect("44 bytes");
            black_box(&out);
        }
        println!("{:.1}", (thread_ns() - started) / iterations as f64);
    }
}
