//! The fast signing path against the general one, byte for byte, on pseudo-random requests
//! (a fixed seed: every run checks the same inputs), rejections included.

use crate::credentials::Credentials;
use crate::signing::buffer::{SignedHeaders, imf_fixdate};
use crate::signing::{MAX_UNIX_TIME, Request, Scheme, fast, general_sign, http_date, sign_into};

/// xorshift64*: small, deterministic, good enough to pick inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `len` characters drawn from `alphabet`.
    fn text(&mut self, alphabet: &[char], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

/// Each input is drawn from its good list nine times in ten, else from its bad list, so
/// that both signatures and rejections are frequent.
const METHODS: (&[&str], &[&str]) = (
    &[
        "POST",
        "get",
        "Get",
        "M-SEARCH",
        "PATCH",
        "x!#$%&'*+-.^_`|~",
    ],
    &["", "PO ST", "GET\r\n", "G(T", "PÖST"],
);
const SCHEMES: (&[&str], &[&str]) = (&["https", "HTTP", "http", "Https"], &["ftp", "", "https:"]);
const HOSTS: (&[&str], &[&str]) = (
    &[
        "api.remote.it",
        "API.Remote.IT",
        "127.0.0.1",
        "[::1]",
        "[2001:DB8::A]",
        "localhost",
        "h_~-.x",
    ],
    &[
        "",
        "bad host",
        "[::1",
        "[zz]",
        "[]",
        "user:pw@h",
        "h:80",
        "caf\u{e9}",
        "[::1]x",
    ],
);
const PORTS: (&[&str], &[&str]) = (
    &["", "", ":443", ":80", ":8080", ":65535", ":0080"],
    &[":0", ":65536", ":8a", ":", ":+1"],
);
const PATHS: (&[&str], &[&str]) = (
    &[
        "",
        "/",
        "/graphql/v1",
        "?q=1",
        "/a/%7Eb/../c?x=1&y=%20&Z",
        "//x?y?z#f",
        "/p#frag ment",
        "/@:!$&'()*+,;=",
    ],
    &[
        "/100%",
        "/%zz",
        "/%4",
        "/with space",
        "/caf\u{e9}",
        "/{x}",
        "/a\"b",
        "/a`b",
    ],
);
const CONTENT_TYPES: (&[&str], &[&str]) = (
    &[
        "application/json",
        " application/json ",
        "",
        "text/plain; q=1",
        "\u{a0}x\u{a0}",
        "\u{3000}j",
        "caf\u{e9}",
    ],
    &["a\r\nx: y", "x\u{85}", "tab\there", "del\u{7f}"],
);
const PATH_ALPHABET: &[char] = &[
    'a', 'Z', '0', '/', '?', '&', '=', '%', '4', 'f', '-', '.', '_', '~', '@', ':', '#', 'a', 'b',
    'c', 'd', 'e', '1', '2', '/', '=', ' ', 'é', '"', '<', '[',
];
const TCHARS: &[char] = &[
    'A', 'z', '9', '!', '#', '-', '.', '^', '_', '|', '~', 'Q', 'm', '(', 'é',
];

impl Rng {
    /// From the good list nine times in ten, else from the bad one.
    fn draw<'a>(&mut self, (good, bad): (&[&'a str], &[&'a str])) -> &'a str {
        if self.below(10) == 0 {
            self.pick(bad)
        } else {
            self.pick(good)
        }
    }
}

/// A pseudo-random request and time, valid or not.
fn random_case(rng: &mut Rng) -> (String, String, Option<String>, Vec<u8>, Option<i64>) {
    let method = match rng.below(4) {
        0 => {
            let len = 1 + rng.below(40);
            rng.text(TCHARS, len)
        }
        _ => rng.draw(METHODS).to_owned(),
    };
    let path = match rng.below(3) {
        0 => {
            let len = rng.below(700);
            let alphabet =
                &PATH_ALPHABET[..PATH_ALPHABET.len() - 4 * usize::from(rng.below(2) == 0)];
            format!("/{}", rng.text(alphabet, len))
        }
        _ => rng.draw(PATHS).to_owned(),
    };
    let url = format!(
        "{}://{}{}{}",
        rng.draw(SCHEMES),
        rng.draw(HOSTS),
        rng.draw(PORTS),
        path
    );
    let content_type = match rng.below(12) {
        0 => Some("x".repeat(rng.below(900))),
        1..=3 => None,
        _ => Some(rng.draw(CONTENT_TYPES).to_owned()),
    };
    let body_len = match rng.below(4) {
        0 => 0,
        1 => rng.below(3),
        _ => rng.below(5000),
    };
    let body = (0..body_len).map(|_| rng.next() as u8).collect();
    let time = match rng.below(16) {
        0 => None,
        1 => Some(-1 - rng.below(1000) as i64),
        2 => Some(MAX_UNIX_TIME + rng.below(3) as i64),
        3 => Some(i64::MAX),
        4 => Some(0),
        _ => Some((rng.next() % (MAX_UNIX_TIME as u64 + 1)) as i64),
    };
    (method, url, content_type, body, time)
}

#[test]
fn fast_path_signs_exactly_as_the_general_path_and_rejects_the_same_requests() {
    let secret = "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=";
    let all_credentials = [
        Credentials::new("EXAMPLEKEYID00000000", secret, None).unwrap(),
        Credentials::new("key,with=odd:chars", secret, None).unwrap(),
        Credentials::new(&"K".repeat(300), secret, None).unwrap(),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut signed, mut rejected, mut fallbacks) = (0, 0, 0);
    for case in 0..20_000 {
        let (method, url, content_type, body, time) = random_case(&mut rng);
        let credentials = &all_credentials[rng.below(all_credentials.len())];
        let scheme = [Scheme::Cavage, Scheme::Rfc9421][rng.below(2)];
        let request = Request {
            method: &method,
            url: &url,
            content_type: content_type.as_deref(),
            body: &body,
        };
        let context = format!("case {case}: {scheme:?} {request:?} at {time:?}");
        // With the current time, the second may change between calls: the general path signs
        // before and after both fast calls, and each must match one of the two.
        let general = || general_sign(credentials, scheme, &request, time);
        let before = general();
        let mut fast_headers = SignedHeaders::new();
        let fast = fast::sign(credentials, scheme, &request, time, &mut fast_headers);
        let mut via_entry = SignedHeaders::new();
        let entry = sign_into(credentials, scheme, &request, time, &mut via_entry);
        let after = general();
        match (&fast, &before) {
            (Some(()), Ok(_)) => {
                let fast_pairs = fast_headers.to_pairs();
                assert!(
                    Ok(&fast_pairs) == before.as_ref() || Ok(&fast_pairs) == after.as_ref(),
                    "{context}\nfast {fast_pairs:?}\ngeneral {before:?}"
                );
                signed += 1;
            }
            (Some(()), Err(e)) => {
                panic!("{context}: the fast path signed what the general path rejects: {e}")
            }
            (None, Ok(pairs)) => {
                // Only the unusual content types go to the general path.
                assert!(
                    content_type.as_deref().is_some_and(|ct| !ct.is_ascii()),
                    "{context}: the fast path declined {pairs:?}"
                );
                fallbacks += 1;
            }
            (None, Err(_)) => rejected += 1,
        }
        match (&entry, &before) {
            (Err(got), Err(want)) => assert_eq!(got, want, "{context}"),
            (Ok(()), Ok(_)) => {
                let pairs = via_entry.to_pairs();
                assert!(
                    Ok(&pairs) == before.as_ref() || Ok(&pairs) == after.as_ref(),
                    "{context}"
                );
            }
            _ => panic!("{context}: sign_into {entry:?}, general {before:?}"),
        }
    }
    assert!(
        signed > 3_000 && rejected > 3_000 && fallbacks > 50,
        "{signed} {rejected} {fallbacks}"
    );
}

#[test]
fn fast_date_matches_the_general_date_at_random_times() {
    let mut rng = Rng(42);
    for _ in 0..100_000 {
        let t = (rng.next() % (MAX_UNIX_TIME as u64 + 1)) as i64;
        assert_eq!(imf_fixdate(t).as_slice(), http_date(t).as_bytes(), "{t}");
    }
}

#[test]
fn a_shape_seen_again_signs_as_the_general_path_and_near_misses_do_not_reuse_it() {
    // Requests that differ from each other in one input each (scheme, method, URL by one
    // byte, content type present, absent or one byte longer), signed in runs and in
    // alternation, so that the shape cache is hit, missed and replaced.
    let credentials = Credentials::new(
        "EXAMPLEKEYID00000000",
        "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=",
        None,
    )
    .unwrap();
    let long_url = format!("https://h/{}", "p".repeat(300)); // longer than the cache keeps
    let urls = [
        "https://api.remote.it/graphql/v1",
        "https://api.remote.it/graphql/v2",
        "https://api.remote.it/graphql/v",
        "https://API.remote.it:8443/graphql/v1?x=1",
        "https://api.remote.it/graphql/v1 ",
        long_url.as_str(),
    ];
    let methods = ["POST", "post", "GET", "PO ST"];
    let content_types = [
        None,
        Some("application/json"),
        Some("application/jsom"),
        Some("application/jsonx"),
        Some(" "),
    ];
    let mut rng = Rng(0x5eed_cafe);
    let mut hits = 0;
    for round in 0..4_000 {
        let request = Request {
            method: methods[rng.below(methods.len())],
            url: urls[rng.below(urls.len())],
            content_type: content_types[rng.below(content_types.len())],
            body: b"{}",
        };
        let scheme = [Scheme::Cavage, Scheme::Rfc9421][rng.below(2)];
        let time = Some(1_700_000_000 + round);
        for _ in 0..1 + rng.below(3) {
            let general = general_sign(&credentials, scheme, &request, time).ok();
            let mut headers = SignedHeaders::new();
            let fast = fast::sign(&credentials, scheme, &request, time, &mut headers);
            assert_eq!(
                fast.map(|()| headers.to_pairs()),
                general,
                "{scheme:?} {request:?}"
            );
            hits += usize::from(fast.is_some());
        }
    }
    assert!(hits > 4_000, "{hits}");
}
