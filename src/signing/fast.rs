//! The fast signing path of both Remote.It schemes: the checks of the general path made with
//! lookup tables while the signing string is assembled in a stack buffer, the date and numbers
//! formatted by hand, the tag and its base64 in arrays, and the header fields in one buffer.
//! What depends only on the request's shape (scheme, method, URL, content type) is kept per
//! thread and copied when the same shape comes again, as it does for every call to one API.
//!
//! It handles every request the general path signs except the unusual ones (a content type
//! with non-ASCII text); for those, and for every request the general path rejects, it answers
//! `None`, and [`super::sign_into`] asks the general path, whose errors and messages are the
//! reference. `fast_tests` compares both on random inputs and on near-miss shapes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::signing::buffer::{
    IMF_FIXDATE_LEN, SignedHeaders, StackBuf, decimal, imf_fixdate_cached,
};
use crate::signing::rfc9421::{LABEL, VALIDITY_SECONDS};
use crate::signing::{Request, Scheme, is_token, resolve_time};
use crate::target::{TargetRef, UrlScheme};

/// Most signing strings fit: a longer URL or content type moves the buffer to the heap.
type SigningBuf = StackBuf<320>;

/// Signs `request` into `out` when the fast path handles it; `None`, with `out` untouched,
/// when the general path must answer.
pub(crate) fn sign(
    credentials: &Credentials,
    scheme: Scheme,
    request: &Request<'_>,
    unix_time: Option<i64>,
    out: &mut SignedHeaders,
) -> Option<()> {
    match scheme {
        Scheme::Cavage => cavage(credentials, request, unix_time, out),
        Scheme::Rfc9421 => rfc9421(credentials, request, unix_time, out),
    }
}

/// Appends the signing text of `request`'s shape (its scheme, method, URL and content type),
/// with `date` at its place: everything up to and including the date line's value, and for
/// draft-cavage the content-type line and `content-length: ` after it. Checks what the general
/// path checks (method, content type, URL) the first time; a shape seen again on this thread
/// is copied from the last one (a pure function of those bytes, so the text is the same).
/// `None` for anything the general path must answer; else whether there is a content type.
fn push_shape(
    scheme: Scheme,
    request: &Request<'_>,
    date: &[u8; IMF_FIXDATE_LEN],
    buf: &mut SigningBuf,
) -> Option<bool> {
    if let Some(has_content_type) = replay_shape(scheme, request, date, buf) {
        return Some(has_content_type);
    }
    let (has_content_type, date_at) = build_shape(scheme, request, date, buf)?;
    remember_shape(scheme, request, buf.as_bytes(), date_at, has_content_type);
    Some(has_content_type)
}

/// [`push_shape`] from scratch; also gives where the date is in `buf`.
fn build_shape(
    scheme: Scheme,
    request: &Request<'_>,
    date: &[u8; IMF_FIXDATE_LEN],
    buf: &mut SigningBuf,
) -> Option<(bool, usize)> {
    let method = request.method.as_bytes();
    if !is_token(request.method) {
        return None;
    }
    let content_type = match request.content_type {
        Some(ct) if ct.bytes().all(|b| (b' '..=b'~').contains(&b)) => {
            Some(ct.trim_matches(' ').as_bytes())
        }
        Some(_) => return None,
        None => None,
    };
    let target = TargetRef::parse(request.url).ok()?;
    let date_at;
    match scheme {
        Scheme::Cavage => {
            buf.push(b"(request-target): ");
            buf.push_lowercase(method);
            buf.push(b" ");
            push_path_and_query(buf, &target);
            buf.push(b"\nhost: ");
            push_authority(buf, &target);
            buf.push(b"\ndate: ");
            date_at = buf.len();
            buf.push(date);
            if let Some(ct) = content_type {
                buf.push_parts(&[b"\ncontent-type: ", ct]);
            }
            buf.push(b"\ncontent-length: ");
        }
        Scheme::Rfc9421 => {
            buf.push(b"\"@method\": ");
            buf.push_uppercase(method);
            buf.push(b"\n\"@authority\": ");
            push_authority(buf, &target);
            buf.push(b"\n\"@target-uri\": ");
            buf.push(match target.scheme {
                UrlScheme::Http => b"http://",
                UrlScheme::Https => b"https://",
            });
            push_authority(buf, &target);
            push_path_and_query(buf, &target);
            buf.push(b"\n\"date\": ");
            date_at = buf.len();
            buf.push(date);
        }
    }
    Some((content_type.is_some(), date_at))
}

