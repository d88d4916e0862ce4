//! The C surface itself: the input is a program of calls to the exported `extern "C"`
//! functions, with arbitrary bytes (invalid UTF-8 included), lengths, numbers and NULLs. Each
//! call is made as a C caller may make it (a buffer is as long as the length passed with it):
//! what the contract leaves undefined (a dangling handle, a lying length) is not tried.
//! Besides not crashing: every result is a known code, and every failure leaves a message.
//!
//! Network calls go only to a client of `http://127.0.0.1:9/` (nothing listens: refused at
//! once); clients of fuzzed URLs are configured and freed, never used to send.

#![no_main]

use std::ffi::{CStr, c_char};
use std::ptr::{null, null_mut};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

// Links the library, whose exported functions the declarations below name (nothing else of the
// crate is used by name, and an unused dependency would not be linked).
extern crate remoteit;

#[repr(C)]
struct Opaque {
    _private: [u8; 0],
}

unsafe extern "C" {
    fn remoteit_version() -> *const c_char;
    fn remoteit_result_name(code: u32) -> *const c_char;
    fn remoteit_string_free(s: *mut c_char);
    fn remoteit_last_error_message(buf: *mut c_char, buf_len: usize, out_len: *mut usize) -> u32;
    fn remoteit_client_new(creds: *const Opaque, url: *const c_char, out: *mut *mut Opaque) -> u32;
    fn remoteit_client_set_timeout_ms(client: *mut Opaque, timeout_ms: u32) -> u32;
    fn remoteit_client_set_ca_file(client: *mut Opaque, path: *const c_char) -> u32;
    fn remoteit_client_set_signing_scheme(client: *mut Opaque, scheme: u32) -> u32;
    fn remoteit_client_free(client: *mut Opaque);
    fn remoteit_graphql(
        client: *const Opaque,
        query: *const c_char,
        variables: *const c_char,
        out: *mut *mut c_char,
    ) -> u32;
    fn remoteit_connect(
        client: *const Opaque,
        service: *const c_char,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_connect_with_options(
        client: *const Opaque,
        service: *const c_char,
        host_ip: *const c_char,
        proxy_type: u32,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_disconnect(client: *const Opaque, connection_id: *const c_char) -> u32;
    fn remoteit_connection_id(conn: *const Opaque) -> *const c_char;
    fn remoteit_connection_host(conn: *const Opaque) -> *const c_char;
    fn remoteit_connection_url(conn: *const Opaque) -> *const c_char;
    fn remoteit_connection_port(conn: *const Opaque) -> i32;
    fn remoteit_connection_reverse_proxy(conn: *const Opaque) -> i32;
    fn remoteit_connection_timeout(conn: *const Opaque) -> i32;
    fn remoteit_connection_free(conn: *mut Opaque);
    fn remoteit_credentials_load(
        path: *const c_char,
        profile: *const c_char,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_credentials_new(
        id: *const c_char,
        secret: *const c_char,
        developer_key: *const c_char,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_credentials_access_key_id(
        c: *const Opaque,
        buf: *mut c_char,
        len: usize,
        out_len: *mut usize,
    ) -> u32;
    fn remoteit_credentials_developer_key(
        c: *const Opaque,
        buf: *mut c_char,
        len: usize,
        out_len: *mut usize,
    ) -> u32;
    fn remoteit_credentials_warning(
        c: *const Opaque,
        buf: *mut c_char,
        len: usize,
        out_len: *mut usize,
    ) -> u32;
    fn remoteit_credentials_free(creds: *mut Opaque);
    fn remoteit_headers_count(headers: *const Opaque) -> usize;
    fn remoteit_headers_get(
        headers: *const Opaque,
        index: usize,
        name: *mut *const c_char,
        value: *mut *const c_char,
    ) -> u32;
    fn remoteit_headers_text(
        headers: *const Opaque,
        buf: *mut c_char,
        buf_len: usize,
        out_len: *mut usize,
    ) -> u32;
    fn remoteit_headers_free(headers: *mut Opaque);
    fn remoteit_sign(
        creds: *const Opaque,
        scheme: u32,
        method: *const c_char,
        url: *const c_char,
        content_type: *const c_char,
        body: *const u8,
        body_len: usize,
        unix_time: i64,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_sign_request(
        creds: *const Opaque,
        method: *const c_char,
        url: *const c_char,
        content_type: *const c_char,
        body: *const u8,
        body_len: usize,
        unix_time: i64,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_sign_request_rfc9421(
        creds: *const Opaque,
        method: *const c_char,
        url: *const c_char,
        content_type: *const c_char,
        body: *const u8,
        body_len: usize,
        unix_time: i64,
        out: *mut *mut Opaque,
    ) -> u32;
    fn remoteit_signing_string(
        method: *const c_char,
        url: *const c_char,
        content_type: *const c_char,
        content_length: usize,
        unix_time: i64,
        buf: *mut c_char,
        buf_len: usize,
        out_len: *mut usize,
    ) -> u32;
}

/// Reads the fuzzer's bytes as call arguments; past the end, everything is zero.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }

    /// A C string: `None` (NULL) or arbitrary bytes without NUL, NUL-terminated.
    fn c_string(&mut self) -> Option<Vec<u8>> {
        let len = match self.byte() {
            0 => return None,
            255 => usize::from(self.byte()) * 64,
            n => usize::from(n - 1),
        };
        let take = len.min(self.0.len());
        let (bytes, rest) = self.0.split_at(take);
        self.0 = rest;
        let mut text: Vec<u8> = bytes
            .iter()
            .map(|&b| if b == 0 { b'0' } else { b })
            .collect();
        text.push(0);
        Some(text)
    }

    fn bytes(&mut self) -> Vec<u8> {
        let len = usize::from(self.byte()).min(self.0.len());
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        bytes.to_vec()
    }
}

fn ptr(text: &Option<Vec<u8>>) -> *const c_char {
    text.as_ref().map_or(null(), |t| t.as_ptr().cast())
}

/// A result must be a known code; a failure must leave a message.
fn check(rc: u32) {
    // SAFETY: static strings from the library.
    let name = unsafe { CStr::from_ptr(remoteit_result_name(rc)) };
    assert_ne!(name.to_bytes(), b"REMOTEIT_ERR_UNKNOWN", "result {rc}");
    if rc != 0 {
        let mut len = 0usize;
        // SAFETY: a size query: NULL buffer, length 0, a valid out_len.
        let size_rc = unsafe { remoteit_last_error_message(null_mut(), 0, &mut len) };
        assert!(size_rc == 0 || size_rc == 3);
        assert!(len > 0, "result {rc} without a message");
    }
}

/// A caller buffer: NULL with length 0, or `len` bytes passed as `len`; out_len maybe NULL.
fn with_buffer(input: &mut Input<'_>, call: impl FnOnce(*mut c_char, usize, *mut usize) -> u32) {
    let len = usize::from(input.byte());
    let mut buf = vec![0x55u8; len];
    let mut out_len = usize::MAX;
    let out_len_ptr: *mut usize = if input.byte() & 1 == 0 {
        &mut out_len
    } else {
        null_mut()
    };
    let buf_ptr = if len == 0 {
        null_mut()
    } else {
        buf.as_mut_ptr().cast()
    };
    let rc = call(buf_ptr, len, out_len_ptr);
    check(rc);
    if rc == 0 {
        let text = CStr::from_bytes_until_nul(&buf).expect("a NUL-terminated string");
        if !out_len_ptr.is_null() {
            assert_eq!(out_len, text.to_bytes().len());
        }
    } else if rc == 3 {
        assert!(
            buf.iter().all(|&b| b == 0x55),
            "a buffer written on BUFFER_TOO_SMALL"
        );
    }
}

/// A file the program may write its fuzzed content to, and the client no network call leaves.
struct Fixture {
    file: std::path::PathBuf,
    offline_client: usize,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("remoteit-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // SAFETY: set once, before any other thread of this process reads the environment.
        unsafe {
            std::env::set_var("HOME", dir.join("no-home"));
            std::env::remove_var("R3_ACCESS_KEY_ID");
            std::env::remove_var("R3_SECRET_ACCESS_KEY");
        }
        let mut creds = null_mut();
        let mut client = null_mut();
        // SAFETY: valid strings and out-params.
        unsafe {
            assert_eq!(
                remoteit_credentials_new(c"ID".as_ptr(), c"c2VjcmV0".as_ptr(), null(), &mut creds),
                0
            );
            assert_eq!(
                remoteit_client_new(
                    creds,
                    c"http://127.0.0.1:9/graphql/v1".as_ptr(),
                    &mut client
                ),
                0
            );
            assert_eq!(remoteit_client_set_timeout_ms(client, 200), 0);
            remoteit_credentials_free(creds);
        }
        // Warm-up: the first failure and the first network call initialize thread-locals
        // (the last-error slot, the HTTP stack's) that live until the thread ends; made here,
        // they are not mistaken for a leak of the first input that reaches them.
        // SAFETY: valid strings and out-params.
        unsafe {
            let mut data = null_mut();
            assert_ne!(
                remoteit_graphql(client, c"{ x }".as_ptr(), null(), &mut data),
                0
            );
            assert_ne!(
                remoteit_credentials_new(null(), null(), null(), null_mut()),
                0
            );
        }
        Fixture {
            file: dir.join("file"),
            offline_client: client as usize,
        }
    })
}

/// A path argument: NULL, the fixture file (written with fuzzed content), a device (when
/// `device` is true), a folder, a missing file, or fuzzed bytes.
fn path(input: &mut Input<'_>, device: bool) -> Option<Vec<u8>> {
    let fixed = |p: &str| Some(format!("{p}\0").into_bytes());
    match input.byte() % 6 {
        2 if !device => None,
        0 => None,
        1 => {
            let content = input.bytes();
            std::fs::write(&fixture().file, content).unwrap();
            fixed(fixture().file.to_str().unwrap())
        }
        2 => fixed("/dev/zero"),
        3 => fixed("/tmp"),
        4 => fixed("/nonexistent/remoteit"),
        // Never a device or a kernel file: opening some (a watchdog) has effects.
        _ => input.c_string().filter(|p| {
            ![&b"/dev"[..], b"/proc", b"/sys"]
                .iter()
                .any(|d| p.starts_with(d))
        }),
    }
}

fuzz_target!(|data: &[u8]| {
    let offline = fixture().offline_client as *const Opaque;
    let mut input = Input(data);
    let mut creds: Vec<*mut Opaque> = Vec::new();
    let mut headers: Vec<*mut Opaque> = Vec::new();
    let mut clients: Vec<*mut Opaque> = Vec::new();
    let pick = |input: &mut Input<'_>, handles: &[*mut Opaque]| -> *mut Opaque {
        let i = usize::from(input.byte());
        handles
            .get(i % (handles.len() + 1))
            .copied()
            .unwrap_or(null_mut())
    };
    // SAFETY (every call below): handles are live ones this program made or NULL; strings are
    // NUL-terminated or NULL; buffers are as long as the length passed with them.
    for _ in 0..48 {
        if input.0.is_empty() {
            break;
        }
        match input.byte() % 20 {
            0 => unsafe {
                let (p, profile) = (path(&mut input, true), input.c_string());
                let mut out = null_mut();
                let rc = remoteit_credentials_load(ptr(&p), ptr(&profile), &mut out);
                check(rc);
                assert_eq!(rc == 0, !out.is_null());
                if !out.is_null() {
                    creds.push(out);
                }
            },
            1 => unsafe {
                let (id, secret, dev) = (input.c_string(), input.c_string(), input.c_string());
                let mut out = null_mut();
                let null_out = input.byte() & 1 == 1;
                let out_ptr: *mut *mut Opaque = if null_out { null_mut() } else { &mut out };
                let rc = remoteit_credentials_new(ptr(&id), ptr(&secret), ptr(&dev), out_ptr);
                check(rc);
                if !out.is_null() {
                    creds.push(out);
                }
            },
            2 => {
                let c = pick(&mut input, &creds);
                let which = input.byte() % 3;
                with_buffer(&mut input, |buf, len, out_len| unsafe {
                    match which {
                        0 => remoteit_credentials_access_key_id(c, buf, len, out_len),
                        1 => remoteit_credentials_developer_key(c, buf, len, out_len),
                        _ => remoteit_credentials_warning(c, buf, len, out_len),
                    }
                });
            }
            3 | 4 => unsafe {
                let c = pick(&mut input, &creds);
                let scheme = match input.byte() % 4 {
                    0 => 0,
                    1 => 1,
                    _ => input.u32(),
                };
                let (method, url, ct) = (input.c_string(), input.c_string(), input.c_string());
                let body = input.bytes();
                let body_ptr = if input.byte() & 1 == 1 {
                    null()
                } else {
                    body.as_ptr()
                };
                let time = input.u64() as i64;
                let mut out = null_mut();
                let rc = match input.byte() % 3 {
                    0 => remoteit_sign(
                        c,
                        scheme,
                        ptr(&method),
                        ptr(&url),
                        ptr(&ct),
                        body_ptr,
                        body.len(),
                        time,
                        &mut out,
                    ),
                    1 => remoteit_sign_request(
                        c,
                        ptr(&method),
                        ptr(&url),
                        ptr(&ct),
                        body_ptr,
                        body.len(),
                        time,
                        &mut out,
                    ),
                    _ => remoteit_sign_request_rfc9421(
                        c,
                        ptr(&method),
                        ptr(&url),
                        ptr(&ct),
                        body_ptr,
                        body.len(),
                        time,
                        &mut out,
                    ),
                };
                check(rc);
                if !out.is_null() {
                    headers.push(out);
                }
            },
            5 => unsafe {
                let h = pick(&mut input, &headers);
                let count = remoteit_headers_count(h);
                let index = match input.byte() % 3 {
                    0 => usize::from(input.byte()) % (count + 1),
                    1 => usize::MAX,
                    _ => input.u64() as usize,
                };
                let (mut name, mut value) = (null(), null());
                let flags = input.byte();
                let name_ptr: *mut *const c_char = if flags & 1 == 1 {
                    null_mut()
                } else {
                    &mut name
                };
                let value_ptr: *mut *const c_char = if flags & 2 == 2 {
                    null_mut()
                } else {
                    &mut value
                };
                let rc = remoteit_headers_get(h, index, name_ptr, value_ptr);
                check(rc);
                if rc == 0 {
                    assert!(index < count);
                    assert!(!CStr::from_ptr(name).to_bytes().is_empty());
                    let _ = CStr::from_ptr(value);
                }
                let h = pick(&mut input, &headers);
                with_buffer(&mut input, |buf, len, out_len| unsafe {
                    remoteit_headers_text(h, buf, len, out_len)
                });
            },
            6 => {
                let (method, url, ct) = (input.c_string(), input.c_string(), input.c_string());
                let length = input.u64() as usize;
                let time = input.u64() as i64;
                with_buffer(&mut input, |buf, len, out_len| unsafe {
                    remoteit_signing_string(
                        ptr(&method),
                        ptr(&url),
                        ptr(&ct),
                        length,
                        time,
                        buf,
                        len,
                        out_len,
                    )
                });
            }
            7 => with_buffer(&mut input, |buf, len, out_len| unsafe {
                remoteit_last_error_message(buf, len, out_len)
            }),
            8 => unsafe {
                let _ = CStr::from_ptr(remoteit_result_name(input.u32()));
                let _ = CStr::from_ptr(remoteit_version());
                remoteit_string_free(null_mut());
            },
            9 => unsafe {
                let c = pick(&mut input, &creds);
                let url = input.c_string();
                let mut out = null_mut();
                let rc = remoteit_client_new(c, ptr(&url), &mut out);
                check(rc);
                if !out.is_null() {
                    clients.push(out);
                }
            },
            10 => unsafe {
                let client = pick(&mut input, &clients);
                let value = input.u32();
                check(match input.byte() % 2 {
                    0 => remoteit_client_set_timeout_ms(client, value),
                    _ => remoteit_client_set_signing_scheme(client, value % 4),
                });
            },
            11 => unsafe {
                let client = pick(&mut input, &clients);
                // Devices too: the CA file is read as the credentials file is, bounded.
                let p = path(&mut input, true);
                check(remoteit_client_set_ca_file(client, ptr(&p)));
            },
            12 => unsafe {
                let client = if input.byte() & 1 == 0 {
                    offline
                } else {
                    null()
                };
                let (query, variables) = (input.c_string(), input.c_string());
                let mut out = null_mut();
                let null_out = input.byte() & 1 == 1;
                let out_ptr: *mut *mut c_char = if null_out { null_mut() } else { &mut out };
                let rc = remoteit_graphql(client, ptr(&query), ptr(&variables), out_ptr);
                check(rc);
                assert_ne!(rc, 0, "nothing listens on port 9");
                remoteit_string_free(out);
            },
            13 => unsafe {
                let client = if input.byte() & 1 == 0 {
                    offline
                } else {
                    null()
                };
                let (service, host_ip) = (input.c_string(), input.c_string());
                let proxy = input.u32() % 5;
                let mut out = null_mut();
                let rc = match input.byte() % 3 {
                    0 => remoteit_connect(client, ptr(&service), &mut out),
                    1 => remoteit_connect_with_options(
                        client,
                        ptr(&service),
                        ptr(&host_ip),
                        proxy,
                        &mut out,
                    ),
                    _ => remoteit_disconnect(client, ptr(&service)),
                };
                check(rc);
                assert!(out.is_null());
            },
            14 => unsafe {
                assert!(remoteit_connection_id(null()).is_null());
                assert!(remoteit_connection_host(null()).is_null());
                assert!(remoteit_connection_url(null()).is_null());
                assert_eq!(remoteit_connection_port(null()), -1);
                assert_eq!(remoteit_connection_reverse_proxy(null()), 0);
                assert_eq!(remoteit_connection_timeout(null()), -1);
                remoteit_connection_free(null_mut());
                assert_eq!(remoteit_headers_count(null()), 0);
            },
            15 => unsafe {
                if !creds.is_empty() {
                    let i = usize::from(input.byte()) % creds.len();
                    remoteit_credentials_free(creds.swap_remove(i));
                }
            },
            16 => unsafe {
                if !headers.is_empty() {
                    let i = usize::from(input.byte()) % headers.len();
                    remoteit_headers_free(headers.swap_remove(i));
                }
            },
            17 => unsafe {
                if !clients.is_empty() {
                    let i = usize::from(input.byte()) % clients.len();
                    remoteit_client_free(clients.swap_remove(i));
                }
            },
            _ => unsafe {
                remoteit_credentials_free(null_mut());
                remoteit_headers_free(null_mut());
                remoteit_client_free(null_mut());
            },
        }
    }
    // SAFETY: every handle left is live and freed once.
    unsafe {
        headers.into_iter().for_each(|h| remoteit_headers_free(h));
        clients.into_iter().for_each(|c| remoteit_client_free(c));
        creds.into_iter().for_each(|c| remoteit_credentials_free(c));
    }
});
