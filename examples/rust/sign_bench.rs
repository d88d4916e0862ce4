//! A rerunnable benchmark of request signing (no network):
//!
//!     cargo run --release --example sign_bench [ITERATIONS]
//!
//! Prints the median time per signature over 11 rounds for each scheme, for a typical GraphQL
//! `connect` request. Machines are noisy: compare medians from the same machine only.

use std::hint::black_box;
use std::time::Instant;

use remoteit::Credentials;
use remoteit::signing::{Request, Scheme, sign};

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .map(|n| n.parse().expect("ITERATIONS is a number"))
        .unwrap_or(100_000);
    let credentials = Credentials::new(
        "EXAMPLEKEYID00000000",
        "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=",
        None,
    )
    .expect("valid example credentials");
    let body = br#"{"query":"mutation Connect($serviceId: String!) { connect(serviceId: $serviceId) { id host port reverseProxy url created timeout } }","variables":{"serviceId":"80:00:00:00:01:00:00:11"}}"#;
    let request = Request {
        method: "POST",
        url: "https://api.remote.it/graphql/v1",
        content_type: Some("application/json"),
        body,
    };
    for (name, scheme) in [
        ("draft-cavage", Scheme::Cavage),
        ("RFC 9421", Scheme::Rfc9421),
    ] {
        let mut rounds: Vec<f64> = (0..11)
            .map(|_| {
                let started = Instant::now();
                for i in 0..iterations {
                    black_box(
                        sign(
                            &credentials,
                            scheme,
                            black_box(&request),
                            Some(1_700_000_000 + i64::from(i)),
                        )
                        .unwrap(),
                    );
                }
                started.elapsed().as_nanos() as f64 / f64::from(iterations)
            })
            .collect();
        rounds.sort_by(f64::total_cmp);
        println!(
            "{name:>12}: median {:.0} ns per signature ({} signatures per round, 11 rounds; min {:.0}, max {:.0})",
            rounds[5], iterations, rounds[0], rounds[10]
        );
    }
}