/// The longest method, URL and content type, together, that the shape cache keeps.
const SHAPE_KEY_MAX: usize = 256;
/// The longest shape text (without the date) that it keeps.
const SHAPE_TEXT_MAX: usize = 320;

/// The last request shape this thread signed: its inputs, byte for byte, and its text
/// around the date.
struct Shape {
    scheme: Scheme,
    method_len: usize,
    url_len: usize,
    content_type_len: Option<usize>,
    key: [u8; SHAPE_KEY_MAX],
    text: [u8; SHAPE_TEXT_MAX],
    text_len: usize,
    date_at: usize,
    has_content_type: bool,
}

impl Shape {
    fn is_of(&self, scheme: Scheme, request: &Request<'_>) -> bool {
        let (method, url) = (request.method.as_bytes(), request.url.as_bytes());
        let content_type = request.content_type.map(str::as_bytes);
        let (m, u) = (self.method_len, self.method_len + self.url_len);
        self.scheme == scheme
            && method.len() == self.method_len
            && url.len() == self.url_len
            && content_type.map(<[u8]>::len) == self.content_type_len
            && self.key[..m] == *method
            && self.key[m..u] == *url
            && content_type.is_none_or(|ct| self.key[u..u + ct.len()] == *ct)
    }
}

thread_local! {
    static LAST_SHAPE: std::cell::RefCell<Option<Shape>> = const { std::cell::RefCell::new(None) };
}

fn replay_shape(
    scheme: Scheme,
    request: &Request<'_>,
    date: &[u8; IMF_FIXDATE_LEN],
    buf: &mut SigningBuf,
) -> Option<bool> {
    LAST_SHAPE
        .try_with(|last| {
            let last = last.try_borrow().ok()?;
            let shape = last.as_ref().filter(|shape| shape.is_of(scheme, request))?;
            buf.push_parts(&[
                &shape.text[..shape.date_at],
                date,
                &shape.text[shape.date_at..shape.text_len],
            ]);
            Some(shape.has_content_type)
        })
        .ok()
        .flatten()
}

/// Keeps `text` (with the date at `date_at`) as the text of `request`'s shape, if it fits.
fn remember_shape(
    scheme: Scheme,
    request: &Request<'_>,
    text: &[u8],
    date_at: usize,
    has_content_type: bool,
) {
    let (method, url) = (request.method.as_bytes(), request.url.as_bytes());
    let content_type = request.content_type.map_or(&[][..], str::as_bytes);
    let key_len = method.len() + url.len() + content_type.len();
    let (before, after) = (&text[..date_at], &text[date_at + IMF_FIXDATE_LEN..]);
    if key_len > SHAPE_KEY_MAX || before.len() + after.len() > SHAPE_TEXT_MAX {
        return;
    }
    let mut shape = Shape {
        scheme,
        method_len: method.len(),
        url_len: url.len(),
        content_type_len: request.content_type.map(str::len),
        key: [0; SHAPE_KEY_MAX],
        text: [0; SHAPE_TEXT_MAX],
        text_len: before.len() + after.len(),
        date_at,
        has_content_type,
    };
    let mut at = 0;
    for part in [method, url, content_type] {
        shape.key[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
    shape.text[..before.len()].copy_from_slice(before);
    shape.text[before.len()..shape.text_len].copy_from_slice(after);
    let _ = LAST_SHAPE.try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some(shape);
        }
    });
}

/// Appends the authority: the host in lower case, then `:port` unless it is the default.
fn push_authority(buf: &mut SigningBuf, target: &TargetRef<'_>) {
    buf.push_lowercase(target.host_as_written.as_bytes());
    if target.port_is_explicit() {
        let (digits, start) = decimal(u64::from(target.port));
        buf.push_parts(&[b":", &digits[start..]]);
    }
}

