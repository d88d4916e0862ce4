//! The fast signing path of both Remote.It schemes: the checks of the general path made with
//! lookup tables while the signing string is assembled in a stack buffer, the date and numbers
//! formatted by hand, the tag and its base64 in arrays, and the header fields in one buffer.
//!
//! It handles every request the general path signs except the unusual ones (a content type
//! with non-ASCII text, a key id with a NUL byte); for those, and for every request the general
//! path rejects, it answers `None`, and [`super::sign_into`] asks the general path, whose
//! errors and messages are the reference. `fast_tests` compares both on random inputs.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::signing::buffer::{
    IMF_FIXDATE_LEN, SignedHeaders, StackBuf, decimal, imf_fixdate_cached,
};
use crate::signing::rfc9421::{LABEL, VALIDITY_SECONDS};
use crate::signing::{Request, Scheme, TCHAR, resolve_time};
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

/// The parts of a request both schemes check, in the general path's order.
struct Checked<'a> {
    target: TargetRef<'a>,
    content_type: Option<&'a [u8]>,
    time: i64,
    date: [u8; IMF_FIXDATE_LEN],
}

/// Checks the method (writing it to `buf` with the given case), the content type, the URL and
/// the time, and the key id for a NUL byte.
fn check<'a>(
    request: &Request<'a>,
    key_id: &str,
    unix_time: Option<i64>,
    buf: &mut SigningBuf,
    lowercase_method: bool,
) -> Option<Checked<'a>> {
    let method = request.method.as_bytes();
    if method.is_empty() || !method.iter().all(|&b| TCHAR[usize::from(b)]) {
        return None;
    }
    if lowercase_method {
        buf.push_lowercase(method);
    } else {
        buf.push_uppercase(method);
    }
    let content_type = match request.content_type {
        Some(ct) if ct.bytes().all(|b| (b' '..=b'~').contains(&b)) => {
            Some(ct.trim_matches(' ').as_bytes())
        }
        Some(_) => return None,
        None => None,
    };
    let target = TargetRef::parse(request.url).ok()?;
    let time = resolve_time(unix_time).ok()?;
    // Credentials hold printable ASCII key ids only (checked when they are made).
    debug_assert!(key_id.bytes().all(|b| b.is_ascii_graphic()));
    Some(Checked {
        target,
        content_type,
        time,
        date: imf_fixdate_cached(time),
    })
}

/// Appends the authority: the host in lower case, then `:port` unless it is the default.
fn push_authority(buf: &mut SigningBuf, target: &TargetRef<'_>) {
    buf.push_lowercase(target.host_as_written.as_bytes());
    if target.port_is_explicit() {
        let (digits, start) = decimal(u64::from(target.port));
        buf.push(b":");
        buf.push(&digits[start..]);
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

fn cavage(
    credentials: &Credentials,
    request: &Request<'_>,
    unix_time: Option<i64>,
    out: &mut SignedHeaders,
) -> Option<()> {
    let key_id = credentials.access_key_id();
    let mut s = SigningBuf::new();
    s.push(b"(request-target): ");
    let checked = check(request, key_id, unix_time, &mut s, true)?;
    s.push(b" ");
    push_path_and_query(&mut s, &checked.target);
    s.push(b"\nhost: ");
    push_authority(&mut s, &checked.target);
    s.push(b"\ndate: ");
    s.push(&checked.date);
    if let Some(ct) = checked.content_type {
        s.push(b"\ncontent-type: ");
        s.push(ct);
    }
    s.push(b"\ncontent-length: ");
    let (digits, start) = decimal(request.body.len() as u64);
    s.push(&digits[start..]);

    let signature = signature_base64(credentials, s.as_bytes());
    let after_key_id: &[u8] = if checked.content_type.is_some() {
        b"\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date content-type content-length\",signature=\""
    } else {
        b"\",algorithm=\"hmac-sha256\",headers=\"(request-target) host date content-length\",signature=\""
    };
    out.push("Date", &[&checked.date]);
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
    let key_id = credentials.access_key_id();
    let mut base = SigningBuf::new();
    base.push(b"\"@method\": ");
    let checked = check(request, key_id, unix_time, &mut base, false)?;
    let target = &checked.target;
    base.push(b"\n\"@authority\": ");
    push_authority(&mut base, target);
    base.push(b"\n\"@target-uri\": ");
    base.push(match target.scheme {
        UrlScheme::Http => b"http://",
        UrlScheme::Https => b"https://",
    });
    push_authority(&mut base, target);
    push_path_and_query(&mut base, target);
    base.push(b"\n\"date\": ");
    base.push(&checked.date);
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
    let (created, created_start) = decimal(checked.time as u64);
    let (expires, expires_start) = decimal((checked.time + VALIDITY_SECONDS) as u64);
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
    out.push("Date", &[&checked.date]);
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