fn push_path_and_query(buf: &mut SigningBuf, target: &TargetRef<'_>) {
    if target.needs_leading_slash() {
        buf.push(b"/");
    }
    buf.push(target.path_and_query_as_written.as_bytes());
}

/// base64 of HMAC-SHA256 of `data` with the credentials' precomputed key state.
fn signature_base64(credentials: &Credentials, data: &[u8]) -> [u8; 44] {
    base64_of_32(&credentials.key().sign(data))
}

fn base64_of_32(bytes: &[u8]) -> [u8; 44] {
    let mut out = [0u8; 44];
    let written = BASE64
        .encode_slice(bytes, &mut out)
        .expect("32 bytes are 44 base64 characters");
    debug_assert_eq!(written, out.len());
    out
}

/// The key id, the signing time and its date; `None` for a time the general path rejects.
#[inline(always)]
fn key_id_and_date(
    credentials: &Credentials,
    unix_time: Option<i64>,
) -> Option<(&str, i64, [u8; IMF_FIXDATE_LEN])> {
    let key_id = credentials.access_key_id();
    // Credentials hold printable ASCII key ids only (checked when they are made).
    debug_assert!(key_id.bytes().all(|b| b.is_ascii_graphic()));
    let time = resolve_time(unix_time).ok()?;
    Some((key_id, time, imf_fixdate_cached(time)))
}

fn cavage(
    credentials: &Credentials,
    request: &Request<'_>,
    unix_time: Option<i64>,
    out: &mut SignedHeaders,
) -> Option<()> {
    let (key_id, _, date) = key_id_and_date(credentials, unix_time)?;
    let mut s = SigningBuf::new();
    let has_content_type = push_shape(Scheme::Cavage, request, &date, &mut s)?;
    let (digits, start) = decimal(request.body.len() as u64);
    s.push(&digits[start..]);

    let signature = signature_base64(credentials, s.as_bytes());
    let after_key_id: &[u8] = if has_content_type {
        b"\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date content-type content-length\",signature=\""
    } else {
        b"\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date content-length\",signature=\""
    };
    out.push("Date", &[&date]);
    out.push(
        "Authorization",
        &[
            b"Signature keyId=\"",
            key_id.as_bytes(),
            after_key_id,
            &signature,
            b"\"",
        ],
    );
    Some(())
}

fn rfc9421(
    credentials: &Credentials,
    request: &Request<'_>,
    unix_time: Option<i64>,
    out: &mut SignedHeaders,
) -> Option<()> {
    let (key_id, time, date) = key_id_and_date(credentials, unix_time)?;
    let mut base = SigningBuf::new();
    push_shape(Scheme::Rfc9421, request, &date, &mut base)?;
    let digest = (!request.body.is_empty()).then(|| base64_of_32(&Sha256::digest(request.body)));
    if let Some(digest) = &digest {
        base.push(b"\n\"content-digest\": sha-256=:");
        base.push(digest);
        base.push(b":");
    }
    let components: &[u8] = if digest.is_some() {
        br#"("@method" "@authority" "@target-uri" "date" "content-digest")"#
    } else {
        br#"("@method" "@authority" "@target-uri" "date")"#
    };
    let (created, created_start) = decimal(time as u64);
    let (expires, expires_start) = decimal((time + VALIDITY_SECONDS) as u64);
    let params: [&[u8]; 7] = [
        components,
        b";keyid=\"",
        key_id.as_bytes(),
        b"\";alg=\"hmac-sha256\";created=",
        &created[created_start..],
        b";expires=",
        &expires[expires_start..],
    ];
    base.push(b"\n\"@signature-params\": ");
    for part in params {
        base.push(part);
    }

    let signature = signature_base64(credentials, base.as_bytes());
    out.push("Date", &[&date]);
    if let Some(digest) = &digest {
        out.push("Content-Digest", &[b"sha-256=:", digest, b":"]);
    }
    let [p0, p1, p2, p3, p4, p5, p6] = params;
    out.push(
        "Signature-Input",
        &[LABEL.as_bytes(), b"=", p0, p1, p2, p3, p4, p5, p6],
    );
    out.push("Signature", &[LABEL.as_bytes(), b"=:", &signature, b":"]);
    Some(())
}
